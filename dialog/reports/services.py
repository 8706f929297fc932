"""Draft-report jobs, published result files and the headline figures of the results page.

Services flush but never commit; the view (or the worker command) commits.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from dialog.answers.models import Answer
from dialog.answers.rules import AnswerStatus
from dialog.common import audit
from dialog.common.clock import now_utc, today_local
from dialog.events.models import Application, Event, Registration
from dialog.events.rules import ApplicationStatus, EventStatus, RegistrationStatus
from dialog.extensions import db
from dialog.process.models import Process, ThemeField
from dialog.reports import rules
from dialog.reports.models import PublishedFile, ReportJob
from dialog.reports.rules import DraftThemes, FileKind, FileType, JobStatus, PublishBlock

log = logging.getLogger(__name__)

# -- draft jobs ----------------------------------------------------------------------------


def open_job(process_id: int) -> ReportJob | None:
    """A queued or running job of the process, if there is one."""
    return db.session.scalar(
        sa.select(ReportJob)
        .where(
            ReportJob.process_id == process_id,
            ReportJob.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)),
        )
        .limit(1)
    )


def request_draft(actor, process: Process) -> tuple[ReportJob, bool]:
    """Queue a draft of the process's report; an open job is reused. Returns (job, created)."""
    existing = open_job(process.id)
    if existing is not None:
        return existing, False
    job = ReportJob(process_id=process.id, requested_by_id=actor.id, requested_at=now_utc())
    db.session.add(job)
    audit.record(actor, "report_job.create", job, {"process": [None, process.slug]})
    return job, True


