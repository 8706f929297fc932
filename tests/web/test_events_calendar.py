"""The public calendar: lists, filters, pages, the iCalendar feed and the .ics per event."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import sqlalchemy as sa

from dialog.common.clock import now_utc
from dialog.common.regions import Bundesland
from dialog.events.rules import EventKind, EventStatus
from dialog.extensions import db
from dialog.process.models import ThemeField
from tests.web.event_helpers import make_event, without_demo_events


def titles(html: str, candidates: list[str]) -> set[str]:
    return {t for t in candidates if t in html}


def test_calendar_lists_upcoming_public_events_soonest_first(client, seeded):
    soon = make_event(
        title="Bald",
        starts_at=now_utc() + timedelta(days=2),
        ends_at=now_utc() + timedelta(days=2, hours=2),
    )
    later = make_event(
        title="Später",
        starts_at=now_utc() + timedelta(days=40),
        ends_at=now_utc() + timedelta(days=40, hours=2),
    )
    make_event(title="Entwurf", status=EventStatus.DRAFT)
    make_event(
        title="Vorbei",
        starts_at=now_utc() - timedelta(days=3),
        ends_at=now_utc() - timedelta(days=3) + timedelta(hours=2),
    )
    make_event(title="Abgesagt-Termin", status=EventStatus.CANCELLED)
    html = client.get("/veranstaltungen").text
    shown = titles(html, ["Bald", "Später", "Entwurf", "Vorbei", "Abgesagt-Termin"])
    assert shown == {"Bald", "Später", "Abgesagt-Termin"}
    assert html.index("Bald") < html.index("Später")
    assert f"/veranstaltungen/{soon.id}" in html and f"/veranstaltungen/{later.id}" in html
    past = client.get("/veranstaltungen?zeitraum=vergangen").text
    assert titles(past, ["Bald", "Vorbei", "Entwurf"]) == {"Vorbei"}


def test_calendar_filters(client, seeded):
    themes = db.session.scalars(sa.select(ThemeField).order_by(ThemeField.position)).all()
    make_event(title="Dialog-Hessen", bundesland=Bundesland.HE, theme_fields=[themes[0]])
    make_event(title="Dialog-Bayern", bundesland=Bundesland.BY, theme_fields=[themes[1]])
    make_event(title="Werkstatt-Hessen", kind=EventKind.PRACTICE_WORKSHOP, theme_fields=[])
    in_month = now_utc() + timedelta(days=60)
    make_event(
        title="Dialog-Später",
        starts_at=in_month,
        ends_at=in_month + timedelta(hours=2),
        theme_fields=[themes[0]],
    )
    names = ["Dialog-Hessen", "Dialog-Bayern", "Werkstatt-Hessen", "Dialog-Später"]

    def shown(query: str) -> set[str]:
        response = client.get("/veranstaltungen?" + query)
        assert response.status_code == 200
        return titles(response.text, names)

    assert shown("bundesland=DE-BY") == {"Dialog-Bayern"}
    assert shown("art=practice_workshop") == {"Werkstatt-Hessen"}
    assert shown(f"thema={themes[1].id}") == {"Dialog-Bayern"}
    later = (now_utc() + timedelta(days=50)).date().isoformat()
    assert shown(f"von={later}") == {"Dialog-Später"}
    until = (now_utc() + timedelta(days=20)).date().strftime("%d.%m.%Y")
    assert shown(f"bis={until}") == {"Dialog-Hessen", "Dialog-Bayern", "Werkstatt-Hessen"}
    # Unknown or malformed filter values count as "alle", never as an error.
    assert shown("bundesland=XX&art=%00&thema=abc&von=31.02.2027&bis=gestern&seite=-3") == set(
        names
    )
    assert shown("seite=99999999999999999999") == set()


def test_calendar_pages_through_hundreds_of_events(client, seeded):
    without_demo_events()
    starts = now_utc() + timedelta(days=1)
    for i in range(60):
        make_event(
            title=f"Aktionswoche {i:03d}",
            starts_at=starts + timedelta(hours=i),
            ends_at=starts + timedelta(hours=i + 1),
        )
    first = client.get("/veranstaltungen").text
    assert "60 kommende Veranstaltungen" in first
    assert "Aktionswoche 000" in first and "Aktionswoche 024" in first
    assert "Aktionswoche 025" not in first
    assert "Seite 1 von 3" in first
    third = client.get("/veranstaltungen?seite=3").text
    assert "Aktionswoche 059" in third and "Aktionswoche 049" not in third


def test_ics_feed_and_single_event(client, seeded):
    without_demo_events()
    event = make_event(title="Hin.Gehört. in Feedstadt")
    make_event(title="Abgesagt in Feedstadt", status=EventStatus.CANCELLED)
    make_event(title="Geheimer Entwurf", status=EventStatus.DRAFT)
    feed = client.get("/veranstaltungen.ics")
    assert feed.status_code == 200
    assert feed.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(feed.data)
    vevents = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(vevents) == {"Hin.Gehört. in Feedstadt", "Abgesagt in Feedstadt"}
    assert str(vevents["Abgesagt in Feedstadt"]["status"]) == "CANCELLED"
    single = client.get(f"/veranstaltungen/{event.id}.ics")
    assert "attachment" in single.headers["Content-Disposition"]
    [vevent] = icalendar.Calendar.from_ical(single.data).walk("VEVENT")
    assert vevent.decoded("dtstart") == event.starts_at
    assert vevent.decoded("dtend") == event.ends_at
    assert str(vevent["url"]).endswith(f"/veranstaltungen/{event.id}")
    # The feed honours the calendar's filters.
    filtered = client.get("/veranstaltungen.ics?bundesland=DE-BY")
    assert icalendar.Calendar.from_ical(filtered.data).walk("VEVENT") == []


def test_event_page_shows_times_in_german_time(client, seeded):
    from datetime import datetime

    from dialog.common.clock import BERLIN

    starts = datetime(2031, 7, 3, 17, 0, tzinfo=BERLIN)  # summer time: 15:00 UTC
    event = make_event(starts_at=starts, ends_at=starts + timedelta(hours=3), venue="Rathaus")
    html = client.get(f"/veranstaltungen/{event.id}").text
    assert "Donnerstag, 3. Juli 2031, 17:00" in html
    assert "20:00" in html
    assert "Rathaus" in html
