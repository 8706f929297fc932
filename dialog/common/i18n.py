"""Language selection: German by default, English on request (remembered in the session)."""

from __future__ import annotations

from flask import current_app, has_request_context, session
from flask_babel import get_locale

# The interface language and the locale whose conventions (dates, numbers) it uses; the
# English catalogue serves en_GB through gettext's fallback from "en_GB" to "en".
LOCALES = {"de": "de_DE", "en": "en_GB"}


def select_locale() -> str:
    lang = session.get("lang") if has_request_context() else None
    if lang not in current_app.config["LANGUAGES"]:
        lang = current_app.config["BABEL_DEFAULT_LOCALE"]
    return LOCALES.get(lang, lang)


def language_name(code: str | None) -> str:
    """The name of a language (ISO 639 code, e.g. of a detected language) in the UI's language."""
    if not code:
        return ""
    return get_locale().languages.get(code, code)
