"""Fixtures: app, client, runner, database isolation, factories and login helpers.

TEST_DATABASE_URL selects the database (PostgreSQL in CI's second run); without it every run
uses a fresh SQLite file. The schema is built by the real Alembic migrations.
"""

from __future__ import annotations

import asyncio
import contextvars
import email
import email.policy
import re
import smtplib
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.message import EmailMessage

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
            # Rows that refer to rows of their own table (sub-codes, merged codes) are let go
            # first: ON DELETE RESTRICT is checked row by row within one DELETE.
            own = [fk.parent for fk in table.foreign_keys if fk.column.table is table]
            if own:
                conn.execute(table.update().values({column.name: None for column in own}))
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


LINK_RE = re.compile(r"https?://[^\s<>\"]+")


def links(message: EmailMessage) -> list[str]:
    """The http(s) links in a mail's plain-text part, in order."""
    return LINK_RE.findall(message.get_body(("plain",)).get_content())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPServer:
    """A real SMTP server (aiosmtpd) on loopback that keeps every message it accepts.

    `stop()` and `start()` simulate an outage: the port stays the same. `refuse(address, reply)`
    answers RCPT for that address with `reply` ("550 …" for good, "450 …" for now). `delay`
    (seconds) makes the server slow to accept each message.
    """

    host = "127.0.0.1"
    links = staticmethod(links)

    def __init__(self, controller_class: type, port: int) -> None:
        self._controller_class = controller_class
        self._controller = None
        self.port = port
        self.messages: list[EmailMessage] = []
        self.peers: list[tuple] = []  # the client's address and port per message
        self.replies: dict[str, str] = {}
        self.delay = 0.0
        self._received = threading.Condition()

    @property
    def connections(self) -> int:
        """How many SMTP connections delivered the messages."""
        return len(set(self.peers))

    def start(self) -> None:
        # Without SMTPUTF8, as many servers still are: mails must get by with 7-bit addresses.
        self._controller = self._controller_class(
            _SMTPHandler(self), self.host, self.port, enable_SMTPUTF8=False
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuse(self, address: str, reply: str = "550 5.1.1 Mailbox unavailable") -> None:
        self.replies[address] = reply

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """The messages, once at least `count` have arrived."""
        with self._received:
            arrived = self._received.wait_for(lambda: len(self.messages) >= count, timeout)
        assert arrived, f"{len(self.messages)} of {count} mails arrived within {timeout} s"
        return list(self.messages)

    def _receive(self, content: bytes, peer: tuple) -> None:
        message = email.message_from_bytes(content, policy=email.policy.default)
        with self._received:
            self.messages.append(message)
            self.peers.append(peer)
            self._received.notify_all()


class _SMTPHandler:
    """aiosmtpd's handler hooks, passing on to the SMTPServer."""

    def __init__(self, server: SMTPServer) -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.server.replies:
            return self.server.replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        await asyncio.sleep(self.server.delay)
        self.server._receive(envelope.content, session.peer)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[SMTPServer]:
    """A loopback SMTP server the app delivers to; the only way a test may send mail."""
    controller = pytest.importorskip(
        "aiosmtpd.controller", reason="aiosmtpd is not installed: pip install -e '.[dev]'"
    )
    server = SMTPServer(controller.Controller, free_port())
    server.start()
    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SERVER=server.host,
        MAIL_PORT=server.port,
        MAIL_USE_STARTTLS=False,
        MAIL_USE_SSL=False,
        MAIL_USERNAME="",
        MAIL_TIMEOUT=5,
    )
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _forbid_real_mail(request, monkeypatch) -> None:
    """Any SMTP connection fails the test loudly, unless the test asked for `smtp_server`."""
    if "smtp_server" in request.fixturenames:
        return

    def refuse(*args, **kwargs):
        # pytest.fail is no Exception: the outbox's retry handling cannot swallow it.
        pytest.fail("This test opens an SMTP connection; use the smtp_server fixture.")

    monkeypatch.setattr(smtplib.SMTP, "connect", refuse)


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
