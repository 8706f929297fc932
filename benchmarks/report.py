"""The benchmarks' tables: throughput ratios and latency percentiles against their targets;
for batch jobs (the export), time ratios and peak memory."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    name: str
    throughput: float  # requests per second
    baseline: str  # which bare measurement the ratio is against
    baseline_throughput: float
    ratio: float
    min_ratio: float
    p95_ms: float
    max_p95_ms: float | None
    errors: int
    note: str = ""

    @property
    def ok(self) -> bool:
        latency_ok = self.max_p95_ms is None or self.p95_ms <= self.max_p95_ms
        return self.ratio >= self.min_ratio and latency_ok and self.errors == 0 and not self.note


@dataclass(frozen=True)
class TimeRow:
    """A batch job against its bare baseline: time ratio (lower is better) and peak memory."""

    name: str
    seconds: float
    baseline_seconds: float
    ratio: float  # seconds / baseline_seconds
    max_ratio: float
    peak_mb: float  # peak resident memory of the job's process
    baseline_peak_mb: float
    max_peak_mb: float
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.ratio <= self.max_ratio and self.peak_mb < self.max_peak_mb and not self.note


@dataclass(frozen=True)
class ScoreRow:
    """A quality measure against labelled data: a score and its target (at least, or at most
    for error rates)."""

    name: str
    score: float
    target: float
    higher_is_better: bool = True
    detail: str = ""  # counts behind the score

    @property
    def ok(self) -> bool:
        return self.score >= self.target if self.higher_is_better else self.score <= self.target

    @property
    def note(self) -> str:
        return self.detail


def print_table(rows: list[Row | TimeRow | ScoreRow]) -> int:
    """Print every row in one table; returns the exit status (1 if any target was missed).

    Served rows compare throughput (higher is better) and the 95th latency percentile; batch
    rows compare time (lower is better) and peak memory.
    """
    header = (
        f"{'benchmark':<44} {'measured':>11} {'bare':>18} {'ratio':>6} {'target':>7} "
        f"{'p95/peak':>10} {'target':>9} {'errors':>6}  result"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in rows:
        if isinstance(r, ScoreRow):
            target = f"{'≥' if r.higher_is_better else '≤'}{r.target:g}"
            print(
                f"{r.name:<44} {r.score:>11.3f} {'(labels)':>18} {'':>6} {target:>7} "
                f"{'':>10} {'':>9} {'':>6}  {'ok' if r.ok else 'MISSED'}"
                + (f"  ({r.detail})" if r.detail else "")
            )
            continue
        if isinstance(r, Row):
            cells = (
                f"{r.throughput:>7.0f} r/s",
                f"{r.baseline_throughput:>7.0f} r/s {r.baseline:<6}",
                f"≥{r.min_ratio:g}",
                f"{r.p95_ms:>7.1f} ms",
                f"≤{r.max_p95_ms:.0f} ms" if r.max_p95_ms is not None else "–",
                f"{r.errors}",
            )
        else:
            cells = (
                f"{r.seconds:>9.2f} s",
                f"{r.baseline_seconds:>9.2f} s {r.baseline_peak_mb:>4.0f} MB",
                f"≤{r.max_ratio:g}",
                f"{r.peak_mb:>7.0f} MB",
                f"<{r.max_peak_mb:g} MB",
                "–",
            )
        measured, bare, target, extreme, extreme_target, errors = cells
        print(
            f"{r.name:<44} {measured:>11} {bare:>18} {r.ratio:>6.2f} {target:>7} "
            f"{extreme:>10} {extreme_target:>9} {errors:>6}  {'ok' if r.ok else 'MISSED'}"
            + (f"  ({r.note})" if r.note else "")
        )
    print()
    return 0 if all(r.ok for r in rows) else 1
