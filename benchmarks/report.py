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


def print_table(rows: list[Row | TimeRow]) -> int:
    """Print the rows; returns the exit status (1 if any target was missed)."""
    served = [r for r in rows if isinstance(r, Row)]
    batch = [r for r in rows if isinstance(r, TimeRow)]
    if served:
        _print_served(served)
    if batch:
        _print_batch(batch)
    return 0 if all(r.ok for r in rows) else 1


def _print_batch(rows: list[TimeRow]) -> None:
    header = (
        f"{'benchmark':<44} {'s':>7} {'bare s':>7} {'ratio':>6} {'target':>7} {'peak MB':>8} "
        f"{'bare MB':>8} {'target':>7}  result"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.name:<44} {r.seconds:>7.2f} {r.baseline_seconds:>7.2f} {r.ratio:>6.2f} "
            f"{'≤' + format(r.max_ratio, 'g'):>7} {r.peak_mb:>8.0f} {r.baseline_peak_mb:>8.0f} "
            f"{'<' + format(r.max_peak_mb, 'g'):>7}  {'ok' if r.ok else 'MISSED'}"
            + (f"  ({r.note})" if r.note else "")
        )
    print()


def _print_served(rows: list[Row]) -> None:
    header = (
        f"{'benchmark':<36} {'req/s':>7} {'bare':>14} {'ratio':>6} {'target':>7} {'p95 ms':>7} "
        f"{'target':>7} {'errors':>6}  result"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in rows:
        target_p95 = f"≤{r.max_p95_ms:.0f}" if r.max_p95_ms is not None else "–"
        target_ratio = f"≥{r.min_ratio:g}"
        print(
            f"{r.name:<36} {r.throughput:>7.0f} {r.baseline_throughput:>7.0f} {r.baseline:<6} "
            f"{r.ratio:>6.2f} {target_ratio:>7} "
            f"{r.p95_ms:>7.1f} {target_p95:>7} {r.errors:>6}  {'ok' if r.ok else 'MISSED'}"
            + (f"  ({r.note})" if r.note else "")
        )
    print()
