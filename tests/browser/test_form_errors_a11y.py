"""Error states of every form people and staff send: accessible (axe-core, WCAG 2.1 A/AA) in
German and English, with an error summary that can take focus and leads to each wrong field.

Each form is sent with its fields emptied (or, where empty is fine, with a wrong value typed or
forged), exactly as a browser sends it. The page that comes back must show the error summary
(or, for the bulk moderation, an error notice), pass axe-core, and:

- the summary is focusable (tabindex=-1) and announced (role=alert);
- every entry links (#id) to a field on the page, and every field marked aria-invalid is linked;
- every field error is tied to its field by aria-describedby;
- following the first link puts the keyboard focus into that field.

`test_every_form_has_an_error_state_case` reads every page of tests/route_catalogue.py (as the
role it is meant for) and fails when a form with fields appears that has no case here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from dialog.common.clock import today_local
from dialog.extensions import db
from dialog.process.models import Phase
from dialog.process.rules import PhaseKind
from tests.browser.role_contexts import LANGUAGES, RoleContexts
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import post_form
from tests.route_catalogue import (
    ANONYMOUS,
    ENTRIES,
    PASSWORD,
    ROLE_EMAILS,
    Route,
    known_routes,
)

pytestmark = pytest.mark.browser

TOO_LONG = "Zu lang. " * 700  # longer than any text field takes
SUBMIT = "button[type=submit], button:not([type]), input[type=submit]"
TEXT_INPUTS = (
    ", ".join(
        f"input[type={t}]"
        for t in (
            "text",
            "email",
            "number",
            "date",
            "time",
            "datetime-local",
            "url",
            "tel",
            "search",
        )
    )
    + ", input:not([type]), input[type=password], textarea"
)


@dataclass(frozen=True)
class Case:
    """How to bring one form (named by the endpoint it posts to) into its error state.

    page    the endpoint of the page that holds the form (default: the form's own endpoint)
    button  the button that sends it (default: the form's first)
    fill    wrong values typed into the first field matching each CSS selector
    forge   values forced into fields by name, for forms whose controls allow no wrong input
    flash   the error comes as a notice at the top, not as a summary of field errors
    results the form is shown only once the results phase has begun
    """

    page: str | None = None
    button: str | None = None
    fill: dict[str, str] = field(default_factory=dict)
    forge: dict[str, str] = field(default_factory=dict)
    flash: bool = False
    results: bool = False


CASES: dict[str, Case] = {
    # -- people ---------------------------------------------------------------------------
    "answers.answer_theme": Case(),
    # Empty answers are fine (they delete an answer): too long ones are not.
    "answers.own_submission": Case(fill={"textarea": TOO_LONG}),
    "answers.report_answer": Case(fill={"textarea": TOO_LONG}),
    # No address given: "Bitte geben Sie Ihre E-Mail-Adresse ein."
    "notifications.subscribe": Case(page="answers.own_submission"),
    "events.register": Case(),
    "events.apply": Case(),
    "events.enter_invitation_code": Case(),
    "events.accept_invitation": Case(),
    "accessibility.statement": Case(),
    "accounts.login": Case(),
    # -- every staff member ---------------------------------------------------------------
    "accounts.change_password": Case(),
    # -- moderation -----------------------------------------------------------------------
    "moderation.moderate_answer": Case(button="button[value=reject]"),
    "moderation.bulk_moderate": Case(page="moderation.queue", flash=True),
    "moderation.enter_offline": Case(),
    # -- analysis -------------------------------------------------------------------------
    "coding.codebook": Case(),
    "coding.edit_code": Case(),
    "coding.merge_code": Case(page="coding.edit_code"),
    "coding.code_answer": Case(forge={"effectiveness": "9"}),
    "coding.new_sample": Case(),
    # No decision chosen: "Bitte wählen Sie eine Entscheidung."
    "coding.decide_campaign_group": Case(page="coding.show_campaign_group"),
    # No action chosen for the ticked answers.
    "coding.split_campaign_group": Case(page="coding.show_campaign_group"),
    "export.export_dataset": Case(
        fill={"[name=received_from]": "2025-05-02", "[name=received_to]": "2025-05-01"}
    ),
    "reports.request_draft": Case(page="reports.staff_reports", forge={"process_id": "0"}),
    # Recommendations: an empty title, no answer number, no scores given, a status jump the
    # workflow does not allow (in Prüfung → umgesetzt), an entry longer than a list allows.
    "recommendations.new_recommendation": Case(),
    "recommendations.edit_recommendation": Case(),
    "recommendations.add_evidence": Case(page="recommendations.show_recommendation"),
    "recommendations.rate_recommendation": Case(page="recommendations.show_recommendation"),
    "recommendations.change_status": Case(
        page="recommendations.show_recommendation", forge={"status": "implemented"}
    ),
    "recommendations.edit_options": Case(fill={"textarea": TOO_LONG}),
    "recommendations.event_documentation": Case(),
    "recommendations.edit_documentation": Case(),
    # A recommendation that does not exist (a tampered checkbox).
    "recommendations.final_conference": Case(
        page="recommendations.event_documentation", forge={"recommendations": "999999"}
    ),
    # -- administration -------------------------------------------------------------------
    "reports.publish_report": Case(page="reports.publish", results=True),
    "reports.add_download": Case(page="reports.publish", results=True),
    "accounts.new_user": Case(),
    "accounts.edit_user": Case(),
    "staff.new_process": Case(),
    "staff.edit_process": Case(),
    "staff.new_phase": Case(),
    "staff.edit_phase": Case(),
    "staff.new_theme_field": Case(),
    "staff.edit_theme_field": Case(),
    "staff.new_question": Case(),
    "staff.edit_question": Case(),
    "staff.new_page": Case(),
    "staff.edit_page": Case(),
    "events.new_event": Case(),
    "events.edit_event": Case(),
    "events.cancel_event": Case(),
    "events.message_participants": Case(),
    "events.invite": Case(),
    "events.edit_quotas": Case(fill={"input[type=number]": "-1"}),
}

# Forms with fields that no input can make wrong: nothing to show.
NO_ERROR_STATE = {
    "events.decide_application": "the note is optional; the decision is the button pressed",
}


def viewer(endpoint: str) -> str:
    """The role the route catalogue checks `endpoint`'s page as."""
    return Route(endpoint, "", frozenset({"GET"}), ENTRIES[endpoint]).viewer


@pytest.fixture(scope="module")
def contexts(browser, live_server, route_ids):
    contexts = RoleContexts(browser, live_server, {"width": 1280, "height": 900})
    yield contexts
    contexts.close()


# Checks the error summary and the fields' ties to their errors; returns what is wrong.
CHECK_SUMMARY = r"""
(summary) => {
  const problems = [];
  if (summary.getAttribute('tabindex') !== '-1') problems.push('summary lacks tabindex=-1');
  if (summary.getAttribute('role') !== 'alert') problems.push('summary lacks role=alert');
  summary.focus();
  if (document.activeElement !== summary) problems.push('summary cannot take focus');
  const targets = new Set();
  for (const link of summary.querySelectorAll('a')) {
    const href = link.getAttribute('href') || '';
    const target = href.startsWith('#') && document.getElementById(href.slice(1));
    if (!target) { problems.push(`summary link ${href} leads nowhere`); continue; }
    const control = target.matches('input, select, textarea')
      ? target : target.querySelector('input, select, textarea');
    if (!control) problems.push(`summary link ${href} leads to no field`);
    targets.add(target);
  }
  for (const invalid of document.querySelectorAll('[aria-invalid=true]')) {
    const linked = [...targets].some(t => t === invalid || t.contains(invalid));
    if (!linked) problems.push(`field #${invalid.id} is invalid but not in the summary`);
  }
  for (const error of document.querySelectorAll('.field__error')) {
    const owner = document.querySelector(`[aria-describedby~="${error.id}"]`);
    if (!error.id || !owner) problems.push(`error "${error.textContent.trim()}" tied to no field`);
  }
  return problems;
}
"""


def _form(page, action_path: str):
    """The POST form on `page` that sends to `action_path`."""
    index = page.evaluate(
        """path => [...document.querySelectorAll('form')].findIndex(f =>
             (f.getAttribute('method') || '').toLowerCase() === 'post'
             && new URL(f.getAttribute('action') || '', document.baseURI).pathname === path)""",
        action_path,
    )
    assert index >= 0, f"no form posting to {action_path} on {page.url}"
    return page.locator("form").nth(index)


# Empties what a person fills in, as a person would: the visible text fields and checkboxes.
EMPTY_FIELDS = """(form, selector) => {
  for (const box of form.querySelectorAll(selector)) {
    if (box.checkVisibility() && !box.readOnly && !box.disabled) box.value = '';
  }
  for (const box of form.querySelectorAll('input[type=checkbox]')) {
    if (box.checkVisibility()) box.checked = false;
  }
}"""


def bring_into_error_state(page, form, case: Case) -> None:
    """Empty the fields, type or forge the wrong values, send the form and wait for the answer."""
    form.evaluate(EMPTY_FIELDS, TEXT_INPUTS)
    for selector, value in case.fill.items():
        form.locator(selector).first.fill(value)
    for name, value in case.forge.items():
        # A tampered request: the browser sends whatever the control holds.
        form.locator(f"[name='{name}']").first.evaluate(
            """(el, value) => {
              if (el.tagName === 'SELECT') el.add(new Option(value, value));
              el.value = value;
              if (el.type === 'radio' || el.type === 'checkbox') el.checked = true;
            }""",
            value,
        )
    button = form.locator(case.button or SUBMIT).first
    with page.expect_navigation():
        button.click()


@pytest.fixture
def results_phase(live_server, route_ids):
    """Opens the results phase for a test that needs it (publishing is only possible then)."""
    opened = []

    def open_results_phase() -> None:
        with live_server.app.app_context():
            phase = db.session.scalar(
                sa.select(Phase).where(
                    Phase.process_id == route_ids["process_id"], Phase.kind == PhaseKind.RESULTS
                )
            )
            opened.append((phase.id, phase.starts_on))
            phase.starts_on = today_local() - timedelta(days=1)
            db.session.commit()
            db.session.remove()

    yield open_results_phase
    with live_server.app.app_context():
        for phase_id, starts_on in reversed(opened):
            db.session.get(Phase, phase_id).starts_on = starts_on
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("endpoint", CASES)
def test_form_error_state(contexts, live_server, route_ids, results_phase, endpoint, lang):
    case = CASES[endpoint]
    if case.results:
        results_phase()
    page_endpoint = case.page or endpoint
    role = viewer(page_endpoint)
    page = contexts.get(role, lang).new_page()
    try:
        page.goto(live_server.base_url + ENTRIES[page_endpoint].path.format(**route_ids))
        action = ENTRIES[endpoint].path.format(**route_ids)
        bring_into_error_state(page, _form(page, action), case)
        assert page.locator("html").get_attribute("lang") == lang
        if case.flash:
            notice = page.locator(".notice--error")
            assert notice.count() == 1 and notice.is_visible(), f"no error notice on {page.url}"
            assert notice.get_attribute("role") == "alert"
            assert_accessible(page)
            return
        summary = page.locator(".error-summary")
        assert summary.count() >= 1, f"no error summary after sending the form to {action}"
        summary = summary.first
        assert summary.is_visible()
        if lang != "de":
            assert "Bitte prüfen Sie" not in summary.inner_text(), "summary not translated"
        assert_accessible(page)
        problems = summary.evaluate(CHECK_SUMMARY)
        assert not problems, f"{page.url} ({lang}):\n" + "\n".join(problems)
        _assert_first_link_focuses_its_field(page, summary)
    finally:
        page.close()


def _assert_first_link_focuses_its_field(page, summary) -> None:
    links = summary.locator("a")
    if not links.count():
        return  # errors of the whole form, no field to lead to
    target_id = links.first.get_attribute("href")[1:]
    links.first.click()
    inside = "id => document.getElementById(id).contains(document.activeElement)"
    if not page.evaluate(inside, target_id):
        # A group of radio buttons or checkboxes: the link moves the starting point of
        # sequential navigation there, and Tab enters the group.
        page.keyboard.press("Tab")
    assert page.evaluate(inside, target_id), (
        f"the link to #{target_id} does not lead the focus there"
    )


# -- every form has a case --------------------------------------------------------------


NOT_FILLED_IN = {"hidden", "submit", "button", "image", "reset"}


NOT_FILLED_IN = {"hidden", "submit", "button", "image", "reset"}


class _Forms(HTMLParser):
    """The POST forms of a page: (action, whether it has fields a person fills in)."""

    def __init__(self):
        super().__init__()
        self.forms: list[list] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._open = (attrs.get("method") or "get").lower() == "post"
            if self._open:
                self.forms.append([attrs.get("action") or "", False])
        elif self._open and (
            tag in ("textarea", "select")
            or (tag == "input" and (attrs.get("type") or "text") not in NOT_FILLED_IN)
        ):
            self.forms[-1][1] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = False


def _client(app, role: str):
    """A test client, logged in as `role` through the login form unless anonymous."""
    client = app.test_client()
    if role != ANONYMOUS:
        data = {"email": ROLE_EMAILS[role], "password": PASSWORD}
        assert post_form(client, "/anmelden", data).status_code == 302, f"{role}: no login"
    return client


def test_every_form_has_an_error_state_case(live_server, route_ids, results_phase):
    """A new form with fields on any catalogued page, seen by any role that may see the page,
    fails here until it gets a case above."""
    results_phase()
    app = live_server.app
    adapter = app.url_map.bind("localhost")
    clients = {}
    found: dict[str, str] = {}
    for route in known_routes(app):
        for role in sorted(route.roles):
            if not route.entry.page or route.expected("GET", role) != 200:
                continue
            if role not in clients:
                clients[role] = _client(app, role)
            path = route.url(route_ids)
            response = clients[role].get(path)
            assert response.status_code == 200, f"{path} as {role}: {response.status_code}"
            parser = _Forms()
            parser.feed(response.get_data(as_text=True))
            for action, has_fields in parser.forms:
                if has_fields:
                    endpoint, _ = adapter.match(urlsplit(action or path).path, method="POST")
                    found.setdefault(endpoint, f"{path} as {role}")
    missing = {e: p for e, p in found.items() if e not in CASES and e not in NO_ERROR_STATE}
    assert not missing, "forms without an error-state case in this module: " + ", ".join(
        f"{endpoint} (on {path})" for endpoint, path in sorted(missing.items())
    )
    assert set(CASES) <= set(found), f"cases of forms no page shows: {set(CASES) - set(found)}"


BROKEN_SUMMARY = """<!doctype html><html lang="de"><body>
  <div class="error-summary"><h2>Bitte prüfen Sie Ihre Angaben</h2><ul>
    <li><a href="#name">Name fehlt</a></li><li><a href="#gibt-es-nicht">Fehlt auch</a></li>
  </ul></div>
  <form method="post">
    <label for="name">Name</label><input id="name" aria-invalid="true">
    <label for="email">E-Mail</label><input id="email" aria-invalid="true">
    <p class="field__error" id="email-error-1">Bitte geben Sie Ihre E-Mail-Adresse ein.</p>
  </form>
</body></html>"""


def test_the_summary_check_finds_each_kind_of_problem(browser):
    """The check above can fail: a summary that is not focusable or linked is caught."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(BROKEN_SUMMARY)
        found = page.locator(".error-summary").evaluate(CHECK_SUMMARY)
    finally:
        context.close()
    assert found == [
        "summary lacks tabindex=-1",
        "summary lacks role=alert",
        "summary cannot take focus",
        "summary link #gibt-es-nicht leads nowhere",
        "field #email is invalid but not in the summary",
        'error "Bitte geben Sie Ihre E-Mail-Adresse ein." tied to no field',
    ]
