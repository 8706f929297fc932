"""Detecting campaign groups, flags and languages with the analysis, and reviewing groups.

The analysis (analysis.quality) computes; these functions give it a process's answers with
the groups analysts have reviewed, store what it found with the answers, and apply the
analysts' decisions. Services take the acting user explicitly, flush but never commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from dialog.answers.models import Answer, Submission
from dialog.common import audit
from dialog.common.audit import AuditEntry
from dialog.common.clock import now_utc
from dialog.common.pagination import keyset_page
from dialog.extensions import db
from dialog.process.models import Process, ThemeField
from dialog.quality import rules
from dialog.quality.models import CampaignGroup
from dialog.quality.rules import CampaignStatus, ReviewProblem, SplitAction
from dialog.recommendations import figures

if TYPE_CHECKING:
    import pandas as pd

CHECK_BATCH = 2_000  # new answers per call of the analysis' flags (its fixed cost is per call)
WRITE_BATCH = 1_000  # answers per executemany UPDATE
MEMBERS_PAGE = 100  # answers per page of a group

_T = Answer.__table__
# Only the quality columns change; `updated_at` stays what it was (the answer did not change)
# and guards against an author's edit since the answer was read.
_WRITE_QUALITY = (
    sa.update(_T)
    .where(_T.c.id == sa.bindparam("b_id"), _T.c.updated_at == sa.bindparam("b_seen"))
    .values(
        campaign_group_id=sa.bindparam("b_group"),
        campaign_similarity=sa.bindparam("b_similarity"),
        flag_empty_reason=sa.bindparam("b_empty"),
        flag_spam_reason=sa.bindparam("b_spam"),
        flag_abuse_reason=sa.bindparam("b_abuse"),
        language=sa.bindparam("b_language"),
        quality_checked_at=sa.bindparam("b_checked"),
        updated_at=_T.c.updated_at,
    )
)
_WRITE_FLAGS = (
    sa.update(_T)
    .where(
        _T.c.id == sa.bindparam("b_id"),
        _T.c.updated_at == sa.bindparam("b_seen"),
        _T.c.quality_checked_at.is_(None),
    )
    .values(
        flag_empty_reason=sa.bindparam("b_empty"),
        flag_spam_reason=sa.bindparam("b_spam"),
        flag_abuse_reason=sa.bindparam("b_abuse"),
        language=sa.bindparam("b_language"),
        quality_checked_at=sa.bindparam("b_checked"),
        updated_at=_T.c.updated_at,
    )
)


class DetectionConflict(RuntimeError):
    """Groups were reviewed or replaced while the detection ran: nothing was stored."""


class ReviewError(ValueError):
    """A review that is not possible; `problem` says why."""

    def __init__(self, problem: ReviewProblem) -> None:
        super().__init__(problem)
        self.problem = problem


# --- Detection --------------------------------------------------------------------------


@dataclass(frozen=True)
class Detection:
    """What a detection found in one process."""

    answers: int
    groups: int  # suggested groups (new or found again)
    grouped: int  # answers in them
    reviewed_groups: int  # kept as the analysts left them
    flagged: Counter = field(default_factory=Counter)  # FlagKind → answers
    languages: Counter = field(default_factory=Counter)  # code → answers
    changed: int = 0  # answers whose group, flags or language changed


def count_answers(process_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Answer)
        .join(ThemeField, ThemeField.id == Answer.theme_field_id)
        .where(ThemeField.process_id == process_id)
    )


def detect(actor, process: Process) -> Detection:
    """Group the process's answers into possible campaigns and flag every answer.

    Groups that analysts reviewed keep their members (the analysis is told so); the others
    are replaced by what the analysis finds now, keeping the id of a group found again. Only
    answers whose values changed are written. Raises DetectionConflict when groups of the
    process were reviewed or replaced meanwhile.
    """
    from analysis import quality

    snapshot = _group_states(process.id)
    rows = _answer_rows(process.id)
    frame = _answers_frame(rows)
    assessed = quality.assess(frame, quality.QualityOptions()) if rows else None
    if _group_states(process.id, lock=True) != snapshot:
        raise DetectionConflict(process.id)

    now = now_utc()
    figures.mark_stale(process_id=process.id)
    new_groups, group_of_answer = _fresh_groups(rows, assessed)
    old_of = {r.id: r.group_id for r in rows if r.group_id is not None and not r.reviewed}
    reused = rules.reuse_ids([g.members for g in new_groups], old_of)
    ids = []
    for group, old_id in zip(new_groups, reused, strict=True):
        stored = db.session.get(CampaignGroup, old_id) if old_id is not None else None
        if stored is None:
            stored = CampaignGroup(process_id=process.id, status=CampaignStatus.SUGGESTED)
            db.session.add(stored)
        stored.representative_id = group.representative
        stored.size = len(group.members)
        stored.similarity_min, stored.similarity_median = group.spread
        stored.detected_at = now
        ids.append(stored)
    db.session.flush()
    group_ids = [g.id for g in ids]

    changes, flagged, languages = [], Counter(), Counter()
    for row, found in zip(rows, _found(assessed), strict=True):
        if row.reviewed:
            target_group, similarity = row.group_id, row.similarity
        elif (index := group_of_answer.get(row.id)) is not None:
            target_group, similarity = group_ids[index], found["similarity"]
        else:
            target_group, similarity = None, None
        for kind in rules.FlagKind:
            flagged[kind] += found[kind] is not None
        languages[found["language"] or rules.UNDETERMINED] += 1
        values = (
            target_group,
            similarity,
            found[rules.FlagKind.EMPTY],
            found[rules.FlagKind.SPAM],
            found[rules.FlagKind.ABUSE],
            found["language"],
        )
        current = (row.group_id, row.similarity, row.empty, row.spam, row.abuse, row.language)
        if values != current or row.checked_at is None:
            changes.append(_quality_params(row, values, now))
    _write(_WRITE_QUALITY, changes)
    unreviewed = {group_id for group_id, reviewed in snapshot.items() if not reviewed}
    stale = unreviewed - set(group_ids)  # with them any group whose answers are all gone
    if stale:
        db.session.execute(sa.delete(CampaignGroup).where(CampaignGroup.id.in_(stale)))
    _refresh_sizes(process.id)
    reviewed_groups = sum(1 for state in snapshot.values() if state)
    audit.record(
        actor,
        "process.detect_campaigns",
        process,
        {
            "count": [None, len(rows)],
            "campaign_groups": [len(unreviewed), len(group_ids)],
            "reviewed": [None, reviewed_groups],
        }
        | {f"flag_{kind.value}": [None, flagged[kind]] for kind in rules.FlagKind},
    )
    db.session.expire_all()
    return Detection(
        answers=len(rows),
        groups=len(group_ids),
        grouped=len(group_of_answer),
        reviewed_groups=reviewed_groups,
        flagged=flagged,
        languages=languages,
        changed=len(changes),
    )


@dataclass(frozen=True)
class _Row:
    id: int
    text: str
    theme_field: str
    channel: str
    received_on: Any
    group_id: int | None
    group_status: str | None
    reviewed: bool
    similarity: float | None
    empty: str | None
    spam: str | None
    abuse: str | None
    language: str | None
    checked_at: datetime | None
    updated_at: datetime


def _answer_rows(process_id: int) -> list[_Row]:
    stmt = (
        sa.select(
            Answer.id,
            Answer.text,
            ThemeField.slug,
            sa.type_coerce(Submission.channel, sa.String),
            Submission.received_on,
            Answer.campaign_group_id,
            sa.type_coerce(CampaignGroup.status, sa.String),
            CampaignGroup.reviewed_at.is_not(None),
            Answer.campaign_similarity,
            Answer.flag_empty_reason,
            Answer.flag_spam_reason,
            Answer.flag_abuse_reason,
            Answer.language,
            Answer.quality_checked_at,
            Answer.updated_at,
        )
        .join(ThemeField, ThemeField.id == Answer.theme_field_id)
        .join(Submission, Submission.id == Answer.submission_id)
        .outerjoin(CampaignGroup, CampaignGroup.id == Answer.campaign_group_id)
        .where(ThemeField.process_id == process_id)
        .order_by(Answer.id)
    )
    return [_Row(*row[:7], bool(row[7]), *row[8:]) for row in db.session.execute(stmt)]


def _answers_frame(rows: Sequence[_Row]) -> pd.DataFrame:
    """The analysis' input: text and context, and the reviewed groups with their status."""
    import pandas as pd

    return pd.DataFrame(
        {
            "answer_id": pd.array([r.id for r in rows], dtype="int64"),
            "text": pd.array([r.text for r in rows], dtype="string"),
            "theme_field": pd.array([r.theme_field for r in rows], dtype="string"),
            "channel": pd.array([r.channel for r in rows], dtype="string"),
            "received_on": pd.to_datetime(pd.Series([r.received_on for r in rows], dtype=object)),
            "campaign_group": pd.array(
                [r.group_id if r.reviewed else None for r in rows], dtype="Int64"
            ),
            "campaign_group_status": pd.array(
                [r.group_status if r.reviewed else None for r in rows], dtype="string"
            ),
        }
    )


