"""The XSS corpus (tests/security/xss_payloads.txt) through every text input, viewed in Chromium.

Every form on every page that visitors and staff can open (the URL map, filled with real ids) is
sent with the payloads in each of its free-text fields, as a browser sends it: hidden values and
choices as rendered, consent ticked, the honeypot empty, slugs, addresses and dates made valid,
and a field the app refuses reset and the form sent again. Many payloads go into one field where
its length allows; the forms that create something are sent as often as it takes to store every
payload in each of their fields. Each batch starts with its own marker, so the pages that show a
batch are found by crawling the URL map; then headless Chromium opens each of them, anonymously
for public pages and as a member of staff for both, with the Content-Security-Policy bypassed
(escaping has to hold without it). No script of the input may run: no dialog (alert, confirm,
prompt), no call of the window canary `__xss`, no console error or page error, and no element
or attribute from the input in the DOM (event handlers, javascript:/data: URLs, scripts,
embedded documents, SVG/MathML).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from dialog.accounts.services import create_user
from dialog.common.clock import today_local
from dialog.common.permissions import Role
from dialog.extensions import db, limiter
from tests.browser.conftest import _logged_in_context, new_context
from tests.conftest import PASSWORD, IsolatedClient, post_form
from tests.security.site import RULES, Site, make_rows, put_marked_first, real_paths

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).resolve().parents[1] / "security" / "xss_payloads.txt"
CHARACTERS = {
    "{NUL}": "\x00",
    "{RLO}": "\u202e",
    "{LRI}": "\u2066",
    "{PDI}": "\u2069",
    "{ZWSP}": "\u200b",
    "{BOM}": "\ufeff",
    "{TAB}": "\t",
    "{LF}": "\n",
    "{VT}": "\x0b",
}
STAFF_EMAIL = "xss-staff@example.org"
MARK = "xssmark"
MARKER = re.compile(MARK + r"(\d+)x")
# Forms not sent, and why. Every other form with a free-text field is.
NOT_SENT = {
    "accounts.login": "credentials: shown nowhere, and failed logins lock the account",
    "accounts.change_password": "passwords are never shown",
    "events.cancel_event": "cancels the event, whose pages show the other payloads; its note "
    "only goes into mails",
    "events.message_participants": "the message only goes into mails",
}
# Inputs that must have been filled and shown (the list of issue 7); the others are found too.
EXPECTED_INPUTS = {
    "answers.answer_theme answer_*",
    "answers.report_answer reason",
    "events.register name",
    "events.register organisation",
    "events.register support_needs",
    "events.apply company",
    "events.apply motivation",
    "events.accept_invitation name",
    "events.invite organisation",
    "moderation.moderate_answer redacted_text",
    "moderation.enter_offline event_note",
    "events.new_event title",
    "events.new_event description",
    "coding.codebook label",
    "coding.code_answer note",
    "staff.new_page body",
    "staff.new_theme_field title",
    "staff.new_theme_field description",
}
# Answer fields are named after their question's id, which depends on what ran before.
ANSWER_FIELD = re.compile(r"^answer_\d+$")
TEXTAREA_BATCH = 900  # characters per batch where a textarea sets no maxlength
TEXT_BATCH = 200  # the same for a text input


def load_payloads() -> list[tuple[str, str]]:
    """(kind, payload) for every line of the corpus, placeholders replaced."""
    payloads = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, payload = line.split("\t", 1)
        for placeholder, character in CHARACTERS.items():
            payload = payload.replace(placeholder, character)
        payloads.append((kind, payload))
    return payloads


PAYLOADS = load_payloads()


@dataclass
class Batches:
    """Payload batches, each with a marker that finds the pages showing it."""

    texts: dict[int, str] = field(default_factory=dict)  # marker -> the text sent
    payloads: dict[int, list[int]] = field(default_factory=dict)  # marker -> payload indices
    inputs: dict[int, str] = field(default_factory=dict)  # marker -> "endpoint field"
    accepted: set[int] = field(default_factory=set)  # markers of batches the app stored
    _plans: dict[tuple[int, str], list[list[int]]] = field(default_factory=dict)
    _next: itertools.count = field(default_factory=lambda: itertools.count(1))

    def plan(self, size: int, separator: str) -> list[list[int]]:
        """The payload indices in groups whose text fits `size` characters."""
        key = (size, separator)
        if key not in self._plans:
            groups: list[list[int]] = [[]]
            length = len(MARK) + 12
            for i, (_kind, payload) in enumerate(PAYLOADS):
                if len(payload) + length + len(separator) > size:
                    if not groups[-1]:
                        continue  # longer than the field: not for this field
                    groups.append([])
                    length = len(MARK) + 12
                    if len(payload) + length > size:
                        continue
                groups[-1].append(i)
                length += len(payload) + len(separator)
            self._plans[key] = [g for g in groups if g]
        return self._plans[key]

    def new(self, indices: list[int], separator: str, where: str) -> str:
        marker = next(self._next)
        text = separator.join([f"{MARK}{marker}x", *(PAYLOADS[i][1] for i in indices)])
        self.texts[marker], self.payloads[marker], self.inputs[marker] = text, indices, where
        return text


# --- filling in forms as a browser does --------------------------------------------------------


def _groups(form) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for element in form.inputs:
        if element.get("name"):
            groups[element.get("name")].append(element)
    return groups


def _kind(element) -> str:
    if element.tag != "input":
        return element.tag
    kind = (element.get("type") or "text").lower()
    if kind == "text" and element.get("tabindex") == "-1":
        return "honeypot"  # out of the tab order and labelled "leave empty"
    return kind


def free_text_fields(form) -> list[str]:
    return [
        name
        for name, elements in _groups(form).items()
        if _kind(elements[0]) in ("text", "textarea", "search")
        and "slug" not in name
        and name != "csrf_token"
    ]


def _batch_size(element) -> int:
    maxlength = element.get("maxlength")
    if maxlength and maxlength.isdigit():
        return int(maxlength)
    return TEXTAREA_BATCH if element.tag == "textarea" else TEXT_BATCH


def _later(name: str) -> bool:
    return any(word in name for word in ("end", "bis", "close", "_to", "expires"))


def fill(form, texts: dict[str, str], serial: int, invalid: set[str]) -> MultiDict:
    """The form's data with `texts` in its free-text fields; fields in `invalid` (refused by
    the app before) get their rendered value or a plain valid one instead."""
    today = today_local()
    data = MultiDict()
    for name, elements in _groups(form).items():
        first = elements[0]
        kind = _kind(first)
        value = first.value if kind not in ("checkbox", "radio", "select") else None
        required_before = first.get("required") is not None
        required = required_before or name in invalid
        if kind in ("submit", "button", "image", "reset", "file"):
            continue
        if kind == "hidden" or kind == "honeypot":
            data.add(name, "" if kind == "honeypot" else first.get("value", ""))
        elif kind in ("checkbox", "radio"):
            checked = [e.get("value", "on") for e in elements if e.checked]
            if not checked and ("consent" in name or name in invalid):
                checked = [first.get("value", "on")]
            for v in checked:
                data.add(name, v)
        elif kind == "select":
            options = [o.get("value", o.text_content()) for o in first.iter("option")]
            chosen = [
                o.get("value", o.text_content())
                for o in first.iter("option")
                if o.get("selected") is not None
            ]
            if not chosen and options:
                real = [o for o in options if o]
                # Several refused choices (two coders …) get different options.
                pick = real[len(data) % len(real)] if name in invalid and real else options[0]
                chosen = [pick]
            for v in chosen:
                data.add(name, v)
        elif kind == "email":
            data.add(name, value or f"xss{serial}-{name}@example.org")
        elif kind == "password":
            # Only where required (a new account): an edit form would change the password.
            data.add(name, f"{PASSWORD}-{serial}" if required else "")
        elif kind == "date" and (value or required):
            day = today + timedelta(days=40 if _later(name) else 30)
            data.add(name, value or day.isoformat())
        elif kind == "datetime-local" and (value or required):
            day = today + timedelta(days=30)
            data.add(name, value or f"{day.isoformat()}T{'12:00' if _later(name) else '10:00'}")
        elif kind == "number":
            data.add(name, value or "10")
        elif "slug" in name:
            data.add(name, value or f"xss-{serial}")
        elif name in texts and name not in invalid:
            data.add(name, texts[name])
        else:
            data.add(name, value or ("Text" if name in invalid and required_before else ""))
    buttons = [b for b in form.iter("button") if b.get("name")]
    if buttons:  # the first button, as Enter in the form would press it
        data.add(buttons[0].get("name"), buttons[0].get("value", ""))
    return data


def refused_fields(html: str) -> set[str]:
    doc = lxml.html.document_fromstring(html)
    names = {e.get("name") for e in doc.iter() if e.get("aria-invalid") == "true"}
    names |= {e.get("id") for e in doc.iter("fieldset") if "field--error" in e.get("class", "")}
    names |= {e.get("id", "").split("-error-")[0] for e in doc.find_class("field__error")}
    return {n for n in names if n}


# --- the site ----------------------------------------------------------------------------------


@dataclass
class Stored:
    site: Site
    batches: Batches
    sent: dict[str, int]  # endpoint -> forms accepted
    refused: dict[str, int]  # endpoint -> forms refused even after correcting fields


def _endpoint(app, path: str) -> str | None:
    try:
        return app.url_map.bind("localhost").match(path, method="POST")[0]
    except HTTPException:
        return None


def _send_forms(site: Site, client, batches: Batches, sent, refused, staff: bool) -> None:
    app = site.app
    rules = [r for r in RULES if "GET" in r.methods and r.rule.startswith("/staff") == staff]
    done: set[str] = set()
    for rule in rules:
        # Every event, answer … of the first few: forms differ by kind and state.
        for page_path in real_paths(site, rule, per_variable=8, limit=8):
            page = client.get(page_path)
            if page.status_code != 200 or page.mimetype != "text/html":
                continue
            doc = lxml.html.document_fromstring(page.get_data(as_text=True))
            for index, form in enumerate(doc.forms):
                action = urlsplit(form.get("action") or page_path).path
                endpoint = _endpoint(app, action)
                if (
                    (form.method or "GET").upper() != "POST"
                    or endpoint is None
                    or endpoint in NOT_SENT
                    or action in done
                    or not free_text_fields(form)
                ):
                    continue
                done.add(action)
                _send_form(app, client, page_path, index, action, endpoint, batches, sent, refused)


def _has_nonce(form) -> bool:
    return any(e.get("type") == "hidden" and e.get("name") != "csrf_token" for e in form.inputs)


def _send_form(app, client, page_path, index, action, endpoint, batches, sent, refused) -> None:
    """Send one form as often as its fields need to hold every payload (once for a form that
    changes one thing, e.g. an edit form), each time with fresh hidden values."""
    rule = next(app.url_map.iter_rules(endpoint))
    # A form that creates something takes every batch, the first time its endpoint is met;
    # forms that change one thing, or that were seen for another object, one batch.
    creates = endpoint not in sent and (
        not rule.arguments or rule.rule.endswith("/neu") or not rule.rule.startswith("/staff")
    )
    rounds = None
    serial = 0
    form = None
    while rounds is None or serial < rounds:
        if form is None or _has_nonce(form):  # a form sent once needs a fresh nonce
            forms = lxml.html.document_fromstring(client.get(page_path).get_data()).forms
            if index >= len(forms):
                return  # the form is gone (a single-use link used up)
            form = forms[index]
        groups = _groups(form)
        plans = {}
        for name in free_text_fields(form):
            element = groups[name][0]
            separator = "\n\n" if element.tag == "textarea" else " "
            plans[name] = (batches.plan(_batch_size(element), separator), separator)
        rounds = rounds or (max(len(p) for p, _s in plans.values()) if creates else 1)
        sent_texts = {
            name: (plan[serial % len(plan)], separator) for name, (plan, separator) in plans.items()
        }
        texts = {
            name: batches.new(
                indices, separator, f"{endpoint} {ANSWER_FIELD.sub('answer_*', name)}"
            )
            for name, (indices, separator) in sent_texts.items()
        }
        invalid: set[str] = set()
        for _attempt in range(3):
            data = fill(form, texts, serial + 1000 * len(batches.texts), invalid)
            response = client.post(action, data=data)
            assert response.status_code < 500, f"POST {action}: {response.status_code}"
            body = response.get_data(as_text=True)
            # Stored: redirected, or a page of its own without errors (an invitation's code is
            # shown once, on the page answering the form).
            if response.status_code in (302, 303) or (
                response.status_code == 200 and "error-summary" not in body
            ):
                sent[endpoint] += 1
                batches.accepted.update(
                    int(MARKER.match(text).group(1))
                    for name, text in texts.items()
                    if name not in invalid
                )
                break
            newly = refused_fields(body) - invalid
            if not newly or response.status_code not in (200, 400):
                refused[endpoint] += 1
                return  # refused as filled in here (or a single-use link used): no more rounds
            invalid |= newly  # sent again from the form as first rendered
        serial += 1


def _hearing_first(site: Site) -> None:
    """Staff forms meet the Stakeholder-Hearing first: only its pages list invitations."""
    from dialog.events.models import Event
    from dialog.events.rules import EventKind

    query = sa.select(Event.id).where(Event.kind == EventKind.STAKEHOLDER_HEARING)
    hearings = list(db.session.scalars(query))
    site.ids["event_id"] = hearings + [i for i in site.ids["event_id"] if i not in hearings]
    db.session.commit()


@pytest.fixture(scope="module")
def stored(live_server) -> Stored:
    """Every payload through every form, by an anonymous visitor and by staff with all roles."""
    from dialog.accounts.models import User
    from dialog.answers import services as answer_services
    from dialog.answers.models import Answer
    from dialog.answers.rules import AnswerStatus

    app = live_server.app
    with app.app_context():
        staff = create_user(None, STAFF_EMAIL, PASSWORD, set(Role))
        # A second analyst: double-coding samples need two.
        create_user(None, "xss-analyst@example.org", PASSWORD, {Role.ANALYST})
        db.session.commit()
        site = Site(app, make_rows(IsolatedClient(app), staff))
        site.refresh_ids()
    visitor = IsolatedClient(app)
    member = IsolatedClient(app)
    login = post_form(member, "/anmelden", {"email": STAFF_EMAIL, "password": PASSWORD})
    assert login.status_code == 302, "the staff login failed"
    batches = Batches()
    sent: dict[str, int] = defaultdict(int)
    refused: dict[str, int] = defaultdict(int)
    limiter.enabled = False  # report reasons and registrations come from one address here
    try:
        _send_forms(site, visitor, batches, sent, refused, staff=False)
        with app.app_context():
            site.refresh_ids()
            _hearing_first(site)
        _send_forms(site, member, batches, sent, refused, staff=True)
    finally:
        limiter.enabled = True
    with app.app_context():
        # What moderation did not publish through its form is published here, so that the
        # public pages show every answer.
        staff = db.session.scalar(sa.select(User).where(User.email == STAFF_EMAIL))
        pending = db.session.scalars(sa.select(Answer).where(Answer.status == AnswerStatus.PENDING))
        answer_services.accept(staff, list(pending))
        db.session.commit()
        site.refresh_ids()
        put_marked_first(site, MARK)
        _hearing_first(site)
        db.session.remove()
    return Stored(site, batches, dict(sent), dict(refused))


# --- viewing every page that shows a payload ---------------------------------------------------

CANARY = "window.__xss = (...args) => { (window.__xssCalls ||= []).push(args.join(' ')); };"
# Everything in the DOM that no template of ours produces: it can only come from the input.
DOM_CHECK = r"""() => {
  const found = [];
  const embedding = new Set(["iframe", "frame", "frameset", "object", "embed", "svg", "math",
    "base", "img", "video", "audio", "marquee", "style", "link", "meta", "noscript"]);
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data",
    "poster", "background", "srcdoc"]);
  for (const el of document.body.querySelectorAll("*")) {
    const tag = el.localName;
    if (embedding.has(tag)) found.push(`<${tag}>`);
    if (tag === "script" && (el.textContent.trim() || !el.src ||
        new URL(el.src).origin !== location.origin)) found.push(el.outerHTML.slice(0, 80));
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`<${tag} ${name}>`);
      if (urlAttributes.has(name) && /^(javascript|vbscript|data):/.test(value))
        found.push(`<${tag} ${name}=${attr.value.slice(0, 60)}>`);
      if (name === "style" && /expression|javascript:|behavior/.test(value))
        found.push(`<${tag} style=${attr.value.slice(0, 60)}>`);
    }
  }
  return found;
}"""


def _pages_showing(stored: Stored, client, with_staff: bool) -> dict[str, set[int]]:
    """The pages (URL map, real ids) whose HTML holds batch markers, with their markers."""
    pages = {}
    for rule in RULES:
        if "GET" not in rule.methods or (rule.rule.startswith("/staff") and not with_staff):
            continue
        for path in real_paths(stored.site, rule, per_variable=3, limit=3):
            response = client.get(path)
            assert response.status_code < 500, f"GET {path}: {response.status_code}"
            if response.status_code == 200 and response.mimetype == "text/html":
                markers = {int(m) for m in MARKER.findall(response.get_data(as_text=True))}
                if markers:
                    pages[path] = markers
    return pages


class Watcher:
    """One tab that notes every dialog, page error, console error and canary call, and after
    each page load everything in the DOM that came from the input."""

    def __init__(self, context, problems: list[str]) -> None:
        context.add_init_script(CANARY)
        self.page = context.new_page()
        self.problems = problems
        self.current = ""
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self._note(f"page error {e}"))
        self.page.on("console", lambda m: m.type == "error" and self._note(f"console {m.text}"))

    def _note(self, what: str) -> None:
        self.problems.append(f"{self.current}: {what}")

    def _dialog(self, dialog) -> None:
        self._note(f"{dialog.type}({dialog.message})")
        dialog.dismiss()

    def open(self, url: str) -> None:
        self.current = url
        self.page.goto(url)
        for found in self.page.evaluate(DOM_CHECK):
            self._note(found)
        for call in self.page.evaluate("window.__xssCalls || []"):
            self._note(f"__xss({call})")

    def close(self) -> None:
        self.page.close()


def _view(context, live_server, pages: dict[str, set[int]], problems: list[str]) -> int:
    """Open each page in one tab; returns how many were opened."""
    watcher = Watcher(context, problems)
    for path in sorted(pages):
        watcher.open(live_server.url(path))
    watcher.close()
    return len(pages)


def _serving(html: str):
    def handler(route) -> None:
        route.fulfill(body=html, content_type="text/html")

    return handler


def test_the_checks_see_payloads_that_run(browser) -> None:
    """The checks themselves: raw payloads served as a page are all reported."""
    raw = [
        "<img src=x onerror=alert(11)>",
        "<script>__xss(2)</script>",
        '<a href="javascript:alert(25)">Link</a>',
        "<svg onload=alert(42)>",
        '<div style="width: expression(alert(75))">x</div>',
    ]
    context = new_context(browser)
    try:
        for payload in raw:
            html = f"<!doctype html><title>t</title><p>{payload}</p>"
            context.route("http://xss.invalid/", _serving(html))
            problems: list[str] = []
            watcher = Watcher(context, problems)
            watcher.open("http://xss.invalid/")
            watcher.close()
            context.unroute("http://xss.invalid/")
            assert problems, f"not reported: {payload}"
    finally:
        context.close()


def test_no_payload_runs_on_any_page(browser, live_server, stored: Stored) -> None:
    app = live_server.app
    visitor = IsolatedClient(app)
    member = IsolatedClient(app)
    post_form(member, "/anmelden", {"email": STAFF_EMAIL, "password": PASSWORD})
    public_pages = _pages_showing(stored, visitor, with_staff=False)
    staff_pages = _pages_showing(stored, member, with_staff=True)
    problems: list[str] = []
    anonymous = new_context(browser, viewport={"width": 1280, "height": 900})
    try:
        opened = _view(anonymous, live_server, public_pages, problems)
    finally:
        anonymous.close()
    staff_context = _logged_in_context(browser, live_server, STAFF_EMAIL)
    try:
        opened += _view(staff_context, live_server, staff_pages, problems)
    finally:
        staff_context.close()

    batches = stored.batches
    shown = set().union(*public_pages.values(), *staff_pages.values()) & batches.accepted
    inputs = defaultdict(set)
    for marker in shown:
        inputs[batches.inputs[marker]].update(batches.payloads[marker])
    print(
        f"\nXSS corpus: {len(PAYLOADS)} payloads; forms accepted {sum(stored.sent.values())} "
        f"times ({len(stored.sent)} endpoints), refused {stored.refused}; "
        f"{len(inputs)} inputs shown on pages, {sum(len(v) for v in inputs.values())} "
        f"payload x input pairs; {opened} pages opened "
        f"({len(public_pages)} public anonymously, {len(staff_pages)} as staff); "
        f"accepted: {stored.sent}; inputs shown: {sorted(inputs)}"
    )
    assert not problems, "script from the input ran or reached the DOM:\n" + "\n".join(problems)
    assert len({i for v in inputs.values() for i in v}) == len(PAYLOADS), "payloads never shown"
    missing = EXPECTED_INPUTS - set(inputs)
    assert not missing, f"inputs whose payloads no page showed: {sorted(missing)}"
