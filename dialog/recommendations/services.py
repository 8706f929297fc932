"""Recommendations: create and edit (with a version check), status workflow, evidence, live
support counts, ratings, the configurable lists and event documentation. Services load,
check and flush; the view commits. Every change is in the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from dialog.accounts.models import User, UserRole
from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AnswerStatus
from dialog.coding.models import Code, CodeAssignment, in_shared_coding
from dialog.common import audit
from dialog.common.clock import now_utc
from dialog.common.permissions import Role
from dialog.common.sanitize import clean_rich_text, plain_text
from dialog.events.models import Event
from dialog.extensions import db
from dialog.process.models import ThemeField
from dialog.quality.models import CampaignGroup
from dialog.quality.rules import POSSIBLE_CAMPAIGN
from dialog.recommendations import figures, files, rules
from dialog.recommendations.models import (
    EventDocumentationEntry,
    Recommendation,
    RecommendationEvidence,
    RecommendationOption,
    RecommendationRating,
    RecommendationStatusChange,
    conference_recommendations,
    recommendation_theme_fields,
)
from dialog.recommendations.rules import (
    EvidenceKind,
    EvidenceProblem,
    OptionList,
    RatingProblem,
    RecommendationStatus,
)

RESPONSIBLE_ROLES = (Role.ANALYST, Role.ANALYST_LEAD)
ANSWER_LIST_LIMIT = 200  # supporting answers listed on the page; the counts cover all


class RecommendationError(ValueError):
    """A refused change; `problem` names why (labels give the German message)."""

    def __init__(self, problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class VersionConflict(RuntimeError):
    """Someone else changed the recommendation since the form was shown."""


# -- lists of addressees and kinds of measure -----------------------------------------------


def options_of(process_id: int, kind: OptionList) -> list[str]:
    stored = db.session.scalars(
        sa.select(RecommendationOption.label)
        .where(RecommendationOption.process_id == process_id, RecommendationOption.kind == kind)
        .order_by(RecommendationOption.position, RecommendationOption.id)
    ).all()
    return rules.effective_options(stored, kind)


def save_options(actor, process, kind: OptionList, entries: list[str]) -> bool:
    """Replace a process's list; returns whether it changed. Recommendations keep their value."""
    problem = rules.options_problem(entries)
    if problem is not None:
        raise RecommendationError(problem)
    before = options_of(process.id, kind)
    if entries == before:
        return False
    db.session.execute(
        sa.delete(RecommendationOption).where(
            RecommendationOption.process_id == process.id, RecommendationOption.kind == kind
        )
    )
    db.session.add_all(
        RecommendationOption(process_id=process.id, kind=kind, label=label, position=position)
        for position, label in enumerate(entries)
    )
    audit.record(actor, f"recommendation_options.update_{kind.value}", process, {
        kind.value: [before, entries or list(rules.DEFAULT_OPTIONS[kind])]
    })  # fmt: skip
    return True


# -- recommendations ------------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationInput:
    title: str
    text: str
    theme_field_ids: list[int]
    addressee: str = ""
    measure: str = ""
    parent_id: int | None = None
    responsible_id: int | None = None


def responsible_candidates() -> list[User]:
    """Active accounts that may be responsible: analysts and analyst leads."""
    holders = sa.select(UserRole.user_id).where(UserRole.role.in_(RESPONSIBLE_ROLES))
    stmt = sa.select(User).where(User.active.is_(True), User.id.in_(holders)).order_by(User.email)
    return list(db.session.scalars(stmt))


def recommendations_of(
    process_id: int,
    *,
    theme_field_id: int | None = None,
    status: RecommendationStatus | None = None,
    for_raters: bool = False,
) -> list[Recommendation]:
    stmt = sa.select(Recommendation).where(Recommendation.process_id == process_id)
    if theme_field_id is not None:
        stmt = stmt.where(
            Recommendation.id.in_(
                sa.select(recommendation_theme_fields.c.recommendation_id).where(
                    recommendation_theme_fields.c.theme_field_id == theme_field_id
                )
            )
        )
    if status is not None:
        stmt = stmt.where(Recommendation.status == status)
    if for_raters:
        stmt = stmt.where(Recommendation.status != RecommendationStatus.DRAFT)
    return list(db.session.scalars(stmt.order_by(Recommendation.title, Recommendation.id)))


