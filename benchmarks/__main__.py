"""Run every benchmark and print one table of ratios against the bare baseline.

    python -m benchmarks                    # SQLite (instance/bench.sqlite3), 1,000,000 answers
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench python -m benchmarks
    python -m benchmarks --answers 100000 --duration 5   # a quicker look
    python -m benchmarks --only registrations            # only the registration storm
    python -m benchmarks --only ladder                   # what the stack costs a registration
    python -m benchmarks --only export --rounds 3        # only the dataset export
    python -m benchmarks --only report --rounds 1        # only the drafted Ergebnisbericht
    python -m benchmarks --only quality                  # the analysis against labelled data
    python -m benchmarks --only results                  # public results and private link

The baseline (benchmarks/bare_app.py) and the application are served by gunicorn with the same
number of sync workers, on the same database, and driven by the same load generator
(benchmarks/load.py) in the same run, in alternating rounds (the registration storm: two
servers of each, the workers split between them). Forms, CSRF tokens and nonces are fetched
before the timed window. The export benchmark (benchmarks/export_bench.py) times the dataset
export against a bare ADBC dump of the same rows in fresh child processes, also alternating;
the report benchmark (benchmarks/report_bench.py) times `python -m analysis` at 100,000 answers
against its 20 s budget and at 1,000,000 against the time at 100,000.
The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import sys

from benchmarks import (
    answers_bench,
    export_bench,
    ladder_bench,
    quality_bench,
    registration_bench,
    report_bench,
    results_bench,
)
from benchmarks.report import print_table

BENCHMARKS = {
    "answers": answers_bench,
    "results": results_bench,
    "registrations": registration_bench,
    "ladder": ladder_bench,
    "export": export_bench,
    "report": report_bench,
    "quality": quality_bench,
}


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--only", choices=BENCHMARKS, help="run one benchmark instead of all of them"
    )
    parser.add_argument("--answers", type=int, default=1_000_000, help="stored answers for reading")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn workers per server (storm: in all)"
    )
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent clients")
    parser.add_argument(
        "--rounds", type=int, default=5, help="alternating baseline/application rounds"
    )
    parser.add_argument(
        "--registrants", type=int, default=2000, help="people registering in the storm"
    )
    parser.add_argument("--seats", type=int, default=120, help="seats of the storm's event")
    parser.add_argument(
        "--storm-clients", type=int, default=64, help="concurrent clients in the storm"
    )
    parser.add_argument(
        "--corpus",
        action="append",
        metavar="CSV",
        help="quality: labelled corpus files (default: tests/analysis/corpus/part_*.csv)",
    )
    args = parser.parse_args()
    database = os.environ.get("DATABASE_URL") or "SQLite (instance/bench.sqlite3)"
    print(
        f"Database: {database.split('@')[-1]}; workers: {args.workers}; "
        f"clients: {args.concurrency} (storm: {args.storm_clients}); "
        f"{args.duration:g} s per measurement",
        flush=True,
    )
    rows = []
    for name, benchmark in BENCHMARKS.items():
        if args.only in (None, name):
            rows += benchmark.run(args)
    return print_table(rows)


if __name__ == "__main__":
    sys.exit(main())
