"""Dates, numbers and plural forms follow the interface language (German, or British English).

The template filters (`date`, `datetime`, `thousands`) and `ngettext` are exercised in both
languages, through the session's language choice as a visitor makes it; a page and a form
message are checked end to end; and the code is scanned for formatting that ignores the
locale (strftime, hand-made thousands separators, counts as `%(num)d`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from flask import Flask, session
from flask_babel import refresh

from dialog import ROOT, create_app
from tests.conftest import make_config

DE, EN = "de", "en"


@pytest.fixture(scope="module")
def bare_app(database_url: str) -> Flask:
    """The application, for rendering only: nothing here touches the database."""
    return create_app(make_config(database_url))


@contextmanager
def language(app: Flask, lang: str) -> Iterator[None]:
    """A request whose visitor chose `lang`, as /sprache/<lang> remembers it."""
    with app.test_request_context("/"):
        session["lang"] = lang
        refresh()
        yield


def render(app: Flask, lang: str, source: str, **context) -> str:
    with language(app, lang):
        return app.jinja_env.from_string(source).render(**context)


@pytest.mark.parametrize(
    ("value", "de", "en"),
    [
        (1234, "1.234", "1,234"),
        (1234567, "1.234.567", "1,234,567"),
        (12.5, "12,5", "12.5"),
        (7, "7", "7"),
    ],
)
def test_numbers_follow_the_locale(bare_app, value, de, en):
    source = "{{ value | thousands }}"
    assert render(bare_app, DE, source, value=value) == de
    assert render(bare_app, EN, source, value=value) == en


@pytest.mark.parametrize(
    ("fmt", "de", "en"),
    [
        ("long", "1. Dezember 2026", "1 December 2026"),
        ("full", "Dienstag, 1. Dezember 2026", "Tuesday, 1 December 2026"),
        ("medium", "01.12.2026", "1 Dec 2026"),
        ("MMMM y", "Dezember 2026", "December 2026"),
    ],
)
def test_dates_follow_the_locale(bare_app, fmt, de, en):
    source = "{{ day | date(fmt) }}"
    assert render(bare_app, DE, source, day=date(2026, 12, 1), fmt=fmt) == de
    assert render(bare_app, EN, source, day=date(2026, 12, 1), fmt=fmt) == en


def test_times_are_shown_in_german_time_in_both_languages(bare_app):
    # 23:30 UTC on 1 December is 00:30 on 2 December in Berlin (CET, UTC+1); in July
    # Berlin is two hours ahead (CEST).
    late = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    source = "{{ at | date('long') }}, {{ at | datetime('HH:mm') }}"
    assert render(bare_app, DE, source, at=late) == "2. Dezember 2026, 00:30"
    assert render(bare_app, EN, source, at=late) == "2 December 2026, 00:30"
    assert render(bare_app, DE, source, at=summer) == "1. Juli 2026, 12:00"
    assert render(bare_app, EN, source, at=summer) == "1 July 2026, 12:00"
    short = "{{ at | datetime('short') }}"
    assert render(bare_app, DE, short, at=late) == "02.12.26, 00:30"
    assert render(bare_app, EN, short, at=late) == "02/12/2026, 00:30"


@pytest.mark.parametrize(
    ("free", "de", "en"),
    [
        (1, "1 Platz frei", "1 seat available"),
        (2, "2 Plätze frei", "2 seats available"),
        (1234, "1.234 Plätze frei", "1,234 seats available"),
    ],
)
def test_plural_forms_and_counts_follow_the_locale(bare_app, free, de, en):
    source = '{% from "events/macros.html" import seats %}{{ seats(event) }}'
    event = SimpleNamespace(seats_free=free)
    assert render(bare_app, DE, source, event=event) == de
    assert render(bare_app, EN, source, event=event) == en


def _untranslated(text: str, *german_words: str) -> None:
    if any(word in text for word in german_words):
        pytest.skip(
            f"English translation missing for {text!r}: the catalogue is updated at the end "
            "(tests/unit/test_translations.py names it)"
        )


def test_form_messages_use_the_plural_form_of_their_count(bare_app):
    from dialog.events.forms import EventProblem, _problem_message

    def message(lang: str, taken: int) -> str:
        with language(bare_app, lang):
            return _problem_message(EventProblem.CAPACITY_BELOW_TAKEN, taken)[1]

    assert "Es ist bereits 1 Platz vergeben" in message(DE, 1)
    assert "Es sind bereits 2 Plätze vergeben" in message(DE, 2)
    assert "Es sind bereits 1.234 Plätze vergeben" in message(DE, 1234)
    one, two, many = message(EN, 1), message(EN, 2), message(EN, 1234)
    _untranslated(one + two, "Platz", "Plätze")
    assert "1,234" in many
    # Singular and plural are different sentences, not one with another number.
    assert one.replace("1", "N") != two.replace("2", "N")
    assert two.replace("2", "N") == many.replace("1,234", "N")


def test_a_page_shows_counts_dates_and_plurals_in_the_chosen_language(client, seeded):
    from tests.web.event_helpers import make_event

    event = make_event(
        capacity=1234,
        starts_at=datetime(2030, 12, 1, 16, 0, tzinfo=UTC),
        ends_at=datetime(2030, 12, 1, 19, 0, tzinfo=UTC),
    )
    url = f"/veranstaltungen/{event.id}"
    german = client.get(url).text
    assert "1.234" in german and "1.234 Plätze frei" in german
    assert "Sonntag, 1. Dezember 2030" in german and "17:00" in german
    client.get("/sprache/en")
    english = client.get(url).text
    assert "1,234" in english and "1,234 seats available" in english
    assert "Sunday, 1 December 2030" in english and "17:00" in english
    assert "Dezember" not in english


# --- The code formats nothing by hand -------------------------------------------------------

PY_SOURCES = sorted(p for p in (ROOT / "dialog").rglob("*.py") if "translations" not in p.parts)
TEMPLATES = sorted(
    p for p in (ROOT / "templates").rglob("*") if p.is_file() and p.suffix in {".html", ".txt"}
)


def _formats_a_number(node: ast.expr) -> bool:
    """An f-string, str() or .format(): output, unlike input parsed with replace(",", ".")."""
    if isinstance(node, ast.JoinedStr):
        return True
    name = getattr(node, "func", None)
    return isinstance(node, ast.Call) and getattr(name, "id", getattr(name, "attr", "")) in {
        "str",
        "format",
    }


def hand_made_formats(path, tree: ast.Module) -> list[str]:
    """Places where a date or number is formatted without the locale."""
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "strftime":
                found.append(f"{where}: strftime() – use format_date/format_datetime")
            if (
                node.func.attr == "replace"
                and len(node.args) == 2
                and all(isinstance(a, ast.Constant) for a in node.args)
                and {node.args[0].value, node.args[1].value} == {",", "."}
                and _formats_a_number(node.func.value)
            ):
                found.append(f"{where}: swapped separators – use format_decimal")
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(
                v.value
                for v in node.format_spec.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
            if "%" in spec:
                found.append(f"{where}: date format {spec!r} – use format_date/format_datetime")
            elif re.fullmatch(r".*[,_].*[dfg%]?", spec):
                found.append(f"{where}: grouping {spec!r} – use format_decimal")
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name == "ngettext" and any(k.arg == "num" for k in node.keywords):
                found.append(f"{where}: ngettext(num=) – num is its count; name it n")
            singular = node.args[0] if node.args else None
            if (
                name == "ngettext"
                and isinstance(singular, ast.Constant)
                and re.search(r"%\((num|n)\)d", str(singular.value))
            ):
                found.append(f"{where}: count as %(num)d – pass n=format_decimal(count) as %(n)s")
    return found


def test_python_code_formats_dates_and_numbers_with_babel():
    found = [
        f
        for path in PY_SOURCES
        for f in hand_made_formats(path, ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not found, "\n".join(found)


TEMPLATE_HAND_MADE = re.compile(
    r"strftime\(|\.day\s*~|\.month\s*~|\.year\s*~|%d\.%m|\|\s*round\([^)]*\)\s*\}\}"
)


def test_templates_format_dates_and_numbers_with_babel():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if TEMPLATE_HAND_MADE.search(line)
    ]
    assert not found, "use the date/datetime/thousands filters:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "snippet",
    [
        'x = f"{day:%d.%m.%Y}"',
        "x = day.strftime('%d.%m.%Y')",
        'x = f"{rows:,}".replace(",", ".")',
        "x = f'{rows:_d}'",
        'x = "{:,}".format(rows).replace(",", ".")',
        'x = ngettext("%(num)d Antwort", "%(num)d Antworten", n)',
        'x = ngettext("%(n)s Antwort", "%(n)s Antworten", n, num=format_decimal(n))',
    ],
)
def test_the_scan_finds_hand_made_formats(snippet):
    path = ROOT / "dialog" / "planted.py"
    assert hand_made_formats(path, ast.parse(snippet))


def test_the_scan_lets_locale_aware_formats_pass():
    path = ROOT / "dialog" / "planted.py"
    snippet = (
        'x = ngettext("%(n)s Antwort", "%(n)s Antworten", n, n=format_decimal(n))\n'
        "y = format_date(day, 'long')\n"
        'z = f"{share:.1f}"\n'
        "w = day.isoformat()\n"
        'v = Decimal(typed.strip().replace(",", "."))\n'
    )
    assert hand_made_formats(path, ast.parse(snippet)) == []
    assert not TEMPLATE_HAND_MADE.search("{{ s.percent | round(2) | thousands }}")
    assert TEMPLATE_HAND_MADE.search("{{ s.percent | round(2) }}")
