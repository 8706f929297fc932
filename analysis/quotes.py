"""Representative quotes per code: published text only, each citing its answer id."""

from __future__ import annotations

import pandas as pd

QUOTE_MIN_LENGTH = 40  # shorter texts say too little to stand for a code
QUOTE_MAX_LENGTH = 600  # longer ones are cut at a word boundary with "…"


def quotable(answers: pd.DataFrame) -> pd.DataFrame:
    """Answers that may be quoted: published with consent (their published, possibly
    redacted, text), not flagged (empty, spam, abuse), and not a copy in a campaign beyond
    its first answer."""
    ok = (
        answers["published_text"].notna()
        & (answers["status"] == "published")
        & answers["publication_consent"].fillna(False).astype(bool)
    )
    if "flagged" in answers:
        ok &= ~answers["flagged"].astype(bool)
    if "campaign_id" in answers:
        first = ~answers.sort_values("answer_id").duplicated("campaign_id") | (
            answers["campaign_id"] == 0
        )
        ok &= first.reindex(answers.index)
    return answers[ok]


def representative_quotes(
    pairs: pd.DataFrame, answers: pd.DataFrame, per_code: int = 3
) -> pd.DataFrame:
    """Up to `per_code` quotes per code (code_id, answer_id, quote).

    Representative means specific: answers carrying the fewest other codes first, then those of
    a readable length closest to the code's median, then the lowest id (reproducible).
    """
    candidates = quotable(answers)[["answer_id", "published_text"]]
    codes_per_answer = pairs.groupby("answer_id").size().rename("codes")
    joined = pairs.merge(candidates, on="answer_id").merge(
        codes_per_answer.reset_index(), on="answer_id"
    )
    length = joined["published_text"].str.len()
    joined = joined[length >= QUOTE_MIN_LENGTH].assign(length=length)
    median = joined.groupby("code_id")["length"].transform("median")
    joined = joined.assign(distance=(joined["length"] - median).abs())
    chosen = (
        joined.sort_values(["code_id", "codes", "distance", "answer_id"])
        .groupby("code_id")
        .head(per_code)
    )
    return pd.DataFrame(
        {
            "code_id": chosen["code_id"].to_numpy(),
            "answer_id": chosen["answer_id"].to_numpy(),
            "quote": chosen["published_text"].map(shorten).to_numpy(),
        }
    )


def shorten(text: str, limit: int = QUOTE_MAX_LENGTH) -> str:
    """`text` cut at the last word boundary before `limit` characters, marked with "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(maxsplit=1)[0].rstrip(",;:.-–")
    return cut + " …"
