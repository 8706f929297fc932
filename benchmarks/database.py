"""The benchmark database (instance/bench.sqlite3 or DATABASE_URL) and the servers' environment."""

from __future__ import annotations

import os
import subprocess

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


def server_env(database: str, **settings: str) -> dict[str, str]:
    """The environment of the servers and `flask` commands: this database, demo mode, `settings`."""
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "BENCH_SQLITE_URL": database,
        "DIALOG_ENV": "development",
        **settings,
    }
    env.pop("TEST_DATABASE_URL", None)
    return env


def flask(*args: str, env: dict[str, str]) -> None:
    """Run a `flask` command of the application against the benchmark database."""
    command = servers.GUNICORN.with_name("flask")
    subprocess.run([str(command), "--app", "dialog", *args], check=True, env=env, cwd=servers.ROOT)  # noqa: S603


def migrate_and_seed(env: dict[str, str]) -> None:
    """Bring the schema up to date and load the demo content (both idempotent)."""
    flask("db", "upgrade", env=env)
    flask("seed", env=env)
