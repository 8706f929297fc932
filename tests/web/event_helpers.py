"""Factories and helpers for the events tests."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from dialog.common.clock import now_utc
from dialog.common.regions import Bundesland
from dialog.events.models import Event, Registration
from dialog.events.rules import EventKind, EventStatus, RegistrationStatus
from dialog.extensions import db
from dialog.process.models import Process
from tests.conftest import csrf_token

LINK = re.compile(r"https?://[^\s\"<>]+")


def make_event(**overrides) -> Event:
    """A published Hin.Gehört event in ten days with 3 seats (after `seeded`)."""
    process = db.session.scalar(sa.select(Process).order_by(Process.id))
    starts = now_utc().replace(microsecond=0) + timedelta(days=10)
    values = {
        "process_id": process.id,
        "kind": EventKind.CITIZEN_DIALOGUE,
        "status": EventStatus.PUBLISHED,
        "title": "Hin.Gehört. in Teststadt",
        "city": "Teststadt",
        "bundesland": Bundesland.HE,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        "capacity": 3,
        "seats_taken": 0,
        **overrides,
    }
    themes = values.pop("theme_fields", list(process.theme_fields[:2]))
    event = Event(**values)
    event.theme_fields = themes
    db.session.add(event)
    db.session.commit()
    return event


def without_demo_events() -> None:
    """Remove the seeded demo events, for tests that count what the calendar shows."""
    db.session.execute(sa.delete(Event))
    db.session.commit()


def register(client, event_id: int, email: str, name: str = "Erika Muster", **extra):
    url = f"/veranstaltungen/{event_id}/anmeldung"
    data = {
        "csrf_token": csrf_token(client, url),
        "name": name,
        "email": email,
        "privacy_consent": "y",
        **extra,
    }
    return client.post(url, data={k: v for k, v in data.items() if v is not None})


def registrations(event_id: int) -> list[Registration]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.event_id == event_id)
            .order_by(Registration.id)
        )
    )


def statuses(event_id: int) -> list[RegistrationStatus]:
    return [r.status for r in registrations(event_id)]


def seats_taken(event_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Event, event_id).seats_taken


def assert_seats_consistent(event_id: int) -> None:
    """The seat counter equals the held and confirmed registrations, within capacity, and
    nobody waits while a seat is free."""
    event = db.session.get(Event, event_id)
    db.session.refresh(event)
    regs = registrations(event_id)
    holding = sum(1 for r in regs if r.status.holds_seat)
    waiting = sum(1 for r in regs if r.status == RegistrationStatus.WAITLISTED)
    assert event.seats_taken == holding
    assert holding <= event.capacity
    assert waiting == 0 or holding == event.capacity


def mails_to(address: str):
    """The outbox mails to `address`, oldest first."""
    from dialog.common.mail.models import OutboxMail

    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(OutboxMail).where(OutboxMail.to_address == address).order_by(OutboxMail.id)
        )
    )


def text_of(mail) -> str:
    """The plain text of `mail` as it goes out (rendered now if the worker has not yet)."""
    from dialog.common.mail import bodies

    rendered = bodies(mail)
    assert rendered is not None, f"mail {mail.id} has nothing left to render"
    return rendered[0]


def link_in(mail, part: str) -> str:
    """The first link in `mail`'s text whose path contains `part`, as a path for the client."""
    text = text_of(mail)
    for url in LINK.findall(text):
        if part in url:
            return "/" + url.split("/", 3)[3]
    raise AssertionError(f"no link containing {part!r} in: {text}")
