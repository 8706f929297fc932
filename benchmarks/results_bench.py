"""Public results benchmark ("wir haben gehandelt"): the published recommendations of a process
and a participant's private link, with many answers behind them.

Targets: the results page of a process with RECOMMENDATIONS published recommendations, each
linked to a code (and so to every answer carrying it) and to answers directly, over the
benchmark's stored answers (1,000,000 by default): GET at least 0.5 × the bare static page,
p95 at most 150 ms at 32 connections; the private-link page of a submission with
PRIVATE_ANSWERS answers, each supporting published recommendations, likewise. A personal page
cannot be kept for everyone: the static target lies below the floor of the cost ladder (a page
of 20 stored answers in the site's layout, benchmarks/ladder_app.py), which is measured too, and
the private link is also reported against that floor (target 0.9), as is the results page
against the ladder's page that reads one row (what it reads for every visitor: its version).

The data is added once to the benchmark database of the answers benchmark (the answers
themselves, codes with `flask generate-codings`, then the recommendations through the
application's services, so that versions, history and evidence are as the staff pages make
them); the results phase is made current. Before measuring, one request brings the kept
figures up to date, as the first visitor after a change would.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import time

import sqlalchemy as sa

from benchmarks import answers_bench, bare_app, database, load, servers
from benchmarks.answers_bench import PROCESS, _paired, _row
from benchmarks.ladder_app import GET_RUNGS, get_rung_path
from benchmarks.report import Row

RECOMMENDATIONS = 300
DIRECT_ANSWERS = 20  # answers linked directly to each recommendation
PRIVATE_ANSWERS = 20
PRIVATE_TOKEN = "bench-private-link-" + "0" * 45  # the private link's token (a bench secret)
TITLE_PREFIX = "Bench-Empfehlung"
RESULTS_PATH = f"/dialog/{PROCESS}/ergebnisse/empfehlungen"
PRIVATE_PATH = f"/beitrag/{PRIVATE_TOKEN}"
FLOOR = GET_RUNGS[-1]  # the cost ladder's page of 20 stored answers


def prepare(url: str, answers: int, env: dict[str, str]) -> None:
    answers_bench.prepare(url, answers, env)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        coded = conn.execute(
            sa.text("SELECT count(*) FROM code_assignments WHERE sample_id IS NULL")
        ).scalar_one()
        made = conn.execute(
            sa.text("SELECT count(*) FROM recommendations WHERE title LIKE :p"),
            {"p": f"{TITLE_PREFIX}%"},
        ).scalar_one()
    engine.dispose()
    if not coded:
        print("Coding the answers (once; kept for later runs) …", flush=True)
        database.flask("generate-codings", "--per-answer", "1", env=env)
    if made < RECOMMENDATIONS:
        print(f"Adding {RECOMMENDATIONS} recommendations (once) …", flush=True)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "from benchmarks.results_bench import seed; seed()"],
            check=True,
            env=env,
            cwd=servers.ROOT,
        )
        print(f"… done in {time.perf_counter() - started:.0f} s", flush=True)
    database.analyze(url)


def seed() -> None:
    """In a child process: the recommendations, ratings, statuses and the private link, in
    one transaction (a failed run leaves nothing half made)."""
    from datetime import timedelta

    from dialog import create_app
    from dialog.accounts import services as accounts
    from dialog.answers.models import Answer
    from dialog.answers.rules import AnswerStatus
    from dialog.coding.models import Code
    from dialog.common.clock import today_local
    from dialog.common.permissions import Role
    from dialog.extensions import db
    from dialog.process.models import Process
    from dialog.process.rules import PhaseKind
    from dialog.recommendations import services as recs
    from dialog.recommendations.rules import RecommendationStatus as S

    app = create_app()
    with app.app_context():
        process = db.session.scalar(sa.select(Process).where(Process.slug == PROCESS))
        today = today_local()
        for phase in process.phases:  # the results phase is current, the others are over
            if phase.kind == PhaseKind.RESULTS:
                phase.starts_on, phase.ends_on = today - timedelta(30), today + timedelta(365)
            else:
                phase.starts_on = min(phase.starts_on, today - timedelta(400))
                phase.ends_on = min(phase.ends_on, today - timedelta(31))
        raters = [
            accounts.find_user(email)
            or accounts.create_user(None, email, "bench-password-1234", {Role.ANALYST})
            for email in ("bench-analyst-1@example.org", "bench-analyst-2@example.org")
        ]
        db.session.flush()
        codes = list(
            db.session.scalars(
                sa.select(Code.id).where(
                    Code.process_id == process.id, Code.merged_into_id.is_(None)
                )
            )
        )
        themes = [t.id for t in process.theme_fields]
        linkable = list(
            db.session.scalars(
                sa.select(Answer.id)
                .where(Answer.status != AnswerStatus.REJECTED)
                .order_by(Answer.id)
            )
        )
        private = _private_link(process)
        step = max(1, len(linkable) // (RECOMMENDATIONS * DIRECT_ANSWERS))
        after = (S.PLANNED, S.IN_PROGRESS, S.IMPLEMENTED)
        for n in range(RECOMMENDATIONS):
            rec = recs.create_recommendation(
                raters[0],
                process,
                recs.RecommendationInput(
                    title=f"{TITLE_PREFIX} {n + 1}: Ausbildung in der Region stärken",
                    text="<p>Betriebe, Kammern und Schulen bauen gemeinsam Angebote auf.</p>",
                    theme_field_ids=[themes[n % len(themes)]],
                ),
            )
            db.session.flush()
            recs.add_code(raters[0], rec, codes[n % len(codes)])
            for k in range(DIRECT_ANSWERS):
                recs.add_answer(
                    raters[0], rec, linkable[((n * DIRECT_ANSWERS + k) * step) % len(linkable)]
                )
            if n < PRIVATE_ANSWERS * 3:
                recs.add_answer(raters[0], rec, private[n % PRIVATE_ANSWERS])
            recs.change_status(raters[0], rec, S.IN_REVIEW)
            for i, rater in enumerate(raters):
                recs.rate(rater, rec, effectiveness=3 + i, feasibility=4 - i, reason="Benchmark")
            recs.change_status(raters[0], rec, S.RATED)
            recs.change_status(raters[0], rec, S.INCLUDED)
            recs.change_status(
                raters[0],
                rec,
                after[n % len(after)],
                public_note="Das Ministerium hat ein Förderprogramm angekündigt.",
                progress=(n * 7) % 100,
            )
        db.session.commit()


def ensure_private_link(env: dict[str, str]) -> None:
    """The private link's submission, if it is not there yet (the cost ladder's GET rungs read
    it), added by a child process with the servers' environment."""
    code = "from benchmarks.results_bench import add_private_link; add_private_link()"
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=servers.ROOT)  # noqa: S603


