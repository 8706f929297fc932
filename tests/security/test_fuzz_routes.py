"""Property-based fuzzing of every route (issue 7, hostile input).

Every rule of `app.url_map` is fuzzed as an anonymous visitor: its URL parameters filled with
the ids, slugs, tokens and codes of real rows and with arbitrary values, arbitrary query
strings and headers, and for forms arbitrary values in every field the page offers (plus a
valid CSRF token, so that the request gets past CSRFProtect into the view). No response may be
a 5xx (with TESTING, an unhandled exception fails the example with its traceback), and no HTML
response may contain markup that came from the input: event handler attributes, inline
scripts, `javascript:` URLs, embedded documents or the marker attribute of the payloads.

The rules are read from the URL map, not listed by hand: a new route is fuzzed without a change
here. Only `static` is left out: it serves files from disk through Werkzeug's `send_from_directory`
(no code of ours, no database), and fuzzing it would read files, not test the app.

Hypothesis runs derandomized with no example database, so CI sees the same examples every run;
`DIALOG_FUZZ_EXAMPLES=500 DIALOG_FUZZ_RANDOM=1 pytest tests/security` fuzzes deeper and anew.
"""

from __future__ import annotations

import html as html_module
import itertools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import lxml.html
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from dialog import create_app
from dialog.accounts.services import create_user
from dialog.common import pagecache
from dialog.common.permissions import Role
from dialog.extensions import db, limiter
from tests.conftest import (
    PASSWORD,
    IsolatedClient,
    csrf_token,
    empty_tables,
    make_config,
    post_form,
)
from tests.security.site import (
    EXCLUDED_ENDPOINTS,
    RULES,
    Site,
    make_rows,
    real_paths,
)

EXAMPLES = int(os.environ.get("DIALOG_FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("DIALOG_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
STAFF_EMAIL = "fuzz-staff@example.org"

# Injected markup carries data-fz or calls __fz(): if either reaches the DOM, it is ours.
MARKUP = [
    '<b data-fz="1">fett</b>',
    '<script data-fz="1">__fz(1)</script>',
    '<img data-fz="1" src=x onerror="__fz(2)">',
    '"><svg data-fz="1" onload="__fz(3)">',
    '\'><iframe data-fz="1" srcdoc="<script>__fz(4)</script>"></iframe>',
    '<a data-fz="1" href="javascript:__fz(5)">klick</a>',
    "javascript:__fz(6)",
    '<math data-fz="1"><mtext><img src=x onerror="__fz(7)"></mtext></math>',
    "<!--<img data-fz=1 src=x onerror=__fz(8)>-->",
    "&lt;b data-fz=1&gt;",
    '<div data-fz="1" style="width:expression(__fz(9))">',
    "[x](javascript:__fz(10))",
]
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "\x00",
    "a\x00b",
    "%00",
    "%",
    "%(name)s",
    "{{7*7}}",
    "${7*7}",
    "{% raw %}",
    "' OR '1'='1",
    '"',
    "\\",
    "../../etc/passwd",
    "\u202eevil",
    "\ufeff",
    "\r\n",
    "2026-02-30",
    "9999-12-31T23:59",
    "0001-01-01",
    "a@b",
    "erika@example.org",
    "x" * 3000,
    "Ä" * 600,
    "de",
    "en",
    "y",
    "on",
    *MARKUP,
]
_text = st.text(max_size=30)
FUZZ_TEXT = st.one_of(
    _text,
    st.sampled_from(NASTY),
    st.lists(st.one_of(st.text(max_size=8), st.sampled_from(NASTY)), max_size=4).map("".join),
)
# Header values travel as latin-1 without line breaks; anything else never reaches the app.
HEADER_VALUE = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=40
) | st.sampled_from(["de", "en-US,en;q=0.9", "*", "xx-YY;q=abc", "bytes=0-1", "0", "-1"])
HEADER_NAMES = [
    "Accept-Language",
    "Accept",
    "User-Agent",
    "Referer",
    "X-Forwarded-For",
    "X-Forwarded-Proto",
    "If-Modified-Since",
    "If-None-Match",
    "Range",
    "Origin",
    "Content-Type",
    "Cookie",
]
HEADERS = st.just({}) | st.dictionaries(
    st.sampled_from(HEADER_NAMES)
    | st.from_regex(r"\AX-[A-Za-z][A-Za-z0-9-]{0,15}\Z", fullmatch=True),
    HEADER_VALUE,
    max_size=3,
)


