"""The outbox: queued in the transaction, delivered to a real SMTP server, nothing lost."""

from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import session
from flask_babel import get_locale
from jinja2 import ChoiceLoader, DictLoader

from dialog.common import mail
from dialog.common.mail import MailStatus, OutboxMail, delivery
from dialog.extensions import db

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

TEMPLATES = {
    "mail/test/greeting.txt": (
        "Guten Tag {{ name }},\n\n{{ _('Abmelden') }}: {{ link }}\n\nViele Grüße\n"
    ),
    "mail/test/greeting.html": (
        '{% extends "mail/base.html" %}{% block content %}<p>Guten Tag {{ name }},</p>'
        "<p><a href=\"{{ link }}\">{{ _('Abmelden') }}</a></p>{% endblock %}"
    ),
}


@pytest.fixture(autouse=True)
def mail_templates(app):
    """Test mail templates next to the real ones; their HTML extends the real mail/base.html."""
    app.jinja_env.loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_env.loader])


def queue(to="person@example.org", *, name="Jürgen Müßig", reference=None, **context):
    context.setdefault("link", "https://dialog.example.org/x")
    return mail.queue(
        to, "Größe und Übersicht", "test/greeting", reference=reference, name=name, **context
    )


def stored(mail_id: int) -> OutboxMail:
    db.session.expire_all()
    return db.session.get(OutboxMail, mail_id)


def all_mails() -> list[OutboxMail]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)))


# --- queueing -------------------------------------------------------------------------------


def test_queue_renders_german_text_and_escaped_html_even_in_an_english_request(app):
    with app.test_request_context("/"):
        session["lang"] = "en"
        assert str(get_locale()) == "en_GB"
        queued = queue(name="<b>Jürgen</b>")
        assert str(get_locale()) == "en_GB", "the page's language is back after queueing"
    db.session.commit()
    row = stored(queued.id)
    assert "Abmelden: https://dialog.example.org/x" in row.body_text  # not "Log out"
    assert "Guten Tag <b>Jürgen</b>," in row.body_text
    assert "Guten Tag &lt;b&gt;Jürgen&lt;/b&gt;," in row.body_html
    assert '<html lang="de">' in row.body_html
    assert "automatisch versandte Nachricht des Zukunftsdialogs" in row.body_html
    assert (row.status, row.attempts, row.to_address) == (
        MailStatus.PENDING,
        0,
        "person@example.org",
    )
    assert row.message_id.endswith("@zukunftsdialog.example>")


def test_the_subject_is_one_line(app):
    queued = mail.queue("a@example.org", "Ihre Anmeldung:\n  Bürgerdialog\r\n", "test/greeting")
    assert queued.subject == "Ihre Anmeldung: Bürgerdialog"


def test_a_rolled_back_change_sends_no_mail(app, smtp_server):
    queue()
    db.session.rollback()
    assert mail.deliver_due().total == 0
    assert all_mails() == []
    assert smtp_server.messages == []


def test_external_url_uses_the_public_address_inside_and_outside_requests(app):
    app.config["PUBLIC_URL"] = "https://dialog.example.org/beteiligung"
    expected = "https://dialog.example.org/beteiligung/seite/impressum"
    assert mail.external_url("pages.show_page", slug="impressum") == expected
    with app.test_request_context("/", base_url="http://internal:8000"):
        assert mail.external_url("pages.show_page", slug="impressum") == expected
    app.config["PUBLIC_URL"] = "http://127.0.0.1:5000"
    assert mail.external_url("process.home") == "http://127.0.0.1:5000/"


# --- delivery -------------------------------------------------------------------------------


def test_delivered_mail_arrives_intact_and_its_link_works(app, client, seeded, smtp_server):
    attachment = mail.Attachment("termin.ics", "text/calendar", "SUMMARY:Görlitz".encode())
    link = mail.external_url("pages.show_page", slug="impressum")
    queued = queue("Jürgen Müßig <juergen@example.org>", link=link, attachments=[attachment])
    db.session.commit()

    report = mail.deliver_due()

    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == "Größe und Übersicht"
    assert message["To"].addresses[0].addr_spec == "juergen@example.org"
    assert message["From"] == app.config["MAIL_SENDER"]
    assert message["Message-ID"] == queued.message_id
    assert message["Auto-Submitted"] == "auto-generated"
    assert "Guten Tag Jürgen Müßig," in message.get_body(("plain",)).get_content()
    assert "Guten Tag Jürgen Müßig," in message.get_body(("html",)).get_content()
    [ics] = message.iter_attachments()
    assert ics.get_payload(decode=True) == "SUMMARY:Görlitz".encode()
    [url] = smtp_server.links(message)
    assert url == link
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200
    assert "Impressum" in response.get_data(as_text=True)

    row = stored(queued.id)
    assert (row.status, row.attempts, row.lease_until) == (MailStatus.SENT, 1, None)
    assert row.sent_at is not None
    assert mail.deliver_due().total == 0, "a sent mail is not sent again"
    assert len(smtp_server.messages) == 1


