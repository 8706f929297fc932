from datetime import date

import pytest

from dialog.process.rules import (
    PhaseConflict,
    PhaseKind,
    PhaseProblem,
    PhaseSpan,
    PhaseState,
    check_phases,
    is_dialogue_open,
    phase_state,
)

START, END = date(2023, 9, 1), date(2024, 7, 31)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2023, 8, 31), PhaseState.UPCOMING),
        (date(2023, 9, 1), PhaseState.CURRENT),  # first day belongs to the phase
        (date(2024, 1, 15), PhaseState.CURRENT),
        (date(2024, 7, 31), PhaseState.CURRENT),  # last day belongs to the phase
        (date(2024, 8, 1), PhaseState.PAST),
    ],
)
def test_phase_state_boundaries(today, expected):
    assert phase_state(today, START, END) is expected


def span(key, kind, start, end):
    return PhaseSpan(key, kind, start, end)


def test_dialogue_open_only_in_dialogue_phase():
    phases = [
        span(1, PhaseKind.ANALYSIS, date(2023, 3, 1), date(2023, 8, 31)),
        span(2, PhaseKind.DIALOGUE, START, END),
        span(3, PhaseKind.RESULTS, date(2024, 9, 1), date(2024, 12, 31)),
    ]
    assert not is_dialogue_open(date(2023, 8, 31), phases)
    assert is_dialogue_open(date(2023, 9, 1), phases)
    assert is_dialogue_open(date(2024, 7, 31), phases)
    assert not is_dialogue_open(date(2024, 8, 15), phases)
    assert not is_dialogue_open(date(2024, 10, 1), phases)
    assert not is_dialogue_open(date(2024, 1, 1), [])


def test_consistent_phases_have_no_conflicts():
    phases = [
        span(1, PhaseKind.ANALYSIS, date(2023, 3, 1), date(2023, 8, 31)),
        span(2, PhaseKind.DIALOGUE, date(2023, 9, 1), date(2024, 7, 31)),
        span(3, PhaseKind.RESULTS, date(2024, 9, 1), date(2024, 12, 31)),
    ]
    assert check_phases(phases) == []


def test_one_day_phase_is_fine_but_reversed_dates_are_not():
    assert check_phases([span(1, PhaseKind.ANALYSIS, START, START)]) == []
    assert check_phases([span(1, PhaseKind.ANALYSIS, END, START)]) == [
        PhaseConflict(PhaseProblem.ENDS_BEFORE_START, 1)
    ]


def test_touching_phases_overlap_on_the_shared_day():
    phases = [
        span(1, PhaseKind.ANALYSIS, date(2023, 3, 1), date(2023, 9, 1)),
        span(2, PhaseKind.DIALOGUE, date(2023, 9, 1), date(2024, 7, 31)),
    ]
    assert check_phases(phases) == [PhaseConflict(PhaseProblem.OVERLAP, 2, 1)]


def test_overlap_with_a_phase_that_reaches_past_its_neighbour():
    # 1 covers the whole year; 2 lies inside it; 3 starts after 2 but before 1 ends.
    phases = [
        span(1, PhaseKind.ANALYSIS, date(2023, 1, 1), date(2023, 12, 31)),
        span(2, PhaseKind.DIALOGUE, date(2023, 3, 1), date(2023, 3, 31)),
        span(3, PhaseKind.RESULTS, date(2023, 6, 1), date(2023, 6, 30)),
    ]
    conflicts = check_phases(phases)
    assert PhaseConflict(PhaseProblem.OVERLAP, 2, 1) in conflicts
    assert PhaseConflict(PhaseProblem.OVERLAP, 3, 1) in conflicts
    assert len(conflicts) == 2


def test_each_kind_only_once():
    phases = [
        span(1, PhaseKind.DIALOGUE, date(2023, 1, 1), date(2023, 1, 31)),
        span(2, PhaseKind.DIALOGUE, date(2023, 3, 1), date(2023, 3, 31)),
    ]
    assert check_phases(phases) == [PhaseConflict(PhaseProblem.DUPLICATE_KIND, 2, 1)]
