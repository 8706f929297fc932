"""The authorization matrix: every route × method × role with the status it must answer.

Generated from the URL map through tests/route_catalogue.py, so a new route without an entry
there fails `test_every_route_is_catalogued`. Roles: an anonymous visitor and one staff account
per role (moderator, analyst, analyst lead, admin), each holding that role only. POSTs carry a
valid CSRF token of the client's own session, so what is checked is authorisation, not CSRF; a
refused POST must leave every table as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from dialog import create_app
from dialog.common import pagecache
from dialog.extensions import db, limiter
from tests import route_catalogue as catalogue
from tests.conftest import IsolatedClient, csrf_token, empty_tables, make_config, post_form

# Which page of a logged-in (or anonymous) session carries a form, hence a CSRF token.
TOKEN_PAGE = {catalogue.ANONYMOUS: "/anmelden"}
STAFF_TOKEN_PAGE = "/staff/passwort"
METHODS = ("GET", "POST")


def _url_map_app() -> Flask:
    """An app for reading the URL map at collection time (it never touches its database)."""
    return create_app(make_config("sqlite://"))


ROUTES = catalogue.known_routes(_url_map_app())
CASES = [
    pytest.param(route, method, role, id=f"{route.endpoint}-{method}-{role}")
    for route in ROUTES
    for method in METHODS
    for role in catalogue.ROLES
]


@dataclass
class Matrix:
    """The app, its seeded ids and one client per role, logged in and holding a CSRF token."""

    app: Flask
    ids: dict[str, object]
    clients: dict[str, tuple[FlaskClient, str]] = field(default_factory=dict)

    def new_client(self, role: str) -> tuple[FlaskClient, str]:
        client = self.app.test_client()
        if role == catalogue.ANONYMOUS:
            return client, csrf_token(client, TOKEN_PAGE[role])
        response = post_form(
            client,
            "/anmelden",
            {"email": catalogue.ROLE_EMAILS[role], "password": catalogue.PASSWORD},
        )
        assert response.status_code == 302, f"login as {role} failed"
        return client, csrf_token(client, STAFF_TOKEN_PAGE)

    def client(self, role: str) -> tuple[FlaskClient, str]:
        if role not in self.clients:
            self.clients[role] = self.new_client(role)
        return self.clients[role]


@pytest.fixture(scope="module")
def matrix(_schema, database_url: str) -> Iterator[Matrix]:
    app = create_app(make_config(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        limiter.reset()
        pagecache.store.clear()
        ids = catalogue.seed_route_data()
        db.session.remove()
        yield Matrix(app, ids)
        db.session.remove()
        empty_tables(db.engine)
        db.engine.dispose()


def fingerprint(skip: frozenset[str] = frozenset()) -> str:
    """A digest of every row of every table (but those in `skip`): equal digests, nothing
    changed."""
    digest = hashlib.sha256()
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in skip:
                continue
            primary = list(table.primary_key.columns) or list(table.columns)
            for row in conn.execute(sa.select(table).order_by(*primary)):
                digest.update(repr(tuple(row)).encode())
            digest.update(table.name.encode())
    return digest.hexdigest()


def test_every_route_is_catalogued():
    found = catalogue.problems(_url_map_app())
    assert not found, "\n".join(found)


def test_the_matrix_covers_every_role_and_method():
    """A guard on the generated table itself: it is not empty and not lopsided."""
    assert len(ROUTES) >= 80
    assert len(CASES) == len(ROUTES) * len(METHODS) * len(catalogue.ROLES)
    expected = {route.expected(m, r) for route in ROUTES for m in METHODS for r in catalogue.ROLES}
    assert {200, 302, 403, 405} <= expected


@pytest.mark.parametrize(("route", "method", "role"), CASES)
def test_route_answers_role_as_expected(matrix: Matrix, route, method, role):
    expected = route.expected(method, role)
    allowed = role in route.roles and method in route.methods
    client, token = matrix.client(role)
    ids = matrix.ids
    with matrix.app.app_context():
        if method == "POST" and allowed:
            ids = catalogue.fresh_ids(route, ids)
            if route.entry.ends_session:
                # Logging out ends every session of the account: the next test logs in anew.
                client, token = matrix.clients.pop(role)
        url = route.url(ids)
        # A refused POST must change nothing (a method the rule lacks never reaches a view).
        refused = method == "POST" and method in route.methods and not allowed
        before = fingerprint() if refused else None
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={route.entry.csrf_field: token})
        location = response.headers.get("Location", "")
        assert response.status_code == expected, (
            f"{role} {method} {url}: {response.status_code} (expected {expected})"
            + (f" → {location}" if location else "")
        )
        target = urlsplit(location).path
        if not allowed and expected == 302:
            assert target == "/anmelden", f"anonymous {method} {url} is sent to {location}"
        elif response.status_code in (301, 302, 303):
            assert target != "/anmelden", f"{role} {method} {url} is sent to the login"
        if before is not None:
            assert fingerprint() == before, f"refused {role} POST {url} changed the database"


# Rows that exist but are not public: an anonymous visitor must not learn more than a 404.
HIDDEN = {
    "unpublished process": "/dialog/{hidden_process_slug}",
    "its theme field": "/dialog/{hidden_process_slug}/{hidden_theme_slug}",
    "its answers": "/dialog/{hidden_process_slug}/antworten",
    "its results": "/dialog/{hidden_process_slug}/ergebnisse",
    "draft event": "/veranstaltungen/{draft_event_id}",
    "draft event's iCalendar": "/veranstaltungen/{draft_event_id}.ics",
    "draft event's registration": "/veranstaltungen/{draft_event_id}/anmeldung",
    "unmoderated answer": "/antworten/{pending_answer_id}",
    "unmoderated answer's report form": "/antworten/{pending_answer_id}/melden",
}


@pytest.mark.parametrize("path", HIDDEN.values(), ids=HIDDEN.keys())
def test_hidden_rows_are_not_found_by_the_public(matrix: Matrix, path):
    client, token = matrix.client(catalogue.ANONYMOUS)
    url = path.format(**matrix.ids)
    assert client.get(url).status_code == 404, url
    with matrix.app.app_context():
        before = fingerprint()
        assert client.post(url, data={"csrf_token": token}).status_code in (404, 405), url
        assert fingerprint() == before


def test_the_fingerprint_sees_a_changed_row(matrix: Matrix):
    """The "refused POST changes nothing" check can fail: one changed field changes it."""
    set_title = sa.text("UPDATE pages SET title = :title WHERE id = :id")
    page_id = matrix.ids["page_id"]
    with matrix.app.app_context():
        before = fingerprint()
        with db.engine.begin() as conn:
            title = conn.execute(
                sa.text("SELECT title FROM pages WHERE id = :id"), {"id": page_id}
            ).scalar_one()
            conn.execute(set_title, {"title": title + "!", "id": page_id})
        changed = fingerprint()
        with db.engine.begin() as conn:
            conn.execute(set_title, {"title": title, "id": page_id})
        assert changed != before
        assert fingerprint() == before


# Downloads of personal data are audit-logged, even though they are fetched with GET.
AUDITED_GETS = {"events.download_participants"}
GET_ROUTES = [route for route in ROUTES if "GET" in route.methods]


@pytest.mark.parametrize("route", GET_ROUTES, ids=[route.endpoint for route in GET_ROUTES])
def test_a_get_changes_nothing(matrix: Matrix, route):
    """A link that someone is lured into following acts for nobody (the viewer's session)."""
    role = route.viewer
    client, _ = matrix.client(role)
    skip = frozenset({"audit_entries"} if route.endpoint in AUDITED_GETS else ())
    with matrix.app.app_context():
        before = fingerprint(skip)
        response = client.get(route.url(matrix.ids))
        assert response.status_code == route.expected("GET", role)
        assert fingerprint(skip) == before, f"GET {route.url(matrix.ids)} changed the database"
