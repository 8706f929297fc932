"""Praxiswerkstätten: companies apply, staff accept (up to capacity) or decline; each gets a mail.

Services flush but never commit; views commit once per request.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from dialog.common import audit, mail
from dialog.common.clock import now_utc
from dialog.common.regions import Bundesland
from dialog.events import calendar
from dialog.events.models import Application, Event
from dialog.events.rules import ApplicationStatus, CompanySize
from dialog.events.services import NoSeatsLeft, claim_seat, free_seat, lock_event, normalise_email
from dialog.extensions import db


@dataclass(frozen=True)
class CompanyApplication:
    """What a company enters to apply."""

    company: str
    sector: str
    size: CompanySize
    bundesland: Bundesland
    contact_name: str
    contact_email: str
    motivation: str


class AlreadyApplied(Exception):
    """The contact address has applied for this workshop already."""


def apply(event: Event, data: CompanyApplication) -> Application:
    """Store an application and confirm its receipt by mail."""
    email = normalise_email(data.contact_email)
    existing = db.session.scalar(
        sa.select(Application).where(
            Application.event_id == event.id, Application.contact_email == email
        )
    )
    if existing is not None:
        raise AlreadyApplied
    application = Application(
        event=event,
        company=data.company.strip(),
        sector=data.sector.strip(),
        size=data.size,
        bundesland=data.bundesland,
        contact_name=data.contact_name.strip(),
        contact_email=email,
        motivation=data.motivation.strip(),
        privacy_consent_at=now_utc(),
    )
    db.session.add(application)
    db.session.flush()  # a concurrent application from the same address fails here
    _mail(
        application,
        "events/application_received",
        _l("Bewerbung eingegangen: %(title)s", title=event.title),
    )
    return application


def decide(actor, application: Application, accept: bool, note: str) -> None:
    """Accept (taking one of the workshop's seats) or decline; the company gets a mail.

    A decision can be changed: declining an accepted application frees its seat.
    Raises NoSeatsLeft when accepting while every seat is taken.
    """
    lock_event(application.event_id)
    db.session.refresh(application)
    new = ApplicationStatus.ACCEPTED if accept else ApplicationStatus.DECLINED
    if application.status == new or application.status == ApplicationStatus.WITHDRAWN:
        return
    if accept and not claim_seat(application.event_id):
        raise NoSeatsLeft
    if not accept and application.status == ApplicationStatus.ACCEPTED:
        free_seat(application.event_id)
    changes = audit.diff(
        application,
        {"status": new, "decision_note": note, "decided_at": now_utc(), "decided_by_id": actor.id},
    )
    audit.record(actor, f"application.{'accept' if accept else 'decline'}", application, changes)
    if accept:
        _mail(
            application,
            "events/application_accepted",
            _l("Zusage: %(title)s", title=application.event.title),
            attachments=[calendar.ics_attachment(application.event)],
        )
    else:
        _mail(
            application,
            "events/application_declined",
            _l("Ihre Bewerbung: %(title)s", title=application.event.title),
        )


def applications(event: Event, status: ApplicationStatus | None = None) -> list[Application]:
    stmt = sa.select(Application).where(Application.event_id == event.id)
    if status is not None:
        stmt = stmt.where(Application.status == status)
    return list(db.session.scalars(stmt.order_by(Application.id)))


def _mail(application: Application, template: str, subject, attachments=()) -> None:
    event = application.event
    mail.queue(
        application.contact_email,
        subject,
        template,
        attachments=attachments,
        reference=f"application:{application.id}",
        application=application,
        event=event,
        event_url=mail.external_url("events.show_event", event_id=event.id),
    )
