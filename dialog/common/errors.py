"""German (and English) error pages instead of bare server messages."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


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
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


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

    @app.errorhandler(InternalServerError)
    def _internal(error: InternalServerError):
        return render_error(500)
