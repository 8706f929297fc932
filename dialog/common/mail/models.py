"""The outbox: every e-mail is a row, written in the transaction of the change that causes it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from dialog.common.clock import now_utc
from dialog.common.models import UTCDateTime, enum_column
from dialog.extensions import db


class MailStatus(StrEnum):
    PENDING = "pending"  # to be sent, now or at next_attempt_at
    SENT = "sent"  # accepted by the SMTP server (or written to the log)
    FAILED = "failed"  # refused for good (5xx); kept with last_error until forgotten


class OutboxMail(db.Model):
    """One e-mail; the worker (`flask send-mail`) delivers it.

    Most mails are rendered when queued. A mail with a `template` and no bodies is rendered by
    the worker, just before it is first sent, from what its `reference` names then (see
    `services.queue_unrendered`); the bodies are stored then and kept for every retry.
    """

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(320))  # one recipient (personal data)
    subject: Mapped[str] = mapped_column(sa.String(998))  # RFC 5322's line limit
    body_text: Mapped[str | None] = mapped_column(sa.Text)  # plain-text part; None: unrendered
    body_html: Mapped[str | None] = mapped_column(sa.Text)  # HTML part; None: unrendered
    # templates/mail/<template>.txt and .html of a mail the worker renders; None: rendered
    template: Mapped[str | None] = mapped_column(sa.String(100))
    # [{"filename", "content_type", "data" (base64)}], e.g. the .ics of a confirmation
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    # Made when queued and the same on every attempt, so that receivers can drop duplicates.
    message_id: Mapped[str] = mapped_column(sa.String(255))
    # Where a mail the person asked for can be unsubscribed in one click (List-Unsubscribe,
    # RFC 8058); None for the mails that belong to something they did (a registration).
    list_unsubscribe: Mapped[str | None] = mapped_column(sa.String(500))
    # Free text naming what caused the mail, e.g. "registration:42" (see `forget`).
    reference: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    status: Mapped[MailStatus] = mapped_column(enum_column(MailStatus), default=MailStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)  # delivery attempts so far
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)  # due from
    last_error: Mapped[str | None] = mapped_column(sa.Text)  # of the latest failed attempt
    # A worker that claimed the mail sends it before this time; others leave it alone until then.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)  # queued
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.UniqueConstraint("message_id"),
        # The worker's question: which pending mails are due?
        sa.Index("ix_mail_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    def __repr__(self) -> str:
        return f"<OutboxMail {self.id} {self.status} attempts={self.attempts}>"
