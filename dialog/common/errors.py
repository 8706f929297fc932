"""German (and English) error pages instead of bare server messages.

When the database is briefly out of reach (SQLite busy, PostgreSQL restarting, a dropped
connection) people get a "please try again" page (503 with Retry-After) instead of an error,
and what they had typed into a form comes back to them with a button that sends it again.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from contextlib import suppress
from functools import cache

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, InternalServerError
from wtforms import Form, PasswordField
from wtforms.fields.core import UnboundField

from dialog.extensions import db

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# Sent along again but not shown: tokens of the form, not text the person typed.
TECHNICAL_FIELDS = frozenset({"csrf_token", "form_token"})
# Values of choices (enum values, Bundesland codes, ids, "y" of a checkbox), not typed text.
CHOICE_VALUE = re.compile(r"[a-z0-9_\-]*|[A-Z]{2}(-[A-Z0-9]{1,3})?")
SQLITE_TRANSIENT = ("locked", "busy", "unable to open")


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Ungültige Anfrage"),
            _("Die Anfrage konnte nicht verarbeitet werden. Bitte prüfen Sie Ihre Eingaben."),
        ),
        403: (
            _("Kein Zugriff"),
            _("Sie haben keine Berechtigung, diese Seite aufzurufen."),
        ),
        404: (
            _("Seite nicht gefunden"),
            _("Die aufgerufene Seite gibt es nicht (mehr). Bitte prüfen Sie die Adresse."),
        ),
        405: (
            _("Aktion nicht möglich"),
            _("Diese Aktion ist auf dieser Seite nicht möglich."),
        ),
        413: (
            _("Eingabe zu groß"),
            _("Die gesendeten Daten sind zu groß. Bitte kürzen Sie Ihre Eingabe."),
        ),
        429: (
            _("Zu viele Anfragen"),
            _(
                "Sie haben in kurzer Zeit zu viele Anfragen gesendet. Bitte warten Sie einen "
                "Moment und versuchen Sie es dann erneut."
            ),
        ),
        500: (
            _("Interner Fehler"),
            _(
                "Es ist ein unerwarteter Fehler aufgetreten. Bitte versuchen Sie es später "
                "erneut. Ihre bereits gespeicherten Angaben gehen dabei nicht verloren."
            ),
        ),
    }


def render_error(code: int, detail: str | None = None):
    messages = _messages()
    title, text = messages.get(code) or messages[400 if code < 500 else 500]
    try:
        html = render_template("errors/error.html", code=code, title=title, text=detail or text)
    except sa_exc.SQLAlchemyError as error:
        # The page's footer reads the database; when that is gone, say so instead.
        if not is_transient_database_error(error):
            raise
        return database_unavailable(error)
    return html, code


def is_transient_database_error(error: BaseException) -> bool:
    """Whether `error` says the database is briefly unavailable, so that trying again helps.

    SQLite: locked or busy (another writer), or the file cannot be opened. PostgreSQL: every
    OperationalError (no connection, server restarting or shut down, serialization or lock
    timeout) and a connection that was dropped. Not: errors in the SQL or its data.
    """
    if isinstance(error, sa_exc.TimeoutError):  # no connection free in the pool
        return True
    if not isinstance(error, sa_exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if isinstance(error.orig, sqlite3.Error):
        message = str(error.orig).lower()
        return isinstance(error.orig, sqlite3.OperationalError) and any(
            part in message for part in SQLITE_TRANSIENT
        )
    return isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError)


@cache
def _password_fields() -> frozenset[str]:
    """The names of every password field of the application's forms."""
    names, classes = set(), [Form]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        names.update(
            name
            for name, value in vars(cls).items()
            if isinstance(value, UnboundField) and issubclass(value.field_class, PasswordField)
        )
    return frozenset(names)


def is_secret_field(name: str) -> bool:
    lowered = name.lower()
    return name in _password_fields() or any(s in lowered for s in ("passw", "secret"))


def kept_input(form: MultiDict) -> tuple[list[tuple[str, str]], list[str], bool]:
    """What a failed POST is sent again with, which texts to show, whether secrets were left out.

    Every field goes along again (the CSRF token and the form's nonce too, so that the form is
    stored once however often it is sent) except passwords, which are never written into a
    page. Shown are the texts the person typed, not the values of choices or tokens.
    """
    resend, shown, dropped = [], [], False
    for name, value in form.items(multi=True):
        if is_secret_field(name):
            dropped = dropped or bool(value)
            continue
        resend.append((name, value))
        if name not in TECHNICAL_FIELDS and value.strip() and not CHOICE_VALUE.fullmatch(value):
            shown.append(value)
    return resend, shown, dropped


def _summary(error: BaseException) -> str:
    # The driver's message without the SQL and its parameters, which may hold personal data.
    orig = getattr(error, "orig", None) or error
    lines = str(orig).strip().splitlines()
    return f"{type(orig).__name__}: {lines[0] if lines else ''}"


def database_unavailable(error: BaseException):
    """The "please try again" page (503, Retry-After), with the typed input of a POST kept."""
    # The URL rule, not the path: paths hold private links' tokens, which are secrets.
    rule = request.url_rule.rule if request.url_rule else "(no route)"
    logger.warning("Database unavailable during %s %s: %s", request.method, rule, _summary(error))
    with suppress(sa_exc.SQLAlchemyError):  # the connection is gone; the pool replaces it
        db.session.rollback()
    resend, shown, dropped = (
        kept_input(request.form) if request.method == "POST" else ([], [], False)
    )
    context = {
        "code": 503,
        "resend": resend,
        "shown": shown,
        "secrets_dropped": dropped,
        "files_dropped": request.method == "POST" and bool(request.files),
        "resend_url": request.script_root + request.full_path.rstrip("?"),
    }
    try:
        html = _render_without_database("errors/unavailable.html", context)
    except Exception:  # the page must not fail in its turn; say it in both languages
        logger.exception("The unavailable page could not be rendered")
        html = (
            '<!doctype html><html lang="de"><meta charset="utf-8"><title>503</title>'
            "<h1>Bitte versuchen Sie es gleich noch einmal.</h1>"
            '<p lang="en">Please try again in a moment.</p></html>'
        )
    return html, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}


def _render_without_database(template: str, context: dict) -> str:
    """Render `template` with base.html's values filled in without asking the database.

    render_template would run the context processors, which read the footer pages and the
    signed-in user from the database.
    """
    from dialog.common.templating import site_values

    values = {
        "request": request,
        "config": current_app.config,
        "current_user": AnonymousUserMixin(),
        **site_values(footer_pages=[]),
        **context,
    }
    return current_app.jinja_env.get_template(template).render(values)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return render_error(
            400,
            _(
                "Das Formular ist abgelaufen oder wurde nicht vollständig übertragen. Bitte laden "
                "Sie die Seite neu und senden Sie es erneut."
            ),
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(sa_exc.DBAPIError)
    @app.errorhandler(sa_exc.TimeoutError)
    def _database(error: sa_exc.SQLAlchemyError):
        if not is_transient_database_error(error):
            raise error  # a bug, not an outage: logged and answered as any other 500
        return database_unavailable(error)

    @app.errorhandler(InternalServerError)
    def _internal(error: InternalServerError):
        original = error.original_exception
        if original is not None and is_transient_database_error(original):
            return database_unavailable(original)
        # After a failed statement PostgreSQL refuses every further one in the transaction,
        # the footer's query included: without the rollback the error page itself fails.
        with suppress(sa_exc.SQLAlchemyError):
            db.session.rollback()
        return render_error(500)
