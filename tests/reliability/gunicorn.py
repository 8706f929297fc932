"""Real gunicorn servers of dialog on the test database, and filled forms for the load generator.

Shared by the reliability tests that drive several servers at once (crash, scale-out).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
import urllib.request
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlencode

import pytest

from benchmarks import load
from benchmarks.servers import GUNICORN
from dialog.answers.forms import new_form_token
from tests.conftest import csrf_token, free_port
from tests.web.answer_helpers import THEME_URL, form_fields

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
FORM = "application/x-www-form-urlencoded"


class Server:
    """gunicorn serving dialog on the test database, in a process group of its own."""

    def __init__(self, database_url: str, app: str = "dialog:create_app()", **env: str) -> None:
        self.port = free_port()
        self.app = app
        self.env = {
            **os.environ,
            "DIALOG_ENV": "testing",
            "TEST_DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
            **env,
        }
        self.process: subprocess.Popen | None = None

    def spawn(self) -> None:
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "--preload",  # the app is imported once, not per worker: a faster restart
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "error",
                "--timeout",
                "30",
                self.app,
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,  # master and workers share a process group: one kill
        )

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.kill()
                    pytest.fail(f"gunicorn on port {self.port} did not start")
                time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once; returns when all are gone."""
        if self.process is None:
            return
        group = self.process.pid
        with suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        self.process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the workers, which are not our children
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"processes of group {group} outlived SIGKILL")
        self.process = None


def answer_requests(client, count: int) -> list[load.Request]:
    """`count` filled answer forms of one visitor's session, each with its own nonce."""
    hidden, names = form_fields(client)
    cookie = f"session={client.get_cookie('session').value}"
    requests = []
    for i in range(count):
        data = {
            "csrf_token": hidden["csrf_token"],
            "form_token": new_form_token(secrets.token_urlsafe(24)),
            names[0]: f"Antwort {i}: Kinderbetreuung auch am Abend.",
            "perspective": "employee",
            "bundesland": "DE-HE",
            "privacy_consent": "y",
        }
        requests.append(
            load.Request(
                "POST",
                THEME_URL,
                (("Cookie", cookie), ("Content-Type", FORM)),
                urlencode(data).encode(),
                label=f"answer-{i}",
            )
        )
    return requests


def registration_requests(client, event_id: int, count: int) -> list[load.Request]:
    path = f"/veranstaltungen/{event_id}/anmeldung"
    token = csrf_token(client, path)
    cookie = f"session={client.get_cookie('session').value}"
    return [
        load.Request(
            "POST",
            path,
            (("Cookie", cookie), ("Content-Type", FORM)),
            urlencode(
                {
                    "csrf_token": token,
                    "name": f"Person {i}",
                    "email": f"person{i:03d}@example.org",
                    "privacy_consent": "y",
                }
            ).encode(),
            label=f"person{i:03d}@example.org",
        )
        for i in range(count)
    ]
