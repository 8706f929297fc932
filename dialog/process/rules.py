"""Pure rules of a participation process: phase states and phase validation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PhaseKind(StrEnum):
    ANALYSIS = "analysis"
    DIALOGUE = "dialogue"
    RESULTS = "results"


class PhaseState(StrEnum):
    UPCOMING = "upcoming"
    CURRENT = "current"
    PAST = "past"


def phase_state(today: date, starts_on: date, ends_on: date) -> PhaseState:
    """Where `today` lies relative to a phase that runs from `starts_on` to `ends_on`, inclusive."""
    if today < starts_on:
        return PhaseState.UPCOMING
    if today > ends_on:
        return PhaseState.PAST
    return PhaseState.CURRENT


def is_dialogue_open(today: date, phases: Iterable[PhaseSpan]) -> bool:
    """Answers are accepted only while a dialogue phase is current."""
    return any(
        p.kind == PhaseKind.DIALOGUE
        and phase_state(today, p.starts_on, p.ends_on) == PhaseState.CURRENT
        for p in phases
    )


@dataclass(frozen=True)
class PhaseSpan:
    """The plain facts of a phase that the rules need."""

    key: object  # identifies the phase in error messages (its id, or None for a new one)
    kind: PhaseKind
    starts_on: date
    ends_on: date


class PhaseProblem(StrEnum):
    ENDS_BEFORE_START = "ends_before_start"
    OVERLAP = "overlap"
    DUPLICATE_KIND = "duplicate_kind"


@dataclass(frozen=True)
class PhaseConflict:
    problem: PhaseProblem
    key: object
    other: object = None


def check_phases(phases: Sequence[PhaseSpan]) -> list[PhaseConflict]:
    """Every reason why a process's phases are inconsistent; empty when they are fine.

    A phase must not end before it starts, each kind occurs once, and no two phases overlap.
    """
    conflicts: list[PhaseConflict] = [
        PhaseConflict(PhaseProblem.ENDS_BEFORE_START, p.key)
        for p in phases
        if p.ends_on < p.starts_on
    ]
    seen: dict[PhaseKind, object] = {}
    for p in phases:
        if p.kind in seen:
            conflicts.append(PhaseConflict(PhaseProblem.DUPLICATE_KIND, p.key, seen[p.kind]))
        else:
            seen[p.kind] = p.key
    ordered = sorted((p for p in phases if p.ends_on >= p.starts_on), key=lambda p: p.starts_on)
    reaching_furthest: PhaseSpan | None = None
    for phase in ordered:
        if reaching_furthest is not None and phase.starts_on <= reaching_furthest.ends_on:
            conflicts.append(PhaseConflict(PhaseProblem.OVERLAP, phase.key, reaching_furthest.key))
        if reaching_furthest is None or phase.ends_on > reaching_furthest.ends_on:
            reaching_furthest = phase
    return conflicts
