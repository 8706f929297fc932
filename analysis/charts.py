"""Charts of the report (matplotlib, no display needed): PNG bytes plus a text alternative."""

from __future__ import annotations

import io

import matplotlib
import pandas as pd

matplotlib.use("Agg")  # files only, no window; before pyplot is imported

import matplotlib.pyplot as plt  # the backend is chosen above

# High-contrast colours that stay apart for people with colour-vision deficiencies (Okabe–Ito).
COLOUR = "#0072B2"
plt.rcParams.update(
    {"font.size": 10, "svg.fonttype": "none", "axes.spines.top": False, "axes.spines.right": False}
)


def bar_chart(labels: pd.Series, values: pd.Series, title: str, axis_label: str) -> bytes:
    """A horizontal bar chart, largest on top, each bar labelled with its value."""
    height = max(2.0, 0.35 * len(values) + 1)
    figure, axes = plt.subplots(figsize=(7, height), dpi=120)
    positions = range(len(values))[::-1]
    bars = axes.barh(list(positions), list(values), color=COLOUR)
    axes.set_yticks(list(positions), [str(label) for label in labels])
    axes.bar_label(bars, labels=[german_count(v) for v in values], padding=3)
    axes.set_xlabel(axis_label)
    axes.set_title(title, loc="left")
    return _png(figure)


def line_chart(x: pd.Series, y: pd.Series, title: str, axis_label: str) -> bytes:
    """A line chart over time with markers on each point."""
    figure, axes = plt.subplots(figsize=(7, 3), dpi=120)
    axes.plot(list(x), list(y), color=COLOUR, marker="o", markersize=3)
    axes.set_ylabel(axis_label)
    axes.set_title(title, loc="left")
    axes.set_ylim(bottom=0)
    figure.autofmt_xdate()
    return _png(figure)


MAX_POINT_LABELS = 30  # more points than this: only the first (highest ranked) are labelled


def scatter_chart(
    x: pd.Series, y: pd.Series, labels: pd.Series, title: str, statistic: str = "Mittel"
) -> bytes:
    """Feasibility (x) against effectiveness (y), 1 to 5, each a `statistic` of the ratings
    (the axis labels name it); the quadrant of both high (3.5 and more) shaded. Up to
    MAX_POINT_LABELS points each carry their label; with more, points at one position are
    drawn as one circle sized by their number, and only the first MAX_POINT_LABELS // 3
    labels (in the order given: the highest ranked) are written."""
    figure, axes = plt.subplots(figsize=(6, 5), dpi=120)
    axes.axvspan(3.5, 5.2, ymin=(3.5 - 0.8) / 4.4, ymax=1, color="#E8F1F8", zorder=0)
    points = pd.DataFrame({"x": x.to_numpy(), "y": y.to_numpy(), "label": labels.astype(str)})
    if len(points) <= MAX_POINT_LABELS:
        axes.scatter(points["x"], points["y"], color=COLOUR, zorder=2)
        labelled = points
    else:
        at = points.round({"x": 2, "y": 2}).groupby(["x", "y"]).size().rename("n").reset_index()
        area = 20 + 280 * at["n"] / at["n"].max()
        axes.scatter(at["x"], at["y"], s=area, color=COLOUR, alpha=0.6, zorder=2)
        labelled = points.head(MAX_POINT_LABELS // 3)
    for row in labelled.itertuples():
        axes.annotate(
            row.label, (row.x, row.y), textcoords="offset points", xytext=(4, 4), fontsize=8
        )
    axes.set_xlim(0.8, 5.2)
    axes.set_ylim(0.8, 5.2)
    axes.set_xlabel(f"Machbarkeit ({statistic}, 1–5)")
    axes.set_ylabel(f"Wirksamkeit ({statistic}, 1–5)")
    axes.set_title(title, loc="left")
    return _png(figure)


def describe_bars(labels: pd.Series, values: pd.Series, what: str) -> str:
    """Alt text of a bar chart: what it shows, the largest and the smallest value."""
    if len(values) == 0:
        return f"Balkendiagramm: {what}; keine Werte."
    order = values.reset_index(drop=True).sort_values(ascending=False)
    first, last = order.index[0], order.index[-1]
    labels = labels.reset_index(drop=True)
    return (
        f"Balkendiagramm: {what}, {len(values)} Werte. Am meisten: {labels[first]} "
        f"({german_count(order.iloc[0])}), am wenigsten: {labels[last]} "
        f"({german_count(order.iloc[-1])}). "
        "Die Tabelle zur Grafik enthält alle Werte."
    )


def german_count(value) -> str:
    """A count with German digit grouping (12.345)."""
    return f"{int(value):,}".replace(",", ".")


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()
