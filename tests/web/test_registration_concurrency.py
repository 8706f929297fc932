"""No overbooking, ever: real parallel registrations against several server processes."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier
from urllib.parse import urlencode

import pytest

from dialog.events.rules import RegistrationStatus
from tests.web.event_helpers import assert_seats_consistent, make_event, registrations

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
WORKERS = 3


@pytest.fixture
def server(app, database_url):
    """The app in gunicorn with several worker processes, on the test database."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "DIALOG_ENV": "testing",
        "TEST_DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "dialog:create_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/veranstaltungen", timeout=5)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)
    yield port
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def fetch_form(port: int, event_id: int, email: str) -> tuple[str, bytes]:
    """A session cookie and a filled registration form, as a browser would hold them."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/veranstaltungen/{event_id}/anmeldung")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    conn.close()
    data = {
        "csrf_token": CSRF.search(html).group(1),
        "name": "Parallel Person",
        "email": email,
        "privacy_consent": "y",
    }
    return cookie, urlencode(data).encode()


def post_all(port: int, event_id: int, forms: list[tuple[str, bytes]]) -> list[int]:
    """Send all forms at the same moment, one thread each; returns the statuses."""
    barrier = Barrier(len(forms))

    def send(form: tuple[str, bytes]) -> int:
        cookie, body = form
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        barrier.wait()
        conn.request(
            "POST",
            f"/veranstaltungen/{event_id}/anmeldung",
            body=body,
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        status = conn.getresponse().status
        conn.close()
        return status

    with ThreadPoolExecutor(len(forms)) as pool:
        return list(pool.map(send, forms))


def test_parallel_registrations_never_overbook(server, seeded):
    event = make_event(capacity=10)
    forms = [fetch_form(server, event.id, f"p{i}@example.org") for i in range(40)]
    assert post_all(server, event.id, forms) == [302] * 40
    regs = registrations(event.id)
    assert len(regs) == 40
    held = [r for r in regs if r.status == RegistrationStatus.HELD]
    waiting = [r for r in regs if r.status == RegistrationStatus.WAITLISTED]
    assert (len(held), len(waiting)) == (10, 30)
    assert_seats_consistent(event.id)


def test_parallel_registrations_of_one_address_store_one(server, seeded):
    event = make_event(capacity=10)
    forms = [fetch_form(server, event.id, "same@example.org") for _ in range(12)]
    assert post_all(server, event.id, forms) == [302] * 12
    assert len(registrations(event.id)) == 1
    assert_seats_consistent(event.id)


def fetch_cancel(port: int, path: str) -> tuple[str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    conn.close()
    return cookie, urlencode({"csrf_token": CSRF_ANY.search(html).group(1)}).encode()


CSRF_ANY = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def test_cancellations_and_newcomers_in_parallel_keep_the_seats_exact(server, seeded):
    from dialog.events import services

    event = make_event(capacity=5)
    forms = [fetch_form(server, event.id, f"early{i}@example.org") for i in range(10)]
    assert post_all(server, event.id, forms) == [302] * 10
    held = [r for r in registrations(event.id) if r.status == RegistrationStatus.HELD]
    early_waiting = {
        r.email for r in registrations(event.id) if r.status == RegistrationStatus.WAITLISTED
    }
    cancels = [
        (
            f"/veranstaltungen/anmeldung/{services.link_token(r)}/abmelden",
            fetch_cancel(server, f"/veranstaltungen/anmeldung/{services.link_token(r)}/abmelden"),
        )
        for r in held
    ]
    newcomers = [fetch_form(server, event.id, f"late{i}@example.org") for i in range(15)]
    requests = [(path, form) for path, form in cancels] + [
        (f"/veranstaltungen/{event.id}/anmeldung", form) for form in newcomers
    ]
    barrier = Barrier(len(requests))

    def send(item) -> int:
        path, (cookie, body) = item
        conn = http.client.HTTPConnection("127.0.0.1", server, timeout=60)
        barrier.wait()
        conn.request(
            "POST",
            path,
            body=body,
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        status = conn.getresponse().status
        conn.close()
        return status

    with ThreadPoolExecutor(len(requests)) as pool:
        statuses = list(pool.map(send, requests))
    assert statuses == [200] * len(cancels) + [302] * len(newcomers)
    regs = registrations(event.id)
    assert sum(r.status == RegistrationStatus.CANCELLED for r in regs) == 5
    # A cancellation hands its seat on in its own transaction, so no newcomer ever sees a free
    # seat: the five who were waiting before hold the seats now, and every newcomer waits.
    assert {r.email for r in regs if r.status.holds_seat} == early_waiting
    assert all(r.promoted_at for r in regs if r.status.holds_seat)
    assert_seats_consistent(event.id)
