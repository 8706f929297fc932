import math

import pandas as pd
import pandas.testing as pdt

from analysis.agreement import cohen_kappa, decisions, krippendorff_alpha, nominal_alpha

SAMPLES = pd.DataFrame({"sample_id": [1], "coder_a_id": [10], "coder_b_id": [20]})
DRAWN = pd.DataFrame({"sample_id": [1, 1, 1, 1], "answer_id": [100, 101, 102, 103]})


def codes(rows):
    return pd.DataFrame(rows, columns=["answer_id", "code_id", "coder_id", "sample_id"])


def test_decisions_fill_in_the_answers_a_coder_left_without_the_code():
    # Code 7: A on 100 and 101, B on 100 only. Shared coding (sample NULL) is ignored.
    given = codes(
        [(100, 7, 10, 1), (101, 7, 10, 1), (100, 7, 20, 1), (102, 7, 30, None), (103, 8, 20, 1)]
    )
    result = decisions(given, DRAWN, SAMPLES)
    expected = pd.DataFrame(
        {
            "sample_id": [1] * 8,
            "answer_id": [100, 101, 102, 103] * 2,
            "code_id": [7] * 4 + [8] * 4,
            "a": [True, True, False, False] + [False] * 4,
            "b": [True, False, False, False, False, False, False, True],
        }
    )
    pdt.assert_frame_equal(result, expected)


def test_kappa_and_alpha_match_hand_computed_values():
    given = codes([(100, 7, 10, 1), (101, 7, 10, 1), (100, 7, 20, 1)])
    decided = decisions(given, DRAWN, SAMPLES)
    # observed 3/4, expected .5 × .25 + .5 × .75 = .5 → kappa = (.75 − .5) / .5
    kappa = cohen_kappa(decided)
    assert kappa.to_dict("records") == [
        {"sample_id": 1, "code_id": 7, "n_answers": 4, "agreement": 0.75, "kappa": 0.5}
    ]
    # coincidences: o11 = 2, o10 = o01 = 1, o00 = 4; n1 = 3, n0 = 5 → 1 − 7 × 2 / 30
    [alpha] = krippendorff_alpha(decided).to_dict("records")
    assert alpha["n_units"] == 4
    assert math.isclose(alpha["alpha"], 1 - 14 / 30)


def test_perfect_agreement_is_one_and_no_variation_is_undefined():
    assert nominal_alpha(pd.Series([1, 0, 1]).to_numpy(), pd.Series([1, 0, 1]).to_numpy()) == 1
    assert math.isnan(nominal_alpha(pd.Series([0, 0]).to_numpy(), pd.Series([0, 0]).to_numpy()))
    given = codes([(a, 7, coder, 1) for a in (100, 101, 102, 103) for coder in (10, 20)])
    [row] = cohen_kappa(decisions(given, DRAWN, SAMPLES)).to_dict("records")
    assert row["agreement"] == 1.0 and math.isnan(row["kappa"])


def test_systematic_disagreement_is_negative():
    given = codes([(100, 7, 10, 1), (101, 7, 10, 1), (102, 7, 20, 1), (103, 7, 20, 1)])
    [row] = cohen_kappa(decisions(given, DRAWN, SAMPLES)).to_dict("records")
    assert row["agreement"] == 0.0 and row["kappa"] == -1.0
