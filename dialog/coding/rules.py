"""Pure rules of the analysts' coding: codebook shape, ratings, samples, text fingerprints."""

from __future__ import annotations

import hashlib
import math
import random
import re
import unicodedata
from collections.abc import Sequence
from enum import StrEnum

RATING_SCALE = range(1, 6)  # Wirksamkeit and Machbarkeit: 1 (low) to 5 (high)
FINGERPRINT_MIN_LENGTH = 30  # shorter texts ("keine Ahnung") repeat without any campaign
_NON_WORD = re.compile(r"[\W_]+")


class CodingAction(StrEnum):
    """What an entry in the coding log records."""

    ASSIGN = "assign"
    UNASSIGN = "unassign"
    NOTE = "note"
    PROPOSAL = "proposal"
    RATE = "rate"
    MOVE = "move"  # an assignment moved to another code when its code was merged


class CodebookProblem(StrEnum):
    DEPTH = "depth"  # the codebook has two levels: a parent must itself be top-level
    HAS_CHILDREN = "has_children"  # a code with sub-codes cannot become a sub-code
    SELF = "self"  # a code cannot be its own parent or be merged into itself
    RETIRED = "retired"  # retired or merged codes take no new parent, child or assignment
    OTHER_PROCESS = "other_process"


def parent_problem(
    *, code_id: int | None, parent_id: int, parent_has_parent: bool, code_has_children: bool
) -> CodebookProblem | None:
    """Whether a code may sit under `parent_id` in the two-level codebook."""
    if code_id is not None and code_id == parent_id:
        return CodebookProblem.SELF
    if parent_has_parent:
        return CodebookProblem.DEPTH
    if code_has_children:
        return CodebookProblem.HAS_CHILDREN
    return None


def valid_rating(value: int | None) -> bool:
    """A rating is empty (not rated) or on the 1–5 scale."""
    return value is None or value in RATING_SCALE


def sample_size(population: int, percent: float) -> int:
    """How many of `population` answers a sample of `percent` % takes (at least one if any)."""
    if population <= 0 or percent <= 0:
        return 0
    return min(population, max(1, math.ceil(population * percent / 100)))


def draw_sample(answer_ids: Sequence[int], percent: float, seed: int) -> list[int]:
    """A reproducible random sample of `percent` % of `answer_ids`, in ascending order.

    The seed is stored with the sample so that the draw can be repeated and checked.
    """
    ordered = sorted(answer_ids)
    rng = random.Random(seed)  # nosec B311 # noqa: S311 - reproducibility, not secrecy
    return sorted(rng.sample(ordered, sample_size(len(ordered), percent)))


def text_fingerprint(text: str) -> str | None:
    """A short hash of the text's words (case, accents of form, punctuation and spacing ignored).

    Answers with the same fingerprint are copies of one text; a text too short to be a
    campaign's gets none.
    """
    words = _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    if len(words) < FINGERPRINT_MIN_LENGTH:
        return None
    return hashlib.blake2b(words.encode(), digest_size=8).hexdigest()


class CodebookChange(StrEnum):
    """Further reasons why a codebook change cannot be made."""

    LABEL_TAKEN = "label_taken"  # labels are unique within a process's codebook
    MERGED = "merged"  # a merged code is gone for good; it cannot be reactivated or merged


def merge_problem(
    *,
    source_id: int,
    target_id: int,
    same_process: bool,
    source_merged: bool,
    target_active: bool,
    source_has_active_children: bool,
) -> CodebookProblem | CodebookChange | None:
    """Whether the code `source_id` may be merged into `target_id`."""
    if source_id == target_id:
        return CodebookProblem.SELF
    if not same_process:
        return CodebookProblem.OTHER_PROCESS
    if source_merged:
        return CodebookChange.MERGED
    if not target_active:
        return CodebookProblem.RETIRED
    if source_has_active_children:
        return CodebookProblem.HAS_CHILDREN
    return None


_RATING_TEXTS = frozenset(str(v) for v in RATING_SCALE)


def parse_rating(raw: str | None) -> int | None:
    """A rating as sent by a form: "" for "nicht bewertet", else 1–5; ValueError otherwise."""
    value = (raw or "").strip()
    if not value:
        return None
    if value not in _RATING_TEXTS:  # ASCII digits only: "١".isdigit() is true as well
        raise ValueError(value)
    return int(value)


def assignment_key(answer_id: int, sample_id: int | None, coder_id: int | None) -> tuple:
    """What makes an assignment of one code unique: per answer, and per coder in a sample."""
    return (answer_id, sample_id, coder_id if sample_id is not None else None)


def coded_share(coded: int, total: int) -> int:
    """Progress in whole percent (rounded down, so that 100 % means really done)."""
    return 0 if total <= 0 else min(100, coded * 100 // total)


# --- Code suggestions from a draft report's themes ----------------------------------------


class SuggestionStatus(StrEnum):
    """Where a suggested code stands: only a person's acceptance makes it an assignment."""

    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class SuggestionProblem(StrEnum):
    ALREADY_ADOPTED = "already_adopted"  # the theme is a code already (no second set)
    NO_ANSWERS = "no_answers"  # none of the theme's answers is (still) in the process
    DECIDED = "decided"  # someone decided the suggestion meanwhile
    CODE_INACTIVE = "code_inactive"  # the code was retired: accepting would assign it


def accept_target(code_id: int, merged_into_id: int | None) -> int:
    """The code an accepted suggestion assigns: the suggested one, or the code it was merged
    into (merges point to the final code directly)."""
    return merged_into_id if merged_into_id is not None else code_id
