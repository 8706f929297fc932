"""Demo dates look like real ones: events on weekdays at plausible hours, never on a weekend,
whatever day the demo is loaded on; the results switch moves the phases, consistently."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from dialog.common.clock import BERLIN
from dialog.events.rules import EventKind
from dialog.process.rules import PhaseKind, PhaseSpan, check_phases
from dialog.seed import EVENTS, demo_dates, event_day, event_times, results_shown

# Four weeks of load days, across the change to summer time.
DAYS = [date(2026, 3, 16) + timedelta(days=n) for n in range(28)]


def local(times: dict) -> tuple:
    return times["starts_at"].astimezone(BERLIN), times["ends_at"].astimezone(BERLIN)


@pytest.mark.parametrize("dates", [None, "historical"])
@pytest.mark.parametrize("today", DAYS)
def test_events_fall_on_weekdays_at_working_or_evening_hours(today, dates):
    for event in EVENTS:
        starts, ends = local(event_times(event, dates, today))
        assert starts.date() == ends.date(), event.title
        assert starts.weekday() in (1, 2, 3), (event.title, starts)  # Tuesday to Thursday
        if event.kind == EventKind.CITIZEN_DIALOGUE:
            assert (starts.time(), ends.time()) == (time(18), time(20)), event.title
        else:
            assert time(8) <= starts.time() and ends.time() <= time(18), event.title


@pytest.mark.parametrize("today", DAYS)
def test_event_days_lie_near_their_offset_and_keep_their_order(today):
    days = [local(event_times(e, None, today))[0].date() for e in EVENTS]
    for event, day in zip(EVENTS, days, strict=True):
        assert 0 <= (day - today - timedelta(days=event.demo_days)).days <= 4
    past = [e.title for e, day in zip(EVENTS, days, strict=True) if day < today]
    assert past == ["Hin.Gehört. in Siegen", "Hin.Gehört. in Schweinfurt"]


def test_event_day_keeps_midweek_days_and_moves_the_others_to_tuesday():
    for midweek in (date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 10)):
        assert event_day(midweek) == midweek
    assert event_day(date(2026, 12, 11)) == date(2026, 12, 15)  # Friday → Tuesday
    assert event_day(date(2026, 12, 14)) == date(2026, 12, 15)  # Monday → Tuesday
    assert event_day(date(2026, 12, 12)) == date(2026, 12, 15)  # Saturday → Tuesday
    assert event_day(date(2026, 12, 13)) == date(2026, 12, 15)  # Sunday → Tuesday


@pytest.mark.parametrize("results", [False, True])
def test_demo_phases_are_consistent_and_place_today_where_asked(results):
    today = date(2026, 12, 7)
    wanted = demo_dates(today, results=results)
    spans = [PhaseSpan(kind, kind, *span) for kind, span in wanted.items()]
    assert check_phases(spans) == []
    assert results_shown(wanted, today) is results
    dialogue_starts, dialogue_ends = wanted[PhaseKind.DIALOGUE]
    assert (dialogue_starts <= today <= dialogue_ends) is not results


@pytest.mark.parametrize("results", [False, True])
@pytest.mark.parametrize("today", DAYS)
def test_the_past_citizen_dialogues_lie_in_the_dialogue_phase_either_way(today, results):
    starts_on, ends_on = demo_dates(today, results=results)[PhaseKind.DIALOGUE]
    for event in EVENTS:
        day = local(event_times(event, None, today))[0].date()
        if event.kind == EventKind.CITIZEN_DIALOGUE and day < today:
            assert starts_on <= day <= ends_on, event.title