def _values(data: RecommendationInput) -> dict:
    return {
        "title": plain_text(data.title).strip(),
        "text": clean_rich_text(data.text),
        "addressee": data.addressee,
        "measure": data.measure,
        "parent_id": data.parent_id,
        "responsible_id": data.responsible_id,
    }


def _theme_fields(process_id: int, ids: list[int]) -> list[ThemeField]:
    if not ids:
        return []
    found = list(
        db.session.scalars(
            sa.select(ThemeField).where(ThemeField.id.in_(ids), ThemeField.process_id == process_id)
        )
    )
    if len(found) != len(set(ids)):
        raise RecommendationError(EvidenceProblem.OTHER_PROCESS)
    return found


def _check_parent(rec_id: int | None, process_id: int, parent_id: int | None) -> None:
    """The parent must be of the same process and not the recommendation or its descendant."""
    seen = {rec_id} if rec_id is not None else set()
    current = parent_id
    while current is not None:
        if current in seen:
            raise RecommendationError(EvidenceProblem.PARENT_CYCLE)
        parent = db.session.get(Recommendation, current)
        if parent is None:
            raise RecommendationError(EvidenceProblem.NOT_FOUND)
        if parent.process_id != process_id:
            raise RecommendationError(EvidenceProblem.OTHER_PROCESS)
        seen.add(current)
        current = parent.parent_id


def create_recommendation(actor, process, data: RecommendationInput) -> Recommendation:
    _check_parent(None, process.id, data.parent_id)
    themes = _theme_fields(process.id, data.theme_field_ids)
    rec = Recommendation(
        process_id=process.id, status=RecommendationStatus.DRAFT, created_by_id=actor.id, version=1
    )
    audit.save(actor, rec, _values(data), created=True, name="recommendation")
    rec.theme_fields = themes
    db.session.add(
        RecommendationStatusChange(
            recommendation_id=rec.id, actor_id=actor.id, to_status=RecommendationStatus.DRAFT
        )
    )
    db.session.flush()
    return rec


def bump_version(rec: Recommendation, expected: int | None = None) -> None:
    """Raise the version, in one statement that also checks it (for concurrent requests)."""
    stmt = sa.update(Recommendation).where(Recommendation.id == rec.id)
    if expected is not None:
        stmt = stmt.where(Recommendation.version == expected)
    result = db.session.execute(
        stmt.values(version=Recommendation.version + 1, updated_at=now_utc()),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        raise VersionConflict()
    db.session.refresh(rec, ["version", "updated_at"])


def update_recommendation(
    actor, rec: Recommendation, data: RecommendationInput, expected_version: int
) -> bool:
    """Apply an edit made on version `expected_version`; VersionConflict if it is outdated.

    Returns whether anything changed.
    """
    if rec.version != expected_version:
        raise VersionConflict()
    _check_parent(rec.id, rec.process_id, data.parent_id)
    themes = _theme_fields(rec.process_id, data.theme_field_ids)
    changes = audit.diff(rec, _values(data))
    old_themes = sorted(t.id for t in rec.theme_fields)
    new_themes = sorted(t.id for t in themes)
    if old_themes != new_themes:
        rec.theme_fields = themes
        changes["theme_fields"] = [old_themes, new_themes]
    if not changes:
        return False
    db.session.flush()
    bump_version(rec, expected_version)
    figures.mark_stale(recommendation_ids=[rec.id])  # the public page shows the edit at once
    audit.record(actor, "recommendation.update", rec, changes)
    return True


def change_status(
    actor,
    rec: Recommendation,
    target: RecommendationStatus,
    *,
    reason: str = "",
    public_note: str = "",
    progress: int | None = None,
    link: str = "",
) -> RecommendationStatusChange:
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RecommendationRating)
        .where(RecommendationRating.recommendation_id == rec.id)
    )
    problem = rules.status_problem(
        rec.status,
        target,
        reason=reason,
        public_note=public_note,
        progress=progress,
        rating_count=count or 0,
    )
    if problem is not None:
        raise RecommendationError(problem)
    before = rec.status
    change = RecommendationStatusChange(
        recommendation_id=rec.id,
        actor_id=actor.id,
        from_status=before,
        to_status=target,
        reason=clean_rich_text(reason),
        public_note=clean_rich_text(public_note),
        progress_percent=progress,
        link=link.strip(),
    )
    db.session.add(change)
    rec.status = target
    db.session.flush()
    bump_version(rec)
    figures.mark_stale(recommendation_ids=[rec.id])
    details = {"status": [before.value, target.value]}
    for name, value in (("reason", change.reason), ("public_note", change.public_note),
                        ("progress_percent", progress), ("link", change.link)):  # fmt: skip
        if value not in (None, ""):
            details[name] = [None, value]
    audit.record(actor, "recommendation.change_status", rec, details)
    return change