def test_one_connection_per_batch_and_a_refused_recipient_fails_alone(app, smtp_server, caplog):
    smtp_server.refuse("unbekannt@example.org")
    first = queue("a@example.org")
    refused = queue("unbekannt@example.org")
    last = queue("b@example.org")
    db.session.commit()

    report = mail.deliver_due()

    assert (report.sent, report.retried, report.failed) == (2, 0, 1)
    received = smtp_server.wait_for(2)
    assert [m["To"] for m in received] == ["a@example.org", "b@example.org"]
    assert smtp_server.connections == 1
    row = stored(refused.id)
    assert row.status == MailStatus.FAILED
    assert row.last_error.startswith("550 ")
    assert row.attempts == 1
    assert stored(first.id).status == stored(last.id).status == MailStatus.SENT
    assert f"Mail {refused.id} cannot be delivered: 550 " in caplog.text
    assert mail.deliver_due().total == 0, "a failed mail is not tried again by itself"


def test_a_mail_no_server_would_take_fails_without_holding_up_the_others(app, smtp_server):
    header_injection = queue("a@example.org\nBcc: b@example.org")
    non_ascii = queue("jürgen@müller.example")  # the test server offers no SMTPUTF8
    good = queue("c@example.org", name="Zeilen\numbruch")
    db.session.commit()

    assert (mail.deliver_due().sent, mail.deliver_due().total) == (1, 0)

    assert [m["To"] for m in smtp_server.wait_for(1)] == ["c@example.org"]
    assert stored(header_injection.id).last_error.startswith("ValueError: ")
    assert stored(non_ascii.id).last_error.startswith("SMTPNotSupportedError: ")
    assert {stored(header_injection.id).status, stored(non_ascii.id).status} == {MailStatus.FAILED}
    assert stored(good.id).status == MailStatus.SENT


def test_a_temporary_refusal_is_retried_later(app, smtp_server, frozen_clock):
    frozen_clock(T0)
    smtp_server.refuse("voll@example.org", "452 4.2.2 Postfach voll")
    queued = queue("voll@example.org")
    db.session.commit()

    assert mail.deliver_due().retried == 1
    row = stored(queued.id)
    assert (row.status, row.attempts) == (MailStatus.PENDING, 1)
    assert row.next_attempt_at == T0 + timedelta(minutes=1)
    assert row.last_error.startswith("452 ")

    del smtp_server.replies["voll@example.org"]
    frozen_clock(T0 + timedelta(minutes=1))
    assert mail.deliver_due().sent == 1
    assert len(smtp_server.wait_for(1)) == 1


def test_nothing_is_lost_while_the_server_is_down(app, smtp_server, frozen_clock, caplog):
    frozen_clock(T0)
    queued = [queue(f"p{i}@example.org") for i in range(3)]
    db.session.commit()
    smtp_server.stop()

    report = mail.deliver_due()

    assert (report.sent, report.retried, report.failed) == (0, 3, 0)
    for row in all_mails():
        assert (row.status, row.attempts, row.lease_until) == (MailStatus.PENDING, 1, None)
        assert row.next_attempt_at == T0 + timedelta(minutes=1)
        assert "ConnectionRefusedError" in row.last_error
    assert "not sent (attempt 1)" in caplog.text
    assert mail.deliver_due().total == 0, "nothing is due before the back-off has passed"

    frozen_clock(T0 + timedelta(minutes=1))
    assert mail.deliver_due().retried == 3
    assert {row.attempts for row in all_mails()} == {2}
    assert {row.next_attempt_at for row in all_mails()} == {T0 + timedelta(minutes=3)}

    smtp_server.start()
    frozen_clock(T0 + timedelta(minutes=3))
    assert mail.deliver_due().sent == 3
    assert mail.deliver_due().total == 0
    received = smtp_server.wait_for(3)
    assert sorted(m["Message-ID"] for m in received) == sorted(q.message_id for q in queued)
    assert {(row.status, row.attempts) for row in all_mails()} == {(MailStatus.SENT, 3)}


