"""Fixtures: app, client, runner, database isolation, factories and login helpers.

TEST_DATABASE_URL selects the database (PostgreSQL in CI's second run); without it every run
uses a fresh SQLite file. The schema is built by the real Alembic migrations.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

import config
from dialog import create_app
from dialog.accounts.models import User
from dialog.accounts.services import create_user
from dialog.answers import search
from dialog.common import pagecache
from dialog.common.permissions import Role
from dialog.extensions import db, limiter

PASSWORD = "korrekt-pferd-batterie"
CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


class IsolatedClient(FlaskClient):
    """A test client whose requests run outside the test's app context.

    Flask reuses an already pushed app context for requests, which would share `g` and the
    database session between the test and every request. A browser shares neither.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    env_url = config.database_uri(config.os.environ.get("TEST_DATABASE_URL"))
    return env_url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def make_config(database_url: str, **overrides) -> config.TestConfig:
    cfg = config.TestConfig({"TEST_DATABASE_URL": database_url})
    for key, value in overrides.items():
        setattr(cfg, key, value)
    return cfg


@pytest.fixture(scope="session")
def _schema(database_url: str) -> None:
    """Drop whatever a previous run left and migrate an empty database to head."""
    engine = sa.create_engine(database_url)
    existing = sa.MetaData()
    existing.reflect(engine)
    existing.drop_all(engine)
    engine.dispose()
    app = create_app(make_config(database_url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def empty_tables(engine: sa.Engine) -> None:
    """Delete every row, children first, and the search index, which is not among the models.

    On SQLite nothing cascades into the FTS5 table: its rows would outlive their answers and
    turn up when a later test reuses the answer ids.
    """
    with engine.begin() as conn:
        conn.execute(sa.text(f"DELETE FROM {search.TABLE}"))
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def app(_schema, database_url: str) -> Iterator[Flask]:
    app = create_app(make_config(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        limiter.reset()
        pagecache.store.clear()
        yield app
        db.session.rollback()
        db.session.remove()
        empty_tables(db.engine)  # every test starts from empty tables
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def seeded(app: Flask):
    """The Mission Fachkraft demo content, with today inside the Dialogphase."""
    from dialog.seed import seed

    seed(dates="demo")
    db.session.commit()


@pytest.fixture
def frozen_clock() -> Iterator[Callable[[datetime], None]]:
    """Call with an aware datetime to move the whole application (and its clock) there."""
    travellers: list[time_machine.travel] = []

    def freeze(moment: datetime) -> None:
        traveller = time_machine.travel(moment.astimezone(UTC), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield freeze
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def _make(*roles: Role, email: str | None = None, password: str = PASSWORD) -> User:
        user = create_user(None, email or f"staff{next(counter)}@example.org", password, set(roles))
        db.session.commit()
        return user

    return _make


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token embedded in the page at `url` (as a browser would read it)."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


def post_form(client: FlaskClient, url: str, data: dict, form_url: str | None = None, **kwargs):
    """POST `data` to `url` with the CSRF token of the form page (defaults to `url`)."""
    token = csrf_token(client, form_url or url)
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], None]:
    def _login(user: User, password: str = PASSWORD) -> None:
        response = post_form(client, "/anmelden", {"email": user.email, "password": password})
        assert response.status_code == 302, "login failed"

    return _login


def pytest_sessionfinish(session, exitstatus) -> None:
    """In CI (DIALOG_FORBID_SKIPS=1) a skipped test fails the run: every part must be there."""
    if not config.os.environ.get("DIALOG_FORBID_SKIPS"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        reporter.write_line(
            f"DIALOG_FORBID_SKIPS: {len(skipped)} test(s) skipped; CI must provide every part.",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
