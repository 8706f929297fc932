"""The analysts' workspace passes axe-core (WCAG 2.1 A/AA) and reflows at 320 px."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dialog.accounts.services import create_user
from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AnswerStatus
from dialog.coding.models import Code, CodeAssignment, CodingSample, CodingSampleAnswer
from dialog.common.permissions import Role
from dialog.extensions import db
from dialog.process.models import ThemeField
from tests.browser.conftest import _logged_in_context
from tests.browser.test_accessibility import assert_accessible, assert_no_horizontal_scrolling
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

LEAD_EMAIL = "analyseleitung@example.org"
CODER_EMAIL = "analyse@example.org"
TEXT = "Wir fordern eine echte Entlastung der Pflegekräfte durch mehr Personal und mehr Geld."


@pytest.fixture(scope="module")
def coding_ids(live_server):
    """Two analysts, a small codebook, answers (three copies: a possible campaign), a sample."""
    with live_server.app.app_context():
        lead = create_user(None, LEAD_EMAIL, PASSWORD, {Role.ANALYST_LEAD, Role.ANALYST})
        coder = create_user(None, CODER_EMAIL, PASSWORD, {Role.ANALYST})
        theme = db.session.get(ThemeField, live_server.ids["theme_id"])
        from datetime import date

        answers = []
        for text in (TEXT, TEXT, TEXT, "Ein eigener Gedanke zur Weiterbildung im Betrieb."):
            submission = Submission(
                theme_field_id=theme.id, received_on=date(2026, 3, 2), publication_consent=True
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
        parent = Code(process_id=theme.process_id, label="Pflege", description="Pflegeberufe")
        db.session.add(parent)
        db.session.flush()
        db.session.add(Code(process_id=theme.process_id, label="Bezahlung", parent_id=parent.id))
        sample = CodingSample(
            process_id=theme.process_id,
            name="Probe",
            percent=50,
            seed=1,
            filters={},
            coder_a_id=lead.id,
            coder_b_id=coder.id,
        )
        db.session.add(sample)
        db.session.flush()
        db.session.add(CodingSampleAnswer(sample_id=sample.id, answer_id=answers[0].id))
        db.session.commit()
        ids = {"answer_id": answers[0].id, "code_id": parent.id, "sample_id": sample.id}
        db.session.remove()
    yield ids
    with live_server.app.app_context():
        db.session.execute(sa.update(Code).values(parent_id=None, merged_into_id=None))
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="module")
def lead_context(browser, live_server, coding_ids):
    context = _logged_in_context(browser, live_server, LEAD_EMAIL)
    yield context
    context.close()


@pytest.fixture
def lead_page(lead_context):
    page = lead_context.new_page()
    yield page
    page.close()


PAGES = {
    "list": "/staff/analyse/beitraege",
    "list-campaign": "/staff/analyse/beitraege?kampagne=y&thema=abc",
    "answer": "/staff/analyse/beitraege/{answer_id}",
    "answer-sample": "/staff/analyse/beitraege/{answer_id}?stichprobe={sample_id}",
    "bulk-confirm": "/staff/analyse/beitraege/sammelzuordnung?sammelcode={code_id}",
    "codebook": "/staff/analyse/codebuch",
    "code": "/staff/analyse/codebuch/{code_id}",
    "samples": "/staff/analyse/stichproben",
    "sample-new": "/staff/analyse/stichproben/neu",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_coding_page(lead_page, live_server, coding_ids, path):
    url = live_server.url(path, **coding_ids)
    response = lead_page.goto(url)
    assert response.status == 200
    assert lead_page.url == url, "not logged in"
    assert_accessible(lead_page)
    lead_page.set_viewport_size({"width": 320, "height": 900})
    lead_page.reload()
    assert_no_horizontal_scrolling(lead_page)


def test_coding_by_keyboard_with_errors(lead_page, live_server, coding_ids):
    """Rating errors are announced at the field; Enter saves and opens the next answer."""
    url = live_server.url("/staff/analyse/beitraege/{answer_id}", **coding_ids)
    lead_page.goto(url)
    lead_page.get_by_label("Pflege (allgemein)").check()
    lead_page.get_by_label("Notiz").fill("Forderung nach mehr Personal")
    lead_page.get_by_role("button", name="Speichern", exact=True).click()
    lead_page.wait_for_load_state()
    assert "wurde gespeichert" in lead_page.locator(".flashes").inner_text()
    assert lead_page.get_by_label("Pflege (allgemein)").is_checked()
    # A forged rating value gets a German message at the field, accessibly.
    lead_page.locator('input[name="effectiveness"]').first.evaluate("e => e.value = '9'")
    lead_page.locator('input[name="effectiveness"]').first.check()
    lead_page.get_by_role("button", name="Speichern", exact=True).click()
    lead_page.wait_for_load_state()
    assert "Bewertung von 1 bis 5" in lead_page.locator(".error-summary").inner_text()
    assert_accessible(lead_page)
    # Space ticks a code; Enter there sends the form with its first button, "Speichern und weiter".
    lead_page.goto(url)
    lead_page.get_by_label("Bezahlung").focus()
    lead_page.keyboard.press("Space")
    with lead_page.expect_navigation():
        lead_page.keyboard.press("Enter")
    assert lead_page.url != url and "/staff/analyse/beitraege/" in lead_page.url
    with live_server.app.app_context():
        labels = db.session.scalars(
            sa.select(Code.label)
            .join(CodeAssignment, CodeAssignment.code_id == Code.id)
            .where(CodeAssignment.answer_id == coding_ids["answer_id"])
        )
        assert set(labels) == {"Pflege", "Bezahlung"}
        db.session.remove()
