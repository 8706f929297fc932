"""The suggested themes of a draft, read from the per-answer table's columns (pure rules), and
the first label of a code taken over from one."""

from __future__ import annotations

from dialog.coding.rules import accept_target
from dialog.reports.rules import CODE_LABEL_LENGTH, code_label, draft_themes, split_terms


def columns(rows):
    """The six columns (answer id, theme field, theme, terms, weight, excluded) of `rows`."""
    return [list(c) for c in zip(*rows, strict=True)]


def test_themes_are_grouped_per_theme_field_and_number_clearest_answers_first():
    found = draft_themes(
        *columns(
            [
                (1, "pflege", 1, "Pflege, Schicht", 0.2, ""),
                (2, "pflege", 1, "Pflege, Schicht", 0.8, ""),
                (3, "pflege", 2, "Lohn", None, ""),
                (4, "pflege", None, "", None, "markiert: Spam"),
                (5, "bildung", 1, "Schule", 0.5, ""),
                (6, "pflege", 1, "Pflege, Schicht", 0.8, ""),
                (7, "ausland", None, "", None, "Sprache: en"),
            ]
        )
    )
    assert list(found.themes) == ["bildung", "pflege", "ausland"]
    first, second = found.themes["pflege"]
    assert (first.number, first.size, first.terms) == (1, 3, ("Pflege", "Schicht"))
    assert [m.answer_id for m in first.members] == [2, 6, 1]  # weight, then id
    assert second.members[0].weight is None
    assert found.unthemed == {"pflege": 1, "ausland": 1}
    assert found.themes["ausland"] == []  # a field without themes is still listed
    assert found.find("pflege", 2) is second and found.find("pflege", 9) is None


def test_examples_are_distinct_texts_still_there():
    found = draft_themes(
        *columns(
            [
                (1, "f", 1, "a", 0.9, "Kopie in Kampagne 2"),  # the copy weighs as its stand-in
                (2, "f", 1, "a", 0.9, ""),
                (3, "f", 1, "a", 0.5, ""),
                (4, "f", 1, "a", 0.4, ""),
                (5, "f", 1, "a", 0.3, ""),
            ]
        )
    )
    [theme] = found.themes["f"]
    assert theme.example_candidates == (2, 3, 4, 5)
    assert theme.examples({2, 3, 4, 5}) == (2, 3, 4)
    assert theme.examples({2, 5}) == (2, 5)  # deleted since the draft: left out
    only_copies = draft_themes(*columns([(1, "f", 1, "a", 0.9, "Kopie in Kampagne 2")]))
    assert only_copies.themes["f"][0].examples({1}) == (1,)


def test_nan_weights_read_as_none():
    found = draft_themes([1], ["f"], [1], ["a"], [float("nan")], [None])
    assert found.themes["f"][0].members[0].weight is None
    assert found.themes["f"][0].members[0].modelled


def test_a_code_is_first_named_after_the_first_terms_within_the_label_length():
    assert split_terms("Anerkennung, Abschluss , , Dauer") == ("Anerkennung", "Abschluss", "Dauer")
    assert split_terms(None) == ()
    assert code_label(("Anerkennung", "Abschluss", "Dauer", "Behörde")) == (
        "Anerkennung, Abschluss, Dauer"
    )
    long = "x" * 100
    assert code_label((long, long)) == long
    assert code_label(("y" * 200,)) == "y" * CODE_LABEL_LENGTH
    assert code_label(()) == ""


def test_an_accepted_suggestion_of_a_merged_code_assigns_the_final_code():
    assert accept_target(3, None) == 3
    assert accept_target(3, 7) == 7
