"""axe-core (WCAG 2.1 A/AA) on every HTML page of the route catalogue, in German and English.

Each page is seen as the role it is meant for (anonymous where the public may see it, else an
admin, a moderator or an analyst: see Route.viewer), in one browser context per role and
language, logged in through the real login form and switched through the real language link.
Error states of forms are checked in test_form_errors_a11y.py, reflow and zoom in
test_reflow_zoom.py; here also the pages that refuse (403, 404, 405).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe

from dialog import create_app
from tests import route_catalogue as catalogue
from tests.browser.role_contexts import RoleContexts
from tests.browser.test_accessibility import AXE_OPTIONS, describe
from tests.conftest import make_config

pytestmark = pytest.mark.browser

AXE_SCRIPT = Axe().axe_script

LANGUAGES = ("de", "en")
PAGES = [
    route
    for route in catalogue.known_routes(create_app(make_config("sqlite://")))
    if route.entry.page and "GET" in route.methods
]


def viewers(route: catalogue.Route) -> list[str]:
    """Who sees the page: its viewer; pages for all staff as each role (the staff menu differs
    by role); the start page also as staff (the page header shows the staff links)."""
    if route.roles == catalogue.STAFF:
        return sorted(catalogue.STAFF)
    if route.endpoint == "process.home":
        return [catalogue.ANONYMOUS, catalogue.Role.MODERATOR.value]
    return [route.viewer]


VIEWS = [
    pytest.param(route, role, id=f"{route.endpoint}-{role}")
    for route in PAGES
    for role in viewers(route)
]


def assert_accessible(page) -> None:
    """As test_accessibility.assert_accessible, but only the violations cross over from the
    browser (axe's whole result, passes included, took a quarter of the time)."""
    page.evaluate(AXE_SCRIPT)
    violations = page.evaluate(
        "options => axe.run(document, options).then(results => results.violations)", AXE_OPTIONS
    )
    assert not violations, describe(page.url, violations)


@pytest.fixture(scope="module")
def contexts(browser, live_server, route_ids) -> Iterator[Callable[[str, str], object]]:
    """Browser contexts per (role, language), opened when first needed."""
    opened = RoleContexts(browser, live_server, viewport={"width": 1280, "height": 900})
    yield opened.get
    opened.close()


def test_every_catalogued_page_is_checked():
    """The list below is the catalogue's: a new page joins the check by being catalogued."""
    assert len(PAGES) >= 60
    assert {"process.home", "staff.dashboard", "coding.codebook", "moderation.queue"} <= {
        route.endpoint for route in PAGES
    }


def test_axe_reports_a_planted_violation(contexts, live_server):
    """The check can fail: an image without a text alternative, added to the start page."""
    page = contexts(catalogue.ANONYMOUS, "de").new_page()
    try:
        page.goto(live_server.url("/"))
        page.evaluate(
            "document.querySelector('main').append(Object.assign(document.createElement('img'),"
            " {src: '/static/none.png'}))"
        )
        with pytest.raises(AssertionError, match="image-alt"):
            assert_accessible(page)
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("route", "role"), VIEWS)
def test_page_has_no_wcag_violations(contexts, live_server, route_ids, route, role, lang):
    page = contexts(role, lang).new_page()
    try:
        response = page.goto(live_server.base_url + route.url(route_ids))
        assert response.status == route.expected("GET", role), f"{role} got {response.status}"
        assert page.locator("html").get_attribute("lang") == lang
        assert_accessible(page)
    finally:
        page.close()


# What the matrix's refusals look like in the browser: a wrong role, a wrong address, a wrong
# method (a link to an address that only takes forms).
ERROR_PAGES = {
    "forbidden": (catalogue.Role.MODERATOR.value, "/staff/konten", 403),
    "not-found": (catalogue.ANONYMOUS, "/gibt-es-nicht", 404),
    "method-not-allowed": (catalogue.Role.MODERATOR.value, "/abmelden", 405),
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("role", "path", "status"), ERROR_PAGES.values(), ids=ERROR_PAGES)
def test_error_page_has_no_wcag_violations(contexts, live_server, role, path, status, lang):
    page = contexts(role, lang).new_page()
    try:
        response = page.goto(live_server.url(path))
        assert response.status == status
        assert page.locator("html").get_attribute("lang") == lang
        assert_accessible(page)
    finally:
        page.close()
