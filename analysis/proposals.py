"""Proposals (Lösungsvorschläge) ranked by their ratings for Wirksamkeit and Machbarkeit."""

from __future__ import annotations

import pandas as pd


def rank_proposals(answers: pd.DataFrame, ratings: pd.DataFrame) -> pd.DataFrame:
    """One row per answer marked as a proposal: n ratings, mean and spread (standard deviation)
    of effectiveness and feasibility, and the quotable (published) text.

    Ranked by the mean of both means; unrated proposals come last. Only published text is
    quoted: `quote` is empty for answers that are not public.
    """
    proposals = answers[answers["is_proposal"].fillna(False).astype(bool)]
    stats = (
        ratings.groupby("answer_id")
        .agg(
            n_ratings=("rating_id", "size"),
            effectiveness_mean=("effectiveness", "mean"),
            effectiveness_sd=("effectiveness", "std"),
            feasibility_mean=("feasibility", "mean"),
            feasibility_sd=("feasibility", "std"),
        )
        .reset_index()
    )
    ranked = proposals[["answer_id", "theme_field", "published_text"]].merge(
        stats, on="answer_id", how="left"
    )
    ranked["n_ratings"] = ranked["n_ratings"].fillna(0).astype("int64")
    ranked["score"] = ranked[["effectiveness_mean", "feasibility_mean"]].mean(axis=1)
    return ranked.rename(columns={"published_text": "quote"}).sort_values(
        ["score", "n_ratings", "answer_id"],
        ascending=[False, False, True],
        na_position="last",
        ignore_index=True,
    )
