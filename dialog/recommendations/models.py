"""Recommendations (Handlungsempfehlungen) with their linked evidence, ratings and status
history; the configurable lists of addressees and kinds of measure; event documentation."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.common.clock import now_utc
from dialog.common.models import TimestampMixin, UTCDateTime, enum_column
from dialog.extensions import db
from dialog.recommendations.rules import EvidenceKind, OptionList, RecommendationStatus

# The theme fields a recommendation belongs to (one or several).
recommendation_theme_fields = sa.Table(
    "recommendation_theme_fields",
    db.metadata,
    sa.Column(
        "recommendation_id",
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "theme_field_id",
        sa.ForeignKey("theme_fields.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

# The recommendations presented at an event marked as the Abschlusskonferenz, in their order.
conference_recommendations = sa.Table(
    "conference_recommendations",
    db.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "recommendation_id",
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
    sa.Column("position", sa.Integer, nullable=False, default=0),
)


class Recommendation(TimestampMixin, db.Model):
    """A recommendation for action. Its support is never copied: it is counted live from the
    linked evidence (RecommendationEvidence)."""

    __tablename__ = "recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("processes.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text, default="")  # staff rich text (common.sanitize)
    addressee: Mapped[str] = mapped_column(sa.String(120), default="")  # from the process's list
    measure: Mapped[str] = mapped_column(sa.String(120), default="")  # kind of measure, ditto
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="SET NULL"), index=True
    )  # the cluster it belongs to
    responsible_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )  # the responsible analyst
    status: Mapped[RecommendationStatus] = mapped_column(
        enum_column(RecommendationStatus), default=RecommendationStatus.DRAFT
    )
    # Raised by every change of the row (services.bump_version): an edit form sends the
    # version it showed, so that two people editing never overwrite each other silently.
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    theme_fields = relationship(
        "ThemeField", secondary=recommendation_theme_fields, order_by="ThemeField.position"
    )
    parent: Mapped[Recommendation | None] = relationship(remote_side=[id])
    responsible = relationship("User", foreign_keys=[responsible_id])
    process = relationship("Process")

    __table_args__ = (
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        sa.CheckConstraint("version > 0", name="version_positive"),
        sa.Index("ix_recommendations_process_id_status", "process_id", "status"),
    )

    def __repr__(self) -> str:
        return f"<Recommendation {self.id} {self.status} {self.title!r}>"


class RecommendationOption(db.Model):
    """An entry of a process's list of addressees or kinds of measure, as staff edited it.

    A process without entries for a list uses the defaults (rules.DEFAULT_OPTIONS).
    """

    __tablename__ = "recommendation_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("processes.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[OptionList] = mapped_column(enum_column(OptionList))  # which list
    label: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)  # order in the list

    __table_args__ = (sa.UniqueConstraint("process_id", "kind", "label"),)

    def __repr__(self) -> str:
        return f"<RecommendationOption {self.kind} {self.label!r}>"


class EventDocumentationEntry(TimestampMixin, db.Model):
    """A point raised at an event, recorded by staff (per Dialoginsel, workshop or hearing):
    citable evidence like an answer. An uploaded file (photo of a pinboard, minutes) is kept
    on disk under the instance folder; the row names it."""

    __tablename__ = "event_documentation_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="RESTRICT"), index=True
    )
    session_label: Mapped[str] = mapped_column(sa.String(120), default="")  # e.g. "Dialoginsel 2"
    text: Mapped[str] = mapped_column(sa.String(1000))  # the point raised, in short
    theme_field_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("theme_fields.id", ondelete="SET NULL")
    )
    agreement_count: Mapped[int | None] = mapped_column()  # e.g. pinboard dots; NULL: not counted
    file_name: Mapped[str | None] = mapped_column(sa.String(255))  # as uploaded, for people
    stored_name: Mapped[str | None] = mapped_column(sa.String(80))  # random name on disk
    content_type: Mapped[str | None] = mapped_column(sa.String(80))
    file_size: Mapped[int | None] = mapped_column()  # bytes as stored
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    event = relationship("Event")
    theme_field = relationship("ThemeField")

    __table_args__ = (
        sa.CheckConstraint(
            "agreement_count IS NULL OR agreement_count >= 0", name="agreement_not_negative"
        ),
        sa.CheckConstraint(
            "(stored_name IS NULL) = (file_name IS NULL)", name="file_named_when_stored"
        ),
        sa.UniqueConstraint("stored_name"),
    )

    def __repr__(self) -> str:
        return f"<EventDocumentationEntry {self.id} event {self.event_id}>"


class RecommendationEvidence(db.Model):
    """One piece of evidence linked to a recommendation: exactly one of an answer, a code
    (every answer carrying it now or later, through merges), a documentation entry or a
    recommendation merged into this one. Deleting the answer or entry deletes the link."""

    __tablename__ = "recommendation_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind))
    answer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("answers.id", ondelete="CASCADE"), index=True
    )
    code_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("codes.id", ondelete="RESTRICT"), index=True
    )  # as linked; services resolve Code.merged_into_id when counting
    documentation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event_documentation_entries.id", ondelete="CASCADE"), index=True
    )
    source_recommendation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )  # merged from
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    answer = relationship("Answer")
    code = relationship("Code")
    documentation = relationship("EventDocumentationEntry")
    source_recommendation = relationship("Recommendation", foreign_keys=[source_recommendation_id])

    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'answer' AND answer_id IS NOT NULL AND code_id IS NULL"
            " AND documentation_id IS NULL AND source_recommendation_id IS NULL)"
            " OR (kind = 'code' AND code_id IS NOT NULL AND answer_id IS NULL"
            " AND documentation_id IS NULL AND source_recommendation_id IS NULL)"
            " OR (kind = 'documentation' AND documentation_id IS NOT NULL AND answer_id IS NULL"
            " AND code_id IS NULL AND source_recommendation_id IS NULL)"
            " OR (kind = 'recommendation' AND source_recommendation_id IS NOT NULL"
            " AND answer_id IS NULL AND code_id IS NULL AND documentation_id IS NULL)",
            name="one_target",
        ),
        sa.CheckConstraint(
            "source_recommendation_id IS NULL OR source_recommendation_id <> recommendation_id",
            name="not_merged_from_itself",
        ),
        # Each piece of evidence once per recommendation (NULLs never collide).
        sa.UniqueConstraint("recommendation_id", "answer_id"),
        sa.UniqueConstraint("recommendation_id", "code_id"),
        sa.UniqueConstraint("recommendation_id", "documentation_id"),
        sa.UniqueConstraint("recommendation_id", "source_recommendation_id"),
    )

    def __repr__(self) -> str:
        return f"<RecommendationEvidence {self.kind} for {self.recommendation_id}>"


class RecommendationRating(db.Model):
    """One rater's rating of a recommendation for Wirksamkeit and Machbarkeit (1–5 each)."""

    __tablename__ = "recommendation_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    rater_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    effectiveness: Mapped[int] = mapped_column(sa.SmallInteger)  # Wirksamkeit
    feasibility: Mapped[int] = mapped_column(sa.SmallInteger)  # Machbarkeit
    reason: Mapped[str] = mapped_column(sa.String(1000), default="")  # in short
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    rater = relationship("User")

    __table_args__ = (
        sa.UniqueConstraint("recommendation_id", "rater_id"),
        sa.CheckConstraint("effectiveness BETWEEN 1 AND 5", name="effectiveness_scale"),
        sa.CheckConstraint("feasibility BETWEEN 1 AND 5", name="feasibility_scale"),
    )

    def __repr__(self) -> str:
        return f"<RecommendationRating {self.recommendation_id} by {self.rater_id}>"


