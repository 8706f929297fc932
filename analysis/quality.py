"""Quality flags: copies of one text (possible organised campaigns), empty answers, likely spam.

No all-pairs comparison: texts are grouped by keys computed per answer, so the cost grows
linearly with the number of answers.
"""

from __future__ import annotations

import pandas as pd

MIN_CAMPAIGN_LENGTH = 30  # shorter normalised texts repeat without any campaign ("keine Ahnung")
MIN_CAMPAIGN_SIZE = 3  # this many copies make a possible campaign
# Answers that say nothing, after normalising (lower case, no punctuation).
FILLER = frozenset(
    {
        "keine ahnung",
        "k a",
        "ka",
        "keine angabe",
        "siehe oben",
        "s o",
        "wie oben",
        "weiß nicht",
        "weiss nicht",
        "ich weiß es nicht",
        "kein kommentar",
        "nichts",
        "nix",
        "egal",
        "nein",
        "ja",
        "test",
        "testen",
        "asdf",
    }
)
_URL = r"(?:https?://|www\.)\S+"
_REPEATED_CHARACTER = r"(.)\1{9,}"  # ten or more of one character in a row
_GIBBERISH_WORD = r"[^\W\d_]{40,}"  # a "word" of 40 letters


def normalise(texts: pd.Series) -> pd.Series:
    """Lower-cased words separated by single spaces: punctuation, case and spacing ignored."""
    return (
        texts.fillna("")
        .str.normalize("NFKC")
        .str.casefold()
        .str.replace(r"[\W_]+", " ", regex=True)
        .str.strip()
    )


def word_set(normalised: pd.Series) -> pd.Series:
    """The distinct words of each text in sorted order: the same text reworded in another order,
    or with words repeated, gets the same key."""
    return normalised.str.split().map(lambda words: " ".join(sorted(set(words))))


def flag_quality(answers: pd.DataFrame) -> pd.DataFrame:
    """Add `is_empty`, `is_spam`, `campaign_id`, `campaign_size` and `campaign_kind` to `answers`.

    A campaign is a group of at least MIN_CAMPAIGN_SIZE answers with the same normalised text
    ("exact") or, failing that, the same set of words ("near"); ids count from 1, the largest
    first (equal sizes in the order of their first answer).
    Answers outside a campaign get campaign_id 0 and size 1.
    """
    normalised = normalise(answers["text"])
    text = answers["text"].fillna("")
    flagged = answers.assign(
        is_empty=(normalised.str.len() < 3) | normalised.isin(FILLER),
        is_spam=(
            (text.str.count(_URL) >= 2)
            | (text.str.count(_REPEATED_CHARACTER) > 0)
            | text.str.contains(_GIBBERISH_WORD, regex=True)
        ),
    )
    long_enough = normalised.str.len() >= MIN_CAMPAIGN_LENGTH
    exact = _groups(normalised.where(long_enough))
    near = _groups(word_set(normalised).where(long_enough & exact.isna()))
    key = exact.map(lambda k: f"exact:{k}").where(exact.notna(), near.map(lambda k: f"near:{k}"))
    key = key.where(exact.notna() | near.notna()).astype("string")
    sizes = key.map(key.value_counts())
    order = (
        pd.DataFrame({"key": key, "size": sizes, "first": answers["answer_id"]})
        .dropna()
        .sort_values("first")
        .drop_duplicates("key")
        .sort_values(["size", "first"], ascending=[False, True])
    )
    ids = pd.Series(range(1, len(order) + 1), index=order["key"].to_numpy())
    return flagged.assign(
        campaign_id=key.map(ids).fillna(0).astype("int64"),
        campaign_size=sizes.fillna(1).astype("int64"),
        campaign_kind=key.str.split(":", n=1).str[0].astype("string"),
    )


def _groups(keys: pd.Series) -> pd.Series:
    """`keys` where at least MIN_CAMPAIGN_SIZE answers share them, else NaN."""
    counts = keys.map(keys.value_counts())
    return keys.where(counts >= MIN_CAMPAIGN_SIZE)


def one_voice_weights(flagged: pd.DataFrame) -> pd.Series:
    """Weights that count each campaign as one voice (1 / its size) and every other answer as 1."""
    return 1 / flagged["campaign_size"]


def campaign_summary(flagged: pd.DataFrame) -> pd.DataFrame:
    """One row per campaign: id, kind, size, theme fields and an example answer."""
    campaigns = flagged[flagged["campaign_id"] > 0]
    return (
        campaigns.sort_values("answer_id")
        .groupby("campaign_id")
        .agg(
            campaign_kind=("campaign_kind", "first"),
            campaign_size=("campaign_size", "first"),
            theme_fields=("theme_field", lambda s: ", ".join(sorted(s.unique()))),
            example_answer_id=("answer_id", "first"),
            example_text=("text", "first"),
        )
        .reset_index()
    )
