"""Loading and changing processes, phases, theme fields and guiding questions.

Services flush but never commit; the view commits once. Every change is audit-logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from dialog.common import audit, pagecache
from dialog.common.clock import today_local
from dialog.extensions import db
from dialog.process.models import GuidingQuestion, Phase, Process, ThemeField
from dialog.process.rules import PhaseConflict, PhaseSpan, check_phases, is_dialogue_open


class PhaseConflictError(ValueError):
    """The phases would be inconsistent; `conflicts` says why."""

    def __init__(self, conflicts: list[PhaseConflict]) -> None:
        super().__init__(conflicts)
        self.conflicts = conflicts


def _with_content(stmt: sa.Select) -> sa.Select:
    return stmt.options(
        selectinload(Process.phases),
        selectinload(Process.theme_fields).selectinload(ThemeField.questions),
    )


def featured_process() -> Process | None:
    """The process on the start page: the featured one, else the first published one."""
    stmt = (
        sa.select(Process)
        .where(Process.published.is_(True))
        .order_by(Process.featured.desc(), Process.id)
        .limit(1)
    )
    return db.session.scalar(_with_content(stmt))


def public_process(slug: str, include_unpublished: bool = False) -> Process | None:
    stmt = sa.select(Process).where(Process.slug == slug)
    if not include_unpublished:
        stmt = stmt.where(Process.published.is_(True))
    return db.session.scalar(_with_content(stmt))


def public_theme_field(
    process_slug: str, theme_slug: str, include_unpublished: bool = False
) -> ThemeField | None:
    stmt = (
        sa.select(ThemeField)
        .join(ThemeField.process)
        .where(Process.slug == process_slug, ThemeField.slug == theme_slug)
        .options(
            contains_eager(ThemeField.process).selectinload(Process.phases),
            selectinload(ThemeField.questions),
        )
    )
    if not include_unpublished:
        stmt = stmt.where(Process.published.is_(True))
    return db.session.scalar(stmt)


@dataclass(frozen=True)
class QuestionInfo:
    id: int
    text: str
    plain_language_text: str


@dataclass(frozen=True)
class ThemeForAnswering:
    """What sending the answer form (and the private link of a submission) needs of a theme
    field: plain values, safe to keep."""

    id: int
    phases: tuple[PhaseSpan, ...]
    active_questions: tuple[QuestionInfo, ...]
    title: str = ""
    process_id: int = 0
    process_slug: str = ""

    @property
    def dialogue_open(self) -> bool:
        return is_dialogue_open(today_local(), self.phases)


def theme_for_answering(
    process_slug: str, theme_slug: str, include_unpublished: bool = False
) -> ThemeForAnswering | None:
    """The theme field as the answer form needs it; kept as long as cached pages.

    Every answer sent needs it, so it is not read from the database for each one.
    """

    def load() -> ThemeForAnswering | None:
        theme = public_theme_field(process_slug, theme_slug, include_unpublished)
        return None if theme is None else _snapshot(theme)

    key = ("theme_for_answering", process_slug, theme_slug, include_unpublished)
    return pagecache.remember(key, load)


def theme_snapshot(theme_field_id: int) -> ThemeForAnswering | None:
    """`theme_for_answering` by id, published or not (a submission's private link keeps
    working); kept as long as cached pages."""

    def load() -> ThemeForAnswering | None:
        theme = db.session.scalar(
            sa.select(ThemeField)
            .where(ThemeField.id == theme_field_id)
            .options(
                selectinload(ThemeField.process).selectinload(Process.phases),
                selectinload(ThemeField.questions),
            )
        )
        return None if theme is None else _snapshot(theme)

    return pagecache.remember(("theme_snapshot", theme_field_id), load)


def _snapshot(theme: ThemeField) -> ThemeForAnswering:
    return ThemeForAnswering(
        id=theme.id,
        phases=tuple(p.span for p in theme.process.phases),
        active_questions=tuple(
            QuestionInfo(q.id, q.text, q.plain_language_text) for q in theme.active_questions
        ),
        title=theme.title,
        process_id=theme.process_id,
        process_slug=theme.process.slug,
    )


def public_processes() -> list[Process]:
    """The published processes with their theme fields, e.g. for the calendar's filters."""
    stmt = sa.select(Process).where(Process.published.is_(True)).order_by(Process.id)
    return list(db.session.scalars(stmt.options(selectinload(Process.theme_fields))))


def all_processes() -> list[Process]:
    return list(db.session.scalars(sa.select(Process).order_by(Process.id)))


def slug_taken(model: type, slug: str, exclude_id: int | None = None, **scope: Any) -> bool:
    """Whether another row of `model` (within `scope`, e.g. process_id=1) already uses `slug`."""
    stmt = sa.select(sa.func.count()).select_from(model).where(model.slug == slug)
    for column, value in scope.items():
        stmt = stmt.where(getattr(model, column) == value)
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    return bool(db.session.scalar(stmt))


def save_process(actor, process: Process | None, values: dict[str, Any]) -> Process:
    """Create (process=None) or update a process. Only one process can be featured."""
    created = process is None
    process = audit.save(actor, process or Process(), values, created=created, name="process")
    if process.featured:
        db.session.flush()
        db.session.execute(
            sa.update(Process)
            .where(Process.id != process.id, Process.featured.is_(True))
            .values(featured=False)
        )
    return process


def save_phase(actor, process: Process, phase: Phase | None, values: dict[str, Any]) -> Phase:
    """Create or update a phase, refusing dates that end early, overlap or repeat a kind."""
    key = phase.id if phase is not None else "new"
    proposed = PhaseSpan(key, values["kind"], values["starts_on"], values["ends_on"])
    others = [p.span for p in process.phases if p is not phase]
    conflicts = [c for c in check_phases([*others, proposed]) if key in (c.key, c.other)]
    if conflicts:
        raise PhaseConflictError(conflicts)
    return audit.save(
        actor, phase or Phase(process=process), values, created=phase is None, name="phase"
    )


def delete_phase(actor, phase: Phase) -> None:
    audit.record(
        actor,
        "phase.delete",
        phase,
        {
            "title": [phase.title, None],
            "kind": [phase.kind.value, None],
            "starts_on": [phase.starts_on.isoformat(), None],
            "ends_on": [phase.ends_on.isoformat(), None],
        },
    )
    db.session.delete(phase)


def save_theme_field(
    actor, process: Process, theme: ThemeField | None, values: dict[str, Any]
) -> ThemeField:
    return audit.save(
        actor,
        theme or ThemeField(process=process),
        values,
        created=theme is None,
        name="theme_field",
    )


def save_question(
    actor, theme: ThemeField, question: GuidingQuestion | None, values: dict[str, Any]
) -> GuidingQuestion:
    return audit.save(
        actor,
        question or GuidingQuestion(theme_field=theme),
        values,
        created=question is None,
        name="guiding_question",
    )
