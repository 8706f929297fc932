"""Full-text search over published answers, one interface for SQLite FTS5 and PostgreSQL.

The index holds only what the public may read (the redacted text where there is one); the
services add an answer when it is published and remove it when it stops being public.
The table is created by the migrations, outside the models: an FTS5 virtual table on SQLite,
a table with a GIN-indexed tsvector on PostgreSQL.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from dialog.extensions import db

TABLE = "answer_search"
MAX_TERMS = 12
_TERM = re.compile(r"\w+", re.UNICODE)

_sqlite_table = sa.table(TABLE, sa.column("rowid", sa.Integer), sa.column("body", sa.Text))
_pg_table = sa.table(TABLE, sa.column("answer_id", sa.Integer), sa.column("document"))


def is_search_table(name: str | None) -> bool:
    """Whether a table belongs to the search index (it and FTS5's shadow tables)."""
    return bool(name) and (name == TABLE or name.startswith(TABLE + "_"))


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def terms(query: str) -> list[str]:
    """The words of a search query; punctuation and operators are not interpreted."""
    return _TERM.findall(query.lower())[:MAX_TERMS]


def fts5_query(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word, each also as a prefix ("weiterbild*")."""
    return " AND ".join('"{}"*'.format(w.replace('"', '""')) for w in words)


def index(answer_id: int, text: str) -> None:
    """Add or replace the public text of an answer in the index."""
    if _postgres():
        stmt = pg_insert(_pg_table).values(
            answer_id=answer_id, document=sa.func.to_tsvector("german", text)
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["answer_id"], set_={"document": stmt.excluded.document}
        )
        db.session.execute(stmt)
    else:
        db.session.execute(sa.delete(_sqlite_table).where(_sqlite_table.c.rowid == answer_id))
        db.session.execute(sa.insert(_sqlite_table).values(rowid=answer_id, body=text))


def index_many(items: list[tuple[int, str]]) -> None:
    """Add many (answer id, public text) pairs at once; the answers must not be indexed yet."""
    if not items:
        return
    if _postgres():
        rows = [{"answer_id": i, "body": text} for i, text in items]
        db.session.execute(
            sa.text(
                "INSERT INTO answer_search (answer_id, document) "
                "VALUES (:answer_id, to_tsvector('german', :body))"
            ),
            rows,
        )
    else:
        db.session.execute(
            sa.insert(_sqlite_table), [{"rowid": i, "body": text} for i, text in items]
        )


def unindex(answer_ids: list[int]) -> None:
    """Remove answers from the index (taken down, rejected or deleted)."""
    if not answer_ids:
        return
    if _postgres():
        db.session.execute(sa.delete(_pg_table).where(_pg_table.c.answer_id.in_(answer_ids)))
    else:
        db.session.execute(sa.delete(_sqlite_table).where(_sqlite_table.c.rowid.in_(answer_ids)))


def restrict(stmt: sa.Select, id_column: sa.ColumnElement, query: str) -> sa.Select:
    """`stmt` limited to rows whose `id_column` is an answer matching `query` (all words),
    newest (highest id) first."""
    words = terms(query)
    if not words:
        return stmt
    if _postgres():
        tsquery = sa.func.to_tsquery("german", " & ".join(w + ":*" for w in words))
        return stmt.join(_pg_table, _pg_table.c.answer_id == id_column).where(
            _pg_table.c.document.op("@@")(tsquery)
        )
    # Ordering by the index's rowid (the answer id) lets FTS5 deliver matches newest first
    # and stop at the page size instead of sorting every match.
    return (
        stmt.join(_sqlite_table, _sqlite_table.c.rowid == id_column)
        .where(sa.literal_column(TABLE).op("MATCH")(fts5_query(words)))
        .order_by(None)
        .order_by(_sqlite_table.c.rowid.desc())
    )
