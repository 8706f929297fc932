"""Login throttling with the Redis storage that several server processes share."""

import socket
import uuid

import pytest

from dialog import create_app
from dialog.extensions import db, limiter
from tests.conftest import IsolatedClient, csrf_token, make_config

REDIS = ("127.0.0.1", 6379)


def redis_available() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_available(), reason="no Redis server on 127.0.0.1:6379")
def test_login_limit_is_shared_between_processes_through_redis(app, database_url):
    prefix = f"dialog-test-{uuid.uuid4().hex}"
    settings = {
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
        "RATELIMIT_KEY_PREFIX": prefix,
        "LOGIN_RATE_LIMIT": "3 per minute",
    }

    def attempt(server) -> int:
        server.test_client_class = IsolatedClient
        client = server.test_client()
        token = csrf_token(client, "/anmelden")
        data = {"email": "x@example.org", "password": "falsch", "csrf_token": token}
        return client.post("/anmelden", data=data).status_code

    servers = [create_app(make_config(database_url, **settings))]
    try:
        assert [attempt(servers[0]) for _ in range(3)] == [200, 200, 200]
        # A second app instance stands for another server process: it starts with storage of
        # its own (in-memory storage would have forgotten the attempts) and sees the same count.
        servers.append(create_app(make_config(database_url, **settings)))
        assert attempt(servers[1]) == 429
    finally:
        limiter.reset()
        for server in servers:
            with server.app_context():
                db.engine.dispose()


def test_forms_still_work_and_limit_while_the_rate_limit_storage_is_down(
    app, database_url, caplog, monkeypatch
):
    """Redis down (here: a port nobody listens on) costs the shared count, never the form."""
    from dialog.common import ratelimit

    monkeypatch.setattr(ratelimit, "_storage_down_until", 0.0)
    # The extension object is shared by every app of the test run: its "storage dead" mark
    # must not outlive this test.
    monkeypatch.setattr(limiter, "_storage_dead", False)
    settings = {
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1",
        "LOGIN_RATE_LIMIT": "2 per minute",
        "REGISTRATION_RATE_LIMIT": "1 per minute",
    }
    server = create_app(make_config(database_url, **settings))
    server.test_client_class = IsolatedClient
    client = server.test_client()
    try:
        # Limits counted in the view (dialog/common/ratelimit.py) …
        with server.test_request_context():
            assert ratelimit.hit("test-scope", "1 per minute") is True
            assert ratelimit.hit("test-scope", "1 per minute") is False
        assert "rate-limit storage unreachable" in caplog.text
        # … and Flask-Limiter's decorators, here the login's.
        statuses = []
        for _ in range(3):
            token = csrf_token(client, "/anmelden")
            data = {"email": "x@example.org", "password": "falsch", "csrf_token": token}
            statuses.append(client.post("/anmelden", data=data).status_code)
        # Counted in memory: the limit still holds.
        assert statuses == [200, 200, 429]
    finally:
        with server.app_context():
            db.engine.dispose()