def _group_states(process_id: int, *, lock: bool = False) -> dict[int, bool]:
    """Every group of the process and whether it is reviewed; `lock`: until the commit."""
    stmt = sa.select(CampaignGroup.id, CampaignGroup.reviewed_at.is_not(None)).where(
        CampaignGroup.process_id == process_id
    )
    if lock:
        stmt = stmt.with_for_update()
    return {group_id: bool(reviewed) for group_id, reviewed in db.session.execute(stmt)}


@dataclass(frozen=True)
class _NewGroup:
    members: list[int]
    representative: int
    spread: tuple[float | None, float | None]


def _fresh_groups(rows: Sequence[_Row], assessed) -> tuple[list[_NewGroup], dict[int, int]]:
    """The groups the analysis found among the answers in no reviewed group, and per answer
    the index of its group."""
    if assessed is None:
        return [], {}
    columns = zip(
        rows,
        assessed["campaign_id"].tolist(),
        assessed["campaign_representative"].tolist(),
        _values(assessed["campaign_similarity"]),
        strict=True,
    )
    members: dict[int, list[tuple[int, bool, float | None]]] = {}
    for row, campaign, chosen, similarity in columns:
        if not row.reviewed and campaign > 0:
            entry = (row.id, bool(chosen), rules.similarity_value(similarity))
            members.setdefault(int(campaign), []).append(entry)
    groups, group_of = [], {}
    for _campaign, entries in sorted(members.items()):
        for answer_id, _, _ in entries:
            group_of[answer_id] = len(groups)
        groups.append(
            _NewGroup(
                [e[0] for e in entries],
                rules.pick_representative(entries),
                rules.similarity_spread(e[2] for e in entries),
            )
        )
    return groups, group_of