def status_history(rec_id: int) -> list[RecommendationStatusChange]:
    stmt = (
        sa.select(RecommendationStatusChange)
        .where(RecommendationStatusChange.recommendation_id == rec_id)
        .order_by(RecommendationStatusChange.at.desc(), RecommendationStatusChange.id.desc())
    )
    return list(db.session.scalars(stmt))


def children_of(rec_id: int) -> list[Recommendation]:
    stmt = sa.select(Recommendation).where(Recommendation.parent_id == rec_id)
    return list(db.session.scalars(stmt.order_by(Recommendation.title)))


# -- evidence -------------------------------------------------------------------------------


def evidence_of(rec_id: int) -> list[RecommendationEvidence]:
    stmt = (
        sa.select(RecommendationEvidence)
        .where(RecommendationEvidence.recommendation_id == rec_id)
        .order_by(RecommendationEvidence.kind, RecommendationEvidence.id)
    )
    return list(db.session.scalars(stmt))


def merged_into(rec_id: int) -> list[Recommendation]:
    """The recommendations this one was merged into."""
    ev = RecommendationEvidence
    stmt = (
        sa.select(Recommendation)
        .join(ev, ev.recommendation_id == Recommendation.id)
        .where(ev.source_recommendation_id == rec_id)
        .order_by(Recommendation.id)
    )
    return list(db.session.scalars(stmt))


def family_ids(rec_id: int) -> list[int]:
    """The recommendation and every one merged into it, transitively (each once)."""
    ev = RecommendationEvidence
    found, frontier = {rec_id}, {rec_id}
    while frontier:
        sources = set(
            db.session.scalars(
                sa.select(ev.source_recommendation_id).where(
                    ev.recommendation_id.in_(frontier), ev.kind == EvidenceKind.RECOMMENDATION
                )
            )
        )
        frontier = sources - found
        found |= frontier
    return sorted(found)


def _already_linked(rec_id: int, column, value: int) -> bool:
    ev = RecommendationEvidence
    stmt = sa.select(ev.id).where(ev.recommendation_id == rec_id, column == value)
    return db.session.scalar(stmt) is not None


def _link(actor, rec: Recommendation, kind: EvidenceKind, label: str, **target) -> None:
    (column_name, value), = target.items()  # fmt: skip
    if _already_linked(rec.id, getattr(RecommendationEvidence, column_name), value):
        raise RecommendationError(EvidenceProblem.ALREADY_LINKED)
    evidence = RecommendationEvidence(
        recommendation_id=rec.id, kind=kind, added_by_id=actor.id, **target
    )
    db.session.add(evidence)
    db.session.flush()
    figures.mark_stale(recommendation_ids=[rec.id])
    audit.record(actor, "recommendation.add_evidence", rec, {"evidence": [None, label]})


def _answer_process_id(answer: Answer) -> int:
    return db.session.scalar(
        sa.select(ThemeField.process_id).where(ThemeField.id == answer.theme_field_id)
    )


def add_answer(actor, rec: Recommendation, answer_id: int) -> None:
    answer = db.session.get(Answer, answer_id)
    if answer is None:
        raise RecommendationError(EvidenceProblem.NOT_FOUND)
    if _answer_process_id(answer) != rec.process_id:
        raise RecommendationError(EvidenceProblem.OTHER_PROCESS)
    if answer.status == AnswerStatus.REJECTED:
        raise RecommendationError(EvidenceProblem.REJECTED_ANSWER)
    _link(actor, rec, EvidenceKind.ANSWER, f"answer:{answer.id}", answer_id=answer.id)


