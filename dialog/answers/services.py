"""Storing, changing, moderating, reporting and listing answers.

Services flush but never commit; views commit once per request.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from dialog.answers import search
from dialog.answers.models import Answer, AnswerReport, Submission
from dialog.answers.rules import (
    AgeBand,
    AnswerStatus,
    Channel,
    Perspective,
    RejectionReason,
    editable_by_author,
    moderation_target,
)
from dialog.coding.rules import text_fingerprint
from dialog.common import audit
from dialog.common.clock import now_utc, today_local
from dialog.common.pagination import keyset_page
from dialog.common.regions import Bundesland
from dialog.common.sanitize import plain_text
from dialog.extensions import db
from dialog.notifications import services as notifications
from dialog.notifications.models import ResultSubscription
from dialog.process.models import GuidingQuestion, Process, ThemeField
from dialog.quality.rules import HintFilter
from dialog.recommendations import figures

PAGE_SIZE = 20


@dataclass(frozen=True)
class Profile:
    """The optional "about you" answers; None means "keine Angabe"."""

    perspective: Perspective | None = None
    bundesland: Bundesland | None = None
    age_band: AgeBand | None = None


def private_token(secret: str, nonce: str) -> str:
    """The private link's token of the form with `nonce`: unguessable without the secret key.

    Deriving it from the nonce lets a resubmitted form find its first submission's link.
    """
    return hmac.new(secret.encode(), b"answer-link:" + nonce.encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Plain table INSERTs, built once: the ORM's bulk layer would cost more than the statements.
_INSERT_SUBMISSION = sa.insert(Submission.__table__).returning(Submission.__table__.c.id)
_INSERT_ANSWER = sa.insert(Answer.__table__)


def submit(
    theme,
    texts: Mapping[int, str],
    profile: Profile,
    *,
    publication_consent: bool,
    nonce: str,
    token: str,
) -> int:
    """Store the non-empty answers of one online form; returns the submission's id.

    `theme` is a ThemeField or its snapshot (`theme_for_answering`). Two bulk INSERTs instead
    of the ORM's unit of work: this is the request that deadline-day peaks consist of. It
    fails with an IntegrityError when a submission with the same nonce exists (the form was
    sent twice); the caller then finds that one with `submission_by_nonce`.
    """
    connection = db.session.connection()
    submission_id = connection.execute(
        _INSERT_SUBMISSION,
        {
            "theme_field_id": theme.id,
            "channel": Channel.ONLINE,
            "received_on": today_local(),
            "perspective": profile.perspective,
            "bundesland": profile.bundesland,
            "age_band": profile.age_band,
            "publication_consent": publication_consent,
            "privacy_consent_at": now_utc(),
            "token_hash": token_hash(token),
            "nonce": nonce,
        },
    ).scalar_one()
    active = {q.id for q in theme.active_questions}
    rows = [
        {
            "submission_id": submission_id,
            "question_id": question_id,
            "theme_field_id": theme.id,
            "perspective": profile.perspective,
            "bundesland": profile.bundesland,
            "text": text,
        }
        for question_id, raw in texts.items()
        if question_id in active and (text := plain_text(raw))
    ]
    if rows:
        connection.execute(_INSERT_ANSWER, rows)
    return submission_id


def enter_offline(
    actor,
    theme: ThemeField,
    texts: Mapping[int, str],
    profile: Profile,
    *,
    channel: Channel,
    received_on: date,
    event_note: str,
    publication_consent: bool,
    event_id: int | None = None,
) -> Submission:
    """Store a contribution gathered offline (Dialoginsel, letter, e-mail) for moderation."""
    submission = Submission(
        theme_field_id=theme.id,
        channel=channel,
        received_on=received_on,
        event_id=event_id,
        event_note=event_note.strip(),
        perspective=profile.perspective,
        bundesland=profile.bundesland,
        age_band=profile.age_band,
        publication_consent=publication_consent,
        entered_by_id=actor.id,
    )
    _add_answers(submission, theme, texts)
    db.session.add(submission)
    audit.record(actor, "submission.enter_offline", submission, {"channel": [None, channel]})
    return submission


def _add_answers(submission: Submission, theme: ThemeField, texts: Mapping[int, str]) -> None:
    questions = {q.id: q for q in theme.active_questions}
    for question_id, raw in texts.items():
        text = plain_text(raw)
        if text and question_id in questions:
            submission.answers.append(_new_answer(submission, question_id, theme, text))


def _new_answer(submission: Submission, question_id: int, theme: ThemeField, text: str) -> Answer:
    return Answer(
        question_id=question_id,
        theme_field_id=theme.id,
        perspective=submission.perspective,
        bundesland=submission.bundesland,
        text=text,
    )


def submission_by_nonce(nonce: str) -> Submission | None:
    return db.session.scalar(sa.select(Submission).where(Submission.nonce == nonce))


def submission_by_token(token: str) -> Submission | None:
    """The submission behind a private link, or None for an unknown token; with what its page
    shows (answers and their questions, the theme field, its process and phases) loaded."""
    if not token or len(token) > 128:
        return None
    stmt = (
        sa.select(Submission)
        .where(Submission.token_hash == token_hash(token))
        .options(
            selectinload(Submission.answers).joinedload(Answer.question),
            joinedload(Submission.theme_field)
            .joinedload(ThemeField.process)
            .selectinload(Process.phases),
        )
    )
    return db.session.scalar(stmt)


@dataclass(frozen=True)
class OwnAnswer:
    """One answer as its author sees it on the private link."""

    id: int
    question_id: int
    question_text: str
    text: str
    status: AnswerStatus


@dataclass(frozen=True)
class PrivatePage:
    """What the private link of a submission shows of it: read in one query (the page is
    opened far more often than anything on it changes, which goes through the ORM)."""

    submission_id: int
    theme_field_id: int
    answers: tuple[OwnAnswer, ...]
    address: notifications.LeftAddress | None  # left for notifications about results


def private_page(token: str) -> PrivatePage | None:
    """The submission behind a private link with its answers, or None for an unknown token."""
    if not token or len(token) > 128:
        return None
    rows = db.session.execute(_PRIVATE_PAGE, {"hash": token_hash(token)}).all()
    if not rows:
        return None
    answers = tuple(OwnAnswer(*row[2:7]) for row in rows if row[2] is not None)
    first = rows[0]
    return PrivatePage(first[0], first[1], answers, notifications.left_address(*first[7:]))


def _private_page() -> sa.Select:
    s, a, q, r = Submission, Answer, GuidingQuestion, ResultSubscription
    return (
        sa.select(
            s.id, s.theme_field_id, a.id, a.question_id, q.text, a.text, a.status,
            *notifications.ADDRESS_COLUMNS,
        )
        .select_from(s)
        .outerjoin(a, a.submission_id == s.id)
        .outerjoin(q, q.id == a.question_id)
        .outerjoin(r, r.submission_id == s.id)  # at most one
        .where(s.token_hash == sa.bindparam("hash"))
        .order_by(a.id)
    )  # fmt: skip


_PRIVATE_PAGE = _private_page()  # built once: it is read for every private link


def update_by_author(submission: Submission, theme: ThemeField, texts: Mapping[int, str]) -> int:
    """Apply the author's changes to answers not yet moderated; returns how many changed.

    An emptied answer is removed; an answer to a further question of the theme is added.
    Once the dialogue is over, nothing changes (rules.editable_by_author).
    """
    is_open = theme.process.dialogue_open
    if not is_open:
        return 0
    by_question = {a.question_id: a for a in submission.answers}
    active = {q.id for q in theme.active_questions}
    changed = 0
    for question_id, raw in texts.items():
        text = plain_text(raw)
        answer = by_question.get(question_id)
        if answer is None:
            if text and question_id in active:
                submission.answers.append(_new_answer(submission, question_id, theme, text))
                changed += 1
        elif editable_by_author(answer.status, dialogue_open=is_open) and text != answer.text:
            if text:
                answer.text = text
                answer.text_fingerprint = text_fingerprint(text)
                _unchecked(answer)
            else:
                figures.mark_stale(answer_ids=[answer.id])  # before its links go with it
                submission.answers.remove(answer)
            changed += 1
    return changed


def _unchecked(answer: Answer) -> None:
    """A changed text has no flags or language yet: the next check (report worker) finds them."""
    answer.flag_empty_reason = answer.flag_spam_reason = answer.flag_abuse_reason = None
    answer.language = None
    answer.quality_checked_at = None


def delete_submission(submission: Submission) -> None:
    """Delete a submission with all its answers, their reports and their search entries."""
    search.unindex([a.id for a in submission.answers])
    figures.mark_stale(answer_ids=[a.id for a in submission.answers])
    notifications.forget_submission(submission.id)
    audit.record(None, "submission.delete_by_author", submission)
    db.session.delete(submission)


# --- Moderation -------------------------------------------------------------------------


class ModerationError(ValueError):
    """A moderation action that is not possible for an answer; the message is for staff."""


@dataclass
class ModerationResult:
    done: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # not possible in their current state


def accept(actor, answers: Iterable[Answer], redacted_text: str | None = None) -> ModerationResult:
    """Publish answers (or accept them internally where the author did not consent).

    With `redacted_text`, an answer already published gets its public text changed.
    """
    result = ModerationResult()
    for answer in answers:
        republish = answer.status == AnswerStatus.PUBLISHED and redacted_text is not None
        if answer.status in (AnswerStatus.REJECTED, AnswerStatus.PUBLISHED) and not republish:
            result.skipped.append(answer.id)
            continue
        target = moderation_target(answer.submission.publication_consent)
        changes = {"status": [answer.status.value, target.value]}
        if redacted_text is not None:
            cleaned = plain_text(redacted_text)
            redaction = cleaned if cleaned and cleaned != answer.text else None
            if redaction != answer.redacted_text:
                changes["redacted"] = [answer.redacted_text is not None, redaction is not None]
            answer.redacted_text = redaction
        _moderated(actor, answer, target)
        answer.rejection_reason = None
        answer.report_count = 0
        _resolve_reports(answer)
        if target == AnswerStatus.PUBLISHED:
            answer.published_at = answer.published_at or now_utc()
            search.index(answer.id, answer.public_text)
        audit.record(actor, "answer.accept", answer, changes)
        result.done.append(answer.id)
    figures.mark_stale(answer_ids=result.done)
    return result


def reject(actor, answers: Iterable[Answer], reason: RejectionReason) -> ModerationResult:
    """Reject answers that break the Netiquette, naming the rule."""
    return _take_down(
        actor, answers, reason, AnswerStatus.REJECTED, "answer.reject",
        allowed=lambda status: status != AnswerStatus.REJECTED,
    )  # fmt: skip


def hide(actor, answers: Iterable[Answer], reason: RejectionReason) -> ModerationResult:
    """Take published answers down again, e.g. after a report."""
    return _take_down(
        actor, answers, reason, AnswerStatus.HIDDEN, "answer.hide",
        allowed=lambda status: status == AnswerStatus.PUBLISHED,
    )  # fmt: skip


def _take_down(
    actor, answers: Iterable[Answer], reason: RejectionReason, target: AnswerStatus, action: str,
    *, allowed,
) -> ModerationResult:  # fmt: skip
    result = ModerationResult()
    for answer in answers:
        if not allowed(answer.status):
            result.skipped.append(answer.id)
            continue
        changes = {"status": [answer.status.value, target.value], "reason": [None, reason]}
        audit.record(actor, action, answer, changes)
        _moderated(actor, answer, target)
        answer.rejection_reason = reason
        answer.report_count = 0
        _resolve_reports(answer)
        search.unindex([answer.id])
        result.done.append(answer.id)
    figures.mark_stale(answer_ids=result.done)
    return result


def dismiss_reports(actor, answer: Answer) -> None:
    """The reports about a published answer were checked and found unfounded."""
    audit.record(actor, "answer.dismiss_reports", answer, {"reports": [answer.report_count, 0]})
    answer.report_count = 0
    _resolve_reports(answer)


def _moderated(actor, answer: Answer, status: AnswerStatus) -> None:
    answer.status = status
    answer.moderated_at = now_utc()
    answer.moderated_by_id = actor.id


def _resolve_reports(answer: Answer) -> None:
    db.session.execute(
        sa.update(AnswerReport)
        .where(AnswerReport.answer_id == answer.id, AnswerReport.resolved.is_(False))
        .values(resolved=True)
    )


def open_reports(answer: Answer) -> list[AnswerReport]:
    """The readers' reports about an answer that no moderator has dealt with yet."""
    stmt = (
        sa.select(AnswerReport)
        .where(AnswerReport.answer_id == answer.id, AnswerReport.resolved.is_(False))
        .order_by(AnswerReport.id)
    )
    return list(db.session.scalars(stmt))