def _found(assessed) -> Iterable[dict]:
    """Per answer its flags (reason or None), similarity and language from the analysis."""
    if assessed is None:
        return []
    columns = zip(
        *(
            _values(assessed[name])
            for name in (
                "flag_empty_reason",
                "flag_spam_reason",
                "flag_abuse_reason",
                "campaign_similarity",
                "language",
            )
        ),
        strict=True,
    )
    return (
        {
            rules.FlagKind.EMPTY: rules.reason_value(empty),
            rules.FlagKind.SPAM: rules.reason_value(spam),
            rules.FlagKind.ABUSE: rules.reason_value(abuse),
            "similarity": rules.similarity_value(similarity),
            "language": rules.language_value(language),
        }
        for empty, spam, abuse, similarity, language in columns
    )


def _values(column: pd.Series) -> list:
    """A column as Python values, missing ones (NaN, NA) as None."""
    return column.astype(object).where(column.notna(), None).tolist()


def _quality_params(row: _Row, values: tuple, now: datetime) -> dict:
    group, similarity, empty, spam, abuse, language = values
    return {
        "b_id": row.id,
        "b_seen": row.updated_at,
        "b_group": group,
        "b_similarity": similarity,
        "b_empty": empty,
        "b_spam": spam,
        "b_abuse": abuse,
        "b_language": language,
        "b_checked": now,
    }


def _write(statement: sa.Update, params: list[dict]) -> None:
    for start in range(0, len(params), WRITE_BATCH):
        db.session.execute(statement, params[start : start + WRITE_BATCH])


def _refresh_sizes(process_id: int) -> None:
    members = (
        sa.select(sa.func.count())
        .where(Answer.campaign_group_id == CampaignGroup.id)
        .scalar_subquery()
    )
    db.session.execute(
        sa.update(CampaignGroup)
        .where(CampaignGroup.process_id == process_id)
        .values(size=members)
        .execution_options(synchronize_session=False)
    )


# --- New answers ------------------------------------------------------------------------


