"""The five journeys of issue 8 in headless Chromium, each with and without JavaScript, the
citizen's also by keyboard alone. Mail goes through the loopback SMTP server, and every link a
person follows comes from a received mail or from the page, never from the database.

1. A citizen answers two guiding questions with a profile, then edits one answer and deletes
   the other with the private link.
2. A moderator redacts and publishes that answer; the public list and the search show the
   redacted text.
3. A person registers for a Hin.Gehört event, confirms, downloads the .ics and cancels; the
   first on the waitlist moves up and is told so.
4. A company applies for a Praxiswerkstatt and is accepted; an invited stakeholder registers
   with the personal link from the invitation mail.
5. An analyst codes answers, exports the dataset and downloads the report draft.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import icalendar
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from dialog.accounts.services import create_user
from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AgeBand, AnswerStatus, Perspective
from dialog.common.clock import today_local
from dialog.common.permissions import Role
from dialog.common.regions import Bundesland
from dialog.events.models import Application, Event, Invitation, Registration
from dialog.events.rules import EventKind, RegistrationStatus
from dialog.extensions import db
from dialog.process.models import ThemeField
from dialog.reports import worker
from dialog.seed import THEMES
from tests.browser.conftest import ADMIN_EMAIL, MODERATOR_EMAIL, deliver, new_context
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import PASSWORD, links
from tests.web.event_helpers import make_event

pytestmark = pytest.mark.browser

JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
VIEWPORT = {"width": 1280, "height": 900}
THEME = THEMES[0]
ANALYST_EMAIL = "analyse@example.org"


def mode(javascript: bool) -> str:
    return "js" if javascript else "no-js"


def visitor(browser, javascript: bool = True):
    """A new person: own cookies, downloads allowed."""
    return new_context(
        browser, viewport=VIEWPORT, java_script_enabled=javascript, accept_downloads=True
    )


@pytest.fixture(scope="module")
def staff(browser, live_server):
    """`staff(email, javascript)` opens a page of that account, logged in through the real
    form once per account and JavaScript setting."""
    with live_server.app.app_context():
        create_user(None, ANALYST_EMAIL, PASSWORD, {Role.ANALYST})
        db.session.commit()
        db.session.remove()
    contexts = {}

    def open_page(email: str, javascript: bool):
        if (email, javascript) not in contexts:
            context = visitor(browser, javascript)
            login = context.new_page()
            login.goto(live_server.url("/anmelden"))
            login.get_by_label("E-Mail-Adresse", exact=True).fill(email)
            login.get_by_label("Passwort", exact=True).fill(PASSWORD)
            login.get_by_role("button", name="Anmelden").click()
            login.wait_for_url(live_server.url("/staff/"))
            login.close()
            contexts[email, javascript] = context
        return contexts[email, javascript].new_page()

    yield open_page
    for context in contexts.values():
        context.close()


def follow(page, locator) -> None:
    """Click a link or button and wait for the page it leads to (so that nothing is read from
    the page before)."""
    with page.expect_navigation():
        locator.click()


def flash_text(page) -> str:
    return page.locator(".flashes").inner_text()


def mails_to(smtp_server, address: str) -> list:
    return [m for m in smtp_server.messages if m["To"] == address]


def link_in(message, part: str) -> str:
    return next(url for url in links(message) if part in url)


# --- Keyboard alone -----------------------------------------------------------------------

# Focus is visible when the focused element matches :focus-visible, lies in the viewport and
# draws an outline or a box shadow (site.css gives every interactive element one of them).
FOCUS_STATE = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
    && !/rgba\\(.*, 0\\)$/.test(s.outlineColor) && s.outlineColor !== 'transparent';
  return {
    tag: e.tagName, id: e.id, name: e.getAttribute('name') || '',
    text: (e.innerText || e.value || '').trim().slice(0, 60),
    visible: e.matches(':focus-visible') && (outline || s.boxShadow !== 'none')
      && r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight,
  };
}"""


