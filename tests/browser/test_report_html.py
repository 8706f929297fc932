"""The drafted Ergebnisbericht's HTML file passes axe-core in a real browser, and reflows."""

from __future__ import annotations

import pytest

from analysis.__main__ import main as analysis_main
from dialog.answers.generate import generate_answers
from dialog.coding.generate import generate_codings
from dialog.export.services import ExportFilters, ExportFormat, write_export
from dialog.extensions import db
from dialog.seed import PROCESS_SLUG
from tests.browser.conftest import new_context
from tests.browser.test_accessibility import assert_accessible, assert_no_horizontal_scrolling

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report_html(live_server, tmp_path_factory):
    """A report drafted from an export of generated answers: some coded, some not."""
    folder = tmp_path_factory.mktemp("bericht")
    with live_server.app.app_context():
        generate_answers(300, PROCESS_SLUG, seed=7)
        generate_codings(PROCESS_SLUG, per_answer=2, seed=7)
        generate_answers(200, PROCESS_SLUG, seed=8)  # left uncoded: theme suggestions
        db.session.commit()
        write_export(folder / "export.zip", ExportFormat.PARQUET, ExportFilters())
        db.session.commit()
        db.session.remove()
    assert analysis_main([str(folder / "export.zip"), "--out", str(folder / "out")]) == 0
    return folder / "out" / "bericht.html"


def test_report_html_is_accessible(browser, report_html):
    context = new_context(browser)
    page = context.new_page()
    page.goto(report_html.as_uri())
    assert page.get_by_role("heading", level=1).inner_text().startswith("Ergebnisbericht")
    assert page.get_by_role("heading", name="Methodik").count() == 1
    page.locator("details").first.locator("summary").click()  # a chart's table opens
    assert page.locator("details").first.locator("table").is_visible()
    assert_accessible(page)
    context.close()


def test_report_html_reflows_at_320_px(browser, report_html):
    context = new_context(browser, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(report_html.as_uri())
    assert_no_horizontal_scrolling(page)
    context.close()
