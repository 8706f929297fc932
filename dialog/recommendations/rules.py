"""Pure rules of recommendations (Handlungsempfehlungen): the status workflow, who sees what,
rating aggregation with disagreement, and the configurable lists. No Flask, no SQLAlchemy."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dialog.process.rules import PhaseKind, PhaseSpan

RATING_MIN, RATING_MAX = 1, 5  # the scale of Wirksamkeit and Machbarkeit
DEFAULT_DISAGREEMENT_SPREAD = 2  # max − min at or above this marks disagreement
MAX_OPTIONS = 40  # entries per configurable list
MAX_OPTION_LENGTH = 120


class RecommendationStatus(StrEnum):
    DRAFT = "draft"  # Entwurf
    IN_REVIEW = "in_review"  # in Prüfung: open for rating
    RATED = "rated"  # bewertet
    INCLUDED = "included"  # in den Ergebnisbericht aufgenommen (published with the report)
    DEFERRED = "deferred"  # zurückgestellt (with a reason)
    # After publication: what became of it, each with a public note.
    PLANNED = "planned"  # geplant
    IN_PROGRESS = "in_progress"  # in Umsetzung
    IMPLEMENTED = "implemented"  # umgesetzt
    NOT_PURSUED = "not_pursued"  # nicht weiterverfolgt


S = RecommendationStatus
# The statuses that follow publication: each change to one of them carries a public note.
AFTER_PUBLICATION = frozenset({S.PLANNED, S.IN_PROGRESS, S.IMPLEMENTED, S.NOT_PURSUED})

# Which status may follow which. A status may repeat only where a new note says something new
# (progress of a measure that is planned or under way).
TRANSITIONS: dict[RecommendationStatus, frozenset[RecommendationStatus]] = {
    S.DRAFT: frozenset({S.IN_REVIEW}),
    S.IN_REVIEW: frozenset({S.DRAFT, S.RATED}),
    S.RATED: frozenset({S.IN_REVIEW, S.INCLUDED, S.DEFERRED}),
    S.DEFERRED: frozenset({S.IN_REVIEW}),
    S.INCLUDED: frozenset({S.PLANNED, S.IN_PROGRESS, S.IMPLEMENTED, S.NOT_PURSUED}),
    S.PLANNED: frozenset({S.PLANNED, S.IN_PROGRESS, S.IMPLEMENTED, S.NOT_PURSUED}),
    S.IN_PROGRESS: frozenset({S.IN_PROGRESS, S.IMPLEMENTED, S.NOT_PURSUED}),
    S.IMPLEMENTED: frozenset(),
    S.NOT_PURSUED: frozenset(),
}
# Shown to the public: taken into the results report, and what became of it afterwards.
PUBLISHED = frozenset({S.INCLUDED}) | AFTER_PUBLICATION
# Ratings are given while a recommendation is being reviewed (and corrected once rated).
RATING_OPEN = frozenset({S.IN_REVIEW, S.RATED})


class StatusProblem(StrEnum):
    NOT_ALLOWED = "not_allowed"  # the workflow has no such step
    REASON_REQUIRED = "reason_required"  # zurückgestellt needs a reason
    PUBLIC_NOTE_REQUIRED = "public_note_required"  # after publication every step is explained
    NO_RATINGS = "no_ratings"  # bewertet needs at least one rating
    PROGRESS_RANGE = "progress_range"  # percent outside 0–100
    PROGRESS_NOT_HERE = "progress_not_here"  # progress belongs to steps after publication


def allowed_targets(current: RecommendationStatus) -> list[RecommendationStatus]:
    """The statuses that may follow `current`, in workflow order."""
    return [s for s in RecommendationStatus if s in TRANSITIONS[current]]


def status_problem(
    current: RecommendationStatus,
    target: RecommendationStatus,
    *,
    reason: str = "",
    public_note: str = "",
    progress: int | None = None,
    rating_count: int = 0,
) -> StatusProblem | None:
    """Why `current` → `target` is refused with these details, or None when it is allowed."""
    if target not in TRANSITIONS[current]:
        return StatusProblem.NOT_ALLOWED
    if target == S.DEFERRED and not reason.strip():
        return StatusProblem.REASON_REQUIRED
    if target in AFTER_PUBLICATION and not public_note.strip():
        return StatusProblem.PUBLIC_NOTE_REQUIRED
    if target == S.RATED and rating_count < 1:
        return StatusProblem.NO_RATINGS
    if progress is not None:
        if target not in AFTER_PUBLICATION:
            return StatusProblem.PROGRESS_NOT_HERE
        if not 0 <= progress <= 100:
            return StatusProblem.PROGRESS_RANGE
    return None


class RatingProblem(StrEnum):
    SCALE = "scale"  # a score outside 1–5
    CLOSED = "closed"  # not under review


def visible_to_raters(status: RecommendationStatus) -> bool:
    """External raters see recommendations once they are put up for review, never drafts."""
    return status != S.DRAFT


def rating_open(status: RecommendationStatus) -> bool:
    return status in RATING_OPEN


def valid_score(value: int | None) -> bool:
    return value is not None and RATING_MIN <= value <= RATING_MAX


def sees_others_ratings(*, has_own_rating: bool, is_lead: bool) -> bool:
    """A rater sees the others' ratings only after giving their own, so as not to be anchored
    by them; the analysis lead, who steers the process without having to rate, always does."""
    return has_own_rating or is_lead


@dataclass(frozen=True)
class Aggregate:
    """The ratings of one criterion: how many, their median and spread (max − min)."""

    count: int
    median: float | None
    spread: int | None
    disagreement: bool


def aggregate(scores: Iterable[int], disagreement_spread: int = DEFAULT_DISAGREEMENT_SPREAD):
    """Aggregate one criterion's scores; disagreement when the spread reaches the threshold."""
    values = sorted(scores)
    if not values:
        return Aggregate(count=0, median=None, spread=None, disagreement=False)
    spread = values[-1] - values[0]
    return Aggregate(
        count=len(values),
        median=float(statistics.median(values)),
        spread=spread,
        disagreement=len(values) > 1 and spread >= disagreement_spread,
    )


