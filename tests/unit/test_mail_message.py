import email
import email.policy
from datetime import UTC, datetime

from dialog.common.mail.message import Attachment, build_message, new_message_id

SENDER = "Zukunftsdialog <no-reply@zukunftsdialog.example>"
ICS = "BEGIN:VCALENDAR\r\nSUMMARY:Bürgerdialog in Görlitz\r\nEND:VCALENDAR\r\n".encode()


def build(**overrides):
    values = {
        "sender": SENDER,
        "to": "Jürgen Müßig <juergen@example.org>",
        "subject": "Bestätigung Ihrer Anmeldung: Bürgerdialog in Görlitz",
        "text": "Guten Tag Herr Müßig,\nbitte bestätigen: https://dialog.example/a/b\n",
        "html": "<p>Guten Tag Herr Müßig,</p>",
        "message_id": "<123.456@zukunftsdialog.example>",
        "date": datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        "attachments": [Attachment("veranstaltung-7.ics", "text/calendar", ICS)],
    }
    return build_message(**{**values, **overrides})


def wire(message) -> email.message.EmailMessage:
    """The message as a receiver parses it from the bytes sent over SMTP."""
    return email.message_from_bytes(
        message.as_bytes(policy=email.policy.SMTP), policy=email.policy.default
    )


def test_text_and_html_are_alternatives_and_the_ics_is_attached():
    received = wire(build())
    assert received.get_content_type() == "multipart/mixed"
    body, attachment = received.iter_parts()
    assert body.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in body.iter_parts()] == ["text/plain", "text/html"]
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "veranstaltung-7.ics"
    assert attachment.get_content_charset() == "utf-8"
    assert attachment.get_payload(decode=True) == ICS


def test_german_umlauts_survive_in_headers_and_bodies():
    received = wire(build())
    raw = build().as_bytes(policy=email.policy.SMTP)
    assert raw.isascii(), "headers and bodies are encoded for 7-bit transport"
    assert received["Subject"] == "Bestätigung Ihrer Anmeldung: Bürgerdialog in Görlitz"
    assert received["To"].addresses[0].display_name == "Jürgen Müßig"
    assert "Herr Müßig" in received.get_body(("plain",)).get_content()
    assert "Herr Müßig" in received.get_body(("html",)).get_content()


def test_headers_name_sender_date_and_automatic_origin():
    received = wire(build())
    assert received["From"] == SENDER
    assert received["Date"].datetime == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert received["Auto-Submitted"] == "auto-generated"


def test_message_id_is_the_stored_one_on_every_attempt():
    first, second = wire(build()), wire(build())
    assert first["Message-ID"] == second["Message-ID"] == "<123.456@zukunftsdialog.example>"


def test_new_message_ids_are_unique_in_the_senders_domain():
    ids = {new_message_id(SENDER) for _ in range(100)}
    assert len(ids) == 100
    assert all(i.startswith("<") and i.endswith("@zukunftsdialog.example>") for i in ids)


def test_without_attachments_the_message_is_just_the_alternatives():
    received = wire(build(attachments=()))
    assert received.get_content_type() == "multipart/alternative"


def test_attachment_survives_the_json_column():
    attachment = Attachment("a.ics", "text/calendar", ICS)
    assert Attachment.from_json(attachment.to_json()) == attachment


def test_reply_to_only_when_configured():
    assert wire(build())["Reply-To"] is None
    replied = wire(build(reply_to="Zukunftsdialog <kontakt@zukunftsdialog.example>"))
    assert replied["Reply-To"] == "Zukunftsdialog <kontakt@zukunftsdialog.example>"