def add_code(actor, rec: Recommendation, code_id: int) -> None:
    code = db.session.get(Code, code_id)
    if code is None:
        raise RecommendationError(EvidenceProblem.NOT_FOUND)
    if code.process_id != rec.process_id:
        raise RecommendationError(EvidenceProblem.OTHER_PROCESS)
    # A merged code stands for the code it went into: link that one.
    target = code.merged_into_id or code.id
    _link(actor, rec, EvidenceKind.CODE, f"code:{target}", code_id=target)


def add_documentation(actor, rec: Recommendation, entry_id: int) -> None:
    entry = db.session.get(EventDocumentationEntry, entry_id)
    if entry is None:
        raise RecommendationError(EvidenceProblem.NOT_FOUND)
    if entry.event.process_id != rec.process_id:
        raise RecommendationError(EvidenceProblem.OTHER_PROCESS)
    _link(actor, rec, EvidenceKind.DOCUMENTATION, f"documentation:{entry.id}",
          documentation_id=entry.id)  # fmt: skip


def merge_recommendation(actor, rec: Recommendation, source_id: int) -> None:
    """Link `source_id` as merged into `rec`: its evidence supports `rec` from now on."""
    source = db.session.get(Recommendation, source_id)
    if source is None:
        raise RecommendationError(EvidenceProblem.NOT_FOUND)
    if source.process_id != rec.process_id:
        raise RecommendationError(EvidenceProblem.OTHER_PROCESS)
    problem = rules.merge_problem(rec.id, source.id, family_ids(source.id))
    if problem is not None:
        raise RecommendationError(problem)
    _link(actor, rec, EvidenceKind.RECOMMENDATION, f"recommendation:{source.id}",
          source_recommendation_id=source.id)  # fmt: skip
    audit.record(actor, "recommendation.merge", source, {"merged_into": [None, rec.id]})


def remove_evidence(actor, rec: Recommendation, evidence: RecommendationEvidence) -> None:
    target = (
        evidence.answer_id
        or evidence.code_id
        or evidence.documentation_id
        or evidence.source_recommendation_id
    )
    db.session.delete(evidence)
    db.session.flush()
    figures.mark_stale(recommendation_ids=[rec.id])
    audit.record(
        actor,
        "recommendation.remove_evidence",
        rec,
        {"evidence": [f"{evidence.kind.value}:{target}", None]},
    )


# -- live support ---------------------------------------------------------------------------


def supporting_ids(rec_ids: list[int]) -> sa.Subquery:
    """Ids of the answers that support any of `rec_ids`: linked directly, or carrying a
    linked code (the code it was merged into, once merged), each answer once."""
    ev = RecommendationEvidence
    ca = CodeAssignment
    direct = sa.select(ev.answer_id.label("answer_id")).where(
        ev.recommendation_id.in_(rec_ids), ev.kind == EvidenceKind.ANSWER
    )
    via_code = (
        sa.select(ca.answer_id.label("answer_id"))
        .select_from(ev)
        .join(Code, Code.id == ev.code_id)
        .join(ca, ca.code_id == sa.func.coalesce(Code.merged_into_id, Code.id))
        .where(ev.recommendation_id.in_(rec_ids), ev.kind == EvidenceKind.CODE)
        .where(ca.sample_id.is_(None))  # shared coding only, not a coder's blind sample
    )
    return sa.union(direct, via_code).subquery("supporting")


@dataclass
class Support:
    """Live counts of the answers supporting a recommendation (rejected ones never count)."""

    total: int = 0
    by_perspective: list[tuple[object, int]] = field(default_factory=list)
    by_bundesland: list[tuple[object, int]] = field(default_factory=list)
    by_channel: list[tuple[object, int]] = field(default_factory=list)
    campaign_answers: int = 0  # in a group of near-copies that may be a campaign
    campaign_groups: int = 0
    documentation: list[EventDocumentationEntry] = field(default_factory=list)

    @property
    def voices(self) -> int:
        """The answers, with each possible campaign counted once."""
        return self.total - self.campaign_answers + self.campaign_groups

    @property
    def agreement(self) -> int:
        return sum(e.agreement_count or 0 for e in self.documentation)


