"""Staff manage events: create, validate, publish, raise capacity, cancel; roles."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from dialog.common.audit import AuditEntry
from dialog.common.permissions import Role
from dialog.events.models import Event, Registration
from dialog.events.rules import EventStatus, RegistrationStatus
from dialog.extensions import db
from dialog.process.models import Process, ThemeField
from tests.conftest import post_form
from tests.web.event_helpers import mails_to, make_event, register, statuses


def event_form(**overrides) -> dict:
    process = db.session.scalar(sa.select(Process))
    theme = db.session.scalar(sa.select(ThemeField).order_by(ThemeField.position))
    return {
        "process_id": str(process.id),
        "kind": "citizen_dialogue",
        "status": "published",
        "title": "Hin.Gehört. in Neustadt",
        "city": "Neustadt",
        "bundesland": "DE-RP",
        "venue": "Saalbau",
        "address": "Bahnhofstraße 1, 67433 Neustadt",
        "starts_at": "2031-03-14T17:00",
        "ends_at": "14.03.2031 20:00",
        "capacity": "120",
        "theme_fields": [str(theme.id)],
        "description": "Kommen Sie **vorbei**! <script>alert(1)</script>",
        "accessibility": "Stufenlos erreichbar.",
        **overrides,
    }


def test_admin_creates_an_event_in_german_time(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    response = post_form(client, "/staff/veranstaltungen/neu", event_form())
    assert response.status_code == 302
    event = db.session.scalar(sa.select(Event).where(Event.title == "Hin.Gehört. in Neustadt"))
    assert event.starts_at == datetime(2031, 3, 14, 16, 0, tzinfo=UTC)  # CET is UTC+1
    assert event.ends_at == datetime(2031, 3, 14, 19, 0, tzinfo=UTC)
    assert event.status == EventStatus.PUBLISHED
    assert [t.title for t in event.theme_fields] == ["Arbeitspotenziale erschließen"]
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "event.create"))
    public = client.get(f"/veranstaltungen/{event.id}").text
    assert "<strong>vorbei</strong>" in public
    assert "<script>alert(1)</script>" not in public
    # The edit form shows the stored times in German time again.
    edit = client.get(f"/staff/veranstaltungen/{event.id}/bearbeiten").text
    assert 'value="2031-03-14T17:00"' in edit


def test_event_form_explains_problems_in_german_and_keeps_input(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    response = post_form(
        client,
        "/staff/veranstaltungen/neu",
        event_form(ends_at="2031-03-14T16:00", capacity="", title="Mein Titel"),
    )
    assert response.status_code == 200
    assert "Das Ende muss nach dem Beginn liegen." in response.text
    assert "Veranstaltungen mit Anmeldung brauchen eine Zahl von Plätzen." in response.text
    assert 'value="Mein Titel"' in response.text
    bad_date = post_form(client, "/staff/veranstaltungen/neu", event_form(starts_at="morgen"))
    assert bad_date.status_code == 200
    assert db.session.scalar(sa.select(Event).where(Event.title == "Mein Titel")) is None


def test_capacity_cannot_drop_below_the_seats_taken(client, seeded, make_user, login):
    event = make_event(capacity=3)
    for i in range(3):
        register(client, event.id, f"p{i}@example.org")
    login(make_user(Role.ADMIN))
    url = f"/staff/veranstaltungen/{event.id}/bearbeiten"
    response = post_form(client, url, event_form(capacity="2", title=event.title))
    assert "Es sind bereits 3 Plätze vergeben" in response.text
    response = post_form(client, url, event_form(capacity="5", title=event.title))
    assert response.status_code == 302
    assert statuses(event.id) == [RegistrationStatus.HELD] * 3


def test_staff_event_page_lists_participants_by_status(client, seeded, make_user, login):
    event = make_event(capacity=1)
    register(client, event.id, "held@example.org", name="Hanna Halter")
    register(client, event.id, "wait@example.org", name="Willi Warte")
    login(make_user(Role.ADMIN))
    page = client.get(f"/staff/veranstaltungen/{event.id}").text
    assert "Hanna Halter" in page and "Willi Warte" in page
    waitlist = client.get(f"/staff/veranstaltungen/{event.id}?status=waitlisted").text
    assert "Willi Warte" in waitlist and "Hanna Halter" not in waitlist
    assert client.get(f"/staff/veranstaltungen/{event.id}?status=%00").status_code == 200


def test_cancelling_asks_for_a_note_and_confirmation(client, seeded, make_user, login):
    event = make_event(capacity=2)
    register(client, event.id, "a@example.org")
    login(make_user(Role.ADMIN))
    url = f"/staff/veranstaltungen/{event.id}/absagen"
    unconfirmed = post_form(client, url, {"note": "Krankheit"})
    assert "Bitte bestätigen Sie die Absage." in unconfirmed.text
    assert statuses(event.id) == [RegistrationStatus.HELD]
    done = post_form(client, url, {"note": "Krankheit", "confirm": "y"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.CANCELLED
    assert statuses(event.id) == [RegistrationStatus.CANCELLED]
    assert "Krankheit" in mails_to("a@example.org")[-1].body_text
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "event.cancel"))
    # A cancelled event cannot be published again by editing it.
    edit = post_form(
        client,
        f"/staff/veranstaltungen/{event.id}/bearbeiten",
        event_form(status="cancelled", title=event.title),
    )
    assert edit.status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.CANCELLED


def test_only_admins_manage_events(client, seeded, make_user, login):
    event = make_event()
    urls = [
        "/staff/veranstaltungen",
        "/staff/veranstaltungen/neu",
        f"/staff/veranstaltungen/{event.id}",
        f"/staff/veranstaltungen/{event.id}/bearbeiten",
        f"/staff/veranstaltungen/{event.id}/absagen",
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login
    login(make_user(Role.MODERATOR))
    for url in urls:
        assert client.get(url).status_code == 403


def test_participant_downloads_csv_and_xlsx(client, seeded, make_user, login):
    import io

    from openpyxl import load_workbook

    event = make_event(capacity=1)
    register(client, event.id, "a@example.org", name='=HYPERLINK("http://x")')
    register(client, event.id, "b@example.org", name="Björn Übermut")
    login(make_user(Role.ADMIN))
    csv_response = client.get(f"/staff/veranstaltungen/{event.id}/teilnehmende.csv")
    assert csv_response.status_code == 200
    assert "attachment" in csv_response.headers["Content-Disposition"]
    text = csv_response.data.decode("utf-8")
    assert text.startswith("\ufeffNr.;Status;Name")
    assert "Björn Übermut" in text
    assert "'=HYPERLINK" in text  # no formula injection into Excel
    waiting = client.get(f"/staff/veranstaltungen/{event.id}/teilnehmende.csv?status=waitlisted")
    assert "Björn" in waiting.data.decode() and "HYPERLINK" not in waiting.data.decode()
    xlsx = client.get(f"/staff/veranstaltungen/{event.id}/teilnehmende.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Nr.", "Status", "Name")
    assert {r[2] for r in rows[1:]} == {'\'=HYPERLINK("http://x")', "Björn Übermut"}
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.action == "event.download_participants")
    ).all()
    assert len(actions) == 3
    assert client.get(f"/staff/veranstaltungen/{event.id}/teilnehmende.pdf").status_code == 404


def test_check_in_at_the_door(client, seeded, make_user, login):
    event = make_event(capacity=2)
    register(client, event.id, "anna@example.org", name="Anna Arendt")
    register(client, event.id, "bert@example.org", name="Bert Brecht")
    login(make_user(Role.ADMIN))
    door = f"/staff/veranstaltungen/{event.id}/einlass"
    page = client.get(door).text
    assert page.index("Anna Arendt") < page.index("Bert Brecht")
    assert "0 von 2 Personen eingecheckt" in page
    anna = db.session.scalar(sa.select(Registration).where(Registration.name == "Anna Arendt"))
    response = post_form(client, f"{door}/{anna.id}", {"present": "1"}, form_url=door)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "Anna Arendt ist eingecheckt." in page
    assert "1 von 2 Personen eingecheckt" in page
    assert "Bert Brecht" in client.get(door + "?suche=bert").text
    assert "Anna Arendt" not in client.get(door + "?suche=bert").text
    post_form(client, f"{door}/{anna.id}", {"present": "0"}, form_url=door)
    db.session.expire_all()
    assert db.session.get(Registration, anna.id).checked_in_at is None
    other = make_event(title="Andere")
    assert (
        post_form(
            client,
            f"/staff/veranstaltungen/{other.id}/einlass/{anna.id}",
            {"present": "1"},
            form_url=door,
        ).status_code
        == 404
    )


def test_message_to_all_participants(client, seeded, make_user, login):
    event = make_event(capacity=1)
    register(client, event.id, "seat@example.org")
    register(client, event.id, "wait@example.org")
    login(make_user(Role.ADMIN))
    url = f"/staff/veranstaltungen/{event.id}/nachricht"
    empty = post_form(client, url, {"subject": "", "body": ""})
    assert "Bitte geben Sie einen Betreff ein." in empty.text
    post_form(client, url, {"subject": "Anfahrt", "body": "Parkplätze gibt es am Bahnhof."})
    assert mails_to("seat@example.org")[-1].subject == "Anfahrt"
    assert "Parkplätze gibt es am Bahnhof." in mails_to("seat@example.org")[-1].body_text
    assert all(m.subject != "Anfahrt" for m in mails_to("wait@example.org"))
    post_form(client, url, {"subject": "Warteliste", "body": "Hallo", "include_waitlist": "y"})
    assert mails_to("wait@example.org")[-1].subject == "Warteliste"
