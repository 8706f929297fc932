import pytest

import config
from dialog.common.http import safe_redirect_target


def test_production_refuses_to_start_without_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config.load("production", {})
    cfg = config.load(
        "production", {"SECRET_KEY": "x" * 64, "DIALOG_PUBLIC_URL": "https://dialog.example"}
    )
    assert cfg.SECRET_KEY == "x" * 64
    assert cfg.SESSION_COOKIE_SECURE is True


def test_production_refuses_to_start_without_public_url_for_mail_links():
    with pytest.raises(RuntimeError, match="DIALOG_PUBLIC_URL is not set"):
        config.load("production", {"SECRET_KEY": "x" * 64})


def test_mail_configuration_defaults_and_checks():
    development = config.load("development", {})
    assert (development.MAIL_BACKEND, development.PUBLIC_URL) == ("log", "http://127.0.0.1:5000")
    assert development.MAIL_RETENTION_DAYS == 30
    production = config.load(
        "production", {"SECRET_KEY": "x" * 64, "DIALOG_PUBLIC_URL": "https://dialog.example"}
    )
    assert production.MAIL_BACKEND == "smtp"
    custom = config.load(
        "development",
        {"DIALOG_MAIL_BACKEND": "smtp", "DIALOG_MAIL_PORT": "587", "DIALOG_MAIL_USE_STARTTLS": "1"},
    )
    assert (custom.MAIL_BACKEND, custom.MAIL_PORT, custom.MAIL_USE_STARTTLS) == ("smtp", 587, True)
    with pytest.raises(RuntimeError, match="DIALOG_MAIL_BACKEND='sendmail'"):
        config.load("development", {"DIALOG_MAIL_BACKEND": "sendmail"})
    with pytest.raises(RuntimeError, match="no web address"):
        config.load("development", {"DIALOG_PUBLIC_URL": "dialog.example.org"})


def test_production_app_factory_refuses_without_secret_key(monkeypatch):
    from dialog import create_app

    monkeypatch.setenv("DIALOG_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app()


def test_unknown_environment_is_named():
    with pytest.raises(RuntimeError, match="staging"):
        config.load("staging", {})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://postgres@127.0.0.1:5432/test",
            "postgresql+psycopg://postgres@127.0.0.1:5432/test",
        ),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
        ("", None),
        (None, None),
    ],
)
def test_database_url_selects_psycopg3(url, expected):
    assert config.database_uri(url) == expected


def test_environment_is_read_when_loaded_not_at_import():
    assert config.load(
        "development", {"DATABASE_URL": "postgres://a@b/c"}
    ).SQLALCHEMY_DATABASE_URI == ("postgresql+psycopg://a@b/c")
    assert config.load("development", {}).SQLALCHEMY_DATABASE_URI is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/staff/", "/staff/"),
        ("/staff/seiten?x=1", "/staff/seiten?x=1"),
        ("https://evil.example/", "/fallback"),
        ("//evil.example/", "/fallback"),
        ("/\\evil.example", "/fallback"),
        ("\\\\evil.example", "/fallback"),
        ("javascript:alert(1)", "/fallback"),
        ("staff", "/fallback"),
        ("/\tstaff", "/fallback"),
        ("", "/fallback"),
        (None, "/fallback"),
    ],
)
def test_safe_redirect_target(target, expected):
    assert safe_redirect_target(target, "/fallback") == expected


def test_an_app_without_rate_limits_leaves_the_next_app_its_limits(database_url):
    """Flask-Limiter's extension is shared by every app of a process (the tests make many)."""
    from dialog import create_app
    from dialog.extensions import limiter
    from tests.conftest import make_config

    create_app(make_config(database_url, RATELIMIT_ENABLED=False))
    assert limiter.enabled is False
    create_app(make_config(database_url))
    assert limiter.enabled is True


def test_postgresql_connections_wait_only_the_connect_timeout():
    pg = config.DefaultConfig({"DATABASE_URL": "postgresql://u@h/db"})
    assert pg.SQLALCHEMY_ENGINE_OPTIONS == {
        "pool_pre_ping": True,
        "connect_args": {"connect_timeout": 5},
    }
    tuned = config.DefaultConfig(
        {"DATABASE_URL": "postgresql://u@h/db", "DIALOG_DB_CONNECT_TIMEOUT": "2"}
    )
    assert tuned.SQLALCHEMY_ENGINE_OPTIONS["connect_args"] == {"connect_timeout": 2}
    # sqlite3.connect knows no such argument.
    assert config.DefaultConfig({}).SQLALCHEMY_ENGINE_OPTIONS == {"pool_pre_ping": True}
