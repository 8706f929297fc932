"""The answers feature in a real browser: accessibility of every page and a citizen's whole
journey with hostile input. Answering without JavaScript and by keyboard alone is journey 1 in
test_journeys.py."""

from __future__ import annotations

import re
import secrets

import pytest
import sqlalchemy as sa

from dialog.accounts.models import User
from dialog.answers import services
from dialog.answers.models import Submission
from dialog.answers.rules import AgeBand, Perspective
from dialog.common.regions import Bundesland
from dialog.extensions import db
from dialog.process.models import ThemeField
from dialog.seed import THEMES
from tests.browser.conftest import MODERATOR_EMAIL, new_context
from tests.browser.test_accessibility import assert_accessible, assert_no_horizontal_scrolling

pytestmark = pytest.mark.browser

THEME = THEMES[0]
THEME_PATH = f"/dialog/mission-fachkraft/{THEME.slug}"
LIST_PATH = "/dialog/mission-fachkraft/antworten"
# Citizens paste addresses without break opportunities; they must not widen a 320 px page.
LONG_URL = "https://www.example.org/" + "weiterbildung-" * 12 + "foerderung"

PUBLIC_PAGES = {
    "theme-form": THEME_PATH,
    "own-just-sent": "/beitrag/{pending_token}?neu=1",
    "own-partly-moderated": "/beitrag/{partly_token}",
    "delete-confirmation": "/beitrag/{pending_token}/loeschen",
    "list": LIST_PATH,
    "list-filtered": LIST_PATH
    + "?suche=Kinderbetreuung&thema={theme_slug}&perspektive=employee&bundesland=DE-BE",
    "list-no-results": LIST_PATH + "?suche=Quastenflosser",
    "permalink": "/antworten/{published_id}",
    "report": "/antworten/{published_id}/melden",
}
STAFF_PAGES = {
    "queue": "/staff/moderation",
    "queue-reported": "/staff/moderation?status=alle&gemeldet=y",
    "moderate-pending": "/staff/moderation/{pending_id}",
    "moderate-reported": "/staff/moderation/{reported_id}",
    "offline-choose-theme": "/staff/beitraege/neu",
    "offline-entry": "/staff/beitraege/neu/{theme_id}",
}


@pytest.fixture(scope="module")
def content(live_server) -> dict[str, str | int]:
    """Submissions stored through the services: one pending, one published with a reported
    answer, and one whose only answer is published while the theme's other question is open."""
    secret = live_server.app.config["SECRET_KEY"]
    with live_server.app.app_context():
        theme = db.session.scalar(sa.select(ThemeField).where(ThemeField.slug == THEME.slug))
        first, second = (q.id for q in theme.active_questions)
        moderator = db.session.scalar(sa.select(User).where(User.email == MODERATOR_EMAIL))

        def submit(texts, profile=None):
            nonce = secrets.token_urlsafe(24)
            token = services.private_token(secret, nonce)
            submission_id = services.submit(
                theme,
                texts,
                profile or services.Profile(),
                publication_consent=True,
                nonce=nonce,
                token=token,
            )
            return db.session.get(Submission, submission_id), token

        pending, pending_token = submit({first: "Mehr Teilzeitausbildung.\n\nUnd Jobtickets."})
        published, _token = submit(
            {
                first: "Verlässliche Kinderbetreuung bis 18 Uhr, auch in den Ferien.",
                second: f"Mehr Beratung zur Anerkennung von Abschlüssen, siehe {LONG_URL}",
            },
            services.Profile(Perspective.EMPLOYEE, Bundesland.BE, AgeBand.FROM_35),
        )
        partly, partly_token = submit({first: "Mehr Sprachkurse am Abend."})
        services.accept(moderator, [*published.answers, *partly.answers])
        reported = published.answers[1]
        services.report(reported, "Enthält einen Link.")
        db.session.commit()
        ids = {
            "pending_token": pending_token,
            "pending_id": pending.answers[0].id,
            "partly_token": partly_token,
            "published_id": published.answers[0].id,
            "reported_id": reported.id,
            "theme_slug": THEME.slug,
        }
        db.session.remove()
    return ids


def _assert_accessible_and_reflows(page) -> None:
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 900})
    assert_no_horizontal_scrolling(page)


# --- Every page: axe-core and reflow at 320 px -------------------------------------------


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_answer_page(page, live_server, content, path):
    response = page.goto(live_server.url(path, **content))
    assert response.status == 200
    _assert_accessible_and_reflows(page)


@pytest.mark.parametrize("path", STAFF_PAGES.values(), ids=STAFF_PAGES.keys())
def test_moderation_page(moderator_page, live_server, content, path):
    url = live_server.url(path, **content)
    response = moderator_page.goto(url)
    assert response.status == 200
    assert moderator_page.url == url, "not logged in"
    _assert_accessible_and_reflows(moderator_page)


