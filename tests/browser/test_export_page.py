"""The export page in a real browser: accessible (axe-core), with errors, and downloading."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.browser.test_accessibility import (
    assert_accessible,
    assert_no_horizontal_scrolling,
)

pytestmark = pytest.mark.browser

URL = "/staff/export"


def test_export_page_is_accessible(admin_page, live_server):
    response = admin_page.goto(live_server.url(URL))
    assert response.status == 200
    assert admin_page.get_by_role("heading", level=1).inner_text() == "Datenexport"
    assert (
        admin_page.get_by_role("link", name="Datenexport").get_attribute("aria-current") == "page"
    )
    assert_accessible(admin_page)
    assert_no_horizontal_scrolling(admin_page)


def test_export_page_with_errors_is_accessible(admin_page, live_server):
    admin_page.goto(live_server.url(URL))
    admin_page.get_by_label("Eingegangen ab dem").fill("2025-05-02")
    admin_page.get_by_label("Eingegangen bis einschließlich").fill("2025-05-01")
    admin_page.get_by_role("button", name="Export herunterladen").click()
    admin_page.wait_for_load_state()
    summary = admin_page.locator(".error-summary")
    assert "Das Ende darf nicht vor dem Beginn liegen." in summary.inner_text()
    field = admin_page.get_by_label("Eingegangen bis einschließlich")
    assert field.get_attribute("aria-invalid") == "true"
    assert_accessible(admin_page)


def test_export_downloads_a_zip(admin_page, live_server, tmp_path):
    admin_page.goto(live_server.url(URL))
    admin_page.get_by_label("CSV für Excel (UTF-8 mit BOM, Semikolon)").check()
    with admin_page.expect_download() as download_info:
        admin_page.get_by_role("button", name="Export herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.startswith("dialog-export-")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    archive = zipfile.ZipFile(target)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "csv-excel"
    assert "answers.csv" in archive.namelist()


def test_moderator_may_not_export(moderator_page, live_server):
    response = moderator_page.goto(live_server.url(URL))
    assert response.status == 403
    assert moderator_page.get_by_role("link", name="Datenexport").count() == 0