def _status_column(name: str) -> sa.Enum:
    """A status column of its own CHECK constraint name: the history has two of them."""
    return sa.Enum(
        RecommendationStatus,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda cls: [member.value for member in cls],
        name=name,
    )


class RecommendationStatusChange(db.Model):
    """The dated status history: every change with its reason and, after publication, the
    public note, an optional progress in percent and a link (e.g. to a draft law)."""

    __tablename__ = "recommendation_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[RecommendationStatus | None] = mapped_column(
        _status_column("from_status")
    )  # NULL: the first status, on creation
    to_status: Mapped[RecommendationStatus] = mapped_column(_status_column("to_status"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")  # internal
    public_note: Mapped[str] = mapped_column(sa.Text, default="")  # shown with the results
    progress_percent: Mapped[int | None] = mapped_column(sa.SmallInteger)
    link: Mapped[str] = mapped_column(sa.String(500), default="")

    actor = relationship("User")

    __table_args__ = (
        sa.CheckConstraint(
            "progress_percent IS NULL OR progress_percent BETWEEN 0 AND 100",
            name="progress_range",
        ),
    )

    def __repr__(self) -> str:
        return f"<RecommendationStatusChange {self.recommendation_id} → {self.to_status}>"


class RecommendationSupport(db.Model):
    """The public figures of a recommendation, kept so that the public results never count
    answers per request (recommendations/figures.py). Changes of the evidence mark the row
    stale (a missing row counts as stale); the public pages recompute stale rows on reading.
    `generation` rises with every marking, so that a recomputation that raced a change does
    not mark its outdated figures fresh."""

    __tablename__ = "recommendation_support"

    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    answers: Mapped[int] = mapped_column(default=0)  # supporting answers, rejected ones never
    voices: Mapped[int] = mapped_column(default=0)  # the answers, each possible campaign once
    perspectives: Mapped[int] = mapped_column(default=0)  # distinct perspectives (roles) given
    campaign_answers: Mapped[int] = mapped_column(default=0)  # in a possible campaign
    published_answers: Mapped[int] = mapped_column(default=0)  # of them public
    documentation_entries: Mapped[int] = mapped_column(default=0)  # event documentation cited
    agreement: Mapped[int] = mapped_column(default=0)  # people agreeing there (pinboard dots)
    # Up to three supporting answers published with publication consent, to quote.
    quote_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # NULL: never computed
    stale: Mapped[bool] = mapped_column(default=True)
    generation: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<RecommendationSupport {self.recommendation_id} {self.answers}>"


class PublicResultsVersion(db.Model):
    """Per process a number raised by every change that its public results show (each
    marking of figures.mark_stale), so that the rendered results page can be kept in the page
    cache exactly until it changes: one row read by primary key per request."""

    __tablename__ = "public_results_versions"

    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("processes.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<PublicResultsVersion {self.process_id} {self.version}>"