# -- configurable lists ---------------------------------------------------------------------


class OptionList(StrEnum):
    ADDRESSEE = "addressee"  # Adressat: who should act
    MEASURE = "measure"  # Art der Maßnahme


DEFAULT_OPTIONS: dict[OptionList, tuple[str, ...]] = {
    OptionList.ADDRESSEE: (
        "Bund",
        "Länder",
        "Kommunen",
        "Sozialpartner",
        "Unternehmen",
        "Bundesagentur für Arbeit",
    ),
    OptionList.MEASURE: (
        "Gesetz/Verordnung",
        "Förderprogramm",
        "Beratung/Information",
        "Verwaltung vereinfachen",
        "Tarif-/Betriebsebene",
    ),
}


class OptionsProblem(StrEnum):
    TOO_MANY = "too_many"
    TOO_LONG = "too_long"


def parse_options(text: str) -> list[str]:
    """The entries of a list typed one per line: trimmed, blank lines and repeats dropped."""
    seen: dict[str, str] = {}
    for line in text.splitlines():
        entry = " ".join(line.split())
        if entry and entry.casefold() not in seen:
            seen[entry.casefold()] = entry
    return list(seen.values())


def options_problem(entries: Sequence[str]) -> OptionsProblem | None:
    if len(entries) > MAX_OPTIONS:
        return OptionsProblem.TOO_MANY
    if any(len(e) > MAX_OPTION_LENGTH for e in entries):
        return OptionsProblem.TOO_LONG
    return None


def effective_options(stored: Sequence[str], which: OptionList) -> list[str]:
    """A process's list: what staff stored, or the defaults while they have stored none."""
    return list(stored) if stored else list(DEFAULT_OPTIONS[which])


def option_choices(options: Sequence[str], current: str = "") -> list[str]:
    """The offered entries; a value chosen earlier and since removed from the list stays
    choosable for the recommendation that has it, so that an edit does not lose it."""
    return list(options) if not current or current in options else [*options, current]


# -- evidence --------------------------------------------------------------------------------


class EvidenceKind(StrEnum):
    ANSWER = "answer"  # one answer (online or offline contribution)
    CODE = "code"  # every answer carrying the code, now or later
    DOCUMENTATION = "documentation"  # an event documentation entry
    RECOMMENDATION = "recommendation"  # a recommendation merged into this one


class EvidenceProblem(StrEnum):
    NOT_FOUND = "not_found"
    OTHER_PROCESS = "other_process"
    REJECTED_ANSWER = "rejected_answer"
    ALREADY_LINKED = "already_linked"
    ITSELF = "itself"
    MERGE_CYCLE = "merge_cycle"
    PARENT_CYCLE = "parent_cycle"  # a cluster cannot contain itself


def merge_problem(target_id: int, source_id: int, source_family: Iterable[int]):
    """Why merging recommendation `source_id` into `target_id` is refused, or None.

    `source_family` is the source with every recommendation merged into it (transitively):
    the target must not be among them, or the support would count itself.
    """
    if source_id == target_id:
        return EvidenceProblem.ITSELF
    if target_id in set(source_family):
        return EvidenceProblem.MERGE_CYCLE
    return None


# -- public results -------------------------------------------------------------------------


def results_shown(today: date, phases: Iterable[PhaseSpan]) -> bool:
    """Published recommendations are public from the first day of the results phase on."""
    return any(p.kind == PhaseKind.RESULTS and today >= p.starts_on for p in phases)
