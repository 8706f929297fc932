"""The analysis pipeline: an export's tables in, every result the report needs out.

Each step is a pure function of DataFrames (in the step modules); this module only chains
them and reports progress.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis import (
    agreement,
    codes,
    participation,
    proposals,
    quality,
    quotes,
    recommendations,
    tables,
    themes,
)
from analysis.io import Dataset
from analysis.quality import QualityOptions

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    small_cell_threshold: int = tables.SMALL_CELL_THRESHOLD
    campaigns_as_one_voice: bool = True  # weigh each campaign as one answer in code counts
    max_themes_per_field: int = 12  # the number is chosen from the data, up to this
    quality: QualityOptions = field(default_factory=QualityOptions)
    quotes_per_code: int = 3
    top_codes: int = 5


@dataclass
class Results:
    """What the report shows; every number in it comes from here."""

    options: Options
    answers: pd.DataFrame  # with quality flags, languages and suggested themes
    headline: dict[str, int]
    by_profile: dict[str, pd.DataFrame]
    per_week: pd.DataFrame
    campaigns: pd.DataFrame
    flags: pd.DataFrame  # per flag kind: answers and reasons
    languages: pd.DataFrame  # language, answers
    moderation: pd.DataFrame  # status, answers (and how many of them are flagged)
    code_frequencies: pd.DataFrame  # per theme field
    top_codes: pd.DataFrame
    co_occurrence: pd.DataFrame
    cross_tables: dict[str, pd.DataFrame]  # suppressed, codes × perspective / Bundesland
    proposals: pd.DataFrame
    quotes: pd.DataFrame
    theme_suggestions: dict[str, themes.Themes]  # per theme field
    theme_fields: pd.DataFrame  # theme_field, title, position: the process's order
    kappa: pd.DataFrame
    alpha: pd.DataFrame
    events_by_kind: pd.DataFrame
    events_by_land: pd.DataFrame
    codebook: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    # None: the export predates recommendations (the report then has no such chapters).
    recommendations: recommendations.Recommendations | None = None


STEPS = (
    "Daten prüfen",
    "Beteiligung zählen",
    "Qualität prüfen (Kampagnen, leere Antworten, Spam, Beleidigungen, Sprachen)",
    "Codes auswerten",
    "Lösungsvorschläge ordnen",
    "Themen je Themenfeld vorschlagen",
    "Übereinstimmung der Doppelcodierung berechnen",
    "Zitate auswählen",
    "Handlungsempfehlungen auswerten",
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
    reference_day = _export_day(data.package)
    headline = participation.headline_figures(answers, events, reference_day)
    held = participation.held_events(events, reference_day)
    by_profile = participation.answers_by(answers)
    per_week = participation.answers_per_week(answers)

    announce()
    flagged = quality.assess(answers, options.quality)
    campaigns = quality.campaign_summary(flagged)
    flag_counts = quality.flag_summary(flagged)
    languages = (
        flagged["language"]
        .fillna("und")
        .value_counts()
        .rename_axis("language")
        .rename("answers")
        .reset_index()
    )
    headline |= {
        "campaigns": len(campaigns),
        "campaign_answers": int(campaigns["campaign_size"].sum()) if len(campaigns) else 0,
        "empty": int(flagged["flag_empty"].sum()),
        "spam": int(flagged["flag_spam"].sum()),
        "abuse": int(flagged["flag_abuse"].sum()),
        "flagged": int(flagged["flagged"].sum()),
        "not_german": int((~flagged["language"].isin(["de"]) & ~flagged["flagged"]).sum()),
    }
    headline["voices"] = headline["answers"] - headline["campaign_answers"] + headline["campaigns"]

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
    order = theme_field_order(data, answers)
    flagged, suggestions = suggest_per_field(flagged, order["theme_field"], options)

    announce()
    decided = agreement.decisions(data["codes"], data["sample_answers"], data["samples"])
    kappa = agreement.cohen_kappa(decided).merge(
        codebook[["code_id", "label"]], on="code_id", how="left"
    )
    alpha = agreement.krippendorff_alpha(decided)

    announce()
    chosen = quotes.representative_quotes(pairs, flagged, per_code=options.quotes_per_code)

    announce()
    recommended = recommendations.analyse(data.tables, flagged, pairs)

    return Results(
        options=options,
        answers=flagged,
        headline=headline,
        by_profile=by_profile,
        per_week=per_week,
        campaigns=campaigns,
        flags=flag_counts,
        languages=languages,
        moderation=moderation_figures(flagged),
        code_frequencies=frequencies,
        top_codes=top,
        co_occurrence=codes.co_occurrence(pairs, codebook, min_count=2),
        cross_tables=cross,
        proposals=ranked,
        quotes=chosen,
        theme_suggestions=suggestions,
        theme_fields=order,
        kappa=kappa,
        alpha=alpha,
        events_by_kind=participation.events_by(held, "kind"),
        events_by_land=participation.events_by(held, "bundesland"),
        codebook=codebook,
        meta={
            "sha256": data.sha256,
            "created": data.package.get("created"),
            "schema_version": data.package.get("x-schema-version"),
            "title": process_title(data),
            "filters": data.manifest.get("filters", {}),
            "labels": category_labels(data.package),
        },
        recommendations=recommended,
    )


def _export_day(package: dict[str, Any]) -> pd.Timestamp | None:
    """The day the export was made: events before it have taken place."""
    created = package.get("created")
    if not created:
        return None
    try:
        return pd.Timestamp(created).tz_localize(None).normalize()
    except (ValueError, TypeError):
        return pd.Timestamp(created).tz_convert(None).normalize()


def process_title(data: Dataset) -> str:
    """The process' name (one process) or the names joined (several), from the export."""
    fields = data.tables.get("theme_fields")
    if fields is not None and len(fields):
        return " / ".join(dict.fromkeys(fields["process_title"].dropna()))
    return ""


