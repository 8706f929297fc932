"""The reports pages in a real browser: axe-core (WCAG 2.1 A/AA), reflow at 320 px, and
publishing through the real upload form without JavaScript."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from dialog.common.clock import today_local
from dialog.extensions import db
from dialog.process.models import Phase
from dialog.process.rules import PhaseKind
from dialog.reports.models import PublishedFile, ReportJob
from dialog.reports.rules import JobStatus
from tests.browser.test_accessibility import assert_accessible, assert_no_horizontal_scrolling

pytestmark = pytest.mark.browser

PDF_BYTES = b"%PDF-1.7\n" + b"1 0 obj << >> endobj\n" * 80 + b"%%EOF\n"
RESULTS = "/dialog/mission-fachkraft/ergebnisse"
PUBLISH = "/staff/berichte/{process_id}/veroeffentlichung"


@pytest.fixture(scope="module")
def jobs(live_server):
    """A finished, a failed and a waiting draft, as the staff page lists them."""
    now = datetime.now(UTC)
    with live_server.app.app_context():
        process_id = live_server.ids["process_id"]
        db.session.add_all(
            [
                ReportJob(
                    process_id=process_id,
                    requested_at=now - timedelta(hours=2),
                    status=JobStatus.DONE,
                    started_at=now - timedelta(hours=2),
                    finished_at=now - timedelta(hours=1),
                    attempts=1,
                    result=b"PK\x05\x06" + b"\x00" * 18,
                    result_size=22,
                ),
                ReportJob(
                    process_id=process_id,
                    requested_at=now - timedelta(minutes=30),
                    status=JobStatus.FAILED,
                    finished_at=now - timedelta(minutes=29),
                    attempts=1,
                    error="Die Auswertung ist fehlgeschlagen: Fehler: Export unlesbar",
                ),
                ReportJob(process_id=process_id, requested_at=now, status=JobStatus.QUEUED),
            ]
        )
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="module")
def results_phase_today(live_server):
    """Move the results phase so that today lies in it, for the rest of this module."""
    with live_server.app.app_context():
        today = today_local()
        db.session.execute(
            sa.update(Phase)
            .where(
                Phase.process_id == live_server.ids["process_id"],
                Phase.kind == PhaseKind.RESULTS,
            )
            .values(starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=90))
        )
        db.session.commit()
        db.session.remove()


def assert_unique_ids(page) -> None:
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_results_page_before_publication(page, live_server):
    response = page.goto(live_server.url(RESULTS))
    assert response.status == 200
    assert page.get_by_role("heading", name="Die Ergebnisse sind noch nicht veröffentlicht")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 900})
    assert_no_horizontal_scrolling(page)


def test_staff_reports_page_with_jobs(admin_page, live_server, jobs):
    response = admin_page.goto(live_server.url("/staff/berichte"))
    assert response.status == 200
    assert admin_page.get_by_role("link", name="Entwurf herunterladen").count() == 1
    assert admin_page.get_by_text("Export unlesbar").count() == 1
    assert_accessible(admin_page)
    admin_page.set_viewport_size({"width": 320, "height": 900})
    assert_no_horizontal_scrolling(admin_page)


def test_requesting_a_draft_in_the_browser(admin_page, live_server, jobs):
    admin_page.goto(live_server.url("/staff/berichte"))
    admin_page.get_by_role("button", name="Bericht-Entwurf erzeugen").click()
    admin_page.wait_for_load_state()
    # A job of this process is already waiting: it is reused, and the page says so.
    assert "bereits ein Entwurf" in admin_page.locator(".flashes").inner_text()
    assert_accessible(admin_page)


def test_publish_page_before_the_results_phase(admin_page, live_server):
    admin_page.goto(live_server.url(PUBLISH))
    assert "erst ab dem ersten Tag der Ergebnisphase" in admin_page.locator("main").inner_text()
    assert_accessible(admin_page)


def test_publish_form_errors_are_accessible(admin_page, live_server, results_phase_today):
    admin_page.goto(live_server.url(PUBLISH))
    admin_page.get_by_role("button", name="Bericht veröffentlichen").click()
    admin_page.wait_for_load_state()
    summary = admin_page.locator(".error-summary")
    assert "Bitte geben Sie einen Titel ein." in summary.inner_text()
    assert "Bitte wählen Sie eine Datei aus." in summary.inner_text()
    assert_unique_ids(admin_page)
    assert_accessible(admin_page)


def test_publishing_through_the_form_and_the_public_page(
    browser, admin_page, page, live_server, results_phase_today
):
    admin_page.goto(live_server.url(PUBLISH))
    report_form = admin_page.locator("form", has=admin_page.locator("#report-title"))
    report_form.get_by_label("Titel").fill("Ergebnisbericht Mission Fachkraft")
    report_form.get_by_label("Datei").set_input_files(
        files=[{"name": "bericht.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    report_form.get_by_role("button", name="Bericht veröffentlichen").click()
    admin_page.wait_for_load_state()
    assert "Der Ergebnisbericht ist veröffentlicht." in admin_page.locator(".flashes").inner_text()

    downloads_form = admin_page.locator("form", has=admin_page.locator("#download-title"))
    downloads_form.get_by_label("Titel").fill("Kurzfassung")
    downloads_form.get_by_label("Kurzbeschreibung (optional)").fill("Die Ergebnisse auf 4 Seiten.")
    downloads_form.get_by_label("Datei").set_input_files(
        files=[{"name": "kurz.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    downloads_form.get_by_role("button", name="Datei veröffentlichen").click()
    admin_page.wait_for_load_state()
    assert_unique_ids(admin_page)
    assert_accessible(admin_page)

    page.goto(live_server.url(RESULTS))
    link = page.get_by_role("link", name="Ergebnisbericht Mission Fachkraft (PDF, 2 KB)")
    assert link.count() == 1
    assert page.get_by_role("heading", name="Der Dialog in Zahlen").count() == 1
    assert page.get_by_role("link", name="Kurzfassung").count() == 1
    assert_unique_ids(page)
    assert_accessible(page)
    response = page.request.get(live_server.url(link.get_attribute("href")))
    assert response.status == 200
    assert response.body() == PDF_BYTES
    assert response.headers["x-content-type-options"] == "nosniff"
    page.set_viewport_size({"width": 320, "height": 900})
    assert_no_horizontal_scrolling(page)

    page.goto(live_server.url("/dialog/mission-fachkraft"))
    assert page.get_by_role("link", name="Ergebnisse", exact=True).count() == 1

    with live_server.app.app_context():
        db.session.execute(sa.delete(PublishedFile))
        db.session.commit()
        db.session.remove()
