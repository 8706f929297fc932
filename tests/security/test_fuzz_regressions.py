"""Regression tests for the server errors found by tests/security/test_fuzz_routes.py."""

from __future__ import annotations

import pytest

from tests.web.answer_helpers import THEME_URL


def test_head_request_on_the_theme_page_is_answered(client, seeded):
    """HEAD reaches every GET view; the answer form was built for GET only (500)."""
    response = client.head(THEME_URL)
    assert response.status_code == 200
    assert response.get_data() == b""


@pytest.mark.parametrize(
    "url",
    [
        "/dialog/mission-fachkraft/%00",
        "/dialog/%00",
        "/dialog/mission-fachkraft%00/antworten",
        "/seite/daten%00schutz",
        "/beitrag/%00",
        "/veranstaltungen/einladung/%01",
        "/sprache/d%1Fe",
    ],
)
def test_control_characters_in_url_parameters_are_not_found(client, seeded, url):
    """PostgreSQL refuses NUL in text: a slug with one reached the database (500 there)."""
    response = client.get(url)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.get_data(as_text=True)
