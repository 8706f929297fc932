"""Jinja filters and globals shared by every template."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from markupsafe import Markup, escape

from dialog.answers import labels as answer_labels
from dialog.common.i18n import language_name
from dialog.common.permissions import Role
from dialog.common.sanitize import rich_text
from dialog.events import labels as event_labels
from dialog.quality import labels as quality_labels
from dialog.staff import audit_labels

LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}


def install_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["rich"] = rich_text
    app.jinja_env.filters["date"] = lambda value, fmt="long": format_date(value, fmt)
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt)
    app.jinja_env.filters["thousands"] = format_decimal
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["labels"] = answer_labels.ALL
    app.jinja_env.globals["event_labels"] = event_labels
    app.jinja_env.globals["quality_labels"] = quality_labels.ALL
    app.jinja_env.globals["audit_action"] = audit_labels.action_label
    app.jinja_env.globals["audit_field"] = audit_labels.field_label
    app.jinja_env.globals["audit_value"] = audit_labels.value_text

    @app.context_processor
    def _site_globals() -> dict:
        from dialog.pages.services import footer_pages

        return site_values(footer_pages())


def site_values(footer_pages: list) -> dict:
    """What base.html needs beside a page's own values; the footer pages read by the caller."""
    locale = get_locale().language
    return {
        "current_lang": locale,
        "other_languages": [
            (code, LANGUAGE_NAMES[code])
            for code in current_app.config["LANGUAGES"]
            if code != locale
        ],
        "footer_pages": footer_pages,
        "current_path": request.full_path.rstrip("?") if request else "/",
    }


def paragraphs(text: str) -> Markup:
    """Plain text as escaped HTML paragraphs: blank lines separate them, newlines break lines."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in b.split("\n")))
        for b in blocks
    )
