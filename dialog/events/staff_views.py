"""The staff's events: create, edit, publish and cancel; participants and waitlist."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from dialog.common import audit
from dialog.common.permissions import Role, roles_required
from dialog.common.sanitize import clean_rich_text, plain_text
from dialog.events import applications, calendar, exports, forms, invitations, services
from dialog.events.models import Application, Event, Invitation, Registration
from dialog.events.rules import Admission, EventStatus, RegistrationStatus, StakeholderGroup
from dialog.extensions import db
from dialog.process import services as process_services

admin_only = roles_required(Role.ADMIN)


def _event_or_404(event_id: int) -> Event:
    return db.session.get(Event, event_id) or abort(404)


@admin_only
def list_events():
    show = request.args.get("zeigen", "kommend")
    events = services.staff_events(upcoming=True if show == "kommend" else None)
    return render_template("events/staff/list.html", events=events, show=show)


@admin_only
def edit_event(event_id: int | None = None):
    event = _event_or_404(event_id) if event_id is not None else None
    form = forms.EventEditForm(
        obj=event,
        processes=process_services.all_processes(),
        seats_taken=event.seats_taken if event else 0,
    )
    if event is not None and event.status == EventStatus.CANCELLED:
        form.status.choices = [(EventStatus.CANCELLED.value, _("Abgesagt"))]
    if request.method == "GET" and event is not None:
        form.fill_from(event)
    if form.validate_on_submit():
        values = form.values()
        values["description"] = clean_rich_text(form.description.data)
        values["accessibility"] = plain_text(form.accessibility.data)
        values["venue"] = plain_text(values["venue"] or "")
        values["address"] = plain_text(values["address"] or "")
        if event is not None and event.status == EventStatus.CANCELLED:
            values["status"] = EventStatus.CANCELLED  # a cancelled event is not published again
        event = services.save_event(current_user, event, values, form.theme_fields.data or [])
        db.session.commit()
        flash(_("Die Veranstaltung wurde gespeichert."), "success")
        return redirect(url_for("events.staff_event", event_id=event.id))
    return render_template("events/staff/edit.html", form=form, event=event)


@admin_only
def staff_event(event_id: int):
    """One event for staff: its state, the participants by status and the waitlist."""
    event = _event_or_404(event_id)
    filter_form = forms.RegistrationStatusFilterForm(request.args)
    statuses = _selected_statuses()
    return render_template(
        "events/staff/event.html",
        event=event,
        counts=services.status_counts(event),
        participants=services.participants(event, statuses),
        filter_form=filter_form,
        status=statuses[0].value if statuses else None,
        applications=applications.applications(event)
        if event.kind.admission == Admission.APPLICATION
        else None,
        invitations=invitations.invitations(event)
        if event.kind.admission == Admission.INVITATION
        else None,
        quotas=invitations.quotas(event),
    )


@admin_only
def cancel_event(event_id: int):
    event = _event_or_404(event_id)
    if event.status == EventStatus.CANCELLED:
        flash(_("Die Veranstaltung ist bereits abgesagt."), "info")
        return redirect(url_for("events.staff_event", event_id=event.id))
    form = forms.EventCancelForm()
    if form.validate_on_submit():
        notified = services.cancel_event(current_user, event, plain_text(form.note.data))
        db.session.commit()
        flash(
            ngettext(
                "Die Veranstaltung ist abgesagt. %(n)s angemeldete Person wird benachrichtigt.",
                "Die Veranstaltung ist abgesagt. %(n)s angemeldete Personen werden benachrichtigt.",
                notified,
                n=format_decimal(notified),
            ),
            "success",
        )
        return redirect(url_for("events.staff_event", event_id=event.id))
    return render_template("events/staff/cancel.html", event=event, form=form)


def _selected_statuses() -> list[RegistrationStatus] | None:
    status = request.args.get("status", "")
    return [RegistrationStatus(status)] if status in RegistrationStatus._value2member_map_ else None


@admin_only
def download_participants(event_id: int, file_format: str):
    """The participant list (as filtered) as CSV or XLSX; the download is audit-logged."""
    event = _event_or_404(event_id)
    registrations = services.participants(event, _selected_statuses())
    audit.record(
        current_user,
        "event.download_participants",
        event,
        {"format": [None, file_format], "rows": [None, len(registrations)]},
    )
    db.session.commit()
    name = f"teilnehmende-{event.id}"
    if file_format == "csv":
        body, mimetype = exports.participants_csv(registrations), "text/csv; charset=utf-8"
    else:
        body = exports.participants_xlsx(registrations, event.title)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{file_format}"'},
    )


@admin_only
def check_in_list(event_id: int):
    """The list at the door: confirmed and held seats by name, printable, with check-in."""
    event = _event_or_404(event_id)
    query = (request.args.get("suche") or "").strip()[:100]
    people = services.door_list(event, query)
    return render_template("events/staff/check_in.html", event=event, people=people, query=query)


@admin_only
def check_in(event_id: int, registration_id: int):
    event = _event_or_404(event_id)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    present = request.form.get("present") == "1"
    services.check_in(current_user, registration, present)
    db.session.commit()
    if present:
        flash(_("%(name)s ist eingecheckt.", name=registration.name or "–"), "success")
    else:
        flash(_("Check-in von %(name)s zurückgenommen.", name=registration.name or "–"), "info")
    return redirect(
        url_for("events.check_in_list", event_id=event.id, suche=request.form.get("suche") or None)
        + f"#r{registration.id}"
    )


@admin_only
def message_participants(event_id: int):
    event = _event_or_404(event_id)
    form = forms.MessageForm()
    if form.validate_on_submit():
        sent = services.message_participants(
            current_user,
            event,
            plain_text(form.subject.data),
            plain_text(form.body.data),
            include_waitlist=form.include_waitlist.data,
        )
        db.session.commit()
        flash(
            ngettext(
                "Die Nachricht geht an %(n)s Person.",
                "Die Nachricht geht an %(n)s Personen.",
                sent,
                n=format_decimal(sent),
            ),
            "success",
        )
        return redirect(url_for("events.staff_event", event_id=event.id))
    return render_template("events/staff/message.html", event=event, form=form)


@admin_only
def decide_application(event_id: int, application_id: int):
    event = _event_or_404(event_id)
    application = db.session.get(Application, application_id)
    if application is None or application.event_id != event.id:
        abort(404)
    form = forms.DecisionForm()
    accept = request.form.get("decision") == "accept"
    if form.validate_on_submit():
        try:
            applications.decide(current_user, application, accept, plain_text(form.note.data))
            db.session.commit()
        except services.NoSeatsLeft:
            db.session.rollback()
            flash(
                ngettext(
                    "Der einzige Platz ist vergeben. Erhöhen Sie die Zahl der Plätze oder "
                    "sagen Sie einer anderen Bewerbung ab.",
                    "Alle %(n)s Plätze sind vergeben. Erhöhen Sie die Zahl der Plätze oder "
                    "sagen Sie einer anderen Bewerbung ab.",
                    event.capacity or 0,
                    n=format_decimal(event.capacity or 0),
                ),
                "error",
            )
        else:
            flash(
                _("Zusage an %(company)s verschickt.", company=application.company)
                if accept
                else _("Absage an %(company)s verschickt.", company=application.company),
                "success",
            )
    return redirect(url_for("events.staff_event", event_id=event.id) + "#bewerbungen")


@admin_only
def invite(event_id: int):
    """Issue an invitation; its code is shown once, here."""
    event = _event_or_404(event_id)
    form = forms.InviteForm()
    if form.validate_on_submit():
        expires = (
            calendar.start_of_day(form.expires_on.data, days_later=1)
            if form.expires_on.data
            else None
        )
        invitation, code = invitations.issue(
            current_user,
            event,
            organisation=form.organisation.data,
            group=StakeholderGroup(form.group.data),
            email=form.email.data or "",
            expires_at=expires,
        )
        db.session.commit()
        return render_template(
            "events/staff/invitation_issued.html", event=event, invitation=invitation, code=code
        )
    return render_template("events/staff/invite.html", event=event, form=form)


@admin_only
def revoke_invitation(event_id: int, invitation_id: int):
    event = _event_or_404(event_id)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.event_id != event.id:
        abort(404)
    invitations.revoke(current_user, invitation)
    db.session.commit()
    flash(_("Die Einladung an %(org)s ist widerrufen.", org=invitation.organisation), "success")
    return redirect(url_for("events.staff_event", event_id=event.id) + "#einladungen")


@admin_only
def edit_quotas(event_id: int):
    event = _event_or_404(event_id)
    form = forms.QuotaForm(current=invitations.quotas(event))
    if form.validate_on_submit():
        invitations.set_quotas(current_user, event, form.seats())
        db.session.commit()
        flash(_("Die Kontingente sind gespeichert."), "success")
        return redirect(url_for("events.staff_event", event_id=event.id) + "#einladungen")
    return render_template("events/staff/quotas.html", event=event, form=form)