def test_two_workers_at_once_send_every_mail_exactly_once(app, smtp_server):
    count = 40
    message_ids = [queue(f"p{i}@example.org").message_id for i in range(count)]
    db.session.commit()
    start = threading.Barrier(2)
    reports: list[mail.DeliveryReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with app.app_context():  # its own session and connection, as in another process
                start.wait()
                while (report := mail.deliver_due(limit=3)).total:
                    reports.append(report)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(r.sent for r in reports) == count
    received = smtp_server.wait_for(count)
    assert sorted(m["Message-ID"] for m in received) == sorted(message_ids)
    assert {(row.status, row.attempts) for row in all_mails()} == {(MailStatus.SENT, 1)}


def test_a_worker_waits_for_a_claim_in_progress_and_leaves_its_mails_alone(
    app, smtp_server, monkeypatch
):
    """The race in slow motion: the second claim runs while the first is not yet committed."""
    for i in range(3):
        queue(f"p{i}@example.org")
    db.session.commit()
    first_claim_open, release = threading.Event(), threading.Event()
    build_message = delivery.build_message

    def slow_build_message(**values):
        if threading.current_thread().name == "first":
            first_claim_open.set()
            release.wait(5)
        return build_message(**values)

    monkeypatch.setattr(delivery, "build_message", slow_build_message)
    reports: dict[str, mail.DeliveryReport] = {}

    def worker() -> None:
        with app.app_context():
            reports[threading.current_thread().name] = mail.deliver_due()

    first = threading.Thread(target=worker, name="first")
    second = threading.Thread(target=worker, name="second")
    first.start()
    assert first_claim_open.wait(5)
    second.start()
    time.sleep(0.3)  # the second claim now waits for the first worker's transaction
    release.set()
    first.join(10)
    second.join(10)

    assert (reports["first"].sent, reports["second"].total) == (3, 0)
    assert len(smtp_server.wait_for(3)) == 3


def test_a_mail_claimed_by_another_worker_is_left_alone(app, smtp_server, frozen_clock):
    frozen_clock(T0)
    queued = queue()
    db.session.commit()
    queued.lease_until = T0 + timedelta(minutes=5)  # a worker is sending it right now
    db.session.commit()
    assert mail.deliver_due().total == 0
    frozen_clock(T0 + timedelta(minutes=6))  # that worker died: its lease has run out
    assert mail.deliver_due().sent == 1


def test_a_slow_batch_stops_before_its_lease_runs_out_and_releases_the_rest(
    app, smtp_server, monkeypatch
):
    lease = delivery.LEASE
    monkeypatch.setattr(delivery, "LEASE", timedelta(milliseconds=100))  # stops after 50 ms
    smtp_server.delay = 0.1
    for i in range(3):
        queue(f"p{i}@example.org")
    db.session.commit()

    report = mail.deliver_due()

    assert report.sent <= 1 and report.retried == report.failed == 0
    released = [row for row in all_mails() if row.status == MailStatus.PENDING]
    assert len(released) == 3 - report.sent
    assert {(row.attempts, row.lease_until) for row in released} == {(0, None)}
    smtp_server.delay = 0
    monkeypatch.setattr(delivery, "LEASE", lease)
    assert mail.deliver_due().sent == len(released), "released mails are due at once"


def test_log_backend_writes_the_mail_to_the_log_and_marks_it_sent(app, caplog):
    app.config["MAIL_BACKEND"] = "log"
    queued = queue("log@example.org")
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="dialog.mail"):
        assert mail.deliver_due().sent == 1
    assert "To: log@example.org" in caplog.text
    assert "Subject: Größe und Übersicht" in caplog.text
    assert "Guten Tag Jürgen Müßig," in caplog.text
    assert queued.message_id in caplog.text
    assert stored(queued.id).status == MailStatus.SENT


def test_sending_without_the_smtp_server_fixture_fails_the_test(app):
    queue()
    db.session.commit()
    with pytest.raises(pytest.fail.Exception, match="smtp_server"):
        mail.deliver_due()


