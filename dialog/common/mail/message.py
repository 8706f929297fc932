"""The MIME message of an outbox mail: German text and HTML as alternatives, attachments."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar"; text is sent as UTF-8
    data: bytes

    def to_json(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "data": base64.b64encode(self.data).decode("ascii"),
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Attachment:
        return cls(value["filename"], value["content_type"], base64.b64decode(value["data"]))


def new_message_id(sender: str) -> str:
    """A unique Message-ID in the sender's domain (no DNS lookup of this host's name)."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def build_message(
    *,
    sender: str,
    to: str,
    reply_to: str = "",
    subject: str,
    text: str,
    html: str,
    message_id: str,
    date: datetime,
    attachments: Sequence[Attachment] = (),
    list_unsubscribe: str | None = None,
) -> EmailMessage:
    """multipart/alternative (text, HTML), inside multipart/mixed when there are attachments."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if reply_to:
        # The sender is a no-reply address; answers to "reply to this mail" reach people.
        message["Reply-To"] = reply_to
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    if list_unsubscribe:
        # RFC 2369 and RFC 8058: mail programs offer unsubscribing in one click (a POST).
        message["List-Unsubscribe"] = f"<{list_unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # RFC 3834: vacation responders and the like do not answer automatic mail.
    message["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps the message 7-bit: no server has to support 8BITMIME.
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            # Without a charset, text parts are read as US-ASCII and umlauts break.
            params={"charset": "utf-8"} if maintype == "text" else None,
        )
    return message