# --- the site: real rows whose ids, slugs, tokens and codes fill URL parameters -----------------


@pytest.fixture(scope="module")
def site(_schema, database_url: str) -> Iterator[Site]:
    """The demo content plus rows of every kind, on one app for the whole module.

    Rate limits are off: a 429 would end the fuzzing of a form before its view runs.
    """
    from dialog.seed import seed

    app = create_app(make_config(database_url, RATELIMIT_ENABLED=False))
    app.test_client_class = IsolatedClient
    with app.app_context():
        limiter.reset()
        pagecache.store.clear()
        seed(dates="demo")
        staff = create_user(None, STAFF_EMAIL, PASSWORD, set(Role))
        db.session.commit()
        site = Site(app, make_rows(app.test_client(), staff))
        site.refresh_ids()
        yield site
        db.session.rollback()
        db.session.remove()
        empty_tables(db.engine)
        db.engine.dispose()


# --- the rules, read from the URL map ----------------------------------------------------------


def _methods(rule: Rule) -> list[str]:
    return sorted(rule.methods - {"OPTIONS"})


def _live_paths(site: Site, rule: Rule, client: FlaskClient) -> tuple[list[str], list[str]]:
    """The real URLs of `rule` that lead to something (all of them if none does, or if the
    rule takes no GET), and the field and query names their pages use."""
    paths = real_paths(site, rule)
    if "GET" not in rule.methods:
        return paths, []
    live, keys = [], set()
    for path in paths:
        response = client.get(path)
        if response.status_code == 404:
            continue
        live.append(path)
        if response.mimetype == "text/html" and response.get_data().strip():
            html = response.get_data(as_text=True)
            keys.update(page_fields(html))
            keys.update(
                k
                for link in _QUERY_LINK.findall(html)
                for k, _v in parse_qsl(html_module.unescape(link))
            )
    return live or paths, sorted(keys)


_QUERY_LINK = re.compile(r'href="[^"?]*\?([^"]+)"')


@st.composite
def _url(draw, rule: Rule, site: Site, live: list[str]) -> str:
    if live and draw(st.integers(0, 3)) > 0:  # real rows lead past the 404 into the views
        return draw(st.sampled_from(live))
    values = {}
    for name, converter in rule._converters.items():
        real = site.real_values(name, converter)
        if isinstance(converter, AnyConverter):
            values[name] = draw(st.sampled_from(real))
        elif isinstance(converter, IntegerConverter):
            values[name] = draw(
                st.sampled_from(real) | st.integers(0, 2**40) if real else st.integers(0, 2**40)
            )
        else:
            arbitrary = FUZZ_TEXT.filter(lambda s: s.strip("/") != "" and "/" not in s)
            values[name] = draw(st.sampled_from(real) | arbitrary if real else arbitrary)
    built = rule.build(values, append_unknown=False)
    assert built is not None, f"{rule.rule} could not be built from {values!r}"
    return built[1]


# --- forms on a page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # input type, "select" or "textarea"; "honeypot" for a field hidden from people
    values: tuple[str, ...]  # its value (hidden, checkbox, radio) or the options of a select

    @property
    def free_text(self) -> bool:
        return self.kind in ("text", "textarea", "search", "tel", "url")


