"""Code frequencies, co-occurrence and top codes from the shared coding (not the samples)."""

from __future__ import annotations

import pandas as pd


def shared_codes(codes: pd.DataFrame) -> pd.DataFrame:
    """Distinct answer × code pairs of the shared coding (double-coding samples left out)."""
    return (
        codes[codes["sample_id"].isna()][["answer_id", "code_id"]]
        .drop_duplicates()
        .reset_index(drop=True)
    )


def code_frequencies(
    pairs: pd.DataFrame, answers: pd.DataFrame, codebook: pd.DataFrame, by: str = "theme_field"
) -> pd.DataFrame:
    """Answers per code and value of `by` (e.g. theme field, perspective), with the share of
    that group's coded answers that carry the code, most frequent first."""
    labelled = pairs.merge(answers[["answer_id", by]], on="answer_id").merge(
        codebook[["code_id", "label"]], on="code_id"
    )
    coded_per_group = (
        labelled.groupby(by, dropna=False)["answer_id"].nunique().rename("coded_answers")
    )
    frequencies = (
        labelled.groupby([by, "code_id", "label"], dropna=False)
        .size()
        .rename("answers")
        .reset_index()
        .merge(coded_per_group.reset_index(), on=by, how="left")
    )
    frequencies["share"] = frequencies["answers"] / frequencies["coded_answers"]
    return frequencies.sort_values(
        [by, "answers", "label"], ascending=[True, False, True], ignore_index=True
    )


def top_codes(frequencies: pd.DataFrame, by: str = "theme_field", n: int = 5) -> pd.DataFrame:
    """The `n` most frequent codes per group of `code_frequencies`."""
    return frequencies.groupby(by, dropna=False, sort=True).head(n).reset_index(drop=True)


def co_occurrence(pairs: pd.DataFrame, codebook: pd.DataFrame, min_count: int = 1) -> pd.DataFrame:
    """How often two codes are given to the same answer (each unordered pair once)."""
    both = pairs.merge(pairs, on="answer_id", suffixes=("_a", "_b"))
    both = both[both["code_id_a"] < both["code_id_b"]]
    counted = both.groupby(["code_id_a", "code_id_b"]).size().rename("answers").reset_index()
    counted = counted[counted["answers"] >= min_count]
    labels = codebook.set_index("code_id")["label"]
    return counted.assign(
        label_a=counted["code_id_a"].map(labels), label_b=counted["code_id_b"].map(labels)
    ).sort_values(
        ["answers", "code_id_a", "code_id_b"], ascending=[False, True, True], ignore_index=True
    )
