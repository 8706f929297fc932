"""Citizens' submissions and their answers to guiding questions, and reports about answers."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.answers.rules import (
    AgeBand,
    AnswerStatus,
    Channel,
    Perspective,
    RejectionReason,
    public_text,
)
from dialog.coding.rules import text_fingerprint
from dialog.common.clock import now_utc
from dialog.common.models import TimestampMixin, UTCDateTime, enum_column
from dialog.common.regions import Bundesland
from dialog.extensions import db
from dialog.quality.rules import Flag, flags_of


class Submission(TimestampMixin, db.Model):
    """One sending of a theme field's form (or one offline contribution entered by staff)."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_field_id: Mapped[int] = mapped_column(
        sa.ForeignKey("theme_fields.id", ondelete="RESTRICT"), index=True
    )
    channel: Mapped[Channel] = mapped_column(enum_column(Channel), default=Channel.ONLINE)
    received_on: Mapped[date] = mapped_column(sa.Date)  # day received (offline: as written)
    event_note: Mapped[str] = mapped_column(sa.String(200), default="")  # offline: which event
    # Optional profile; NULL means "keine Angabe".
    perspective: Mapped[Perspective | None] = mapped_column(enum_column(Perspective))
    bundesland: Mapped[Bundesland | None] = mapped_column(enum_column(Bundesland))
    age_band: Mapped[AgeBand | None] = mapped_column(enum_column(AgeBand))
    publication_consent: Mapped[bool] = mapped_column(default=False)  # may be shown publicly
    privacy_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # online consent
    # SHA-256 of the private link's token; the token itself is never stored.
    token_hash: Mapped[str | None] = mapped_column(sa.String(64))
    # Random value of the form that was sent: a resubmission of the same form is stored once.
    nonce: Mapped[str | None] = mapped_column(sa.String(64))
    entered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )  # staff member who typed in an offline contribution
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="SET NULL"), index=True
    )  # offline: the event (e.g. its Dialoginsel) where it was gathered
    import_batch_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("answer_imports.id", ondelete="RESTRICT"), index=True
    )  # brought in by `flask import-answers` (imports.models.AnswerImport); NULL otherwise
    import_ref: Mapped[str | None] = mapped_column(sa.String(100))  # the source's own id

    answers: Mapped[list[Answer]] = relationship(
        back_populates="submission",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Answer.id",
    )
    theme_field = relationship("ThemeField")
    event = relationship("Event")

    __table_args__ = (sa.UniqueConstraint("token_hash"), sa.UniqueConstraint("nonce"))

    def __repr__(self) -> str:
        return f"<Submission {self.id} {self.channel}>"


def _fingerprint_of_text(context) -> str | None:
    return text_fingerprint(context.get_current_parameters()["text"])


class Answer(TimestampMixin, db.Model):
    """An answer to one guiding question; moderated on its own."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("guiding_questions.id", ondelete="RESTRICT"), index=True
    )
    # Copied from the question and the submission (both never change) so that public lists
    # filter and count on one table, each filter with an index in newest-first order.
    theme_field_id: Mapped[int] = mapped_column(
        sa.ForeignKey("theme_fields.id", ondelete="RESTRICT")
    )
    perspective: Mapped[Perspective | None] = mapped_column(enum_column(Perspective))
    bundesland: Mapped[Bundesland | None] = mapped_column(enum_column(Bundesland))
    text: Mapped[str] = mapped_column(sa.Text)  # as typed: tags stripped, NFC, no control chars
    # Same value for copies of one text (possible campaign); set from `text` on insert,
    # and by whoever changes `text` (coding.rules.text_fingerprint).
    text_fingerprint: Mapped[str | None] = mapped_column(
        sa.String(16), default=_fingerprint_of_text, index=True
    )
    redacted_text: Mapped[str | None] = mapped_column(sa.Text)  # what the public sees instead
    status: Mapped[AnswerStatus] = mapped_column(
        enum_column(AnswerStatus), default=AnswerStatus.PENDING
    )
    rejection_reason: Mapped[RejectionReason | None] = mapped_column(enum_column(RejectionReason))
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first publication
    report_count: Mapped[int] = mapped_column(default=0)  # "Beitrag melden" since last review

    # Quality (dialog.quality): the campaign group, the flags and the language, as the
    # detection found them. A flag's reason is NULL when the answer is not flagged; all are
    # suggestions for people to check, never decisions.
    campaign_group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("campaign_groups.id", ondelete="SET NULL"), index=True
    )  # NULL: in no group of near-copies
    campaign_similarity: Mapped[float | None] = mapped_column(sa.Float)  # to its representative
    flag_empty_reason: Mapped[str | None] = mapped_column(sa.Text)  # e.g. "Platzhalter ohne Inhalt"
    flag_spam_reason: Mapped[str | None] = mapped_column(sa.Text)  # e.g. "Link oder Domain"
    flag_abuse_reason: Mapped[str | None] = mapped_column(sa.Text)  # e.g. "Beleidigung: „…“"
    language: Mapped[str | None] = mapped_column(sa.String(8))  # ISO 639: "de", "en", "und"
    # When the flags and language were determined for this text; NULL: not yet (a new or
    # changed answer, checked by the report worker within seconds or by the next detection).
    quality_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    submission: Mapped[Submission] = relationship(back_populates="answers")
    question = relationship("GuidingQuestion")
    campaign_group = relationship("CampaignGroup", foreign_keys=[campaign_group_id])

    __table_args__ = (
        sa.UniqueConstraint("submission_id", "question_id"),
        # Public lists: newest published first, optionally per theme field (keyset on id).
        sa.Index("ix_answers_status_id", "status", "id"),
        sa.Index("ix_answers_status_theme_id", "status", "theme_field_id", "id"),
        sa.Index("ix_answers_status_bundesland_id", "status", "bundesland", "id"),
        sa.Index("ix_answers_status_perspective_id", "status", "perspective", "id"),
        sa.CheckConstraint("report_count >= 0", name="report_count_not_negative"),
        # The answers still to check for flags and language: found at once among millions.
        sa.Index(
            "ix_answers_quality_unchecked",
            "id",
            sqlite_where=sa.text("quality_checked_at IS NULL"),
            postgresql_where=sa.text("quality_checked_at IS NULL"),
        ),
    )

    def __repr__(self) -> str:
        return f"<Answer {self.id} {self.status}>"

    @property
    def public_text(self) -> str:
        return public_text(self.text, self.redacted_text)

    @property
    def quality_flags(self) -> list[Flag]:
        """The flags (empty, spam, abuse) with their reasons: suggestions to check."""
        return flags_of(self.flag_empty_reason, self.flag_spam_reason, self.flag_abuse_reason)


class AnswerReport(db.Model):
    """A reader's report ("Beitrag melden") that an answer breaks the Netiquette."""

    __tablename__ = "answer_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answers.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(sa.Text, default="")  # optional note of the reader
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    resolved: Mapped[bool] = mapped_column(default=False)  # a moderator has reviewed it

    def __repr__(self) -> str:
        return f"<AnswerReport {self.id} on answer {self.answer_id}>"
