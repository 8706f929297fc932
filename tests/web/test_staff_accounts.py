import re

import sqlalchemy as sa

from dialog.accounts.models import User
from dialog.common.audit import AuditEntry
from dialog.common.permissions import Role
from dialog.extensions import db
from tests.conftest import PASSWORD, post_form

NEW_PASSWORD = "ein-ganz-neues-passwort"


def test_admin_creates_an_account_that_can_log_in(app, client, make_user, login):
    login(make_user(Role.ADMIN))
    response = post_form(
        client,
        "/staff/konten/neu",
        {
            "email": "Neu@Example.org",
            "name": "Neue Person",
            "roles": ["moderator", "analyst"],
            "password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "neu@example.org"))
    assert user.role_set == {Role.MODERATOR, Role.ANALYST}
    other = app.test_client()
    assert (
        post_form(
            other, "/anmelden", {"email": "neu@example.org", "password": NEW_PASSWORD}
        ).status_code
        == 302
    )
    assert other.get("/staff/konten").status_code == 403


def test_account_form_errors_are_german_and_keep_input(client, make_user, login):
    login(make_user(Role.ADMIN))
    html = post_form(
        client, "/staff/konten/neu", {"email": "kein-mail", "name": "Erika", "password": "kurz"}
    ).get_data(as_text=True)
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein." in html
    assert "Bitte wählen Sie mindestens eine Rolle." in html
    assert 'value="Erika"' in html
    html = post_form(
        client,
        "/staff/konten/neu",
        {"email": "a@example.org", "roles": ["admin"], "password": "kurz"},
    ).get_data(as_text=True)
    assert "mindestens 12 Zeichen" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_deactivating_an_account_ends_its_sessions(app, client, make_user, login):
    admin = make_user(Role.ADMIN)
    moderator = make_user(Role.MODERATOR)
    other = app.test_client()
    post_form(other, "/anmelden", {"email": moderator.email, "password": PASSWORD})
    assert other.get("/staff/").status_code == 200
    login(admin)
    response = post_form(
        client, f"/staff/konten/{moderator.id}", {"name": "", "roles": ["moderator"]}
    )  # "active" unchecked
    assert response.status_code == 302
    assert other.get("/staff/").status_code == 302
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.update"))
    assert entry.changes["active"] == [True, False]


def test_last_admin_cannot_be_removed(client, make_user, login):
    admin = make_user(Role.ADMIN)
    login(admin)
    html = post_form(
        client, f"/staff/konten/{admin.id}", {"roles": ["moderator"], "active": "y"}
    ).get_data(as_text=True)
    assert "Das letzte aktive Administrationskonto" in html
    db.session.expire_all()
    assert Role.ADMIN in db.session.get(User, admin.id).role_set
    second = make_user(Role.ADMIN)
    response = post_form(
        client, f"/staff/konten/{second.id}", {"roles": ["analyst"], "active": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, second.id).role_set == {Role.ANALYST}


def test_staff_change_their_own_password(app, client, make_user, login):
    user = make_user(Role.ANALYST)
    login(user)
    other = app.test_client()
    post_form(other, "/anmelden", {"email": user.email, "password": PASSWORD})
    html = post_form(
        client,
        "/staff/passwort",
        {"current": "falsch", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    ).get_data(as_text=True)
    assert "Das bisherige Passwort ist nicht korrekt." in html
    html = post_form(
        client, "/staff/passwort", {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": "anders"}
    ).get_data(as_text=True)
    assert "stimmen nicht überein" in html
    response = post_form(
        client,
        "/staff/passwort",
        {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200  # this session continues
    assert other.get("/staff/").status_code == 302  # every other session ended
    third = app.test_client()
    assert (
        post_form(third, "/anmelden", {"email": user.email, "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_edit_form_shows_the_current_roles_and_status(client, make_user, login):
    login(make_user(Role.ADMIN))
    person = make_user(Role.MODERATOR, Role.ANALYST)
    html = client.get(f"/staff/konten/{person.id}").get_data(as_text=True)
    checked = set(re.findall(r'<input checked class="checkbox__input" id="([\w-]+)"', html))
    assert checked == {"roles-1", "roles-2", "active"}  # moderator, analyst, active
    assert 'id="roles-0"' in html  # admin, offered but not ticked


def test_password_change_is_logged_with_the_account(client, make_user, login):
    user = make_user(Role.ANALYST)
    login(user)
    post_form(
        client,
        "/staff/passwort",
        {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "user.password_change")
    )
    assert (entry.object_type, entry.object_id, entry.actor_id) == ("User", str(user.id), user.id)


def test_password_problems_are_shown_at_the_password_fields(client, make_user, login):
    login(make_user(Role.ANALYST))
    html = post_form(
        client,
        "/staff/passwort",
        {"current": PASSWORD, "new": "passwort1234", "confirm": "passwort1234"},
    ).get_data(as_text=True)
    assert 'id="new-error-1"' in html and "zu leicht zu erraten" in html
    html = post_form(
        client, "/staff/passwort", {"current": PASSWORD, "new": PASSWORD, "confirm": PASSWORD}
    ).get_data(as_text=True)
    assert 'id="new-error-1"' in html and "vom bisherigen unterscheiden" in html
    html = post_form(
        client,
        "/staff/passwort",
        {"current": "falsch", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    ).get_data(as_text=True)
    assert 'id="current-error-1"' in html
