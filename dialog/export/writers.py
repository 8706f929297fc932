"""Format writers: each takes Arrow record batches and writes one table into one zip entry.

The entry is written once, as the batches arrive, through a sink that counts its bytes and
computes its SHA-256 on the way. Nothing is buffered beyond one batch (and, for XLSX,
openpyxl's temporary sheet file).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date, datetime
from enum import StrEnum
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dialog.export.overlap import Handoff
from dialog.export.schema import Table

# A cell starting with one of these runs as a formula in a spreadsheet (CSV/formula injection).
FORMULA_START = r"^[=+\-@\t\r]"
FORMULA_GUARD = (
    "In CSV und XLSX wird Text, der mit =, +, -, @, Tabulator oder Wagenrücklauf beginnt, ein "
    "Apostroph (') vorangestellt, damit Tabellenprogramme ihn nicht als Formel ausführen. "
    "Parquet und JSON Lines enthalten den Text unverändert. / In CSV and XLSX, text starting "
    "with =, +, -, @, tab or carriage return is prefixed with an apostrophe (') so that "
    "spreadsheets do not run it as a formula. Parquet and JSON Lines keep the text unchanged."
)
XLSX_MAX_ROWS = 1_048_575  # rows of an Excel sheet (1,048,576) minus the header row


class ExportFormat(StrEnum):
    PARQUET = "parquet"
    CSV = "csv"
    CSV_EXCEL = "csv-excel"
    XLSX = "xlsx"
    JSONL = "jsonl"

    @property
    def extension(self) -> str:
        return {"csv-excel": "csv"}.get(self.value, self.value)

    @property
    def mediatype(self) -> str:
        return {
            "parquet": "application/vnd.apache.parquet",
            "csv": "text/csv",
            "csv-excel": "text/csv",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "jsonl": "application/jsonl",
        }[self.value]

    @property
    def guards_formulas(self) -> bool:
        return self in (ExportFormat.CSV, ExportFormat.CSV_EXCEL, ExportFormat.XLSX)


class HashingSink(io.RawIOBase):
    """A write-only stream into a zip entry that counts bytes and hashes them on the way.

    With `background`, hashing and writing into the entry (which compresses) happen in a
    thread of their own while the caller formats the next rows; `finish` waits for them.
    """

    def __init__(self, target: BinaryIO, *, background: bool = False) -> None:
        self._target = target
        self.sha256 = hashlib.sha256()
        self.size = 0
        self._handoff = Handoff(self._hash_and_write) if background else None

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        view = memoryview(data)
        if self._handoff is not None:
            self._handoff.send(view)
        else:
            self._hash_and_write(view)
        self.size += view.nbytes
        return view.nbytes

    def _hash_and_write(self, data) -> None:
        self.sha256.update(data)
        self._target.write(data)

    def finish(self) -> None:
        """Wait until everything written has been hashed and written into the entry."""
        if self._handoff is not None:
            self._handoff.close()

    def close(self) -> None:
        self.finish()
        super().close()

    def tell(self) -> int:
        return self.size  # not seekable, but writers (Parquet, zipfile) ask where they are


def guard_formulas(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Prefix an apostrophe to string cells that a spreadsheet would run as a formula."""
    arrays = []
    for column in batch.columns:
        if pa.types.is_string(column.type):
            risky = pc.fill_null(pc.match_substring_regex(column, FORMULA_START), False)
            if pc.any(risky).as_py():
                column = pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
        arrays.append(column)
    return pa.RecordBatch.from_arrays(arrays, schema=batch.schema)


# Control characters that XML 1.0, and so an XLSX sheet, cannot hold (tab, LF and CR can).
XML_CONTROLS = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"


def _without_xml_controls(batch: pa.RecordBatch) -> pa.RecordBatch:
    arrays = [
        pc.replace_substring_regex(c, XML_CONTROLS, "") if pa.types.is_string(c.type) else c
        for c in batch.columns
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=batch.schema)


class TableWriter:
    def write(self, batch: pa.RecordBatch) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish the file (the zip entry is closed by the caller)."""


class ParquetTableWriter(TableWriter):
    def __init__(self, sink: HashingSink, table: Table) -> None:
        self._writer = pq.ParquetWriter(sink, table.arrow_schema, compression="snappy")

    def write(self, batch: pa.RecordBatch) -> None:
        self._writer.write_batch(batch)

    def close(self) -> None:
        self._writer.close()


class CsvTableWriter(TableWriter):
    """RFC 4180 (CRLF, quotes doubled); the Excel variant with a BOM and semicolons.

    Strings are always quoted and empty values (NULL) never, so that the two stay apart.
    """

    def __init__(self, sink: HashingSink, table: Table, *, excel: bool) -> None:
        if excel:
            sink.write("\ufeff".encode())
        options = pacsv.WriteOptions(
            delimiter=";" if excel else ",", quoting_style="needed", eol="\r\n"
        )
        self._writer = pacsv.CSVWriter(sink, table.arrow_schema, write_options=options)

    def write(self, batch: pa.RecordBatch) -> None:
        self._writer.write_batch(guard_formulas(batch))

    def close(self) -> None:
        self._writer.close()


def _json_default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class JsonLinesTableWriter(TableWriter):
    def __init__(self, sink: HashingSink, table: Table) -> None:
        self._sink = sink

    def write(self, batch: pa.RecordBatch) -> None:
        dumps = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
        lines = "".join(dumps(row) + "\n" for row in batch.to_pylist())
        self._sink.write(lines.encode())


class XlsxTableWriter(TableWriter):
    """One sheet, header in bold; times as naive UTC (Excel knows no time zones)."""

    def __init__(self, sink: HashingSink, table: Table) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        self._sink = sink
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(table.name[:31])
        self._sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for name in table.names:
            cell = WriteOnlyCell(self._sheet, value=name)
            cell.font = bold
            header.append(cell)
        self._sheet.append(header)
        self._timestamps = [i for i, f in enumerate(table.fields) if pa.types.is_timestamp(f.type)]

    def write(self, batch: pa.RecordBatch) -> None:
        batch = _without_xml_controls(guard_formulas(batch))
        for i in self._timestamps:
            naive = batch.column(i).cast(pa.timestamp("us"))
            batch = batch.set_column(i, batch.schema.field(i).with_type(naive.type), naive)
        columns = [c.to_pylist() for c in batch.columns]
        append = self._sheet.append
        for row in zip(*columns, strict=True):
            append(row)

    def close(self) -> None:
        self._book.save(self._sink)


def open_writer(fmt: ExportFormat, sink: HashingSink, table: Table) -> TableWriter:
    if fmt == ExportFormat.PARQUET:
        return ParquetTableWriter(sink, table)
    if fmt in (ExportFormat.CSV, ExportFormat.CSV_EXCEL):
        return CsvTableWriter(sink, table, excel=fmt == ExportFormat.CSV_EXCEL)
    if fmt == ExportFormat.XLSX:
        return XlsxTableWriter(sink, table)
    return JsonLinesTableWriter(sink, table)


def compression(fmt: ExportFormat) -> tuple[int, int | None]:
    """Zip compression of a data file: Parquet and XLSX are compressed already."""
    if fmt in (ExportFormat.PARQUET, ExportFormat.XLSX):
        return zipfile.ZIP_STORED, None
    return zipfile.ZIP_DEFLATED, 1  # fast: the export is meant for large datasets