def report(answer: Answer, reason: str) -> None:
    """Record a reader's report; the answer stays public until a moderator decides."""
    db.session.add(AnswerReport(answer_id=answer.id, reason=plain_text(reason)[:1000]))
    # Counted in the database, so that simultaneous reports are all counted.
    db.session.execute(
        sa.update(Answer).where(Answer.id == answer.id).values(report_count=Answer.report_count + 1)
    )


# --- Reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicFilters:
    theme_field_id: int | None = None
    question_id: int | None = None
    perspective: Perspective | None = None
    bundesland: Bundesland | None = None
    query: str = ""


def published_answers(
    process_id: int, filters: PublicFilters, before_id: int | None, limit: int = PAGE_SIZE
) -> tuple[list[Answer], int | None]:
    """One page of published answers, newest first, and the id to continue before (keyset)."""
    stmt = (
        sa.select(Answer)
        .join(ThemeField, ThemeField.id == Answer.theme_field_id)
        .where(Answer.status == AnswerStatus.PUBLISHED, ThemeField.process_id == process_id)
        .order_by(Answer.id.desc())
        .options(selectinload(Answer.submission), selectinload(Answer.question))
    )
    if before_id is not None:
        stmt = stmt.where(Answer.id < before_id)
    if filters.theme_field_id is not None:
        stmt = stmt.where(Answer.theme_field_id == filters.theme_field_id)
    if filters.question_id is not None:
        stmt = stmt.where(Answer.question_id == filters.question_id)
    if filters.perspective is not None:
        stmt = stmt.where(Answer.perspective == filters.perspective)
    if filters.bundesland is not None:
        stmt = stmt.where(Answer.bundesland == filters.bundesland)
    if filters.query:
        stmt = search.restrict(stmt, Answer.id, filters.query)
    return keyset_page(stmt, limit)


