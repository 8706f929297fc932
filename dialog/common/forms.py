"""The base form and form fields shared by several domains."""

from __future__ import annotations

from functools import lru_cache

from babel import support
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.widgets import CheckboxInput, ListWidget


@lru_cache(maxsize=8)
def _wtforms_translations(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class DialogForm(FlaskForm):
    """Base of every form: WTForms' own messages in the page's language.

    Flask-WTF reads WTForms' catalogue from disk on every request; here it is read once per
    language and process.
    """

    class Meta:
        def get_translations(self, form):
            return _wtforms_translations(str(get_locale()))


def choices_with_none(mapping, none_label) -> list[SelectChoice]:
    """Select choices: first an empty one ("alle", "keine Angabe" …), then {value: label}.

    Enum keys stand for their value.
    """
    return [SelectChoice("", none_label)] + [
        SelectChoice(getattr(key, "value", key), label) for key, label in mapping.items()
    ]


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes; templates render it as a fieldset with a legend."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# Date inputs: the ISO form that <input type="date"> sends (and is rendered with, so it must
# come first), and the German form for browsers that show a plain text field.
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
