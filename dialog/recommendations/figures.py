"""The kept public figures of recommendations (RecommendationSupport): the public results never
count answers per request.

Every service that changes what supports a recommendation calls `mark_stale` once, in its own
transaction, before rows it names are deleted: evidence links, merges and status changes,
documentation entries, answers deleted by their authors, moderation, coding, code merges and
campaign decisions. The public pages call `fresh_figures` for the recommendations they show,
which recomputes only the stale (or missing) rows from the live support (services.support),
so that a change shows at the next request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AnswerStatus
from dialog.coding.models import Code, CodeAssignment, in_shared_coding
from dialog.common.clock import now_utc
from dialog.extensions import db
from dialog.process.models import Process
from dialog.recommendations import services
from dialog.recommendations.models import (
    PublicResultsVersion,
    Recommendation,
    RecommendationEvidence,
    RecommendationSupport,
)
from dialog.recommendations.rules import EvidenceKind

QUOTES = 3  # supporting answers kept to quote
MERGE_DEPTH = 5  # how far up merges are followed from changed evidence (as services do)

_T = RecommendationSupport.__table__
FIGURE_COLUMNS = (
    "answers",
    "voices",
    "perspectives",
    "campaign_answers",
    "published_answers",
    "documentation_entries",
    "agreement",
)


@dataclass(frozen=True)
class Figures:
    """What the public sees of a recommendation's support."""

    answers: int = 0
    voices: int = 0
    perspectives: int = 0
    campaign_answers: int = 0
    published_answers: int = 0
    documentation_entries: int = 0
    agreement: int = 0
    quote_ids: tuple[int, ...] = ()