def form_fields(html: str, path: str) -> list[Field]:
    """The fields of the POST forms on a page that send to `path` (all POST forms if none)."""
    doc = lxml.html.document_fromstring(html)
    forms = [f for f in doc.forms if (f.method or "GET").upper() == "POST"]
    own = [f for f in forms if urlsplit(f.get("action") or path).path == path]
    fields: dict[str, Field] = {}
    for form in own or forms:
        for element in form.inputs:
            name = element.get("name")
            if not name:
                continue
            if element.tag == "select":
                kind = "select"
                values = tuple(o.get("value", o.text_content()) for o in element.iter("option"))
            elif element.tag == "textarea":
                kind, values = "textarea", ()
            else:
                kind = (element.get("type") or "text").lower()
                values = (element.get("value") or ("y" if kind == "checkbox" else ""),)
                if kind == "text" and element.get("tabindex") == "-1":
                    kind = "honeypot"  # out of the tab order, labelled "leave empty"
            known = fields.get(name)
            fields[name] = Field(name, kind, (known.values if known else ()) + values)
    return list(fields.values())


def page_fields(html: str) -> list[str]:
    """Every field name on a page, of GET forms too: candidate query string keys."""
    doc = lxml.html.document_fromstring(html)
    return sorted({e.get("name") for f in doc.forms for e in f.inputs if e.get("name")})


# A form is fuzzed from slots drawn before the page is read (so that Hypothesis can replay an
# example whatever the page holds): slot i fills field i. Its mode: 0 leaves the field out,
# 1-3 send a valid value of the field's kind, 4 arbitrary text, 5 arbitrary text twice.
SLOTS = 16
SLOT = st.tuples(st.integers(0, 5), FUZZ_TEXT, st.integers(0, 10**6))
EXTRA = st.tuples(st.integers(0, 10**6), _text, FUZZ_TEXT)


def _valid(field: Field, text: str, number: int) -> str:
    if field.kind == "honeypot":
        return ""
    if field.values and field.kind in ("hidden", "checkbox", "radio", "select", "submit"):
        return field.values[number % len(field.values)]
    if field.kind == "email":
        return f"fuzz{number}@example.org"
    if field.kind == "date":
        return (date(2026, 1, 1) + timedelta(days=number % 900)).isoformat()
    if field.kind == "datetime-local":
        return (datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=number % 20_000)).strftime(
            "%Y-%m-%dT%H:%M"
        )
    if field.kind == "number":
        return str(number % 2000 - 1000)
    return text


def fuzzed_form(fields: list[Field], slots, extras, keys: list[str]) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for f, (mode, text, number) in zip(fields, itertools.cycle(slots), strict=False):
        if f.name == "csrf_token" and f.values:
            items.append((f.name, f.values[0]))  # otherwise every example ends at CSRFProtect
        elif mode in (1, 2, 3):
            items.append((f.name, _valid(f, text, number)))
        elif mode >= 4:
            items.extend([(f.name, text)] * (mode - 3))
    return items + _pairs(extras, keys)


def _pairs(extras, keys: list[str]) -> list[tuple[str, str]]:
    """Extra parameters: known field names half of the time, arbitrary ones otherwise."""
    return [
        (keys[number % len(keys)] if keys and number % 2 else key, value)
        for number, key, value in extras
    ]


def valid_form(fields: list[Field], text: str, email: str) -> list[tuple[str, str]]:
    """The form as a person fills it in: `text` in every free-text field, boxes ticked, the
    first real option chosen, the honeypot left empty."""
    items = []
    for f in fields:
        if f.kind == "honeypot":
            items.append((f.name, ""))
        elif f.free_text:
            items.append((f.name, text))
        elif f.kind == "email":
            items.append((f.name, email))
        elif f.kind == "select":
            items.append((f.name, next((v for v in f.values if v), "")))
        elif f.kind in ("hidden", "checkbox", "radio") and f.values:
            items.append((f.name, f.values[0]))
        elif f.kind == "number":
            items.append((f.name, "1"))
    return items


# --- what no response may contain ---------------------------------------------------------------

