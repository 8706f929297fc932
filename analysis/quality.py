"""Quality flags: copies of one text (possible organised campaigns), empty answers, likely spam.

No all-pairs comparison: texts are grouped by keys computed per answer, so the cost grows
linearly with the number of answers.
"""

from __future__ import annotations

import re
import string

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
# Ten of one character in a row: RE2 has no back-references, so one alternative per character.
_REPEATED_CHARACTER = "|".join(
    re.escape(c) + "{10}"
    for c in string.ascii_letters + string.digits + string.punctuation + "äöüÄÖÜß"
)
_GIBBERISH_WORD = r"[A-Za-zÄÖÜäöüß]{40,}"  # a "word" of 40 letters (narrow class: fast in RE2)


# Trimmed from both ends of each word; inside words ("z.B.", "Fach-kraft") they stay.
_PUNCTUATION = ".,;:!?…\"'()[]{}<>«»„“”‚‘’*/\\|-–—_+=#~^`@$%&"


def _arrow(texts: pd.Series) -> pa.Array:
    """The texts as one Arrow string array (missing ones empty)."""
    arrow = pa.array(texts.fillna(""), type=pa.string())
    return arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow


def _words(texts: pd.Series) -> pa.ListArray:
    """Each text's lower-cased words without surrounding punctuation (Arrow, no Python loop)."""
    arrow = _arrow(texts)
    split = pc.utf8_split_whitespace(pc.utf8_lower(arrow))
    words = pc.utf8_trim(pc.list_flatten(split), characters=_PUNCTUATION)
    keep = pc.not_equal(pc.utf8_length(words), 0)
    rows = pc.filter(pc.list_parent_indices(split), keep).to_numpy()
    counts = np.bincount(rows, minlength=len(arrow))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), pc.filter(words, keep))


def normalise(texts: pd.Series, words: pa.ListArray | None = None) -> pd.Series:
    """Lower-cased words separated by single spaces: punctuation, case and spacing ignored.

    `words` may pass `_words(texts)` when the caller has them already."""
    joined = pc.binary_join(_words(texts) if words is None else words, " ")
    return pd.Series(pd.arrays.ArrowStringArray(joined), index=texts.index)


_COUNT_MIX = np.uint64(0x9E3779B97F4A7C15)  # spreads the word count over the key's bits


def word_set(texts: pd.Series, words: pa.ListArray | None = None) -> pd.Series:
    """A key of each text's words, whatever their order: the same words rearranged (or with
    other punctuation) get the same key; texts without words get NaN.

    Each distinct word of the vocabulary gets a random 64-bit number; a text's key is the sum of
    its words' numbers (order-free, no sorting per text) with their count.
    """
    words = _words(texts) if words is None else words
    codes = pc.dictionary_encode(words.flatten())
    numbers = np.random.default_rng(0).integers(0, 2**63, len(codes.dictionary), dtype=np.uint64)
    lengths = pc.list_value_length(words).to_numpy(zero_copy_only=False)
    has_words = lengths > 0
    starts = np.r_[0, np.cumsum(lengths)[:-1]][has_words]
    values = numbers[codes.indices.to_numpy(zero_copy_only=False)]
    sums = np.add.reduceat(values, starts) if len(starts) else values[:0]
    keys = np.zeros(len(texts), dtype=np.uint64)
    with np.errstate(over="ignore"):  # the sums wrap around: equal sets still sum equally
        keys[has_words] = sums + lengths[has_words].astype(np.uint64) * _COUNT_MIX
    return pd.Series(keys, index=texts.index, dtype="UInt64").mask(~has_words)


def flag_quality(answers: pd.DataFrame) -> pd.DataFrame:
    """Add `is_empty`, `is_spam`, `campaign_id`, `campaign_size` and `campaign_kind` to `answers`.

    A campaign is a group of at least MIN_CAMPAIGN_SIZE answers with the same normalised text
    ("exact") or, failing that, the same set of words ("near"); ids count from 1, the largest
    first (equal sizes in the order of their first answer).
    Answers outside a campaign get campaign_id 0 and size 1.
    """
    words = _words(answers["text"])
    normalised = normalise(answers["text"], words)
    arrow = _arrow(answers["text"])
    flagged = answers.assign(
        is_empty=((normalised.str.len() < 3) | normalised.isin(FILLER)).to_numpy(),
        is_spam=(
            (pc.count_substring_regex(arrow, _URL).to_numpy() >= 2)
            | pc.match_substring_regex(arrow, _REPEATED_CHARACTER).to_numpy(zero_copy_only=False)
            | pc.match_substring_regex(arrow, _GIBBERISH_WORD).to_numpy(zero_copy_only=False)
        ),
    )
    long_enough = (normalised.str.len() >= MIN_CAMPAIGN_LENGTH).to_numpy()
    exact = _groups(pd.factorize(normalised)[0], long_enough)
    near = _groups(pd.factorize(word_set(answers["text"], words))[0], long_enough & (exact < 0))
    # One number per group: exact groups first, then near ones; -1 for none.
    group = np.where(exact >= 0, exact, np.where(near >= 0, near + len(exact), -1))
    sizes = np.bincount(group[group >= 0], minlength=2 * len(exact))
    first = np.full(len(sizes), len(group))
    np.minimum.at(first, group[group >= 0], np.flatnonzero(group >= 0))
    ranked = [g for g in np.lexsort((first, -sizes)) if sizes[g] > 0]
    ids = np.zeros(len(sizes), dtype=np.int64)
    ids[ranked] = np.arange(1, len(ranked) + 1)
    in_group = group >= 0
    kind = np.where(exact >= 0, "exact", np.where(near >= 0, "near", None))
    return flagged.assign(
        campaign_id=np.where(in_group, ids[np.maximum(group, 0)], 0),
        campaign_size=np.where(in_group, sizes[np.maximum(group, 0)], 1),
        campaign_kind=pd.array(kind, dtype="string"),
    )


def _groups(codes: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """`codes` (as from pd.factorize) where eligible and shared by at least
    MIN_CAMPAIGN_SIZE eligible answers, else -1."""
    codes = np.where(eligible & (codes >= 0), codes, -1)
    counts = np.bincount(codes[codes >= 0], minlength=int(codes.max(initial=-1)) + 1)
    shared = np.zeros(len(codes), dtype=bool)
    shared[codes >= 0] = counts[codes[codes >= 0]] >= MIN_CAMPAIGN_SIZE
    return np.where(shared, codes, -1)


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
