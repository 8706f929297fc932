"""The codebook, coding answers, bulk assignment and double-coding samples.

Services take the acting user explicitly, flush but never commit; views commit once per
request. Codebook changes go to the audit log, coding actions to the coding log.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased, selectinload

from dialog.accounts.models import User, UserRole
from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AnswerStatus, Channel, Perspective
from dialog.coding import rules
from dialog.coding.models import (
    AnswerAnnotation,
    Code,
    CodeAssignment,
    CodingEvent,
    CodingSample,
    CodingSampleAnswer,
    Rating,
)
from dialog.coding.rules import CodebookChange, CodebookProblem, CodingAction
from dialog.common import audit
from dialog.common.audit import AuditEntry
from dialog.common.clock import now_utc
from dialog.common.models import UTCDateTime
from dialog.common.pagination import keyset_page
from dialog.common.permissions import Role
from dialog.common.regions import Bundesland
from dialog.extensions import db
from dialog.process.models import ThemeField
from dialog.quality import services as quality
from dialog.recommendations import figures

PAGE_SIZE = 25
BULK_BATCH = 500  # answers per INSERT of a bulk assignment
CODER_ROLES = (Role.ANALYST, Role.ANALYST_LEAD)


class CodebookError(ValueError):
    """A codebook change that is not possible; `problem` says why."""

    def __init__(self, problem: CodebookProblem | CodebookChange) -> None:
        super().__init__(problem)
        self.problem = problem


class SampleError(ValueError):
    """A sample that cannot be drawn (e.g. the selection is empty)."""


# --- Codebook ---------------------------------------------------------------------------


def codes_of(process_id: int) -> list[Code]:
    """Every code of a process (active, retired and merged), by label."""
    stmt = sa.select(Code).where(Code.process_id == process_id).order_by(Code.label, Code.id)
    return list(db.session.scalars(stmt))


@dataclass
class CodeNode:
    code: Code
    children: list[Code] = field(default_factory=list)


def code_tree(codes: Iterable[Code]) -> list[CodeNode]:
    """The two-level tree of the codes that are not merged away, top-level codes by label."""
    codes = [c for c in codes if c.merged_into_id is None]
    nodes = {c.id: CodeNode(c) for c in codes if c.parent_id is None}
    for code in codes:
        if code.parent_id is not None and code.parent_id in nodes:
            nodes[code.parent_id].children.append(code)
    return list(nodes.values())


def assignment_counts(process_id: int) -> dict[int, int]:
    """Answers per code in the shared coding (samples' independent coding not counted)."""
    stmt = (
        sa.select(CodeAssignment.code_id, sa.func.count(CodeAssignment.answer_id))
        .join(Code, Code.id == CodeAssignment.code_id)
        .where(Code.process_id == process_id, CodeAssignment.sample_id.is_(None))
        .group_by(CodeAssignment.code_id)
    )
    return dict(db.session.execute(stmt).all())


def _label_taken(process_id: int, label: str, exclude_id: int | None = None) -> bool:
    stmt = (
        sa.select(sa.func.count())
        .select_from(Code)
        .where(Code.process_id == process_id, sa.func.lower(Code.label) == label.lower())
    )
    if exclude_id is not None:
        stmt = stmt.where(Code.id != exclude_id)
    return bool(db.session.scalar(stmt))


def _check_parent(code: Code | None, process_id: int, parent: Code | None) -> None:
    if parent is None:
        return
    if parent.process_id != process_id:
        raise CodebookError(CodebookProblem.OTHER_PROCESS)
    if not parent.active:
        raise CodebookError(CodebookProblem.RETIRED)
    has_children = code is not None and any(c.merged_into_id is None for c in code.children)
    problem = rules.parent_problem(
        code_id=code.id if code is not None else None,
        parent_id=parent.id,
        parent_has_parent=parent.parent_id is not None,
        code_has_children=has_children,
    )
    if problem is not None:
        raise CodebookError(problem)


def create_code(
    actor,
    process_id: int,
    *,
    label: str,
    description: str = "",
    theme_field_id: int | None = None,
    parent: Code | None = None,
) -> Code:
    label = label.strip()
    if _label_taken(process_id, label):
        raise CodebookError(CodebookChange.LABEL_TAKEN)
    _check_parent(None, process_id, parent)
    code = Code(process_id=process_id, created_by_id=getattr(actor, "id", None))
    return audit.save(
        actor,
        code,
        {
            "label": label,
            "description": description.strip(),
            "theme_field_id": theme_field_id,
            "parent_id": parent.id if parent else None,
        },
        created=True,
        name="code",
    )


def update_code(
    actor,
    code: Code,
    *,
    label: str,
    description: str,
    theme_field_id: int | None,
    parent: Code | None,
) -> Code:
    """Rename or describe a code, or move it in the tree; assignments stay where they are."""
    label = label.strip()
    if _label_taken(code.process_id, label, exclude_id=code.id):
        raise CodebookError(CodebookChange.LABEL_TAKEN)
    if parent is not None and parent.id != code.parent_id:
        _check_parent(code, code.process_id, parent)
    return audit.save(
        actor,
        code,
        {
            "label": label,
            "description": description.strip(),
            "theme_field_id": theme_field_id,
            "parent_id": parent.id if parent else None,
        },
        created=False,
        name="code",
    )


def retire_code(actor, code: Code) -> None:
    """No new assignments of the code; existing ones stay."""
    if code.merged_into_id is not None:
        raise CodebookError(CodebookChange.MERGED)
    if code.retired_at is None:
        code.retired_at = now_utc()
        figures.mark_stale(code_ids=[code.id])
        audit.record(actor, "code.retire", code, {"label": [code.label, code.label]})


def reactivate_code(actor, code: Code) -> None:
    if code.merged_into_id is not None:
        raise CodebookError(CodebookChange.MERGED)
    if code.parent is not None and not code.parent.active:
        raise CodebookError(CodebookProblem.RETIRED)
    if code.retired_at is not None:
        code.retired_at = None
        audit.record(actor, "code.reactivate", code, {"label": [code.label, code.label]})


def merge_code(actor, source: Code, target: Code) -> int:
    """Merge `source` into `target`; returns how many assignments moved.

    Every assignment of `source` moves to `target` and keeps its `original_code_id`; where the
    answer already has `target` (in the same coding), the duplicate is removed. Each is logged
    (MOVE). Codes merged into `source` earlier now point to `target` directly.
    """
    problem = rules.merge_problem(
        source_id=source.id,
        target_id=target.id,
        same_process=source.process_id == target.process_id,
        source_merged=source.merged_into_id is not None,
        target_active=target.active,
        source_has_active_children=any(c.active for c in source.children),
    )
    if problem is not None:
        raise CodebookError(problem)
    figures.mark_stale(code_ids=[source.id, target.id])
    ca = CodeAssignment
    rows = db.session.execute(
        sa.select(ca.id, ca.answer_id, ca.sample_id, ca.coder_id).where(ca.code_id == source.id)
    ).all()
    existing = {
        rules.assignment_key(*row)
        for row in db.session.execute(
            sa.select(ca.answer_id, ca.sample_id, ca.coder_id).where(ca.code_id == target.id)
        )
    }
    duplicates = [r.id for r in rows if rules.assignment_key(*r[1:]) in existing]
    moved = [r.id for r in rows if rules.assignment_key(*r[1:]) not in existing]
    if duplicates:
        db.session.execute(sa.delete(ca).where(ca.id.in_(duplicates)))
    if moved:
        db.session.execute(
            sa.update(ca).where(ca.id.in_(moved)).values(code_id=target.id),
            execution_options={"synchronize_session": False},
        )
    now = now_utc()
    duplicate_ids = set(duplicates)
    events = [
        {
            "at": now,
            "actor_id": getattr(actor, "id", None),
            "action": CodingAction.MOVE,
            "answer_id": r.answer_id,
            "code_id": target.id,
            "sample_id": r.sample_id,
            "detail": {"from": source.id, "to": target.id, "duplicate": r.id in duplicate_ids},
        }
        for r in rows
    ]
    if events:
        db.session.execute(sa.insert(CodingEvent), events)
    db.session.execute(
        sa.update(Code)
        .where(Code.merged_into_id == source.id)
        .values(merged_into_id=target.id)
        .execution_options(synchronize_session="fetch")
    )
    source.merged_into_id = target.id
    audit.record(
        actor,
        "code.merge",
        source,
        {"merged_into": [None, target.label], "count": [len(rows), 0]},
    )
    db.session.flush()
    db.session.expire_all()
    return len(rows)


def code_history(code: Code, limit: int = 100) -> tuple[list[AuditEntry], list[CodingEvent]]:
    """The audit entries of the code (and of codes merged into it) and its latest coding log."""
    merged_ids = db.session.scalars(sa.select(Code.id).where(Code.merged_into_id == code.id))
    ids = [str(code.id), *(str(i) for i in merged_ids)]
    entries = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.object_type == "Code", AuditEntry.object_id.in_(ids))
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    events = db.session.scalars(
        sa.select(CodingEvent)
        .where(CodingEvent.code_id == code.id, CodingEvent.sample_id.is_(None))
        .order_by(CodingEvent.id.desc())
        .limit(limit)
    )
    return list(entries), list(events)


