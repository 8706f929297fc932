"""An e-mail address left (with consent) to be told about results."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.common.clock import now_utc
from dialog.common.models import UTCDateTime
from dialog.extensions import db


class ResultSubscription(db.Model):
    """One address per submission, told in one mail a day at most when the results are
    published and when a recommendation the submission's answers support changes status.
    Deleted on unsubscribing, with the submission, and by the purge (rules.expired)."""

    __tablename__ = "result_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("submissions.id", ondelete="CASCADE"), unique=True
    )
    email: Mapped[str] = mapped_column(sa.String(320))  # personal data
    consent_version: Mapped[str] = mapped_column(sa.String(20))  # rules.CONSENT_VERSION given
    # The links in its mails carry a token derived from this nonce and the secret key; only
    # the token's hash is stored to find the subscription again.
    nonce: Mapped[str] = mapped_column(sa.String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)  # consent given
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # double opt-in
    results_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Status changes up to this time have been told (from the confirmation on).
    told_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    submission = relationship("Submission")

    def __repr__(self) -> str:
        return f"<ResultSubscription {self.id} submission {self.submission_id}>"
