"""A registration wave while the mail server is down: every mail queued is delivered once.

The registrations go through the HTTP app, the worker is the real `flask send-mail`, the mail
server a real SMTP server on loopback (the `smtp_server` fixture), stopped and started again.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from dialog.common.mail import MailStatus, OutboxMail
from dialog.events.rules import RegistrationStatus
from dialog.extensions import db
from tests.web.event_helpers import assert_seats_consistent, make_event, register, registrations

PEOPLE = 30
SEATS = 8


def outbox() -> list[OutboxMail]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)))


def send_mail(runner) -> str:
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_registration_wave_during_a_mail_outage_loses_no_mail_and_sends_none_twice(
    app, client, runner, seeded, smtp_server, frozen_clock
):
    t0 = datetime.now(UTC).replace(microsecond=0)
    frozen_clock(t0)
    event_id = make_event(capacity=SEATS).id
    smtp_server.stop()

    addresses = [f"person{i:02d}@example.org" for i in range(PEOPLE)]
    for address in addresses:
        assert register(client, event_id, address).status_code == 302
    regs = registrations(event_id)
    assert Counter(r.status for r in regs) == {
        RegistrationStatus.HELD: SEATS,
        RegistrationStatus.WAITLISTED: PEOPLE - SEATS,
    }
    assert_seats_consistent(event_id)
    queued = outbox()
    assert sorted(m.to_address for m in queued) == addresses, "one mail per registration"

    # The worker runs during the outage, twice: every mail waits for the next attempt.
    assert f"Mail: 0 sent, {PEOPLE} to retry, 0 failed" in send_mail(runner)
    frozen_clock(t0 + timedelta(minutes=1))
    assert f"Mail: 0 sent, {PEOPLE} to retry, 0 failed" in send_mail(runner)
    assert {(m.status, m.attempts) for m in outbox()} == {(MailStatus.PENDING, 2)}
    assert smtp_server.messages == []

    smtp_server.start()
    frozen_clock(t0 + timedelta(minutes=3))
    assert f"Mail: {PEOPLE} sent, 0 to retry, 0 failed" in send_mail(runner)
    frozen_clock(t0 + timedelta(hours=2))
    assert "Mail: 0 sent, 0 to retry, 0 failed" in send_mail(runner)

    received = smtp_server.wait_for(PEOPLE)
    assert len(received) == len(queued) == PEOPLE, "mails sent == mails queued"
    assert sorted(m["Message-ID"] for m in received) == sorted(m.message_id for m in queued)
    assert Counter(m["To"] for m in received) == Counter({address: 1 for address in addresses}), (
        "each person gets exactly one mail"
    )
    assert {(m.status, m.attempts) for m in outbox()} == {(MailStatus.SENT, 3)}
