"""The dataset export: tidy tables of the selected answers and their coding, zipped with a data
dictionary (datapackage.json) and a manifest, streamed in batches with constant memory."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _

from dialog.answers.rules import AnswerStatus, Channel, Perspective
from dialog.common import audit
from dialog.common.clock import now_utc
from dialog.common.regions import Bundesland
from dialog.export import adbc, queries
from dialog.export.datapackage import datapackage
from dialog.export.overlap import prefetch
from dialog.export.schema import SCHEMA_VERSION, TABLES, TIMESTAMP, Table
from dialog.export.writers import (
    XLSX_MAX_ROWS,
    ExportFormat,
    HashingSink,
    compression,
    open_writer,
)
from dialog.extensions import db

__all__ = [
    "BATCH_ROWS",
    "ExportFilters",
    "ExportFormat",
    "ExportTooLarge",
    "Manifest",
    "count_answers",
    "write_export",
]

BATCH_ROWS = 50_000


@dataclass(frozen=True)
class ExportFilters:
    """Which answers to export; every field optional, empty means everything (of the process)."""

    process_id: int | None = None
    theme_field_ids: tuple[int, ...] = ()
    question_ids: tuple[int, ...] = ()
    statuses: tuple[AnswerStatus, ...] = ()
    channels: tuple[Channel, ...] = ()
    perspectives: tuple[Perspective, ...] = ()
    bundeslaender: tuple[Bundesland, ...] = ()
    event_ids: tuple[int, ...] = ()
    received_from: date | None = None
    received_to: date | None = None

    def as_dict(self) -> dict[str, Any]:
        """The filters that are set, JSON-safe (for the manifest and the audit log)."""
        out: dict[str, Any] = {}
        for name, value in self.__dict__.items():
            if value is None or value == ():
                continue
            if isinstance(value, tuple):
                out[name] = [getattr(v, "value", v) for v in value]
            elif isinstance(value, date):
                out[name] = value.isoformat()
            else:
                out[name] = value
        return out


class ExportTooLarge(Exception):
    """A table has more rows than the format can hold (an XLSX sheet)."""

    def __init__(self, table: str, rows: int, limit: int) -> None:
        super().__init__(f"{table}: {rows} rows, at most {limit}")
        self.table, self.rows, self.limit = table, rows, limit

    @property
    def message(self) -> str:
        return _(
            "Die Tabelle „%(table)s“ hätte %(rows)s Zeilen, ein XLSX-Arbeitsblatt fasst aber "
            "höchstens %(limit)s. Bitte wählen Sie Parquet oder CSV oder schränken Sie die "
            "Auswahl mit Filtern ein.",
            table=self.table,
            rows=format_decimal(self.rows),
            limit=format_decimal(self.limit),
        )


@dataclass(frozen=True)
class FileEntry:
    path: str
    sha256: str
    bytes: int
    rows: int | None = None  # data files only


@dataclass(frozen=True)
class Manifest:
    created_at: datetime
    format: ExportFormat
    filters: ExportFilters
    files: tuple[FileEntry, ...] = field(default_factory=tuple)
    schema_version: str = SCHEMA_VERSION

    @property
    def rows(self) -> dict[str, int]:
        return {Path(f.path).stem: f.rows for f in self.files if f.rows is not None}

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "created_at": self.created_at.isoformat(),
            "format": self.format.value,
            "filters": self.filters.as_dict(),
            "rows": self.rows,
            "files": [
                {"path": f.path, "sha256": f.sha256, "bytes": f.bytes}
                | ({} if f.rows is None else {"rows": f.rows})
                for f in self.files
            ],
        }


class DatasetExport:
    """What the audit log names for an export (an export is no stored object)."""

    id = None


def count_answers(filters: ExportFilters) -> int:
    """How many answers the filters select."""
    return db.session.scalar(queries.count_answers(filters)) or 0


def _count_rows(select: sa.Select) -> int:
    count = sa.select(sa.func.count()).select_from(select.order_by(None).subquery())
    return db.session.scalar(count) or 0


def write_export(
    out: BinaryIO | Path,
    fmt: ExportFormat,
    filters: ExportFilters,
    actor=None,
    *,
    batch_rows: int = BATCH_ROWS,
    xlsx_max_rows: int | None = None,
) -> Manifest:
    """Write ONE zip with a file per table, datapackage.json and manifest.json to `out`.

    Records an audit entry (who, which filters, row counts) in the caller's transaction.
    Raises ExportTooLarge before writing anything when an XLSX sheet could not hold a table
    (`xlsx_max_rows`, by default the config's EXPORT_XLSX_MAX_ROWS or Excel's limit).
    A path is written to a temporary name first, so that a failed export leaves no file.
    Rows are read through ADBC where a driver can reach the database: only committed rows.
    """
    fmt = ExportFormat(fmt)
    if xlsx_max_rows is None:
        xlsx_max_rows = current_app.config.get("EXPORT_XLSX_MAX_ROWS", XLSX_MAX_ROWS)
    selects = {t.name: queries.BY_TABLE[t.name](filters) for t in TABLES}
    if fmt == ExportFormat.XLSX:
        for table in TABLES:
            rows = _count_rows(selects[table.name])
            if rows > xlsx_max_rows:
                raise ExportTooLarge(table.name, rows, xlsx_max_rows)
    created_at = now_utc()
    if isinstance(out, str | os.PathLike):
        path = Path(out)
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("wb") as stream:
                manifest = _write_zip(stream, fmt, filters, selects, created_at, batch_rows)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
    else:
        manifest = _write_zip(out, fmt, filters, selects, created_at, batch_rows)
    audit.record(
        actor,
        "dataset.export",
        DatasetExport(),
        {
            "format": [None, fmt.value],
            "filters": [None, manifest.filters.as_dict()],
            "rows": [None, manifest.rows],
        },
    )
    return manifest


def _write_zip(
    out: BinaryIO,
    fmt: ExportFormat,
    filters: ExportFilters,
    selects: dict[str, sa.Select],
    created_at: datetime,
    batch_rows: int,
) -> Manifest:
    files: list[FileEntry] = []
    method, level = compression(fmt)
    with (
        _batch_source(batch_rows) as batches,
        zipfile.ZipFile(
            out, "w", compression=method, allowZip64=True, compresslevel=level
        ) as archive,
    ):
        for table in TABLES:
            name = f"{table.name}.{fmt.extension}"
            # Opened by name: an entry opened with a ZipInfo of our own would be compressed
            # at zlib's default level instead of the archive's (three times slower for CSV).
            with archive.open(name, "w", force_zip64=True) as entry:
                sink = HashingSink(entry, background=True)
                try:
                    writer = open_writer(fmt, sink, table)
                    rows = 0
                    for batch in batches(table, selects[table.name]):
                        writer.write(batch)
                        rows += batch.num_rows
                    writer.close()
                finally:
                    sink.finish()
            files.append(FileEntry(name, sink.sha256.hexdigest(), sink.size, rows))
        package = datapackage(fmt, files, created_at)
        files.append(_write_json(archive, "datapackage.json", package, created_at))
        manifest = Manifest(created_at, fmt, filters, tuple(files))
        _write_json(archive, "manifest.json", manifest.as_dict(), created_at)
    return manifest


@contextmanager
def _batch_source(batch_rows: int):
    """A function (table, select) → record batches: through ADBC where it can read the
    database, else through the session's connection."""
    engine = db.engine
    sqlite = engine.dialect.name == "sqlite"
    if not adbc.available(engine):
        connection = db.session.connection()
        yield lambda table, select: read_batches(connection, table, select, batch_rows)
        return
    with adbc.connect(engine) as connection:

        def batches(table: Table, select: sa.Select) -> Iterator[pa.RecordBatch]:
            for columns in adbc.read_batches(
                connection, engine.dialect.name, table, select, batch_rows
            ):
                yield conform(table, columns, sqlite=sqlite)

        # The ADBC connection is the reading thread's alone while a table is read.
        yield lambda table, select: prefetch(batches(table, select))


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    return moment.timetuple()[:6]  # type: ignore[return-value]


