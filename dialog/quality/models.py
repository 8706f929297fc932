"""A group of answers that are copies or near-copies of one text: a possible campaign."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.common.clock import now_utc
from dialog.common.models import UTCDateTime, enum_column
from dialog.extensions import db
from dialog.quality.rules import POSSIBLE_CAMPAIGN, CampaignStatus


class CampaignGroup(db.Model):
    """Found by the detection (`flask find-campaigns`, the analysts' button), reviewed by
    analysts. A new detection replaces the groups nobody has reviewed; a reviewed group
    (confirmed, marked as no campaign, split, or with answers taken out) keeps its members.
    Its answers point to it (Answer.campaign_group_id)."""

    __tablename__ = "campaign_groups"

    id: Mapped[int] = mapped_column(primary_key=True)  # shown to analysts and exported
    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("processes.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[CampaignStatus] = mapped_column(
        enum_column(CampaignStatus), default=CampaignStatus.SUGGESTED
    )
    # The most central member, whose text stands for the group. The foreign key closes a
    # cycle with answers.campaign_group_id, hence created after both tables (use_alter).
    representative_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("answers.id", ondelete="SET NULL", use_alter=True)
    )
    size: Mapped[int] = mapped_column(default=0)  # answers in the group, kept by every change
    # Spread of the members' similarity to the representative (0–1; 1: the same words).
    similarity_min: Mapped[float | None] = mapped_column(sa.Float)
    similarity_median: Mapped[float | None] = mapped_column(sa.Float)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)  # last found
    split_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("campaign_groups.id", ondelete="SET NULL")
    )  # the group whose answers an analyst split off to make this one
    # The latest review; NULL while nobody has reviewed the group (a detection may replace it).
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(sa.Text, default="")  # the latest review's note

    representative = relationship("Answer", foreign_keys=[representative_id])
    reviewed_by = relationship("User")

    __table_args__ = (
        sa.CheckConstraint("size >= 0", name="size_not_negative"),
        sa.CheckConstraint(
            "similarity_min IS NULL OR (similarity_min >= 0 AND similarity_min <= 1)",
            name="similarity_min_range",
        ),
        sa.CheckConstraint(
            "similarity_median IS NULL OR (similarity_median >= 0 AND similarity_median <= 1)",
            name="similarity_median_range",
        ),
        sa.CheckConstraint(
            "split_from_id IS NULL OR split_from_id <> id", name="not_split_from_itself"
        ),
    )

    def __repr__(self) -> str:
        return f"<CampaignGroup {self.id} {self.status} ({self.size} answers)>"

    @property
    def reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def possible_campaign(self) -> bool:
        return self.status in POSSIBLE_CAMPAIGN
