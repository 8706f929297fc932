"""One import of answers from a file: which file, into which process, when and by whom."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.common.clock import now_utc
from dialog.common.models import UTCDateTime
from dialog.extensions import db


class AnswerImport(db.Model):
    """A batch of answers brought in by `flask import-answers`; each of its submissions names it."""

    __tablename__ = "answer_imports"

    id: Mapped[int] = mapped_column(primary_key=True)  # the batch id shown and exported
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(sa.String(255))  # as given, without its directory
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)  # of the file's bytes
    row_count: Mapped[int] = mapped_column()  # answers imported (one submission each)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )  # staff member; NULL for the command line
    note: Mapped[str] = mapped_column(sa.String(200), default="")  # e.g. "Briefe März 2024"

    process = relationship("Process")
    actor = relationship("User")

    __table_args__ = (sa.CheckConstraint("row_count >= 0", name="row_count_not_negative"),)

    def __repr__(self) -> str:
        return f"<AnswerImport {self.id} {self.file_name!r} ({self.row_count} rows)>"
