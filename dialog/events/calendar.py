"""Calendar helpers: German local days, and iCalendar files (one event, or a feed)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

import icalendar

from dialog.common import mail
from dialog.common.clock import BERLIN, now_utc
from dialog.events.models import Event
from dialog.events.rules import EventStatus

PRODID = "-//Zukunftsdialog//dialog//DE"


def start_of_day(day: date, days_later: int = 0) -> datetime:
    """Midnight in Germany at the start of `day` (plus `days_later`), in UTC."""
    local = datetime.combine(day + timedelta(days=days_later), time(0), tzinfo=BERLIN)
    return local.astimezone(UTC)


def local_to_utc(value: datetime) -> datetime:
    """A naive date and time as typed by staff (German time) to an aware UTC datetime."""
    return value.replace(tzinfo=BERLIN).astimezone(UTC)


def utc_to_local(value: datetime) -> datetime:
    """An aware datetime as German time without a zone, for form fields."""
    return value.astimezone(BERLIN).replace(tzinfo=None)


def _vevent(event: Event) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", f"event-{event.id}@zukunftsdialog")
    vevent.add("dtstamp", now_utc())
    vevent.add("dtstart", event.starts_at.astimezone(UTC))
    vevent.add("dtend", event.ends_at.astimezone(UTC))
    vevent.add("summary", event.title)
    location = ", ".join(part for part in (event.venue, event.address or event.city) if part)
    vevent.add("location", location)
    vevent.add("url", mail.external_url("events.show_event", event_id=event.id))
    vevent.add("last-modified", event.updated_at.astimezone(UTC))
    if event.status == EventStatus.CANCELLED:
        vevent.add("status", "CANCELLED")
    else:
        vevent.add("status", "CONFIRMED")
    return vevent


def ics(events: Iterable[Event], name: str) -> bytes:
    """An iCalendar file with `events` (cancelled ones marked so)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # An X- property is no text to icalendar unless told: a line break in the name (an
    # event's title) would end the content line.
    cal.add("x-wr-calname", icalendar.vText(name))
    for event in events:
        cal.add_component(_vevent(event))
    return cal.to_ical()


def ics_attachment(event: Event) -> mail.Attachment:
    return mail.Attachment(
        f"veranstaltung-{event.id}.ics", "text/calendar", ics([event], event.title)
    )
