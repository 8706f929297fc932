"""Fixtures for browser tests: the real app on a live server, headless Chromium, an admin session.

The function-scoped `app` fixture empties every table after each test, so the live server builds
its own app from the same database, seeds it once per module and empties the tables afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from dialog import create_app
from dialog.accounts.services import create_user
from dialog.common.permissions import Role
from dialog.extensions import db, limiter
from tests.conftest import PASSWORD, make_config

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


@dataclass(frozen=True)
class LiveServer:
    """Where the app listens and the ids of the seeded rows that staff URLs need."""

    base_url: str
    ids: dict[str, int]

    def url(self, path: str) -> str:
        return self.base_url + path.format(**self.ids)


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
    """The real app with the demo content and an admin account, served on a random port."""
    from dialog.pages.models import Page
    from dialog.process.models import Phase, Process, ThemeField
    from dialog.process.rules import PhaseKind
    from dialog.seed import PROCESS_SLUG, seed

    app = create_app(make_config(database_url))
    with app.app_context():
        limiter.reset()
        seed(dates="demo")
        create_user(None, ADMIN_EMAIL, PASSWORD, {Role.ADMIN})
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
        }
        db.session.remove()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", ids)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        with app.app_context():
            # Leave empty tables behind, as the `app` fixture does: children first.
            with db.engine.begin() as conn:
                for table in reversed(db.metadata.sorted_tables):
                    conn.execute(table.delete())
            db.engine.dispose()


def _new_context(browser, **options):
    # The app's CSP forbids inline and eval'd scripts; axe-core is injected as one.
    return browser.new_context(bypass_csp=True, locale="de-DE", **options)


@pytest.fixture
def page(browser, live_server):
    """A fresh anonymous visitor (own cookies) at a desktop viewport."""
    context = _new_context(browser, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def admin_context(browser, live_server):
    """A browser context logged in as the admin through the real login form."""
    context = _new_context(browser, viewport={"width": 1280, "height": 900})
    login_page = context.new_page()
    login_page.goto(live_server.url("/anmelden"))
    login_page.get_by_label("E-Mail-Adresse", exact=True).fill(ADMIN_EMAIL)
    login_page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    login_page.get_by_role("button", name="Anmelden").click()
    login_page.wait_for_url(live_server.url("/staff/"))
    login_page.close()
    yield context
    context.close()


@pytest.fixture
def admin_page(admin_context):
    page = admin_context.new_page()
    yield page
    page.close()
