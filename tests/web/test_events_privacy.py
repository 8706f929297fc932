"""Personal data of events end: support needs after the event, everything after the retention."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from dialog.common.clock import now_utc
from dialog.events.models import Registration
from dialog.events.rules import RegistrationStatus
from dialog.extensions import db
from tests.web.event_helpers import make_event, register, registrations


def test_flask_purge_deletes_personal_data_and_keeps_the_counts(
    app, client, runner, seeded, frozen_clock
):
    event = make_event(capacity=1)
    register(client, event.id, "a@example.org", support_needs="Rollstuhl", bundesland="DE-HE")
    register(client, event.id, "b@example.org", support_needs="Dolmetschung", bundesland="DE-BY")
    later = make_event(
        title="Später",
        starts_at=now_utc() + timedelta(days=100),
        ends_at=now_utc() + timedelta(days=100, hours=2),
    )
    register(client, later.id, "c@example.org", support_needs="Induktionsschleife")

    # The day after the event: support needs go, everything else stays for now.
    frozen_clock(event.ends_at + timedelta(days=1))
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "support needs of 2 registrations" in result.output
    a, b = registrations(event.id)
    assert (a.support_needs, b.support_needs) == (None, None)
    assert a.email == "a@example.org"
    assert registrations(later.id)[0].support_needs == "Induktionsschleife"

    # After the retention period: names and addresses go; status and Bundesland stay.
    days = app.config["EVENT_DATA_RETENTION_DAYS"]
    frozen_clock(event.ends_at + timedelta(days=days, hours=1))
    result = runner.invoke(args=["purge"])
    assert "personal data of 2 registrations" in result.output
    a, b = registrations(event.id)
    assert (a.name, a.email, a.organisation, a.token_hash) == (None, None, None, None)
    assert [(r.status, r.bundesland.value) for r in (a, b)] == [
        (RegistrationStatus.HELD, "DE-HE"),
        (RegistrationStatus.WAITLISTED, "DE-BY"),
    ]
    assert registrations(later.id)[0].email == "c@example.org"
    # Running it again changes nothing.
    assert "personal data of 0 registrations" in runner.invoke(args=["purge"]).output


def test_flask_expire_holds(app, client, runner, seeded, frozen_clock):
    event = make_event(capacity=1)
    register(client, event.id, "slow@example.org")
    register(client, event.id, "next@example.org")
    frozen_clock(now_utc() + timedelta(hours=app.config["REGISTRATION_HOLD_HOURS"] + 1))
    result = runner.invoke(args=["expire-holds"])
    assert result.exit_code == 0, result.output
    assert "Expired holds: 1." in result.output
    assert [r.status for r in registrations(event.id)] == [
        RegistrationStatus.EXPIRED,
        RegistrationStatus.HELD,
    ]
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(Registration).where(Registration.email.is_(None))
    )
    assert count == 1
