"""The benchmark database (instance/bench.sqlite3 or DATABASE_URL) and the servers' environment."""

from __future__ import annotations

import os
import socket
import subprocess

import sqlalchemy as sa

import config
from benchmarks import servers


def url() -> str:
    """DATABASE_URL (PostgreSQL via psycopg 3), else SQLite in instance/bench.sqlite3."""
    database = config.database_uri(os.environ.get("DATABASE_URL"))
    if database:
        return database
    path = servers.ROOT / "instance" / "bench.sqlite3"
    path.parent.mkdir(exist_ok=True)
    return f"sqlite:///{path}"


REDIS = "redis://127.0.0.1:6379/0"


def server_env(database: str, **settings: str) -> dict[str, str]:
    """The environment of the servers and `flask` commands: this database, demo mode, `settings`.

    The servers share one rate-limit storage, as several hosts would: Redis
    (RATELIMIT_STORAGE_URI, by default the local one), or each its own memory without Redis.
    """
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "BENCH_SQLITE_URL": database,
        "DIALOG_ENV": "development",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or shared_storage(),
        **settings,
    }
    env.pop("TEST_DATABASE_URL", None)
    return env


def shared_storage() -> str:
    """The local Redis if it answers, else per-process memory (with a notice)."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return REDIS
    except OSError:
        print("Redis is not running on 127.0.0.1:6379: rate limits counted per server", flush=True)
        return "memory://"


def flask(*args: str, env: dict[str, str]) -> None:
    """Run a `flask` command of the application against the benchmark database."""
    command = servers.GUNICORN.with_name("flask")
    subprocess.run([str(command), "--app", "dialog", *args], check=True, env=env, cwd=servers.ROOT)  # noqa: S603


def migrate_and_seed(env: dict[str, str]) -> None:
    """Bring the schema up to date and load the demo content (both idempotent)."""
    flask("db", "upgrade", env=env)
    flask("seed", env=env)


def analyze(url: str) -> None:
    """Bring PostgreSQL's planner statistics up to date after loading benchmark data, as its
    autovacuum does on a production server (it may be switched off on a test machine, and
    without statistics the planner scans small tables it should look rows up in)."""
    if not url.startswith("postgresql"):
        return
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()
