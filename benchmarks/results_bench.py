"""Public results benchmark ("wir haben gehandelt"): the published recommendations of a process
and a participant's private link, with many answers behind them.

Targets: the results page of a process with RECOMMENDATIONS published recommendations, each
linked to a code (and so to every answer carrying it) and to answers directly, over the
benchmark's stored answers (1,000,000 by default): GET at least 0.5 × the bare static page,
p95 at most 150 ms at 32 connections; the private-link page of a submission with
PRIVATE_ANSWERS answers, each supporting published recommendations, likewise.

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
from benchmarks.report import Row

RECOMMENDATIONS = 300
DIRECT_ANSWERS = 20  # answers linked directly to each recommendation
PRIVATE_ANSWERS = 20
PRIVATE_TOKEN = "bench-private-link-" + "0" * 45  # the private link's token (a bench secret)
TITLE_PREFIX = "Bench-Empfehlung"
RESULTS_PATH = f"/dialog/{PROCESS}/ergebnisse/empfehlungen"
PRIVATE_PATH = f"/beitrag/{PRIVATE_TOKEN}"


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


def seed() -> None:
    """In a child process: the recommendations, ratings, statuses and the private link, in
    one transaction (a failed run leaves nothing half made)."""
    from datetime import timedelta

    from dialog import create_app
    from dialog.accounts import services as accounts
    from dialog.answers import services as answers
    from dialog.answers.models import Answer, Submission
    from dialog.answers.rules import AnswerStatus
    from dialog.coding.models import Code
    from dialog.common.clock import today_local
    from dialog.common.permissions import Role
    from dialog.extensions import db
    from dialog.process.models import GuidingQuestion, Process
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
        # The private link: a submission with PRIVATE_ANSWERS answers, one per guiding question
        # (added for it to a theme field that the answers benchmark does not use).
        theme = next(t for t in process.theme_fields if t.slug != answers_bench.THEME)
        questions = [
            GuidingQuestion(
                theme_field_id=theme.id, text=f"Bench-Leitfrage {k + 1}?", position=100 + k
            )
            for k in range(PRIVATE_ANSWERS)
        ]
        db.session.add_all(questions)
        db.session.flush()
        submission = Submission(
            theme_field_id=theme.id,
            received_on=today - timedelta(60),
            publication_consent=True,
            token_hash=answers.token_hash(PRIVATE_TOKEN),
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
        private = [a.id for a in submission.answers]
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
        servers.gunicorn_servers("dialog:create_app()", env, args.workers, answers_bench.SERVERS)
        as ports,
    ):  # fmt: skip
        _warm(ports[0], RESULTS_PATH)
        for name, path in (
            (f"results page ({RECOMMENDATIONS} recommendations)", RESULTS_PATH),
            (f"private link ({PRIVATE_ANSWERS} answers)", PRIVATE_PATH),
        ):
            bare, result = _paired(
                (bare_ports, static), (ports, load.repeat(load.Request("GET", path))), args
            )
            rows.append(_row(name, result, "static", bare, 0.5, 150, _non_200(result)))
    return rows


def _non_200(result: load.Result) -> str:
    return f"{result.errors} errors" if result.errors else ""