def original_code_counts(code: Code) -> dict[str, int]:
    """Shared assignments of `code` by the code they were first made with (after merges)."""
    original = aliased(Code)
    stmt = (
        sa.select(original.label, sa.func.count())
        .select_from(CodeAssignment)
        .join(original, original.id == CodeAssignment.original_code_id)
        .where(CodeAssignment.code_id == code.id, CodeAssignment.sample_id.is_(None))
        .group_by(original.label)
        .order_by(original.label)
    )
    return dict(db.session.execute(stmt).all())


# --- Selecting answers ------------------------------------------------------------------


@dataclass(frozen=True)
class CodingFilters:
    theme_field_id: int | None = None
    question_id: int | None = None
    status: AnswerStatus | None = None
    perspective: Perspective | None = None
    bundesland: Bundesland | None = None
    channel: Channel | None = None
    event_id: int | None = None
    code_id: int | None = None
    uncoded: bool = False
    campaign: bool = False


@dataclass(frozen=True)
class Scope:
    """Whose codes count: the shared coding, or one coder's own in a double-coding sample."""

    sample_id: int | None = None
    coder_id: int | None = None

    def condition(self):
        if self.sample_id is None:
            return CodeAssignment.sample_id.is_(None)
        return sa.and_(
            CodeAssignment.sample_id == self.sample_id, CodeAssignment.coder_id == self.coder_id
        )


