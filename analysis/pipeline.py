"""The analysis pipeline: an export's tables in, every result the report needs out.

Each step is a pure function of DataFrames (in the step modules); this module only chains
them and reports progress.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis import agreement, codes, participation, proposals, quality, quotes, tables, themes
from analysis.io import Dataset

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    small_cell_threshold: int = tables.SMALL_CELL_THRESHOLD
    campaigns_as_one_voice: bool = True  # weigh each campaign as one answer in code counts
    themes_per_field: int = 5
    quotes_per_code: int = 3
    top_codes: int = 5


@dataclass
class Results:
    """What the report shows; every number in it comes from here."""

    options: Options
    answers: pd.DataFrame  # with quality flags
    headline: dict[str, int]
    by_profile: dict[str, pd.DataFrame]
    per_week: pd.DataFrame
    campaigns: pd.DataFrame
    code_frequencies: pd.DataFrame  # per theme field
    top_codes: pd.DataFrame
    co_occurrence: pd.DataFrame
    cross_tables: dict[str, pd.DataFrame]  # suppressed, codes × perspective / Bundesland
    proposals: pd.DataFrame
    quotes: pd.DataFrame
    theme_suggestions: dict[str, tuple[pd.DataFrame, pd.DataFrame]]  # per theme field
    kappa: pd.DataFrame
    alpha: pd.DataFrame
    events_by_kind: pd.DataFrame
    events_by_land: pd.DataFrame
    codebook: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)


STEPS = (
    "Daten prüfen",
    "Beteiligung zählen",
    "Qualität prüfen (Kampagnen, leere Antworten, Spam)",
    "Codes auswerten",
    "Lösungsvorschläge ordnen",
    "Themen in nicht codierten Antworten vorschlagen",
    "Übereinstimmung der Doppelcodierung berechnen",
    "Zitate auswählen",
)


def analyse(data: Dataset, options: Options = Options(), progress: Progress = print) -> Results:
    """Run every step on `data`; `progress` gets a line per step."""
    step = iter(enumerate(STEPS, 1))

    def announce() -> None:
        number, name = next(step)
        progress(f"[{number}/{len(STEPS)}] {name} …")

    announce()
    answers, events, codebook = data["answers"], data["events"], data["codebook"]

    announce()
    headline = participation.headline_figures(answers, events)
    by_profile = participation.answers_by(answers)
    per_week = participation.answers_per_week(answers)

    announce()
    flagged = quality.flag_quality(answers)
    campaigns = quality.campaign_summary(flagged)
    headline |= {
        "campaigns": len(campaigns),
        "campaign_answers": int(campaigns["campaign_size"].sum()) if len(campaigns) else 0,
        "empty": int(flagged["is_empty"].sum()),
        "spam": int(flagged["is_spam"].sum()),
    }

    announce()
    pairs = codes.shared_codes(data["codes"])
    pairs = pairs[pairs["answer_id"].isin(flagged["answer_id"])]
    counted = _weighted_pairs(pairs, flagged, options)
    frequencies = codes.code_frequencies(counted, flagged, codebook)
    top = codes.top_codes(frequencies, n=options.top_codes)
    headline |= {
        "coded_answers": int(pairs["answer_id"].nunique()),
        "codes_used": int(pairs["code_id"].nunique()),
    }
    cross = {
        column: tables.suppress_small_cells(
            _code_cross_table(pairs, flagged, codebook, column), options.small_cell_threshold
        )
        for column in ("perspective", "bundesland")
    }

    announce()
    ranked = proposals.rank_proposals(flagged, data["ratings"])

    announce()
    uncoded = flagged[~flagged["answer_id"].isin(pairs["answer_id"]) & ~flagged["is_empty"]]
    suggestions = {
        theme: themes.suggest_themes(part, n_themes=options.themes_per_field)
        for theme, part in uncoded.groupby("theme_field", sort=True)
    }

    announce()
    decided = agreement.decisions(data["codes"], data["sample_answers"], data["samples"])
    kappa = agreement.cohen_kappa(decided).merge(
        codebook[["code_id", "label"]], on="code_id", how="left"
    )
    alpha = agreement.krippendorff_alpha(decided)

    announce()
    chosen = quotes.representative_quotes(pairs, flagged, per_code=options.quotes_per_code)

    return Results(
        options=options,
        answers=flagged,
        headline=headline,
        by_profile=by_profile,
        per_week=per_week,
        campaigns=campaigns,
        code_frequencies=frequencies,
        top_codes=top,
        co_occurrence=codes.co_occurrence(pairs, codebook, min_count=2),
        cross_tables=cross,
        proposals=ranked,
        quotes=chosen,
        theme_suggestions=suggestions,
        kappa=kappa,
        alpha=alpha,
        events_by_kind=participation.events_by(events, "kind"),
        events_by_land=participation.events_by(events, "bundesland"),
        codebook=codebook,
        meta={
            "sha256": data.sha256,
            "created": data.package.get("created"),
            "schema_version": data.package.get("x-schema-version"),
            "title": data.package.get("title", ""),
            "filters": data.manifest.get("filters", {}),
            "labels": category_labels(data.package),
        },
    )


def category_labels(package: dict[str, Any]) -> dict[str, dict[str, dict[str, str]]]:
    """German labels of coded values: {table: {column: {value: label}}}, from the export's
    data dictionary."""
    labels: dict[str, dict[str, dict[str, str]]] = {}
    for resource in package.get("resources", []):
        for f in resource.get("schema", {}).get("fields", []):
            for category in f.get("categories", []):
                column = labels.setdefault(resource["name"], {}).setdefault(f["name"], {})
                column[category["value"]] = category["label"]
    return labels


def _weighted_pairs(pairs: pd.DataFrame, flagged: pd.DataFrame, options: Options) -> pd.DataFrame:
    """The answer × code pairs to count: with campaigns as one voice, only each campaign's
    first answer counts (the others carry the same text and, usually, the same codes)."""
    if not options.campaigns_as_one_voice:
        return pairs
    in_campaign = flagged[flagged["campaign_id"] > 0].sort_values("answer_id")
    copies = in_campaign[in_campaign.duplicated("campaign_id")]["answer_id"]
    return pairs[~pairs["answer_id"].isin(copies)]


def _code_cross_table(
    pairs: pd.DataFrame, answers: pd.DataFrame, codebook: pd.DataFrame, column: str
) -> pd.DataFrame:
    """Answers per code × value of `column` (with totals)."""
    labelled = pairs.merge(answers[["answer_id", column]], on="answer_id").merge(
        codebook[["code_id", "label"]], on="code_id"
    )
    if labelled.empty:
        return pd.DataFrame()
    return tables.cross_table(labelled, "label", column)
