"""Configuration classes. Each reads the environment when instantiated, never at import time.

Environment variables:
    DIALOG_ENV              development (default) | production | testing
    SECRET_KEY              required in production; signs sessions and CSRF tokens
    DATABASE_URL            e.g. postgresql://user@host/db; unset: SQLite in instance/
    RATELIMIT_STORAGE_URI   memory:// (default) or redis://127.0.0.1:6379
    DIALOG_PROXY_HOPS       number of trusted reverse proxies in front of the app (default 0)
    DIALOG_ANSWER_RATE_LIMIT  answer submissions per client address (Flask-Limiter syntax)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import ClassVar


def database_uri(url: str | None) -> str | None:
    """Normalise a DATABASE_URL so that PostgreSQL URLs use the psycopg 3 driver."""
    if not url:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


class DefaultConfig:
    """Development defaults: SQLite in instance/, in-memory rate limits, German UI."""

    DEBUG = False
    TESTING = False
    DEMO_MODE = True

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        # An insecure fallback is acceptable only outside production, which refuses it.
        self.SECRET_KEY = env.get("SECRET_KEY") or "dev-only-insecure-secret-key"
        # None means "SQLite in the instance folder", filled in by the app factory.
        self.SQLALCHEMY_DATABASE_URI = database_uri(env.get("DATABASE_URL"))
        self.RATELIMIT_STORAGE_URI = env.get("RATELIMIT_STORAGE_URI", "memory://")
        self.PROXY_HOPS = int(env.get("DIALOG_PROXY_HOPS", "0"))
        # Per client address; offices and schools share one address, so it is generous.
        self.ANSWER_RATE_LIMIT = env.get("DIALOG_ANSWER_RATE_LIMIT", "20 per minute; 300 per hour")

    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")

    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute; 50 per hour"
    LOGIN_ACCOUNT_RATE_LIMIT = "10 per hour"

    ANSWER_MIN_FILL_SECONDS = 3  # faster than this is a bot, not a person
    PAGE_CACHE_SECONDS = 15  # public pages for anonymous visitors (dialog/common/pagecache.py)
    REPORT_RATE_LIMIT = "10 per hour"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 8 * 3600  # staff edit long texts; a short limit loses their work
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024


class TestConfig(DefaultConfig):
    """Used by the test suite; TEST_DATABASE_URL selects PostgreSQL."""

    TESTING = True
    ANSWER_MIN_FILL_SECONDS = 0  # tests of the minimum fill time set it themselves
    PAGE_CACHE_SECONDS = 0  # tests of the page cache set it themselves

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(environ)
        env = os.environ if environ is None else environ
        self.SQLALCHEMY_DATABASE_URI = database_uri(env.get("TEST_DATABASE_URL"))
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.ANSWER_RATE_LIMIT = "1000 per minute"  # the rate-limit tests set their own


class ProductionConfig(DefaultConfig):
    """Production: PostgreSQL via DATABASE_URL, a real SECRET_KEY, secure cookies."""

    DEMO_MODE = False
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        if not env.get("SECRET_KEY"):
            raise RuntimeError(
                "SECRET_KEY is not set. Production refuses to start without it, because "
                "sessions and CSRF tokens would be signed with a publicly known key. Set "
                "SECRET_KEY to a long random value, e.g. "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
        super().__init__(env)


CONFIGS = {
    "development": DefaultConfig,
    "testing": TestConfig,
    "production": ProductionConfig,
}


def load(name: str | None = None, environ: Mapping[str, str] | None = None) -> DefaultConfig:
    """Build the configuration named by `name` or by DIALOG_ENV."""
    env = os.environ if environ is None else environ
    name = name or env.get("DIALOG_ENV", "development")
    try:
        cls = CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"DIALOG_ENV={name!r} is unknown; use one of {', '.join(CONFIGS)}."
        ) from None
    return cls(env)
