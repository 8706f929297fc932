"""Regression tests for the server errors found by tests/security/test_fuzz_routes.py."""

from __future__ import annotations

import io

import pytest

from tests.web.answer_helpers import THEME_URL
from tests.web.event_helpers import register


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


def test_nul_in_form_and_query_values_is_dropped(client, seeded):
    """PostgreSQL refuses NUL in text: a registration with one was a 500 there."""
    from tests.web.event_helpers import make_event, registrations

    event = make_event()
    response = register(client, event.id, "a@example.org", name="Erika\x00 Muster")
    assert response.status_code == 302
    assert [r.name for r in registrations(event.id)] == ["Erika Muster"]
    assert client.get("/veranstaltungen?art=\x00&seite=1\x00").status_code == 200


def test_participant_download_with_control_characters(client, seeded, make_user, login):
    """XML cannot hold most C0 control characters: openpyxl refused the sheet or, for the
    event's title, the workbook's properties (500)."""
    from openpyxl import load_workbook

    from dialog.common.permissions import Role
    from tests.web.event_helpers import make_event

    event = make_event(title="Hin.Geh\x0bört.")
    register(client, event.id, "b@example.org", name="Erika\x0b Muster", support_needs="Ram\x1fpe")
    login(make_user(Role.ADMIN))
    response = client.get(f"/staff/veranstaltungen/{event.id}/teilnehmende.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.values)
    assert rows[1][2] == "Erika Muster" and rows[1][7] == "Rampe"
    csv = client.get(f"/staff/veranstaltungen/{event.id}/teilnehmende.csv")
    assert "Erika\x0b Muster" in csv.get_data(as_text=True)  # CSV can hold it


def test_event_ics_with_a_line_break_in_the_title(client, seeded):
    """The calendar's name is the event's title; a line break in it ended the line (500)."""
    from tests.web.event_helpers import make_event

    event = make_event(title="Hin.Gehört.\nin Teststadt")
    response = client.get(f"/veranstaltungen/{event.id}.ics")
    assert response.status_code == 200
    assert "X-WR-CALNAME:Hin.Gehört.\\nin Teststadt" in response.get_data(as_text=True)
    assert client.get("/veranstaltungen.ics").status_code == 200