def _counted(ids: sa.Subquery) -> sa.Select:
    return (
        sa.select(sa.func.count(Answer.id))
        .select_from(Answer)
        .join(ids, ids.c.answer_id == Answer.id)
        .where(Answer.status != AnswerStatus.REJECTED)
    )


def _grouped(ids: sa.Subquery, column, *, join_submission: bool = False) -> list[tuple]:
    stmt = _counted(ids).add_columns(column)
    if join_submission:
        stmt = stmt.join(Submission, Submission.id == Answer.submission_id)
    rows = db.session.execute(stmt.group_by(column)).all()
    return sorted(((value, n) for n, value in rows), key=lambda r: (-r[1], str(r[0] or "~")))


def support(rec: Recommendation) -> Support:
    family = family_ids(rec.id)
    ids = supporting_ids(family)
    campaign = (
        _counted(ids)
        .join(CampaignGroup, CampaignGroup.id == Answer.campaign_group_id)
        .where(CampaignGroup.status.in_(POSSIBLE_CAMPAIGN))
    )
    groups = campaign.with_only_columns(sa.func.count(sa.distinct(CampaignGroup.id)))
    return Support(
        total=db.session.scalar(_counted(ids)) or 0,
        by_perspective=_grouped(ids, Answer.perspective),
        by_bundesland=_grouped(ids, Answer.bundesland),
        by_channel=_grouped(ids, Submission.channel, join_submission=True),
        campaign_answers=db.session.scalar(campaign) or 0,
        campaign_groups=db.session.scalar(groups) or 0,
        documentation=documentation_evidence(family),
    )


