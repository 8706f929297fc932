"""Pure rules of the results report: job states, when results may be published, which files
are accepted (recognised by their content, never by name) and how sizes are written."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from dialog.process.rules import PhaseKind, PhaseSpan

# A job "running" for longer than this is taken to have lost its worker and is taken again.
STALE_AFTER = timedelta(minutes=60)
# The analysis subprocess is stopped after this; well below STALE_AFTER.
ANALYSIS_TIMEOUT = timedelta(minutes=40)
# A job that lost its worker this often is given up (the draft itself probably kills it).
MAX_ATTEMPTS = 3


class JobStatus(StrEnum):
    QUEUED = "queued"  # waiting for a worker
    RUNNING = "running"  # a worker took it at started_at
    DONE = "done"  # the result zip is stored
    FAILED = "failed"  # error says why


class FileKind(StrEnum):
    REPORT = "report"  # the final Ergebnisbericht; one per process
    DOWNLOAD = "download"  # further files: infographic, short overview …


@dataclass(frozen=True)
class FileType:
    """A file type we accept, with what the public page and the response need."""

    key: str
    content_type: str
    extension: str
    inline: bool  # shown in the browser; False: always downloaded (Content-Disposition)


PDF = FileType("pdf", "application/pdf", "pdf", inline=True)
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    inline=False,
)
XLSX = FileType(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
    inline=False,
)
PPTX = FileType(
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pptx",
    inline=False,
)
ODT = FileType("odt", "application/vnd.oasis.opendocument.text", "odt", inline=False)
ODS = FileType(
    "ods",
    "application/vnd.oasis.opendocument.spreadsheet",
    "ods",
    inline=False,
)
# Uploaded HTML is never rendered on our origin (it could carry scripts): always downloaded.
HTML = FileType("html", "text/html; charset=utf-8", "html", inline=False)
PNG = FileType("png", "image/png", "png", inline=True)
JPEG = FileType("jpeg", "image/jpeg", "jpg", inline=True)

FILE_TYPES = {t.key: t for t in (PDF, DOCX, XLSX, PPTX, ODT, ODS, HTML, PNG, JPEG)}
REPORT_TYPES = (PDF, DOCX, HTML)
DOWNLOAD_TYPES = (PDF, DOCX, XLSX, PPTX, ODT, ODS, HTML, PNG, JPEG)

_OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
_ODF_MIMETYPES = {ODT.content_type: ODT, ODS.content_type: ODS}
_HTML_START = re.compile(rb"^(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)
_ZIP_MAX_MEMBERS = 10_000  # more members than any office file: a zip bomb or not an office file


def detect_file_type(data: bytes) -> FileType | None:
    """The type of a file judged by its content (magic bytes, zip structure), or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    return _html_type(data)


def _zip_type(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if len(names) > _ZIP_MAX_MEMBERS:
                return None
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return _ODF_MIMETYPES.get(mimetype)
            if "[Content_Types].xml" not in names:
                return None
            return next((t for part, t in _OOXML_PARTS.items() if part in names), None)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return None


def _html_type(data: bytes) -> FileType | None:
    text = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return HTML if _HTML_START.match(text[:4096]) else None


class UploadProblem(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    WRONG_TYPE = "wrong_type"


def check_upload(
    data: bytes, max_bytes: int, allowed: Iterable[FileType]
) -> tuple[FileType | None, UploadProblem | None]:
    """The file's type if it may be published, else the problem."""
    if not data:
        return None, UploadProblem.EMPTY
    if len(data) > max_bytes:
        return None, UploadProblem.TOO_LARGE
    kind = detect_file_type(data)
    if kind is None or kind not in tuple(allowed):
        return None, UploadProblem.WRONG_TYPE
    return kind, None


class PublishBlock(StrEnum):
    NO_RESULTS_PHASE = "no_results_phase"
    TOO_EARLY = "too_early"


def results_phase(phases: Iterable[PhaseSpan]) -> PhaseSpan | None:
    return next((p for p in phases if p.kind == PhaseKind.RESULTS), None)


def publish_block(today: date, phases: Iterable[PhaseSpan]) -> PublishBlock | None:
    """Why results may not be published yet, or None from the first day of the results phase
    on (also after it: corrections stay possible)."""
    phase = results_phase(phases)
    if phase is None:
        return PublishBlock.NO_RESULTS_PHASE
    if today < phase.starts_on:
        return PublishBlock.TOO_EARLY
    return None


def claimable_since(now: datetime) -> datetime:
    """Jobs running since before this moment have lost their worker."""
    return now - STALE_AFTER


def size_parts(size: int) -> tuple[float, str]:
    """A byte count as a number and unit for people: (830, "Byte"), (12, "KB"), (1.2, "MB")."""
    if size < 1000:
        return size, "Byte"
    if size < 1000**2:
        return round(size / 1000), "KB"
    return round(size / 1000**2, 1), "MB"


_TRANSLITERATE = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def download_name(title: str, kind: FileType) -> str:
    """A plain ASCII file name from the title, with the extension of the detected type."""
    text = unicodedata.normalize("NFKD", title.translate(_TRANSLITERATE))
    ascii_text = text.encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:80].strip("-") or "datei"
    return f"{stem}.{kind.extension}"


def type_of_content_type(content_type: str) -> FileType | None:
    """The accepted type a stored Content-Type stands for."""
    return next((t for t in FILE_TYPES.values() if t.content_type == content_type), None)
