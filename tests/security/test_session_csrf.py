"""Sessions and CSRF through HTTP: tokens are bound to their session, logout and login start
afresh, production cookies are Secure, HttpOnly and SameSite, HSTS goes out over TLS only, and
the client address and scheme come from exactly as many proxies as configured.

Every refusal is paired with the same request carrying the right token, which succeeds: a
test that only saw refusals could not tell a bound token from a broken form.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

import config
from dialog import create_app
from dialog.accounts.models import User
from dialog.answers.models import Answer
from dialog.common.clock import now_utc
from dialog.common.permissions import Role
from dialog.extensions import db
from tests.conftest import PASSWORD, IsolatedClient, csrf_token, make_config, post_form
from tests.web import answer_helpers
from tests.web.event_helpers import make_event, registrations

EXPIRED = "Das Formular ist abgelaufen"
NEW_USER_URL = "/staff/konten/neu"


def _new_user_data(email: str) -> dict:
    return {"email": email, "name": "", "roles": ["moderator"], "password": "ein-langes-passwort"}


def _user_exists(email: str) -> bool:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email)) is not None


def _logged_in(app, user: User):
    client = app.test_client()
    assert post_form(client, "/anmelden", {"email": user.email, "password": PASSWORD}).status_code
    assert client.get("/staff/").status_code == 200
    return client


# --- a token belongs to its session -------------------------------------------------------


def test_staff_form_refuses_a_token_from_another_staff_session(app, make_user):
    admin = make_user(Role.ADMIN)
    attacker, victim = _logged_in(app, make_user(Role.ADMIN)), _logged_in(app, admin)
    foreign = csrf_token(attacker, NEW_USER_URL)
    csrf_token(victim, NEW_USER_URL)  # the victim has a token of its own in its session
    response = victim.post(
        NEW_USER_URL, data={**_new_user_data("fremd@example.org"), "csrf_token": foreign}
    )
    assert response.status_code == 400
    assert EXPIRED in response.get_data(as_text=True)
    assert not _user_exists("fremd@example.org")
    own = post_form(victim, NEW_USER_URL, _new_user_data("eigen@example.org"))
    assert own.status_code == 302
    assert _user_exists("eigen@example.org")


def test_staff_form_refuses_a_token_from_an_anonymous_session(app, make_user):
    victim = _logged_in(app, make_user(Role.ADMIN))
    foreign = csrf_token(app.test_client(), "/anmelden")
    response = victim.post(
        NEW_USER_URL, data={**_new_user_data("anonym@example.org"), "csrf_token": foreign}
    )
    assert response.status_code == 400
    assert not _user_exists("anonym@example.org")


@pytest.mark.parametrize("cache_seconds", [0, 15], ids=["uncached", "page-cache"])
def test_answer_form_refuses_a_token_from_another_visitor(app, seeded, cache_seconds):
    """Also with the page cache on, which renders the form once for everybody."""
    app.config["PAGE_CACHE_SECONDS"] = cache_seconds
    attacker, visitor = app.test_client(), app.test_client()
    foreign, names = answer_helpers.form_fields(attacker)
    own, _ = answer_helpers.form_fields(visitor)
    assert foreign["csrf_token"] != own["csrf_token"]
    stolen = {**own, "csrf_token": foreign["csrf_token"]}
    response = answer_helpers.send(visitor, ["Fremdes Token"], hidden=stolen, names=names)
    assert response.status_code == 400
    assert EXPIRED in response.get_data(as_text=True)
    assert answer_helpers.count(Answer) == 0
    response = answer_helpers.send(visitor, ["Eigenes Token"], hidden=own, names=names)
    assert response.status_code == 302
    assert [a.text for a in answer_helpers.answers()] == ["Eigenes Token"]


def test_event_registration_refuses_a_token_from_another_visitor(app, seeded):
    event = make_event()
    url = f"/veranstaltungen/{event.id}/anmeldung"
    attacker, visitor = app.test_client(), app.test_client()
    foreign = csrf_token(attacker, url)
    own = csrf_token(visitor, url)
    data = {"name": "Erika Muster", "email": "erika@example.org", "privacy_consent": "y"}
    response = visitor.post(url, data={**data, "csrf_token": foreign})
    assert response.status_code == 400
    assert registrations(event.id) == []
    assert visitor.post(url, data={**data, "csrf_token": own}).status_code == 302
    assert [r.email for r in registrations(event.id)] == ["erika@example.org"]


# --- logout --------------------------------------------------------------------------------


def test_token_from_before_logout_is_refused_after_it(app, make_user):
    admin = make_user(Role.ADMIN)
    client = _logged_in(app, admin)
    before = csrf_token(client, NEW_USER_URL)
    assert post_form(client, "/abmelden", {}, form_url="/staff/").status_code == 302
    # Logged out: the login form refuses the old token ...
    response = client.post(
        "/anmelden", data={"email": admin.email, "password": PASSWORD, "csrf_token": before}
    )
    assert response.status_code == 400
    # ... and after logging in again the staff form refuses it too.
    assert post_form(client, "/anmelden", {"email": admin.email, "password": PASSWORD}).status_code
    response = client.post(
        NEW_USER_URL, data={**_new_user_data("alt@example.org"), "csrf_token": before}
    )
    assert response.status_code == 400
    assert not _user_exists("alt@example.org")
    assert post_form(client, NEW_USER_URL, _new_user_data("neu@example.org")).status_code == 302


def test_logout_ends_every_session_including_a_copied_cookie(app, make_user):
    admin = make_user(Role.ADMIN)
    laptop, phone = _logged_in(app, admin), _logged_in(app, admin)
    token = csrf_token(laptop, NEW_USER_URL)
    copied = laptop.get_cookie("session").value  # e.g. lifted from the laptop earlier
    assert post_form(laptop, "/abmelden", {}, form_url="/staff/").status_code == 302
    assert laptop.get_cookie("session").value != copied
    for client in (laptop, phone):
        response = client.get("/staff/")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/anmelden")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/staff/").headers["Location"].startswith("/anmelden")
    # The copied cookie and its token still pass the CSRF check, but nobody is logged in.
    response = thief.post(
        NEW_USER_URL, data={**_new_user_data("dieb@example.org"), "csrf_token": token}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/anmelden")
    assert not _user_exists("dieb@example.org")


# --- login: no session fixation ------------------------------------------------------------


def test_login_issues_a_new_session_and_token(app, make_user):
    admin = make_user(Role.ADMIN)
    client = app.test_client()
    before = csrf_token(client, "/anmelden")
    anonymous_cookie = client.get_cookie("session").value
    assert post_form(client, "/anmelden", {"email": admin.email, "password": PASSWORD}).status_code
    assert client.get_cookie("session").value != anonymous_cookie
    after = csrf_token(client, NEW_USER_URL)
    assert after != before
    response = client.post(
        NEW_USER_URL, data={**_new_user_data("vorher@example.org"), "csrf_token": before}
    )
    assert response.status_code == 400
    assert not _user_exists("vorher@example.org")
    # An attacker who planted or kept the anonymous cookie gains nothing from the login.
    attacker = app.test_client()
    attacker.set_cookie("session", anonymous_cookie)
    assert attacker.get("/staff/").status_code == 302
    response = attacker.post(
        NEW_USER_URL, data={**_new_user_data("fixiert@example.org"), "csrf_token": before}
    )
    assert response.headers["Location"].startswith("/anmelden")
    assert not _user_exists("fixiert@example.org")


# --- production cookies and HSTS -----------------------------------------------------------

HTTPS = "https://localhost"  # production's test client uses https (PREFERRED_URL_SCHEME)
HTTP = "http://localhost"


@pytest.fixture
def other_app(app):
    """Builds further apps on the test database; their connections are closed afterwards."""
    built = []

    def build(cfg):
        extra = create_app(cfg)
        extra.test_client_class = IsolatedClient
        built.append(extra)
        return extra

    yield build
    for extra in built:
        with extra.app_context():
            for engine in db.engines.values():
                engine.dispose()


@pytest.fixture
def production_app(other_app, database_url):
    def build(**env):
        environ = {
            "SECRET_KEY": "s" * 64,
            "DIALOG_PUBLIC_URL": "https://dialog.example.org",
            "DATABASE_URL": database_url,
            **env,
        }
        return other_app(config.load("production", environ))

    return build


def _https_post(client, path: str, data: dict):
    """A browser's POST over HTTPS: Flask-WTF then also checks the Referer is this site."""
    token = csrf_token(client, path)
    return client.post(
        path, data={**data, "csrf_token": token}, headers={"Referer": f"{HTTPS}{path}"}
    )


