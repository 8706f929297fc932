"""Reading an import file into a header and rows of text cells: CSV (UTF-8, comma or semicolon)
or XLSX (the first worksheet). Row numbers are those a spreadsheet shows: the header is row 1."""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass
from datetime import date, datetime

import openpyxl

XLSX_MAGIC = b"PK\x03\x04"  # a zip archive, as every XLSX file is
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format (OLE compound file)
DELIMITERS = (",", ";")


class UnreadableFile(ValueError):
    """The file cannot be read as a table; the message (German) says why."""

    @property
    def message(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class SourceTable:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number, cells as text)


def read_table(content: bytes) -> SourceTable:
    """The table in `content`, an XLSX workbook or a CSV file."""
    if content.startswith(XLS_MAGIC):
        raise UnreadableFile(
            "Alte Excel-Dateien (.xls) werden nicht gelesen; bitte als .xlsx oder als "
            "„CSV UTF-8“ speichern"
        )
    table = _read_xlsx(content) if content.startswith(XLSX_MAGIC) else _read_csv(content)
    if not table.header or not any(name.strip() for name in table.header):
        raise UnreadableFile("Die Datei ist leer: die erste Zeile muss die Spaltennamen enthalten")
    return table


def _read_csv(content: bytes) -> SourceTable:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise UnreadableFile(
            f"Die Datei ist nicht UTF-8-kodiert (erstes unlesbares Zeichen in Textzeile {line}); "
            "bitte als „CSV UTF-8“ speichern"
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)  # ties (one column): the comma
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip() for name in next(records, [])]
        rows = [(number, cells) for number, cells in enumerate(records, start=2)]
    except csv.Error as error:
        raise UnreadableFile(
            f"Textzeile {records.line_num}: die CSV-Datei ist fehlerhaft ({error}); oft fehlt ein "
            "schließendes Anführungszeichen"
        ) from None
    return SourceTable(header, rows)


def _read_xlsx(content: bytes) -> SourceTable:
    try:
        with warnings.catch_warnings():
            # Warnings about styles or extensions that openpyxl does not read: nothing lost.
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                values = [
                    (number, [_cell_text(v) for v in row])
                    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
                ]
            finally:
                workbook.close()
    except Exception as error:  # any parser's error: the file is no workbook it can read
        raise UnreadableFile(f"Die Datei ist keine lesbare XLSX-Datei ({error})") from None
    if not values:
        return SourceTable([], [])
    header = [name.strip() for name in values[0][1]]
    return SourceTable(header, values[1:])


def _cell_text(value: object) -> str:
    """A cell's value as the text a CSV export of the sheet would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
