"""Background jobs that draft the results report, and the files published on the public
results page (stored in the database, so that several app servers serve the same files)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.common.clock import now_utc
from dialog.common.models import UTCDateTime, enum_column
from dialog.extensions import db
from dialog.reports.rules import FileKind, JobStatus


class ReportJob(db.Model):
    """One request for a draft report: `flask run-reports` claims it, writes the export, runs
    `python -m analysis` on it and stores the zipped output."""

    __tablename__ = "report_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("processes.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), default=JobStatus.QUEUED)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # claimed by a worker
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # done or failed
    attempts: Mapped[int] = mapped_column(default=0)  # how often a worker took it
    error: Mapped[str] = mapped_column(sa.Text, default="")  # German, for staff, when failed
    export_sha256: Mapped[str | None] = mapped_column(sa.String(64))  # the analysed export
    result_size: Mapped[int | None] = mapped_column()  # bytes of `result`
    # The zipped draft (bericht.md, .html, .docx, grafiken/); loaded only for the download.
    result: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)

    process = relationship("Process")
    requested_by = relationship("User")

    __table_args__ = (
        sa.Index("ix_report_jobs_status_requested_at", "status", "requested_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    def __repr__(self) -> str:
        return f"<ReportJob {self.id} {self.status}>"


class PublishedFile(db.Model):
    """A file on the public results page: the report (one per process) or a further download."""

    __tablename__ = "published_files"

    id: Mapped[int] = mapped_column(primary_key=True)  # part of its stable public address
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"))
    kind: Mapped[FileKind] = mapped_column(enum_column(FileKind))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")  # plain text, short
    filename: Mapped[str] = mapped_column(sa.String(120))  # ASCII download name with extension
    content_type: Mapped[str] = mapped_column(sa.String(120))  # from the content, not the name
    size: Mapped[int] = mapped_column()  # bytes
    sha256: Mapped[str] = mapped_column(sa.String(64))  # hex; also the ETag
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    position: Mapped[int] = mapped_column(default=0)  # order of the downloads, ascending
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    process = relationship("Process")
    published_by = relationship("User")

    __table_args__ = (
        sa.Index("ix_published_files_process_kind_position", "process_id", "kind", "position"),
        # One report per process: publishing a new one replaces the old one.
        sa.Index(
            "uq_published_files_one_report",
            "process_id",
            unique=True,
            sqlite_where=sa.text("kind = 'report'"),
            postgresql_where=sa.text("kind = 'report'"),
        ),
        sa.CheckConstraint("size > 0", name="size_positive"),
    )

    def __repr__(self) -> str:
        return f"<PublishedFile {self.id} {self.kind} {self.filename}>"
