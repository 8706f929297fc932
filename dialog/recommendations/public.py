"""The public side of recommendations ("wir haben gehandelt"): the published recommendations
with their kept figures, quotes and latest public note, the answers supporting one, and the
public status changes for the feed. Reads only; `results` flushes refreshed figures."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AnswerStatus
from dialog.common.clock import today_local
from dialog.common.pagination import keyset_page
from dialog.extensions import db
from dialog.process.models import Process, ThemeField
from dialog.recommendations import figures, outcomes, rules, services
from dialog.recommendations.figures import Figures
from dialog.recommendations.models import (
    Recommendation,
    RecommendationStatusChange,
    recommendation_theme_fields,
)
from dialog.recommendations.rules import OptionList, RecommendationStatus

FEED_ENTRIES = 50  # status changes in the Atom feed
PAGE_SIZE = 20  # supporting answers per page, as on the answers page
RESULTS_PER_PAGE = 20  # recommendations per page of the results (open data: all of them)

# Datenlizenz Deutschland – Namensnennung – Version 2.0: the open data's licence.
LICENCE_ID = "dl-de/by-2-0"
LICENCE_NAME = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"


def results_shown(process: Process) -> bool:
    return rules.results_shown(today_local(), [p.span for p in process.phases])


@dataclass(frozen=True)
class PublicFilters:
    theme_field_id: int | None = None
    addressee: str | None = None
    status: RecommendationStatus | None = None


@dataclass
class PublicRecommendation:
    """A published recommendation as the public sees it."""

    recommendation: Recommendation
    figures: Figures
    note: outcomes.PublicNote | None  # the latest status change with a public note
    quotes: list[Answer] = field(default_factory=list)


def addressees(process_id: int) -> list[str]:
    """The process's addressees, and any other one a published recommendation names."""
    listed = services.options_of(process_id, OptionList.ADDRESSEE)
    used = db.session.scalars(
        sa.select(Recommendation.addressee)
        .where(
            Recommendation.process_id == process_id,
            Recommendation.status.in_(rules.PUBLISHED),
            Recommendation.addressee != "",
        )
        .distinct()
    )
    return listed + sorted(set(used) - set(listed))


def _published(process_id: int, filters: PublicFilters) -> sa.Select:
    stmt = sa.select(Recommendation).where(
        Recommendation.process_id == process_id, Recommendation.status.in_(rules.PUBLISHED)
    )
    if filters.theme_field_id is not None:
        rtf = recommendation_theme_fields
        stmt = stmt.where(
            Recommendation.id.in_(
                sa.select(rtf.c.recommendation_id).where(
                    rtf.c.theme_field_id == filters.theme_field_id
                )
            )
        )
    if filters.addressee is not None:
        stmt = stmt.where(Recommendation.addressee == filters.addressee)
    if filters.status is not None:
        stmt = stmt.where(Recommendation.status == filters.status)
    return stmt


def published_recommendations(
    process_id: int, filters: PublicFilters, page: int | None = None
) -> list[Recommendation]:
    """The published recommendations of the filters by title: all, or one page of them."""
    stmt = (
        _published(process_id, filters)
        .options(selectinload(Recommendation.theme_fields))
        .order_by(Recommendation.title, Recommendation.id)
    )
    if page is not None:
        stmt = stmt.limit(RESULTS_PER_PAGE).offset((page - 1) * RESULTS_PER_PAGE)
    return list(db.session.scalars(stmt))


def count_published(process_id: int, filters: PublicFilters) -> int:
    stmt = _published(process_id, filters).with_only_columns(sa.func.count(Recommendation.id))
    return db.session.scalar(stmt) or 0


def pages(total: int) -> int:
    return max(1, -(-total // RESULTS_PER_PAGE))


def quotable(answer_ids: list[int]) -> dict[int, Answer]:
    """The answers among `answer_ids` that are published with publication consent."""
    if not answer_ids:
        return {}
    stmt = (
        sa.select(Answer)
        .join(Submission, Submission.id == Answer.submission_id)
        .where(
            Answer.id.in_(answer_ids),
            Answer.status == AnswerStatus.PUBLISHED,
            Submission.publication_consent.is_(True),
        )
        .options(selectinload(Answer.submission), selectinload(Answer.question))
    )
    return {a.id: a for a in db.session.scalars(stmt)}


def results(
    process_id: int, filters: PublicFilters, *, quotes: bool = True, page: int | None = None
):
    """The published recommendations of the filters (all, or one page), each with its
    figures (stale ones recomputed), its latest public note and its quotes."""
    recs = published_recommendations(process_id, filters, page)
    kept = figures.fresh_figures(recs)
    notes = outcomes.latest_public_notes([r.id for r in recs])
    quoted = quotable([i for f in kept.values() for i in f.quote_ids]) if quotes else {}
    return [
        PublicRecommendation(
            recommendation=r,
            figures=kept[r.id],
            note=notes.get(r.id),
            quotes=[quoted[i] for i in kept[r.id].quote_ids if i in quoted],
        )
        for r in recs
    ]


def published_recommendation(process_id: int, rec_id: int | None) -> Recommendation | None:
    if rec_id is None:
        return None
    rec = db.session.get(Recommendation, rec_id)
    if rec is None or rec.process_id != process_id or rec.status not in rules.PUBLISHED:
        return None
    return rec


def supporting_published_answers(
    rec: Recommendation, before_id: int | None, limit: int = PAGE_SIZE
) -> tuple[list[Answer], int | None]:
    """One page of the published answers supporting `rec`, newest first (keyset on id)."""
    ids = services.supporting_ids(services.family_ids(rec.id))
    stmt = (
        sa.select(Answer)
        .join(ids, ids.c.answer_id == Answer.id)
        .where(Answer.status == AnswerStatus.PUBLISHED)
        .order_by(Answer.id.desc())
        .options(selectinload(Answer.submission), selectinload(Answer.question))
    )
    if before_id is not None:
        stmt = stmt.where(Answer.id < before_id)
    return keyset_page(stmt, limit)


def theme_field_of(process: Process, slug: str) -> ThemeField | None:
    return next((t for t in process.theme_fields if t.slug == slug), None)


def feed_changes(process_id: int, limit: int = FEED_ENTRIES):
    """The latest public status changes: to a published status, of recommendations that are
    published now; newest first, each with its recommendation."""
    c = RecommendationStatusChange
    stmt = (
        sa.select(c, Recommendation)
        .join(Recommendation, Recommendation.id == c.recommendation_id)
        .where(
            Recommendation.process_id == process_id,
            Recommendation.status.in_(rules.PUBLISHED),
            c.to_status.in_(rules.PUBLISHED),
        )
        .order_by(c.at.desc(), c.id.desc())
        .limit(limit)
    )
    return list(db.session.execute(stmt))
