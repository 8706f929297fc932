"""The cost ladder of the benchmarks stops each registration where it says it does."""

from __future__ import annotations

import sqlalchemy as sa

from benchmarks.ladder_app import RUNGS, add_ladder, rung_path
from dialog.common.mail import OutboxMail
from dialog.events.models import Event, Registration
from dialog.events.rules import RegistrationStatus
from dialog.extensions import db
from tests.conftest import csrf_token
from tests.web.event_helpers import make_event


def _climb(client, rung: str, event_id: int, email: str):
    token = csrf_token(client, f"/veranstaltungen/{event_id}/anmeldung")
    data = {"csrf_token": token, "name": "Erika Muster", "email": email, "privacy_consent": "y"}
    return client.post(rung_path(rung, event_id), data=data)


def _stored(event_id: int) -> tuple[list[RegistrationStatus], int, int]:
    db.session.expire_all()
    statuses = db.session.scalars(
        sa.select(Registration.status)
        .where(Registration.event_id == event_id)
        .order_by(Registration.id)
    ).all()
    seats = db.session.get(Event, event_id).seats_taken
    mails = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail))
    return list(statuses), seats, mails


def test_each_rung_adds_its_step_and_no_more(app, client, seeded):
    add_ladder(app)
    event = make_event(capacity=1)
    seen = []
    for number, rung in enumerate(RUNGS):
        response = _climb(client, rung, event.id, f"rung{number}@example.org")
        assert response.status_code == 302, rung
        seen.append(_stored(event.id))
    waitlisted, held = RegistrationStatus.WAITLISTED, RegistrationStatus.HELD
    assert seen == [
        ([], 0, 0),  # session
        ([], 0, 0),  # rate limit
        ([], 0, 0),  # form
        ([waitlisted], 0, 0),  # insert
        ([waitlisted, waitlisted], 0, 0),  # event
        ([waitlisted, waitlisted, held], 1, 1),  # seat + mail
    ]


def test_the_rate_limit_rung_counts_against_the_real_limit(app, client, seeded):
    app.config["REGISTRATION_RATE_LIMIT"] = "2 per minute"
    add_ladder(app)
    event = make_event()
    for i in range(2):
        assert _climb(client, "rate limit", event.id, f"r{i}@example.org").status_code == 302
    token = csrf_token(client, f"/veranstaltungen/{event.id}/anmeldung")
    data = {
        "csrf_token": token,
        "name": "Erika",
        "email": "late@example.org",
        "privacy_consent": "y",
    }
    assert client.post(f"/veranstaltungen/{event.id}/anmeldung", data=data).status_code == 429


def test_an_invalid_form_is_refused_not_measured(app, client, seeded):
    add_ladder(app)
    event = make_event()
    response = _climb(client, "insert", event.id, "not an address")
    assert response.status_code == 400
    assert _stored(event.id) == ([], 0, 0)
