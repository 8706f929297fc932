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


def held_events(events: pd.DataFrame, before: pd.Timestamp | None) -> pd.DataFrame:
    """The events that took place: published (not cancelled, not a draft) and begun before
    `before` (the export's day; None: all published ones)."""
    held = events[events["status"] == "published"] if "status" in events else events
    if before is not None and "starts_on" in held:
        held = held[pd.to_datetime(held["starts_on"]) < before]
    return held


def headline_figures(
    answers: pd.DataFrame, events: pd.DataFrame, before: pd.Timestamp | None = None
) -> dict[str, int]:
    """The figures of the summary: answers, submissions, proposals, events that took place
    and their participants (checked in where check-in was used, else confirmed), events still
    to come."""
    held = held_events(events, before)
    return {
        "answers": len(answers),
        "submissions": int(answers["submission_id"].nunique()),
        "published": int((answers["status"] == "published").sum()),
        "offline": int((answers["channel"] != "online").sum()),
        "proposals": int(answers["is_proposal"].fillna(False).astype(bool).sum()),
        "events": len(held),
        "event_participants": int(participants(held).sum()),
        "events_planned": len(held_events(events, None)) - len(held),
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


def participants(events: pd.DataFrame) -> pd.Series:
    """People who took part in each event: those checked in where the door list was used,
    else the confirmed registrations."""
    confirmed = events.get("registrations_confirmed", pd.Series(0, index=events.index))
    checked = events.get("checked_in", pd.Series(0, index=events.index))
    return checked.where(checked.fillna(0) > 0, confirmed).fillna(0).astype("int64")


def events_by(events: pd.DataFrame, column: str) -> pd.DataFrame:
    """Events that took place and their participants per value of `column` (kind or
    bundesland); `events` as from held_events."""
    return (
        events.assign(participants=participants(events))
        .groupby(column, dropna=False)
        .agg(events=("event_id", "size"), participants=("participants", "sum"))
        .reset_index()
        .sort_values(["events", column], ascending=[False, True], ignore_index=True)
    )
