"""/healthz and /readyz: what load balancers ask, answered without session, cache or limit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from dialog import create_app
from dialog.extensions import db, limiter
from dialog.health import rules
from tests.conftest import free_port, make_config


def unreachable_urls() -> list[str]:
    """A PostgreSQL server nobody listens for and an SQLite file that cannot be created."""
    return [
        f"postgresql://postgres@127.0.0.1:{free_port()}/dialog",
        "sqlite:////nonexistent-directory/for/dialog.sqlite3",
    ]


def test_liveness_answers_and_readiness_says_ready_at_the_migration_head(client):
    live = client.get("/healthz")
    assert (live.status_code, live.get_json()) == (200, {"status": "ok"})
    ready = client.get("/readyz")
    assert (ready.status_code, ready.get_json()) == (200, {"status": "ok"})
    for response in (live, ready):
        assert response.headers["Cache-Control"] == "no-store"
        assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("url", unreachable_urls(), ids=["postgresql", "sqlite"])
def test_without_database_the_process_is_live_but_not_ready(url):
    app = create_app(make_config(url))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json() == {"status": "unavailable", "reason": rules.UNREACHABLE}
    with app.app_context():
        db.engine.dispose()


def test_readiness_fails_while_the_database_is_behind_the_migration_head(app, database_url):
    """One migration short of the code, as during a deployment before `flask db upgrade`.

    The page cache is on: a cached answer would hide the change.
    """
    app.config["PAGE_CACHE_SECONDS"] = 15
    client = app.test_client()
    script = ScriptDirectory(str(app.extensions["migrate"].directory))
    (head,) = script.get_heads()
    previous = script.get_revision(head).down_revision
    assert client.get("/readyz").status_code == 200
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": previous})
        behind = client.get("/readyz")
        assert behind.status_code == 503
        assert behind.get_json() == {"status": "unavailable", "reason": rules.BEHIND}
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM alembic_version"))
        assert client.get("/readyz").get_json()["reason"] == rules.NOT_MIGRATED
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM alembic_version"))
            conn.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": head})
        engine.dispose()
    assert client.get("/readyz").status_code == 200


def test_probes_are_exempt_from_rate_limits_and_sessions(database_url, monkeypatch):
    # The limiter is one object for every app: the default limit must not outlive this test.
    monkeypatch.setattr(limiter.limit_manager, "_default_limits", [])
    app = create_app(make_config(database_url, RATELIMIT_DEFAULT="3 per minute"))
    client = app.test_client()
    with client.session_transaction() as session:
        session["lang"] = "en"  # a visitor's session: the probes neither read nor renew it
    statuses = [client.get(path).status_code for _ in range(10) for path in ("/healthz", "/readyz")]
    assert statuses == [200] * 20
    responses = [client.head("/healthz"), client.get("/readyz")]
    assert all("Set-Cookie" not in r.headers for r in responses)
    # The default limit is in force elsewhere: the probes are exempt, not the app unlimited.
    limited = [client.get("/sprache/de").status_code for _ in range(5)]
    assert 429 in limited
    with app.app_context():
        db.engine.dispose()


def test_unready_reason_rules():
    assert rules.unready_reason(None, ["b"]) == rules.UNREACHABLE
    assert rules.unready_reason([], ["b"]) == rules.NOT_MIGRATED
    assert rules.unready_reason(["a"], ["b"]) == rules.BEHIND
    assert rules.unready_reason(["a", "b"], ["b"]) == rules.BEHIND
    assert rules.unready_reason(["b"], ["b"]) is None
