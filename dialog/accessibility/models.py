"""Feedback on barriers sent through the form of the Erklärung zur Barrierefreiheit."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from dialog.accessibility.rules import FeedbackStatus
from dialog.common.clock import now_utc
from dialog.common.models import UTCDateTime, enum_column
from dialog.extensions import db


class AccessibilityFeedback(db.Model):
    """One message about a barrier; name and address only if the person wants a reply."""

    __tablename__ = "accessibility_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)  # when sent
    status: Mapped[FeedbackStatus] = mapped_column(
        enum_column(FeedbackStatus), default=FeedbackStatus.OPEN
    )
    name: Mapped[str | None] = mapped_column(sa.String(200))  # personal data; NULL once done
    email: Mapped[str | None] = mapped_column(sa.String(254))  # personal data; NULL once done
    page_url: Mapped[str] = mapped_column(sa.String(500), default="")  # where the barrier is
    message: Mapped[str] = mapped_column(sa.Text)  # the description, plain text
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when staff closed it
    done_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )  # who closed it

    __table_args__ = (
        sa.Index("ix_accessibility_feedback_status_received_at", "status", "received_at"),
        sa.Index("ix_accessibility_feedback_received_at", "received_at"),
    )

    @property
    def has_contact(self) -> bool:
        return bool(self.name or self.email)

    def __repr__(self) -> str:
        return f"<AccessibilityFeedback {self.id} {self.status.value}>"
