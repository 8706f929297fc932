"""Events in a real browser: the calendar and an event page by keyboard. The whole registration
with real mail (register → confirm → .ics → cancel → the waitlist moves up) is journey 3 in
test_journeys.py."""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import assert_accessible

pytestmark = pytest.mark.browser


def test_calendar_and_registration_by_keyboard(page, live_server):
    page.goto(live_server.url("/veranstaltungen?art=citizen_dialogue"))
    assert_accessible(page)
    link = page.get_by_role("link", name="Hin.Gehört. in Ettlingen")
    link.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Hin.Gehört. in Ettlingen").wait_for()
    assert "Stadthalle Ettlingen" in page.content()
