"""The bare baseline: a minimal Flask app with a static page and a single INSERT + commit.

Served by the same gunicorn setup and the same database as the application, it tells what the
machine can do at all, so that the benchmark figures are ratios, not machine-dependent times.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask

import config

PAGE = (
    "<!doctype html><html lang=de><head><meta charset=utf-8><title>Bare</title></head>"
    "<body><main><h1>Bare baseline</h1><p>A small static page.</p></main></body></html>"
)
_rows = sa.table("bench_bare_rows", sa.column("text", sa.Text))


def create_bare_app() -> Flask:
    app = Flask(__name__)
    url = config.database_uri(os.environ.get("DATABASE_URL")) or os.environ["BENCH_SQLITE_URL"]
    engine = sa.create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        # The same connection settings as the application's (dialog/extensions.py).
        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            for pragma in ("journal_mode=WAL", "busy_timeout=5000", "synchronous=NORMAL"):
                dbapi_connection.execute(f"PRAGMA {pragma}")

    @app.get("/static")
    def static_page():
        return PAGE

    @app.post("/insert")
    def insert():
        with engine.begin() as conn:
            conn.execute(
                sa.insert(_rows).values(text="Eine Antwort von etwa fünfzig Zeichen Länge.")
            )
        return "", 204

    return app


def prepare(engine: sa.Engine) -> None:
    """Create the baseline's table (empty) in the benchmark database."""
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS bench_bare_rows"))
        conn.execute(sa.text("CREATE TABLE bench_bare_rows (id INTEGER PRIMARY KEY, text TEXT)"))
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("DROP TABLE bench_bare_rows"))
            conn.execute(sa.text("CREATE TABLE bench_bare_rows (id SERIAL PRIMARY KEY, text TEXT)"))
