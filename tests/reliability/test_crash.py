"""Crash test: gunicorn servers killed with SIGKILL (masters and workers) under load lose nothing.

While the load generator (benchmarks/load.py) sends answers and event registrations to two
real gunicorn servers on loopback, the servers are killed with SIGKILL, master and workers at
once, and started again, several times. Whatever was not acknowledged is sent again, as a
person would press the button again. Afterwards every form is acknowledged (a redirect to its
confirmation page) and stored exactly once: answers by their private link, registrations by
e-mail; no seat is overbooked, every registration has its mail (and the link once more per
repeated sending, as anyone registering twice gets it), and the database is intact
(`PRAGMA integrity_check` on SQLite; no duplicate, orphan or stuck transaction on PostgreSQL).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter

import pytest
import sqlalchemy as sa

from benchmarks import load
from dialog.answers import services as answer_services
from dialog.extensions import db
from tests.reliability.gunicorn import WORKERS, Server, answer_requests, registration_requests
from tests.web.event_helpers import assert_seats_consistent, make_event

SERVERS = 2
ANSWERS = 60
REGISTRATIONS = 60
SEATS = 20
# When a share of the forms is acknowledged, the servers are killed: the first, the second,
# then both at once; the rest of the forms go to the restarted servers.
KILLS = ((0.2, (0,)), (0.4, (1,)), (0.6, (0, 1)))
DEADLINE_SECONDS = 240  # against a hang only: startup alone takes seconds on a busy machine


@pytest.fixture
def servers(app, database_url):
    started = [Server(database_url) for _ in range(SERVERS)]
    try:
        for server in started:
            server.spawn()
        for server in started:
            server.wait_until_ready()
        yield started
    finally:
        for server in started:
            server.kill()


def acknowledged(label: str, status: int, location: str, event_id: int) -> bool:
    if status != 302:
        return False
    if label.startswith("answer-"):
        return location.startswith("/beitrag/")
    return location.endswith(f"/veranstaltungen/{event_id}/anmeldung/gesendet")


def test_killed_servers_lose_no_acknowledged_request(
    app, client, seeded, servers, database_url, capsys
):
    event_id = make_event(capacity=SEATS).id
    forms = answer_requests(client, ANSWERS) + registration_requests(
        client, event_id, REGISTRATIONS
    )
    random.Random(7).shuffle(forms)
    db.session.remove()  # the test holds no connection while the servers work

    kills = Counter()
    chaos_errors: list[BaseException] = []
    stop = threading.Event()

    def chaos() -> None:
        try:
            for share, victims in KILLS:
                while len(replies) < share * len(forms):
                    if stop.wait(0.05):
                        return
                for i in victims:
                    servers[i].kill()
                    kills["masters"] += 1
                    kills["workers"] += WORKERS
                for i in victims:
                    servers[i].spawn()  # not waited for: the next kill may come first
            for server in servers:
                server.wait_until_ready()
        except BaseException as error:  # reported by the test
            chaos_errors.append(error)

    ports = [server.port for server in servers]
    pending = {request.label: request for request in forms}
    replies: dict[str, tuple[int, str]] = {}
    tries, statuses, rounds = Counter(), Counter(), 0
    chaos_thread = threading.Thread(target=chaos)
    started = time.monotonic()
    chaos_thread.start()
    try:
        while pending or chaos_thread.is_alive():
            assert time.monotonic() - started < DEADLINE_SECONDS, (
                f"{len(pending)} forms still unacknowledged; replies: {statuses}"
            )
            if not pending:
                time.sleep(0.1)
                continue
            rounds += 1
            result = load.run(
                ports, iter(list(pending.values())), concurrency=8, duration=1.0, timeout=15
            )
            for label, (status, location) in result.replies.items():
                tries[label] += 1
                statuses[status] += 1
                if acknowledged(label, status, location, event_id):
                    replies[label] = (status, location)
                    pending.pop(label, None)
            if not any(s == 302 for s in result.statuses):
                time.sleep(0.5)  # every server is down: wait a little, as people would
    finally:
        stop.set()
        chaos_thread.join()
    assert chaos_errors == []
    elapsed = time.monotonic() - started

    stored, mails = _check_database(database_url, event_id, replies, tries)
    with capsys.disabled():
        print(
            f"\ncrash test ({sa.make_url(database_url).get_backend_name()}): "
            f"{len(forms)} forms, {tries.total()} requests in {rounds} rounds (status: "
            f"{dict(statuses)}; 0 = no reply), {len(replies)} acknowledged "
            f"({sum(n > 1 for n in tries.values())} only when sent again), {stored} stored, "
            f"{mails} mails for {REGISTRATIONS} registrations; "
            f"{kills['masters']} masters and {kills['workers']} workers killed; {elapsed:.1f} s"
        )
    assert stored == len(replies) == len(forms)


def _check_database(
    database_url: str, event_id: int, replies: dict[str, tuple[int, str]], tries: Counter
) -> int:
    """Every acknowledged form stored exactly once, seats exact, database intact; how many."""
    tokens = {
        location.split("/beitrag/")[1].split("?")[0]
        for label, (_, location) in replies.items()
        if label.startswith("answer-")
    }
    emails = {label for label in replies if not label.startswith("answer-")}
    assert len(tokens) == ANSWERS and len(emails) == REGISTRATIONS
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            hashes = Counter(conn.execute(sa.text("SELECT token_hash FROM submissions")).scalars())
            answers_per_submission = Counter(
                conn.execute(sa.text("SELECT submission_id FROM answers")).scalars()
            )
            registered = Counter(
                conn.execute(
                    sa.text("SELECT email FROM registrations WHERE event_id = :e"), {"e": event_id}
                ).scalars()
            )
            mails = Counter(
                conn.execute(
                    sa.text(
                        "SELECT r.email FROM mail_outbox m JOIN registrations r "
                        "ON m.reference = 'registration:' || r.id WHERE r.event_id = :e"
                    ),
                    {"e": event_id},
                ).scalars()
            )
            if engine.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            else:
                # No transaction of a killed worker is left open, holding locks.
                assert (
                    conn.execute(
                        sa.text(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                            "current_database() AND state LIKE 'idle in transaction%'"
                        )
                    ).scalar_one()
                    == 0
                )
    finally:
        engine.dispose()

    expected_hashes = {answer_services.token_hash(token) for token in tokens}
    assert set(hashes) == expected_hashes, "stored answers are exactly the acknowledged ones"
    assert set(hashes.values()) == {1}, "each stored once"
    assert sorted(answers_per_submission.values()) == [1] * ANSWERS
    assert set(registered) == emails and set(registered.values()) == {1}
    # One mail per registration; a registration sent again (its first reply lost in a crash)
    # mails the person's link once more, as for anyone who registers twice.
    assert set(mails) == set(registered)
    assert all(1 <= mails[email] <= tries[email] for email in registered), mails
    assert_seats_consistent(event_id)
    return len(hashes) + len(registered), mails.total()
