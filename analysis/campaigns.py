"""Possible organised campaigns: groups of answers that are copies or near-copies of one text.

People who send a template as their own change the greeting and the sign-off, swap a word, add
or drop a sentence and make typos; independent people writing on one topic share key terms but
not whole runs of words. So the similarity of two answers is the overlap of their word
3-grams (shingles) after greeting and sign-off lines are removed. Comparing every pair would
grow with the square of the answers; instead each answer gets a MinHash signature (the
smallest of its shingles' hashes under NUM_PERM hash functions), answers that agree on a band
of the signature become candidates (locality-sensitive hashing), and only candidates are
compared. The cost grows linearly with the number of answers.

Exact copies (the same words after normalising) are grouped first and compared once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from analysis import text as tx

MIN_SIZE = 3  # this many answers (copies included) make a possible campaign
MIN_EXACT_LENGTH = 30  # shorter normalised texts repeat without any campaign ("keine Ahnung")
MIN_WORDS = 12  # shorter answers are grouped only as exact copies: too few shingles to compare
SHINGLE = 3  # words per shingle
NUM_PERM = 64  # hash functions of the signature
ROWS_PER_BAND = 2  # NUM_PERM / ROWS_PER_BAND bands: pairs with a Jaccard of 0.3 meet in 95 %
# Two answers are near-copies when their shingle sets overlap this much (estimated from the
# signatures): a Jaccard similarity of MIN_JACCARD, or one answer's shingles lying mostly
# (MIN_CONTAINMENT) inside the other's — a template with a personal paragraph added.
MIN_JACCARD = 0.45
MIN_CONTAINMENT = 0.75
MIN_JACCARD_FOR_CONTAINMENT = 0.2  # below this the estimate is too noisy to trust
# Containment counts only for a template-sized shorter text: a short sentence inside many
# long answers ("Wir brauchen mehr Kitaplätze") must not link them all into one group.
MIN_WORDS_FOR_CONTAINMENT = 30
_CENTRALITY_SAMPLE = 300  # members compared to find a large group's most central text
MAX_SPLITS = 20  # rounds of splitting a chained component (see _split_chains)
_CHUNK = 100_000  # answers whose shingles are hashed at a time

_RNG_SEED = 20241
_SHINGLE_MIX = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D], dtype=np.uint32)


@dataclass(frozen=True)
class Groups:
    """Per answer (in the order given): group number (-1 for none), similarity to the group's
    representative, and whether the answer is that representative."""

    group: np.ndarray
    similarity: np.ndarray
    representative: np.ndarray
    exact: np.ndarray  # per group number: all members have the same normalised text


def exact_groups(normalised: pd.Series) -> Groups:
    """Groups of at least MIN_SIZE answers with the same normalised text (of MIN_EXACT_LENGTH
    characters or more)."""
    codes = pd.factorize(normalised)[0]
    codes = np.where(normalised.str.len().to_numpy() >= MIN_EXACT_LENGTH, codes, -1)
    group = _keep_large(codes)
    first = np.zeros(len(group), dtype=bool)
    members = np.flatnonzero(group >= 0)
    _, first_of_group = np.unique(group[members], return_index=True)
    first[members[first_of_group]] = True
    similarity = np.where(group >= 0, 1.0, np.nan)
    exact = np.ones(int(group.max(initial=-1)) + 1, dtype=bool)
    return Groups(group, similarity, first, exact)


def near_copy_groups(texts: pd.Series, word_lists: pa.ListArray | None = None) -> Groups:
    """Groups of copies and near-copies of at least MIN_SIZE answers (`word_lists`: the
    texts' words, tx.words, if already known)."""
    word_lists = tx.body_words(tx.arrow_strings(texts), word_lists)
    normalised = tx.joined(word_lists, texts.index)
    # A node per distinct normalised wording: copies are compared once.
    node_of_row = pd.factorize(normalised)[0]
    _, first_row, multiplicity = np.unique(node_of_row, return_index=True, return_counts=True)
    codes, offsets, _ = tx.word_codes(word_lists)
    comparable = np.flatnonzero(np.diff(offsets)[first_row] >= MIN_WORDS)
    signatures = _signatures(codes, offsets, first_row[comparable])
    sizes = np.maximum(np.diff(offsets)[first_row[comparable]] - (SHINGLE - 1), 1)
    left, right = _near_pairs(signatures, sizes)
    n_nodes = len(first_row)
    graph = coo_matrix(
        (np.ones(len(left), dtype=np.int8), (comparable[left], comparable[right])),
        shape=(n_nodes, n_nodes),
    ).tocsr()
    _, component = connected_components(graph, directed=False)
    position = np.full(n_nodes, -1)
    position[comparable] = np.arange(len(comparable))
    component = _split_chains(component, signatures, sizes, position)
    rows_in_component = np.bincount(component, weights=multiplicity)[component]
    long_enough = normalised.str.len().to_numpy()[first_row] >= MIN_EXACT_LENGTH
    node_group = _keep_large(np.where(long_enough, component, -1), rows_in_component)
    centre, node_similarity = _centres(node_group, signatures, position, multiplicity)
    group = node_group[node_of_row]
    similarity = np.where(group >= 0, node_similarity[node_of_row], np.nan)
    representative = np.zeros(len(group), dtype=bool)
    representative[first_row[centre]] = True
    nodes_per_group = np.bincount(node_group[node_group >= 0], minlength=len(centre))
    return Groups(group, similarity, representative, nodes_per_group == 1)


def _keep_large(codes: np.ndarray, counts: np.ndarray | None = None) -> np.ndarray:
    """`codes` where shared by at least MIN_SIZE answers (or where `counts`, the number of
    answers per element, reaches it), renumbered 0, 1, … in order of first appearance; else -1.
    """
    valid = codes >= 0
    if counts is None:
        per_code = np.bincount(codes[valid], minlength=int(codes.max(initial=-1)) + 1)
    else:
        per_code = np.zeros(int(codes.max(initial=-1)) + 1)
        per_code[codes[valid]] = counts[valid]
    large = np.flatnonzero(per_code >= MIN_SIZE)
    _, first = np.unique(codes[valid & np.isin(codes, large)], return_index=True)
    large = codes[valid & np.isin(codes, large)][np.sort(first)]
    renumber = np.full(len(per_code), -1)
    renumber[large] = np.arange(len(large))
    return np.where(valid, renumber[np.maximum(codes, 0)], -1)


def _shingle_hashes(
    codes: np.ndarray, offsets: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """32-bit hashes of the word 3-grams of `rows` (in order), and where each row's start."""
    lengths = np.diff(offsets)
    shingles = np.zeros(len(lengths), dtype=np.int64)
    shingles[rows] = np.maximum(lengths[rows] - (SHINGLE - 1), 0)
    # A mask over every word position: True where a shingle of a wanted row starts.
    runs = np.stack([shingles, lengths - shingles], axis=1).ravel()
    starts_here = np.repeat(np.tile([True, False], len(lengths)), runs)
    words = codes.astype(np.uint32)
    with np.errstate(over="ignore"):
        mixed = words[: len(words) - SHINGLE + 1] * _SHINGLE_MIX[0]
        for k in range(1, SHINGLE):
            mixed += words[k : len(words) - SHINGLE + 1 + k] * _SHINGLE_MIX[k]
        hashes = _fmix32(mixed[starts_here[: len(mixed)]])
    begin = np.concatenate([[0], np.cumsum(shingles[rows])[:-1]]).astype(np.int64)
    return hashes, begin


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser: spreads every input bit over the whole 32-bit value."""
    values ^= values >> np.uint32(16)
    values *= np.uint32(0x85EBCA6B)
    values ^= values >> np.uint32(13)
    values *= np.uint32(0xC2B2AE35)
    values ^= values >> np.uint32(16)
    return values


def _signatures(codes: np.ndarray, offsets: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """MinHash signatures of `rows` (ascending; shape rows × NUM_PERM, uint32, row-major: pairs
    of rows are compared); rows with no shingle get all-maximum signatures, which never count as
    similar (see _similar). Computed in chunks of rows, so the shingles of all answers are
    never in memory at once."""
    columns = np.full((NUM_PERM, len(rows)), np.iinfo(np.uint32).max, dtype=np.uint32)
    rng = np.random.default_rng(_RNG_SEED)
    multipliers = rng.integers(1, 2**32, NUM_PERM, dtype=np.uint32) | np.uint32(1)
    addends = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint32)
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        first, last = int(chunk[0]), int(chunk[-1]) + 1
        local = offsets[first : last + 1] - offsets[first]
        hashes, begin = _shingle_hashes(codes[offsets[first] : offsets[last]], local, chunk - first)
        has = np.diff(np.append(begin, len(hashes))) > 0
        if not len(hashes):
            continue
        starts = begin[has]
        target = np.flatnonzero(has) + start
        permuted = np.empty_like(hashes)
        with np.errstate(over="ignore"):
            for i in range(NUM_PERM):  # a random affine permutation of the 32-bit hashes
                np.multiply(hashes, multipliers[i], out=permuted)
                permuted += addends[i]
                columns[i, target] = np.minimum.reduceat(permuted, starts)
    return np.ascontiguousarray(columns.T)  # hashed column by column, compared row by row


def _near_pairs(signatures: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (as row numbers of `signatures`) of near-copies: candidates from the bands,
    confirmed by the whole signature."""
    if len(signatures) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    n = np.int64(len(signatures))
    low_bytes = signatures.astype(np.uint8)  # the lowest byte of each hash (see _may_be_similar)
    confirmed = np.zeros(0, dtype=np.int64)  # each pair (left < right) as left * n + right
    for band in range(NUM_PERM // ROWS_PER_BAND):
        columns = signatures[:, band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        key = columns[:, 0].astype(np.uint64) << np.uint64(32)
        if ROWS_PER_BAND > 1:
            key |= columns[:, 1].astype(np.uint64)
        # Texts of one bucket sit next to each other; each is compared with its neighbour
        # only, and the many bands link the rest.
        order = np.argsort(key)
        same = np.flatnonzero(key[order[1:]] == key[order[:-1]])
        del key
        a, b = order[same], order[same + 1]
        found = np.sort(np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b))  # each once
        # Each band's candidates are checked at once and only near-copies are kept: similar
        # pairs meet in many bands but are checked once, dissimilar ones rarely meet twice.
        found = found[~_sorted_isin(found, confirmed)]
        found = found[_may_be_similar(low_bytes, sizes, found // n, found % n)]
        near = found[_similar(signatures, sizes, found // n, found % n)]
        confirmed = np.sort(np.concatenate([confirmed, near]), kind="stable")  # two sorted runs
    return confirmed // n, confirmed % n


def _may_be_similar(
    low_bytes: np.ndarray, sizes: np.ndarray, left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    """False for pairs that cannot be near-copies, judged from the lowest byte of each
    signature column: where two hashes are equal, so are their lowest bytes, so fewer equal
    bytes than the similarity a pair needs (_least_jaccard) rule it out for certain. A row of
    bytes is a quarter of a signature's row, and gathering the rows is most of the cost of
    comparing: most candidates from the bands are not near-copies."""
    result = np.zeros(len(left), dtype=bool)
    step = 200_000
    for start in range(0, len(left), step):
        a, b = left[start : start + step], right[start : start + step]
        equal = np.take(low_bytes, a, axis=0) == np.take(low_bytes, b, axis=0)
        result[start : start + step] = (
            equal.sum(axis=1, dtype=np.int32) / low_bytes.shape[1]
            >= _least_jaccard(sizes[a], sizes[b]) - 1e-9
        )  # rounding never rules a pair out
    return result


def _least_jaccard(left_sizes: np.ndarray, right_sizes: np.ndarray) -> np.ndarray:
    """The least Jaccard similarity at which _similar accepts a pair of these shingle counts:
    MIN_JACCARD, or where containment may count the Jaccard at which the shorter text's
    shingles lie MIN_CONTAINMENT inside the other's (containment grows with the Jaccard), but
    not below MIN_JACCARD_FOR_CONTAINMENT."""
    shorter = np.minimum(left_sizes, right_sizes)
    total = left_sizes + right_sizes
    contained = MIN_CONTAINMENT * shorter / (total - MIN_CONTAINMENT * shorter)
    long_enough = shorter >= MIN_WORDS_FOR_CONTAINMENT - SHINGLE + 1
    return np.where(
        long_enough,
        np.clip(contained, MIN_JACCARD_FOR_CONTAINMENT, MIN_JACCARD),
        MIN_JACCARD,
    )


def _sorted_isin(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """np.isin for a sorted, duplicate-free `sorted_set` (a binary search per value)."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[at] == values


def _similar(
    signatures: np.ndarray, sizes: np.ndarray, left: np.ndarray | int, right: np.ndarray
) -> np.ndarray:
    """Whether each pair is a near-copy (estimated Jaccard or containment, see the module);
    `left` may be a single row, compared with every row of `right`."""
    one = np.ndim(left) == 0
    result = np.zeros(len(right), dtype=bool)
    step = 100_000
    # Gathered into buffers reused for every step: the gather is most of the cost.
    theirs = np.empty((min(step, len(right)), signatures.shape[1]), dtype=signatures.dtype)
    mine = signatures[left] if one else np.empty_like(theirs)
    equal = np.empty(theirs.shape, dtype=bool)
    for start in range(0, len(right), step):
        b = right[start : start + step]
        m = len(b)
        np.take(signatures, b, axis=0, out=theirs[:m])
        if one:
            size_a = sizes[left]
            np.equal(mine, theirs[:m], out=equal[:m])
        else:
            a = left[start : start + step]
            size_a = sizes[a]
            np.take(signatures, a, axis=0, out=mine[:m])
            np.equal(mine[:m], theirs[:m], out=equal[:m])
        size_b = sizes[b]
        jaccard = equal[:m].sum(axis=1, dtype=np.int32) / signatures.shape[1]
        shared = jaccard * (size_a + size_b) / (1 + jaccard)
        containment = shared / np.minimum(size_a, size_b)
        long_enough = np.minimum(size_a, size_b) >= MIN_WORDS_FOR_CONTAINMENT - SHINGLE + 1
        result[start : start + step] = (jaccard >= MIN_JACCARD) | (
            (jaccard >= MIN_JACCARD_FOR_CONTAINMENT)
            & (containment >= MIN_CONTAINMENT)
            & long_enough
        )
    return result


def _central(signatures: np.ndarray, rows: np.ndarray, weights: np.ndarray) -> int:
    """The index into `rows` (the signature rows of one group) of the text most similar on
    average to the others (weighted by their copies): among at most _CENTRALITY_SAMPLE
    candidates, measured against the same sample, so that large groups cost no more than
    small ones."""
    step = max(1, len(rows) // _CENTRALITY_SAMPLE)
    candidates = np.arange(0, len(rows), step)
    sample = signatures[rows[candidates]]
    agreement = np.zeros(len(candidates))
    for start in range(0, len(candidates), 50):
        chunk = sample[start : start + 50]
        agreement[start : start + 50] = (
            (chunk[:, None, :] == sample[None, :, :]).mean(axis=2) * weights[candidates]
        ).sum(axis=1)
    return int(candidates[int(np.argmax(agreement))])


def _split_chains(
    component: np.ndarray, signatures: np.ndarray, sizes: np.ndarray, position: np.ndarray
) -> np.ndarray:
    """Components whose members are all near-copies of their most central text; the others
    are split. Near-copy links can chain (A is like B, B like C, A not like C): each component
    keeps the members similar to its centre, the rest is split again, up to MAX_SPLITS times;
    what is left after that stands alone."""
    result = component.copy()
    next_label = int(component.max(initial=-1)) + 1
    counts = np.bincount(component)
    order = np.argsort(component, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(counts)])
    for label in np.flatnonzero(counts > 2):
        nodes = order[bounds[label] : bounds[label + 1]]
        for _ in range(MAX_SPLITS):
            if len(nodes) < 2:
                break
            rows = position[nodes]
            centre = _central(signatures, rows, np.ones(len(nodes)))
            near = _similar(signatures, sizes, rows[centre], rows)
            near[centre] = True
            if near.all():
                result[nodes] = next_label
                next_label += 1
                nodes = nodes[:0]
                break
            result[nodes[near]] = next_label
            next_label += 1
            nodes = nodes[~near]
        result[nodes] = np.arange(next_label, next_label + len(nodes))  # left alone
        next_label += len(nodes)
    return result


def _centres(
    node_group: np.ndarray, signatures: np.ndarray, position: np.ndarray, multiplicity: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per group the node of its most central text (copies counted), and per node its
    estimated similarity to that centre.

    `position` maps a node to its row in `signatures` (-1: not compared, then the group is a
    single wording and its copies are identical)."""
    n_groups = int(node_group.max(initial=-1)) + 1
    centre = np.full(n_groups, -1)
    similarity = np.full(len(node_group), np.nan)
    members = np.flatnonzero(node_group >= 0)
    order = members[np.argsort(node_group[members], kind="stable")]
    bounds = np.searchsorted(node_group[order], np.arange(n_groups + 1))
    for g in range(n_groups):
        nodes = order[bounds[g] : bounds[g + 1]]
        if len(nodes) == 1:
            centre[g] = nodes[0]
            similarity[nodes[0]] = 1.0
            continue
        rows = position[nodes]
        best = _central(signatures, rows, multiplicity[nodes].astype(float))
        centre[g] = nodes[best]
        similarity[nodes] = (signatures[rows] == signatures[rows[best]]).mean(axis=1)
    return centre, similarity