def theme_field_order(data: Dataset, answers: pd.DataFrame) -> pd.DataFrame:
    """theme_field, title, position — in the process's order (from the export's theme_fields
    table; theme fields only answers name come last, by title)."""
    fields = data.tables.get("theme_fields")
    known = (
        fields[["theme_field", "title", "position"]].sort_values("position", kind="stable")
        if fields is not None and len(fields)
        else pd.DataFrame(columns=["theme_field", "title", "position"])
    )
    named = answers[["theme_field", "theme_field_title"]].drop_duplicates("theme_field")
    extra = named[~named["theme_field"].isin(known["theme_field"])].sort_values("theme_field_title")
    extra = extra.rename(columns={"theme_field_title": "title"}).assign(
        position=range(len(known) + 1, len(known) + 1 + len(extra))
    )
    order = pd.concat([known, extra], ignore_index=True).drop_duplicates("theme_field")
    return order.reset_index(drop=True)


def suggest_per_field(
    assessed: pd.DataFrame, theme_fields: pd.Series, options: Options
) -> tuple[pd.DataFrame, dict[str, themes.Themes]]:
    """Theme suggestions per theme field, and the answers with theme, theme_weight and why an
    answer was left out of the models (theme_excluded). Copies in a campaign get the theme of
    the answer that stands for them."""
    suggestions = {}
    assessed = assessed.assign(theme=pd.NA, theme_weight=np.nan)
    assessed["theme_excluded"] = excluded_from_themes(assessed)
    for theme_field in theme_fields:
        part = assessed[
            (assessed["theme_field"] == theme_field) & (assessed["theme_excluded"] == "")
        ]
        found = themes.suggest_themes(part, max_themes=options.max_themes_per_field)
        suggestions[theme_field] = found
        assigned = found.assignments.set_index("answer_id")
        rows = assessed["answer_id"].isin(assigned.index)
        ids = assessed.loc[rows, "answer_id"]
        assessed.loc[rows, "theme"] = ids.map(assigned["theme"])
        assessed.loc[rows, "theme_weight"] = ids.map(assigned["weight"])
    assessed = _campaign_copies_share_theme(assessed)
    assessed["theme"] = assessed["theme"].astype("Int64")
    return assessed, suggestions


def excluded_from_themes(assessed: pd.DataFrame) -> pd.Series:
    """Why an answer is left out of the theme models ("" if it is in): flagged, not German,
    or a copy in a campaign — one member per campaign and theme field stands for the others
    (the representative where it is in that field)."""
    reasons = pd.Series("", index=assessed.index, dtype=object)
    reasons[assessed["language"] != "de"] = "Sprache: " + assessed["language"].fillna("und")
    reasons[_campaign_copies(assessed)] = "Kopie in Kampagne " + assessed["campaign_id"].astype(str)
    for kind, label in quality.FLAG_KINDS.items():
        reasons[assessed[f"flag_{kind}"].astype(bool)] = "markiert: " + label
    return reasons


def _stand_ins(assessed: pd.DataFrame) -> pd.Series:
    """Per campaign member the answer id that stands for it in its theme field."""
    members = assessed[assessed["campaign_id"] > 0]
    ordered = members.sort_values(
        ["campaign_id", "theme_field", "campaign_representative", "answer_id"],
        ascending=[True, True, False, True],
    )
    first = ordered.groupby(["campaign_id", "theme_field"])["answer_id"].transform("first")
    return first.reindex(members.index)


def _campaign_copies(assessed: pd.DataFrame) -> pd.Series:
    stand_in = _stand_ins(assessed)
    copies = pd.Series(False, index=assessed.index)
    copies[stand_in.index] = (assessed.loc[stand_in.index, "answer_id"] != stand_in).to_numpy()
    return copies


def _campaign_copies_share_theme(assessed: pd.DataFrame) -> pd.DataFrame:
    """Copies in a campaign get the theme of the member that stands for them."""
    stand_in = _stand_ins(assessed)
    by_id = assessed.set_index("answer_id")
    copies = stand_in.index[
        assessed.loc[stand_in.index, "theme_excluded"].str.startswith("Kopie").to_numpy()
    ]
    assessed.loc[copies, "theme"] = stand_in[copies].map(by_id["theme"]).to_numpy()
    assessed.loc[copies, "theme_weight"] = stand_in[copies].map(by_id["theme_weight"]).to_numpy()
    return assessed


def moderation_figures(assessed: pd.DataFrame) -> pd.DataFrame:
    """Answers per moderation status, and how many of them carry a flag."""
    return (
        assessed.groupby("status", dropna=False)
        .agg(answers=("answer_id", "size"), flagged=("flagged", "sum"))
        .reset_index()
        .astype({"flagged": "int64"})
        .sort_values(["answers", "status"], ascending=[False, True], ignore_index=True)
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
