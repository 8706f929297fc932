"""Participant lists as CSV (for Excel: UTF-8 with BOM, semicolons) and XLSX downloads."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from flask_babel import format_datetime
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from dialog.events import labels
from dialog.events.models import Registration


def _header() -> list[str]:
    return [
        _("Nr."),
        _("Status"),
        _("Name"),
        _("E-Mail-Adresse"),
        _("Organisation"),
        _("Bundesland"),
        _("Dialoginsel"),
        _("Unterstützungsbedarf"),
        _("Angemeldet am"),
        _("Bestätigt am"),
        _("Eingecheckt am"),
    ]


def _when(value) -> str:
    return format_datetime(value, "dd.MM.yyyy HH:mm") if value else ""


def _row(r: Registration) -> list[str | int]:
    return [
        r.id,
        str(labels.REGISTRATION_STATUS[r.status]),
        r.name or "",
        r.email or "",
        r.organisation or "",
        r.bundesland.label if r.bundesland else "",
        r.theme_field.title if r.theme_field else "",
        r.support_needs or "",
        _when(r.created_at),
        _when(r.email_confirmed_at),
        _when(r.checked_in_at),
    ]


def _safe(value: str | int) -> str | int:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# Control characters that XML 1.0, and so an XLSX sheet, cannot hold (tab, LF and CR can);
# openpyxl refuses a cell with one, and a name typed with one would break the whole download.
_XML_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_cell(value: str | int) -> str | int:
    return _XML_CONTROLS.sub("", value) if isinstance(value, str) else value


def participants_csv(registrations: Sequence[Registration]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(_header())
    for r in registrations:
        writer.writerow([_safe(v) for v in _row(r)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def participants_xlsx(registrations: Sequence[Registration], title: str) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _("Teilnehmende")[:31]
    sheet.append(_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in registrations:
        sheet.append([_xlsx_cell(_safe(v)) for v in _row(r)])
    sheet.freeze_panes = "A2"
    workbook.properties.title = _xlsx_cell(title)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
