"""Scale-out: two gunicorn servers (separate ports) on one database, rate limits in Redis.

As on two hosts behind a load balancer, the requests alternate between the servers. The
registration storm must stay exact (every seat once, the rest on the waitlist in order of
arrival, one mail each), every acknowledged answer must be stored once, and the per-address
answer limit must hold across both servers: with per-process counting, each of the four
worker processes would let the full limit through.
"""

from __future__ import annotations

import math
import socket
import uuid

import pytest
import redis

from benchmarks import answers_bench, load, registration_bench
from dialog.extensions import db
from tests.reliability.gunicorn import Server, answer_requests, registration_requests
from tests.web.event_helpers import assert_seats_consistent, make_event

REDIS = "redis://127.0.0.1:6379/0"
SEATS = 20
PEOPLE = 150
ANSWERS = 45
ANSWER_LIMIT = 30  # per address and day: no window boundary falls inside the test


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not _redis_available(), reason="scale-out needs Redis on 127.0.0.1:6379"
)


@pytest.fixture
def two_servers(app, database_url):
    prefix = f"dialog-scale-out-{uuid.uuid4().hex}"
    servers = [
        Server(
            database_url,
            "tests.reliability.scaled_app:create()",
            SCALE_OUT_RATELIMIT_STORAGE_URI=REDIS,
            SCALE_OUT_RATELIMIT_KEY_PREFIX=prefix,
            SCALE_OUT_ANSWER_RATE_LIMIT=f"{ANSWER_LIMIT} per day",
        )
        for _ in range(2)
    ]
    try:
        for server in servers:
            server.spawn()
        for server in servers:
            server.wait_until_ready()
        yield [server.port for server in servers]
    finally:
        for server in servers:
            server.kill()
        store = redis.Redis.from_url(REDIS)
        for key in store.scan_iter(f"{prefix}*"):
            store.delete(key)
        store.close()


def test_two_servers_keep_seats_answers_and_rate_limits_exact(
    app, client, seeded, two_servers, database_url
):
    event_id = make_event(capacity=SEATS).id
    registrations = registration_requests(client, event_id, PEOPLE)
    answers = answer_requests(client, ANSWERS)
    db.session.remove()  # the test holds no connection while the servers work

    storm = load.run(two_servers, iter(registrations), concurrency=32, duration=math.inf)
    assert storm.errors == 0, storm.statuses
    assert registration_bench.check(database_url, event_id, SEATS, registrations, storm) == []
    assert_seats_consistent(event_id)

    sent = load.run(two_servers, iter(answers), concurrency=16, duration=math.inf)
    acknowledged = [location for location in sent.locations if location.startswith("/beitrag/")]
    assert sent.failures == 0
    assert len(acknowledged) == ANSWER_LIMIT, sent.statuses
    assert sent.statuses[429] == ANSWERS - ANSWER_LIMIT
    assert answers_bench.check_stored(database_url, sent) == ""
