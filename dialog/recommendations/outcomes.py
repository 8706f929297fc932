"""What became of a participant's answers: the published recommendations they support,
directly, through a code they carry in the shared coding (merged codes followed), or through a
recommendation that was merged into a published one.

The private link of a submission and the notification digests ask this for one person's few
answers. What is the same for everyone — which recommendations cite which code, which codes
and recommendations were merged into which, which are published with what status and public
note — is kept per process as an index until the public results change (figures.version, raised
by every such change); per request only the version and the rows of the person's own answers
are read: their direct links and the codes they carry, in one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from dialog.coding.models import Code, CodeAssignment, in_shared_coding
from dialog.common import pagecache
from dialog.extensions import db
from dialog.recommendations import rules
from dialog.recommendations.models import (
    PublicResultsVersion,
    Recommendation,
    RecommendationEvidence,
    RecommendationStatusChange,
)
from dialog.recommendations.rules import EvidenceKind, RecommendationStatus

MERGE_DEPTH = 5  # how many merges up a recommendation is followed from its evidence


@dataclass(frozen=True)
class PublishedRecommendation:
    id: int
    title: str
    status: RecommendationStatus


@dataclass(frozen=True)
class PublicNote:
    """The latest status change of a recommendation that has a public note."""

    at: datetime
    public_note: str
    progress_percent: int | None
    link: str


@dataclass(frozen=True)
class Outcome:
    """A published recommendation that an answer supports, as its author may see it. One
    object per recommendation, shared by every page until the results change: `rendered` keeps
    its HTML per language for the pages that show it."""

    recommendation: PublishedRecommendation
    note: PublicNote | None
    rendered: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class _Index:
    citing_code: dict[int, tuple[int, ...]]  # code → recommendations citing it as evidence
    merged_codes: dict[int, tuple[int, ...]]  # code → the codes merged into it
    merged_into: dict[int, tuple[int, ...]]  # recommendation → the ones it was merged into
    published: dict[int, Outcome]  # published recommendation → what its supporters see


def outcomes_of_answers(process_id: int, answer_ids: Iterable[int]) -> dict[int, list[Outcome]]:
    """Per answer of the process, the published recommendations it supports, by title."""
    answer_ids = list(answer_ids)
    if not answer_ids:
        return {}
    version = 0
    direct: dict[int, set[int]] = {}
    carried: list[tuple[int, int]] = []
    rows = db.session.execute(_OWN_ROWS, {"ids": answer_ids, "process_id": process_id})
    for answer_id, rec_id, code_id in rows:
        if answer_id is None:
            version = code_id
        elif rec_id is not None:
            direct.setdefault(answer_id, set()).add(rec_id)
        else:
            carried.append((answer_id, code_id))
    index = _index(process_id, version)
    for answer_id, rec_id in _through_codes(index, carried):
        direct.setdefault(answer_id, set()).add(rec_id)
    result: dict[int, list[Outcome]] = {}
    for answer_id, rec_ids in direct.items():
        reached = _with_merge_targets(index, rec_ids)
        shown = [index.published[i] for i in reached if i in index.published]
        if shown:
            result[answer_id] = sorted(shown, key=lambda o: o.recommendation.title)
    return result


def _own_rows() -> sa.CompoundSelect:
    """(answer, recommendation linked to it, NULL) and (answer, NULL, code it carries); and,
    in the same round trip, (NULL, NULL, the process's results version: figures.version)."""
    ev, ca, v = RecommendationEvidence, CodeAssignment, PublicResultsVersion
    ids = sa.bindparam("ids", expanding=True)
    none = sa.cast(sa.null(), sa.Integer)
    return sa.union_all(
        sa.select(none, none, v.version).where(v.process_id == sa.bindparam("process_id")),
        sa.select(ev.answer_id, ev.recommendation_id, sa.null().label("code_id")).where(
            ev.kind == EvidenceKind.ANSWER, ev.answer_id.in_(ids)
        ),
        sa.select(ca.answer_id, sa.null(), ca.code_id).where(
            ca.answer_id.in_(ids), in_shared_coding()
        ),
    )


_OWN_ROWS = _own_rows()  # built once: it is read for every private link


def _through_codes(index: _Index, carried: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(answer, recommendation) where the recommendation cites a code the answer carries, or a
    code merged into it: a link names the code as linked, an answer carries the code it was
    merged into."""
    codes = {code_id for _answer, code_id in carried}
    standing_for = dict.fromkeys(codes) | {
        merged: code_id for code_id in codes for merged in index.merged_codes.get(code_id, ())
    }
    citing: dict[int, set[int]] = {}
    for code_id, into in standing_for.items():
        for rec_id in index.citing_code.get(code_id, ()):
            citing.setdefault(into or code_id, set()).add(rec_id)
    return [
        (answer_id, rec_id) for answer_id, code_id in carried for rec_id in citing.get(code_id, ())
    ]


def _with_merge_targets(index: _Index, rec_ids: set[int]) -> set[int]:
    """The recommendations and, up to MERGE_DEPTH merges up, those they went into."""
    found, frontier = set(rec_ids), set(rec_ids)
    for _depth in range(MERGE_DEPTH):
        frontier = {t for s in frontier for t in index.merged_into.get(s, ())} - found
        if not frontier:
            break
        found |= frontier
    return found


def _index(process_id: int, version: int) -> _Index:
    """The process's index at its results `version` (kept until the version changes)."""
    key = ("outcome_index", process_id, version)
    return pagecache.remember(key, lambda: _build_index(process_id))


def _build_index(process_id: int) -> _Index:
    ev, rec = RecommendationEvidence, Recommendation
    citing_code: dict[int, list[int]] = {}
    merged_into: dict[int, list[int]] = {}
    links = db.session.execute(
        sa.select(ev.kind, ev.recommendation_id, ev.code_id, ev.source_recommendation_id)
        .join(rec, rec.id == ev.recommendation_id)
        .where(
            rec.process_id == process_id,
            ev.kind.in_((EvidenceKind.CODE, EvidenceKind.RECOMMENDATION)),
        )
    )
    for kind, rec_id, code_id, source_id in links:
        if kind == EvidenceKind.CODE:
            citing_code.setdefault(code_id, []).append(rec_id)
        else:
            merged_into.setdefault(source_id, []).append(rec_id)
    merged_codes: dict[int, list[int]] = {}
    for code_id, into in db.session.execute(
        sa.select(Code.id, Code.merged_into_id).where(
            Code.process_id == process_id, Code.merged_into_id.is_not(None)
        )
    ):
        merged_codes.setdefault(into, []).append(code_id)
    published = {
        rec_id: PublishedRecommendation(rec_id, title, status)
        for rec_id, title, status in db.session.execute(
            sa.select(rec.id, rec.title, rec.status).where(
                rec.process_id == process_id, rec.status.in_(rules.PUBLISHED)
            )
        )
    }
    notes = latest_public_notes(list(published))
    return _Index(
        citing_code={k: tuple(v) for k, v in citing_code.items()},
        merged_codes={k: tuple(v) for k, v in merged_codes.items()},
        merged_into={k: tuple(v) for k, v in merged_into.items()},
        published={i: Outcome(r, notes.get(i)) for i, r in published.items()},
    )


def latest_public_notes(rec_ids: list[int]) -> dict[int, PublicNote]:
    """Per recommendation, its latest status change with a public note (if any)."""
    if not rec_ids:
        return {}
    c = RecommendationStatusChange
    rows = db.session.execute(
        sa.select(c.recommendation_id, c.at, c.public_note, c.progress_percent, c.link)
        .where(c.recommendation_id.in_(rec_ids), c.public_note != "")
        .order_by(c.at, c.id)
    )
    return {rec_id: PublicNote(*note) for rec_id, *note in rows}
