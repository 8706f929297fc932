from dialog.common.permissions import Role
from tests.conftest import PASSWORD, csrf_token, post_form

WRONG = "E-Mail-Adresse oder Passwort sind nicht korrekt"


def test_login_with_correct_credentials_opens_the_staff_area(client, make_user):
    user = make_user(Role.ADMIN)
    response = post_form(client, "/anmelden", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    assert "Mitarbeitendenbereich" in client.get("/staff/").get_data(as_text=True)


def test_email_is_case_insensitive(client, make_user):
    user = make_user(Role.ADMIN, email="Person@Example.org")
    response = post_form(
        client, "/anmelden", {"email": " PERSON@example.ORG ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert user.email == "person@example.org"


def test_wrong_password_and_unknown_user_get_the_same_message(client, make_user):
    user = make_user(Role.ADMIN)
    wrong_password = post_form(
        client, "/anmelden", {"email": user.email, "password": "falsch-falsch"}
    )
    unknown_user = post_form(
        client, "/anmelden", {"email": "nobody@example.org", "password": PASSWORD}
    )
    for response in (wrong_password, unknown_user):
        assert response.status_code == 200
        assert WRONG in response.get_data(as_text=True)
    # The e-mail typed is kept, the password is not echoed back.
    html = wrong_password.get_data(as_text=True)
    assert f'value="{user.email}"' in html
    assert "falsch-falsch" not in html
    assert client.get("/staff/").status_code == 302


def test_empty_login_form_gets_german_field_messages(client):
    html = post_form(client, "/anmelden", {"email": "", "password": ""}).get_data(as_text=True)
    assert "Bitte geben Sie Ihre E-Mail-Adresse ein." in html
    assert "Bitte geben Sie Ihr Passwort ein." in html
    assert 'aria-invalid="true"' in html


def test_deactivated_account_cannot_log_in(client, make_user, app):
    from dialog.extensions import db

    user = make_user(Role.ADMIN)
    user.active = False
    db.session.commit()
    response = post_form(client, "/anmelden", {"email": user.email, "password": PASSWORD})
    assert WRONG in response.get_data(as_text=True)


def test_login_is_rate_limited_per_address(client, make_user, app):
    make_user(Role.ADMIN)
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    token = csrf_token(client, "/anmelden")
    statuses = [
        client.post(
            "/anmelden",
            data={"email": f"x{i}@example.org", "password": "nope-nope-nope", "csrf_token": token},
        ).status_code
        for i in range(5)
    ]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]
    response = client.post(
        "/anmelden", data={"email": "a@b.de", "password": "x", "csrf_token": token}
    )
    assert "Zu viele Anfragen" in response.get_data(as_text=True)
    # Reading the page is not limited.
    assert client.get("/anmelden").status_code == 200


def test_login_is_rate_limited_per_account_across_addresses(client, make_user, app):
    user = make_user(Role.ADMIN)
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "2 per hour"
    token = csrf_token(client, "/anmelden")
    for i in range(2):
        response = client.post(
            "/anmelden",
            data={"email": user.email, "password": "nope-nope-nope", "csrf_token": token},
            environ_base={"REMOTE_ADDR": f"10.0.0.{i}"},
        )
        assert response.status_code == 200
    # Even the right password from yet another address is refused now.
    response = client.post(
        "/anmelden",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        environ_base={"REMOTE_ADDR": "10.0.0.99"},
    )
    assert response.status_code == 429


def test_successful_logins_do_not_count_towards_the_limit(client, make_user, app):
    user = make_user(Role.ADMIN)
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    for _ in range(4):
        response = post_form(client, "/anmelden", {"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
        post_form(client, "/abmelden", {}, form_url="/staff/")


def test_login_starts_a_new_session(client, make_user):
    user = make_user(Role.ADMIN)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["lang"] = "en"
    post_form(client, "/anmelden", {"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "en"  # the chosen language survives


def test_next_redirect_only_to_own_site(client, make_user):
    user = make_user(Role.ADMIN)
    data = {"email": user.email, "password": PASSWORD}
    response = post_form(client, "/anmelden", {**data, "next": "/staff/seiten"})
    assert response.headers["Location"] == "/staff/seiten"
    post_form(client, "/abmelden", {}, form_url="/staff/")
    response = post_form(client, "/anmelden", {**data, "next": "https://evil.example/"})
    assert response.headers["Location"] == "/staff/"
    post_form(client, "/abmelden", {}, form_url="/staff/")
    response = post_form(client, "/anmelden", {**data, "next": "//evil.example/"})
    assert response.headers["Location"] == "/staff/"


def test_protected_page_sends_to_login_with_next(client):
    response = client.get("/staff/seiten")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/anmelden?next=")
    assert "staff" in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/staff/seiten"' in html


def test_logout_ends_the_session_everywhere(app, make_user):
    user = make_user(Role.ADMIN)
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        assert (
            post_form(c, "/anmelden", {"email": user.email, "password": PASSWORD}).status_code
            == 302
        )
        assert c.get("/staff/").status_code == 200
    response = post_form(first, "/abmelden", {}, form_url="/staff/")
    assert response.status_code == 302
    assert first.get("/staff/").status_code == 302
    assert second.get("/staff/").status_code == 302


def test_logout_requires_post_with_csrf(client, make_user, login):
    login(make_user(Role.ADMIN))
    assert client.get("/abmelden").status_code == 405
    assert client.post("/abmelden").status_code == 400
    assert client.get("/staff/").status_code == 200


def test_post_without_csrf_token_is_refused_in_german(client, make_user):
    user = make_user(Role.ADMIN)
    response = client.post("/anmelden", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Das Formular ist abgelaufen" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_csrf_token_of_another_session_is_refused(app, make_user):
    user = make_user(Role.ADMIN)
    attacker, victim = app.test_client(), app.test_client()
    token = csrf_token(attacker, "/anmelden")
    csrf_token(victim, "/anmelden")
    response = victim.post(
        "/anmelden", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 400