def _write_json(archive: zipfile.ZipFile, name: str, data: dict, created_at) -> FileEntry:
    info = zipfile.ZipInfo(name, date_time=_zip_time(created_at))
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w") as entry:
        sink = HashingSink(entry)
        sink.write(json.dumps(data, ensure_ascii=False, indent=2).encode())
    return FileEntry(name, sink.sha256.hexdigest(), sink.size)


# -- reading ------------------------------------------------------------------------------


def read_batches(
    connection: sa.Connection, table: Table, select: sa.Select, batch_rows: int
) -> Iterator[pa.RecordBatch]:
    """The rows of `select` as record batches of `table`'s schema, `batch_rows` at a time.

    PostgreSQL reads through a server-side cursor; SQLite steps its cursor as rows are
    fetched. Either way only one batch is in memory. (The fast path is `adbc.read_batches`.)
    """
    sqlite = connection.dialect.name == "sqlite"
    # Options of this statement only: on a Connection they would stick to the session's.
    result = connection.execute(
        select, execution_options={"stream_results": True, "yield_per": batch_rows}
    )
    try:
        for rows in result.partitions():
            columns = [pa.array(c) if c else pa.nulls(0) for c in zip(*rows, strict=True)]
            yield conform(table, columns, sqlite=sqlite)
    finally:
        result.close()


def conform(table: Table, columns: list[pa.Array], *, sqlite: bool) -> pa.RecordBatch:
    """Cast the columns as read to the table's declared types.

    SQLite hands out dates and times as text (times in UTC) and booleans as 0/1; days of
    `queries.BERLIN_DAY` are read as times and become the day in Europe/Berlin.
    """
    berlin_days = queries.BERLIN_DAY.get(table.name, set())
    arrays = [
        _cast(column, f.type, sqlite=sqlite, berlin_day=f.name in berlin_days)
        for column, f in zip(columns, table.fields, strict=True)
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=table.arrow_schema)


def _timestamps(column: pa.Array, sqlite: bool) -> pa.Array:
    if sqlite or pa.types.is_string(column.type) or pa.types.is_null(column.type):
        # stored as "YYYY-MM-DD HH:MM:SS.ffffff" in UTC
        return column.cast(pa.string()).cast(pa.timestamp("us")).cast(TIMESTAMP)
    return column.cast(TIMESTAMP)


def _cast(column: pa.Array, type_: pa.DataType, *, sqlite: bool, berlin_day: bool) -> pa.Array:
    if berlin_day:
        local = _timestamps(column, sqlite).cast(pa.timestamp("us", tz="Europe/Berlin"))
        return pc.local_timestamp(local).cast(pa.date32())
    if pa.types.is_timestamp(type_):
        return _timestamps(column, sqlite)
    if pa.types.is_date(type_) and not pa.types.is_date(column.type):
        return column.cast(pa.string()).cast(pa.date32())
    return column.cast(type_)
