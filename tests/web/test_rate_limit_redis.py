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
