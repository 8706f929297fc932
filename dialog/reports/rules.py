"""Pure rules of the results report: job states, when results may be published, which files
are accepted (recognised by their content, never by name) and how sizes are written."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Container, Iterable
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


# -- a draft's theme suggestions -----------------------------------------------------------

# The per-answer table that `python -m analysis` writes beside the report (analysis/per_answer.py)
# and the columns the staff page reads from it.
PER_ANSWER_TABLE = "antworten_analyse.parquet"
THEME_COLUMNS = (
    "answer_id",
    "theme_field",
    "theme",
    "theme_terms",
    "theme_weight",
    "theme_excluded",
)
EXAMPLES_PER_THEME = 3
EXAMPLE_CANDIDATES = 10  # looked up to find that many answers not deleted since
LABEL_TERMS = 3  # a code taken over from a theme is first named after its first terms
CODE_LABEL_LENGTH = 120  # as Code.label


@dataclass(frozen=True)
class ThemeMember:
    answer_id: int
    weight: float | None  # the answer's weight in the theme
    modelled: bool  # False: a copy in a campaign that took the theme of its stand-in


@dataclass(frozen=True)
class SuggestedTheme:
    """One theme the analysis suggests in a theme field, with the answers it assigned to it."""

    theme_field: str  # the theme field's slug, as in the export
    number: int
    terms: tuple[str, ...]
    members: tuple[ThemeMember, ...]  # the clearest (highest weight) first

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def example_candidates(self) -> tuple[int, ...]:
        """Answer ids of the clearest distinct texts (campaign copies only when nothing else)."""
        modelled = [m for m in self.members if m.modelled] or list(self.members)
        return tuple(m.answer_id for m in modelled[:EXAMPLE_CANDIDATES])

    def examples(self, present: Container[int]) -> tuple[int, ...]:
        """The first few candidates among the answers `present` (still there)."""
        return tuple(i for i in self.example_candidates if i in present)[:EXAMPLES_PER_THEME]

    @property
    def default_label(self) -> str:
        return code_label(self.terms)


@dataclass(frozen=True)
class DraftThemes:
    """The suggested themes of a draft per theme field (slug), and how many answers of each
    field fit no theme."""

    themes: dict[str, list[SuggestedTheme]]
    unthemed: dict[str, int]

    def find(self, theme_field: str, number: int) -> SuggestedTheme | None:
        return next((t for t in self.themes.get(theme_field, []) if t.number == number), None)


def split_terms(text: str | None) -> tuple[str, ...]:
    """The terms of a theme as the per-answer table writes them ("a, b, c")."""
    return tuple(t.strip() for t in (text or "").split(",") if t.strip())


def code_label(terms: Iterable[str]) -> str:
    """A code's first label from a theme's terms: the first few, within the label's length."""
    terms = tuple(terms)
    label = ""
    for term in terms[:LABEL_TERMS]:
        longer = f"{label}, {term}" if label else term
        if len(longer) > CODE_LABEL_LENGTH:
            break
        label = longer
    return label or (terms[0][:CODE_LABEL_LENGTH] if terms else "")


def _weight(value) -> float | None:
    if value is None or value != value:  # NaN
        return None
    return float(value)


def draft_themes(
    answer_ids: Iterable[int],
    theme_fields: Iterable[str | None],
    themes: Iterable[int | None],
    terms: Iterable[str | None],
    weights: Iterable[float | None],
    excluded: Iterable[str | None],
) -> DraftThemes:
    """The suggested themes from the per-answer table's columns, by theme field and number."""
    grouped: dict[tuple[str, int], list[ThemeMember]] = {}
    named: dict[tuple[str, int], tuple[str, ...]] = {}
    unthemed: dict[str, int] = {}
    for answer_id, field, theme, text, weight, reason in zip(
        answer_ids, theme_fields, themes, terms, weights, excluded, strict=True
    ):
        if field is None:
            continue
        if theme is None or theme <= 0:
            unthemed[field] = unthemed.get(field, 0) + 1
            continue
        key = (field, int(theme))
        grouped.setdefault(key, []).append(
            ThemeMember(int(answer_id), _weight(weight), modelled=not reason)
        )
        if key not in named and text:
            named[key] = split_terms(text)
    found: dict[str, list[SuggestedTheme]] = {}
    for (field, number), members in sorted(grouped.items()):
        members.sort(key=lambda m: (m.weight is None, -(m.weight or 0.0), m.answer_id))
        found.setdefault(field, []).append(
            SuggestedTheme(field, number, named.get((field, number), ()), tuple(members))
        )
    for field in unthemed:
        found.setdefault(field, [])
    return DraftThemes(found, unthemed)