def recent_jobs(limit: int = 50) -> list[ReportJob]:
    """The newest jobs first, without their results."""
    stmt = (
        sa.select(ReportJob)
        .options(sa.orm.joinedload(ReportJob.process), sa.orm.joinedload(ReportJob.requested_by))
        .order_by(ReportJob.requested_at.desc(), ReportJob.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def _claimable(now: datetime):
    stale = rules.claimable_since(now)
    return sa.or_(
        ReportJob.status == JobStatus.QUEUED,
        sa.and_(ReportJob.status == JobStatus.RUNNING, ReportJob.started_at < stale),
    )


def give_up_stale_jobs(now: datetime) -> int:
    """Fail jobs that lost their worker MAX_ATTEMPTS times (they would only be lost again)."""
    result = db.session.execute(
        sa.update(ReportJob)
        .where(
            ReportJob.status == JobStatus.RUNNING,
            ReportJob.started_at < rules.claimable_since(now),
            ReportJob.attempts >= rules.MAX_ATTEMPTS,
        )
        .values(
            status=JobStatus.FAILED,
            finished_at=now,
            error="Der Entwurf wurde mehrfach begonnen, aber nie fertig (der Hintergrunddienst "
            "wurde jedes Mal beendet). Bitte wenden Sie sich an den technischen Betrieb.",
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def claim_next_job(now: datetime) -> int | None:
    """Take the oldest claimable job for this worker; its id, or None when none is waiting.

    The conditional UPDATE succeeds for exactly one worker, however many try at once: the
    first sets started_at to now, after which the condition no longer holds for the others.
    """
    while True:
        candidate = db.session.scalar(
            sa.select(ReportJob.id)
            .where(_claimable(now))
            .order_by(ReportJob.requested_at, ReportJob.id)
            .limit(1)
        )
        if candidate is None:
            return None
        result = db.session.execute(
            sa.update(ReportJob)
            .where(ReportJob.id == candidate, _claimable(now))
            .values(status=JobStatus.RUNNING, started_at=now, attempts=ReportJob.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            return candidate
        # Another worker was quicker; look for the next one.


def finish_job(
    job_id: int,
    started_at: datetime,
    *,
    result: bytes | None = None,
    export_sha256: str | None = None,
    error: str = "",
) -> bool:
    """Store the outcome, unless the job was taken over meanwhile (then the newer run wins)."""
    values = {"finished_at": now_utc(), "export_sha256": export_sha256}
    if result is not None:
        values |= {"status": JobStatus.DONE, "result": result, "result_size": len(result)}
    else:
        values |= {"status": JobStatus.FAILED, "error": error[:2000]}
    outcome = db.session.execute(
        sa.update(ReportJob)
        .where(
            ReportJob.id == job_id,
            ReportJob.status == JobStatus.RUNNING,
            ReportJob.started_at == started_at,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return outcome.rowcount == 1


def job_result(job_id: int) -> tuple[ReportJob, bytes] | None:
    job = db.session.get(ReportJob, job_id)
    if job is None or job.status != JobStatus.DONE or job.result is None:
        return None
    return job, job.result


def finished_job(job_id: int) -> ReportJob | None:
    """The job if its draft is done (without loading the draft)."""
    job = db.session.get(ReportJob, job_id)
    return job if job is not None and job.status == JobStatus.DONE else None


def draft_themes(job: ReportJob) -> DraftThemes | None:
    """The theme suggestions of a finished draft, read from the per-answer table in its zip;
    None when the draft has none (made before the analysis wrote the table) or it is unreadable."""
    if job.status != JobStatus.DONE or job.result is None:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(job.result)) as archive:
            if rules.PER_ANSWER_TABLE not in archive.namelist():
                return None
            data = archive.read(rules.PER_ANSWER_TABLE)
        table = pq.read_table(pa.BufferReader(data), columns=list(rules.THEME_COLUMNS))
    except (zipfile.BadZipFile, pa.ArrowException, OSError, ValueError):
        log.warning("Report job %s: the per-answer table cannot be read", job.id, exc_info=True)
        return None
    return rules.draft_themes(*(table.column(name).to_pylist() for name in rules.THEME_COLUMNS))


@dataclass(frozen=True)
class DraftThemeField:
    """The suggested themes of one theme field of a draft."""

    slug: str
    theme_field: ThemeField | None  # None: the process no longer has it (renamed or removed)
    themes: list[rules.SuggestedTheme]
    unthemed: int  # its answers that fit no theme (or were left out of the models)
    present: frozenset[int]  # of the themes' example candidates, the answers still there


def draft_theme_fields(job: ReportJob, found: DraftThemes) -> list[DraftThemeField]:
    """The draft's theme fields in the process's order; those it no longer has come last."""
    fields = db.session.scalars(
        sa.select(ThemeField)
        .where(ThemeField.process_id == job.process_id)
        .order_by(ThemeField.position, ThemeField.id)
    )
    by_slug = {f.slug: f for f in fields}
    order = {slug: i for i, slug in enumerate(by_slug)}
    slugs = sorted(found.themes, key=lambda slug: (order.get(slug, len(order)), slug))
    return [
        DraftThemeField(
            slug,
            by_slug.get(slug),
            found.themes[slug],
            found.unthemed.get(slug, 0),
            _present(by_slug.get(slug), found.themes[slug]),
        )
        for slug in slugs
    ]


def _present(theme_field: ThemeField | None, themes: list[rules.SuggestedTheme]) -> frozenset[int]:
    candidates = {i for theme in themes for i in theme.example_candidates}
    if theme_field is None or not candidates:
        return frozenset()
    return frozenset(
        db.session.scalars(
            sa.select(Answer.id).where(
                Answer.id.in_(candidates), Answer.theme_field_id == theme_field.id
            )
        )
    )


# -- published files -----------------------------------------------------------------------


def publish_block(process: Process) -> PublishBlock | None:
    return rules.publish_block(today_local(), [p.span for p in process.phases])


def published_report(process_id: int) -> PublishedFile | None:
    return db.session.scalar(
        sa.select(PublishedFile).where(
            PublishedFile.process_id == process_id, PublishedFile.kind == FileKind.REPORT
        )
    )


def published_downloads(process_id: int) -> list[PublishedFile]:
    return list(
        db.session.scalars(
            sa.select(PublishedFile)
            .where(PublishedFile.process_id == process_id, PublishedFile.kind == FileKind.DOWNLOAD)
            .order_by(PublishedFile.position, PublishedFile.id)
        )
    )


def results_published(process_id: int) -> bool:
    """Whether the results are out: the process's final report is published."""
    return (
        db.session.scalar(
            sa.select(PublishedFile.id)
            .where(PublishedFile.process_id == process_id, PublishedFile.kind == FileKind.REPORT)
            .limit(1)
        )
        is not None
    )


def _lock_process(process: Process) -> None:
    """Serialise publications of one process (PostgreSQL; SQLite serialises all writers)."""
    db.session.execute(
        sa.select(Process.id).where(Process.id == process.id).with_for_update()
    ).scalar()


def publish_file(
    actor,
    process: Process,
    kind: FileKind,
    file_type: FileType,
    data: bytes,
    title: str,
    description: str = "",
) -> PublishedFile:
    """Publish a checked file. A new report replaces the old one; downloads go last."""
    _lock_process(process)
    position = 0
    if kind == FileKind.REPORT:
        old = published_report(process.id)
        if old is not None:
            _delete(actor, old)
            db.session.flush()  # the unique index allows one report per process
    else:
        highest = db.session.scalar(
            sa.select(sa.func.max(PublishedFile.position)).where(
                PublishedFile.process_id == process.id, PublishedFile.kind == FileKind.DOWNLOAD
            )
        )
        position = 0 if highest is None else highest + 1
    published = PublishedFile(
        process_id=process.id,
        kind=kind,
        title=title,
        description=description,
        filename=rules.download_name(title, file_type),
        content_type=file_type.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        position=position,
        published_at=now_utc(),
        published_by_id=actor.id,
    )
    db.session.add(published)
    audit.record(
        actor,
        "published_file.create",
        published,
        {
            "kind": [None, kind.value],
            "title": [None, title],
            "filename": [None, published.filename],
            "size": [None, published.size],
            "sha256": [None, published.sha256],
        },
    )
    return published


def _delete(actor, published: PublishedFile) -> None:
    audit.record(
        actor,
        "published_file.delete",
        published,
        {
            "kind": [published.kind.value, None],
            "title": [published.title, None],
            "sha256": [published.sha256, None],
        },
    )
    db.session.delete(published)


def remove_file(actor, published: PublishedFile) -> None:
    _delete(actor, published)


def move_download(actor, published: PublishedFile, direction: int) -> bool:
    """Swap a download with its neighbour above (-1) or below (+1); False at either end."""
    downloads = published_downloads(published.process_id)
    index = next(i for i, f in enumerate(downloads) if f.id == published.id)
    other_index = index + direction
    if not 0 <= other_index < len(downloads):
        return False
    downloads[index], downloads[other_index] = downloads[other_index], downloads[index]
    # Renumber all: older rows may share a position.
    for position, item in enumerate(downloads):
        if item.position != position:
            item.position = position
    audit.record(
        actor,
        "published_file.update",
        published,
        {"position": [index, other_index]},
    )
    return True


# -- headline figures ----------------------------------------------------------------------

# Answers that count as contributions: accepted by the moderation (public or not), and those
# taken down after a report, which were accepted before. Pending and rejected ones do not.
COUNTED_STATUSES = (AnswerStatus.PUBLISHED, AnswerStatus.INTERNAL, AnswerStatus.HIDDEN)


@dataclass(frozen=True)
class HeadlineFigures:
    answers: int  # accepted answers
    published_answers: int
    submissions: int  # submissions with at least one accepted answer
    theme_fields: int
    events: int  # published events that have begun
    participants: int  # confirmed seats and accepted applications at those events
    counted_at: datetime


def headline_figures(process_id: int) -> HeadlineFigures:
    """The figures of the results page, counted in the database at this moment."""
    answers = (
        sa.select(
            sa.func.count(Answer.id),
            sa.func.count(Answer.id).filter(Answer.status == AnswerStatus.PUBLISHED),
            sa.func.count(sa.distinct(Answer.submission_id)),
        )
        .join(ThemeField, ThemeField.id == Answer.theme_field_id)
        .where(ThemeField.process_id == process_id, Answer.status.in_(COUNTED_STATUSES))
    )
    answer_count, published, submissions = db.session.execute(answers).one()
    themes = db.session.scalar(
        sa.select(sa.func.count(ThemeField.id)).where(ThemeField.process_id == process_id)
    )
    now = now_utc()
    held = sa.select(Event.id).where(
        Event.process_id == process_id,
        Event.status == EventStatus.PUBLISHED,
        Event.starts_at <= now,
    )
    events = db.session.scalar(sa.select(sa.func.count()).select_from(held.subquery()))
    registrations = db.session.scalar(
        sa.select(sa.func.count(Registration.id)).where(
            Registration.event_id.in_(held), Registration.status == RegistrationStatus.CONFIRMED
        )
    )
    applications = db.session.scalar(
        sa.select(sa.func.count(Application.id)).where(
            Application.event_id.in_(held), Application.status == ApplicationStatus.ACCEPTED
        )
    )
    return HeadlineFigures(
        answers=answer_count,
        published_answers=published,
        submissions=submissions,
        theme_fields=themes or 0,
        events=events or 0,
        participants=(registrations or 0) + (applications or 0),
        counted_at=now,
    )
