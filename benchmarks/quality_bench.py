"""Quality benchmark: the analysis against the labelled corpus in tests/analysis/corpus.

    python -m benchmarks --only quality
    python -m benchmarks --only quality --corpus other/*.csv   # another labelled corpus

It runs the same steps as `python -m analysis` (analysis.quality.assess, then the theme
suggestions per theme field) on the corpus and compares them with its labels:
- campaigns: precision, recall and F1 of the answers put into a campaign (rows) and of the
  pairs of answers put into the same campaign (pairs); independent answers in a campaign;
- flags: recall per kind (spam, abuse, empty) and the share of genuine answers flagged;
- themes: per theme field the purity and NMI of the suggested themes against the labelled
  topics, and whether every topic of at least 10 answers is the majority of a theme of its own.
Targets as in issue 15. The exit status is 1 when one is missed.
"""

from __future__ import annotations

import glob
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import normalized_mutual_info_score

from analysis import pipeline, quality
from benchmarks.report import ScoreRow

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "analysis" / "corpus"
GENUINE = ("genuine", "campaign")  # answers that are neither spam nor abuse nor empty
MIN_TOPIC = 10  # topics of at least this many answers must be found as a theme of their own


def load(patterns: list[str] | None = None) -> pd.DataFrame:
    """The corpus files as one frame with answer ids 1, 2, … (in file order)."""
    paths = sorted(
        p for pattern in patterns or [str(CORPUS / "part_*.csv")] for p in glob.glob(pattern)
    )
    if not paths:
        raise SystemExit(f"no corpus files found: {patterns or CORPUS}")
    frame = pd.concat(
        [pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths], ignore_index=True
    )
    frame["answer_id"] = np.arange(1, len(frame) + 1)
    frame["received_on"] = pd.to_datetime(frame["received_on"], errors="coerce")
    return frame


def analyse(corpus: pd.DataFrame) -> pd.DataFrame:
    """The per-answer results of the analysis' own steps (campaigns, flags, themes)."""
    assessed = quality.assess(corpus)
    fields = pd.Series(corpus["theme_field"].unique())
    assessed, _ = pipeline.suggest_per_field(assessed, fields, pipeline.Options())
    return assessed


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _pairs(groups: pd.Series) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    for _, members in groups.groupby(groups):
        pairs.update(combinations(sorted(members.index), 2))
    return pairs


def campaign_scores(corpus: pd.DataFrame, result: pd.DataFrame) -> list[ScoreRow]:
    truth = corpus["label_campaign"].where(corpus["label_kind"] == "campaign", "")
    predicted = result["campaign_id"]
    in_truth, in_predicted = truth != "", predicted > 0
    tp = int((in_truth & in_predicted).sum())
    precision = tp / max(int(in_predicted.sum()), 1)
    recall = tp / max(int(in_truth.sum()), 1)
    true_pairs = _pairs(truth[in_truth])
    predicted_pairs = _pairs(predicted[in_predicted])
    shared = len(true_pairs & predicted_pairs)
    pair_precision = shared / max(len(predicted_pairs), 1)
    pair_recall = shared / max(len(true_pairs), 1)
    independent = int((in_predicted & (corpus["label_kind"] != "campaign")).sum())
    return [
        ScoreRow(
            "quality: campaigns F1 (answers)",
            _f1(precision, recall),
            0.95,
            detail=f"P {precision:.3f} R {recall:.3f}, {int(in_truth.sum())} labelled",
        ),
        ScoreRow(
            "quality: campaigns F1 (pairs)",
            _f1(pair_precision, pair_recall),
            0.95,
            detail=f"P {pair_precision:.3f} R {pair_recall:.3f}, {len(true_pairs)} pairs",
        ),
        ScoreRow(
            "quality: independent answers in a campaign",
            independent,
            0,
            higher_is_better=False,
        ),
    ]


def flag_scores(corpus: pd.DataFrame, result: pd.DataFrame) -> list[ScoreRow]:
    genuine = corpus["label_kind"].isin(GENUINE)
    rows = []
    for kind in ("spam", "abuse", "empty"):
        labelled = corpus["label_kind"] == kind
        flagged = result[f"flag_{kind}"].astype(bool)
        rows.append(
            ScoreRow(
                f"quality: {kind} recall",
                float(flagged[labelled].mean()) if labelled.any() else 0.0,
                0.90,
                detail=f"{int(flagged[labelled].sum())}/{int(labelled.sum())}",
            )
        )
        rows.append(
            ScoreRow(
                f"quality: genuine flagged as {kind}",
                float(flagged[genuine].mean()),
                0.02,
                higher_is_better=False,
                detail=f"{int(flagged[genuine].sum())}/{int(genuine.sum())}",
            )
        )
    return rows


def theme_scores(corpus: pd.DataFrame, result: pd.DataFrame) -> list[ScoreRow]:
    rows = []
    labelled = corpus["label_kind"].isin(GENUINE) & (corpus["label_topic"] != "")
    for field, part in corpus[labelled].groupby("theme_field", sort=False):
        theme = result.loc[part.index, "theme"]
        assigned = theme.notna() & (theme > 0)
        topics, themes = part.loc[assigned, "label_topic"], theme[assigned].astype(int)
        if topics.empty:
            rows.append(ScoreRow(f"themes {field}: purity", 0.0, 0.75, detail="no themes"))
            continue
        majority = topics.groupby(themes).agg(lambda s: s.value_counts().index[0])
        purity = topics.groupby(themes).agg(lambda s: s.value_counts().iloc[0]).sum() / len(topics)
        sizes = part["label_topic"].value_counts()
        missing = sorted(set(sizes[sizes >= MIN_TOPIC].index) - set(majority))
        rows += [
            ScoreRow(
                f"themes {field[:28]}: purity",
                purity,
                0.75,
                detail=f"{themes.nunique()} themes, {int(assigned.sum())}/{len(part)} assigned",
            ),
            ScoreRow(
                f"themes {field[:28]}: NMI",
                normalized_mutual_info_score(topics, themes),
                0.0,
            ),
            ScoreRow(
                f"themes {field[:28]}: topics not found",
                len(missing),
                0,
                higher_is_better=False,
                detail=", ".join(missing),
            ),
        ]
    return rows


def run(args) -> list[ScoreRow]:
    corpus = load(getattr(args, "corpus", None))
    kinds = corpus["label_kind"].value_counts().to_dict()
    print(f"Quality: {len(corpus)} labelled answers {kinds}", flush=True)
    result = analyse(corpus)
    return [
        *campaign_scores(corpus, result),
        *flag_scores(corpus, result),
        *theme_scores(corpus, result),
    ]
