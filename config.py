"""Configuration classes. Each reads the environment when instantiated, never at import time.

Environment variables:
    DIALOG_ENV              development (default) | production | testing
    SECRET_KEY              required in production; signs sessions and CSRF tokens
    DATABASE_URL            e.g. postgresql://user@host/db; unset: SQLite in instance/
    DIALOG_DB_CONNECT_TIMEOUT  seconds to wait for a new PostgreSQL connection (default 5)
    RATELIMIT_STORAGE_URI   memory:// (default) or redis://127.0.0.1:6379
    DIALOG_PROXY_HOPS       number of trusted reverse proxies in front of the app (default 0)
    DIALOG_ANSWER_RATE_LIMIT  answer submissions per client address (Flask-Limiter syntax)
    DIALOG_REGISTRATION_RATE_LIMIT  event registrations per client address (Flask-Limiter syntax)
    DIALOG_REGISTRATION_HOLD_HOURS  how long an unconfirmed registration holds its seat (48)
    DIALOG_EVENT_DATA_RETENTION_DAYS  days after an event until participants' data are deleted (30)
    DIALOG_RESULTS_MAX_UPLOAD_MB  largest file published on the results page, in MB (25)
    DIALOG_RECOMMENDATION_DISAGREEMENT_SPREAD  a recommendation's ratings of a criterion are
                            marked as disagreeing from this spread (max − min) on (2)
    DIALOG_DOCUMENTATION_MAX_UPLOAD_MB  largest file with an event documentation entry, in MB (10)
    DIALOG_EXPORT_WEB_MAX_ANSWERS  largest dataset export offered as a download (300000 answers;
                            beyond that `flask export`)
    DIALOG_CAMPAIGNS_WEB_MAX_ANSWERS  largest process whose campaigns and flags analysts may
                            recompute in the browser (20000 answers; beyond that
                            `flask find-campaigns`, and the report worker before each draft)
    DIALOG_FEEDBACK_MAIL_TO  where feedback from the Erklärung zur Barrierefreiheit is mailed
                            (comma-separated addresses; empty, the default: no mail, only the
                            staff page /staff/barrierefreiheit)
    DIALOG_FEEDBACK_RATE_LIMIT  feedback messages per client address (Flask-Limiter syntax)
    DIALOG_FEEDBACK_RETENTION_DAYS  days until `flask purge` deletes feedback, open or done (180)
    DIALOG_NOTIFICATION_CONFIRM_DAYS  days until `flask purge` deletes an address left for
                            notifications about results and not confirmed (7)
    DIALOG_NOTIFICATION_RETENTION_DAYS  days after its confirmation until `flask purge`
                            deletes such an address (730)
    DIALOG_PUBLIC_URL       the site's address for links in mails, e.g. https://dialog.example.org
                            (default http://127.0.0.1:5000; required in production)

E-mail (the outbox, dialog/common/mail/; `flask send-mail` delivers):
    DIALOG_MAIL_BACKEND     log (development default: mails are written to the log) | smtp
                            (production default)
    DIALOG_MAIL_SERVER      SMTP host (default localhost)
    DIALOG_MAIL_PORT        SMTP port (default 25; 587 with STARTTLS, 465 with SSL)
    DIALOG_MAIL_USE_STARTTLS  1 to upgrade the connection with STARTTLS (default 0)
    DIALOG_MAIL_USE_SSL     1 for implicit TLS from the start (default 0)
    DIALOG_MAIL_USERNAME, DIALOG_MAIL_PASSWORD  SMTP login; none when the username is empty
    DIALOG_MAIL_SENDER      From address
    DIALOG_MAIL_REPLY_TO    Reply-To address: where people's answers to mails go (empty: none)
                            (default "Zukunftsdialog <no-reply@zukunftsdialog.example>")
    DIALOG_MAIL_TIMEOUT     seconds to wait for the SMTP server (default 30)
    DIALOG_MAIL_RETENTION_DAYS  sent mails are deleted after this many days (default 30)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit


def engine_options(uri: str | None, connect_timeout: int) -> dict:
    """SQLALCHEMY_ENGINE_OPTIONS for the database at `uri`."""
    options: dict = {"pool_pre_ping": True}
    if (uri or "").startswith("postgresql"):
        # A database host that drops packets (rather than refusing them) would otherwise hold
        # every request, and /readyz, for the operating system's TCP timeout.
        options["connect_args"] = {"connect_timeout": connect_timeout}
    return options


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
        # Seconds to wait for a new PostgreSQL connection (see SQLALCHEMY_ENGINE_OPTIONS).
        self.DB_CONNECT_TIMEOUT = int(env.get("DIALOG_DB_CONNECT_TIMEOUT", "5"))
        self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(
            self.SQLALCHEMY_DATABASE_URI, self.DB_CONNECT_TIMEOUT
        )
        self.RATELIMIT_STORAGE_URI = env.get("RATELIMIT_STORAGE_URI", "memory://")
        self.PROXY_HOPS = int(env.get("DIALOG_PROXY_HOPS", "0"))
        # Per client address; offices and schools share one address, so it is generous.
        self.ANSWER_RATE_LIMIT = env.get("DIALOG_ANSWER_RATE_LIMIT", "20 per minute; 300 per hour")
        self.REGISTRATION_RATE_LIMIT = env.get(
            "DIALOG_REGISTRATION_RATE_LIMIT", "10 per minute; 100 per hour"
        )  # per client address
        # How long an unconfirmed registration holds its seat (double opt-in).
        self.REGISTRATION_HOLD_HOURS = float(env.get("DIALOG_REGISTRATION_HOLD_HOURS", "48"))
        # Days after an event until `flask purge` deletes its participants' personal data.
        self.EVENT_DATA_RETENTION_DAYS = int(env.get("DIALOG_EVENT_DATA_RETENTION_DAYS", "30"))
        # Feedback on barriers (Erklärung zur Barrierefreiheit): who is mailed, how often a
        # client may send, and how long it is kept (it may hold a name and an address).
        self.FEEDBACK_MAIL_TO = env.get("DIALOG_FEEDBACK_MAIL_TO", "")
        self.FEEDBACK_RATE_LIMIT = env.get(
            "DIALOG_FEEDBACK_RATE_LIMIT", "5 per minute; 30 per hour"
        )
        self.FEEDBACK_RETENTION_DAYS = int(env.get("DIALOG_FEEDBACK_RETENTION_DAYS", "180"))
        self.NOTIFICATION_CONFIRM_DAYS = int(env.get("DIALOG_NOTIFICATION_CONFIRM_DAYS", "7"))
        self.NOTIFICATION_RETENTION_DAYS = int(env.get("DIALOG_NOTIFICATION_RETENTION_DAYS", "730"))
        self.PUBLIC_URL = env.get("DIALOG_PUBLIC_URL", "http://127.0.0.1:5000")
        public = urlsplit(self.PUBLIC_URL)
        if public.scheme not in ("http", "https") or not public.netloc:
            raise RuntimeError(
                f"DIALOG_PUBLIC_URL={self.PUBLIC_URL!r} is no web address; links in mails "
                "need one such as https://dialog.example.org."
            )
        self.MAIL_BACKEND = env.get("DIALOG_MAIL_BACKEND", self.MAIL_BACKEND)
        if self.MAIL_BACKEND not in ("log", "smtp"):
            raise RuntimeError(f"DIALOG_MAIL_BACKEND={self.MAIL_BACKEND!r}: use log or smtp.")
        self.MAIL_SERVER = env.get("DIALOG_MAIL_SERVER", "localhost")
        self.MAIL_PORT = int(env.get("DIALOG_MAIL_PORT", "25"))
        self.MAIL_USE_STARTTLS = env.get("DIALOG_MAIL_USE_STARTTLS", "0") == "1"
        self.MAIL_USE_SSL = env.get("DIALOG_MAIL_USE_SSL", "0") == "1"
        self.MAIL_USERNAME = env.get("DIALOG_MAIL_USERNAME", "")
        self.MAIL_PASSWORD = env.get("DIALOG_MAIL_PASSWORD", "")
        self.MAIL_SENDER = env.get(
            "DIALOG_MAIL_SENDER", "Zukunftsdialog <no-reply@zukunftsdialog.example>"
        )
        self.MAIL_REPLY_TO = env.get(
            "DIALOG_MAIL_REPLY_TO", "Zukunftsdialog <kontakt@zukunftsdialog.example>"
        )
        self.MAIL_TIMEOUT = float(env.get("DIALOG_MAIL_TIMEOUT", "30"))
        # Sent mails hold names and addresses: `flask send-mail` deletes them after this.
        self.MAIL_RETENTION_DAYS = int(env.get("DIALOG_MAIL_RETENTION_DAYS", "30"))
        # Largest file staff may publish on the results page (report, infographic …), in MB.
        self.RESULTS_MAX_UPLOAD_BYTES = int(
            float(env.get("DIALOG_RESULTS_MAX_UPLOAD_MB", "25")) * 1000**2
        )
        # A download of more answers would keep a web worker busy for minutes.
        self.EXPORT_WEB_MAX_ANSWERS = int(env.get("DIALOG_EXPORT_WEB_MAX_ANSWERS", "300000"))
        # Recommendations: a criterion's ratings disagree from this spread (max − min) on;
        # largest file with an event documentation entry (photo of a pinboard, minutes).
        self.RECOMMENDATION_DISAGREEMENT_SPREAD = int(
            env.get("DIALOG_RECOMMENDATION_DISAGREEMENT_SPREAD", "2")
        )
        self.DOCUMENTATION_MAX_UPLOAD_BYTES = int(
            float(env.get("DIALOG_DOCUMENTATION_MAX_UPLOAD_MB", "10")) * 1000**2
        )
        # The detection reads and checks every answer of a process within the request.
        self.CAMPAIGNS_WEB_MAX_ANSWERS = int(env.get("DIALOG_CAMPAIGNS_WEB_MAX_ANSWERS", "20000"))

    MAIL_BACKEND = "log"  # the default of DIALOG_MAIL_BACKEND; production's is smtp

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")

    RATELIMIT_HEADERS_ENABLED = False
    # Stated, not left to Flask-Limiter: its extension object is shared by every app of the
    # process and would otherwise hand an app the switch of the app created before it.
    RATELIMIT_ENABLED = True
    # Redis down must not take the forms down: limits are then counted per process until it
    # answers again (Flask-Limiter for its decorators, dialog/common/ratelimit.py for the rest).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute; 50 per hour"
    LOGIN_ACCOUNT_RATE_LIMIT = "10 per hour"

    ANSWER_MIN_FILL_SECONDS = 3  # faster than this is a bot, not a person
    PAGE_CACHE_SECONDS = 15  # public pages for anonymous visitors (dialog/common/pagecache.py)
    REPORT_RATE_LIMIT = "10 per hour"

    # Lax, not Strict: under Strict the first request that arrives by a link in a mail or on
    # another site carries no cookie (staff look logged out, the chosen language is lost). Lax
    # already withholds the cookie from cross-site POSTs, and every form has a CSRF token.
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
    # Real SMTP, so that a test that sends mail without the `smtp_server` fixture fails
    # loudly (tests/conftest.py) instead of writing to the log unnoticed.
    MAIL_BACKEND = "smtp"
    PAGE_CACHE_SECONDS = 0  # tests of the page cache set it themselves

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(environ)
        env = os.environ if environ is None else environ
        self.SQLALCHEMY_DATABASE_URI = database_uri(env.get("TEST_DATABASE_URL"))
        self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(
            self.SQLALCHEMY_DATABASE_URI, self.DB_CONNECT_TIMEOUT
        )
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.ANSWER_RATE_LIMIT = "1000 per minute"  # the rate-limit tests set their own
        self.REGISTRATION_RATE_LIMIT = "1000 per minute"
        self.FEEDBACK_RATE_LIMIT = "1000 per minute"


class ProductionConfig(DefaultConfig):
    """Production: PostgreSQL via DATABASE_URL, a real SECRET_KEY, secure cookies."""

    DEMO_MODE = False
    SESSION_COOKIE_SECURE = True
    # "__Host-": browsers keep the cookie only if it is Secure, for path / and without Domain,
    # so no other host under the same domain can plant a session (with a CSRF token it knows).
    SESSION_COOKIE_NAME = "__Host-session"
    # Flask refuses a session cookie signed longer ago than this and re-signs it whenever the
    # session changes (login, each message after an action): a forgotten staff session ends
    # after 12 idle hours even if nobody logs out.
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    MAIL_BACKEND = "smtp"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        if not env.get("SECRET_KEY"):
            raise RuntimeError(
                "SECRET_KEY is not set. Production refuses to start without it, because "
                "sessions and CSRF tokens would be signed with a publicly known key. Set "
                "SECRET_KEY to a long random value, e.g. "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
        if not env.get("DIALOG_PUBLIC_URL"):
            raise RuntimeError(
                "DIALOG_PUBLIC_URL is not set. Production refuses to start without it, because "
                "links in e-mails would point to 127.0.0.1. Set it to the site's address, "
                "e.g. https://dialog.example.org."
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
