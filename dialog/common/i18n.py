"""Language selection: German by default, English on request (remembered in the session)."""

from __future__ import annotations

from collections.abc import Callable

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, has_request_context, session
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup

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


# -- gettext in templates ---------------------------------------------------------------------
# A page calls `_()` a few hundred times; Flask-Babel looks the catalogue up again on every call
# (about 13 µs each, a third of the private-link page). These keep Jinja's "newstyle" gettext
# (autoescaped, always %-formatted) and Flask-Babel's catalogue and locale (also inside
# `force_locale`), but remember each translated string per locale: catalogues do not change
# while the application runs.

_translated: dict[tuple, str] = {}
_NULL = NullTranslations()
_REMEMBERED = 50_000  # strings per process at most (templates hold a few thousand)


def _remembered(key: tuple, translate: Callable[[Translations], str]) -> str:
    locale = get_locale()
    full_key = (locale, *key)
    text = _translated.get(full_key)
    if text is None:
        text = translate(get_translations()) if locale is not None else translate(_NULL)
        if locale is not None and len(_translated) < _REMEMBERED:
            _translated[full_key] = text
    return text


def newstyle_format(context, text: str, variables: dict) -> str:
    """A translated text as Jinja's "newstyle" gettext returns it: autoescaped, %-formatted."""
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704  # nosec B704 - our own catalogue, as in Jinja
    # Jinja's newstyle gettext formats every string ("%%" is a percent sign); without a
    # placeholder the text stays as it is.
    return text % variables if "%" in text else text


@pass_context
def _gettext(context, string: str, /, **variables) -> str:
    return newstyle_format(context, _remembered((string,), lambda t: t.ugettext(string)), variables)


@pass_context
def _ngettext(context, singular: str, plural: str, num: int, /, **variables) -> str:
    variables.setdefault("num", num)  # rare and with many numbers: not remembered
    return newstyle_format(context, get_translations().ungettext(singular, plural, num), variables)


@pass_context
def _pgettext(context, string_context: str, string: str, /, **variables) -> str:
    variables.setdefault("context", string_context)
    text = _remembered(("p", string_context, string), lambda t: t.upgettext(string_context, string))
    return newstyle_format(context, text, variables)


@pass_context
def _npgettext(context, string_context, singular, plural, num, /, **variables) -> str:
    variables.setdefault("context", string_context)
    variables.setdefault("num", num)
    text = get_translations().unpgettext(string_context, singular, plural, num)
    return newstyle_format(context, text, variables)


def install_template_gettext(app: Flask) -> None:
    """Replace Flask-Babel's template gettext by the remembering one (after `babel.init_app`)."""
    app.jinja_env.globals.update(
        _=_gettext, gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext,
        npgettext=_npgettext,
    )  # fmt: skip
