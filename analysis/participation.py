"""Participation: answers by theme field, question, profile, channel and week; event figures."""

from __future__ import annotations

import pandas as pd

from analysis.tables import counts

# Answer columns counted one by one in the report, with their German headings.
PROFILE_COLUMNS = {
    "theme_field": "Themenfeld",
    "question": "Leitfrage",
    "perspective": "Perspektive",
    "bundesland": "Bundesland",
    "age_band": "Altersgruppe",
    "channel": "Eingangsweg",
}


def headline_figures(answers: pd.DataFrame, events: pd.DataFrame) -> dict[str, int]:
    """The figures of the summary: answers, submissions, proposals, events, participants."""
    registered = events.get("registrations_confirmed", pd.Series(dtype="int64"))
    return {
        "answers": len(answers),
        "submissions": int(answers["submission_id"].nunique()),
        "published": int((answers["status"] == "published").sum()),
        "offline": int((answers["channel"] != "online").sum()),
        "proposals": int(answers["is_proposal"].fillna(False).astype(bool).sum()),
        "events": len(events),
        "event_participants": int(registered.fillna(0).sum()),
    }


def answers_by(answers: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Counts of answers per value of each profile column (missing: "keine Angabe")."""
    return {
        column: counts(answers.fillna({column: "keine Angabe"}), column)
        for column in PROFILE_COLUMNS
        if column in answers
    }


def answers_per_week(answers: pd.DataFrame) -> pd.DataFrame:
    """Answers per calendar week (weeks start on Monday), weeks without answers included."""
    days = pd.to_datetime(answers["created_on"])
    if days.empty:
        return pd.DataFrame({"week": pd.Series(dtype="datetime64[ns]"), "answers": []})
    weeks = (days - pd.to_timedelta(days.dt.day_of_week, unit="D")).dt.normalize()
    counted = weeks.value_counts().sort_index()
    full = pd.date_range(counted.index.min(), counted.index.max(), freq="7D")
    return (
        counted.reindex(full, fill_value=0)
        .rename_axis("week")
        .rename("answers")
        .reset_index()
        .astype({"answers": "int64"})
    )


def events_by(events: pd.DataFrame, column: str) -> pd.DataFrame:
    """Events and confirmed participants per value of `column` (kind or bundesland)."""
    return (
        events.groupby(column, dropna=False)
        .agg(events=("event_id", "size"), participants=("registrations_confirmed", "sum"))
        .reset_index()
        .sort_values(["events", column], ascending=[False, True], ignore_index=True)
    )
