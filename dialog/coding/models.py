"""The codebook, code assignments, analysts' notes and ratings, double-coding samples, and the
append-only coding log that keeps every change traceable."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.coding.rules import CodingAction, SuggestionStatus
from dialog.common.clock import now_utc
from dialog.common.models import TimestampMixin, UTCDateTime, enum_column
from dialog.extensions import db


class Code(TimestampMixin, db.Model):
    """A code of a process's codebook; two levels (a code and its sub-codes).

    Codes are never deleted: they are retired, or merged into another code, whose id then
    stands in `merged_into_id` (always the final code, never a chain).
    """

    __tablename__ = "codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("processes.id", ondelete="RESTRICT"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("codes.id", ondelete="RESTRICT"), index=True
    )  # NULL for a top-level code
    theme_field_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("theme_fields.id", ondelete="SET NULL")
    )  # optional: the theme field the code belongs to
    label: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")  # when to use the code
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # no new assignments
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("codes.id", ondelete="RESTRICT")
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    parent: Mapped[Code | None] = relationship(
        remote_side=[id], foreign_keys=[parent_id], back_populates="children"
    )
    children: Mapped[list[Code]] = relationship(
        foreign_keys=[parent_id], back_populates="parent", order_by="Code.label"
    )
    merged_into: Mapped[Code | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])
    theme_field = relationship("ThemeField")

    __table_args__ = (
        sa.UniqueConstraint("process_id", "label"),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        sa.CheckConstraint(
            "merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_itself"
        ),
    )

    def __repr__(self) -> str:
        return f"<Code {self.id} {self.label!r}>"

    @property
    def active(self) -> bool:
        return self.retired_at is None and self.merged_into_id is None


class CodingSample(db.Model):
    """A random sample of answers that two analysts code independently (double coding)."""

    __tablename__ = "coding_samples"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("processes.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    percent: Mapped[float] = mapped_column(sa.Float)  # share of the selection drawn
    seed: Mapped[int] = mapped_column(sa.BigInteger)  # repeats the draw (rules.draw_sample)
    filters: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # the selection
    coder_a_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    coder_b_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    coder_a = relationship("User", foreign_keys=[coder_a_id])
    coder_b = relationship("User", foreign_keys=[coder_b_id])

    __table_args__ = (
        sa.CheckConstraint("percent > 0 AND percent <= 100", name="percent_in_range"),
        sa.CheckConstraint("coder_a_id IS NULL OR coder_a_id <> coder_b_id", name="two_coders"),
    )

    def __repr__(self) -> str:
        return f"<CodingSample {self.id} {self.name!r}>"


class CodingSampleAnswer(db.Model):
    """An answer drawn into a double-coding sample."""

    __tablename__ = "coding_sample_answers"

    sample_id: Mapped[int] = mapped_column(
        sa.ForeignKey("coding_samples.id", ondelete="CASCADE"), primary_key=True
    )
    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CodeAssignment(db.Model):
    """A code assigned to an answer.

    Outside samples (`sample_id` NULL) an answer has one shared set of codes that every analyst
    works on. In a double-coding sample each of the two coders has their own set, unseen by the
    other. Removing an assignment deletes the row; the coding log keeps the trace.
    """

    __tablename__ = "code_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(sa.ForeignKey("answers.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(
        sa.ForeignKey("codes.id", ondelete="RESTRICT"), index=True
    )  # the code now (after merges)
    original_code_id: Mapped[int] = mapped_column(
        sa.ForeignKey("codes.id", ondelete="RESTRICT")
    )  # the code as first assigned
    coder_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    sample_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("coding_samples.id", ondelete="CASCADE")
    )  # set: a coder's independent coding in a double-coding sample
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    code: Mapped[Code] = relationship(foreign_keys=[code_id])
    coder = relationship("User")

    __table_args__ = (
        sa.Index("ix_code_assignments_answer_id", "answer_id", "code_id"),
        # One shared assignment of a code per answer; in a sample, one per coder.
        sa.Index(
            "uq_code_assignments_shared",
            "answer_id",
            "code_id",
            unique=True,
            sqlite_where=sa.text("sample_id IS NULL"),
            postgresql_where=sa.text("sample_id IS NULL"),
        ),
        sa.UniqueConstraint("sample_id", "coder_id", "answer_id", "code_id"),
    )

    def __repr__(self) -> str:
        return f"<CodeAssignment answer {self.answer_id} code {self.code_id}>"


def in_shared_coding() -> sa.ColumnElement[bool]:
    """Assignments of the shared coding, not of a double-coding sample: for lookups by a list
    of answers or codes (`IN`). Written `sample_id + 0 IS NULL`, because SQLite without
    statistics would otherwise read `sample_id IS NULL` through the unique index that starts
    with sample_id and walk every shared assignment (at 1M answers, a scan per request); so it
    looks the rows up by answer or code. PostgreSQL plans either form by its statistics."""
    return (CodeAssignment.sample_id + 0).is_(None)


class AnswerAnnotation(db.Model):
    """The analysts' shared note on an answer and whether it makes a proposal."""

    __tablename__ = "answer_annotations"

    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")
    is_proposal: Mapped[bool] = mapped_column(default=False)  # a Lösungsvorschlag
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    def __repr__(self) -> str:
        return f"<AnswerAnnotation {self.answer_id} proposal={self.is_proposal}>"