def test_list_shows_the_published_answers(page, live_server, content):
    page.goto(live_server.url(LIST_PATH + "?suche=Kinderbetreuung"))
    answers = page.locator("article.answer")
    assert answers.count() == 1
    assert "Verlässliche Kinderbetreuung" in answers.inner_text()
    assert "Beschäftigte*r" in answers.inner_text()


def test_private_page_numbers_the_open_question_as_on_the_theme_page(page, live_server, content):
    page.goto(live_server.url("/beitrag/{partly_token}", **content))
    assert "Mehr Sprachkurse am Abend." in page.locator(".answers-own").inner_text()
    [area] = page.locator("textarea.input--answer").all()
    label = page.locator(f"label[for='{area.get_attribute('id')}']").inner_text()
    assert label.startswith("Leitfrage 2:")


def test_theme_page_with_errors(page, live_server):
    page.goto(live_server.url(THEME_PATH))
    page.get_by_role("button", name="Antworten absenden").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert "Bitte beantworten Sie mindestens eine Leitfrage." in summary.inner_text()
    assert "Bitte stimmen Sie der Datenschutzerklärung zu" in summary.inner_text()
    consent = page.locator("#privacy_consent")
    assert consent.get_attribute("aria-invalid") == "true"
    assert "Fehler:" in page.title()
    _assert_accessible_and_reflows(page)


def test_theme_page_with_a_too_long_answer(page, live_server):
    page.goto(live_server.url(THEME_PATH))
    area = page.locator("textarea.input--answer").first
    area.fill("x" * 5001)
    page.get_by_role("button", name="Antworten absenden").click()
    page.wait_for_load_state()
    area = page.locator("textarea.input--answer").first
    assert area.get_attribute("aria-invalid") == "true"
    assert "5.001 Zeichen" in page.locator(".error-summary").inner_text()
    assert "1 Zeichen zu lang" in page.locator(".field__count").first.inner_text()
    _assert_accessible_and_reflows(page)


def test_moderation_of_an_answer_with_errors(moderator_page, live_server, content):
    moderator_page.goto(live_server.url("/staff/moderation/{pending_id}", **content))
    moderator_page.get_by_role("button", name="Ablehnen").click()
    moderator_page.wait_for_load_state()
    assert "Bitte wählen Sie einen Grund" in moderator_page.locator(".error-summary").inner_text()
    _assert_accessible_and_reflows(moderator_page)


def test_offline_entry_with_errors(moderator_page, live_server):
    moderator_page.goto(live_server.url("/staff/beitraege/neu/{theme_id}"))
    moderator_page.get_by_role("button", name="Beitrag erfassen").click()
    moderator_page.wait_for_load_state()
    summary = moderator_page.locator(".error-summary").inner_text()
    assert "Bitte geben Sie mindestens eine Antwort ein." in summary
    assert "Bitte geben Sie ein Datum ein." in summary
    _assert_accessible_and_reflows(moderator_page)


# --- A citizen's journey with hostile input -----------------------------------------------

MARKER = "Reisemarke4711"
HOSTILE_TEXT = "\n".join(
    [
        f"{MARKER} Meine Meinung:",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)> Bild",
        '"><svg onload=alert(3)>',
        "'; DROP TABLE answers; --",
        "Gespiegelt: \u202eKITAS",
        "</textarea><b>fett</b>",  # would break out of the private page's textarea
        # Last: the sanitiser decodes entities after stripping tags, so this is stored as
        # "<script>…" and only the escaping on output keeps it text.
        "&lt;script&gt;alert(4)&lt;/script&gt;",
    ]
)
# What remains once the tags are stripped (citizen text is plain) and the override removed,
# line by line, but for the last line.
HOSTILE_SHOWN = [
    f"{MARKER} Meine Meinung:",
    "alert(1)",
    "Bild",
    '">',
    "'; DROP TABLE answers; --",
    "Gespiegelt: KITAS",
    "fett",
]
LONG_TEXT = (f"{MARKER} lang. " + "Mehr Zeit für Weiterbildung im Beruf. " * 200)[:5000]
INJECTED = "script, svg, img, iframe, b, [onerror], [onload]"


class Watch:
    """JavaScript dialogs, console errors and uncaught exceptions of a page."""

    def __init__(self, page) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_quiet(self) -> None:
        assert self.dialogs == [], "injected code opened a dialog"
        assert self.errors == [], "errors in the console"


def _fill_answers(page, texts: list[str]) -> None:
    for area, text in zip(page.locator("textarea.input--answer").all(), texts, strict=False):
        area.fill(text)


def _assert_inert(page, container) -> None:
    """The hostile answer is text: no markup from it, and none anywhere else either."""
    assert container.locator(INJECTED).count() == 0
    assert page.locator("main").locator(INJECTED).count() == 0
    text = container.inner_text()
    for line in HOSTILE_SHOWN:
        assert line in text
    assert "alert(4)" in text
    assert "\u202e" not in text


