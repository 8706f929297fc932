"""The outbox page of the staff area: admins see what is stuck and make it due again."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from dialog.common.audit import AuditEntry
from dialog.common.clock import now_utc
from dialog.common.mail import MailStatus, OutboxMail
from dialog.common.permissions import Role
from dialog.extensions import db
from tests.conftest import post_form

URL = "/staff/postausgang"
RETRY_URL = "/staff/postausgang/erneut-versuchen"


def add_mail(to: str, status: MailStatus, age: timedelta, **values) -> OutboxMail:
    created = now_utc() - age
    values.setdefault("next_attempt_at", created)
    row = OutboxMail(
        to_address=to,
        subject="Ihre Anmeldung",
        body_text="Geheimer Inhalt der E-Mail",
        body_html="<p>Geheimer Inhalt der E-Mail</p>",
        attachments=[],
        message_id=f"<{to}@zukunftsdialog.example>",
        status=status,
        created_at=created,
        **values,
    )
    db.session.add(row)
    return row


@pytest.fixture
def outbox(app):
    rows = {
        "failed": add_mail(
            "abgelehnt@example.org",
            MailStatus.FAILED,
            timedelta(hours=2),
            attempts=1,
            last_error="550 5.1.1 Mailbox unavailable",
        ),
        "stuck": add_mail(
            "wartet@example.org",
            MailStatus.PENDING,
            timedelta(hours=1),
            attempts=4,
            next_attempt_at=now_utc() + timedelta(minutes=30),  # waits for its back-off
            last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        ),
        "fresh": add_mail("frisch@example.org", MailStatus.PENDING, timedelta(minutes=1)),
        "due": add_mail("faellig@example.org", MailStatus.PENDING, timedelta(minutes=20)),
        "sent": add_mail("gesendet@example.org", MailStatus.SENT, timedelta(hours=3)),
        "leased": add_mail(
            "in-arbeit@example.org",
            MailStatus.PENDING,
            timedelta(minutes=2),
            next_attempt_at=now_utc() + timedelta(minutes=1),
            lease_until=now_utc() + timedelta(minutes=5),
        ),
    }
    db.session.commit()
    return {name: row.id for name, row in rows.items()}


def test_anonymous_visitors_are_sent_to_login(client, outbox):
    for response in (client.get(URL), post_form(client, RETRY_URL, {}, form_url="/anmelden")):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/anmelden?next=")
    db.session.expire_all()
    assert db.session.get(OutboxMail, outbox["failed"]).status == MailStatus.FAILED


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ANALYST])
def test_other_roles_may_neither_see_nor_retry(client, outbox, make_user, login, role):
    login(make_user(role))
    assert client.get(URL).status_code == 403
    assert post_form(client, RETRY_URL, {}, form_url="/staff/").status_code == 403
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "outbox.retry")
        )
        == 0
    )


def test_admin_sees_counts_and_stuck_mails_but_no_content(client, outbox, make_user, login):
    login(make_user(Role.ADMIN))
    assert "/staff/postausgang" in client.get("/staff/").get_data(as_text=True)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<dt>wartet auf Versand</dt><dd>4</dd>" in html
    assert "<dt>versendet</dt><dd>1</dd>" in html
    assert "<dt>endgültig fehlgeschlagen</dt><dd>1</dd>" in html
    assert "abgelehnt@example.org" in html and "550 5.1.1 Mailbox unavailable" in html
    assert "wartet@example.org" in html and "Connection refused" in html
    assert "faellig@example.org" in html, "pending for 20 minutes"
    assert "frisch@example.org" not in html, "a mail queued a minute ago is not stuck"
    assert "gesendet@example.org" not in html
    assert "Geheimer Inhalt" not in html
    assert '<th scope="col">' in html


def test_retry_makes_failed_and_waiting_mails_due_now_and_is_audited(
    client, outbox, make_user, login
):
    admin = make_user(Role.ADMIN)
    login(admin)
    before = now_utc()

    response = post_form(client, RETRY_URL, {}, form_url=URL, follow_redirects=True)

    assert response.status_code == 200
    # The failed mail and the two waiting for a later attempt; the others were due already.
    assert "3 E-Mails werden beim nächsten Durchlauf" in response.get_data(as_text=True)
    db.session.expire_all()
    rows = {name: db.session.get(OutboxMail, mail_id) for name, mail_id in outbox.items()}
    for name in ("failed", "stuck", "leased"):
        assert rows[name].status == MailStatus.PENDING, name
        assert rows[name].next_attempt_at <= now_utc(), name
        assert rows[name].next_attempt_at >= before - timedelta(seconds=1), name
    assert rows["sent"].status == MailStatus.SENT
    assert rows["leased"].lease_until > now_utc(), "a mail being sent keeps its worker's lease"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "outbox.retry"))
    assert (entry.actor_id, entry.changes) == (admin.id, {"count": [None, 3]})
    log = client.get("/staff/protokoll").get_data(as_text=True)
    assert "E-Mails zum erneuten Versand freigegeben" in log


def test_retry_needs_the_csrf_token(client, outbox, make_user, login):
    login(make_user(Role.ADMIN))
    assert client.post(RETRY_URL).status_code == 400
    db.session.expire_all()
    assert db.session.get(OutboxMail, outbox["failed"]).status == MailStatus.FAILED
