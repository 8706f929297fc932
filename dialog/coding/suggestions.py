"""Code suggestions: a theme that the analysis of a draft report suggests is taken over into
the codebook as a code, suggested for each of the theme's answers; an analyst accepts (the
code is assigned as in normal coding, by them) or rejects each one. Nothing is assigned
without a person's acceptance.

Services take the acting user explicitly, flush but never commit. Taking a theme over is a
codebook change (audit log); an acceptance is a coding action (coding log), and every
decision keeps who made it and when on the suggestion itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from dialog.answers.models import Answer
from dialog.coding import rules
from dialog.coding import services as coding
from dialog.coding.models import Code, CodeSuggestion
from dialog.coding.rules import SuggestionProblem, SuggestionStatus
from dialog.common import audit
from dialog.common.clock import now_utc
from dialog.common.pagination import keyset_page
from dialog.extensions import db
from dialog.process.models import ThemeField
from dialog.reports.models import ReportJob
from dialog.reports.rules import SuggestedTheme

BATCH = 1000  # answer ids per IN (…) and suggestions per INSERT
PAGE_SIZE = 25


class SuggestionError(ValueError):
    """A take-over or decision that is not possible; `problem` says why, `code` names the code
    the theme was taken over as already (ALREADY_ADOPTED) or the retired code (CODE_INACTIVE)."""

    def __init__(self, problem: SuggestionProblem, code: Code | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.code = code


# --- Taking a theme over ------------------------------------------------------------------


def adopted_codes(job_id: int) -> dict[tuple[int, int], Code]:
    """The codes the draft's themes were taken over as: (theme field id, theme) → code."""
    rows = db.session.execute(
        sa.select(CodeSuggestion.theme_field_id, CodeSuggestion.theme, CodeSuggestion.code_id)
        .where(CodeSuggestion.report_job_id == job_id)
        .distinct()
    ).all()
    ids = {code_id for _field, _theme, code_id in rows}
    codes = {c.id: c for c in db.session.scalars(sa.select(Code).where(Code.id.in_(ids)))}
    return {(field_id, theme): codes[code_id] for field_id, theme, code_id in rows}


def _answers_in(theme_field: ThemeField, answer_ids: list[int]) -> set[int]:
    """Those of `answer_ids` that are (still) answers of the theme field."""
    found: set[int] = set()
    for start in range(0, len(answer_ids), BATCH):
        found.update(
            db.session.scalars(
                sa.select(Answer.id).where(
                    Answer.id.in_(answer_ids[start : start + BATCH]),
                    Answer.theme_field_id == theme_field.id,
                )
            )
        )
    return found


def adopt_theme(
    actor,
    job: ReportJob,
    theme_field: ThemeField,
    theme: SuggestedTheme,
    *,
    label: str,
    description: str = "",
) -> tuple[Code, int]:
    """Create a code from a suggested theme of `job` and suggest it for the theme's answers
    (never assign it); the code and how many suggestions were made.

    A theme is taken over once (SuggestionError ALREADY_ADOPTED); answers deleted since the
    draft are left out. The label is checked as for any new code (CodebookError).
    """
    # Take-overs of one draft one after another (PostgreSQL; SQLite serialises all writers;
    # the unique source constraint stops what slips through).
    db.session.execute(sa.select(ReportJob.id).where(ReportJob.id == job.id).with_for_update())
    existing = adopted_codes(job.id).get((theme_field.id, theme.number))
    if existing is not None:
        raise SuggestionError(SuggestionProblem.ALREADY_ADOPTED, existing)
    present = _answers_in(theme_field, [m.answer_id for m in theme.members])
    members = [m for m in theme.members if m.answer_id in present]
    if not members:
        raise SuggestionError(SuggestionProblem.NO_ANSWERS)
    code = coding.create_code(
        actor,
        theme_field.process_id,
        label=label,
        description=description,
        theme_field_id=theme_field.id,
    )
    db.session.flush()
    now = now_utc()
    rows = [
        {
            "answer_id": m.answer_id,
            "code_id": code.id,
            "report_job_id": job.id,
            "theme_field_id": theme_field.id,
            "theme": theme.number,
            "weight": m.weight,
            "status": SuggestionStatus.OPEN,
            "created_at": now,
        }
        for m in members  # the clearest first: the review list goes by id
    ]
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(CodeSuggestion), rows[start : start + BATCH])
    audit.record(
        actor,
        "code.adopt_theme",
        code,
        {
            "report_job": [None, job.id],
            "theme_field_id": [None, theme_field.id],
            "theme": [None, theme.number],
            "suggestions": [None, len(rows)],
        },
    )
    return code, len(rows)


