"""The fast read path: the export's SELECTs through ADBC, straight into Arrow record batches.

PostgreSQL streams the rows with binary COPY; SQLite steps its cursor in C. Both avoid a
Python object per value, which is most of the cost of reading a million answers.

ADBC reads through its own connection (in one read-only transaction, so all tables come from
one snapshot), so it sees committed rows only. SQLite is read by a child process
(`sqlite_child`): ADBC's own copy of SQLite must not share a process with the app's.
SQLite's driver infers column types from the first rows it reads (a column that starts with
NULLs would be taken for an integer): every query therefore starts with one prototype row of
the right types, marked and dropped again.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from dialog.export.schema import Table

_PROTOTYPE = "_export_prototype"


def available(engine: sa.Engine) -> bool:
    """Whether ADBC can read this database (a driver is installed; SQLite in a file)."""
    try:
        if engine.dialect.name == "postgresql":
            import adbc_driver_postgresql.dbapi  # noqa: F401

            return True
        if engine.dialect.name == "sqlite":
            import adbc_driver_sqlite.dbapi  # noqa: F401

            database = engine.url.database
            return bool(database) and database != ":memory:" and "mode=memory" not in database
    except ImportError:
        return False
    return False


class SQLiteChild:
    """ADBC's SQLite in a child process (see `sqlite_child`): queries in, record batches out."""

    def __init__(self, database: str) -> None:
        self._process = subprocess.Popen(  # nosec B603 # noqa: S603 - our own script, no shell
            [sys.executable, str(Path(__file__).with_name("sqlite_child.py")), database],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def query(self, sql: str, parameters: list, batch_rows: int) -> pa.RecordBatchReader:
        request = {"sql": sql, "params": parameters, "batch_rows": batch_rows}
        try:
            self._process.stdin.write(json.dumps(request).encode() + b"\n")
            self._process.stdin.flush()
            return pa.ipc.open_stream(self._process.stdout)
        except (OSError, pa.ArrowInvalid) as error:
            raise RuntimeError(f"export reader failed: {self._failure()}") from error

    def _failure(self) -> str:
        self._process.kill()
        return self._process.communicate()[1].decode(errors="replace").strip()[-2000:]

    def close(self) -> None:
        self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process.stdout.close()
        self._process.stderr.close()


@contextmanager
def connect(engine: sa.Engine):
    if engine.dialect.name == "sqlite":
        child = SQLiteChild(str(Path(engine.url.database).resolve()))
        try:
            yield child
        finally:
            child.close()
        return
    import adbc_driver_postgresql.dbapi as driver

    uri = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    connection = driver.connect(uri)
    try:
        # One snapshot for every table, so that codes never name an answer left out.
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield connection
    finally:
        connection.close()


def _dialect(name: str) -> sa.Dialect:
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

        return PGDialect_psycopg(paramstyle="numeric_dollar")
    from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

    return SQLiteDialect_pysqlite(paramstyle="qmark")


def _parameter(value, sqlite: bool):
    if isinstance(value, Enum):
        return value.value
    if sqlite and isinstance(value, date):
        return value.isoformat()  # how SQLite stores a date
    return value


def _prototype_value(type_: pa.DataType):
    """A literal of the SQLite storage class that `type_` is read from."""
    if pa.types.is_floating(type_):
        return sa.literal(0.5, sa.Float)
    if pa.types.is_integer(type_) or pa.types.is_boolean(type_):
        return sa.literal(0, sa.Integer)
    return sa.literal("", sa.String)  # text, and dates and times, which SQLite keeps as text


def _with_prototype(select: sa.Select, table: Table) -> sa.Select:
    rows = select.add_columns(sa.literal(0, sa.Integer).label(_PROTOTYPE))
    prototype = sa.select(
        *(_prototype_value(f.type).label(f.name) for f in table.fields),
        sa.literal(1, sa.Integer).label(_PROTOTYPE),
    )
    return sa.select(sa.union_all(prototype, sa.select(rows.subquery())).subquery())


def read_batches(connection, dialect_name: str, table: Table, select: sa.Select, batch_rows: int):
    """Record batches (columns as read, in the table's order) of `select`."""
    if dialect_name == "sqlite":
        compiled = _with_prototype(select, table).compile(
            dialect=_dialect(dialect_name), compile_kwargs={"render_postcompile": True}
        )
        parameters = [_parameter(compiled.params[n], True) for n in compiled.positiontup or ()]
        yield from _batches(connection.query(str(compiled), parameters, batch_rows), table, True)
        return
    # With bound parameters the PostgreSQL driver cannot stream through COPY and would hold
    # the whole result at once. The values are ids, enum values and dates, checked before,
    # and quoted by SQLAlchemy's literal rendering.
    compiled = select.compile(
        dialect=_dialect(dialect_name), compile_kwargs={"literal_binds": True}
    )
    cursor = connection.cursor()
    cursor.adbc_statement.set_options(
        **{"adbc.postgresql.batch_size_hint_bytes": str(16 * 1024 * 1024)}
    )
    try:
        cursor.execute(str(compiled))
        yield from _batches(cursor.fetch_record_batch(), table, False)
    finally:
        cursor.close()


def _batches(reader: pa.RecordBatchReader, table: Table, sqlite: bool) -> Iterator[list[pa.Array]]:
    width = len(table.fields)
    for batch in reader:
        if sqlite:
            real = pc.equal(batch.column(width), 0)
            batch = batch.filter(real)
        if batch.num_rows:
            yield [batch.column(i) for i in range(width)]
