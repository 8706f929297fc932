"""Pure rules of campaign groups and flags: statuses, reasons, representatives, reviews."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

REASON_MAX_LENGTH = 1000  # a flag's reasons as stored; the analysis joins them with "; "
LANGUAGE_MAX_LENGTH = 8  # ISO 639 codes: "de", "en", "und" (undetermined)
UNDETERMINED = "und"  # the analysis' code for a text too short to tell its language


class CampaignStatus(StrEnum):
    SUGGESTED = "suggested"  # found by the detection; nobody has decided yet
    CONFIRMED = "confirmed"  # an analyst found it an organised campaign
    NOT_CAMPAIGN = "not_campaign"  # an analyst found it none: its answers count one by one


# The groups behind the coding filter "mögliche Kampagne" and the report's campaigns.
POSSIBLE_CAMPAIGN = (CampaignStatus.SUGGESTED, CampaignStatus.CONFIRMED)
DECISIONS = (CampaignStatus.CONFIRMED, CampaignStatus.NOT_CAMPAIGN)  # what an analyst may set


class FlagKind(StrEnum):
    EMPTY = "empty"
    SPAM = "spam"
    ABUSE = "abuse"


class HintFilter(StrEnum):
    """The moderation queue's choice of answers by their flags."""

    ANY = "any"  # at least one flag
    EMPTY = "empty"
    SPAM = "spam"
    ABUSE = "abuse"
    NONE = "none"  # checked, no flag
    UNCHECKED = "unchecked"  # not checked yet (new or changed since the last check)


class SplitAction(StrEnum):
    NEW_GROUP = "new_group"  # the chosen answers form a group of their own
    REMOVE = "remove"  # the chosen answers leave the group and belong to none


class ReviewProblem(StrEnum):
    NOTHING_CHOSEN = "nothing_chosen"
    ALL_CHOSEN = "all_chosen"  # splitting off every answer would leave the group empty
    NOT_MEMBERS = "not_members"  # an answer chosen is not (or no longer) in the group


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    reason: str


def reason_value(reason: object) -> str | None:
    """A flag's reason as stored: None when not flagged ("" or missing), else the text."""
    if reason is None or (isinstance(reason, float) and math.isnan(reason)):
        return None
    text = str(reason).strip()
    if not text:
        return None
    if len(text) <= REASON_MAX_LENGTH:
        return text
    return text[: REASON_MAX_LENGTH - 1].rstrip() + "…"


def language_value(code: object) -> str | None:
    """A detected language code as stored (None when missing)."""
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return None
    text = str(code).strip()
    return text[:LANGUAGE_MAX_LENGTH] or None


def flags_of(empty: str | None, spam: str | None, abuse: str | None) -> list[Flag]:
    """The flags an answer carries, with their reasons, in a fixed order."""
    found = ((FlagKind.EMPTY, empty), (FlagKind.SPAM, spam), (FlagKind.ABUSE, abuse))
    return [Flag(kind, reason) for kind, reason in found if reason]


def similarity_value(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else round(number, 4)


def similarity_spread(values: Iterable[float | None]) -> tuple[float | None, float | None]:
    """The lowest and the median similarity of a group's members (unknown ones left out)."""
    known = [v for v in values if v is not None and not math.isnan(v)]
    if not known:
        return None, None
    return round(min(known), 4), round(statistics.median(known), 4)


def pick_representative(members: Sequence[tuple[int, bool, float | None]]) -> int:
    """The answer that stands for a group: the one the detection chose, else the most similar
    to the others, else the first. `members` are (answer id, chosen, similarity)."""
    chosen = [answer_id for answer_id, is_chosen, _ in members if is_chosen]
    if chosen:
        return min(chosen)
    return min(members, key=lambda m: (-(m[2] if m[2] is not None else -1.0), m[0]))[0]


def reuse_ids(
    new_groups: Sequence[Sequence[int]], old_group_of: Mapping[int, int]
) -> list[int | None]:
    """For each new group (its answer ids) the old group id it keeps, or None for a new one.

    A re-run finds mostly the same groups: keeping their ids keeps the links analysts have
    noted. Larger groups choose first; each takes the old group most of its answers were in
    (the lower id on a tie); an old id goes to one new group only.
    """
    result: list[int | None] = [None] * len(new_groups)
    taken: set[int] = set()
    order = sorted(range(len(new_groups)), key=lambda i: (-len(new_groups[i]), i))
    for index in order:
        counts = Counter(old_group_of[a] for a in new_groups[index] if a in old_group_of)
        candidates = sorted(
            (old for old in counts if old not in taken), key=lambda old: (-counts[old], old)
        )
        if candidates:
            result[index] = candidates[0]
            taken.add(candidates[0])
    return result


def split_problem(members: set[int], chosen: set[int]) -> ReviewProblem | None:
    """Whether the answers `chosen` may be split off (or removed from) a group of `members`."""
    if not chosen:
        return ReviewProblem.NOTHING_CHOSEN
    if not chosen <= members:
        return ReviewProblem.NOT_MEMBERS
    if chosen == members:
        return ReviewProblem.ALL_CHOSEN
    return None
