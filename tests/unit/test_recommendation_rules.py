"""The pure rules of recommendations: status workflow, rating aggregation and disagreement,
visibility, the configurable lists and merging."""

from __future__ import annotations

import pytest

from dialog.recommendations import rules
from dialog.recommendations.rules import (
    Aggregate,
    EvidenceProblem,
    OptionList,
    OptionsProblem,
    RecommendationStatus,
    StatusProblem,
)

S = RecommendationStatus


# --- Status workflow --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.DRAFT, S.IN_REVIEW),
        (S.IN_REVIEW, S.DRAFT),
        (S.RATED, S.IN_REVIEW),
        (S.RATED, S.INCLUDED),
        (S.DEFERRED, S.IN_REVIEW),
    ],
)
def test_steps_before_publication_are_allowed(current, target):
    assert rules.status_problem(current, target) is None


def test_rated_needs_a_rating():
    assert rules.status_problem(S.IN_REVIEW, S.RATED) == StatusProblem.NO_RATINGS
    assert rules.status_problem(S.IN_REVIEW, S.RATED, rating_count=1) is None


def test_deferring_needs_a_reason():
    assert rules.status_problem(S.RATED, S.DEFERRED) == StatusProblem.REASON_REQUIRED
    assert rules.status_problem(S.RATED, S.DEFERRED, reason="   ") == StatusProblem.REASON_REQUIRED
    assert rules.status_problem(S.RATED, S.DEFERRED, reason="Erst nach der Evaluation") is None


@pytest.mark.parametrize("target", [S.PLANNED, S.IN_PROGRESS, S.IMPLEMENTED, S.NOT_PURSUED])
def test_every_step_after_publication_needs_a_public_note(target):
    assert rules.status_problem(S.INCLUDED, target) == StatusProblem.PUBLIC_NOTE_REQUIRED
    assert rules.status_problem(S.INCLUDED, target, public_note="Kabinett hat beschlossen") is None


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.DRAFT, S.RATED),
        (S.DRAFT, S.INCLUDED),
        (S.DRAFT, S.IMPLEMENTED),
        (S.IN_REVIEW, S.INCLUDED),
        (S.RATED, S.PLANNED),
        (S.DEFERRED, S.INCLUDED),
        (S.IMPLEMENTED, S.IN_PROGRESS),
        (S.NOT_PURSUED, S.PLANNED),
        (S.IN_PROGRESS, S.PLANNED),
        (S.DRAFT, S.DRAFT),
    ],
)
def test_jumps_outside_the_workflow_are_refused(current, target):
    problem = rules.status_problem(current, target, reason="x", public_note="y", rating_count=3)
    assert problem == StatusProblem.NOT_ALLOWED


def test_progress_updates_repeat_a_status_and_stay_in_range():
    ok = {"public_note": "Referentenentwurf liegt vor"}
    assert rules.status_problem(S.IN_PROGRESS, S.IN_PROGRESS, progress=40, **ok) is None
    assert rules.status_problem(S.PLANNED, S.PLANNED, progress=0, **ok) is None
    assert rules.status_problem(S.PLANNED, S.IMPLEMENTED, progress=100, **ok) is None
    assert (
        rules.status_problem(S.PLANNED, S.IN_PROGRESS, progress=101, **ok)
        == StatusProblem.PROGRESS_RANGE
    )
    assert (
        rules.status_problem(S.DRAFT, S.IN_REVIEW, progress=10) == StatusProblem.PROGRESS_NOT_HERE
    )


def test_allowed_targets_follow_the_workflow_order():
    assert rules.allowed_targets(S.RATED) == [S.IN_REVIEW, S.INCLUDED, S.DEFERRED]
    assert rules.allowed_targets(S.IMPLEMENTED) == []
    for current in S:
        for target in rules.allowed_targets(current):
            assert target in rules.TRANSITIONS[current]


def test_raters_never_see_drafts_and_rate_only_under_review():
    assert not rules.visible_to_raters(S.DRAFT)
    assert all(rules.visible_to_raters(s) for s in S if s != S.DRAFT)
    assert {s for s in S if rules.rating_open(s)} == {S.IN_REVIEW, S.RATED}


def test_others_ratings_only_after_ones_own_or_for_the_lead():
    assert not rules.sees_others_ratings(has_own_rating=False, is_lead=False)
    assert rules.sees_others_ratings(has_own_rating=True, is_lead=False)
    assert rules.sees_others_ratings(has_own_rating=False, is_lead=True)


# --- Ratings ----------------------------------------------------------------------------


def test_aggregate_of_nothing():
    assert rules.aggregate([]) == Aggregate(count=0, median=None, spread=None, disagreement=False)


def test_aggregate_median_spread_and_disagreement():
    assert rules.aggregate([4, 5, 4]) == Aggregate(3, 4.0, 1, False)
    assert rules.aggregate([2, 4]) == Aggregate(2, 3.0, 2, True)
    assert rules.aggregate([1, 5, 3, 3]) == Aggregate(4, 3.0, 4, True)
    assert rules.aggregate([5]).disagreement is False  # one rating never disagrees


def test_disagreement_threshold_is_configurable():
    assert rules.aggregate([2, 4], disagreement_spread=3).disagreement is False
    assert rules.aggregate([2, 3], disagreement_spread=1).disagreement is True


@pytest.mark.parametrize(
    ("value", "valid"), [(None, False), (0, False), (1, True), (5, True), (6, False)]
)
def test_scores_are_one_to_five(value, valid):
    assert rules.valid_score(value) is valid


# --- Lists ------------------------------------------------------------------------------


def test_defaults_until_staff_store_a_list():
    assert rules.effective_options([], OptionList.ADDRESSEE)[0] == "Bund"
    assert "Bundesagentur für Arbeit" in rules.DEFAULT_OPTIONS[OptionList.ADDRESSEE]
    assert "Tarif-/Betriebsebene" in rules.DEFAULT_OPTIONS[OptionList.MEASURE]
    assert rules.effective_options(["EU"], OptionList.ADDRESSEE) == ["EU"]


def test_parse_options_trims_and_drops_blanks_and_repeats():
    text = "  Bund \n\nLänder\nbund\n  Europäische   Union  \n"
    assert rules.parse_options(text) == ["Bund", "Länder", "Europäische Union"]


def test_options_limits():
    assert rules.options_problem(["x"] * 3) is None
    assert rules.options_problem([str(i) for i in range(41)]) == OptionsProblem.TOO_MANY
    assert rules.options_problem(["x" * 121]) == OptionsProblem.TOO_LONG


def test_a_removed_option_stays_choosable_for_the_one_that_has_it():
    assert rules.option_choices(["Bund"], "Kreise") == ["Bund", "Kreise"]
    assert rules.option_choices(["Bund"], "Bund") == ["Bund"]
    assert rules.option_choices(["Bund"], "") == ["Bund"]


# --- Merging ----------------------------------------------------------------------------


def test_merge_refuses_itself_and_cycles():
    assert rules.merge_problem(1, 1, [1]) == EvidenceProblem.ITSELF
    assert rules.merge_problem(1, 2, [2, 1]) == EvidenceProblem.MERGE_CYCLE
    assert rules.merge_problem(1, 2, [2, 3]) is None
