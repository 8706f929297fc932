"""Pure rules of the analysts' coding: codebook shape, ratings, samples, campaign fingerprints."""

from __future__ import annotations

import hashlib
import math
import random
import re
import unicodedata
from collections.abc import Sequence
from enum import StrEnum

RATING_SCALE = range(1, 6)  # Wirksamkeit and Machbarkeit: 1 (low) to 5 (high)
CAMPAIGN_MIN_COPIES = 3  # the same text this often is flagged as a possible campaign
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
    rng = random.Random(seed)  # noqa: S311 - reproducibility, not secrecy
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
