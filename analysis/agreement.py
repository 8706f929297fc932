"""Inter-coder agreement on double-coded samples: Cohen's kappa per code, Krippendorff's alpha.

Input tables are those of the export: `codes` (answer_id, code_id, coder_id, sample_id),
`sample_answers` (sample_id, answer_id) and `samples` (sample_id, coder_a_id, coder_b_id).
Each code is a yes/no decision per answer; an answer neither coder gave a code counts as
agreement on "no".
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def decisions(
    codes: pd.DataFrame, sample_answers: pd.DataFrame, samples: pd.DataFrame
) -> pd.DataFrame:
    """One row per sample × answer × code with both coders' yes/no (columns a, b).

    Codes are those either coder used in the sample; answers are all answers drawn.
    """
    coded = codes.dropna(subset=["sample_id"]).astype({"sample_id": "int64"})
    coded = coded.merge(samples[["sample_id", "coder_a_id", "coder_b_id"]], on="sample_id")
    coded = coded.assign(
        a=coded["coder_id"] == coded["coder_a_id"], b=coded["coder_id"] == coded["coder_b_id"]
    )
    given = coded.groupby(["sample_id", "answer_id", "code_id"], as_index=False)[["a", "b"]].any()
    used = given[["sample_id", "code_id"]].drop_duplicates()
    grid = sample_answers[["sample_id", "answer_id"]].merge(used, on="sample_id")
    return (
        grid.merge(given, on=["sample_id", "answer_id", "code_id"], how="left")
        .fillna({"a": False, "b": False})
        .astype({"a": bool, "b": bool})
        .sort_values(["sample_id", "code_id", "answer_id"], ignore_index=True)
    )


def cohen_kappa(decided: pd.DataFrame) -> pd.DataFrame:
    """Cohen's kappa per sample and code from `decisions`.

    kappa is NaN where it is undefined: both coders gave the same single value to every answer
    (expected agreement 1); `agreement` (observed share of equal decisions) still says how often
    they agreed.
    """
    grouped = decided.assign(
        same=decided["a"] == decided["b"], a1=decided["a"], b1=decided["b"]
    ).groupby(["sample_id", "code_id"])
    stats = grouped.agg(n_answers=("same", "size"), agreement=("same", "mean"))
    pa = grouped["a1"].mean()
    pb = grouped["b1"].mean()
    expected = pa * pb + (1 - pa) * (1 - pb)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = (stats["agreement"] - expected) / (1 - expected)
    stats["kappa"] = kappa.where(expected < 1)
    return stats.reset_index()


def krippendorff_alpha(decided: pd.DataFrame) -> pd.DataFrame:
    """Krippendorff's alpha (nominal, two coders) per sample over all answer × code decisions."""
    rows = []
    for sample_id, part in decided.groupby("sample_id"):
        rows.append(
            {
                "sample_id": sample_id,
                "n_units": len(part),
                "alpha": nominal_alpha(part["a"].to_numpy(), part["b"].to_numpy()),
            }
        )
    return pd.DataFrame(rows, columns=["sample_id", "n_units", "alpha"])


def nominal_alpha(a: np.ndarray, b: np.ndarray) -> float:
    """Krippendorff's alpha for two coders' nominal values on the same units (no gaps)."""
    values = np.concatenate([a, b])
    n = len(values)
    if n < 2:
        return float("nan")
    disagreeing_pairs = 2 * int(np.count_nonzero(a != b))  # each unit gives both orders
    _, counts = np.unique(values, return_counts=True)
    expected_pairs = float(counts.sum() ** 2 - (counts**2).sum())  # sum over c != k of n_c n_k
    if expected_pairs == 0:
        return float("nan")  # a single value throughout: no variation to agree on
    return 1 - (n - 1) * disagreeing_pairs / expected_pairs