# --- Reviewing ----------------------------------------------------------------------------


def decide(actor, suggestion: CodeSuggestion, *, accept: bool) -> Code:
    """Accept (assign the code to the answer, as the actor's coding) or reject a suggestion;
    the code concerned (after merges). SuggestionError if it was decided meanwhile or its code
    is retired (rejecting stays possible then)."""
    code = suggestion.code
    target = db.session.get(Code, rules.accept_target(code.id, code.merged_into_id))
    if accept and not target.active:
        raise SuggestionError(SuggestionProblem.CODE_INACTIVE, target)
    status = SuggestionStatus.ACCEPTED if accept else SuggestionStatus.REJECTED
    # Conditional: of two people deciding at once, one does.
    decided = db.session.execute(
        sa.update(CodeSuggestion)
        .where(CodeSuggestion.id == suggestion.id, CodeSuggestion.status == SuggestionStatus.OPEN)
        .values(status=status, decided_by_id=getattr(actor, "id", None), decided_at=now_utc())
        .execution_options(synchronize_session=False)
    )
    if decided.rowcount != 1:
        raise SuggestionError(SuggestionProblem.DECIDED)
    if accept:
        wanted = frozenset({target.id})
        coding.save_coding(
            actor, suggestion.answer, coding.CodingInput(code_ids=wanted, offered_ids=wanted)
        )
    db.session.expire(suggestion)
    return target


def open_for_answer(answer_id: int) -> list[CodeSuggestion]:
    """The answer's open suggestions, oldest first, with their code and draft."""
    stmt = (
        sa.select(CodeSuggestion)
        .where(
            CodeSuggestion.answer_id == answer_id,
            CodeSuggestion.status == SuggestionStatus.OPEN,
        )
        .order_by(CodeSuggestion.id)
        .options(
            selectinload(CodeSuggestion.code).selectinload(Code.merged_into),
            selectinload(CodeSuggestion.report_job),
        )
    )
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class SuggestionFilters:
    code_id: int | None = None
    theme_field_id: int | None = None
    status: SuggestionStatus | None = SuggestionStatus.OPEN  # None: every status


def _conditions(process_id: int, filters: SuggestionFilters) -> list:
    codes = sa.select(Code.id).where(Code.process_id == process_id)
    where: list = [CodeSuggestion.code_id.in_(codes)]
    if filters.code_id is not None:
        where.append(CodeSuggestion.code_id == filters.code_id)
    if filters.theme_field_id is not None:
        where.append(CodeSuggestion.theme_field_id == filters.theme_field_id)
    if filters.status is not None:
        where.append(CodeSuggestion.status == filters.status)
    return where


def suggestion_page(
    process_id: int, filters: SuggestionFilters, after_id: int | None, limit: int = PAGE_SIZE
) -> tuple[list[CodeSuggestion], int | None]:
    """One page of the process's suggestions (of one take-over: the clearest first) and the
    id to continue after."""
    stmt = (
        sa.select(CodeSuggestion)
        .where(*_conditions(process_id, filters))
        .order_by(CodeSuggestion.id)
        .options(
            selectinload(CodeSuggestion.answer),
            selectinload(CodeSuggestion.code).selectinload(Code.merged_into),
            selectinload(CodeSuggestion.report_job),
            selectinload(CodeSuggestion.decided_by),
        )
    )
    if after_id is not None:
        stmt = stmt.where(CodeSuggestion.id > after_id)
    return keyset_page(stmt, limit)


def count_suggestions(process_id: int, filters: SuggestionFilters) -> int:
    stmt = (
        sa.select(sa.func.count())
        .select_from(CodeSuggestion)
        .where(*_conditions(process_id, filters))
    )
    return db.session.scalar(stmt)


def counts_by_code(process_id: int) -> dict[int, dict[SuggestionStatus, int]]:
    """Per code that was ever suggested: how many suggestions are open, accepted, rejected."""
    stmt = (
        sa.select(CodeSuggestion.code_id, CodeSuggestion.status, sa.func.count())
        .where(*_conditions(process_id, SuggestionFilters(status=None)))
        .group_by(CodeSuggestion.code_id, CodeSuggestion.status)
    )
    counts: dict[int, dict[SuggestionStatus, int]] = defaultdict(
        lambda: dict.fromkeys(SuggestionStatus, 0)
    )
    for code_id, status, count in db.session.execute(stmt):
        counts[code_id][status] = count
    return dict(counts)
