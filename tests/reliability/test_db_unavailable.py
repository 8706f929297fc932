"""The database briefly unavailable: a German "please try again" page, the typed input kept.

Real faults only: a second connection holding the write lock (SQLite busy / PostgreSQL lock
timeout), a PostgreSQL address nobody listens on, connections dropped under the app (closed on
SQLite, pg_terminate_backend on PostgreSQL).
"""

from __future__ import annotations

import html
import logging
import re
import socket
import sqlite3
import threading
import time

import psycopg
import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from config import engine_options
from dialog import create_app
from dialog.common import errors
from dialog.common.permissions import Role
from dialog.extensions import db
from tests.conftest import csrf_token, free_port, make_config
from tests.reliability.db_faults import is_postgres, libpq_url, short_lock_wait, write_lock
from tests.web.answer_helpers import THEME_URL, form_fields, submissions
from tests.web.event_helpers import assert_seats_consistent, make_event, registrations

TITLE = "Bitte versuchen Sie es gleich noch einmal"
TEXT = 'Mehr Kitaplätze <script>alert("x")</script> & flexible Arbeitszeiten\nzweite Zeile'
INPUT = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')
RESEND = re.compile(r'<form method="post" action="([^"]*)">')


@pytest.fixture
def short_waits(app):
    """The app's connections wait 0.2 s for a lock (runs in the `app` fixture's context)."""
    db.session.remove()
    with short_lock_wait(db.engine):
        yield
        db.session.remove()


def resend_form(page: str) -> tuple[str, MultiDict]:
    """The action and the fields of the page's "Erneut senden" form, as a browser sends them."""
    action = html.unescape(RESEND.search(page).group(1))
    fields = MultiDict([(html.unescape(n), html.unescape(v)) for n, v in INPUT.findall(page)])
    return action, fields


def answer_data(client) -> dict[str, str]:
    hidden, names = form_fields(client)
    return {
        **hidden,
        names[0]: TEXT,
        "perspective": "employee",
        "bundesland": "DE-HE",
        "privacy_consent": "y",
    }


def assert_unavailable_page(response) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert response.headers["Cache-Control"] == "no-store"
    assert TITLE in page
    assert "Traceback" not in page and "sqlalchemy" not in page.lower()
    return page


def test_a_locked_database_keeps_the_answer_and_it_is_stored_once_when_sent_again(
    client, seeded, short_waits, database_url, caplog
):
    data = answer_data(client)
    with (
        write_lock(database_url, "submissions"),
        caplog.at_level(logging.WARNING, "dialog.common.errors"),
    ):
        response = client.post(THEME_URL, data=data)
    page = assert_unavailable_page(response)
    assert "Database unavailable during POST" in caplog.text
    assert TEXT not in caplog.text, "the log holds no personal text"
    # The text is shown, escaped, never as markup.
    assert "&lt;script&gt;alert(" in page and "<script>alert" not in page
    action, fields = resend_form(page)
    assert action == THEME_URL
    assert fields.to_dict() == data, "every field goes along again, tokens included"
    assert submissions() == []

    # The lock is gone: "Erneut senden" stores the answer, and a second click changes nothing.
    first = client.post(action, data=fields)
    second = client.post(action, data=fields)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"].startswith("/beitrag/")
    assert first.headers["Location"] == second.headers["Location"]
    (stored,) = submissions()
    (answer,) = stored.answers
    assert "flexible Arbeitszeiten\nzweite Zeile" in answer.text


def test_a_registration_during_a_lock_is_kept_and_goes_through_afterwards(
    client, seeded, database_url, short_waits
):
    event_id = make_event(capacity=2).id
    url = f"/veranstaltungen/{event_id}/anmeldung"
    data = {
        "csrf_token": csrf_token(client, url),
        "name": "Erika <b>Muster</b>",
        "email": "erika@example.org",
        "privacy_consent": "y",
    }
    with write_lock(database_url, "registrations"):
        response = client.post(url, data=data)
    page = assert_unavailable_page(response)
    assert "Erika &lt;b&gt;Muster&lt;/b&gt;" in page
    action, fields = resend_form(page)
    assert action == url
    assert client.post(action, data=fields).status_code == 302
    assert [r.email for r in registrations(event_id)] == ["erika@example.org"]
    assert_seats_consistent(event_id)


