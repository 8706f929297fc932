"""German labels (translatable) for the reports area's states and file types."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from dialog.reports.rules import FileType, JobStatus, PublishBlock, size_parts, type_of_content_type

JOB_STATUS = {
    JobStatus.QUEUED: _l("Wartet"),
    JobStatus.RUNNING: _l("Wird erzeugt"),
    JobStatus.DONE: _l("Fertig"),
    JobStatus.FAILED: _l("Fehlgeschlagen"),
}

FILE_TYPE = {
    "pdf": _l("PDF"),
    "docx": _l("Word (DOCX)"),
    "xlsx": _l("Excel (XLSX)"),
    "pptx": _l("PowerPoint (PPTX)"),
    "odt": _l("OpenDocument-Text (ODT)"),
    "ods": _l("OpenDocument-Tabelle (ODS)"),
    "html": _l("HTML"),
    "png": _l("PNG-Bild"),
    "jpeg": _l("JPEG-Bild"),
}

PUBLISH_BLOCK = {
    PublishBlock.NO_RESULTS_PHASE: _l(
        "Der Prozess hat noch keine Phase „Veröffentlichung der Ergebnisse“. Legen Sie sie unter "
        "„Prozesse“ an; Dateien können ab ihrem ersten Tag veröffentlicht werden."
    ),
    PublishBlock.TOO_EARLY: _l(
        "Ergebnisse können erst ab dem ersten Tag der Ergebnisphase veröffentlicht werden."
    ),
}


def file_type_label(content_type: str) -> str:
    kind = type_of_content_type(content_type)
    return str(FILE_TYPE[kind.key]) if kind else content_type


def file_type_list(types: Iterable[FileType]) -> str:
    return ", ".join(str(FILE_TYPE[t.key]) for t in types)


def file_size(size: int) -> str:
    """E.g. "1,2 MB" in German, "1.2 MB" in English."""
    number, unit = size_parts(size)
    return f"{format_decimal(number)} {unit}"