SHARED = Scope()


def _conditions(process_id: int, filters: CodingFilters, scope: Scope) -> list:
    theme_ids = sa.select(ThemeField.id).where(ThemeField.process_id == process_id)
    where: list = [Answer.theme_field_id.in_(theme_ids)]
    if scope.sample_id is not None:
        where.append(
            Answer.id.in_(
                sa.select(CodingSampleAnswer.answer_id).where(
                    CodingSampleAnswer.sample_id == scope.sample_id
                )
            )
        )
    for column, value in (
        (Answer.theme_field_id, filters.theme_field_id),
        (Answer.question_id, filters.question_id),
        (Answer.status, filters.status),
        (Answer.perspective, filters.perspective),
        (Answer.bundesland, filters.bundesland),
    ):
        if value is not None:
            where.append(column == value)
    for column, value in (
        (Submission.channel, filters.channel),
        (Submission.event_id, filters.event_id),
    ):
        if value is not None:
            where.append(sa.exists().where(Submission.id == Answer.submission_id, column == value))
    if filters.code_id is not None:
        code_ids = sa.select(Code.id).where(
            sa.or_(Code.id == filters.code_id, Code.parent_id == filters.code_id)
        )
        where.append(
            sa.exists().where(
                CodeAssignment.answer_id == Answer.id,
                CodeAssignment.code_id.in_(code_ids),
                scope.condition(),
            )
        )
    if filters.uncoded:
        where.append(~sa.exists().where(CodeAssignment.answer_id == Answer.id, scope.condition()))
    if filters.campaign:
        where.append(Answer.campaign_group_id.in_(quality.possible_campaign_ids(process_id)))
    return where


def answer_page(
    process_id: int,
    filters: CodingFilters,
    after_id: int | None,
    scope: Scope = SHARED,
    limit: int = PAGE_SIZE,
) -> tuple[list[Answer], int | None]:
    """One page of the filtered answers, oldest first, and the id to continue after."""
    stmt = (
        sa.select(Answer)
        .where(*_conditions(process_id, filters, scope))
        .order_by(Answer.id)
        .options(
            selectinload(Answer.submission),
            selectinload(Answer.question),
            selectinload(Answer.campaign_group),
        )
    )
    if after_id is not None:
        stmt = stmt.where(Answer.id > after_id)
    return keyset_page(stmt, limit)


