"""The pure rules of the results report: file types by content, upload checks, when results
may be published (with the real clock frozen), sizes and download names."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta

import docx
import openpyxl
import pytest

from dialog.common.clock import BERLIN, today_local
from dialog.process.rules import PhaseKind, PhaseSpan
from dialog.reports import rules
from dialog.reports.rules import PublishBlock, UploadProblem


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "docx":
        document = docx.Document()
        document.add_paragraph("Bericht")
        document.save(buffer)
    else:
        workbook = openpyxl.Workbook()
        workbook.active["A1"] = "Zahl"
        workbook.save(buffer)
    return buffer.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n...", rules.PDF),
        (b"\x89PNG\r\n\x1a\n\x00\x00", rules.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", rules.JPEG),
        (b"<!DOCTYPE html><html><p>x</p></html>", rules.HTML),
        (b"\xef\xbb\xbf  <!-- Bericht -->\n<HTML lang=de>", rules.HTML),
        (zipped({"mimetype": b"application/vnd.oasis.opendocument.text"}), rules.ODT),
        (zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), rules.ODS),
        (zipped({"[Content_Types].xml": b"<x/>", "ppt/presentation.xml": b"<x/>"}), rules.PPTX),
        # Not accepted: text, executables, other zips, broken files, HTML in Latin-1.
        (b"Nur Text, kein HTML", None),
        (b"MZ\x90\x00\x03", None),
        (zipped({"readme.txt": b"hallo"}), None),
        (zipped({"mimetype": b"application/x-unknown"}), None),
        (b"PK\x03\x04 kaputt", None),
        ("<html><p>Größe</p></html>".encode("latin-1"), None),
        (b"<p>ein Schnipsel</p>", None),
        (b"", None),
    ],
)
def test_file_types_are_recognised_by_content(data, expected):
    assert rules.detect_file_type(data) is expected


def test_office_files_from_real_libraries():
    assert rules.detect_file_type(office("docx")) is rules.DOCX
    assert rules.detect_file_type(office("xlsx")) is rules.XLSX


def test_check_upload_names_the_problem():
    pdf = b"%PDF-1.4\n" + b"0" * 100
    assert rules.check_upload(pdf, 1000, rules.REPORT_TYPES) == (rules.PDF, None)
    assert rules.check_upload(b"", 1000, rules.REPORT_TYPES) == (None, UploadProblem.EMPTY)
    assert rules.check_upload(pdf, 50, rules.REPORT_TYPES) == (None, UploadProblem.TOO_LARGE)
    png = b"\x89PNG\r\n\x1a\n"
    assert rules.check_upload(png, 1000, rules.REPORT_TYPES) == (None, UploadProblem.WRONG_TYPE)
    assert rules.check_upload(png, 1000, rules.DOWNLOAD_TYPES) == (rules.PNG, None)


def test_only_html_is_never_shown_inline_among_reports():
    assert [t.key for t in rules.REPORT_TYPES if not t.inline] == ["docx", "html"]
    assert rules.type_of_content_type("text/html; charset=utf-8") is rules.HTML
    assert rules.type_of_content_type("application/x-msdownload") is None


PHASES = [
    PhaseSpan(1, PhaseKind.ANALYSIS, date(2026, 1, 1), date(2026, 2, 28)),
    PhaseSpan(2, PhaseKind.DIALOGUE, date(2026, 3, 1), date(2026, 6, 30)),
    PhaseSpan(3, PhaseKind.RESULTS, date(2026, 9, 1), date(2026, 12, 31)),
]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 5, 1), PublishBlock.TOO_EARLY),
        (date(2026, 8, 31), PublishBlock.TOO_EARLY),
        (date(2026, 9, 1), None),
        (date(2026, 12, 31), None),
        (date(2027, 3, 1), None),  # corrections stay possible afterwards
    ],
)
def test_results_are_published_from_the_first_day_of_the_results_phase(day, expected):
    assert rules.publish_block(day, PHASES) is expected


def test_without_a_results_phase_nothing_is_published():
    assert rules.publish_block(date(2030, 1, 1), PHASES[:2]) is PublishBlock.NO_RESULTS_PHASE
    assert rules.results_phase(PHASES) is PHASES[2]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 31 August, 23:30 in Berlin: still the day before the results phase.
        (datetime.combine(date(2026, 8, 31), time(23, 30), tzinfo=BERLIN), PublishBlock.TOO_EARLY),
        # 1 September, 00:30 in Berlin is still 31 August in UTC: Berlin's day counts.
        (datetime.combine(date(2026, 9, 1), time(0, 30), tzinfo=BERLIN), None),
    ],
)
def test_the_day_is_berlins_with_a_frozen_clock(frozen_clock, moment, expected):
    frozen_clock(moment)
    assert rules.publish_block(today_local(), PHASES) is expected


def test_a_job_is_stale_after_an_hour():
    now = datetime(2026, 9, 1, 12, tzinfo=BERLIN)
    assert rules.claimable_since(now) == now - timedelta(hours=1)
    assert rules.ANALYSIS_TIMEOUT < rules.STALE_AFTER


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (830, (830, "Byte")),
        (12_345, (12, "KB")),
        (1_234_567, (1.2, "MB")),
        (25_000_000, (25.0, "MB")),
    ],
)
def test_sizes_for_people(size, expected):
    assert rules.size_parts(size) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Ergebnisbericht", "ergebnisbericht.pdf"),
        ("Größe & Überblick: Fachkräfte 2026!", "groesse-ueberblick-fachkraefte-2026.pdf"),
        ("../../etc/passwd", "etc-passwd.pdf"),
        ("¿¡?", "datei.pdf"),
        ("a" * 200, "a" * 80 + ".pdf"),
    ],
)
def test_download_names_are_plain_ascii(title, expected):
    assert rules.download_name(title, rules.PDF) == expected
