import math
from types import SimpleNamespace

import pandas as pd
import pandas.testing as pdt
import pytest

from analysis import report
from analysis.codes import co_occurrence, code_frequencies, shared_codes, top_codes
from analysis.proposals import rank_proposals

CODEBOOK = pd.DataFrame({"code_id": [1, 2, 3], "label": ["Pflege", "Lohn", "Kita"]})
ANSWERS = pd.DataFrame(
    {
        "answer_id": [10, 11, 12, 13],
        "theme_field": ["a", "a", "a", "b"],
        "published_text": ["Mehr Lohn", None, "Kitas!", "Pflege stärken"],
        "is_proposal": [True, True, False, True],
    }
)
CODES = pd.DataFrame(
    {
        "answer_id": [10, 10, 11, 11, 12, 13, 10],
        "code_id": [1, 2, 1, 2, 3, 1, 3],
        "sample_id": [None, None, None, None, None, None, 5.0],  # the last is a sample's
    }
)


def test_frequencies_per_theme_field_and_top_codes():
    pairs = shared_codes(CODES)
    assert len(pairs) == 6
    result = code_frequencies(pairs, ANSWERS, CODEBOOK)
    expected = pd.DataFrame(
        {
            "theme_field": ["a", "a", "a", "b"],
            "code_id": [2, 1, 3, 1],
            "label": ["Lohn", "Pflege", "Kita", "Pflege"],
            "answers": [2, 2, 1, 1],
            "coded_answers": [3, 3, 3, 1],
            "share": [2 / 3, 2 / 3, 1 / 3, 1.0],
        }
    )
    pdt.assert_frame_equal(result, expected)
    assert top_codes(result, n=1)["label"].tolist() == ["Lohn", "Pflege"]


def test_co_occurrence_counts_each_pair_once():
    result = co_occurrence(shared_codes(CODES), CODEBOOK)
    assert result[["code_id_a", "code_id_b", "answers", "label_a", "label_b"]].to_dict(
        "records"
    ) == [{"code_id_a": 1, "code_id_b": 2, "answers": 2, "label_a": "Pflege", "label_b": "Lohn"}]


def test_proposals_ranked_by_ratings_with_spread_and_only_published_quotes():
    ratings = pd.DataFrame(
        {
            "rating_id": [1, 2, 3],
            "answer_id": [10, 10, 13],
            "effectiveness": [4, 2, 5],
            "feasibility": [5, 3, 4],
        }
    )
    ranked = rank_proposals(ANSWERS, ratings)
    assert ranked["answer_id"].tolist() == [13, 10, 11]  # 4.5, 3.5, unrated
    assert ranked["n_ratings"].tolist() == [1, 2, 0]
    row = ranked.set_index("answer_id").loc[10]
    assert row["effectiveness_mean"] == 3 and math.isclose(row["effectiveness_sd"], 2**0.5)
    assert row["quote"] == "Mehr Lohn"
    assert pd.isna(ranked.set_index("answer_id").loc[11, "quote"])  # not public: not quoted


def _rated(count: int) -> pd.DataFrame:
    ratings = pd.DataFrame(
        {
            "rating_id": range(2 * count),
            "answer_id": [i // 2 for i in range(2 * count)],
            "effectiveness": [1 + (i * 7) % 5 for i in range(2 * count)],
            "feasibility": [1 + (i * 3) % 5 for i in range(2 * count)],
        }
    )
    answers = pd.DataFrame(
        {
            "answer_id": range(count),
            "theme_field": "f",
            "published_text": "",
            "is_proposal": True,
        }
    )
    return rank_proposals(answers, ratings)


@pytest.mark.parametrize("count", [5, 400])
def test_the_proposal_matrix_lists_at_most_the_highest_rated(count):
    ranked = _rated(count)
    _, figure = report._proposal_matrix(SimpleNamespace(proposals=ranked))
    assert figure.png.startswith(b"\x89PNG")
    listed = min(count, report.MAX_LISTED_PROPOSALS)
    assert list(figure.table["Antwort"]) == [str(i) for i in ranked["answer_id"][:listed]]
    if count <= report.MAX_LISTED_PROPOSALS:
        assert "enthält alle Werte" in figure.alt
    else:
        assert f"alle {count} stehen mit ihren Mittelwerten in antworten_analyse.csv" in figure.alt