def _insert(table: sa.Table = _T):
    """An INSERT of the session's dialect, which knows ON CONFLICT (an upsert)."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


# -- marking --------------------------------------------------------------------------------


def mark_stale(
    *,
    recommendation_ids: Iterable[int] = (),
    answer_ids: Iterable[int] = (),
    code_ids: Iterable[int] = (),
    documentation_ids: Iterable[int] = (),
    process_id: int | None = None,
) -> None:
    """Mark the figures of the recommendations that these changes touch as stale: the ones
    named, the ones the answers support (directly or through a code they carry), the ones
    citing a code of the codes' merge family or a documentation entry, every one of
    `process_id`, and every recommendation they were merged into. Call it before deleting."""
    ev = RecommendationEvidence
    found: set[int] = set(recommendation_ids)
    answer_ids, code_ids = list(answer_ids), set(code_ids)
    documentation_ids = list(documentation_ids)
    if process_id is not None:
        found |= set(
            db.session.scalars(
                sa.select(Recommendation.id).where(Recommendation.process_id == process_id)
            )
        )
    if answer_ids:
        found |= set(
            db.session.scalars(
                sa.select(ev.recommendation_id).where(
                    ev.kind == EvidenceKind.ANSWER, ev.answer_id.in_(answer_ids)
                )
            )
        )
        ca = CodeAssignment
        code_ids |= set(
            db.session.scalars(
                sa.select(ca.code_id).where(ca.answer_id.in_(answer_ids), in_shared_coding())
            )
        )
    if code_ids:
        # A link names the code as linked; it counts the code that one was merged into.
        family = set(code_ids) | set(
            db.session.scalars(
                sa.select(Code.id).where(
                    sa.or_(Code.merged_into_id.in_(code_ids), Code.id.in_(code_ids))
                )
            )
        )
        family |= set(
            db.session.scalars(
                sa.select(Code.merged_into_id).where(
                    Code.id.in_(family), Code.merged_into_id.is_not(None)
                )
            )
        )
        found |= set(
            db.session.scalars(
                sa.select(ev.recommendation_id).where(
                    ev.kind == EvidenceKind.CODE, ev.code_id.in_(family)
                )
            )
        )
    if documentation_ids:
        found |= set(
            db.session.scalars(
                sa.select(ev.recommendation_id).where(
                    ev.kind == EvidenceKind.DOCUMENTATION,
                    ev.documentation_id.in_(documentation_ids),
                )
            )
        )
    if not found:
        return
    frontier = set(found)
    for _depth in range(MERGE_DEPTH):
        targets = set(
            db.session.scalars(
                sa.select(ev.recommendation_id).where(
                    ev.kind == EvidenceKind.RECOMMENDATION,
                    ev.source_recommendation_id.in_(frontier),
                )
            )
        )
        frontier = targets - found
        if not frontier:
            break
        found |= frontier
    _upsert_stale(sorted(found))
    _raise_versions(sorted(found))


def _upsert_stale(rec_ids: list[int]) -> None:
    """A stale row for each (a placeholder where none was kept yet), its generation raised."""
    empty = dict.fromkeys(FIGURE_COLUMNS, 0)
    rows = [
        {"recommendation_id": i, **empty, "quote_ids": [], "stale": True, "generation": 1}
        for i in rec_ids
    ]
    stmt = _insert().values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["recommendation_id"],
        set_={"stale": True, "generation": _T.c.generation + 1},
    )
    db.session.execute(stmt)


# -- reading --------------------------------------------------------------------------------


def version(process_slug: str) -> int:
    """A number that changes with every change the public results of the process show (see
    PublicResultsVersion): the rendered page is kept until it changes (public_views)."""
    # A connection of its own, without the ORM session: this is the whole cost of a cached
    # page, and the session's machinery was most of it.
    with db.engine.connect() as connection:
        return connection.execute(_VERSION, {"slug": process_slug}).scalar() or 0


_VERSION = (
    sa.select(PublicResultsVersion.version)
    .join(Process, Process.id == PublicResultsVersion.process_id)
    .where(Process.slug == sa.bindparam("slug"))
)


def _raise_versions(rec_ids: list[int]) -> None:
    processes = sorted(
        set(
            db.session.scalars(
                sa.select(Recommendation.process_id).where(Recommendation.id.in_(rec_ids))
            )
        )
    )
    if not processes:
        return
    table = PublicResultsVersion.__table__
    stmt = _insert(table).values([{"process_id": p, "version": 1} for p in processes])
    db.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["process_id"], set_={"version": table.c.version + 1}
        )
    )


def compute(rec: Recommendation) -> Figures:
    """The figures of one recommendation, counted live from its evidence."""
    live = services.support(rec)
    ids = services.supporting_ids(services.family_ids(rec.id))
    published = (
        sa.select(Answer.id)
        .join(ids, ids.c.answer_id == Answer.id)
        .where(Answer.status == AnswerStatus.PUBLISHED)
    )
    quotes = (
        published.join(Submission, Submission.id == Answer.submission_id)
        .where(Submission.publication_consent.is_(True))
        .order_by(Answer.id)
        .limit(QUOTES)
    )
    return Figures(
        answers=live.total,
        voices=live.voices,
        perspectives=sum(1 for value, _n in live.by_perspective if value is not None),
        campaign_answers=live.campaign_answers,
        published_answers=db.session.scalar(published.with_only_columns(sa.func.count(Answer.id)))
        or 0,
        documentation_entries=len(live.documentation),
        agreement=live.agreement,
        quote_ids=tuple(db.session.scalars(quotes)),
    )


def _figures_of(row) -> Figures:
    return Figures(
        **{name: getattr(row, name) for name in FIGURE_COLUMNS},
        quote_ids=tuple(row.quote_ids or ()),
    )


def fresh_figures(recs: list[Recommendation]) -> dict[int, Figures]:
    """The kept figures of `recs`, recomputing the stale or missing rows first (flushed, for
    the view to commit)."""
    if not recs:
        return {}
    kept = {
        row.recommendation_id: row
        for row in db.session.execute(
            sa.select(_T).where(_T.c.recommendation_id.in_([r.id for r in recs]))
        )
    }
    result: dict[int, Figures] = {}
    for rec in sorted(recs, key=lambda r: r.id):
        row = kept.get(rec.id)
        if row is not None and not row.stale:
            result[rec.id] = _figures_of(row)
            continue
        figures = compute(rec)
        values = {
            **{name: getattr(figures, name) for name in FIGURE_COLUMNS},
            "quote_ids": list(figures.quote_ids),
            "computed_at": now_utc(),
            "stale": False,
        }
        if row is None:
            stmt = _insert().values(recommendation_id=rec.id, generation=0, **values)
            db.session.execute(stmt.on_conflict_do_nothing(index_elements=["recommendation_id"]))
        else:
            # Only if nobody marked it again meanwhile: their change may be missing here.
            db.session.execute(
                sa.update(_T)
                .where(_T.c.recommendation_id == rec.id, _T.c.generation == row.generation)
                .values(**values)
            )
        result[rec.id] = figures
    return result