def add_private_link() -> None:
    """In a child process: see ensure_private_link."""
    from dialog import create_app
    from dialog.extensions import db
    from dialog.process.models import Process

    app = create_app()
    with app.app_context():
        _private_link(db.session.scalar(sa.select(Process).where(Process.slug == PROCESS)))
        db.session.commit()


def _private_link(process) -> list[int]:
    """The ids of the private link's PRIVATE_ANSWERS answers, one per guiding question of
    their own (added to a theme field that the answers benchmark does not use)."""
    from datetime import timedelta

    from dialog.answers import services as answers
    from dialog.answers.models import Answer, Submission
    from dialog.common.clock import today_local
    from dialog.extensions import db
    from dialog.process.models import GuidingQuestion

    hashed = answers.token_hash(PRIVATE_TOKEN)
    found = db.session.scalar(sa.select(Submission).where(Submission.token_hash == hashed))
    if found is not None:
        return [a.id for a in found.answers]
    theme = next(t for t in process.theme_fields if t.slug != answers_bench.THEME)
    questions = [
        GuidingQuestion(theme_field_id=theme.id, text=f"Bench-Leitfrage {k + 1}?", position=100 + k)
        for k in range(PRIVATE_ANSWERS)
    ]
    db.session.add_all(questions)
    db.session.flush()
    submission = Submission(
        theme_field_id=theme.id,
        received_on=today_local() - timedelta(60),
        publication_consent=True,
        token_hash=hashed,
        nonce="bench-private-link",
    )
    for k, question in enumerate(questions):
        submission.answers.append(
            Answer(
                question_id=question.id,
                theme_field_id=theme.id,
                text=f"Antwort {k + 1} des Benchmarks: mehr Ausbildungsplätze in der Region.",
            )
        )
    db.session.add(submission)
    db.session.flush()
    return [a.id for a in submission.answers]


def _warm(port: int, path: str) -> None:
    """One request brings the kept figures up to date (the first visitor after a change)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")


def run(args) -> list[Row]:
    url = database.url()
    env = database.server_env(url)
    prepare(url, args.answers, env)
    static = load.repeat(load.Request("GET", "/static"))
    rows: list[Row] = []
    engine = sa.create_engine(url)
    bare_app.prepare(engine)
    engine.dispose()
    workers = max(1, args.workers // answers_bench.SERVERS)
    print(f"Results: {answers_bench.SERVERS} servers × {workers} workers each …", flush=True)
    with (
        servers.gunicorn_servers(
            "benchmarks.bare_app:create_bare_app()", env, args.workers, answers_bench.SERVERS,
            "/static",
        ) as bare_ports,
        servers.gunicorn_servers(  # dialog's app with the cost ladder's rungs
            "benchmarks.ladder_app:create_ladder_app()", env, args.workers, answers_bench.SERVERS
        ) as ports,
    ):  # fmt: skip
        _warm(ports[0], RESULTS_PATH)
        results = load.repeat(load.Request("GET", RESULTS_PATH))
        private = load.repeat(load.Request("GET", PRIVATE_PATH))
        for name, requests in (
            (f"results page ({RECOMMENDATIONS} recommendations)", results),
            (f"private link ({PRIVATE_ANSWERS} answers)", private),
        ):
            bare, result = _paired((bare_ports, static), (ports, requests), args)
            rows.append(_row(name, result, "static", bare, 0.5, 150, _non_200(result)))
        # Where the static target lies below what the stack can do (the cost ladder,
        # benchmarks/ladder_app.py: informational rows against the static page), each page
        # against its floor: the results page reads one row (its version) for every request,
        # the private link shows 20 stored answers.
        for name, requests, rung in (
            ("results page vs ladder", results, "one row"),
            ("private link vs ladder", private, FLOOR),
        ):
            floor = load.repeat(load.Request("GET", get_rung_path(rung, PRIVATE_TOKEN)))
            bare, result = _paired((bare_ports, static), (ports, floor), args)
            rows.append(_row(f"ladder floor '{rung}'", result, "static", bare, 0, None))
            bare, result = _paired((ports, floor), (ports, requests), args)
            # 0.9 × the floor's speed: its throughput, and its p95 latency (or 150 ms) / 0.9.
            p95 = max(150, bare.percentile(95) * 1000 / 0.9)
            rows.append(_row(name, result, f"'{rung}'", bare, 0.9, p95, _non_200(result)))
    return rows


def _non_200(result: load.Result) -> str:
    return f"{result.errors} errors" if result.errors else ""
