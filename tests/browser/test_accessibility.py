"""Accessibility smoke test: axe-core (WCAG 2.1 A/AA) on real pages in headless Chromium."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def _target(node: dict) -> str:
    # A target is a list of selectors, nested one level deeper for shadow DOM.
    return " ".join(" >>> ".join(t) if isinstance(t, list) else t for t in node["target"])


def describe(url: str, violations: list[dict]) -> str:
    """The axe violations as readable text: rule, impact, help and each offending element."""
    lines = [f"{len(violations)} WCAG violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {_target(node)}\n      {summary}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, describe(page.url, violations)


def assert_no_horizontal_scrolling(page) -> None:
    """Content reflows instead of scrolling sideways (WCAG 1.4.10); wide tables scroll inside."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide at a {width}px viewport"


def test_login_page_with_errors(page, live_server):
    page.goto(live_server.url("/anmelden"))
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    alert = page.locator(".error-summary")
    assert "Bitte geben Sie Ihre E-Mail-Adresse ein." in alert.inner_text()
    assert "Bitte geben Sie Ihr Passwort ein." in alert.inner_text()
    assert page.get_by_label("E-Mail-Adresse", exact=True).get_attribute("aria-invalid") == "true"
    assert_accessible(page)


@pytest.mark.parametrize(
    "path", ["/veranstaltungen/{event_id}/anmeldung", "/veranstaltungen/{workshop_id}/bewerbung"]
)
def test_event_forms_with_errors(page, live_server, path):
    page.goto(live_server.url(path))
    page.get_by_role("button", name="absenden").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)


def test_not_found_page(page, live_server):
    response = page.goto(live_server.url("/gibt-es-nicht"))
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Seite nicht gefunden"
    assert_accessible(page)


def test_start_page_in_english(page, live_server):
    page.goto(live_server.url("/sprache/en"))
    assert page.url == live_server.url("/")
    assert page.locator("html").get_attribute("lang") == "en"
    # The content is German whatever the interface language; screen readers must know.
    assert page.get_by_role("heading", level=1).get_attribute("lang") == "de"
    assert_accessible(page)
