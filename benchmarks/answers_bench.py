"""Answer benchmarks: theme page, answer submission and reading with many stored answers."""

from __future__ import annotations

import hashlib
import http.client
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import sqlalchemy as sa

from benchmarks import bare_app, database, load, servers
from benchmarks.report import Row

PROCESS = "mission-fachkraft"
THEME = "arbeitspotenziale-erschliessen"
THEME_PATH = f"/dialog/{PROCESS}/{THEME}"
LIST_PATH = f"/dialog/{PROCESS}/antworten"
SERVERS = 2  # separate gunicorn servers, as on two hosts behind a load balancer
EXTRA_QUESTION = "Was möchten Sie uns außerdem mitteilen?"  # the benchmark posts three answers
HIDDEN = re.compile(r'name="(csrf_token|form_token)" type="hidden" value="([^"]*)"')
QUESTION = re.compile(r'name="(answer_\d+)"')
TEXT = "Eine bessere Kinderbetreuung würde vielen Eltern den Wiedereinstieg erleichtern. " * 4


def prepare(url: str, answers: int, env: dict[str, str]) -> None:
    """Migrate and seed the benchmark database; add answers until there are `answers`."""
    database.migrate_and_seed(env)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        theme_id = conn.execute(
            sa.text("SELECT id FROM theme_fields WHERE slug = :s"), {"s": THEME}
        ).scalar_one()
        exists = conn.execute(
            sa.text("SELECT count(*) FROM guiding_questions WHERE text = :t"), {"t": EXTRA_QUESTION}
        ).scalar_one()
        if not exists:
            conn.execute(
                sa.text(
                    "INSERT INTO guiding_questions (theme_field_id, text, plain_language_text, "
                    "position, active, created_at, updated_at) "
                    "VALUES (:t, :q, '', 99, :yes, :now, :now)"
                ),
                {"t": theme_id, "q": EXTRA_QUESTION, "yes": True, "now": "2026-01-01 00:00:00"},
            )
        stored = conn.execute(sa.text("SELECT count(*) FROM answers")).scalar_one()
    bare_app.prepare(engine)
    engine.dispose()
    if stored < answers:
        print(f"Generating {answers - stored:,} answers (once; kept for later runs) …", flush=True)
        started = time.perf_counter()
        database.flask("generate-answers", str(answers - stored), env=env)
        print(f"… done in {time.perf_counter() - started:.0f} s", flush=True)
    database.analyze(url)


def fetch_forms(ports: list[int], n: int) -> list[load.Request]:
    """Fetch `n` answer forms (each with its own session, CSRF token and nonce) and fill them.

    The forms come from the servers in turn; a form is valid on every server.
    """

    def one(i: int) -> load.Request:
        conn = http.client.HTTPConnection("127.0.0.1", ports[i % len(ports)], timeout=30)
        conn.request("GET", THEME_PATH)
        response = conn.getresponse()
        html = response.read().decode()
        cookie = response.getheader("Set-Cookie").split(";", 1)[0]
        conn.close()
        fields = dict(HIDDEN.findall(html))
        names = list(dict.fromkeys(QUESTION.findall(html)))[:3]
        data = {
            **fields,
            **{name: TEXT for name in names},
            "perspective": "employee",
            "bundesland": "DE-HE",
            "age_band": "35_44",
            "privacy_consent": "y",
            "publication_consent": "y",
        }
        return load.Request(
            "POST",
            THEME_PATH,
            (("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")),
            urlencode(data).encode(),
        )

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(n)))


def _row(name, result, baseline_name, baseline, min_ratio, max_p95_ms, note="") -> Row:
    ratio = result.throughput / baseline.throughput if baseline.throughput else 0.0
    return Row(
        name,
        result.throughput,
        baseline_name,
        baseline.throughput,
        ratio,
        min_ratio,
        result.percentile(95) * 1000,
        max_p95_ms,
        result.errors,
        note,
    )


def _paired(bare, app, args) -> tuple[load.Result, load.Result]:
    """Measure the baseline and the application in alternating rounds.

    `bare` and `app` are (ports, requests). Alternating short rounds let both see the same
    machine: on a shared host, the speed of the CPU drifts within seconds.
    """
    rounds = max(1, args.rounds)
    for ports, requests in (bare, app):
        load.run(ports, requests, concurrency=args.concurrency, duration=1.0)  # warm-up
    results: tuple[list[load.Result], list[load.Result]] = ([], [])
    for _ in range(rounds):
        for (ports, requests), collected in zip((bare, app), results, strict=True):
            collected.append(
                load.run(
                    ports, requests, concurrency=args.concurrency, duration=args.duration / rounds
                )
            )
    return load.combine(results[0]), load.combine(results[1])