def tab_to(page, selector: str, limit: int = 80, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `selector` has the focus; every stop on the way must
    show its focus."""
    for _press in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        state = page.evaluate(FOCUS_STATE)
        assert state["visible"], f"focus not visible on {state}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached in {limit} presses of Tab")


def press_and_wait(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


# --- 1 and 2: citizen and moderator -------------------------------------------------------

MARKERS = {"js": "Fahrradpendler", "no-js": "Nachtzugreisende", "keyboard": "Tastaturkundige"}
NAME = "Erika Mustermann"


def citizen_texts(marker: str) -> tuple[str, str]:
    return (
        f"{marker} brauchen sichere Wege zum Betrieb.",
        f"{marker} wünschen sich Kinderbetreuung am Abend.",
    )


def citizen_journey(browser, live_server, how: str) -> tuple[str, str]:
    """Journey 1 (`how`: js, no-js or keyboard); returns the private link and the kept text."""
    marker = MARKERS[how]
    first_text, second_text = citizen_texts(marker)
    # Typed where the caret lands when Tab enters a textarea: at its start.
    addition = f"Von {NAME}: "
    context = visitor(browser, javascript=how != "no-js")
    page = context.new_page()
    try:
        page.goto(live_server.url("/"))
        assert page.locator(".central-question").count() == 1
        theme_link = f"a[href$='/{THEME.slug}']"
        if how == "keyboard":
            tab_to(page, theme_link)
            press_and_wait(page, "Enter")
        else:
            page.get_by_role("link", name=THEME.title, exact=True).click()
        page.get_by_role("heading", level=1, name=THEME.title).wait_for()
        page.wait_for_load_state()  # deferred scripts have run
        areas = page.locator("textarea.input--answer")
        assert areas.count() >= 2
        # character-count.js adds its live region only where JavaScript runs.
        assert page.locator("[aria-live]").count() == (0 if how == "no-js" else areas.count())

        if how == "keyboard":
            tab_to(page, ".skip-link")
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == "main"
            tab_to(page, "textarea.input--answer")
            page.keyboard.type(first_text)
            tab_to(page, "textarea.input--answer")
            page.keyboard.type(second_text)
            # Without arrow keys the perspective stays „keine Angabe“: a closed select takes
            # typed letters, a radio group only arrows.
            tab_to(page, "select[name=bundesland]")
            page.keyboard.type("Sachsen")
            tab_to(page, "select[name=age_band]")
            page.keyboard.type("35")
            tab_to(page, "#privacy_consent")
            page.keyboard.press("Space")
            tab_to(page, "#publication_consent")
            page.keyboard.press("Space")
            tab_to(page, "button[type=submit]")
            press_and_wait(page, "Enter")
        else:
            areas.nth(0).fill(first_text)
            areas.nth(1).fill(second_text)
            page.get_by_label("Beschäftigte*r", exact=True).check()
            page.get_by_label("In welchem Bundesland").select_option(label="Sachsen")
            page.get_by_label("Wie alt sind Sie?").select_option(label="35 bis 44 Jahre")
            page.get_by_label("Ich habe die Datenschutzerklärung gelesen").check()
            page.get_by_label("Meine Antworten dürfen").check()
            page.get_by_role("button", name="Antworten absenden").click()
        # The skip link's #main stays on through the redirect, as browsers keep a fragment.
        page.wait_for_url(re.compile(r"/beitrag/[0-9a-f]{64}\?neu=1(#main)?$"))
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Vielen Dank für Ihre Antworten!"
        )
        private_url = page.locator(".private-link__url a").get_attribute("href")
        assert page.url.removesuffix("#main") == private_url + "?neu=1"
        first, second = page.locator("textarea.input--answer").all()[:2]
        assert (first.input_value(), second.input_value()) == (first_text, second_text)

        # Edit the first answer, empty the second: it is deleted.
        if how == "keyboard":
            tab_to(page, f"#{second.get_attribute('id')}")
            for _char in second_text:
                page.keyboard.press("Delete")
            tab_to(page, f"#{first.get_attribute('id')}", backwards=True)
            page.keyboard.type(addition)
            tab_to(page, "form button[type=submit]")
            press_and_wait(page, "Enter")
        else:
            first.fill(addition + first_text)
            second.fill("")
            page.get_by_role("button", name="Änderungen speichern").click()
            page.wait_for_url(private_url)
        assert "Ihre Änderungen wurden gespeichert." in flash_text(page)
        kept = addition + first_text
        first, second = page.locator("textarea.input--answer").all()[:2]
        assert (first.input_value(), second.input_value()) == (kept, "")
        assert second_text not in page.locator("main").inner_text()
        with live_server.app.app_context():
            [answer] = db.session.scalars(sa.select(Answer).where(Answer.text.contains(marker)))
            profile = answer.submission
            stored = (answer.text, profile.perspective, profile.bundesland, profile.age_band)
            db.session.remove()
        perspective = None if how == "keyboard" else Perspective.EMPLOYEE
        assert stored == (kept, perspective, Bundesland.SN, AgeBand.FROM_35)
        return private_url, kept
    finally:
        context.close()


@pytest.fixture(scope="module")
def citizens() -> dict[str, tuple[str, str]]:
    """What journey 1 left, by mode, for journey 2 to moderate."""
    return {}


@pytest.mark.parametrize("how", ["js", "no-js", "keyboard"])
def test_1_citizen_answers_edits_and_deletes(browser, live_server, citizens, how):
    citizens[how] = citizen_journey(browser, live_server, how)


@JAVASCRIPT
def test_2_moderator_redacts_and_publishes(browser, live_server, staff, citizens, javascript):
    how = mode(javascript)
    if how not in citizens:  # run on its own
        citizens[how] = citizen_journey(browser, live_server, how)
    private_url, kept = citizens[how]
    marker = MARKERS[how]
    redacted = kept.replace(NAME, "[Name entfernt]")

    page = staff(MODERATOR_EMAIL, javascript)
    page.goto(live_server.url("/staff/moderation"))
    row = page.locator("tbody tr").filter(has_text=marker)
    assert row.count() == 1
    row.get_by_role("link", name=re.compile(r"^Beitrag \d+ prüfen$")).click()
    assert page.locator(".original").inner_text().strip() == kept
    page.get_by_label("Veröffentlichter Text").fill(redacted)
    page.get_by_role("button", name="Veröffentlichen", exact=True).click()
    page.wait_for_url(live_server.url("/staff/moderation"))
    assert "1 Beitrag bearbeitet." in flash_text(page)
    assert page.locator("tbody tr").filter(has_text=marker).count() == 0
    page.close()

    context = visitor(browser, javascript)
    try:
        reader = context.new_page()
        reader.goto(live_server.url("/"))
        reader.get_by_role("link", name="Wir haben gefragt, Sie haben geantwortet").click()
        card = reader.locator("article.answer").filter(has_text=marker)
        assert card.locator(".answer__text").inner_text().strip() == redacted
        assert "von der Moderation gekürzt" in card.inner_text()
        assert "Sachsen" in card.inner_text()
        assert NAME not in reader.locator("main").inner_text()

        reader.get_by_label("Suchbegriffe").fill(marker)
        reader.get_by_role("button", name="Anzeigen").click()
        reader.wait_for_url(re.compile(rf"suche={marker}"))
        [found] = reader.locator("article.answer").all()
        assert found.locator(".answer__text").inner_text().strip() == redacted
        # Only the public text is searched: the removed name finds nothing.
        reader.get_by_label("Suchbegriffe").fill("Mustermann")
        reader.get_by_role("button", name="Anzeigen").click()
        reader.wait_for_url(re.compile("suche=Mustermann"))
        assert reader.locator("article.answer").count() == 0

        # The author sees the published answer, no longer editable, by the private link.
        reader.goto(private_url)
        own = reader.locator(".answers-own")
        assert kept in own.inner_text() and "Status: veröffentlicht" in own.inner_text()
    finally:
        context.close()


# --- 3: a Hin.Gehört event ----------------------------------------------------------------

EVENT_TITLE = "Hin.Gehört. im Browser"


@pytest.fixture
def small_event(live_server):
    """A Hin.Gehört event with one seat, removed afterwards."""
    with live_server.app.app_context():
        event_id = make_event(title=EVENT_TITLE, city="Musterstadt", capacity=1).id
        db.session.remove()
    yield event_id
    with live_server.app.app_context():
        db.session.execute(sa.delete(Registration).where(Registration.event_id == event_id))
        db.session.execute(sa.delete(Event).where(Event.id == event_id))
        db.session.commit()
        db.session.remove()


def register_in_browser(page, live_server, event_id: int, name: str, address: str) -> None:
    page.goto(live_server.url("/veranstaltungen?art=citizen_dialogue"))
    page.get_by_role("link", name=EVENT_TITLE).click()
    page.get_by_role("link", name=re.compile("Jetzt anmelden|Auf die Warteliste")).click()
    page.get_by_label("Vor- und Nachname").fill(name)
    page.get_by_label("E-Mail-Adresse").fill(address)
    page.get_by_label("Bundesland").select_option("DE-SN")
    page.get_by_label("Unterstützungsbedarf").fill("Induktionsschleife")
    page.get_by_label(re.compile("Ich habe die Datenschutzerklärung gelesen")).check()
    page.get_by_role("button", name="Anmeldung absenden").click()
    page.get_by_role("heading", name="Bitte prüfen Sie Ihr Postfach").wait_for()


@JAVASCRIPT
def test_3_register_confirm_download_cancel_and_the_waitlist_moves_up(
    browser, live_server, smtp_server, small_event, javascript, tmp_path
):
    erika, max_ = visitor(browser, javascript), visitor(browser, javascript)
    erika_address = f"erika-{mode(javascript)}@example.org"
    max_address = f"max-{mode(javascript)}@example.org"
    try:
        first, second = erika.new_page(), max_.new_page()
        register_in_browser(first, live_server, small_event, "Erika Muster", erika_address)
        register_in_browser(second, live_server, small_event, "Max Warte", max_address)
        deliver(live_server)
        smtp_server.wait_for(2)
        [held] = mails_to(smtp_server, erika_address)
        [waiting] = mails_to(smtp_server, max_address)
        assert "Bitte bestätigen Sie Ihre Anmeldung" in held["Subject"]
        assert "Warteliste" in waiting["Subject"]
        assert held.get_body(("html",)) is not None  # text and HTML

        first.goto(link_in(held, "/veranstaltungen/anmeldung/"))
        first.get_by_role("button", name="Anmeldung bestätigen").click()
        first.get_by_text("Ihre Anmeldung ist bestätigt").first.wait_for()
        if javascript:  # axe-core needs it
            assert_accessible(first)
        deliver(live_server)
        confirmation = smtp_server.wait_for(3)[-1]
        assert "Anmeldung bestätigt" in confirmation["Subject"]
        [attached] = [
            p for p in confirmation.iter_attachments() if p.get_content_type() == "text/calendar"
        ]
        assert EVENT_TITLE in attached.get_content()

        with first.expect_download() as download:
            first.get_by_role("link", name="Termin in den Kalender übernehmen (.ics)").click()
        assert download.value.suggested_filename.endswith(".ics")
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        [vevent] = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        assert str(vevent["SUMMARY"]) == EVENT_TITLE
        assert "Musterstadt" in str(vevent["LOCATION"])
        with live_server.app.app_context():
            starts_at = db.session.get(Event, small_event).starts_at
            db.session.remove()
        assert vevent.decoded("DTSTART") == starts_at

        # Cancelled with the link from the mail; the seat goes to the waitlist.
        first.goto(link_in(confirmation, "/abmelden"))
        first.get_by_role("button", name="Ja, abmelden").click()
        first.get_by_role("heading", name="Sie sind abgemeldet").wait_for()
        deliver(live_server)
        smtp_server.wait_for(5)
        promoted = mails_to(smtp_server, max_address)[-1]
        assert "Ein Platz ist frei geworden" in promoted["Subject"]
        second.goto(link_in(promoted, "/veranstaltungen/anmeldung/"))
        second.get_by_role("button", name="Anmeldung bestätigen").click()
        second.get_by_text("Ihre Anmeldung ist bestätigt").first.wait_for()
        deliver(live_server)
        smtp_server.wait_for(6)
        assert "Anmeldung bestätigt" in mails_to(smtp_server, max_address)[-1]["Subject"]
        with live_server.app.app_context():
            regs = db.session.scalars(
                sa.select(Registration)
                .where(Registration.event_id == small_event)
                .order_by(Registration.id)
            ).all()
            assert [r.status for r in regs] == [
                RegistrationStatus.CANCELLED,
                RegistrationStatus.CONFIRMED,
            ]
            assert regs[0].email is None and regs[0].support_needs is None
            db.session.remove()
    finally:
        erika.close()
        max_.close()


# --- 4: Praxiswerkstatt and Stakeholder-Hearing -------------------------------------------


@pytest.fixture
def workshop_and_hearing(live_server):
    with live_server.app.app_context():
        workshop = make_event(
            kind=EventKind.PRACTICE_WORKSHOP, title="Praxiswerkstatt Pflege im Browser", capacity=2
        )
        hearing = make_event(
            kind=EventKind.STAKEHOLDER_HEARING, title="Hearing im Browser", capacity=5
        )
        ids = workshop.id, hearing.id
        db.session.remove()
    yield ids
    with live_server.app.app_context():
        for model in (Registration, Application, Invitation):
            db.session.execute(sa.delete(model).where(model.event_id.in_(ids)))
        db.session.execute(sa.delete(Event).where(Event.id.in_(ids)))
        db.session.commit()
        db.session.remove()


@JAVASCRIPT
def test_4_company_applies_and_an_invited_stakeholder_registers(
    browser, live_server, staff, smtp_server, workshop_and_hearing, javascript
):
    workshop_id, hearing_id = workshop_and_hearing
    company = f"Tischlerei Holzwurm ({mode(javascript)})"
    contact = f"petra-{mode(javascript)}@holzwurm.example"
    outside = visitor(browser, javascript)
    try:
        page = outside.new_page()
        page.goto(live_server.url(f"/veranstaltungen/{workshop_id}"))
        page.get_by_role("link", name="Als Unternehmen bewerben").click()
        page.get_by_label("Unternehmen", exact=True).fill(company)
        page.get_by_label("Branche").fill("Handwerk")
        page.get_by_label("Größe des Unternehmens").select_option(index=1)
        page.get_by_label("Region (Bundesland)").select_option("DE-BY")
        page.get_by_label("Ansprechperson", exact=True).fill("Petra Hobel")
        page.get_by_label("E-Mail-Adresse der Ansprechperson").fill(contact)
        page.get_by_label("Warum möchte Ihr Unternehmen teilnehmen?").fill(
            "Wir bilden aus und suchen Fachkräfte."
        )
        page.get_by_label(re.compile("Ich habe die Datenschutzerklärung gelesen")).check()
        page.get_by_role("button", name="Bewerbung absenden").click()
        page.get_by_text("Vielen Dank für Ihre Bewerbung").first.wait_for()
        deliver(live_server)
        [received] = smtp_server.wait_for(1)
        assert received["To"] == contact and "Bewerbung eingegangen" in received["Subject"]

        admin = staff(ADMIN_EMAIL, javascript)
        admin.goto(live_server.url(f"/staff/veranstaltungen/{workshop_id}"))
        card = admin.locator("article.application").filter(has_text=company)
        card.get_by_label("Nachricht an das Unternehmen").fill("Bis bald in der Werkstatt!")
        follow(admin, card.get_by_role("button", name="Zusagen"))
        assert f"Zusage an {company} verschickt." in flash_text(admin)
        card = admin.locator("article.application").filter(has_text=company)
        assert "Zugesagt" in card.inner_text()
        deliver(live_server)
        accepted = smtp_server.wait_for(2)[-1]
        assert accepted["To"] == contact and accepted["Subject"].startswith("Zusage")
        assert "Bis bald in der Werkstatt!" in accepted.get_body(("plain",)).get_content()
        assert any(p.get_content_type() == "text/calendar" for p in accepted.iter_attachments())

        # Staff invite an organisation by mail; its person registers with the link.
        admin.goto(live_server.url(f"/staff/veranstaltungen/{hearing_id}"))
        admin.get_by_role("link", name="Organisation einladen").click()
        admin.get_by_label("Organisation").fill("Institut für Arbeitsforschung")
        admin.get_by_label("Gruppe").select_option("science")
        admin.get_by_label("E-Mail-Adresse (freiwillig)").fill("buero@institut.example")
        admin.get_by_role("button", name="Einladung erstellen").click()
        admin.get_by_text("Code und Link sehen Sie nur jetzt").first.wait_for()
        admin.close()
        deliver(live_server)
        invitation = smtp_server.wait_for(3)[-1]
        assert invitation["To"] == "buero@institut.example"
        page.goto(link_in(invitation, "/veranstaltungen/einladung/"))
        assert "Institut für Arbeitsforschung" in page.locator("main").inner_text()
        page.get_by_label("Vor- und Nachname").fill("Prof. Dr. Ada Lovelace")
        page.get_by_label("E-Mail-Adresse").fill("ada@institut.example")
        page.get_by_label(re.compile("Ich habe die Datenschutzerklärung gelesen")).check()
        follow(page, page.get_by_role("button", name="Verbindlich anmelden"))
        assert "Vielen Dank! Ihre Anmeldung ist bestätigt." in page.locator("main").inner_text()
        deliver(live_server)
        confirmed = smtp_server.wait_for(4)[-1]
        assert confirmed["To"] == "ada@institut.example"
        assert "Anmeldung bestätigt" in confirmed["Subject"]
        # The link was personal and single-use.
        assert page.goto(link_in(invitation, "/veranstaltungen/einladung/")).status == 410
    finally:
        outside.close()


# --- 5: the analyst -----------------------------------------------------------------------

ANALYSIS_TEXTS = [
    "Werkstattanalyse: Mehr Ausbildungsplätze in der Pflege, bitte.",
    "Werkstattanalyse: Pflegekräfte brauchen verlässliche Dienstpläne.",
]


@pytest.fixture(scope="module")
def published_answers(live_server) -> list[int]:
    """Two published answers of the first theme field, for the analyst to code."""
    with live_server.app.app_context():
        theme = db.session.scalar(sa.select(ThemeField).where(ThemeField.slug == THEME.slug))
        answers = []
        for text in ANALYSIS_TEXTS:
            submission = Submission(
                theme_field_id=theme.id, received_on=today_local(), publication_consent=True
            )
            answer = Answer(
                question_id=theme.questions[0].id,
                theme_field_id=theme.id,
                text=text,
                status=AnswerStatus.PUBLISHED,
            )
            submission.answers.append(answer)
            db.session.add(submission)
            answers.append(answer)
        db.session.commit()
        ids = [a.id for a in answers]
        db.session.remove()
    return ids


def codebook_only_analysis(export: Path, out: Path) -> None:
    """Stands in for `python -m analysis` (a child process of some seconds) where the real one
    has run already: a report that lists the codebook of the export it was given."""
    with zipfile.ZipFile(export) as archive:
        codebook = pq.read_table(io.BytesIO(archive.read("codebook.parquet"))).to_pylist()
    out.mkdir(parents=True)
    labels = "\n".join(f"- {row['label']}" for row in codebook)
    (out / "bericht.md").write_text(f"# Ergebnisbericht (Entwurf)\n\n{labels}\n")


@JAVASCRIPT
def test_5_analyst_codes_exports_and_downloads_the_report_draft(
    live_server, staff, published_answers, javascript, monkeypatch
):
    label = f"Pflegepersonal ({mode(javascript)})"
    page = staff(ANALYST_EMAIL, javascript)
    page.goto(live_server.url("/staff/analyse/codebuch"))
    page.get_by_label("Bezeichnung").fill(label)
    page.get_by_label("Beschreibung").fill("Forderungen nach mehr Personal in der Pflege")
    follow(page, page.get_by_role("button", name="Code anlegen"))
    assert f"Der Code „{label}“ wurde angelegt." in flash_text(page)

    # Both answers coded, the first with "Speichern und weiter".
    page.goto(live_server.url("/staff/analyse/beitraege"))
    first, second = published_answers
    page.get_by_role("link", name=f"Beitrag {first} codieren").click()
    page.wait_for_url(re.compile(rf"/staff/analyse/beitraege/{first}\b"))
    page.get_by_label(label).check()
    page.get_by_label("Notiz").fill("Ausbildung")
    page.get_by_role("button", name="Speichern und weiter").click()
    page.wait_for_url(re.compile(rf"/staff/analyse/beitraege/{second}\b"))
    assert "wurde gespeichert" in flash_text(page)
    page.get_by_label(label).check()
    follow(page, page.get_by_role("button", name="Speichern", exact=True))
    assert "wurde gespeichert" in flash_text(page)
    assert page.get_by_label(label).is_checked()

    # The dataset (Parquet, the default) holds the answers and their codes.
    page.goto(live_server.url("/staff/export"))
    with page.expect_download() as download:
        page.get_by_role("button", name="Export herunterladen").click()
    archive = zipfile.ZipFile(download.value.path())
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "parquet"
    answers = pq.read_table(io.BytesIO(archive.read("answers.parquet"))).to_pylist()
    texts = {row["answer_id"]: row["text"] for row in answers}
    assert [texts.get(i) for i in published_answers] == ANALYSIS_TEXTS
    codebook = pq.read_table(io.BytesIO(archive.read("codebook.parquet"))).to_pylist()
    [code_id] = [row["code_id"] for row in codebook if row["label"] == label]
    codes = pq.read_table(io.BytesIO(archive.read("codes.parquet"))).to_pylist()
    assert sorted(r["answer_id"] for r in codes if r["code_id"] == code_id) == published_answers

    # The report draft: requested here, drafted by the worker, downloaded here.
    page.goto(live_server.url("/staff/berichte"))
    follow(page, page.get_by_role("button", name="Bericht-Entwurf erzeugen"))
    assert "Wartet auf den Hintergrunddienst" in page.locator("main").inner_text()
    if not javascript:  # the browser's part is what differs; the real analysis ran with js
        monkeypatch.setattr(worker, "run_analysis", codebook_only_analysis)
    with live_server.app.app_context():
        assert worker.run_pending() == 1
        db.session.remove()
    follow(page, page.get_by_role("link", name="Aktualisieren"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Entwurf herunterladen").first.click()
    assert download.value.suggested_filename.endswith(".zip")
    draft = zipfile.ZipFile(download.value.path())
    if javascript:
        assert {"bericht.md", "bericht.html", "bericht.docx"} <= set(draft.namelist())
    report = draft.read("bericht.md").decode()
    assert "Ergebnisbericht" in report
    assert label in report
    page.close()