@pytest.fixture
def unreachable_app(app):
    """The app with a PostgreSQL address nobody listens on (and the test app's secret key)."""
    broken = create_app(make_config(f"postgresql://postgres@127.0.0.1:{free_port()}/dialog"))
    yield broken
    with broken.app_context():
        db.engine.dispose()


def with_session_of(source, target):
    """`target` (a test client) with the session cookie `source` holds, as one browser."""
    cookie = source.get_cookie("session")
    target.set_cookie("session", cookie.value)
    return target


def test_an_unreachable_postgresql_gives_the_page_with_the_form_kept(
    client, seeded, unreachable_app, caplog
):
    data = answer_data(client)  # the form was opened before the server went away
    broken = with_session_of(client, unreachable_app.test_client())
    with caplog.at_level(logging.WARNING, "dialog.common.errors"):
        response = broken.post(THEME_URL, data=data)
    page = assert_unavailable_page(response)
    assert "OperationalError" in caplog.text
    assert "&lt;script&gt;alert(" in page
    assert resend_form(page)[1].to_dict() == data
    # Reading pages: the same page, with a link to load it again.
    private = "/beitrag/" + "f" * 64
    with caplog.at_level(logging.WARNING, "dialog.common.errors"):
        for path in ("/", "/veranstaltungen", THEME_URL, "/seite/impressum", private, "/nix"):
            page = assert_unavailable_page(broken.get(path))
            assert f'href="{path}"' in page
    assert "GET /beitrag/<token>" in caplog.text
    assert "f" * 64 not in caplog.text, "a private link's token is a secret: not logged"


def test_passwords_are_never_written_into_the_page(client, seeded, unreachable_app):
    token = csrf_token(client, "/anmelden")
    broken = with_session_of(client, unreachable_app.test_client())
    secret = "geheimes-Passwort-4711"
    page = assert_unavailable_page(
        broken.post(
            "/anmelden",
            data={"csrf_token": token, "email": "staff@example.org", "password": secret},
        )
    )
    assert secret not in page
    assert "Passwörter bewahren wir aus Sicherheitsgründen nicht auf" in page
    assert resend_form(page)[1].to_dict() == {"csrf_token": token, "email": "staff@example.org"}


def test_signed_in_staff_and_english_visitors_get_the_page_too(
    client, seeded, make_user, login, unreachable_app
):
    login(make_user(Role.ADMIN))
    broken = with_session_of(client, unreachable_app.test_client())
    assert_unavailable_page(broken.get("/staff/"))
    with broken.session_transaction() as session:
        session["lang"] = "en"
    page = broken.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Skip to content" in page, "the English interface, not the German one"


def _drop_connections(app, database_url: str) -> int:
    """Drop the connections the app's pool holds, under its feet; how many were dropped."""
    with app.app_context():
        if is_postgres(database_url):
            with db.engine.connect() as conn:
                pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            with psycopg.connect(libpq_url(database_url)) as admin:
                return int(admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0])
        with db.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
        raw.close()  # back in the pool, closed there
        return 1


@pytest.mark.parametrize("pre_ping", [True, False], ids=["pre-ping", "no-pre-ping"])
def test_a_dropped_connection_heals_on_the_next_request(seeded, database_url, pre_ping):
    """pg_terminate_backend on PostgreSQL, a closed connection on SQLite.

    With pool_pre_ping (the default configuration) nobody notices; without it, the one request
    that meets the dead connection gets the "please try again" page and the next one works.
    """
    options = {"pool_pre_ping": pre_ping, "pool_size": 1, "max_overflow": 0}
    if not is_postgres(database_url):
        options = {"pool_pre_ping": pre_ping}
    app = create_app(make_config(database_url, SQLALCHEMY_ENGINE_OPTIONS=options))
    client = app.test_client()
    try:
        with app.app_context():
            db.engine.dispose()
        assert client.get("/").status_code == 200  # one connection in the pool
        assert _drop_connections(app, database_url) == 1
        first = client.get("/")
        if pre_ping:
            assert first.status_code == 200
        else:
            assert_unavailable_page(first)
        assert client.get("/").status_code == 200
    finally:
        with app.app_context():
            db.engine.dispose()


