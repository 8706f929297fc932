"""Text helpers shared by the analysis steps: words as Arrow arrays, greeting and sign-off lines.

Everything here works on whole columns at once (Arrow compute, RE2 regular expressions), so
the cost grows linearly with the number of answers and no Python loop runs per answer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Trimmed from both ends of each word; inside words ("z.B.", "Fach-kraft") they stay.
PUNCTUATION = ".,;:!?…\"'()[]{}<>«»„“”‚‘’*/\\|-–—_+=#~^`@$%&"

# A greeting at the start of an answer: the whole first line when it is only a greeting
# ("Sehr geehrte Damen und Herren,"), else the greeting up to its comma or exclamation mark.
_GREETING = (
    r"(?:sehr\s+geehrte[rn]?|geehrte[rn]?|liebe[rs]?|hallo|hi|hey|moin(?:\s+moin)?|servus|"
    r"grüß\s+gott|grüezi|guten\s+(?:tag|morgen|abend)|werte[rs]?|dear|hello|good\s+(?:morning|day))"
)
_GREETING_LINE = r"(?is)^\s*" + _GREETING + r"\b[^\n]{0,80}?(?:[,!:]\s*|\n|$)"
# A closing formula and everything after it (name, town, title lines), if it starts a line
# or follows a sentence end, and at most a few short lines follow.
_CLOSING = (
    r"(?:mit\s+(?:den\s+)?(?:freundlichen|besten|herzlichen|solidarischen|kollegialen)\s+grüßen|"
    r"freundliche\s+grüße|(?:viele|beste|liebe|herzliche|schöne|sonnige)\s+grüße|"
    r"grüße\s+aus|gruß\s+aus|mfg|lg|vg|beste\s+grüsse|viele\s+grüsse|"
    r"freundliche\s+grüsse|mit\s+freundlichen\s+grüssen|(?:best|kind|warm)\s+regards|"
    r"regards|sincerely|yours\s+(?:sincerely|faithfully)|best\s+wishes|cheers|gruß|danke\s+und\s+gruß)"
)
_CLOSING_TAIL = (
    r"(?is)(^|\n|[.!?]\s+)\s*" + _CLOSING + r"\b(?:[^\n]{0,60})(?:\n[^\n]{0,60}){0,4}\s*$"
)


def arrow_strings(texts: pd.Series) -> pa.Array:
    """The texts as one Arrow string array (missing ones empty)."""
    arrow = pa.array(texts.fillna(""), type=pa.string())
    return arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow


def strip_salutations(texts: pa.Array) -> pa.Array:
    """The texts without a greeting line at the start and a sign-off (with name) at the end:
    what people change when they send a template as their own."""
    body = pc.replace_substring_regex(texts, _GREETING_LINE, "", max_replacements=1)
    return pc.replace_substring_regex(body, _CLOSING_TAIL, r"\1", max_replacements=1)


def body_words(texts: pa.Array, word_lists: pa.ListArray | None = None) -> pa.ListArray:
    """The words of each text without its greeting and sign-off (strip_salutations).
    `word_lists`, the words of the whole texts if already known, are reused for the texts
    that have neither (most of them): finding those is much cheaper than replacing, and only
    the others are stripped and split again."""
    if word_lists is None:
        return words(strip_salutations(texts))
    salutation = pc.or_(
        pc.match_substring_regex(texts, _GREETING_LINE),
        pc.match_substring_regex(texts, _CLOSING_TAIL),
    )
    changed = np.flatnonzero(salutation.to_numpy(zero_copy_only=False))
    if not len(changed):
        return word_lists
    stripped = words(strip_salutations(pc.take(texts, pa.array(changed))))
    # The words of the unchanged runs of texts and those of the stripped texts between them,
    # as slices (taking every list anew would copy all words).
    old, new = word_lists.offsets.to_numpy(), stripped.offsets.to_numpy()
    run_starts = np.concatenate([[0], changed + 1])
    run_ends = np.append(changed, len(texts))
    pieces = []
    for i, (start, end) in enumerate(zip(run_starts, run_ends, strict=True)):
        pieces.append(word_lists.values.slice(old[start], old[end] - old[start]))
        if i < len(changed):
            pieces.append(stripped.values.slice(new[i], new[i + 1] - new[i]))
    lengths = np.diff(old)
    lengths[changed] = np.diff(new)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), pa.concat_arrays(pieces))


def per_text(values: np.ndarray, word_lists: pa.ListArray) -> np.ndarray:
    """How many of each text's words have `values` True (values: one per word, flattened)."""
    offsets = word_lists.offsets.to_numpy()
    running = np.concatenate([[0], np.cumsum(values, dtype=np.int32)])
    return (running[offsets[1:]] - running[offsets[:-1]]).astype(np.int64)


def words(texts: pa.Array) -> pa.ListArray:
    """Each text's lower-cased words without surrounding punctuation (Arrow, no Python loop),
    in chunks of texts so that the intermediate arrays stay small."""
    if len(texts) <= _WORDS_CHUNK:
        return _words(texts)
    parts = [
        _words(texts.slice(start, _WORDS_CHUNK)) for start in range(0, len(texts), _WORDS_CHUNK)
    ]
    return pa.concat_arrays(parts)


_WORDS_CHUNK = 200_000


def _words(texts: pa.Array) -> pa.ListArray:
    split = pc.utf8_split_whitespace(pc.utf8_lower(texts))
    flat = pc.utf8_trim(pc.list_flatten(split), characters=PUNCTUATION)
    keep = pc.not_equal(pc.utf8_length(flat), 0)
    rows = pc.filter(pc.list_parent_indices(split), keep).to_numpy()
    counts = np.bincount(rows, minlength=len(texts))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), pc.filter(flat, keep))


def joined(word_lists: pa.ListArray, index: pd.Index) -> pd.Series:
    """Lower-cased words separated by single spaces: punctuation, case and spacing ignored."""
    return pd.Series(pd.arrays.ArrowStringArray(pc.binary_join(word_lists, " ")), index=index)


def word_codes(word_lists: pa.ListArray) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """(codes, offsets, vocabulary): every word as an integer code into the vocabulary, and
    where each text's words start in `codes` (len(texts) + 1 offsets)."""
    encoded = pc.dictionary_encode(word_lists.flatten())
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    lengths = pc.list_value_length(word_lists).to_numpy(zero_copy_only=False)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return codes, offsets, encoded.dictionary
