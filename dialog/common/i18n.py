"""Language selection: German by default, English on request (remembered in the session)."""

from __future__ import annotations

from flask import current_app, has_request_context, session


def select_locale() -> str:
    lang = session.get("lang") if has_request_context() else None
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]
