"""Pure rules of coding: the two-level codebook, merging, ratings, campaigns, samples, progress."""

from __future__ import annotations

import pytest

from dialog.coding import rules
from dialog.coding.rules import CodebookChange, CodebookProblem


@pytest.mark.parametrize(
    ("code_id", "parent_id", "parent_has_parent", "code_has_children", "expected"),
    [
        (None, 1, False, False, None),
        (2, 2, False, False, CodebookProblem.SELF),
        (3, 1, True, False, CodebookProblem.DEPTH),
        (3, 1, False, True, CodebookProblem.HAS_CHILDREN),
    ],
)
def test_parent_problem_keeps_two_levels(
    code_id, parent_id, parent_has_parent, code_has_children, expected
):
    problem = rules.parent_problem(
        code_id=code_id,
        parent_id=parent_id,
        parent_has_parent=parent_has_parent,
        code_has_children=code_has_children,
    )
    assert problem == expected


MERGE_OK = {
    "source_id": 1,
    "target_id": 2,
    "same_process": True,
    "source_merged": False,
    "target_active": True,
    "source_has_active_children": False,
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, None),
        ({"target_id": 1}, CodebookProblem.SELF),
        ({"same_process": False}, CodebookProblem.OTHER_PROCESS),
        ({"source_merged": True}, CodebookChange.MERGED),
        ({"target_active": False}, CodebookProblem.RETIRED),
        ({"source_has_active_children": True}, CodebookProblem.HAS_CHILDREN),
    ],
)
def test_merge_problem(change, expected):
    assert rules.merge_problem(**{**MERGE_OK, **change}) == expected


@pytest.mark.parametrize(
    ("raw", "value"), [("", None), (None, None), (" 3 ", 3), ("1", 1), ("5", 5)]
)
def test_parse_rating_accepts_the_scale_and_not_rated(raw, value):
    assert rules.parse_rating(raw) == value


@pytest.mark.parametrize("raw", ["0", "6", "-1", "3.5", "abc", "١", "²", "05", "9" * 40])
def test_parse_rating_refuses_everything_else(raw):
    with pytest.raises(ValueError):
        rules.parse_rating(raw)


def test_valid_rating():
    assert rules.valid_rating(None) and rules.valid_rating(1) and rules.valid_rating(5)
    assert not rules.valid_rating(0) and not rules.valid_rating(6)


def test_fingerprint_ignores_case_punctuation_and_spacing_but_not_words():
    text = "Wir fordern mehr Personal in der Pflege und bessere Bezahlung!"
    same = "wir  fordern mehr Personal, in der Pflege und bessere Bezahlung"
    assert rules.text_fingerprint(text) == rules.text_fingerprint(same) is not None
    assert rules.text_fingerprint(text) != rules.text_fingerprint(text + " sofort")
    assert rules.text_fingerprint("keine Ahnung") is None


def test_assignment_key_shared_ignores_the_coder():
    assert rules.assignment_key(1, None, 7) == rules.assignment_key(1, None, 8)
    assert rules.assignment_key(1, 3, 7) != rules.assignment_key(1, 3, 8)


def test_draw_sample_is_reproducible_and_sized():
    ids = list(range(100, 200))
    drawn = rules.draw_sample(ids, 10, seed=42)
    assert drawn == rules.draw_sample(list(reversed(ids)), 10, seed=42)
    assert len(drawn) == 10 and drawn == sorted(drawn) and set(drawn) <= set(ids)
    assert rules.sample_size(7, 10) == 1 and rules.sample_size(0, 10) == 0
    assert rules.sample_size(5, 100) == 5


@pytest.mark.parametrize(
    ("coded", "total", "share"), [(0, 0, 0), (1, 3, 33), (3, 3, 100), (5, 3, 100)]
)
def test_coded_share(coded, total, share):
    assert rules.coded_share(coded, total) == share
