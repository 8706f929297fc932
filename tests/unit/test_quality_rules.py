"""The pure rules of campaign groups and flags."""

from __future__ import annotations

import math

import pytest

from dialog.quality import rules
from dialog.quality.rules import Flag, FlagKind, ReviewProblem


@pytest.mark.parametrize("missing", [None, "", "   ", math.nan])
def test_no_reason_means_not_flagged(missing):
    assert rules.reason_value(missing) is None


def test_reasons_are_kept_and_bounded():
    assert rules.reason_value(" Link oder Domain ") == "Link oder Domain"
    long = rules.reason_value("x" * 5000)
    assert len(long) == rules.REASON_MAX_LENGTH and long.endswith("…")


def test_flags_in_a_fixed_order_with_their_reasons():
    assert rules.flags_of(None, None, None) == []
    assert rules.flags_of("Platzhalter", None, "Beleidigung: „Idiot“") == [
        Flag(FlagKind.EMPTY, "Platzhalter"),
        Flag(FlagKind.ABUSE, "Beleidigung: „Idiot“"),
    ]


def test_language_and_similarity_values():
    assert rules.language_value("de") == "de" and rules.language_value(None) is None
    assert rules.language_value(math.nan) is None
    assert rules.similarity_value(0.123456) == 0.1235 and rules.similarity_value(math.nan) is None


def test_similarity_spread_leaves_unknown_values_out():
    assert rules.similarity_spread([]) == (None, None)
    assert rules.similarity_spread([None, math.nan]) == (None, None)
    assert rules.similarity_spread([1.0, 0.5, None, 0.8]) == (0.5, 0.8)


def test_the_representative_is_the_chosen_else_the_most_similar_else_the_first():
    assert rules.pick_representative([(3, False, 0.5), (2, True, 0.1), (9, True, 1.0)]) == 2
    assert rules.pick_representative([(3, False, 0.5), (2, False, 0.9), (1, False, None)]) == 2
    assert rules.pick_representative([(5, False, None), (4, False, None)]) == 4


def test_a_rerun_keeps_the_ids_of_the_groups_it_finds_again():
    old = {1: 10, 2: 10, 3: 10, 4: 20, 5: 20}
    # The first group is mostly old group 10; the second mostly 20; the third is new.
    assert rules.reuse_ids([[1, 2, 3, 6], [4, 5], [7, 8, 9]], old) == [10, 20, None]
    # Two new groups from one old group: the larger keeps the id.
    assert rules.reuse_ids([[1], [2, 3]], {1: 10, 2: 10, 3: 10}) == [None, 10]
    # A tie goes to the lower old id.
    assert rules.reuse_ids([[1, 2]], {1: 30, 2: 20}) == [20]
    assert rules.reuse_ids([], old) == []


@pytest.mark.parametrize(
    ("chosen", "problem"),
    [
        (set(), ReviewProblem.NOTHING_CHOSEN),
        ({1, 99}, ReviewProblem.NOT_MEMBERS),
        ({1, 2, 3}, ReviewProblem.ALL_CHOSEN),
        ({2}, None),
    ],
)
def test_what_may_be_split_off(chosen, problem):
    assert rules.split_problem({1, 2, 3}, chosen) == problem


def test_only_suggested_and_confirmed_groups_are_possible_campaigns():
    assert set(rules.POSSIBLE_CAMPAIGN) == {
        rules.CampaignStatus.SUGGESTED,
        rules.CampaignStatus.CONFIRMED,
    }
    assert rules.CampaignStatus.SUGGESTED not in rules.DECISIONS
