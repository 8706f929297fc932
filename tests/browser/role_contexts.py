"""Browser sessions for every role of the route catalogue, in German or English.

The reflow and form-error checks visit the pages of tests/route_catalogue.py as the role each
page is meant for. A `RoleContexts` logs one browser context per (role, language) in through
the real login form on first use and chooses the language through the real language switch.
"""

from __future__ import annotations

from tests.browser.conftest import LiveServer, new_context
from tests.route_catalogue import ANONYMOUS, PASSWORD, ROLE_EMAILS

LANGUAGES = ("de", "en")


class RoleContexts:
    """Logged-in browser contexts, one per (role, language), made when first asked for."""

    def __init__(self, browser, live_server: LiveServer, viewport: dict[str, int]):
        self.browser = browser
        self.live_server = live_server
        self.viewport = viewport
        self.contexts: dict[tuple[str, str], object] = {}

    def get(self, role: str, lang: str = "de"):
        key = (role, lang)
        if key not in self.contexts:
            self.contexts[key] = self._open(role, lang)
        return self.contexts[key]

    def _open(self, role: str, lang: str):
        context = new_context(self.browser, viewport=self.viewport)
        page = context.new_page()
        if role != ANONYMOUS:
            page.goto(self.live_server.url("/anmelden"))
            page.locator("#email").fill(ROLE_EMAILS[role])
            page.locator("#password").fill(PASSWORD)
            page.locator("form[action='/anmelden'] button[type=submit]").click()
            page.wait_for_url(self.live_server.url("/staff/"))
        page.goto(self.live_server.url(f"/sprache/{lang}"))
        assert page.locator("html").get_attribute("lang") == lang, f"no {lang} for {role}"
        page.close()
        return context

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()
        self.contexts.clear()