def next_answer_id(
    process_id: int, filters: CodingFilters, after_id: int, scope: Scope = SHARED
) -> int | None:
    stmt = (
        sa.select(Answer.id)
        .where(*_conditions(process_id, filters, scope), Answer.id > after_id)
        .order_by(Answer.id)
        .limit(1)
    )
    return db.session.scalar(stmt)


def count_answers(process_id: int, filters: CodingFilters, scope: Scope = SHARED) -> int:
    stmt = (
        sa.select(sa.func.count())
        .select_from(Answer)
        .where(*_conditions(process_id, filters, scope))
    )
    return db.session.scalar(stmt)


def codes_by_answer(answer_ids: Iterable[int], scope: Scope = SHARED) -> dict[int, list[Code]]:
    """The codes of each answer in `scope` (never another coder's sample codes)."""
    ids = list(answer_ids)
    if not ids:
        return {}
    stmt = (
        sa.select(CodeAssignment.answer_id, Code)
        .join(Code, Code.id == CodeAssignment.code_id)
        .where(CodeAssignment.answer_id.in_(ids), scope.condition())
        .order_by(Code.label)
    )
    result: dict[int, list[Code]] = defaultdict(list)
    for answer_id, code in db.session.execute(stmt):
        result[answer_id].append(code)
    return result


def annotations_by_answer(answer_ids: Iterable[int]) -> dict[int, AnswerAnnotation]:
    ids = list(answer_ids)
    if not ids:
        return {}
    stmt = sa.select(AnswerAnnotation).where(AnswerAnnotation.answer_id.in_(ids))
    return {a.answer_id: a for a in db.session.scalars(stmt)}


# --- Coding one answer ------------------------------------------------------------------


def _insert(table):
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _assign(actor, answer_ids: sa.Select, code_id: int, scope: Scope) -> list[int]:
    """Assign `code_id` to the answers `answer_ids` selects that lack it; their ids, logged.

    One INSERT … SELECT; an assignment made at the same moment by someone else is skipped
    (ON CONFLICT DO NOTHING) instead of failing the request.
    """
    actor_id = scope.coder_id if scope.sample_id is not None else getattr(actor, "id", None)
    now = now_utc()
    source = sa.select(
        Answer.id,
        sa.literal(code_id),
        sa.literal(code_id),
        sa.cast(sa.literal(actor_id), sa.Integer),
        sa.cast(sa.literal(scope.sample_id), sa.Integer),
        sa.literal(now, UTCDateTime()),
    ).where(Answer.id.in_(answer_ids))
    columns = ["answer_id", "code_id", "original_code_id", "coder_id", "sample_id", "assigned_at"]
    stmt = _insert(CodeAssignment.__table__).from_select(columns, source)
    if scope.sample_id is None:
        stmt = stmt.on_conflict_do_nothing(
            index_elements=["answer_id", "code_id"], index_where=sa.text("sample_id IS NULL")
        )
    else:
        stmt = stmt.on_conflict_do_nothing(
            index_elements=["sample_id", "coder_id", "answer_id", "code_id"]
        )
    inserted = sorted(db.session.scalars(stmt.returning(CodeAssignment.__table__.c.answer_id)))
    _log(actor, CodingAction.ASSIGN, inserted, code_id=code_id, sample_id=scope.sample_id, at=now)
    return inserted


def _log(actor, action, answer_ids, *, code_id=None, sample_id=None, detail=None, at=None):
    rows = [
        {
            "at": at or now_utc(),
            "actor_id": getattr(actor, "id", None),
            "action": action,
            "answer_id": answer_id,
            "code_id": code_id,
            "sample_id": sample_id,
            "detail": detail or {},
        }
        for answer_id in answer_ids
    ]
    if rows:
        db.session.execute(sa.insert(CodingEvent), rows)


def assigned_code_ids(answer_id: int, scope: Scope) -> set[int]:
    stmt = sa.select(CodeAssignment.code_id).where(
        CodeAssignment.answer_id == answer_id, scope.condition()
    )
    return set(db.session.scalars(stmt))


def own_rating(answer_id: int, user_id: int) -> Rating | None:
    return db.session.scalar(
        sa.select(Rating).where(Rating.answer_id == answer_id, Rating.rater_id == user_id)
    )


