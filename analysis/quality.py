"""Quality of the input: possible campaigns (copies and near-copies), flags, languages.

`assess` adds to the answers what the analyst checks and the report counts; every step is in
its own module (campaigns, flags, language). Analysts' decisions made in the web app about
campaign groups (confirmed, split, not a campaign) arrive in the export and take precedence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import campaigns, flags, language
from analysis import text as tx

FLAG_KINDS = {"empty": "leer", "spam": "Spam", "abuse": "Beleidigung/Angriff"}
# Reviewed campaign groups from the web app (answers table of the export).
REVIEWED_GROUP, REVIEWED_STATUS = "campaign_group", "campaign_group_status"
NOT_A_CAMPAIGN = "not_campaign"
_OWN_COLUMNS = (
    "campaign_id",
    "campaign_size",
    "campaign_kind",
    "campaign_similarity",
    "campaign_representative",
    *(f"flag_{kind}{suffix}" for kind in FLAG_KINDS for suffix in ("", "_reason")),
    "flagged",
    "language",
)


@dataclass(frozen=True)
class QualityOptions:
    near_copies: bool = True  # False: only exact copies form campaigns (the old baseline)
    flags: bool = True
    languages: bool = True
    abuse_lists: tuple[Path, ...] = ()  # word lists added to analysis/wordlists


def assess(answers: pd.DataFrame, options: QualityOptions = QualityOptions()) -> pd.DataFrame:
    """`answers` (answer_id, text, …) with campaign_id (0: none), campaign_size (1: none),
    campaign_kind ("exact"/"near"), campaign_similarity, campaign_representative, the flags
    (flag_empty, flag_spam, flag_abuse with _reason), `flagged` (any flag) and language."""
    # The web app's own flags and language (if the export has them) are replaced by this
    # analysis' results; its reviewed campaign groups are kept (see _apply_reviews).
    answers = answers.drop(columns=[c for c in _OWN_COLUMNS if c in answers])
    texts = answers["text"]
    arrow = tx.arrow_strings(texts)
    word_lists = tx.words(arrow)
    if options.near_copies:
        groups = campaigns.near_copy_groups(texts, word_lists)
    else:
        groups = campaigns.exact_groups(tx.joined(word_lists, texts.index))
    result = answers.assign(**_campaign_columns(answers, groups))
    result = _apply_reviews(result)
    if options.languages:
        languages = language.detect(texts, word_lists)
    else:
        languages = pd.Series("de", index=answers.index, dtype="string")
    if options.flags:
        codes, _, vocabulary = tx.word_codes(word_lists)
        rules = flags.AbuseRules.read(*options.abuse_lists)
        found = flags.flag(texts, word_lists, rules, codes, vocabulary, languages)
    else:
        found = pd.DataFrame(
            {f"flag_{kind}": False for kind in FLAG_KINDS}
            | {f"flag_{kind}_reason": "" for kind in FLAG_KINDS},
            index=answers.index,
        )
    result = pd.concat([result, found], axis=1)
    result["flagged"] = result[[f"flag_{kind}" for kind in FLAG_KINDS]].any(axis=1)
    result["language"] = languages
    return result


def _campaign_columns(answers: pd.DataFrame, groups: campaigns.Groups) -> dict[str, np.ndarray]:
    """Campaign ids 1, 2, … (largest first, equal sizes by their first answer), sizes etc."""
    group = groups.group
    in_group = group >= 0
    n_groups = int(group.max(initial=-1)) + 1
    sizes = np.bincount(group[in_group], minlength=n_groups)
    ids = np.append(_rank(group, sizes, answers["answer_id"].to_numpy()), 0)
    sizes = np.append(sizes, 1)  # the last entry stands for "no group" (-1)
    exact = np.append(groups.exact, False)
    kind = np.where(exact[group], "exact", "near")
    return {
        "campaign_id": ids[group],
        "campaign_size": sizes[group],
        "campaign_kind": pd.array(np.where(in_group, kind, None), dtype="string"),
        "campaign_similarity": groups.similarity,
        "campaign_representative": groups.representative,
    }


def _rank(group: np.ndarray, sizes: np.ndarray, answer_ids: np.ndarray) -> np.ndarray:
    """Per group number its id 1, 2, …: by size (largest first), then by first answer id."""
    first = np.full(len(sizes), np.iinfo(np.int64).max)
    in_group = group >= 0
    np.minimum.at(first, group[in_group], answer_ids[in_group].astype(np.int64))
    order = np.lexsort((first, -sizes))
    ids = np.zeros(len(sizes), dtype=np.int64)
    ids[order] = np.arange(1, len(sizes) + 1)
    return ids


def _apply_reviews(answers: pd.DataFrame) -> pd.DataFrame:
    """Where analysts reviewed a group in the web app, their decision counts: a group marked
    "not a campaign" is none, a confirmed or split group keeps exactly its members."""
    if REVIEWED_GROUP not in answers or answers[REVIEWED_GROUP].isna().all():
        return answers
    reviewed = answers[REVIEWED_GROUP].notna().to_numpy()
    status = answers.get(REVIEWED_STATUS, pd.Series("", index=answers.index)).fillna("")
    web_group = answers[REVIEWED_GROUP].fillna(-1).astype("int64").to_numpy()
    keep = reviewed & (status != NOT_A_CAMPAIGN).to_numpy()
    # Answers the web app has not grouped keep the analysis' own groups, numbered after.
    own = np.where(~reviewed & (answers["campaign_id"].to_numpy() > 0), answers["campaign_id"], 0)
    offset = int(web_group.max(initial=0)) + 1
    combined = np.where(keep, web_group, np.where(own > 0, own + offset, -1))
    codes, uniques = pd.factorize(combined)
    codes = np.where(combined >= 0, codes, -1)
    sizes = np.bincount(codes[codes >= 0], minlength=len(uniques))
    large = sizes >= campaigns.MIN_SIZE
    codes = np.where((codes >= 0) & large[np.maximum(codes, 0)], codes, -1)
    ids = _rank(codes, np.where(large, sizes, 0), answers["answer_id"].to_numpy())
    in_group = codes >= 0
    return answers.assign(
        campaign_id=np.where(in_group, ids[np.maximum(codes, 0)], 0),
        campaign_size=np.where(in_group, sizes[np.maximum(codes, 0)], 1),
        campaign_kind=answers["campaign_kind"].where(in_group, pd.NA),
        campaign_similarity=answers["campaign_similarity"].where(in_group, np.nan),
        campaign_representative=answers["campaign_representative"] & in_group,
    )


def one_voice_weights(assessed: pd.DataFrame) -> pd.Series:
    """Weights that count each campaign as one voice (1 / its size) and every other answer as 1."""
    return 1 / assessed["campaign_size"]


def campaign_summary(assessed: pd.DataFrame) -> pd.DataFrame:
    """One row per campaign: id, kind, size, theme fields, first and last date, channels, the
    representative answer and text, and the spread of the members' similarity to it."""
    members = assessed[assessed["campaign_id"] > 0].sort_values("answer_id")
    if members.empty:
        return pd.DataFrame(
            columns=[
                "campaign_id",
                "campaign_kind",
                "campaign_size",
                "theme_fields",
                "first_date",
                "last_date",
                "channels",
                "representative_answer_id",
                "representative_text",
                "template_text",
                "similarity_min",
                "similarity_median",
            ]
        )
    representative = (
        members.sort_values(["campaign_representative", "answer_id"], ascending=[False, True])
        .drop_duplicates("campaign_id")
        .set_index("campaign_id")
    )
    date = "received_on" if "received_on" in members else None
    grouped = members.groupby("campaign_id")
    summary = grouped.agg(
        campaign_kind=("campaign_kind", "first"),
        campaign_size=("campaign_size", "first"),
        theme_fields=("theme_field", lambda s: ", ".join(dict.fromkeys(s.dropna()))),
        channels=("channel", _value_counts) if "channel" in members else ("answer_id", "size"),
        similarity_min=("campaign_similarity", "min"),
        similarity_median=("campaign_similarity", "median"),
    )
    if date:
        summary["first_date"] = grouped[date].min()
        summary["last_date"] = grouped[date].max()
    summary["representative_answer_id"] = representative["answer_id"]
    summary["representative_text"] = representative["text"]
    summary["template_text"] = tx.strip_salutations(
        tx.arrow_strings(representative["text"])
    ).to_pylist()
    return summary.reset_index().sort_values("campaign_id", ignore_index=True)


def _value_counts(values: pd.Series) -> str:
    counted = values.fillna("keine Angabe").value_counts()
    return ", ".join(f"{value} ({count})" for value, count in counted.items())


def flag_summary(assessed: pd.DataFrame) -> pd.DataFrame:
    """Per flag kind: how many answers carry it, and the reasons with their counts."""
    rows = []
    for kind, label in FLAG_KINDS.items():
        flagged = assessed[assessed[f"flag_{kind}"]]
        reasons = (
            flagged[f"flag_{kind}_reason"]
            .str.split("; ")
            .explode()
            .str.replace(r":.*$", "", regex=True)
            .value_counts()
        )
        rows.append(
            {
                "kind": kind,
                "label": label,
                "answers": len(flagged),
                "reasons": ", ".join(f"{reason} ({count})" for reason, count in reasons.items()),
            }
        )
    return pd.DataFrame(rows)
