"""Tables for the report: counts and cross-tables with small-cell suppression."""

from __future__ import annotations

import pandas as pd

SMALL_CELL_THRESHOLD = 5  # counts below this are shown as "< 5" (configurable per call)


def counts(frame: pd.DataFrame, by: str | list[str], name: str = "answers") -> pd.DataFrame:
    """How many rows per value of `by` (missing values as their own group), largest first."""
    keys = [by] if isinstance(by, str) else by
    return (
        frame.groupby(keys, dropna=False, observed=True)
        .size()
        .rename(name)
        .reset_index()
        .sort_values([name, *keys], ascending=[False] + [True] * len(keys), ignore_index=True)
    )


def cross_table(frame: pd.DataFrame, rows: str, columns: str) -> pd.DataFrame:
    """Counts of `rows` × `columns` with totals ("Gesamt"); missing values as "keine Angabe"."""
    filled = frame[[rows, columns]].astype("object").fillna("keine Angabe")
    return pd.crosstab(filled[rows], filled[columns], margins=True, margins_name="Gesamt")


def suppress_small_cells(
    table: pd.DataFrame, threshold: int = SMALL_CELL_THRESHOLD
) -> pd.DataFrame:
    """The table as text with every count below `threshold` shown as "< threshold".

    Zero is shown as it is: an empty cell reveals nobody. Totals are suppressed alike, so a
    small row or column total cannot be read off either.
    """
    if threshold <= 1:
        return table.astype("string")
    small = (table > 0) & (table < threshold)
    return table.astype("int64").astype("string").mask(small, f"< {threshold}")
