"""The "please try again" page in a real browser: accessible in German and English, and its
button sends the kept answer without JavaScript once the database is free again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dialog.answers.models import Answer
from dialog.extensions import db
from tests.browser.conftest import new_context
from tests.browser.test_accessibility import assert_accessible
from tests.reliability.db_faults import short_lock_wait, write_lock
from tests.web.answer_helpers import THEME_URL

pytestmark = pytest.mark.browser

TEXT = "Teilzeit in Ausbildung <em>ermöglichen</em> – für Eltern & Pflegende"


@pytest.fixture
def server(live_server):
    """The live server, its connections waiting 0.2 s for a lock instead of 5 s."""
    with live_server.app.app_context(), short_lock_wait(db.engine):
        yield live_server


def sent_during_lock(context, server, database_url: str, text: str, lang: str = "de"):
    """The page the answer form leads to while another connection holds the write lock."""
    page = context.new_page()
    if lang == "en":
        page.goto(server.url("/sprache/en"))
    page.goto(server.url(THEME_URL))
    page.locator("textarea[name^=answer_]").first.fill(text)
    page.locator("input[name=privacy_consent]").check()
    with write_lock(database_url, "submissions"):
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.locator("main form button[type=submit]").last.click()
        assert sent.value.status == 503
        page.wait_for_load_state()
    return page


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_page_with_kept_input_is_accessible(browser, server, database_url, lang):
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    try:
        page = sent_during_lock(context, server, database_url, TEXT, lang)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.get_by_text(TEXT).count() == 1, "the text is shown as typed, not as markup"
        assert page.locator("main em").count() == 0
        assert_accessible(page)
    finally:
        context.close()


def test_the_kept_answer_is_sent_again_without_javascript(browser, server, database_url):
    text = TEXT + " (ohne JavaScript)"
    context = new_context(browser, java_script_enabled=False)
    try:
        page = sent_during_lock(context, server, database_url, text)
        with page.expect_navigation():
            page.get_by_role("button", name="Erneut senden").click()
        assert "/beitrag/" in page.url
        assert page.get_by_text("Teilzeit in Ausbildung").count() == 1  # the private page
    finally:
        context.close()
    with server.app.app_context():
        stored = db.session.scalars(sa.select(Answer).where(Answer.text.contains("JavaScript")))
        assert len(stored.all()) == 1
        db.session.remove()
