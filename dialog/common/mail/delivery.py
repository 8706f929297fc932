"""The worker's side of the outbox: claim due mails, send them over one connection, record.

Unlike services, `deliver_due` commits: each claim and each outcome is its own transaction, so
that a crash or a second worker never sends a mail twice in normal operation.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app

from dialog.common.clock import now_utc
from dialog.common.mail.message import Attachment, build_message
from dialog.common.mail.models import MailStatus, OutboxMail
from dialog.common.mail.rules import is_permanent_refusal, retry_delay
from dialog.common.mail.services import bodies
from dialog.extensions import db

logger = logging.getLogger("dialog.mail")

# How long a claim keeps other workers away. A batch stops sending at half of it, so that the
# rest of a slow batch is released before another worker could take it over.
LEASE = timedelta(minutes=10)
# Refusals of one message; the connection stays usable for the next one.
MESSAGE_REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)
# A message that cannot be sent as it is, e.g. with a line break in a header, or with a
# non-ASCII address where the server lacks SMTPUTF8: it fails alone, the outbox goes on.
UNSENDABLE = (ValueError, smtplib.SMTPNotSupportedError)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0  # failed for now, tried again later
    failed: int = 0  # refused for good
    dropped: int = 0  # unrendered, and what they were about no longer exists

    @property
    def total(self) -> int:
        return self.sent + self.retried + self.failed + self.dropped

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            self.sent + other.sent,
            self.retried + other.retried,
            self.failed + other.failed,
            self.dropped + other.dropped,
        )


def deliver_due(limit: int = 100) -> DeliveryReport:
    """Send up to `limit` due mails over one connection and record each outcome."""
    report = DeliveryReport()
    now = now_utc()
    claimed = _claim(limit, now)
    db.session.commit()  # the claim is visible to other workers before anything is sent
    if not claimed:
        return report
    sender = current_app.config["MAIL_SENDER"], current_app.config["MAIL_REPLY_TO"]
    stop_at = now + LEASE / 2
    unsent = list(reversed(claimed))  # popped from the end: oldest first
    try:
        with _connection() as send:
            while unsent and now_utc() < stop_at:
                mail = unsent[-1]
                try:
                    rendered = _bodies(mail)
                except Exception as error:  # a template that fails fails its mail alone
                    logger.exception("Mail %s cannot be rendered", mail.id)
                    _fail(mail, error)
                    report.failed += 1
                    rendered = None
                else:
                    if rendered is None:
                        report.dropped += 1
                if rendered is None:
                    db.session.commit()
                    unsent.pop()
                    continue
                try:
                    send(_message(mail, sender, *rendered))
                except MESSAGE_REFUSALS as error:
                    if _is_final(error):
                        _fail(mail, error)
                        report.failed += 1
                    else:
                        _retry_later(mail, error)
                        report.retried += 1
                except UNSENDABLE as error:
                    _fail(mail, error)
                    report.failed += 1
                else:
                    _update(
                        mail.id,
                        status=MailStatus.SENT,
                        attempts=mail.attempts + 1,
                        sent_at=now_utc(),
                        last_error=None,
                        lease_until=None,
                    )
                    report.sent += 1
                db.session.commit()
                unsent.pop()
    except (OSError, smtplib.SMTPException) as error:
        # No connection, or it broke: the server is down or misconfigured. Nothing is lost;
        # every mail of the batch not yet sent waits for its next attempt.
        for mail in unsent:
            _retry_later(mail, error)
        report.retried += len(unsent)
        unsent.clear()
    for mail in unsent:  # the batch ran out of time: due again at once for any worker
        _update(mail.id, lease_until=None)
    db.session.commit()
    return report


def _claim(limit: int, now: datetime) -> list[sa.Row]:
    """Lease up to `limit` due mails to this worker; their columns, oldest first.

    One conditional UPDATE: a row another worker has claimed in the meantime no longer
    matches the condition, on SQLite (one writer at a time) as on PostgreSQL (the condition is
    checked again on the row once the other transaction has committed).
    """
    due = sa.and_(
        OutboxMail.status == MailStatus.PENDING,
        OutboxMail.next_attempt_at <= now,
        sa.or_(OutboxMail.lease_until.is_(None), OutboxMail.lease_until < now),
    )
    candidates = (
        sa.select(OutboxMail.id)
        .where(due)
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(limit)
    )
    claimed = db.session.scalars(
        sa.update(OutboxMail)
        .where(OutboxMail.id.in_(candidates.scalar_subquery()), due)
        .values(lease_until=now + LEASE)
        .returning(OutboxMail.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return []
    # Plain rows, not model instances: they stay readable after the commits that follow.
    stmt = (
        sa.select(*OutboxMail.__table__.columns)
        .where(OutboxMail.id.in_(claimed))
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
    )
    return list(db.session.execute(stmt))


def _bodies(mail: sa.Row) -> tuple[str, str] | None:
    """The mail's bodies; an unrendered mail is rendered and stored now, once for all retries.

    None, and the mail is deleted, when what it was about no longer exists (a registration
    cancelled or deleted before its first mail went out): there is nothing left to tell.
    """
    if mail.body_text is not None:
        return mail.body_text, mail.body_html
    rendered = bodies(mail)
    if rendered is None:
        logger.info("Mail %s dropped: %s no longer exists", mail.id, mail.reference)
        db.session.execute(sa.delete(OutboxMail).where(OutboxMail.id == mail.id))
        return None
    _update(mail.id, body_text=rendered[0], body_html=rendered[1])
    return rendered


def _message(mail: sa.Row, sender: tuple[str, str], text: str, html: str) -> EmailMessage:
    return build_message(
        sender=sender[0],
        reply_to=sender[1],
        to=mail.to_address,
        subject=mail.subject,
        text=text,
        html=html,
        message_id=mail.message_id,
        date=mail.created_at,
        attachments=[Attachment.from_json(a) for a in mail.attachments],
        list_unsubscribe=mail.list_unsubscribe,
    )


def _is_final(error: smtplib.SMTPException) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
    elif isinstance(error, smtplib.SMTPDataError):
        codes = [error.smtp_code]
    else:  # the sender address was refused: our configuration, not this mail, is at fault
        codes = []
    return bool(codes) and all(is_permanent_refusal(code) for code in codes)


def _fail(mail: sa.Row, error: Exception) -> None:
    logger.error("Mail %s cannot be delivered: %s", mail.id, _describe(error))
    _update(
        mail.id,
        status=MailStatus.FAILED,
        attempts=mail.attempts + 1,
        last_error=_describe(error),
        lease_until=None,
    )


def _retry_later(mail: sa.Row, error: Exception) -> None:
    attempts = mail.attempts + 1
    next_attempt_at = now_utc() + retry_delay(attempts)
    logger.warning(
        "Mail %s not sent (attempt %d), next attempt at %s: %s",
        mail.id,
        attempts,
        next_attempt_at.isoformat(timespec="seconds"),
        _describe(error),
    )
    _update(
        mail.id,
        attempts=attempts,
        next_attempt_at=next_attempt_at,
        last_error=_describe(error),
        lease_until=None,
    )


def _update(mail_id: int, **values) -> None:
    db.session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.id == mail_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {reply.decode(errors='replace')}" for code, reply in error.recipients.values()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}"
    return f"{type(error).__name__}: {error}"


@contextmanager
def _connection() -> Iterator[Callable[[EmailMessage], object]]:
    """A function that sends one message, over one connection for the whole batch."""
    config = current_app.config
    if config["MAIL_BACKEND"] == "log":
        yield _log
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    options = {"context": ssl.create_default_context()} if config["MAIL_USE_SSL"] else {}
    with smtp_class(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"], **options
    ) as smtp:
        if config["MAIL_USE_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        yield smtp.send_message


def _log(message: EmailMessage) -> None:
    """The development backend: the message, decoded for reading, in the log."""
    lines = [f"{name}: {value}" for name, value in message.items() if name != "Content-Type"]
    for part in message.walk():
        if part.is_attachment():
            lines.append(f"\n[attachment {part.get_filename()} ({part.get_content_type()})]")
        elif not part.is_multipart():
            lines += ["", part.get_content()]
    logger.info("Mail (MAIL_BACKEND=log), not sent:\n%s", "\n".join(lines))
