"""The public calendar, event pages, .ics files and registration with its personal link."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from dialog.common import ratelimit
from dialog.events import applications, calendar, forms, invitations, services
from dialog.events.rules import Admission, InvitationState, RegistrationStatus, WindowState
from dialog.extensions import db
from dialog.process import services as process_services
from dialog.recommendations import labels as recommendation_labels
from dialog.recommendations import services as recommendation_services


def _page_arg() -> int:
    value = request.args.get("seite", "1")
    return min(int(value), 10_000) if value.isdigit() and int(value) > 0 else 1


def _calendar_filter_form() -> forms.CalendarFilterForm:
    themes = [t for p in process_services.public_processes() for t in p.theme_fields]
    return forms.CalendarFilterForm(request.args, theme_fields=themes)


def list_events():
    """The calendar: upcoming (or past) events with filters, 25 per page."""
    filter_form = _calendar_filter_form()
    filters = filter_form.filters()
    page = _page_arg()
    events, total = services.calendar_page(filters, page)
    pages = max(1, -(-total // services.CALENDAR_PAGE_SIZE))
    return render_template(
        "events/list.html",
        events=events,
        total=total,
        page=page,
        pages=pages,
        filter_form=filter_form,
        filters=filters,
        filter_args=filter_form.query_args(),
    )


def calendar_feed():
    """The iCalendar feed of the calendar (with the same filters) for calendar apps."""
    filters = _calendar_filter_form().filters()
    body = calendar.ics(services.feed_events(filters), _("Zukunftsdialog: Veranstaltungen"))
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'inline; filename="veranstaltungen.ics"'},
    )


def _event_or_404(event_id: int):
    event = services.public_event(event_id, include_drafts=current_user.is_authenticated)
    return event or abort(404)


def show_event(event_id: int):
    event = _event_or_404(event_id)
    return render_template(
        "events/show.html",
        event=event,
        Admission=Admission,
        presented=recommendation_services.presented_at(event, public=True),
        recommendation_status=recommendation_labels.STATUS,
    )


def event_ics(event_id: int):
    event = _event_or_404(event_id)
    return Response(
        calendar.ics([event], event.title),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="veranstaltung-{event.id}.ics"'},
    )


def register(event_id: int):
    """Registration for a public event; afterwards, the same page whatever happened."""
    # The checks and the registration use a snapshot of the event; only a page with the form
    # reads the event itself (as for answers: a storm of registrations reads no event).
    event = services.event_for_registration(event_id, current_user.is_authenticated)
    if event is None or event.kind.admission != Admission.PUBLIC:
        abort(404)
    if event.window != WindowState.OPEN:
        return _registration_page(event_id, form=None)
    form = forms.RegistrationForm(event=event)
    if request.method == "POST" and not ratelimit.hit(
        "registrations", current_app.config["REGISTRATION_RATE_LIMIT"]
    ):
        form.validate()
        form.form_errors.append(_too_many())
        return _registration_page(event_id, form), 429
    if form.validate_on_submit():
        person = form.registrant()
        try:
            registration = services.register(event, person)
            waiting = registration.status == RegistrationStatus.WAITLISTED
            db.session.commit()
            if waiting and services.settle_waitlist(event_id):
                db.session.commit()  # a second transaction: the first must be visible to it
        except services.RegistrationClosed:
            db.session.rollback()
            return _registration_page(event_id, form=None)
        except IntegrityError:
            # The address is registered already: its link goes out again.
            db.session.rollback()
            if not services.resend_link(event, person.email):
                raise  # some other constraint: not a duplicate, so not to be hidden
            db.session.commit()
        return redirect(url_for("events.registration_sent", event_id=event_id))
    return _registration_page(event_id, form)


def _registration_page(event_id: int, form: forms.RegistrationForm | None) -> str:
    return render_template("events/register.html", event=_event_or_404(event_id), form=form)


def registration_sent(event_id: int):
    event = _event_or_404(event_id)
    return render_template("events/sent.html", event=event)


def manage_registration(token: str):
    """The personal link: status, confirmation (double opt-in) and the way to cancel."""
    registration = services.registration_by_token(token) or abort(404)
    if request.method == "POST":
        # CSRFProtect has already checked the token of the confirmation button's form.
        status = services.confirm(registration)
        db.session.commit()
        if status == RegistrationStatus.CONFIRMED:
            flash(_("Vielen Dank! Ihre Anmeldung ist bestätigt."), "success")
        elif status == RegistrationStatus.WAITLISTED:
            flash(
                _(
                    "Vielen Dank! Ihre E-Mail-Adresse ist bestätigt. Wird ein Platz frei, "
                    "erhalten Sie ihn automatisch."
                ),
                "success",
            )
        elif status == RegistrationStatus.EXPIRED:
            return render_template("events/expired.html", event=registration.event)
        return redirect(url_for("events.manage_registration", token=token))
    return render_template(
        "events/manage.html",
        registration=registration,
        event=registration.event,
        token=token,
        position=services.waitlist_position(registration),
    )


def cancel_registration(token: str):
    registration = services.registration_by_token(token) or abort(404)
    event = registration.event
    if request.method == "POST":
        services.cancel(registration)
        db.session.commit()
        return render_template("events/cancelled.html", event=event)
    return render_template(
        "events/cancel.html", registration=registration, event=event, token=token
    )


def apply(event_id: int):
    """A company applies for a Praxiswerkstatt."""
    event = _event_or_404(event_id)
    if event.kind.admission != Admission.APPLICATION:
        abort(404)
    if event.window != WindowState.OPEN:
        return render_template("events/apply.html", event=event, form=None)
    form = forms.ApplicationForm()
    if request.method == "POST" and not ratelimit.hit(
        "registrations", current_app.config["REGISTRATION_RATE_LIMIT"]
    ):
        form.validate()
        form.form_errors.append(_too_many())
        return render_template("events/apply.html", event=event, form=form), 429
    if form.validate_on_submit():
        try:
            applications.apply(event, form.application())
            db.session.commit()
        except (applications.AlreadyApplied, IntegrityError):
            db.session.rollback()
            form.contact_email.errors.append(
                _(
                    "Mit dieser E-Mail-Adresse liegt bereits eine Bewerbung für diese "
                    "Praxiswerkstatt vor. Für Änderungen antworten Sie bitte auf unsere "
                    "Eingangsbestätigung."
                )
            )
            return render_template("events/apply.html", event=event, form=form)
        return redirect(url_for("events.application_sent", event_id=event.id))
    return render_template("events/apply.html", event=event, form=form)


def application_sent(event_id: int):
    event = _event_or_404(event_id)
    return render_template("events/application_sent.html", event=event)


def enter_invitation_code():
    """For invitations on paper: type the code, then register."""
    form = forms.InvitationCodeForm()
    if form.validate_on_submit():
        code = invitations.normalise_code(form.code.data)
        return redirect(url_for("events.accept_invitation", code=code))
    return render_template("events/invitation_code.html", form=form)


def accept_invitation(code: str):
    """Register for a Stakeholder-Hearing with a personal invitation (link or code)."""
    invitation = invitations.invitation_by_code(code)
    if invitation is None:
        return render_template("events/invitation_invalid.html", state=None), 404
    event = invitation.event
    state = invitation.state
    if state != InvitationState.VALID or event.window != WindowState.OPEN:
        return render_template(
            "events/invitation_invalid.html", state=state, invitation=invitation, event=event
        ), 410
    form = forms.RegistrationForm(event=event, data={"organisation": invitation.organisation})
    if form.validate_on_submit():
        try:
            registration = invitations.register_invited(invitation, form.registrant())
            db.session.commit()
        except invitations.InvitationUnusable:
            db.session.rollback()
            return redirect(url_for("events.accept_invitation", code=code))
        except (invitations.QuotaExhausted, services.NoSeatsLeft, IntegrityError) as error:
            db.session.rollback()
            form.form_errors.append(_invitation_problem(error))
        else:
            flash(_("Vielen Dank! Ihre Anmeldung ist bestätigt."), "success")
            return redirect(
                url_for("events.manage_registration", token=services.link_token(registration))
            )
    return render_template(
        "events/invitation.html", event=event, invitation=invitation, form=form, code=code
    )


def _invitation_problem(error: Exception) -> str:
    if isinstance(error, invitations.QuotaExhausted):
        return _(
            "Die Plätze für Ihre Gruppe sind bereits vergeben. Bitte wenden Sie sich an die "
            "Veranstaltenden; Ihre Einladung bleibt gültig."
        )
    if isinstance(error, services.NoSeatsLeft):
        return _("Alle Plätze sind vergeben. Bitte wenden Sie sich an die Veranstaltenden.")
    return _(
        "Mit dieser E-Mail-Adresse ist bereits jemand für diese Veranstaltung angemeldet. "
        "Bitte verwenden Sie eine andere Adresse."
    )


def _too_many() -> str:
    return _(
        "Von Ihrem Internetanschluss wurden in kurzer Zeit sehr viele Anmeldungen gesendet. "
        "Bitte warten Sie einige Minuten und senden Sie das Formular dann erneut. Ihre "
        "Eingaben sind unten erhalten."
    )
