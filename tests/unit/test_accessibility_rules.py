"""Pure rules of the accessibility pages: which video addresses are self-hosted, retention."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialog.accessibility.rules import (
    VideoProblem,
    needs_consent,
    retention_cutoff,
    video_problem,
    video_type,
)

SITE = "https://dialog.example.org"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", None),
        ("/medien/dgs.mp4", None),
        ("  /medien/dgs.webm  ", None),
        ("https://dialog.example.org/medien/dgs.mp4", None),
        ("https://DIALOG.example.org/medien/dgs.mp4", None),
        ("http://dialog.example.org/medien/dgs.mp4", None),
        ("https://www.youtube.com/embed/abc", VideoProblem.EXTERNAL),
        ("https://dialog.example.org.evil.example/dgs.mp4", VideoProblem.EXTERNAL),
        ("https://dialog.example.org:8443/dgs.mp4", VideoProblem.EXTERNAL),
        ("//cdn.example.com/dgs.mp4", VideoProblem.EXTERNAL),
        ("javascript:alert(1)", VideoProblem.NOT_A_PATH),
        ("data:video/mp4;base64,AAAA", VideoProblem.NOT_A_PATH),
        ("ftp://dialog.example.org/dgs.mp4", VideoProblem.NOT_A_PATH),
        ("medien/dgs.mp4", VideoProblem.NOT_A_PATH),
        ("/\\cdn.example.com/dgs.mp4", VideoProblem.NOT_A_PATH),
    ],
)
def test_only_videos_on_this_site_are_allowed(url, problem):
    assert video_problem(url, SITE) == problem


@pytest.mark.parametrize(
    ("url", "mime"),
    [
        ("/medien/dgs.mp4", "video/mp4"),
        ("/medien/DGS.WEBM", "video/webm"),
        ("/medien/dgs.ogv?v=2", "video/ogg"),
        ("/medien/dgs", None),
        ("/medien/dgs.mov", None),
    ],
)
def test_video_type_from_the_file_name(url, mime):
    assert video_type(url) == mime


def test_retention_cutoff_counts_days_back():
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert retention_cutoff(now, 180) == datetime(2026, 6, 4, 12, tzinfo=UTC)
    assert retention_cutoff(now, 0) == now


@pytest.mark.parametrize(
    ("name", "email", "needed"),
    [("", "", False), ("  ", "", False), ("Erika", "", True), ("", "e@example.org", True)],
)
def test_consent_only_for_contact_data(name, email, needed):
    assert needs_consent(name, email) is needed
