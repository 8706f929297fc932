"""Report benchmark: `python -m analysis` drafting the Ergebnisbericht from an export.

Targets: 100,000 answers: the full report in at most 20 s with a peak memory of at most 2 GB;
1,000,000 answers: at most 12 × the time at 100,000 (near-linear); and at 1,000,000 the report
with near-copy detection, flags, languages and themes in at most 1.5 × the time and 1.25 × the
peak memory of the same run with only exact-copy grouping (`--exact-copies-only`), both
measured in this run.

Each size has its own SQLite database (instance/bench-report-N.sqlite3, kept for later runs):
70 % of the answers coded (`flask generate-codings`), 30 % left uncoded for the theme
suggestions; its Parquet export is kept beside it. Each run of the analysis is a fresh child
process, timed from start to exit (imports included) with its peak resident memory.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import database, servers
from benchmarks.report import TimeRow

SMALL = 100_000
MAX_SMALL_SECONDS = 20.0
MAX_GROWTH = 12.0  # 10 × the answers in at most 12 × the time
MAX_PEAK_MB = 2048.0
MAX_QUALITY_TIME = 1.5  # the full quality checks against exact-copy grouping only
MAX_QUALITY_MEMORY = 1.25
CODED_SHARE = 0.7


def prepare(answers: int) -> Path:
    """The export of a database with `answers` answers (made once, then kept)."""
    folder = servers.ROOT / "instance"
    folder.mkdir(exist_ok=True)  # a fresh clone has none yet
    export = folder / f"bench-report-{answers}.zip"
    if export.exists():
        return export
    url = f"sqlite:///{folder / f'bench-report-{answers}.sqlite3'}"
    env = database.server_env(url)
    print(f"Preparing {answers:,} answers for the report benchmark (once) …", flush=True)
    started = time.perf_counter()
    database.migrate_and_seed(env)
    coded = int(answers * CODED_SHARE)
    database.flask("generate-answers", str(coded), env=env)
    database.flask("generate-codings", "--per-answer", "2", env=env)
    database.flask("generate-answers", str(answers - coded), "--seed", "2", env=env)
    partial = export.with_suffix(".part")
    database.flask("export", "--format", "parquet", "--out", str(partial), env=env)
    partial.replace(export)
    print(f"… done in {time.perf_counter() - started:.0f} s", flush=True)
    return export


def measure(export: Path, *options: str) -> tuple[float, float]:
    """(seconds, peak MB) of one `python -m analysis` run in a fresh child process."""
    out = Path(tempfile.mkdtemp(prefix="report-bench-", dir=servers.ROOT / "instance"))
    try:
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [sys.executable, "-m", "analysis", str(export), "--out", str(out), *options],
            cwd=servers.ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        errors = process.stderr.read().decode(errors="replace")
        process.stderr.close()
        if process.returncode != 0:
            sys.stderr.write(errors)
            raise RuntimeError(f"python -m analysis failed ({process.returncode})")
        return seconds, usage.ru_maxrss / 1024  # KiB on Linux
    finally:
        shutil.rmtree(out, ignore_errors=True)


def run(args) -> list[TimeRow]:
    large = max(args.answers, SMALL * 2)
    exports = {size: prepare(size) for size in (SMALL, large)}
    rounds = max(1, min(args.rounds, 3))
    taken: dict[int, list[tuple[float, float]]] = {size: [] for size in exports}
    for round_ in range(rounds):
        for size, export in exports.items():
            seconds, peak = measure(export)
            taken[size].append((seconds, peak))
            print(
                f"  round {round_ + 1}/{rounds} report {size:>9,} answers {seconds:6.1f} s "
                f"{peak:6.0f} MB",
                flush=True,
            )
    baseline = []
    for round_ in range(rounds):
        seconds, peak = measure(exports[large], "--exact-copies-only")
        baseline.append((seconds, peak))
        print(
            f"  round {round_ + 1}/{rounds} report {large:>9,} answers, exact copies only "
            f"{seconds:6.1f} s {peak:6.0f} MB",
            flush=True,
        )
    small = statistics.median(s for s, _ in taken[SMALL])
    big = statistics.median(s for s, _ in taken[large])
    growth = large / SMALL * MAX_GROWTH / 10  # 12 × for 10 × the answers
    return [
        TimeRow(
            f"report {SMALL:,} answers (bare: budget)",
            small,
            MAX_SMALL_SECONDS,
            small / MAX_SMALL_SECONDS,
            1.0,
            max(p for _, p in taken[SMALL]),
            0.0,
            MAX_PEAK_MB,
        ),
        TimeRow(
            f"report {large:,} answers (bare: {SMALL:,})",
            big,
            small,
            big / small,
            growth,
            max(p for _, p in taken[large]),
            max(p for _, p in taken[SMALL]),
            MAX_PEAK_MB * large / SMALL,  # memory may grow with the data; time is the target
        ),
        TimeRow(
            f"report {large:,} full checks (bare: exact only)",
            big,
            statistics.median(s for s, _ in baseline),
            big / statistics.median(s for s, _ in baseline),
            MAX_QUALITY_TIME,
            max(p for _, p in taken[large]),
            max(p for _, p in baseline),
            MAX_QUALITY_MEMORY * max(p for _, p in baseline),
        ),
    ]