EMBEDDING = {"iframe", "frame", "frameset", "object", "embed", "svg", "math", "base", "img"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
_SCHEME_NOISE = re.compile(r"[\x00-\x20]+")


def injected_markup(html: str) -> list[str]:
    """Elements and attributes in `html` that no template of ours produces, so came from input."""
    doc = lxml.html.document_fromstring(html)
    found = []
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions are not rendered
        tag = element.tag.lower()
        if tag in EMBEDDING:
            found.append(f"<{tag}>")
        if tag == "script" and (element.text or "").strip():
            found.append("inline <script>")
        if tag == "script" and not (element.get("src") or "").startswith("/static/"):
            found.append(f"<script src={element.get('src')!r}>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on") or name in ("data-fz", "srcdoc"):
                found.append(f"<{tag} {name}={value!r}>")
            scheme = _SCHEME_NOISE.sub("", value).lower()
            if name in URL_ATTRIBUTES and scheme.startswith(("javascript:", "vbscript:", "data:")):
                found.append(f"<{tag} {name}={value!r}>")
            if name == "style" and "expression(" in value.lower():
                found.append(f"<{tag} style={value!r}>")
    return found


def check(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    if response.mimetype == "text/html" and response.status_code != 304:
        body = response.get_data(as_text=True)
        if body.strip():
            problems = injected_markup(body)
            assert not problems, f"{what}: markup from the input in the page: {problems}"


# --- the properties ----------------------------------------------------------------------------


def _fuzz_rule(site: Site, rule: Rule) -> None:
    client = site.app.test_client()
    # The session's CSRF token, for routes that take POST only (their form is elsewhere).
    token = Field("csrf_token", "hidden", (csrf_token(client, "/anmelden"),))
    live, keys = _live_paths(site, rule, client)
    methods = _methods(rule)
    # Forms are where input reaches the database: POST, where allowed, half of the time.
    method_strategy = st.sampled_from(methods) | (
        st.just("POST") if "POST" in methods else st.nothing()
    )

    @FUZZ
    @given(
        path=_url(rule, site, live),
        method=method_strategy,
        query=st.lists(EXTRA, max_size=3),
        headers=HEADERS,
        slots=st.lists(SLOT, min_size=SLOTS, max_size=SLOTS),
        extras=st.lists(EXTRA, max_size=2),
    )
    def fuzz(path, method, query, headers, slots, extras) -> None:
        body = None
        if method == "POST":
            fields = [token]
            if "GET" in methods:
                page = client.get(path)
                check(page, f"GET {path}")
                html = page.get_data(as_text=True)
                if page.mimetype == "text/html" and html.strip():
                    fields = form_fields(html, path) or fields
            body = MultiDict(fuzzed_form(fields, slots, extras, keys))
        response = client.open(
            path, method=method, query_string=_pairs(query, keys), headers=headers, data=body
        )
        check(response, f"{method} {path}")
        if response.status_code in (301, 302, 303) and method == "POST":
            target = response.headers["Location"]
            check(client.get(target), f"GET {target} after {method} {path}")

    fuzz()


def _rule_id(rule: Rule) -> str:
    return f"{','.join(_methods(rule))} {rule.rule}"


@pytest.mark.parametrize("rule", RULES, ids=_rule_id)
def test_no_server_error_and_no_markup_from_input(site: Site, rule: Rule) -> None:
    """Anonymous visitors with arbitrary URLs, query strings, headers and form data."""
    _fuzz_rule(site, rule)


def test_every_route_but_the_excluded_is_fuzzed() -> None:
    """The fuzzing follows the URL map: every endpoint but the justified exclusions."""
    app = create_app(make_config("sqlite://"))
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert {r.endpoint for r in RULES} == endpoints - EXCLUDED_ENDPOINTS
    assert endpoints >= EXCLUDED_ENDPOINTS, "an excluded endpoint no longer exists"


def test_the_markup_check_finds_injected_markup() -> None:
    """The detector itself: our payloads are found when rendered raw, not when escaped."""
    from markupsafe import escape

    for payload in MARKUP[:6]:
        raw = f"<html><body><p>{payload}</p></body></html>"
        assert injected_markup(raw), payload
        assert not injected_markup(f"<html><body><p>{escape(payload)}</p></body></html>")


# --- stored text: sent through every public form, then shown on every page -------------------

STORE = settings(FUZZ, max_examples=max(3, EXAMPLES // 3))
# Payloads as typed: markup around a marker that says which example stored it.
PAYLOAD = st.lists(st.sampled_from(MARKUP) | st.text(max_size=12), min_size=1, max_size=4).map(
    " ".join
)


def _public_forms(site: Site, client: FlaskClient) -> list[str]:
    """Every page an anonymous visitor can open (real ids, slugs, tokens) that has a form with
    free text sending to itself."""
    paths = []
    for rule in RULES:
        if not {"GET", "POST"} <= rule.methods:
            continue
        for path in real_paths(site, rule):
            response = client.get(path)
            if response.status_code == 200 and response.mimetype == "text/html":
                fields = form_fields(response.get_data(as_text=True), path)
                if any(f.free_text for f in fields):
                    paths.append(path)
    return paths


def _login(client: FlaskClient) -> None:
    response = post_form(client, "/anmelden", {"email": STAFF_EMAIL, "password": PASSWORD})
    assert response.status_code == 302, "the staff login failed"


def _crawl(site: Site, client: FlaskClient, rules: list[Rule], markers: set[str]) -> set[str]:
    """GET every rule with real values; checks each page and returns the markers shown as text."""
    shown: set[str] = set()
    for rule in rules:
        for path in real_paths(site, rule, per_variable=3, limit=6):
            response = client.get(path)
            check(response, f"GET {path}")
            if response.mimetype == "text/html" and response.status_code == 200:
                text = lxml.html.document_fromstring(response.get_data(as_text=True)).text_content()
                shown.update(m for m in markers if m in text)
    return shown


def _normalised(text: str) -> str:
    return "".join(text.split())  # line breaks are <br>, which adds no text


def test_text_from_every_public_form_is_shown_as_text(site: Site) -> None:
    """Payloads sent through every public form with free text (answers, reports, registrations,
    applications, invitations …) come back escaped on every public and staff page."""
    from dialog.accounts.models import User
    from dialog.answers import services as answer_services
    from dialog.answers.models import Answer
    from dialog.answers.rules import AnswerStatus

    visitor = site.app.test_client()
    forms = _public_forms(site, visitor)
    assert any(p.startswith("/dialog/") for p in forms), f"no answer form among {forms}"
    markers: set[str] = set()
    counter = iter(range(1, 10_000))

    @STORE
    @given(payload=PAYLOAD)
    def store(payload: str) -> None:
        marker = f"fzmark{next(counter)}x"
        markers.add(marker)
        for i, path in enumerate(forms):
            page = visitor.get(path)
            if page.status_code != 200:
                continue  # a single-use link used up by an earlier example
            fields = form_fields(page.get_data(as_text=True), path)
            data = valid_form(fields, f"{marker} {payload}", f"{marker}-{i}@example.org")
            response = visitor.post(path, data=MultiDict(data), follow_redirects=True)
            check(response, f"POST {path}")
            for earlier in response.history:
                check(earlier, f"POST {path} (redirect)")

    store()

    with site.app.app_context():
        staff = db.session.scalar(sa.select(User).where(User.email == STAFF_EMAIL))
        waiting = db.session.scalars(sa.select(Answer).where(Answer.status == AnswerStatus.PENDING))
        answer_services.accept(staff, list(waiting))
        db.session.commit()
        published = list(
            db.session.scalars(sa.select(Answer).where(Answer.status == AnswerStatus.PUBLISHED))
        )
        site.refresh_ids()
        site.values["answer_id"] = [a.id for a in published]
        stored = [(a.id, a.public_text) for a in published if "fzmark" in a.public_text]
    assert stored, "no payload answer was stored"
    for answer_id, text in stored:
        page = visitor.get(f"/antworten/{answer_id}")
        check(page, f"GET /antworten/{answer_id}")
        shown = lxml.html.document_fromstring(page.get_data(as_text=True)).text_content()
        assert _normalised(text) in _normalised(shown), f"answer {answer_id} not shown as typed"

    public = [r for r in RULES if "GET" in r.methods and not r.rule.startswith("/staff")]
    assert _crawl(site, visitor, public, markers), "no payload shown on any public page"
    staff_client = site.app.test_client()
    _login(staff_client)
    staff_rules = [r for r in RULES if "GET" in r.methods and r.rule.startswith("/staff")]
    assert _crawl(site, staff_client, staff_rules, markers), "no payload on any staff page"