@cache
def _abuse_rules():
    from analysis import flags

    return flags.AbuseRules.read()


def flag_texts(texts: Sequence[str]) -> list[dict]:
    """Flags (reason or None per FlagKind) and language of each text, by the analysis."""
    import pandas as pd

    from analysis import flags, language
    from analysis import text as tx

    series = pd.Series(list(texts), dtype="string")
    words = tx.words(tx.arrow_strings(series))
    codes, _, vocabulary = tx.word_codes(words)
    found = flags.flag(series, words, _abuse_rules(), codes, vocabulary)
    languages = language.detect(series, words)
    columns = zip(
        _values(found["flag_empty_reason"]),
        _values(found["flag_spam_reason"]),
        _values(found["flag_abuse_reason"]),
        _values(languages),
        strict=True,
    )
    return [
        {
            rules.FlagKind.EMPTY: rules.reason_value(empty),
            rules.FlagKind.SPAM: rules.reason_value(spam),
            rules.FlagKind.ABUSE: rules.reason_value(abuse),
            "language": rules.language_value(code),
        }
        for empty, spam, abuse, code in columns
    ]


def unchecked_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Answer).where(Answer.quality_checked_at.is_(None))
    )


def check_new_answers(limit: int | None = None, batch: int = CHECK_BATCH) -> int:
    """Give answers not checked yet (new, or changed by their author) their flags and
    language, oldest first, `batch` at a time; how many. Campaign groups wait for the next
    detection. An answer changed meanwhile is left for the next call."""
    done, after = 0, 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        rows = db.session.execute(
            sa.select(Answer.id, Answer.text, Answer.updated_at)
            .where(Answer.quality_checked_at.is_(None), Answer.id > after)
            .order_by(Answer.id)
            .limit(size)
        ).all()
        if not rows:
            break
        now = now_utc()
        params = [
            {
                "b_id": answer_id,
                "b_seen": updated_at,
                "b_empty": found[rules.FlagKind.EMPTY],
                "b_spam": found[rules.FlagKind.SPAM],
                "b_abuse": found[rules.FlagKind.ABUSE],
                "b_language": found["language"],
                "b_checked": now,
            }
            for (answer_id, _text, updated_at), found in zip(
                rows, flag_texts([r.text for r in rows]), strict=True
            )
        ]
        _write(_WRITE_FLAGS, params)
        done += len(rows)
        after = rows[-1].id
    if done:
        db.session.expire_all()
    return done


# --- Reading ----------------------------------------------------------------------------


def groups_of(process_id: int) -> list[CampaignGroup]:
    """The process's groups: possible campaigns first, the largest first."""
    undecided = sa.case((CampaignGroup.status == CampaignStatus.NOT_CAMPAIGN, 1), else_=0)
    stmt = (
        sa.select(CampaignGroup)
        .where(CampaignGroup.process_id == process_id)
        .order_by(undecided, CampaignGroup.size.desc(), CampaignGroup.id)
        .options(selectinload(CampaignGroup.representative))
    )
    return list(db.session.scalars(stmt))


def possible_campaign_ids(process_id: int) -> sa.Select:
    """The ids of the process's groups that are possible campaigns (suggested or confirmed)."""
    return sa.select(CampaignGroup.id).where(
        CampaignGroup.process_id == process_id,
        CampaignGroup.status.in_(rules.POSSIBLE_CAMPAIGN),
    )


def member_page(
    group: CampaignGroup, after_id: int | None, limit: int = MEMBERS_PAGE
) -> tuple[list[Answer], int | None]:
    """One page of the group's answers by id, and the id to continue after."""
    stmt = (
        sa.select(Answer)
        .where(Answer.campaign_group_id == group.id)
        .order_by(Answer.id)
        .options(selectinload(Answer.submission))
    )
    if after_id is not None:
        stmt = stmt.where(Answer.id > after_id)
    return keyset_page(stmt, limit)


def member_ids(group: CampaignGroup) -> set[int]:
    return set(db.session.scalars(sa.select(Answer.id).where(Answer.campaign_group_id == group.id)))