def test_an_error_in_the_sql_stays_a_500_and_is_logged(database_url, caplog):
    """Only outages get the "try again" page: a bug must not hide behind it."""
    app = create_app(make_config(database_url, PROPAGATE_EXCEPTIONS=False))

    @app.route("/kaputt")
    def broken_query():
        db.session.execute(sa.text("SELECT * FROM no_such_table"))

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/kaputt")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Interner Fehler" in page and TITLE not in page
    assert "no_such_table" in caplog.text and "no_such_table" not in page
    with app.app_context():
        db.engine.dispose()


def test_which_errors_count_as_a_brief_outage():
    locked = sa.exc.OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))
    missing = sa.exc.OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x"))
    refused = sa.exc.OperationalError("SELECT", {}, psycopg.OperationalError("refused"))
    bad_sql = sa.exc.ProgrammingError("SELEC", {}, psycopg.ProgrammingError("syntax error"))
    dropped = sa.exc.ProgrammingError(
        "SELECT", {}, sqlite3.ProgrammingError("closed"), connection_invalidated=True
    )
    pool = sa.exc.TimeoutError("QueuePool limit reached")
    assert [errors.is_transient_database_error(e) for e in (locked, refused, dropped, pool)] == [
        True
    ] * 4
    assert [errors.is_transient_database_error(e) for e in (missing, bad_sql, ValueError())] == [
        False
    ] * 3


def test_kept_input_leaves_out_passwords_and_shows_only_typed_text():
    form = MultiDict(
        [
            ("csrf_token", "abc.def"),
            ("form_token", "n1.s2"),
            ("answer_1", "Mehr Weiterbildung"),
            ("answer_2", ""),
            ("bundesland", "DE-BY"),
            ("perspective", "employee"),
            ("privacy_consent", "y"),
            ("codes", "12"),
            ("codes", "13"),
            ("password", "geheim"),
            ("new", "neues-geheim"),
            ("confirm", "neues-geheim"),
            ("smtp_secret", "x"),
        ]
    )
    resend, shown, dropped = errors.kept_input(form)
    assert resend == [
        ("csrf_token", "abc.def"),
        ("form_token", "n1.s2"),
        ("answer_1", "Mehr Weiterbildung"),
        ("answer_2", ""),
        ("bundesland", "DE-BY"),
        ("perspective", "employee"),
        ("privacy_consent", "y"),
        ("codes", "12"),
        ("codes", "13"),
    ]
    assert shown == ["Mehr Weiterbildung"]
    assert dropped is True
    assert errors.kept_input(MultiDict([("text", "Hallo")]))[2] is False


def test_a_postgresql_host_that_never_answers_gives_the_page_after_the_connect_timeout(
    database_url,
):
    """A host that takes the connection but never answers (packets dropped on the way)."""
    silent = socket.create_server(("127.0.0.1", 0))
    port = silent.getsockname()[1]
    config = make_config(database_url)
    config.SQLALCHEMY_DATABASE_URI = f"postgresql+psycopg://dialog@127.0.0.1:{port}/dialog"
    config.SQLALCHEMY_ENGINE_OPTIONS = engine_options(config.SQLALCHEMY_DATABASE_URI, 1)
    app = create_app(config)
    answered: list = []

    def ask() -> None:
        answered.append(app.test_client().get("/readyz"))

    worker = threading.Thread(target=ask, daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(timeout=20)
    waited = time.monotonic() - started
    silent.close()
    assert not worker.is_alive(), "the request waited for the TCP timeout"
    [response] = answered
    assert response.status_code == 503
    assert waited < 10