def supporting_answers(rec: Recommendation, limit: int = ANSWER_LIST_LIMIT) -> list[Answer]:
    ids = supporting_ids(family_ids(rec.id))
    stmt = (
        sa.select(Answer)
        .join(ids, ids.c.answer_id == Answer.id)
        .where(Answer.status != AnswerStatus.REJECTED)
        .order_by(Answer.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def documentation_evidence(rec_ids: list[int]) -> list[EventDocumentationEntry]:
    ev = RecommendationEvidence
    stmt = (
        sa.select(EventDocumentationEntry)
        .where(
            EventDocumentationEntry.id.in_(
                sa.select(ev.documentation_id).where(
                    ev.recommendation_id.in_(rec_ids), ev.kind == EvidenceKind.DOCUMENTATION
                )
            )
        )
        .order_by(EventDocumentationEntry.id)
    )
    return list(db.session.scalars(stmt))


def codes_of(process_id: int) -> list[Code]:
    """Codes that may be linked: not merged away (a merged code's answers are its target's)."""
    stmt = sa.select(Code).where(Code.process_id == process_id, Code.merged_into_id.is_(None))
    return list(db.session.scalars(stmt.order_by(Code.label)))


def code_answer_counts(code_ids: list[int]) -> dict[int, int]:
    if not code_ids:
        return {}
    ca = CodeAssignment
    rows = db.session.execute(
        sa.select(ca.code_id, sa.func.count())
        .where(ca.code_id.in_(code_ids), in_shared_coding())
        .group_by(ca.code_id)
    )
    return dict(rows.all())


# -- ratings --------------------------------------------------------------------------------


def ratings_of(rec_id: int) -> list[RecommendationRating]:
    stmt = (
        sa.select(RecommendationRating)
        .where(RecommendationRating.recommendation_id == rec_id)
        .order_by(RecommendationRating.rated_at, RecommendationRating.id)
    )
    return list(db.session.scalars(stmt))


def own_rating(rec_id: int, user_id: int) -> RecommendationRating | None:
    stmt = sa.select(RecommendationRating).where(
        RecommendationRating.recommendation_id == rec_id,
        RecommendationRating.rater_id == user_id,
    )
    return db.session.scalar(stmt)


def rating_counts(rec_ids: list[int]) -> dict[int, int]:
    if not rec_ids:
        return {}
    r = RecommendationRating
    rows = db.session.execute(
        sa.select(r.recommendation_id, sa.func.count())
        .where(r.recommendation_id.in_(rec_ids))
        .group_by(r.recommendation_id)
    )
    return dict(rows.all())


def summary(ratings: list[RecommendationRating], spread: int) -> dict[str, rules.Aggregate]:
    return {
        "effectiveness": rules.aggregate((r.effectiveness for r in ratings), spread),
        "feasibility": rules.aggregate((r.feasibility for r in ratings), spread),
    }


def rate(
    actor, rec: Recommendation, *, effectiveness: int, feasibility: int, reason: str = ""
) -> RecommendationRating:
    """Give or change `actor`'s rating of `rec`."""
    if not rules.rating_open(rec.status):
        raise RecommendationError(RatingProblem.CLOSED)
    if not (rules.valid_score(effectiveness) and rules.valid_score(feasibility)):
        raise RecommendationError(RatingProblem.SCALE)
    rating = own_rating(rec.id, actor.id)
    created = rating is None
    if created:
        rating = RecommendationRating(recommendation_id=rec.id, rater_id=actor.id)
        db.session.add(rating)
    changes = audit.diff(
        rating,
        {
            "effectiveness": effectiveness,
            "feasibility": feasibility,
            "reason": plain_text(reason).strip(),
        },
    )
    if created or changes:
        rating.rated_at = now_utc()
        db.session.flush()
        audit.record(actor, "recommendation.rate", rec, changes)
    return rating


# -- event documentation --------------------------------------------------------------------


def documentation_counts(event_ids: list[int]) -> dict[int, int]:
    if not event_ids:
        return {}
    e = EventDocumentationEntry
    rows = db.session.execute(
        sa.select(e.event_id, sa.func.count()).where(e.event_id.in_(event_ids)).group_by(e.event_id)
    )
    return dict(rows.all())


def documentation_of(event_id: int) -> list[EventDocumentationEntry]:
    e = EventDocumentationEntry
    stmt = sa.select(e).where(e.event_id == event_id).order_by(e.session_label, e.id)
    return list(db.session.scalars(stmt))


def documentation_of_process(process_id: int) -> list[EventDocumentationEntry]:
    e = EventDocumentationEntry
    stmt = (
        sa.select(e)
        .join(Event, Event.id == e.event_id)
        .where(Event.process_id == process_id)
        .order_by(Event.starts_at, e.session_label, e.id)
    )
    return list(db.session.scalars(stmt))


def recommendations_citing(entry_id: int) -> list[Recommendation]:
    ev = RecommendationEvidence
    stmt = (
        sa.select(Recommendation)
        .join(ev, ev.recommendation_id == Recommendation.id)
        .where(ev.documentation_id == entry_id)
        .order_by(Recommendation.title)
    )
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class EntryInput:
    text: str
    session_label: str = ""
    theme_field_id: int | None = None
    agreement_count: int | None = None


@dataclass(frozen=True)
class Upload:
    """A file as uploaded: the name people gave it and its bytes."""

    name: str
    data: bytes


def _entry_values(event: Event, data: EntryInput) -> dict:
    if data.theme_field_id is not None:
        _theme_fields(event.process_id, [data.theme_field_id])
    return {
        "text": plain_text(data.text).strip(),
        "session_label": plain_text(data.session_label).strip(),
        "theme_field_id": data.theme_field_id,
        "agreement_count": data.agreement_count,
    }


def _attach(upload: Upload) -> dict:
    """Check and store an uploaded file; the values that name it in the entry."""
    kind, data = files.prepare(upload.data)
    stored = files.store(data, kind)
    name = plain_text(upload.name).strip().replace("/", "_")[:200] or f"datei.{kind.extension}"
    return {
        "file_name": name,
        "stored_name": stored,
        "content_type": kind.content_type,
        "file_size": len(data),
    }


def create_entry(
    actor, event: Event, data: EntryInput, upload: Upload | None = None
) -> EventDocumentationEntry:
    entry = EventDocumentationEntry(event_id=event.id, created_by_id=actor.id)
    values = _entry_values(event, data)
    if upload is not None:
        values |= _attach(upload)
    audit.save(actor, entry, values, created=True, name="event_documentation_entry")
    db.session.flush()
    return entry


def update_entry(
    actor,
    entry: EventDocumentationEntry,
    data: EntryInput,
    upload: Upload | None = None,
    *,
    remove_file: bool = False,
) -> str | None:
    """Apply an edit; returns the stored name of a file no longer needed (to remove after the
    commit), or None."""
    values = _entry_values(entry.event, data)
    obsolete = None
    if upload is not None or (remove_file and entry.stored_name):
        obsolete = entry.stored_name
        values |= (
            _attach(upload)
            if upload is not None
            else dict.fromkeys(("file_name", "stored_name", "content_type", "file_size"))
        )
    changes = audit.diff(entry, values)
    changes.pop("stored_name", None)  # random names mean nothing to people
    if changes:
        audit.record(actor, "event_documentation_entry.update", entry, changes)
        db.session.flush()
        figures.mark_stale(documentation_ids=[entry.id])
    return obsolete


def delete_entry(actor, entry: EventDocumentationEntry) -> str | None:
    """Delete the entry (and its links as evidence); returns its file's stored name."""
    stored = entry.stored_name
    audit.record(
        actor,
        "event_documentation_entry.delete",
        entry,
        {"text": [entry.text, None], "event_id": [entry.event_id, None]},
    )
    figures.mark_stale(documentation_ids=[entry.id])
    db.session.execute(
        sa.delete(RecommendationEvidence).where(RecommendationEvidence.documentation_id == entry.id)
    )
    db.session.delete(entry)
    db.session.flush()
    return stored


# -- the Abschlusskonferenz ---------------------------------------------------------------


def presented_ids(event_id: int) -> list[int]:
    cr = conference_recommendations
    return list(
        db.session.scalars(
            sa.select(cr.c.recommendation_id)
            .where(cr.c.event_id == event_id)
            .order_by(cr.c.position, cr.c.recommendation_id)
        )
    )


def presented_at(event: Event, *, public: bool) -> list[Recommendation]:
    """The recommendations presented at the event (if it is the final conference), in their
    order; for the public only those already published."""
    if not event.is_final_conference:
        return []
    cr = conference_recommendations
    stmt = (
        sa.select(Recommendation)
        .join(cr, cr.c.recommendation_id == Recommendation.id)
        .where(cr.c.event_id == event.id)
        .order_by(cr.c.position, Recommendation.id)
    )
    if public:
        stmt = stmt.where(Recommendation.status.in_(rules.PUBLISHED))
    return list(db.session.scalars(stmt))


def set_final_conference(actor, event: Event, is_final: bool, rec_ids: list[int]) -> bool:
    """Mark the event as its process's Abschlusskonferenz (or not) and set the recommendations
    presented there. Unknown ids and recommendations of another process are refused before
    anything changes. Returns whether anything changed."""
    wanted = list(dict.fromkeys(rec_ids))
    found = dict(
        db.session.execute(
            sa.select(Recommendation.id, Recommendation.process_id).where(
                Recommendation.id.in_(wanted)
            )
        ).all()
    )
    if any(i not in found for i in wanted):
        raise RecommendationError(EvidenceProblem.NOT_FOUND)
    if any(process_id != event.process_id for process_id in found.values()):
        raise RecommendationError(EvidenceProblem.OTHER_PROCESS)
    before = (event.is_final_conference, presented_ids(event.id))
    if before == (is_final, wanted):
        return False
    event.is_final_conference = is_final
    cr = conference_recommendations
    db.session.execute(sa.delete(cr).where(cr.c.event_id == event.id))
    if wanted:
        db.session.execute(
            sa.insert(cr),
            [
                {"event_id": event.id, "recommendation_id": i, "position": n}
                for n, i in enumerate(wanted)
            ],
        )
    audit.record(
        actor,
        "event.final_conference",
        event,
        {
            "is_final_conference": [before[0], is_final],
            "recommendations": [before[1], wanted],
        },
    )
    db.session.flush()
    return True
