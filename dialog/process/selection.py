"""Which process a staff page is about: `?prozess=<id>`, else the first process."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from dialog.common.http import id_arg
from dialog.extensions import db
from dialog.process import services as process_services
from dialog.process.models import Process


def process_from_args() -> Process:
    """The process named by ?prozess=, else the first one (404 for an unknown one)."""
    processes = process_services.all_processes()
    wanted = id_arg("prozess")
    process = next((p for p in processes if p.id == wanted), None) if wanted else None
    if process is None and wanted is None and processes:
        process = processes[0]
    return process or abort(404)


def process_args(process: Process) -> dict[str, int]:
    """The query arguments that name `process` in links (none for the first process)."""
    first = db.session.scalar(sa.select(sa.func.min(Process.id)))
    return {} if process.id == first else {"prozess": process.id}
