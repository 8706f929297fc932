from flask import Blueprint

from dialog.events import staff_views, views

bp = Blueprint("events", __name__)

# Public: calendar, event pages, registration and the personal link.
bp.add_url_rule("/veranstaltungen", "list_events", views.list_events)
bp.add_url_rule("/veranstaltungen.ics", "calendar_feed", views.calendar_feed)
bp.add_url_rule("/veranstaltungen/<int:event_id>", "show_event", views.show_event)
bp.add_url_rule("/veranstaltungen/<int:event_id>.ics", "event_ics", views.event_ics)
bp.add_url_rule(
    "/veranstaltungen/<int:event_id>/anmeldung",
    "register",
    views.register,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/veranstaltungen/<int:event_id>/anmeldung/gesendet",
    "registration_sent",
    views.registration_sent,
)
bp.add_url_rule(
    "/veranstaltungen/anmeldung/<token>",
    "manage_registration",
    views.manage_registration,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/veranstaltungen/anmeldung/<token>/abmelden",
    "cancel_registration",
    views.cancel_registration,
    methods=["GET", "POST"],
)

# Staff.
bp.add_url_rule("/staff/veranstaltungen", "staff_list_events", staff_views.list_events)
bp.add_url_rule(
    "/staff/veranstaltungen/neu", "new_event", staff_views.edit_event, methods=["GET", "POST"]
)
bp.add_url_rule("/staff/veranstaltungen/<int:event_id>", "staff_event", staff_views.staff_event)
bp.add_url_rule(
    "/staff/veranstaltungen/<int:event_id>/bearbeiten",
    "edit_event",
    staff_views.edit_event,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/staff/veranstaltungen/<int:event_id>/absagen",
    "cancel_event",
    staff_views.cancel_event,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/staff/veranstaltungen/<int:event_id>/teilnehmende.<any(csv, xlsx):file_format>",
    "download_participants",
    staff_views.download_participants,
)
bp.add_url_rule(
    "/staff/veranstaltungen/<int:event_id>/einlass", "check_in_list", staff_views.check_in_list
)
bp.add_url_rule(
    "/staff/veranstaltungen/<int:event_id>/einlass/<int:registration_id>",
    "check_in",
    staff_views.check_in,
    methods=["POST"],
)
bp.add_url_rule(
    "/staff/veranstaltungen/<int:event_id>/nachricht",
    "message_participants",
    staff_views.message_participants,
    methods=["GET", "POST"],
)

# Praxiswerkstatt and Stakeholder-Hearing.
bp.add_url_rule(
    "/veranstaltungen/<int:event_id>/bewerbung", "apply", views.apply, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/veranstaltungen/<int:event_id>/bewerbung/gesendet",
    "application_sent",
    views.application_sent,
)
bp.add_url_rule(
    "/veranstaltungen/einladung",
    "enter_invitation_code",
    views.enter_invitation_code,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/veranstaltungen/einladung/<code>",
    "accept_invitation",
    views.accept_invitation,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/staff/veranstaltungen/<int:event_id>/bewerbungen/<int:application_id>",
    "decide_application",
    staff_views.decide_application,
    methods=["POST"],
)
bp.add_url_rule(
    "/staff/veranstaltungen/<int:event_id>/einladungen/neu",
    "invite",
    staff_views.invite,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/staff/veranstaltungen/<int:event_id>/einladungen/<int:invitation_id>/widerrufen",
    "revoke_invitation",
    staff_views.revoke_invitation,
    methods=["POST"],
)
bp.add_url_rule(
    "/staff/veranstaltungen/<int:event_id>/kontingente",
    "edit_quotas",
    staff_views.edit_quotas,
    methods=["GET", "POST"],
)