def published_answer(answer_id: int) -> Answer | None:
    answer = db.session.get(Answer, answer_id)
    return answer if answer is not None and answer.status == AnswerStatus.PUBLISHED else None


def published_counts(process_id: int) -> dict[int, int]:
    """Published answers per theme field of a process."""
    stmt = (
        sa.select(Answer.theme_field_id, sa.func.count())
        .join(ThemeField, ThemeField.id == Answer.theme_field_id)
        .where(Answer.status == AnswerStatus.PUBLISHED, ThemeField.process_id == process_id)
        .group_by(Answer.theme_field_id)
    )
    return dict(db.session.execute(stmt).all())


@dataclass(frozen=True)
class QueueFilters:
    status: AnswerStatus | None = AnswerStatus.PENDING
    theme_field_id: int | None = None
    question_id: int | None = None
    channel: Channel | None = None
    reported: bool = False
    hints: HintFilter | None = None  # by the flags (dialog.quality): suggestions, never decisions


def _hint_condition(hints: HintFilter) -> sa.ColumnElement[bool]:
    reasons = {
        HintFilter.EMPTY: Answer.flag_empty_reason,
        HintFilter.SPAM: Answer.flag_spam_reason,
        HintFilter.ABUSE: Answer.flag_abuse_reason,
    }
    if hints in reasons:
        return reasons[hints].is_not(None)
    flagged = sa.or_(*(column.is_not(None) for column in reasons.values()))
    if hints == HintFilter.ANY:
        return flagged
    if hints == HintFilter.UNCHECKED:
        return Answer.quality_checked_at.is_(None)
    return sa.and_(Answer.quality_checked_at.is_not(None), ~flagged)