def run(args) -> list[Row]:
    url = database.url()
    env = database.server_env(url, DIALOG_ANSWER_RATE_LIMIT="1000000 per minute")
    prepare(url, args.answers, env)

    static = load.repeat(load.Request("GET", "/static"))
    insert = load.repeat(load.Request("POST", "/insert", (("Content-Type", "text/plain"),), b"x"))
    rows: list[Row] = []
    print(
        f"Answers: {SERVERS} servers × {max(1, args.workers // SERVERS)} workers each, "
        f"rate limits in {env['RATELIMIT_STORAGE_URI'].split(':')[0]} …",
        flush=True,
    )
    with (
        servers.gunicorn_servers(
            "benchmarks.bare_app:create_bare_app()", env, args.workers, SERVERS, "/static"
        ) as bare_ports,
        servers.gunicorn_servers("dialog:create_app()", env, args.workers, SERVERS) as ports,
    ):
        bare, theme = _paired(
            (bare_ports, static), (ports, load.repeat(load.Request("GET", THEME_PATH))), args
        )
        rows.append(_row("theme page with form (GET)", theme, "static", bare, 0.5, None))

        forms = fetch_forms(ports, int(max(500, 2 * theme.throughput) * args.duration))
        time.sleep(3.5)  # the minimum fill time of a form has passed for all of them
        bare, submitted = _paired((bare_ports, insert), (ports, iter(forms)), args)
        rows.append(
            _row(
                "answer submission (POST, 3 answers)",
                submitted,
                "insert",
                bare,
                0.35,
                150,
                check_stored(url, submitted) or _check_enough(submitted, len(forms)),
            )
        )

        deep_before, total = _deep_id(url)
        reads = {
            "reading: first page": LIST_PATH,
            "reading: deep page": f"{LIST_PATH}?vor={deep_before}",
            "reading: filtered page": f"{LIST_PATH}?bundesland=DE-BY&perspektive=employee",
        }
        for name, path in reads.items():
            bare, result = _paired(
                (bare_ports, static), (ports, load.repeat(load.Request("GET", path))), args
            )
            rows.append(_row(f"{name} ({total / 1e6:.1f} M)", result, "static", bare, 0.5, 100))
        bare, search = _paired(
            (bare_ports, static),
            (ports, load.repeat(load.Request("GET", f"{LIST_PATH}?suche=weiterbildung"))),
            args,
        )
        rows.append(_row("reading: full-text search", search, "static", bare, 0.25, 150))
    return rows


def _check_enough(result: load.Result, forms: int) -> str:
    # A run that used up every prepared form ended early and measured too little.
    return "too few forms prepared" if result.count >= forms else ""


def check_stored(url: str, result: load.Result) -> str:
    """Every acknowledged submission (redirect to its private link) is stored exactly once."""
    acknowledged = [loc for loc in result.locations if "/beitrag/" in loc]
    engine = sa.create_engine(url)
    hashes = [
        hashlib.sha256(loc.split("/beitrag/")[1].split("?")[0].encode()).hexdigest()
        for loc in acknowledged
    ]
    with engine.connect() as conn:
        stored = 0
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            stored += conn.execute(
                sa.select(sa.func.count())
                .select_from(sa.table("submissions", sa.column("token_hash")))
                .where(sa.column("token_hash").in_(chunk))
            ).scalar_one()
    engine.dispose()
    if len(set(hashes)) != len(hashes):
        return "an acknowledgement was repeated"
    if stored != len(hashes):
        return f"{len(hashes)} acknowledged, {stored} stored"
    return ""


def _deep_id(url: str) -> tuple[int, int]:
    """An id nine tenths of the way down the published answers, and how many are stored."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        total = conn.execute(sa.text("SELECT count(*) FROM answers")).scalar_one()
        published = conn.execute(
            sa.text("SELECT count(*) FROM answers WHERE status = 'published'")
        ).scalar_one()
        deep = conn.execute(
            sa.text(
                "SELECT id FROM answers WHERE status = 'published' ORDER BY id LIMIT 1 OFFSET :o"
            ),
            {"o": published // 10},
        ).scalar_one()
    engine.dispose()
    return deep, total


if __name__ == "__main__":
    sys.exit("run `python -m benchmarks`")
