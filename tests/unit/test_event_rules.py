"""The pure rules of events: registration window, admission, holds and event checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dialog.events.rules import (
    Admission,
    EventKind,
    EventPlan,
    EventProblem,
    EventStatus,
    RegistrationStatus,
    WindowState,
    check_event,
    hold_deadline,
    registration_window,
)

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
START = NOW + timedelta(days=10)


def window(**overrides) -> WindowState:
    facts = {
        "kind": EventKind.CITIZEN_DIALOGUE,
        "status": EventStatus.PUBLISHED,
        "starts_at": START,
        "opens_at": None,
        "closes_at": None,
    }
    return registration_window(NOW, **{**facts, **overrides})


def test_registration_is_open_from_publication_until_the_start_by_default():
    assert window() == WindowState.OPEN
    assert window(starts_at=NOW) == WindowState.OVER
    assert window(starts_at=NOW - timedelta(hours=1)) == WindowState.OVER


@pytest.mark.parametrize(
    ("opens", "closes", "expected"),
    [
        (NOW + timedelta(minutes=1), None, WindowState.NOT_YET_OPEN),
        (NOW, None, WindowState.OPEN),  # opens at this very minute
        (None, NOW, WindowState.CLOSED),  # closes at this very minute
        (None, NOW + timedelta(minutes=1), WindowState.OPEN),
        (NOW - timedelta(days=1), NOW + timedelta(days=1), WindowState.OPEN),
    ],
)
def test_registration_window_bounds(opens, closes, expected):
    assert window(opens_at=opens, closes_at=closes) == expected


def test_drafts_cancelled_events_and_kinds_without_public_registration():
    assert window(status=EventStatus.DRAFT) == WindowState.NOT_PUBLIC
    assert window(status=EventStatus.CANCELLED) == WindowState.CANCELLED
    assert window(kind=EventKind.CONGRESS) == WindowState.NOT_PUBLIC
    # Applications and invitations have a window too; the admission says who may use it.
    assert window(kind=EventKind.PRACTICE_WORKSHOP) == WindowState.OPEN
    assert EventKind.PRACTICE_WORKSHOP.admission == Admission.APPLICATION
    assert EventKind.STAKEHOLDER_HEARING.admission == Admission.INVITATION
    assert EventKind.CITIZEN_DIALOGUE.admission == Admission.PUBLIC
    assert EventKind.COMPANY_VISIT.admission == Admission.NONE


def test_statuses_that_hold_a_seat_or_are_active():
    assert {s for s in RegistrationStatus if s.holds_seat} == {
        RegistrationStatus.HELD,
        RegistrationStatus.CONFIRMED,
    }
    assert not RegistrationStatus.CANCELLED.active
    assert not RegistrationStatus.EXPIRED.active
    assert RegistrationStatus.WAITLISTED.active


def test_a_hold_lasts_its_time_but_never_past_the_start():
    assert hold_deadline(NOW, timedelta(hours=48), START) == NOW + timedelta(hours=48)
    soon = NOW + timedelta(hours=5)
    assert hold_deadline(NOW, timedelta(hours=48), soon) == soon


def plan(**overrides) -> EventPlan:
    facts = {
        "kind": EventKind.CITIZEN_DIALOGUE,
        "starts_at": START,
        "ends_at": START + timedelta(hours=3),
        "opens_at": None,
        "closes_at": None,
        "capacity": 120,
        "seats_taken": 0,
    }
    return EventPlan(**{**facts, **overrides})


def test_a_consistent_event_has_no_problems():
    assert check_event(plan()) == []
    assert check_event(plan(kind=EventKind.CONGRESS, capacity=None)) == []


def test_event_problems_are_named():
    assert check_event(plan(ends_at=START)) == [EventProblem.ENDS_BEFORE_START]
    assert check_event(plan(opens_at=NOW, closes_at=NOW)) == [EventProblem.CLOSES_BEFORE_OPENING]
    assert check_event(plan(closes_at=START + timedelta(minutes=1))) == [
        EventProblem.CLOSES_AFTER_START
    ]
    assert check_event(plan(capacity=None)) == [EventProblem.CAPACITY_MISSING]
    assert check_event(plan(capacity=0)) == [EventProblem.CAPACITY_MISSING]
    assert check_event(plan(capacity=10, seats_taken=11)) == [EventProblem.CAPACITY_BELOW_TAKEN]
    assert check_event(plan(capacity=10, seats_taken=10)) == []