def moderation_queue(
    filters: QueueFilters, after_id: int | None, limit: int = PAGE_SIZE
) -> tuple[list[Answer], int | None]:
    """Answers for moderators, oldest first, and the id to continue after (keyset)."""
    stmt = (
        sa.select(Answer)
        .order_by(Answer.id)
        .options(selectinload(Answer.submission), selectinload(Answer.question))
    )
    if after_id is not None:
        stmt = stmt.where(Answer.id > after_id)
    if filters.status is not None:
        stmt = stmt.where(Answer.status == filters.status)
    if filters.theme_field_id is not None:
        stmt = stmt.where(Answer.theme_field_id == filters.theme_field_id)
    if filters.question_id is not None:
        stmt = stmt.where(Answer.question_id == filters.question_id)
    if filters.reported:
        stmt = stmt.where(Answer.report_count > 0)
    if filters.hints is not None:
        stmt = stmt.where(_hint_condition(filters.hints))
    if filters.channel is not None:
        stmt = stmt.join(Submission, Submission.id == Answer.submission_id).where(
            Submission.channel == filters.channel
        )
    return keyset_page(stmt, limit)


def queue_counts() -> dict[AnswerStatus, int]:
    stmt = sa.select(Answer.status, sa.func.count()).group_by(Answer.status)
    counts = dict(db.session.execute(stmt).all())
    return {status: counts.get(status, 0) for status in AnswerStatus}


def hinted_pending_count() -> int:
    """Answers waiting for moderation that carry at least one flag."""
    stmt = (
        sa.select(sa.func.count())
        .select_from(Answer)
        .where(Answer.status == AnswerStatus.PENDING, _hint_condition(HintFilter.ANY))
    )
    return db.session.scalar(stmt)


def reported_count() -> int:
    stmt = sa.select(sa.func.count()).select_from(Answer).where(Answer.report_count > 0)
    return db.session.scalar(stmt)


def answers_by_ids(ids: Iterable[int]) -> list[Answer]:
    ids = list(ids)
    if not ids:
        return []
    stmt = (
        sa.select(Answer)
        .where(Answer.id.in_(ids))
        .order_by(Answer.id)
        .options(selectinload(Answer.submission))
    )
    return list(db.session.scalars(stmt))
