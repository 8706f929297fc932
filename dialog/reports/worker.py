"""The background work behind „Bericht-Entwurf erzeugen“, run by `flask run-reports`.

A job is claimed and committed at once, so that the page shows it running; the campaign
groups, flags and languages of the process are detected afresh (so that the draft counts the
groups analysts see and review, with every answer in them), the export is written to a
temporary folder, `python -m analysis` drafts the report from it in a child process (the
export file is the whole contract with analysis/), and the output folder is zipped into the
job. The request, the detection and the export are audit-logged.

Between drafts the worker gives new answers their flags and language (dialog.quality), so
that moderators see them in their queue within a pass: the answer form itself stays as fast
as before, since the analysis' rules cost a fixed fraction of a second per call.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dialog import ROOT
from dialog.common.clock import now_utc
from dialog.extensions import db
from dialog.process.models import Process
from dialog.quality import services as quality
from dialog.reports import rules, services
from dialog.reports.models import ReportJob

log = logging.getLogger(__name__)


CHECK_PER_PASS = 10_000  # new answers flagged per pass: a backlog does not hold up drafts


def run_pending(limit: int | None = None) -> int:
    """Run claimable jobs one after another until none is left (or `limit` ran); first give
    new answers their flags and language."""
    services.give_up_stale_jobs(now_utc())
    db.session.commit()
    check_new_answers()
    ran = 0
    while limit is None or ran < limit:
        if not run_next():
            break
        ran += 1
    return ran


def run_next() -> bool:
    """Claim and run one job; False when none was waiting."""
    started_at = now_utc()
    job_id = services.claim_next_job(started_at)
    db.session.commit()
    if job_id is None:
        return False
    job = db.session.get(ReportJob, job_id)
    log.info("Report job %s: drafting the report of process %s", job_id, job.process_id)
    try:
        result, export_sha256 = draft(job)
    except DraftError as error:
        db.session.rollback()
        services.finish_job(job_id, started_at, error=str(error))
        log.warning("Report job %s failed: %s", job_id, error)
    except Exception:
        db.session.rollback()
        log.exception("Report job %s failed", job_id)
        services.finish_job(
            job_id,
            started_at,
            error="Unerwarteter Fehler beim Erzeugen des Entwurfs. Der technische Betrieb "
            "findet die Einzelheiten im Protokoll des Hintergrunddienstes.",
        )
    else:
        # One transaction: the export's audit entry and the stored draft.
        if not services.finish_job(job_id, started_at, result=result, export_sha256=export_sha256):
            log.warning("Report job %s was taken over by another worker meanwhile", job_id)
        else:
            log.info("Report job %s done: %d bytes", job_id, len(result))
    db.session.commit()
    return True


def check_new_answers(limit: int = CHECK_PER_PASS) -> int:
    """Flags and language for up to `limit` answers not checked yet; how many. A failure is
    logged and leaves them for the next pass."""
    try:
        checked = quality.check_new_answers(limit=limit)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("Checking new answers for flags and language failed")
        return 0
    if checked:
        log.info("Flags and language of %d new answers checked", checked)
    return checked


class DraftError(Exception):
    """The draft could not be made; the message (German) is shown to staff."""


def draft(job: ReportJob) -> tuple[bytes, str]:
    """The zipped draft of the job's process and the SHA-256 of the export it was made from."""
    from dialog.export.services import ExportFilters, ExportFormat, write_export

    with tempfile.TemporaryDirectory(prefix="dialog-report-") as tmp:
        folder = Path(tmp)
        export = folder / "export.zip"
        out = folder / "bericht"
        filters = ExportFilters(process_id=job.process_id)
        actor = _Actor(job.requested_by_id)
        detect_campaigns(job, actor)
        write_export(export, ExportFormat.PARQUET, filters, actor=actor)
        export_sha256 = _sha256(export)
        run_analysis(export, out)
        return zip_folder(out), export_sha256


def detect_campaigns(job: ReportJob, actor) -> None:
    """The process's campaign groups, flags and languages as of now, committed: the export
    reads committed rows only. If analysts review groups meanwhile, the draft uses the groups
    as they were."""
    process = db.session.get(Process, job.process_id)
    try:
        quality.detect(actor, process)
    except quality.DetectionConflict:
        db.session.rollback()
        log.warning("Report job %s: groups changed during the detection; not stored", job.id)
        return
    db.session.commit()


@dataclass(frozen=True)
class _Actor:
    """Whom the export's audit entry names: the person who requested the draft."""

    id: int | None


def run_analysis(export: Path, out: Path) -> None:
    """`python -m analysis EXPORT --out OUT` in a child process; DraftError if it fails."""
    env = {**os.environ, "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(out.parent / "mpl")}
    timeout = rules.ANALYSIS_TIMEOUT.total_seconds()
    try:
        completed = subprocess.run(  # nosec B603 # noqa: S603 - fixed argv, no shell
            [sys.executable, "-m", "analysis", str(export), "--out", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DraftError(
            f"Die Auswertung dauerte länger als {timeout / 60:.0f} Minuten und wurde abgebrochen."
        ) from None
    if completed.returncode != 0:
        lines = [line.strip() for line in completed.stderr.splitlines() if line.strip()]
        log.warning("analysis failed (%s):\n%s", completed.returncode, completed.stderr[-4000:])
        last = lines[-1] if lines else f"Rückgabewert {completed.returncode}"
        raise DraftError(f"Die Auswertung ist fehlgeschlagen: {last[:500]}")
    if not out.is_dir() or not any(out.iterdir()):
        raise DraftError("Die Auswertung hat keinen Bericht geschrieben.")


def zip_folder(folder: Path) -> bytes:
    """The folder's files as a zip, paths relative to the folder, in a stable order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