@dataclass(frozen=True)
class CodingInput:
    """What the coding form sent. None for the note, proposal and ratings: not in the form."""

    code_ids: frozenset[int]
    offered_ids: frozenset[int]  # the checkboxes shown: only these may be added or removed
    note: str | None = None
    is_proposal: bool | None = None
    effectiveness: int | None = None
    feasibility: int | None = None
    rate: bool = False


def save_coding(actor, answer: Answer, data: CodingInput, scope: Scope = SHARED) -> int:
    """Apply the analyst's coding of one answer; returns how many things changed."""
    current = assigned_code_ids(answer.id, scope)
    wanted = data.code_ids & data.offered_ids
    if scope.sample_id is None:  # a coder's blind sample supports nothing
        figures.mark_stale(code_ids=(wanted ^ current) & data.offered_ids)
    changes = 0
    for code_id in sorted(wanted - current):
        changes += len(_assign(actor, sa.select(sa.literal(answer.id)), code_id, scope))
    removed = sorted((current - wanted) & data.offered_ids)
    if removed:
        db.session.execute(
            sa.delete(CodeAssignment).where(
                CodeAssignment.answer_id == answer.id,
                CodeAssignment.code_id.in_(removed),
                scope.condition(),
            )
        )
        for code_id in removed:
            _log(
                actor,
                CodingAction.UNASSIGN,
                [answer.id],
                code_id=code_id,
                sample_id=scope.sample_id,
            )
        changes += len(removed)
    if data.note is not None or data.is_proposal is not None:
        changes += _annotate(actor, answer, data)
    if data.rate:
        changes += _rate(actor, answer, data.effectiveness, data.feasibility)
    return changes


def _annotate(actor, answer: Answer, data: CodingInput) -> int:
    annotation = db.session.get(AnswerAnnotation, answer.id)
    old_note = annotation.note if annotation else ""
    old_proposal = annotation.is_proposal if annotation else False
    note = old_note if data.note is None else data.note.strip()
    proposal = old_proposal if data.is_proposal is None else data.is_proposal
    if (note, proposal) == (old_note, old_proposal):
        return 0
    if annotation is None:
        annotation = AnswerAnnotation(answer_id=answer.id)
        db.session.add(annotation)
    annotation.note = note
    annotation.is_proposal = proposal
    annotation.updated_by_id = getattr(actor, "id", None)
    changes = 0
    if note != old_note:
        _log(actor, CodingAction.NOTE, [answer.id], detail={"note": [old_note, note]})
        changes += 1
    if proposal != old_proposal:
        detail = {"is_proposal": [old_proposal, proposal]}
        _log(actor, CodingAction.PROPOSAL, [answer.id], detail=detail)
        changes += 1
    return changes


def _rate(actor, answer: Answer, effectiveness: int | None, feasibility: int | None) -> int:
    if not (rules.valid_rating(effectiveness) and rules.valid_rating(feasibility)):
        raise ValueError("rating outside 1–5")
    rating = own_rating(answer.id, actor.id)
    old = (rating.effectiveness, rating.feasibility) if rating else (None, None)
    if old == (effectiveness, feasibility):
        return 0
    if rating is None:
        rating = Rating(answer_id=answer.id, rater_id=actor.id)
        db.session.add(rating)
    rating.effectiveness = effectiveness
    rating.feasibility = feasibility
    rating.rated_at = now_utc()
    _log(
        actor,
        CodingAction.RATE,
        [answer.id],
        detail={"effectiveness": [old[0], effectiveness], "feasibility": [old[1], feasibility]},
    )
    return 1


