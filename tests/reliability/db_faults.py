"""Database faults for tests: another connection holding the write lock, short lock waits."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import sqlalchemy as sa
from sqlalchemy import event


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def libpq_url(database_url: str) -> str:
    url = sa.make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _short_lock_wait(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor.execute("PRAGMA busy_timeout=200")
    else:
        cursor.execute("SET lock_timeout = '200ms'")
        dbapi_connection.commit()  # a rolled-back SET would be undone
    cursor.close()


@contextmanager
def short_lock_wait(engine: sa.Engine) -> Iterator[None]:
    """The engine's new connections give up waiting for a lock after 0.2 s instead of 5 s.

    Give back the connections of open sessions first: the pool is emptied.
    """
    engine.dispose()
    event.listen(engine, "connect", _short_lock_wait)
    try:
        yield
    finally:
        event.remove(engine, "connect", _short_lock_wait)
        engine.dispose()


@contextmanager
def write_lock(database_url: str, table: str) -> Iterator[None]:
    """Another connection holding a write transaction, as a long import or migration would.

    SQLite has one write lock for the whole file; on PostgreSQL `table` is locked against
    writes (reads go on).
    """
    if is_postgres(database_url):
        with psycopg.connect(libpq_url(database_url)) as conn:
            conn.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
            yield
            conn.rollback()
    else:
        conn = sqlite3.connect(sa.make_url(database_url).database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
