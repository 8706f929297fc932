"""Export benchmark: the dataset export against a bare ADBC dump of the same rows.

Target: 1,000,000 answers with 2,000,000 code assignments; the Parquet export (`write_export`)
takes at most 2 × the time of the bare dump measured in the same run, with a peak memory below
1 GB; CSV likewise.

The bare dump reads the rows the export needs with the database's own bulk read (ADBC: SQLite
stepped in C, PostgreSQL binary COPY) straight into Arrow and writes each table as one Parquet
file (`pyarrow.parquet`) or one CSV file (`pyarrow.csv`) – nothing else. Every measurement
runs in a fresh child process (`python -m benchmarks.export_bench bare|export FORMAT DIR`),
which reports the time of the dump or export (imports and app start-up not counted) and its
own peak resident memory; bare and export alternate, and the table gives medians of the time
and the highest peak.
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from benchmarks import database, servers
from benchmarks.report import TimeRow

FORMATS = ("parquet", "csv")
MAX_RATIO = 2.0
MAX_PEAK_MB = 1024.0  # "below 1 GB"
PER_ANSWER = 2  # code assignments per answer
BATCH_ROWS = 65_536

# The rows of the export's big tables, as the export reads them (dialog/export/queries.py):
# answers with their submission, theme field, process, question and note; code assignments;
# ratings; notes; answers drawn into samples. Each in id order. (The codebook, samples and
# event aggregates have a few dozen rows.)
BARE_QUERIES = {
    "answers": """
        SELECT a.id, a.submission_id, p.slug AS process, t.slug AS theme_field,
               t.title AS theme_field_title, a.question_id,
               q.text AS question, s.channel, s.event_id, a.created_at, s.received_on, a.text,
               CASE WHEN a.status = 'published' THEN COALESCE(a.redacted_text, a.text) END
                 AS published_text,
               a.status, a.perspective, a.bundesland, s.age_band, s.publication_consent,
               COALESCE(n.is_proposal, FALSE) AS is_proposal, a.text_fingerprint
        FROM answers a
        JOIN submissions s ON s.id = a.submission_id
        JOIN theme_fields t ON t.id = a.theme_field_id
        JOIN processes p ON p.id = t.process_id
        JOIN guiding_questions q ON q.id = a.question_id
        LEFT JOIN answer_annotations n ON n.answer_id = a.id
        ORDER BY a.id""",
    "codes": """
        SELECT id, answer_id, code_id, original_code_id, coder_id, sample_id, assigned_at
        FROM code_assignments ORDER BY id""",
    "ratings": """
        SELECT id, answer_id, rater_id, effectiveness, feasibility, rated_at
        FROM ratings ORDER BY id""",
    "annotations": """
        SELECT answer_id, note, is_proposal, updated_by_id, updated_at
        FROM answer_annotations ORDER BY answer_id""",
    "sample_answers": """
        SELECT sample_id, answer_id FROM coding_sample_answers ORDER BY sample_id, answer_id""",
}


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_mb: float
    rows: dict[str, int]


def prepare(url: str, answers: int, env: dict[str, str]) -> tuple[int, int]:
    """Migrate and seed; add answers until there are `answers`, and codes for uncoded ones.

    Both are kept in the database for later runs. Returns (answers, code assignments).
    """
    database.migrate_and_seed(env)
    stored, _ = _sizes(url)
    if stored < answers:
        print(f"Generating {answers - stored:,} answers (once; kept for later runs) …", flush=True)
        started = time.perf_counter()
        database.flask("generate-answers", str(answers - stored), env=env)
        print(f"… done in {time.perf_counter() - started:.0f} s", flush=True)
    if _uncoded(url):
        print("Generating code assignments, ratings and samples …", flush=True)
        started = time.perf_counter()
        database.flask("generate-codings", "--per-answer", str(PER_ANSWER), env=env)
        print(f"… done in {time.perf_counter() - started:.0f} s", flush=True)
    return _sizes(url)


def _sizes(url: str) -> tuple[int, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        answers = conn.execute(sa.text("SELECT count(*) FROM answers")).scalar_one()
        codes = conn.execute(sa.text("SELECT count(*) FROM code_assignments")).scalar_one()
    engine.dispose()
    return answers, codes


def _uncoded(url: str) -> bool:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        uncoded = conn.execute(
            sa.text(
                "SELECT 1 FROM answers a WHERE NOT EXISTS (SELECT 1 FROM code_assignments c "
                "WHERE c.answer_id = a.id AND c.sample_id IS NULL) LIMIT 1"
            )
        ).first()
    engine.dispose()
    return uncoded is not None


def measure(kind: str, fmt: str, env: dict[str, str]) -> Measurement:
    """One bare dump or export in a fresh child process, written to a scratch directory."""
    scratch = Path(tempfile.mkdtemp(prefix="export-bench-", dir=servers.ROOT / "instance"))
    try:
        done = subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, "-m", "benchmarks.export_bench", kind, fmt, str(scratch)],
            check=True,
            env=env,
            cwd=servers.ROOT,
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as error:
        sys.stderr.write(error.stderr)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return Measurement(report["seconds"], report["peak_kib"] / 1024, report["rows"])


def run(args) -> list[TimeRow]:
    url = database.url()
    env = database.server_env(url)
    answers, codes = prepare(url, args.answers, env)
    size = f"{answers / 1e6:.1f} M answers, {codes / 1e6:.1f} M codes"
    print(f"Measuring the export against the bare ADBC dump ({size}) …", flush=True)
    measure("bare", FORMATS[0], env)  # warm-up: the database into the page cache
    rounds = max(1, args.rounds)
    results: dict[tuple[str, str], list[Measurement]] = {}
    for round_ in range(rounds):
        for fmt in FORMATS:
            # Alternate which goes first, so that neither always finds the warmer cache.
            order = ("bare", "export") if round_ % 2 == 0 else ("export", "bare")
            for kind in order:
                taken = measure(kind, fmt, env)
                results.setdefault((kind, fmt), []).append(taken)
                print(
                    f"  round {round_ + 1}/{rounds} {fmt:<8} {kind:<6} {taken.seconds:6.2f} s "
                    f"{taken.peak_mb:6.0f} MB",
                    flush=True,
                )
    return [_row(fmt, results[("bare", fmt)], results[("export", fmt)], size) for fmt in FORMATS]


def _row(fmt: str, bare: list[Measurement], export: list[Measurement], size: str) -> TimeRow:
    seconds = statistics.median(m.seconds for m in export)
    baseline = statistics.median(m.seconds for m in bare)
    return TimeRow(
        f"export {fmt} ({size})",
        seconds,
        baseline,
        seconds / baseline if baseline else float("inf"),
        MAX_RATIO,
        max(m.peak_mb for m in export),
        max(m.peak_mb for m in bare),
        MAX_PEAK_MB,
        _check_rows(bare[0].rows, export[0].rows),
    )


def _check_rows(bare: dict[str, int], export: dict[str, int]) -> str:
    """The export has exactly the rows the bare dump read."""
    differ = [f"{t}: {export.get(t)} ≠ {n}" for t, n in bare.items() if export.get(t) != n]
    return "rows differ: " + ", ".join(differ) if differ else ""


# -- the child processes ----------------------------------------------------------------


def bare_dump(url: str, fmt: str, out: Path) -> dict[str, int]:
    """Read each query with ADBC into Arrow record batches; write one file per table."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    engine_url = sa.make_url(url)
    if engine_url.get_backend_name() == "postgresql":
        import adbc_driver_postgresql.dbapi as driver

        uri = engine_url.set(drivername="postgresql").render_as_string(hide_password=False)
    else:
        import adbc_driver_sqlite.dbapi as driver

        uri = engine_url.database
    rows = {}
    with driver.connect(uri) as connection, connection.cursor() as cursor:
        if driver.__name__.startswith("adbc_driver_sqlite"):
            options = {"adbc.sqlite.query.batch_rows": str(BATCH_ROWS)}
            cursor.adbc_statement.set_options(**options)
        for table, query in BARE_QUERIES.items():
            cursor.execute(query)
            reader = cursor.fetch_record_batch()
            path = out / f"{table}.{fmt}"
            if fmt == "parquet":
                writer = pq.ParquetWriter(path, reader.schema, compression="snappy")
            else:
                writer = pacsv.CSVWriter(path, reader.schema)
            count = 0
            with writer:
                for batch in reader:
                    writer.write_batch(batch)
                    count += batch.num_rows
            rows[table] = count
    return rows


def export(fmt: str, out: Path) -> tuple[dict[str, int], float]:
    """The real export into one zip, as `flask export` runs it; (rows, seconds)."""
    from dialog import create_app
    from dialog.export.services import ExportFilters, ExportFormat, write_export
    from dialog.extensions import db

    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        manifest = write_export(out / "export.zip", ExportFormat(fmt), ExportFilters(), actor=None)
        db.session.commit()  # the audit entry, as the command commits it
        seconds = time.perf_counter() - started
    return {t: n for t, n in manifest.rows.items() if t in BARE_QUERIES}, seconds


def child(argv: list[str]) -> int:
    kind, fmt, out = argv
    if kind == "bare":
        started = time.perf_counter()
        rows = bare_dump(database.url(), fmt, Path(out))
        seconds = time.perf_counter() - started
    else:
        rows, seconds = export(fmt, Path(out))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_kib": peak_kib, "rows": rows}))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("bare", "export") or sys.argv[2] not in FORMATS:
        sys.exit("usage: python -m benchmarks.export_bench bare|export parquet|csv DIR")
    sys.exit(child(sys.argv[1:]))