def answer_history(answer_id: int, limit: int = 50) -> list[CodingEvent]:
    """The shared coding log of an answer (samples' blind coding left out), newest first."""
    stmt = (
        sa.select(CodingEvent)
        .where(CodingEvent.answer_id == answer_id, CodingEvent.sample_id.is_(None))
        .order_by(CodingEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def _has_code(code: Code):
    return sa.exists().where(
        CodeAssignment.answer_id == Answer.id,
        CodeAssignment.code_id == code.id,
        CodeAssignment.sample_id.is_(None),
    )


def count_without_code(process_id: int, filters: CodingFilters, code: Code) -> int:
    """Answers of the selection that do not have `code` yet (what a bulk assignment adds)."""
    stmt = (
        sa.select(sa.func.count())
        .select_from(Answer)
        .where(*_conditions(process_id, filters, SHARED), ~_has_code(code))
    )
    return db.session.scalar(stmt)


def bulk_assign(actor, process_id: int, filters: CodingFilters, code: Code) -> int:
    """Assign `code` to every answer of the selection that lacks it, in batches; how many."""
    if not code.active:
        raise CodebookError(CodebookProblem.RETIRED)
    conditions = _conditions(process_id, filters, SHARED)
    has_code = _has_code(code)
    figures.mark_stale(code_ids=[code.id])
    total, after = 0, 0
    while True:
        batch = list(
            db.session.scalars(
                sa.select(Answer.id)
                .where(*conditions, ~has_code, Answer.id > after)
                .order_by(Answer.id)
                .limit(BULK_BATCH)
            )
        )
        if not batch:
            return total
        chosen = sa.select(Answer.id).where(Answer.id.in_(batch))
        total += len(_assign(actor, chosen, code.id, SHARED))
        after = batch[-1]


# --- Double-coding samples --------------------------------------------------------------


def coders() -> list[User]:
    """Active accounts that may code: analysts and analyst leads."""
    stmt = (
        sa.select(User)
        .where(
            User.active.is_(True),
            User.id.in_(sa.select(UserRole.user_id).where(UserRole.role.in_(CODER_ROLES))),
        )
        .order_by(User.email)
    )
    return list(db.session.scalars(stmt))


def create_sample(
    actor,
    process_id: int,
    *,
    name: str,
    percent: float,
    coder_a: User,
    coder_b: User,
    filters: CodingFilters,
    filter_args: dict[str, str],
) -> CodingSample:
    """Draw `percent` % of the selection at random (seed stored) for two coders."""
    if coder_a.id == coder_b.id:
        raise SampleError("two different coders needed")
    population = list(
        db.session.scalars(sa.select(Answer.id).where(*_conditions(process_id, filters, SHARED)))
    )
    seed = secrets.randbits(62)  # fits a signed BIGINT
    drawn = rules.draw_sample(population, percent, seed)
    if not drawn:
        raise SampleError("empty selection")
    sample = CodingSample(
        process_id=process_id,
        name=name.strip(),
        percent=percent,
        seed=seed,
        filters=filter_args,
        coder_a_id=coder_a.id,
        coder_b_id=coder_b.id,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(sample)
    db.session.flush()
    db.session.execute(
        sa.insert(CodingSampleAnswer), [{"sample_id": sample.id, "answer_id": a} for a in drawn]
    )
    audit.record(
        actor,
        "coding_sample.create",
        sample,
        {
            "name": [None, sample.name],
            "count": [None, len(drawn)],
            "coders": [None, [coder_a.display_name, coder_b.display_name]],
        },
    )
    return sample


def samples_of(process_id: int, coder_id: int | None = None) -> list[CodingSample]:
    stmt = (
        sa.select(CodingSample)
        .where(CodingSample.process_id == process_id)
        .order_by(CodingSample.id.desc())
        .options(selectinload(CodingSample.coder_a), selectinload(CodingSample.coder_b))
    )
    if coder_id is not None:
        stmt = stmt.where(
            sa.or_(CodingSample.coder_a_id == coder_id, CodingSample.coder_b_id == coder_id)
        )
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class SampleProgress:
    total: int
    coded: dict[int, int]  # coder id → answers with at least one of their codes

    def of(self, coder_id: int | None) -> int:
        return self.coded.get(coder_id, 0) if coder_id is not None else 0


def sample_progress(samples: Iterable[CodingSample]) -> dict[int, SampleProgress]:
    """Answers per sample and how many each coder has coded; never which codes."""
    ids = [s.id for s in samples]
    if not ids:
        return {}
    totals = dict(
        db.session.execute(
            sa.select(CodingSampleAnswer.sample_id, sa.func.count())
            .where(CodingSampleAnswer.sample_id.in_(ids))
            .group_by(CodingSampleAnswer.sample_id)
        ).all()
    )
    coded: dict[int, dict[int, int]] = defaultdict(dict)
    stmt = (
        sa.select(
            CodeAssignment.sample_id,
            CodeAssignment.coder_id,
            sa.func.count(sa.distinct(CodeAssignment.answer_id)),
        )
        .where(CodeAssignment.sample_id.in_(ids))
        .group_by(CodeAssignment.sample_id, CodeAssignment.coder_id)
    )
    for sample_id, coder_id, count in db.session.execute(stmt):
        coded[sample_id][coder_id] = count
    return {i: SampleProgress(totals.get(i, 0), coded.get(i, {})) for i in ids}
