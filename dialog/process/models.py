"""A participation process with its phases, theme fields and guiding questions."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.common.clock import today_local
from dialog.common.models import TimestampMixin, enum_column
from dialog.extensions import db
from dialog.process.rules import PhaseKind, PhaseSpan, PhaseState, is_dialogue_open, phase_state


class Process(TimestampMixin, db.Model):
    __tablename__ = "processes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80))  # URL part, e.g. "mission-fachkraft"
    title: Mapped[str] = mapped_column(sa.String(200))
    central_question: Mapped[str] = mapped_column(sa.Text)  # the question the process answers
    intro: Mapped[str] = mapped_column(sa.Text, default="")  # rich text (Markdown)
    published: Mapped[bool] = mapped_column(default=False)  # visible to the public
    featured: Mapped[bool] = mapped_column(default=False)  # shown on the start page

    phases: Mapped[list[Phase]] = relationship(
        back_populates="process", order_by="Phase.starts_on", cascade="all, delete-orphan"
    )
    theme_fields: Mapped[list[ThemeField]] = relationship(
        back_populates="process", order_by="ThemeField.position", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.UniqueConstraint("slug"),)

    def __repr__(self) -> str:
        return f"<Process {self.slug}>"

    @property
    def current_phase(self) -> Phase | None:
        return next((p for p in self.phases if p.state == PhaseState.CURRENT), None)

    @property
    def dialogue_open(self) -> bool:
        return is_dialogue_open(today_local(), [p.span for p in self.phases])


class Phase(TimestampMixin, db.Model):
    __tablename__ = "phases"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"))
    kind: Mapped[PhaseKind] = mapped_column(enum_column(PhaseKind))
    title: Mapped[str] = mapped_column(sa.String(200))  # e.g. "Dialogphase"
    starts_on: Mapped[date] = mapped_column(sa.Date)  # first day, inclusive (Europe/Berlin)
    ends_on: Mapped[date] = mapped_column(sa.Date)  # last day, inclusive
    description: Mapped[str] = mapped_column(sa.Text, default="")  # rich text

    process: Mapped[Process] = relationship(back_populates="phases")

    __table_args__ = (
        sa.UniqueConstraint("process_id", "kind"),
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
    )

    def __repr__(self) -> str:
        return f"<Phase {self.kind} {self.starts_on}–{self.ends_on}>"

    @property
    def span(self) -> PhaseSpan:
        return PhaseSpan(self.id, self.kind, self.starts_on, self.ends_on)

    @property
    def state(self) -> PhaseState:
        return phase_state(today_local(), self.starts_on, self.ends_on)


class ThemeField(TimestampMixin, db.Model):
    __tablename__ = "theme_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(sa.String(80))  # unique within its process
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")  # rich text
    position: Mapped[int] = mapped_column(default=0)  # display order, ascending

    process: Mapped[Process] = relationship(back_populates="theme_fields")
    questions: Mapped[list[GuidingQuestion]] = relationship(
        back_populates="theme_field",
        order_by="GuidingQuestion.position",
        cascade="all, delete-orphan",
    )

    __table_args__ = (sa.UniqueConstraint("process_id", "slug"),)

    def __repr__(self) -> str:
        return f"<ThemeField {self.slug}>"

    @property
    def active_questions(self) -> list[GuidingQuestion]:
        return [q for q in self.questions if q.active]


class GuidingQuestion(TimestampMixin, db.Model):
    __tablename__ = "guiding_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_field_id: Mapped[int] = mapped_column(
        sa.ForeignKey("theme_fields.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)  # the question as shown
    plain_language_text: Mapped[str] = mapped_column(sa.Text, default="")  # Leichte Sprache
    position: Mapped[int] = mapped_column(default=0)  # display order within the theme field
    active: Mapped[bool] = mapped_column(default=True)  # inactive questions are hidden

    theme_field: Mapped[ThemeField] = relationship(back_populates="questions")

    def __repr__(self) -> str:
        return f"<GuidingQuestion {self.id} of theme {self.theme_field_id}>"