def group_history(group: CampaignGroup, limit: int = 100) -> list[AuditEntry]:
    """The group's audit entries (reviews, splits), newest first."""
    stmt = (
        sa.select(AuditEntry)
        .where(AuditEntry.object_type == "CampaignGroup", AuditEntry.object_id == str(group.id))
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def last_detection(process: Process) -> AuditEntry | None:
    return db.session.scalar(
        sa.select(AuditEntry)
        .where(
            AuditEntry.object_type == "Process",
            AuditEntry.object_id == str(process.id),
            AuditEntry.action == "process.detect_campaigns",
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )


# --- Reviews ----------------------------------------------------------------------------


def lock_group(group_id: int) -> CampaignGroup | None:
    """The group, locked until the commit: reviews and a detection do not interleave."""
    return db.session.scalar(
        sa.select(CampaignGroup).where(CampaignGroup.id == group_id).with_for_update()
    )


def decide(actor, group: CampaignGroup, status: CampaignStatus, note: str = "") -> None:
    """Confirm the group as a campaign or mark it as none; a detection keeps it as it is."""
    if status not in rules.DECISIONS:
        raise ValueError(f"not a decision: {status}")
    note = note.strip()
    changes = {"status": [group.status.value, status.value]}
    if note or group.note:
        changes["note"] = [group.note, note]
    group.status = status
    figures.mark_stale(process_id=group.process_id)
    _reviewed(actor, group, note)
    verb = "confirm" if status == CampaignStatus.CONFIRMED else "mark_not_campaign"
    audit.record(actor, f"campaign_group.{verb}", group, changes)


def split(
    actor, group: CampaignGroup, answer_ids: Iterable[int], action: SplitAction, note: str = ""
) -> CampaignGroup | None:
    """Split the chosen answers off the group: into a group of their own (returned), or out
    of every group. Both groups count as reviewed afterwards."""
    chosen = set(answer_ids)
    members = member_ids(group)
    problem = rules.split_problem(members, chosen)
    if problem is not None:
        raise ReviewError(problem)
    note = note.strip()
    chosen_ids = sorted(chosen)
    figures.mark_stale(process_id=group.process_id)
    new_group = None
    if action == SplitAction.NEW_GROUP:
        new_group = CampaignGroup(
            process_id=group.process_id,
            status=group.status,
            split_from_id=group.id,
            detected_at=group.detected_at,
        )
        db.session.add(new_group)
        _reviewed(actor, new_group, note)
        db.session.flush()
        _move(chosen_ids, new_group.id, keep_similarity=True)
        _recount(new_group, preferred=group.representative_id)
        audit.record(
            actor,
            "campaign_group.create_by_split",
            new_group,
            {"split_from": [None, group.id], "answers": [None, chosen_ids]}
            | ({"note": ["", note]} if note else {}),
        )
    else:
        _move(chosen_ids, None, keep_similarity=False)
    _reviewed(actor, group, note)
    _recount(group, preferred=group.representative_id)
    changes: dict[str, list] = {"answers": [chosen_ids, None]}
    if new_group is not None:
        changes["new_group"] = [None, new_group.id]
    if note:
        changes["note"] = ["", note]
    verb = "split" if new_group is not None else "remove_answers"
    audit.record(actor, f"campaign_group.{verb}", group, changes)
    return new_group


def _reviewed(actor, group: CampaignGroup, note: str) -> None:
    group.reviewed_by_id = getattr(actor, "id", None)
    group.reviewed_at = now_utc()
    group.note = note


def _move(answer_ids: list[int], group_id: int | None, *, keep_similarity: bool) -> None:
    values: dict[str, Any] = {"campaign_group_id": group_id, "updated_at": _T.c.updated_at}
    if not keep_similarity:
        values["campaign_similarity"] = None
    db.session.execute(
        sa.update(_T).where(_T.c.id.in_(answer_ids)).values(**values),
        execution_options={"synchronize_session": False},
    )


def _recount(group: CampaignGroup, preferred: int | None) -> None:
    """Size, representative and similarity spread of the group after its members changed."""
    rows = db.session.execute(
        sa.select(Answer.id, Answer.campaign_similarity).where(Answer.campaign_group_id == group.id)
    ).all()
    group.size = len(rows)
    ids = {answer_id for answer_id, _ in rows}
    if preferred in ids:
        group.representative_id = preferred
    elif rows:
        group.representative_id = rules.pick_representative([(i, False, s) for i, s in rows])
    else:
        group.representative_id = None
    group.similarity_min, group.similarity_median = rules.similarity_spread(s for _, s in rows)
