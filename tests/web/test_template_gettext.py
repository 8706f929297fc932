"""Templates translate through dialog's remembering gettext (common/i18n.py) exactly as through
Jinja's newstyle gettext: per language, autoescaped, always %-formatted, also in force_locale."""

import pytest
from flask import session
from flask_babel import force_locale


def _render(app, source: str, lang: str | None = None, **context) -> str:
    # A context of its own, as every request has (Flask-Babel keeps the locale in `g`).
    with app.app_context(), app.test_request_context("/"):
        if lang:
            session["lang"] = lang
        return app.jinja_env.from_string(source).render(**context)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [(None, "Ihre Antworten"), ("de", "Ihre Antworten"), ("en", "Your answers")],
)
def test_each_language_gets_its_own_translation(app, lang, expected):
    # Rendered twice: the second time the remembered translation is used.
    for _ in range(2):
        assert _render(app, '{{ _("Ihre Antworten") }}', lang) == expected


def test_variables_are_escaped_and_percent_signs_formatted(app):
    source = '{{ _("Fortschritt: %(n)s %%", n=value) }}'
    assert _render(app, source, "en", value="<b>40</b>") == "Progress: &lt;b&gt;40&lt;/b&gt;%"
    assert _render(app, source, "de", value=40) == "Fortschritt: 40 %"
    # Without a placeholder the text stays as it is.
    assert _render(app, '{{ _("100 %% kostenlos") }}', "de") == "100 % kostenlos"


def test_plural_and_context_forms(app):
    source = '{{ ngettext("%(num)s Handlungsempfehlung", "%(num)s Handlungsempfehlungen", n) }}'
    assert _render(app, source, "de", n=1) == "1 Handlungsempfehlung"
    assert _render(app, source, "de", n=3) == "3 Handlungsempfehlungen"
    assert _render(app, source, "en", n=3) == "3 recommendations"
    assert _render(app, '{{ pgettext("ctx", "Ihre Antworten") }}', "de") == "Ihre Antworten"


def test_force_locale_switches_the_language_of_templates(app):
    template = app.jinja_env.from_string('{{ _("Ihre Antworten") }}')
    with app.app_context(), app.test_request_context("/"):
        session["lang"] = "de"
        assert template.render() == "Ihre Antworten"
        with force_locale("en"):
            assert template.render() == "Your answers"
        assert template.render() == "Ihre Antworten"
