"""Fixtures for browser tests: the real app on a live server, headless Chromium, staff sessions.

The function-scoped `app` fixture empties every table after each test, so the live server builds
its own app from the same database, seeds it once per module and empties the tables afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import make_server

from dialog import create_app
from dialog.accounts.services import create_user
from dialog.common import mail
from dialog.common.permissions import Role
from dialog.extensions import db, limiter
from tests.conftest import PASSWORD, SMTPServer, empty_tables, free_port, make_config

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ADMIN_EMAIL = "admin@example.org"
MODERATOR_EMAIL = "moderation@example.org"


@dataclass(frozen=True)
class LiveServer:
    """Where the app listens, the ids of the seeded rows that staff URLs need, and the app.

    Tests may add rows of their own inside `app.app_context()`; the server sees them at once.
    """

    base_url: str
    ids: dict[str, int]
    app: Flask = field(repr=False, compare=False)

    def url(self, path: str, **ids) -> str:
        """The address of `path`, its {placeholders} filled from `ids` and the seeded ids."""
        return self.base_url + path.format(**self.ids, **ids)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium from Debian; skips the browser tests when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}, which is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def live_server(_schema, database_url: str) -> Iterator[LiveServer]:
    """The real app with the demo content, an admin and a moderator, served on a random port."""
    from dialog.events.models import Event
    from dialog.events.rules import EventKind
    from dialog.pages.models import Page
    from dialog.process.models import Phase, Process, ThemeField
    from dialog.process.rules import PhaseKind
    from dialog.seed import PROCESS_SLUG, seed

    app = create_app(make_config(database_url))
    with app.app_context():
        limiter.reset()
        seed(dates="demo")
        create_user(None, ADMIN_EMAIL, PASSWORD, {Role.ADMIN})
        create_user(None, MODERATOR_EMAIL, PASSWORD, {Role.MODERATOR})
        db.session.commit()
        process = db.session.scalar(sa.select(Process).where(Process.slug == PROCESS_SLUG))
        ids = {
            "process_id": process.id,
            "phase_id": db.session.scalar(
                sa.select(Phase.id).where(
                    Phase.process_id == process.id, Phase.kind == PhaseKind.DIALOGUE
                )
            ),
            "theme_id": db.session.scalar(
                sa.select(ThemeField.id).where(ThemeField.slug == "arbeitspotenziale-erschliessen")
            ),
            "page_id": db.session.scalar(sa.select(Page.id).where(Page.slug == "datenschutz")),
            **{
                key: db.session.scalar(sa.select(Event.id).where(Event.kind == kind).limit(1))
                for key, kind in (
                    ("event_id", EventKind.CITIZEN_DIALOGUE),
                    ("workshop_id", EventKind.PRACTICE_WORKSHOP),
                    ("hearing_id", EventKind.STAKEHOLDER_HEARING),
                )
            },
        }
        db.session.remove()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", ids, app)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        with app.app_context():
            empty_tables(db.engine)  # as the `app` fixture leaves them
            db.engine.dispose()


@pytest.fixture
def smtp_server(live_server) -> Iterator[SMTPServer]:
    """A loopback SMTP server that the live server's outbox delivers to (the live server has
    its own app, so this replaces the fixture of the same name in tests/conftest.py)."""
    controller = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is not installed")
    server = SMTPServer(controller.Controller, free_port())
    server.start()
    saved = dict(live_server.app.config)
    live_server.app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SERVER=server.host,
        MAIL_PORT=server.port,
        MAIL_USERNAME="",
        PUBLIC_URL=live_server.base_url,  # links in mails lead to this server
    )
    yield server
    live_server.app.config.update(saved)
    server.stop()


def deliver(live_server) -> None:
    """What `flask send-mail` does, once."""
    with live_server.app.app_context():
        mail.deliver_due()
        db.session.commit()


def new_context(browser, **options):
    # The app's CSP forbids inline and eval'd scripts; axe-core is injected as one.
    return browser.new_context(bypass_csp=True, locale="de-DE", **options)


@pytest.fixture
def page(browser, live_server):
    """A fresh anonymous visitor (own cookies) at a desktop viewport."""
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def _logged_in_context(browser, live_server, email: str):
    """A browser context logged in through the real login form."""
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    login_page = context.new_page()
    login_page.goto(live_server.url("/anmelden"))
    login_page.get_by_label("E-Mail-Adresse", exact=True).fill(email)
    login_page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    login_page.get_by_role("button", name="Anmelden").click()
    login_page.wait_for_url(live_server.url("/staff/"))
    login_page.close()
    return context


@pytest.fixture(scope="module")
def admin_context(browser, live_server):
    context = _logged_in_context(browser, live_server, ADMIN_EMAIL)
    yield context
    context.close()


@pytest.fixture
def admin_page(admin_context):
    page = admin_context.new_page()
    yield page
    page.close()


@pytest.fixture(scope="module")
def moderator_context(browser, live_server):
    """Moderation is a role of its own: the admin may not moderate."""
    context = _logged_in_context(browser, live_server, MODERATOR_EMAIL)
    yield context
    context.close()


@pytest.fixture
def moderator_page(moderator_context):
    page = moderator_context.new_page()
    yield page
    page.close()


@pytest.fixture(scope="module")
def route_ids(live_server) -> dict[str, object]:
    """What the route catalogue's addresses need, added to the live server's database."""
    from tests.route_catalogue import seed_route_data

    with live_server.app.app_context():
        ids = seed_route_data()
        db.session.remove()
    return ids
