"""The cost ladder: what dialog's stack costs a request before the request's own work.

Informational, without targets: each rung of benchmarks/ladder_app.py adds one step of a
registration (session and CSRF, rate limit, form, insert, event, seat and queued mail) and is
measured like the storm, against the bare insert in alternating rounds on two servers each.
Read against the storm's target (0.3), it shows how much of the budget the stack itself takes.

The GET rungs (app, session, one row, base page, 20 rows, 20 rows shown) are measured like the
pages, against the bare static page in alternating rounds: the last one is the floor of a
personal page showing 20 stored answers, against which the results benchmark also reports the
private link.
"""

from __future__ import annotations

import math
import sys
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime

from benchmarks import answers_bench, database, load, registration_bench, results_bench, servers
from benchmarks.ladder_app import GET_RUNGS, RUNGS, get_rung_path, rung_path

SERVERS = 2
PER_RUNG = 1200  # registrations per rung, in `--rounds` slices; 10 % of them warm up


def run(args) -> list:
    climb_posts(args)
    climb_gets(args)
    return []


@contextmanager
def _servers(env: dict[str, str], args):
    """The bare baseline's and the ladder's servers, SERVERS of each: (bare ports, ports)."""
    with (
        servers.gunicorn_servers(
            "benchmarks.bare_app:create_bare_app()", env, args.workers, SERVERS, "/static"
        ) as bare_ports,
        servers.gunicorn_servers(
            "benchmarks.ladder_app:create_ladder_app()", env, args.workers, SERVERS
        ) as ports,
    ):
        yield bare_ports, ports


def climb_gets(args) -> None:
    url = database.url()
    env = database.server_env(url)
    registration_bench.prepare(url, env)
    results_bench.ensure_private_link(env)
    static = load.repeat(load.Request("GET", "/static"))
    print(f"Cost ladder (GET): {len(GET_RUNGS)} rungs, {args.concurrency} clients …", flush=True)
    lines = []
    with _servers(env, args) as (bare_ports, ports):
        for rung in GET_RUNGS:
            path = get_rung_path(rung, results_bench.PRIVATE_TOKEN)
            requests = load.repeat(load.Request("GET", path))
            bare, result = answers_bench._paired((bare_ports, static), (ports, requests), args)
            lines.append((rung, result, bare))
            print(f"… {rung}: {result.throughput:.0f} req/s", flush=True)
    print(f"\n{'rung':<14} {'measured':>11} {'static':>12} {'ratio':>6} {'p95':>8} {'errors':>6}")
    for rung, result, bare in lines:
        ratio = result.throughput / bare.throughput if bare.throughput else 0.0
        print(
            f"{rung:<14} {result.throughput:>7.0f} r/s {bare.throughput:>8.0f} r/s "
            f"{ratio:>6.2f} {result.percentile(95) * 1000:>5.0f} ms {result.errors:>6}"
        )


def climb_posts(args) -> None:
    url = database.url()
    env = database.server_env(url, DIALOG_REGISTRATION_RATE_LIMIT="1000000 per minute")
    registration_bench.prepare(url, env)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    event_id = registration_bench.create_event(url, f"Benchmark: Kostenleiter {stamp}", args.seats)
    insert = load.repeat(load.Request("POST", "/insert", (("Content-Type", "text/plain"),), b"x"))
    clients = args.storm_clients
    print(f"Cost ladder: {len(RUNGS)} rungs × {PER_RUNG:,} registrations, {clients} clients …")
    lines = []
    with _servers(env, args) as (bare_ports, ports):
        load.run(bare_ports, insert, concurrency=clients, duration=1.0)
        for number, rung in enumerate(RUNGS):
            emails = [f"l{number}-{i:04d}@bench.example" for i in range(PER_RUNG)]
            posts = [
                replace(request, path=rung_path(rung, event_id))
                for request in registration_bench.fetch_forms(ports, event_id, emails)
            ]
            warm_up, measured = posts[: PER_RUNG // 10], posts[PER_RUNG // 10 :]
            load.run(ports, iter(warm_up), concurrency=clients, duration=math.inf)
            slices, bares = [], []
            for part in registration_bench.split(measured, max(1, args.rounds)):
                slices.append(load.run(ports, iter(part), concurrency=clients, duration=math.inf))
                bares.append(
                    load.run(bare_ports, insert, concurrency=clients, duration=slices[-1].seconds)
                )
            result, bare = load.combine(slices), load.combine(bares)
            lines.append((rung, result, bare))
            print(f"… {rung}: {result.throughput:.0f} req/s", flush=True)

    print(f"\n{'rung':<14} {'measured':>11} {'bare insert':>12} {'ratio':>6} {'errors':>6}")
    for rung, result, bare in lines:
        ratio = result.throughput / bare.throughput if bare.throughput else 0.0
        print(
            f"{rung:<14} {result.throughput:>7.0f} r/s {bare.throughput:>8.0f} r/s "
            f"{ratio:>6.2f} {result.errors:>6}"
        )


if __name__ == "__main__":
    sys.exit("run `python -m benchmarks`")