class Rating(db.Model):
    """One analyst's rating of a proposal for Wirksamkeit and Machbarkeit (1–5 each)."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answers.id", ondelete="CASCADE"), index=True
    )
    rater_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    effectiveness: Mapped[int | None] = mapped_column(sa.SmallInteger)  # Wirksamkeit
    feasibility: Mapped[int | None] = mapped_column(sa.SmallInteger)  # Machbarkeit
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    __table_args__ = (
        sa.UniqueConstraint("answer_id", "rater_id"),
        sa.CheckConstraint(
            "effectiveness IS NULL OR effectiveness BETWEEN 1 AND 5", name="effectiveness_scale"
        ),
        sa.CheckConstraint(
            "feasibility IS NULL OR feasibility BETWEEN 1 AND 5", name="feasibility_scale"
        ),
    )

    def __repr__(self) -> str:
        return f"<Rating answer {self.answer_id} by {self.rater_id}>"


class CodingEvent(db.Model):
    """The coding log: every coding action with coder and time, never changed afterwards.

    Entries about an answer go with the answer when a citizen deletes it.
    """

    __tablename__ = "coding_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[CodingAction] = mapped_column(enum_column(CodingAction))
    answer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("answers.id", ondelete="CASCADE"), index=True
    )
    code_id: Mapped[int | None] = mapped_column(sa.ForeignKey("codes.id", ondelete="RESTRICT"))
    sample_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("coding_samples.id", ondelete="CASCADE")
    )
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # {"note": [old, new]}

    actor = relationship("User", lazy="joined")

    def __repr__(self) -> str:
        return f"<CodingEvent {self.action} answer {self.answer_id} by {self.actor_id}>"


class CodeSuggestion(db.Model):
    """A code suggested for an answer by a theme of a draft report that an analyst took over
    into the codebook (dialog.coding.suggestions).

    A suggestion is no coding: only a person's acceptance assigns the code (as a CodeAssignment
    of theirs); open and rejected suggestions are not exported.
    """

    __tablename__ = "code_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answers.id", ondelete="CASCADE"), index=True
    )
    code_id: Mapped[int] = mapped_column(sa.ForeignKey("codes.id", ondelete="RESTRICT"))
    report_job_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("report_jobs.id", ondelete="SET NULL")
    )  # the draft whose theme suggested it
    theme_field_id: Mapped[int] = mapped_column(
        sa.ForeignKey("theme_fields.id", ondelete="CASCADE")
    )
    theme: Mapped[int] = mapped_column()  # the theme's number in that draft and theme field
    weight: Mapped[float | None] = mapped_column(sa.Float)  # the answer's weight in the theme
    status: Mapped[SuggestionStatus] = mapped_column(
        enum_column(SuggestionStatus), default=SuggestionStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # accepted or rejected

    code: Mapped[Code] = relationship()
    answer = relationship("Answer")
    report_job = relationship("ReportJob")
    theme_field = relationship("ThemeField")
    decided_by = relationship("User")

    __table_args__ = (
        # One suggestion of a code per answer, and a theme of a draft suggested once.
        sa.UniqueConstraint("code_id", "answer_id"),
        sa.UniqueConstraint(
            "report_job_id",
            "theme_field_id",
            "theme",
            "answer_id",
            name="uq_code_suggestions_source",
        ),
        sa.Index("ix_code_suggestions_code_id_status", "code_id", "status", "id"),
        sa.CheckConstraint("theme > 0", name="theme_positive"),
        sa.CheckConstraint("status = 'open' OR decided_at IS NOT NULL", name="decided_when_closed"),
    )

    def __repr__(self) -> str:
        return f"<CodeSuggestion answer {self.answer_id} code {self.code_id} {self.status}>"