def test_production_cookies_are_secure_httponly_samesite_lax(production_app, make_user):
    """The session cookie is the only one: it holds the CSRF token and the chosen language."""
    admin = make_user(Role.ADMIN)
    client = production_app().test_client()
    set_cookies = []
    set_cookies += client.get("/anmelden").headers.getlist("Set-Cookie")
    set_cookies += client.get("/sprache/en?next=/").headers.getlist("Set-Cookie")
    login = _https_post(client, "/anmelden", {"email": admin.email, "password": PASSWORD})
    assert login.status_code == 302
    set_cookies += login.headers.getlist("Set-Cookie")
    logout = _https_post(client, "/abmelden", {})
    assert logout.status_code == 302
    set_cookies += logout.headers.getlist("Set-Cookie")
    assert len(set_cookies) >= 4
    for cookie in set_cookies:
        name, *attributes = [part.strip() for part in cookie.split(";")]
        flags = {a.split("=", 1)[0].lower(): a.partition("=")[2] for a in attributes}
        assert name.startswith("__Host-session="), cookie  # no remember-me or other cookie
        assert "secure" in flags and "httponly" in flags, cookie
        assert flags.get("samesite") == "Lax", cookie
        assert flags.get("path") == "/" and "domain" not in flags, cookie  # as __Host- needs
    cfg = config.load("production", {"SECRET_KEY": "s" * 64, "DIALOG_PUBLIC_URL": HTTPS})
    assert (cfg.REMEMBER_COOKIE_SECURE, cfg.REMEMBER_COOKIE_HTTPONLY) == (True, True)
    assert cfg.REMEMBER_COOKIE_SAMESITE == "Lax"


