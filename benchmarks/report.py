"""The benchmarks' table: throughput ratios and latency percentiles against their targets."""

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


def print_table(rows: list[Row]) -> int:
    """Print the rows; returns the exit status (1 if any target was missed)."""
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
    return 0 if all(r.ok for r in rows) else 1
