"""Recommendations (Handlungsempfehlungen): priority from their ratings, rater agreement, the
contributions that support them, quotes, status and the latest public note.

Evidence is linked in the export, never copied: an answer directly, a code (every answer of
the shared coding that carries it, the code it was merged into once merged), an event
documentation entry, or another recommendation merged into this one (whose evidence then
counts here). Exports made before recommendations existed lack the tables: `analyse` then
returns None and the report has no such chapter.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import quotes as quoting

TABLES = (
    "recommendations",
    "recommendation_theme_fields",
    "recommendation_evidence",
    "recommendation_ratings",
    "recommendation_status_history",
    "documentation_entries",
)
CRITERIA = {"effectiveness": "Wirksamkeit", "feasibility": "Machbarkeit"}
DISAGREEMENT_SPREAD = 2  # max − min at or above this marks disagreement (the web app's default)
QUOTES_PER_RECOMMENDATION = 3
QUOTE_LENGTH = 300
# How an answer supports a recommendation; the first that applies counts.
VIA = ("answer", "code", "recommendation")
REJECTED = "rejected"  # never counted, as on the platform


@dataclass
class Recommendations:
    """What the report shows about the recommendations; every number comes from here."""

    overview: pd.DataFrame  # one row per recommendation not merged into another, by priority
    theme_fields: pd.DataFrame  # recommendation_id, theme_field
    ratings: pd.DataFrame  # per recommendation and criterion: raters, median, IQR, range
    support: pd.DataFrame  # recommendation_id, answer_id, via: each supporting answer once
    by_perspective: pd.DataFrame  # recommendation_id, perspective, answers (outside campaigns)
    by_channel: pd.DataFrame  # recommendation_id, channel, answers (outside campaigns)
    campaigns: pd.DataFrame  # recommendation_id, campaign_id, answers, campaign_size
    codes: pd.DataFrame  # recommendation_id, code_id (after merges), label
    documentation: pd.DataFrame  # recommendation_id, documentation_id, event_id, agreement
    quotes: pd.DataFrame  # recommendation_id, answer_id, quote
    merged: pd.DataFrame  # recommendation_id (target), source_recommendation_id, title


def available(tables: dict[str, pd.DataFrame]) -> bool:
    """Whether the export has the recommendation tables (older exports do not)."""
    return all(name in tables for name in TABLES)


def analyse(
    tables: dict[str, pd.DataFrame], answers: pd.DataFrame, pairs: pd.DataFrame
) -> Recommendations | None:
    """Everything the report needs about the recommendations, or None for an export without
    them. `answers` are the assessed answers (with campaign_id, campaign_size, flagged) and
    `pairs` the answer × code pairs of the shared coding."""
    if not available(tables):
        return None
    recs, evidence = tables["recommendations"], tables["recommendation_evidence"]
    family = families(recs["recommendation_id"], evidence)
    support = supporting_answers(family, evidence, pairs, tables["codebook"], answers)
    ratings = rating_summary(tables["recommendation_ratings"])
    documentation = documentation_support(family, evidence, tables["documentation_entries"])
    merged = merged_sources(evidence, recs)
    overview = (
        recs[~recs["recommendation_id"].isin(merged["source_recommendation_id"])]
        .pipe(with_status, tables["recommendation_status_history"])
        .pipe(with_support, support_summary(support, answers), documentation)
        .pipe(by_priority, ratings)
    )
    return Recommendations(
        overview=overview,
        theme_fields=tables["recommendation_theme_fields"][["recommendation_id", "theme_field"]],
        ratings=ratings,
        support=support,
        by_perspective=support_by(support, answers, "perspective"),
        by_channel=support_by(support, answers, "channel"),
        campaigns=campaign_support(support, answers),
        codes=linked_codes(family, evidence, tables["codebook"]),
        documentation=documentation,
        quotes=recommendation_quotes(support, answers),
        merged=merged,
    )


def families(ids: pd.Series, evidence: pd.DataFrame) -> pd.DataFrame:
    """recommendation_id, member_id: each recommendation with itself and every recommendation
    merged into it, transitively (each once; a cycle ends the search)."""
    edges = evidence[evidence["kind"] == "recommendation"][
        ["recommendation_id", "source_recommendation_id"]
    ].astype("int64")
    found = pd.DataFrame(
        {"recommendation_id": ids.astype("int64"), "member_id": ids.astype("int64")}
    )
    frontier = found
    while len(frontier):
        step = frontier.merge(edges, left_on="member_id", right_on="recommendation_id")
        step = pd.DataFrame(
            {
                "recommendation_id": step["recommendation_id_x"],
                "member_id": step["source_recommendation_id"],
            }
        )
        known = step.merge(found, how="left", indicator=True)["_merge"] == "both"
        frontier = step[~known.to_numpy()].drop_duplicates()
        found = pd.concat([found, frontier], ignore_index=True)
    return found.sort_values(["recommendation_id", "member_id"], ignore_index=True)


def final_codes(codebook: pd.DataFrame) -> pd.Series:
    """code_id → the code it ends up in after following merged_into_id (itself if not merged)."""
    ids = codebook["code_id"].astype("int64").to_numpy()
    into = codebook.set_index(ids)["merged_into_id"].dropna().astype("int64")
    final = pd.Series(ids, index=ids)
    for _ in range(len(into)):  # a chain is at most this long; a cycle stops here too
        following = final.map(into)
        moved = following.notna() & (following != final)
        if not moved.any():
            break
        final[moved] = following[moved].astype("int64")
    return final


def _resolved(code_ids: pd.Series, final: pd.Series) -> pd.Series:
    return code_ids.astype("int64").map(final).fillna(code_ids).astype("int64")


def supporting_answers(
    family: pd.DataFrame,
    evidence: pd.DataFrame,
    pairs: pd.DataFrame,
    codebook: pd.DataFrame,
    answers: pd.DataFrame,
) -> pd.DataFrame:
    """recommendation_id, answer_id, via ("answer": linked directly, "code": carries a linked
    code, "recommendation": through a merged recommendation) — each answer once per
    recommendation, rejected answers and answers not in the export left out."""
    linked = family.merge(evidence, left_on="member_id", right_on="recommendation_id")
    linked = linked.rename(columns={"recommendation_id_x": "recommendation_id"})
    own = linked["member_id"] == linked["recommendation_id"]
    direct = linked[linked["kind"] == "answer"].assign(
        via=lambda f: f["kind"].where(own[f.index], "recommendation")
    )[["recommendation_id", "answer_id", "via"]]
    final = final_codes(codebook)
    by_code = linked[linked["kind"] == "code"]
    by_code = by_code.assign(
        code_id=_resolved(by_code["code_id"], final),
        via=pd.Series("code", index=by_code.index).where(own[by_code.index], "recommendation"),
    )
    carried = pairs.assign(code_id=_resolved(pairs["code_id"], final))
    coded = by_code[["recommendation_id", "code_id", "via"]].merge(carried, on="code_id")
    counted = answers[answers["status"] != REJECTED]["answer_id"]
    both = pd.concat([direct, coded[["recommendation_id", "answer_id", "via"]]])
    both = both[both["answer_id"].isin(counted)].astype(
        {"recommendation_id": "int64", "answer_id": "int64"}
    )
    rank = both["via"].map({v: i for i, v in enumerate(VIA)})
    return (
        both.assign(rank=rank)
        .sort_values(["recommendation_id", "answer_id", "rank"])
        .drop_duplicates(["recommendation_id", "answer_id"])
        .drop(columns="rank")
        .astype({"via": str})
        .reset_index(drop=True)
    )


def _campaign_ids(support: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    columns = ["answer_id", "campaign_id", "campaign_size"]
    return support.merge(answers[columns].astype("int64"), on="answer_id", how="left")


def support_summary(support: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """Per recommendation: supporting answers, how many of them are in possible campaigns and
    in how many, and the voices (each campaign counted once)."""
    joined = _campaign_ids(support, answers)
    in_campaign = joined[joined["campaign_id"] > 0]
    summary = pd.DataFrame(
        {
            "answers": joined.groupby("recommendation_id").size(),
            "campaign_answers": in_campaign.groupby("recommendation_id").size(),
            "campaigns": in_campaign.groupby("recommendation_id")["campaign_id"].nunique(),
        }
    )
    summary = summary.fillna(0).astype("int64")
    summary["voices"] = summary["answers"] - summary["campaign_answers"] + summary["campaigns"]
    return summary.rename_axis("recommendation_id").reset_index()


def support_by(support: pd.DataFrame, answers: pd.DataFrame, column: str) -> pd.DataFrame:
    """recommendation_id, `column`, answers: supporting answers outside possible campaigns per
    value of `column` (missing values as their own group); campaigns are shown apart."""
    joined = _campaign_ids(support, answers).merge(answers[["answer_id", column]], on="answer_id")
    outside = joined[joined["campaign_id"] == 0]
    return (
        outside.groupby(["recommendation_id", column], dropna=False)
        .size()
        .rename("answers")
        .reset_index()
        .sort_values(["recommendation_id", "answers", column], ascending=[True, False, True])
        .reset_index(drop=True)
    )


def campaign_support(support: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """recommendation_id, campaign_id, answers (of the campaign supporting it), campaign_size."""
    joined = _campaign_ids(support, answers)
    joined = joined[joined["campaign_id"] > 0]
    return (
        joined.groupby(["recommendation_id", "campaign_id", "campaign_size"])
        .size()
        .rename("answers")
        .reset_index()[["recommendation_id", "campaign_id", "answers", "campaign_size"]]
    )


def linked_codes(
    family: pd.DataFrame, evidence: pd.DataFrame, codebook: pd.DataFrame
) -> pd.DataFrame:
    """recommendation_id, code_id, label: the codes linked to a recommendation or to one merged
    into it, each as the code it was merged into."""
    linked = family.merge(evidence, left_on="member_id", right_on="recommendation_id")
    linked = linked[linked["kind"] == "code"].rename(
        columns={"recommendation_id_x": "recommendation_id"}
    )
    linked = linked.assign(code_id=_resolved(linked["code_id"], final_codes(codebook)))
    labels = codebook[["code_id", "label"]].astype({"code_id": "int64"})
    return (
        linked[["recommendation_id", "code_id"]]
        .drop_duplicates()
        .merge(labels, on="code_id", how="left")
        .sort_values(["recommendation_id", "label", "code_id"], ignore_index=True)
    )


def documentation_support(
    family: pd.DataFrame, evidence: pd.DataFrame, entries: pd.DataFrame
) -> pd.DataFrame:
    """recommendation_id, documentation_id, event_id, agreement_count: the event documentation
    entries linked to a recommendation or to one merged into it (each once)."""
    linked = family.merge(evidence, left_on="member_id", right_on="recommendation_id")
    linked = linked[linked["kind"] == "documentation"].rename(
        columns={"recommendation_id_x": "recommendation_id"}
    )
    return (
        linked[["recommendation_id", "documentation_id"]]
        .drop_duplicates()
        .merge(entries[["documentation_id", "event_id", "agreement_count"]], on="documentation_id")
        .sort_values(["recommendation_id", "documentation_id"], ignore_index=True)
    )


def merged_sources(evidence: pd.DataFrame, recs: pd.DataFrame) -> pd.DataFrame:
    """recommendation_id (the target), source_recommendation_id, title (of the source)."""
    edges = evidence[evidence["kind"] == "recommendation"][
        ["recommendation_id", "source_recommendation_id"]
    ].astype("int64")
    titles = recs[["recommendation_id", "title"]].rename(
        columns={"recommendation_id": "source_recommendation_id"}
    )
    return edges.merge(titles, on="source_recommendation_id", how="left").sort_values(
        ["recommendation_id", "source_recommendation_id"], ignore_index=True
    )


def rating_summary(ratings: pd.DataFrame, spread: int = DISAGREEMENT_SPREAD) -> pd.DataFrame:
    """Per recommendation and criterion: raters, median, quartiles (q1, q3), interquartile
    range, lowest and highest score, spread (highest − lowest) and disagreement (more than one
    rater and a spread of at least `spread`)."""
    long = ratings.melt(
        id_vars="recommendation_id",
        value_vars=list(CRITERIA),
        var_name="criterion",
        value_name="score",
    ).astype({"recommendation_id": "int64", "score": "float64"})
    grouped = long.groupby(["recommendation_id", "criterion"])["score"]
    summary = pd.DataFrame(
        {
            "raters": grouped.size(),
            "median": grouped.median(),
            "q1": grouped.quantile(0.25),
            "q3": grouped.quantile(0.75),
            "low": grouped.min(),
            "high": grouped.max(),
        }
    ).reset_index()
    summary["iqr"] = summary["q3"] - summary["q1"]
    summary["spread"] = summary["high"] - summary["low"]
    summary["disagreement"] = (summary["raters"] > 1) & (summary["spread"] >= spread)
    return summary.astype({"raters": "int64"})


def with_status(recs: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """`recs` with status_since (when the current status was set) and the latest public note
    (note_at, public_note, progress_percent, link)."""
    ordered = history.sort_values(["recommendation_id", "at", "change_id"])
    since = (
        ordered.merge(
            recs[["recommendation_id", "status"]],
            left_on=["recommendation_id", "to_status"],
            right_on=["recommendation_id", "status"],
        )
        .groupby("recommendation_id")["at"]
        .last()
        .rename("status_since")
    )
    noted = ordered[ordered["public_note"].fillna("").str.strip() != ""]
    notes = (
        noted.groupby("recommendation_id")
        .tail(1)[["recommendation_id", "at", "public_note", "progress_percent", "link"]]
        .rename(columns={"at": "note_at"})
    )
    return recs.merge(since.reset_index(), on="recommendation_id", how="left").merge(
        notes, on="recommendation_id", how="left"
    )


def with_support(
    recs: pd.DataFrame, summary: pd.DataFrame, documentation: pd.DataFrame
) -> pd.DataFrame:
    """`recs` with the support counts (0 where none) and the documentation entries linked
    (documentation) with their summed agreement (pinboard dots; empty where none counted)."""
    entries = documentation.groupby("recommendation_id").agg(
        documentation=("documentation_id", "size"),
        agreement=("agreement_count", lambda s: s.sum() if s.notna().any() else pd.NA),
    )
    counts = ["answers", "campaign_answers", "campaigns", "voices", "documentation"]
    joined = recs.merge(summary, on="recommendation_id", how="left").merge(
        entries.reset_index(), on="recommendation_id", how="left"
    )
    joined[counts] = joined[counts].fillna(0).astype("int64")
    joined["agreement"] = joined["agreement"].astype("Int64")
    return joined


def by_priority(recs: pd.DataFrame, ratings: pd.DataFrame) -> pd.DataFrame:
    """`recs` with raters, the medians per criterion, priority (the mean of both medians) and
    rank, ordered: highest priority first; equal priority by the higher effectiveness median,
    then more raters, then the lower id. Unrated ones follow by id, without rank."""
    medians = ratings.pivot(index="recommendation_id", columns="criterion", values="median")
    medians = medians.reindex(columns=list(CRITERIA)).add_suffix("_median")
    raters = ratings.groupby("recommendation_id")["raters"].max().rename("raters")
    joined = recs.merge(medians.reset_index(), on="recommendation_id", how="left").merge(
        raters.reset_index(), on="recommendation_id", how="left"
    )
    joined["raters"] = joined["raters"].fillna(0).astype("int64")
    joined["priority"] = joined[["effectiveness_median", "feasibility_median"]].mean(axis=1)
    ordered = joined.sort_values(
        ["priority", "effectiveness_median", "raters", "recommendation_id"],
        ascending=[False, False, False, True],
        na_position="last",
        ignore_index=True,
    )
    rated = ordered["raters"] > 0
    ordered["rank"] = pd.array(range(1, len(ordered) + 1), dtype="Int64")
    ordered.loc[~rated, "rank"] = pd.NA
    return ordered


def recommendation_quotes(
    support: pd.DataFrame,
    answers: pd.DataFrame,
    per_recommendation: int = QUOTES_PER_RECOMMENDATION,
) -> pd.DataFrame:
    """Up to `per_recommendation` quotes per recommendation (recommendation_id, answer_id,
    quote) from the supporting answers that may be quoted (see quotes.quotable): answers
    linked directly first, then through codes, then through merged recommendations, each by
    id; texts too short to say much are left out."""
    candidates = quoting.quotable(answers)[["answer_id", "published_text"]]
    joined = support.merge(candidates, on="answer_id")
    joined = joined[joined["published_text"].str.len() >= quoting.QUOTE_MIN_LENGTH]
    rank = joined["via"].map({v: i for i, v in enumerate(VIA)})
    chosen = (
        joined.assign(rank=rank)
        .sort_values(["recommendation_id", "rank", "answer_id"])
        .groupby("recommendation_id")
        .head(per_recommendation)
    )
    return pd.DataFrame(
        {
            "recommendation_id": chosen["recommendation_id"].to_numpy(),
            "answer_id": chosen["answer_id"].to_numpy(),
            "quote": chosen["published_text"]
            .map(lambda t: quoting.shorten(str(t), QUOTE_LENGTH))
            .to_numpy(),
        }
    )