def test_development_cookies_work_over_plain_http(app):
    client = app.test_client()
    cookie = client.get("/anmelden").headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "Secure" not in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_hsts_in_production_over_tls_only(app, production_app):
    production = production_app()
    over_tls = production.test_client().get("/anmelden")
    assert over_tls.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    plain = production.test_client().get("/anmelden", base_url=HTTP)
    assert "Strict-Transport-Security" not in plain.headers
    development = app.test_client().get("/anmelden", base_url=HTTPS)
    assert "Strict-Transport-Security" not in development.headers


def test_production_staff_session_ends_after_twelve_idle_hours(
    production_app, make_user, frozen_clock
):
    admin = make_user(Role.ADMIN)
    start = now_utc()
    frozen_clock(start)
    client = production_app().test_client()
    assert _https_post(client, "/anmelden", {"email": admin.email, "password": PASSWORD})
    assert client.get("/staff/").status_code == 200
    frozen_clock(start + timedelta(hours=11))
    assert client.get("/staff/").status_code == 200
    frozen_clock(start + timedelta(hours=12, minutes=1))
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/anmelden")


# --- reverse proxies: DIALOG_PROXY_HOPS ----------------------------------------------------


def _login_attempts(app, forwarded_for: list[str]) -> list[int]:
    """Failed logins from one proxy address, with the X-Forwarded-For header each carried."""
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    client = app.test_client()
    statuses = []
    for header in forwarded_for:
        token = csrf_token(client, "/anmelden")
        response = client.post(
            "/anmelden",
            data={"email": "x@example.org", "password": "falsch-falsch", "csrf_token": token},
            headers={"X-Forwarded-For": header},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},  # the proxy
        )
        statuses.append(response.status_code)
    return statuses


def test_one_trusted_proxy_gives_each_client_its_own_rate_limit(other_app, database_url):
    behind_proxy = other_app(make_config(database_url, PROXY_HOPS=1))
    # nginx appends the real address; what the client wrote before it is not trusted.
    headers = ["6.6.6.6, 198.51.100.1", "7.7.7.7, 198.51.100.1", "8.8.8.8, 198.51.100.1"]
    assert _login_attempts(behind_proxy, headers) == [200, 200, 429]
    assert _login_attempts(behind_proxy, ["6.6.6.6, 198.51.100.2"]) == [200]


def test_without_proxy_hops_forwarded_headers_are_ignored(app):
    headers = ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
    assert _login_attempts(app, headers) == [200, 200, 429]


def test_forwarded_proto_counts_only_from_a_trusted_proxy(production_app):
    """nginx speaks TLS to the browser and plain HTTP to gunicorn."""
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1"}
    trusted = production_app(DIALOG_PROXY_HOPS="1").test_client()
    response = trusted.get("/anmelden", headers=headers, base_url=HTTP)
    assert "Strict-Transport-Security" in response.headers
    assert trusted.get("/anmelden", base_url=HTTP).headers.get("Strict-Transport-Security") is None
    untrusted = production_app().test_client()
    response = untrusted.get("/anmelden", headers=headers, base_url=HTTP)
    assert "Strict-Transport-Security" not in response.headers