# --- personal data --------------------------------------------------------------------------


def make_mail(status: MailStatus, created_at: datetime, reference: str | None = None):
    row = queue(reference=reference)
    row.status, row.created_at = status, created_at
    return row


def test_purge_sent_deletes_only_old_sent_mails(app):
    make_mail(MailStatus.SENT, T0 - timedelta(days=31))
    kept = [
        make_mail(MailStatus.SENT, T0 - timedelta(days=29)),
        make_mail(MailStatus.PENDING, T0 - timedelta(days=31)),
        make_mail(MailStatus.FAILED, T0 - timedelta(days=31)),
    ]
    db.session.commit()
    kept_ids = {row.id for row in kept}
    assert mail.purge_sent(T0 - timedelta(days=30)) == 1
    db.session.commit()
    assert {row.id for row in all_mails()} == kept_ids


def test_forget_deletes_sent_and_failed_mails_of_a_reference_but_not_pending_ones(app):
    make_mail(MailStatus.SENT, T0, "registration:1")
    make_mail(MailStatus.FAILED, T0, "registration:1")
    kept = [
        make_mail(MailStatus.PENDING, T0, "registration:1"),
        make_mail(MailStatus.SENT, T0, "registration:2"),
    ]
    db.session.commit()
    kept_ids = {row.id for row in kept}
    assert mail.forget("registration:1") == 2
    db.session.commit()
    assert {row.id for row in all_mails()} == kept_ids


# --- the command ----------------------------------------------------------------------------


def test_send_mail_command_sends_and_purges_old_sent_mails(app, runner, smtp_server):
    queue("a@example.org")
    queue("b@example.org")
    make_mail(MailStatus.SENT, datetime.now(UTC) - timedelta(days=31))
    db.session.commit()

    result = runner.invoke(args=["send-mail"])

    assert result.exit_code == 0, result.output
    assert "Mail: 2 sent, 0 to retry, 0 failed; 1 old sent mails deleted." in result.output
    assert len(smtp_server.wait_for(2)) == 2
    assert [row.status for row in all_mails()] == [MailStatus.SENT, MailStatus.SENT]


def test_send_mail_command_sends_more_than_one_batch(app, runner, smtp_server, monkeypatch):
    monkeypatch.setattr("dialog.cli.MAIL_BATCH", 2)
    for i in range(5):
        queue(f"p{i}@example.org")
    db.session.commit()
    result = runner.invoke(args=["send-mail"])
    assert "Mail: 5 sent" in result.output
    assert len(smtp_server.wait_for(5)) == 5


def test_send_mail_loop_stops_cleanly_on_ctrl_c(app, runner, smtp_server, monkeypatch):
    queue()
    db.session.commit()
    deliver_due = mail.deliver_due

    def deliver_then_interrupt(limit: int) -> mail.DeliveryReport:
        report = deliver_due(limit)
        signal.raise_signal(signal.SIGINT)  # as if Ctrl-C were pressed during the batch
        return report

    monkeypatch.setattr(mail, "deliver_due", deliver_then_interrupt)
    previous_handler = signal.getsignal(signal.SIGINT)

    result = runner.invoke(args=["send-mail", "--loop", "--interval", "60"])

    assert result.exit_code == 0, result.output
    assert "Mail: 1 sent" in result.output
    assert result.output.rstrip().endswith("Stopped.")
    assert signal.getsignal(signal.SIGINT) is previous_handler
    assert len(smtp_server.wait_for(1)) == 1


def test_mail_text_is_german_without_touching_the_english_site(app, client):
    """Mails skip the catalogue (German is the source language); the site keeps its English."""
    from flask_babel import force_locale

    from dialog.common.mail.services import _mail_environment

    env = _mail_environment(app)
    template = env.from_string(
        "{{ _('Veranstaltung') }}: {{ _('%(n)s <b>x</b>', n='<i>') }} "
        "{{ ngettext('%(num)s Platz', '%(num)s Plätze', 1) }}/"
        "{{ ngettext('%(num)s Platz', '%(num)s Plätze', 3) }}"
    )
    with app.test_request_context(), force_locale("en"):
        assert template.render() == "Veranstaltung: &lt;i&gt; <b>x</b> 1 Platz/3 Plätze"
        english = app.jinja_env.from_string("{{ _('Veranstaltung') }}").render()
    assert english == "Event"
