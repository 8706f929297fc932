"""The data dictionary: a Frictionless-style datapackage.json derived from `schema`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from dialog.answers import labels as answer_labels
from dialog.answers.rules import AgeBand, AnswerStatus, Channel, Perspective
from dialog.common.regions import BUNDESLAND_LABELS, Bundesland
from dialog.events import labels as event_labels
from dialog.events.rules import EventKind, EventStatus
from dialog.export.schema import SCHEMA_VERSION, TABLES, CodeStatus, Field
from dialog.export.writers import FORMULA_GUARD, ExportFormat
from dialog.quality import labels as quality_labels
from dialog.quality.rules import CampaignStatus
from dialog.recommendations import labels as recommendation_labels
from dialog.recommendations.rules import EvidenceKind, RecommendationStatus

if TYPE_CHECKING:
    from dialog.export.services import FileEntry

CODE_STATUS = {
    CodeStatus.ACTIVE: _l("aktiv"),
    CodeStatus.RETIRED: _l("stillgelegt"),
    CodeStatus.MERGED: _l("zusammengelegt"),
}

LABELS: Mapping[type[StrEnum], Mapping[Any, Any]] = {
    Channel: answer_labels.CHANNEL,
    AnswerStatus: answer_labels.STATUS,
    Perspective: answer_labels.PERSPECTIVE,
    AgeBand: answer_labels.AGE_BAND,
    Bundesland: BUNDESLAND_LABELS,
    EventKind: event_labels.KIND,
    EventStatus: event_labels.STATUS,
    CodeStatus: CODE_STATUS,
    CampaignStatus: quality_labels.STATUS,
    RecommendationStatus: recommendation_labels.STATUS,
    EvidenceKind: recommendation_labels.EVIDENCE_KIND,
}


def _categories(codes: type[StrEnum]) -> list[dict[str, str]]:
    labels = LABELS[codes]
    with force_locale("de"):
        german = {member: str(labels[member]) for member in codes}
    with force_locale("en"):
        english = {member: str(labels[member]) for member in codes}
    return [{"value": m.value, "label": german[m], "x-label-en": english[m]} for m in codes]


def _field(f: Field) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": f.name,
        "type": f.frictionless_type,
        "description": f.de,
        "x-description-en": f.en,
        "x-arrow-type": str(f.type),
    }
    constraints: dict[str, Any] = {}
    if not f.nullable:
        constraints["required"] = True
    if f.codes is not None:
        constraints["enum"] = [m.value for m in f.codes]
        out["categories"] = _categories(f.codes)
    if constraints:
        out["constraints"] = constraints
    return out


def _dialect(fmt: ExportFormat) -> dict[str, Any]:
    return {
        "delimiter": ";" if fmt == ExportFormat.CSV_EXCEL else ",",
        "lineTerminator": "\r\n",
        "quoteChar": '"',
        "doubleQuote": True,
        "header": True,
    }


def datapackage(fmt: ExportFormat, files: Sequence[FileEntry], created_at: datetime) -> dict:
    """The data dictionary of an export whose data files are `files` (in `TABLES` order)."""
    by_table = {f.path.rsplit(".", 1)[0]: f for f in files}
    resources = []
    for table in TABLES:
        entry = by_table[table.name]
        resource: dict[str, Any] = {
            "name": table.name,
            "path": entry.path,
            "format": fmt.extension,
            "mediatype": fmt.mediatype,
            "description": table.de,
            "x-description-en": table.en,
            "hash": f"sha256:{entry.sha256}",
            "bytes": entry.bytes,
            "x-rows": entry.rows,
            "schema": {
                "fields": [_field(f) for f in table.fields],
                "missingValues": [""],
            },
        }
        if fmt in (ExportFormat.CSV, ExportFormat.CSV_EXCEL, ExportFormat.JSONL):
            resource["encoding"] = "utf-8-sig" if fmt == ExportFormat.CSV_EXCEL else "utf-8"
        if fmt in (ExportFormat.CSV, ExportFormat.CSV_EXCEL):
            resource["dialect"] = _dialect(fmt)
        if fmt.guards_formulas:
            resource["x-formula-guard"] = FORMULA_GUARD
        if fmt == ExportFormat.XLSX:
            resource["x-xlsx-note"] = (
                "Zeitpunkte in UTC ohne Zeitzonenangabe und auf die Millisekunde genau (so "
                "speichert Excel sie); Steuerzeichen außer Tabulator und Zeilenumbruch, die XLSX "
                "nicht aufnehmen kann, sind entfernt. / Times in UTC without a zone, to the "
                "millisecond (as Excel keeps them); control characters other than tab and line "
                "breaks, which XLSX cannot hold, are removed."
            )
        resources.append(resource)
    package = {
        "profile": "data-package",
        "name": "dialog-export",
        "title": "dialog – Datenexport (Antworten, Codierung, Veranstaltungen, Empfehlungen)",
        "created": created_at.isoformat(),
        "x-schema-version": SCHEMA_VERSION,
        "x-personal-data": (
            "Keine Namen, E-Mail-Adressen, IP-Adressen oder Zugangsschlüssel; Mitarbeitende "
            "nur als Nummer. / No names, e-mail addresses, IP addresses or tokens; staff only "
            "by number."
        ),
        "resources": resources,
    }
    if fmt.guards_formulas:
        package["x-formula-guard"] = FORMULA_GUARD
    return package