def test_citizen_journey_with_hostile_input(browser, live_server, moderator_context):
    # CSP bypassed: the escaping alone must keep the injected code from running.
    citizen = new_context(browser, viewport={"width": 1280, "height": 900})
    try:
        page = citizen.new_page()
        watch = Watch(page)
        page.goto(live_server.url(THEME_PATH))
        _fill_answers(page, [HOSTILE_TEXT, LONG_TEXT])
        assert len(LONG_TEXT.strip()) == 5000  # the limit, exactly
        assert "noch 0 Zeichen" in page.locator(".field__count").nth(1).inner_text()
        page.get_by_label("Beschäftigte*r", exact=True).check()
        page.get_by_label("In welchem Bundesland").select_option(label="Sachsen")
        page.get_by_label("Wie alt sind Sie?").select_option(label="35 bis 44 Jahre")
        page.get_by_label("Ich habe die Datenschutzerklärung gelesen").check()
        page.get_by_label("Meine Antworten dürfen").check()
        page.get_by_role("button", name="Antworten absenden").click()
        page.wait_for_url(re.compile(r"/beitrag/[0-9a-f]{64}\?neu=1$"))
        private_url = page.url.removesuffix("?neu=1")
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Vielen Dank für Ihre Antworten!"
        )
        assert page.locator(".private-link__url a").get_attribute("href") == private_url
        first, second = page.locator("textarea.input--answer").all()
        assert [line.strip() for line in first.input_value().splitlines()][:-1] == HOSTILE_SHOWN
        assert second.input_value() == LONG_TEXT
        _publish(moderator_context, live_server)

        page.goto(live_server.url(LIST_PATH + f"?suche={MARKER}"))
        cards = page.locator("article.answer")
        assert cards.count() == 2
        hostile = cards.filter(has_text="DROP TABLE").locator(".answer__text")
        _assert_inert(page, hostile)
        assert hostile.inner_text().splitlines()[:-1] == HOSTILE_SHOWN  # one line each
        long = cards.filter(has_text=f"{MARKER} lang.")
        assert long.locator(".answer__text").inner_text() == LONG_TEXT
        assert "Beschäftigte*r" in long.inner_text() and "Sachsen" in long.inner_text()
        permalinks = [
            link.get_attribute("href")
            for link in cards.get_by_role("link", name="Dauerhafter Link").all()
        ]
        page.goto(live_server.base_url + permalinks[-1])
        _assert_inert(page, page.locator(".answer__text"))

        page.goto(private_url)
        assert page.get_by_role("heading", name="Bereits geprüfte Antworten").is_visible()
        _assert_inert(page, page.locator(".answers-own .answer__text").first)
        page.get_by_role("link", name="Antworten löschen").click()
        assert "2 Antworten werden vollständig gelöscht" in page.locator("main").inner_text()
        page.get_by_role("button", name="Ja, endgültig löschen").click()
        page.wait_for_url(live_server.url(THEME_PATH))
        assert "vollständig gelöscht" in page.get_by_role("status").inner_text()

        page.goto(live_server.url(LIST_PATH))
        assert MARKER not in page.locator("main").inner_text()
        page.goto(live_server.url(LIST_PATH + f"?suche={MARKER}"))
        assert page.locator("article.answer").count() == 0
        watch.assert_quiet()
        for permalink in permalinks:
            assert page.goto(live_server.base_url + permalink).status == 404
        assert page.goto(private_url).status == 404
    finally:
        citizen.close()


def _publish(moderator_context, live_server) -> None:
    """The moderator publishes one answer on its own page, the other from the queue."""
    page = moderator_context.new_page()
    watch = Watch(page)
    try:
        page.goto(live_server.url("/staff/moderation"))
        rows = page.locator("tbody tr").filter(has_text=MARKER)
        assert rows.count() == 2
        _assert_inert(page, rows.first.locator("td").nth(1))
        rows.first.get_by_role("link", name=re.compile(r"^Beitrag \d+ prüfen$")).click()
        _assert_inert(page, page.locator(".original"))
        page.get_by_role("button", name="Veröffentlichen", exact=True).click()
        page.wait_for_url(live_server.url("/staff/moderation"))
        assert "1 Beitrag bearbeitet." in page.get_by_role("status").inner_text()

        row = page.locator("tbody tr").filter(has_text=MARKER)
        row.get_by_role("checkbox").check()
        page.get_by_role("button", name="Annehmen bzw. veröffentlichen").click()
        page.wait_for_load_state()
        assert "1 Beitrag bearbeitet." in page.get_by_role("status").inner_text()
        assert page.locator("tbody tr").filter(has_text=MARKER).count() == 0
        watch.assert_quiet()
    finally:
        page.close()
