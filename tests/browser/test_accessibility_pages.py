"""The accessibility pages in headless Chromium: axe-core (WCAG 2.1 A/AA) in German and English,
reflow at 320 px, the feedback form with its errors, and the staff page it reaches."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dialog.accessibility.models import AccessibilityFeedback
from dialog.extensions import db
from dialog.pages.models import Page
from tests.browser.test_accessibility import assert_accessible, assert_no_horizontal_scrolling

pytestmark = pytest.mark.browser

PAGES = {
    "easy-language": "/seite/leichte-sprache",
    "sign-language": "/seite/gebaerdensprache",
    "statement": "/seite/barrierefreiheit",
    "feedback-sent": "/seite/barrierefreiheit/danke",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_passes_axe_and_reflows(page, live_server, path):
    page.goto(live_server.url(path))
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 900})
    assert_no_horizontal_scrolling(page)


@pytest.mark.parametrize("path", list(PAGES.values())[:3], ids=list(PAGES)[:3])
def test_page_in_english_passes_axe(page, live_server, path):
    page.goto(live_server.url(f"/sprache/en?next={path}"))
    assert page.url == live_server.url(path)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).get_attribute("lang") == "de"
    assert_accessible(page)


def test_start_page_leads_to_leichte_sprache(page, live_server):
    page.goto(live_server.url("/"))
    page.get_by_role("navigation", name="Informationen in Leichter Sprache und Gebärdensprache")
    page.get_by_role("link", name="Leichte Sprache").first.click()
    assert page.url == live_server.url("/seite/leichte-sprache")
    assert page.get_by_role("heading", level=2, name="Die Fragen in Leichter Sprache").is_visible()


def test_sign_language_page_with_its_video(page, live_server):
    with live_server.app.app_context():
        sign = db.session.scalar(sa.select(Page).where(Page.slug == "gebaerdensprache"))
        sign.video_url = "/medien/gebaerdensprache.mp4"
        sign.video_transcript = "Willkommen beim Zukunftsdialog „Mission Fachkraft“."
        db.session.commit()
    try:
        page.goto(live_server.url("/seite/gebaerdensprache"))
        assert page.locator("video[controls] source").get_attribute("src") == (
            "/medien/gebaerdensprache.mp4"
        )
        assert page.get_by_role("heading", name="Der Inhalt des Videos als Text").is_visible()
        assert_accessible(page)
    finally:
        with live_server.app.app_context():
            sign = db.session.scalar(sa.select(Page).where(Page.slug == "gebaerdensprache"))
            sign.video_url, sign.video_transcript = "", ""
            db.session.commit()


def test_feedback_form_with_errors(page, live_server):
    page.goto(live_server.url("/seite/barrierefreiheit"))
    page.get_by_label("Ihr Name").fill("Erika")
    page.get_by_label("Ihre E-Mail-Adresse").fill("keine-adresse")
    page.get_by_role("button", name="Rückmeldung senden").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary").inner_text()
    assert "Bitte beschreiben Sie die Barriere" in summary
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in summary
    assert "Bitte stimmen Sie der Speicherung zu" in summary
    message = page.get_by_label("Welche Barriere ist Ihnen aufgefallen?")
    assert message.get_attribute("aria-invalid") == "true"
    assert page.title().startswith("Fehler:")
    assert_accessible(page)


def test_feedback_reaches_the_staff_page(page, admin_page, live_server):
    page.goto(live_server.url("/seite/barrierefreiheit?seite=/veranstaltungen"))
    assert page.get_by_label("Auf welcher Seite?").input_value() == "/veranstaltungen"
    page.get_by_label("Welche Barriere ist Ihnen aufgefallen?").fill(
        "Der Filter der Veranstaltungen ist mit der Tastatur nicht erreichbar."
    )
    page.get_by_label("Ihre E-Mail-Adresse").fill("erika@example.org")
    page.get_by_label("Ich bin einverstanden").check()
    page.get_by_role("button", name="Rückmeldung senden").click()
    # The form's address ends in #rueckmeldung (errors are shown there); the redirect keeps it.
    page.wait_for_url("**/seite/barrierefreiheit/danke*")

    admin_page.goto(live_server.url("/staff/barrierefreiheit"))
    entry = admin_page.locator(".feedback-list > li").first
    assert "mit der Tastatur nicht erreichbar" in entry.inner_text()
    assert "erika@example.org" in entry.inner_text()
    assert_accessible(admin_page)
    entry.get_by_role("button", name="Als erledigt markieren").click()
    admin_page.wait_for_load_state()
    assert "ist erledigt" in admin_page.locator(".flashes").inner_text()
    assert "erika@example.org" not in admin_page.content()
    assert_accessible(admin_page)
    admin_page.locator(".feedback-list > li").first.get_by_role("link", name="Löschen").click()
    assert_accessible(admin_page)
    admin_page.get_by_role("button", name="Ja, endgültig löschen").click()
    admin_page.wait_for_load_state()
    with live_server.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AccessibilityFeedback)) == 0
