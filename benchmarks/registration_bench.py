"""The registration storm: many people register at once for one event with few seats.

2,000 people (by default) register over HTTP for one Bürgerdialog with 120 seats, from 64
concurrent clients, spread round-robin over two gunicorn servers of dialog; the bare baseline
is two servers as well, driven alike. Forms and CSRF tokens are fetched beforehand, outside the
timed window; the storm ends when every registration has been answered. Afterwards the database
must hold exactly as many seats as there are, the rest on the waitlist in order of arrival, and
every acknowledged registration with its mail.
"""

from __future__ import annotations

import http.client
import math
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import sqlalchemy as sa

from benchmarks import bare_app, database, load, servers
from benchmarks.report import Row
from dialog.common.regions import Bundesland
from dialog.events.models import Event
from dialog.events.rules import EventKind, EventStatus

PROCESS = "mission-fachkraft"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]*)"')
SERVERS = 2
WARM_UP_SEATS = 8  # enough that the warm-up takes both paths: held seat and waitlist


def prepare(url: str, env: dict[str, str]) -> None:
    """Migrate and seed the benchmark database; empty the baseline's table."""
    database.migrate_and_seed(env)
    engine = sa.create_engine(url)
    bare_app.prepare(engine)
    engine.dispose()


def create_event(url: str, title: str, seats: int) -> int:
    """A fresh published Bürgerdialog with `seats` seats, open for registration; its id.

    Inserted through the application's table definition, so that enums and UTC times are
    stored exactly as the application stores them.
    """
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        process_id = conn.execute(
            sa.text("SELECT id FROM processes WHERE slug = :s"), {"s": PROCESS}
        ).scalar_one()
        event_id = conn.execute(
            sa.insert(Event.__table__).values(
                process_id=process_id,
                kind=EventKind.CITIZEN_DIALOGUE,
                status=EventStatus.PUBLISHED,
                title=title,
                city="Kassel",
                bundesland=Bundesland.HE,
                venue="Stadthalle",
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                capacity=seats,
                seats_taken=0,
            )
        ).inserted_primary_key[0]
    engine.dispose()
    return event_id


def register_path(event_id: int) -> str:
    return f"/veranstaltungen/{event_id}/anmeldung"


def fetch_forms(ports: list[int], event_id: int, emails: list[str]) -> list[load.Request]:
    """One filled registration form per address, each with its own session and CSRF token.

    The forms come from the servers in turn; a session is valid on every server.
    """
    path = register_path(event_id)

    def one(i: int) -> load.Request:
        conn = http.client.HTTPConnection("127.0.0.1", ports[i % len(ports)], timeout=30)
        conn.request("GET", path)
        response = conn.getresponse()
        html = response.read().decode()
        cookies = response.msg.get_all("Set-Cookie") or []
        conn.close()
        session = next(c.split(";", 1)[0] for c in cookies if c.startswith("session="))
        data = {
            "csrf_token": CSRF.search(html).group(1),
            "name": f"Person {i:04d}",
            "email": emails[i],
            "bundesland": "DE-HE",
            "privacy_consent": "y",
        }
        return load.Request(
            "POST",
            path,
            (("Cookie", session), ("Content-Type", "application/x-www-form-urlencoded")),
            urlencode(data).encode(),
            label=emails[i],
        )

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(len(emails))))


def run(args) -> list[Row]:
    url = database.url()
    env = database.server_env(url, DIALOG_REGISTRATION_RATE_LIMIT="1000000 per minute")
    prepare(url, env)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    event_id = create_event(url, f"Benchmark: Registrierungssturm {stamp}", args.seats)
    warm_up_id = create_event(url, f"Benchmark: Aufwärmen {stamp}", WARM_UP_SEATS)
    clients = args.storm_clients
    workers = max(1, args.workers // SERVERS)
    insert = load.repeat(load.Request("POST", "/insert", (("Content-Type", "text/plain"),), b"x"))

    print(
        f"Registration storm: {args.registrants:,} people, {args.seats} seats, {clients} clients, "
        f"{SERVERS} servers × {workers} workers …",
        flush=True,
    )
    with (
        servers.gunicorn_servers(
            "benchmarks.bare_app:create_bare_app()", env, args.workers, SERVERS, "/static"
        ) as bare_ports,
        servers.gunicorn_servers("dialog:create_app()", env, args.workers, SERVERS) as ports,
    ):
        warm_up = fetch_forms(
            ports, warm_up_id, [f"w{i:03d}@bench.example" for i in range(2 * clients)]
        )
        storm = fetch_forms(
            ports, event_id, [f"p{i:04d}@bench.example" for i in range(args.registrants)]
        )

        load.run(bare_ports, insert, concurrency=clients, duration=1.0)
        load.run(ports, iter(warm_up), concurrency=clients, duration=math.inf)
        # Alternating rounds, as in answers_bench._paired, because on a shared host the speed
        # of the CPU drifts within seconds: the people register in --rounds consecutive slices
        # (each at full concurrency, so every slice is a storm of its own against the lock),
        # and after each slice the baseline runs for as long as the slice took. Before and
        # after one long storm would leave the baseline far from most of it.
        slices, bares = [], []
        for part in split(storm, max(1, args.rounds)):
            slices.append(load.run(ports, iter(part), concurrency=clients, duration=math.inf))
            bares.append(
                load.run(bare_ports, insert, concurrency=clients, duration=slices[-1].seconds)
            )

    result, bare = load.combine(slices), load.combine(bares)
    print(
        f"… {result.count:,} answered in {result.seconds:.1f} s ({len(slices)} rounds: "
        + ", ".join(f"{r.throughput:.0f}" for r in slices)
        + " req/s); bare insert "
        + ", ".join(f"{r.throughput:.0f}" for r in bares)
        + " req/s",
        flush=True,
    )
    problems = check(url, event_id, args.seats, storm, result)
    ratio = result.throughput / bare.throughput if bare.throughput else 0.0
    return [
        Row(
            f"registration storm ({args.registrants} → {args.seats})",
            result.throughput,
            "insert",
            bare.throughput,
            ratio,
            0.3,
            result.percentile(95) * 1000,
            None,
            result.errors,
            "; ".join(problems),
        )
    ]


def split(items: list, parts: int) -> list[list]:
    """`items` in at most `parts` consecutive slices of (nearly) equal size, in order."""
    size = max(1, -(-len(items) // parts))
    return [items[i : i + size] for i in range(0, len(items), size)]


def check(
    url: str, event_id: int, seats: int, sent: list[load.Request], result: load.Result
) -> list[str]:
    """What is wrong with the stored outcome of the storm (empty when all is well)."""
    problems = []
    sent_path = register_path(event_id) + "/gesendet"
    acknowledged = {
        label
        for label, (status, location) in result.replies.items()
        if status == 302 and location.endswith(sent_path)
    }
    if unanswered := {request.label for request in sent} - acknowledged:
        problems.append(f"{len(unanswered)} not acknowledged")

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id, status, email FROM registrations WHERE event_id = :e ORDER BY id"),
            {"e": event_id},
        ).all()
        seats_taken = conn.execute(
            sa.text("SELECT seats_taken FROM events WHERE id = :e"), {"e": event_id}
        ).scalar_one()
        mails, mailed = conn.execute(
            sa.text(
                "SELECT count(*), count(DISTINCT m.reference) FROM mail_outbox m "
                "JOIN registrations r ON m.reference = 'registration:' || r.id "
                "WHERE r.event_id = :e"
            ),
            {"e": event_id},
        ).one()
    engine.dispose()

    stored = {email for _, _, email in rows}
    held = [i for i, (_, status, _) in enumerate(rows) if status in ("held", "confirmed")]
    waitlisted = sum(status == "waitlisted" for _, status, _ in rows)
    expected_waitlist = len(sent) - seats
    if missing := acknowledged - stored:
        problems.append(f"{len(missing)} acknowledged but not stored")
    if len(held) != seats:
        problems.append(f"{len(held)} seats held or confirmed, not {seats}")
    if waitlisted != expected_waitlist:
        problems.append(f"{waitlisted} waitlisted, not {expected_waitlist}")
    if seats_taken != seats:
        problems.append(f"seats_taken = {seats_taken}, not {seats}")
    # Arrival order: ids are given in order of arrival, so the seats go to the lowest ids.
    if held != list(range(len(held))):
        problems.append("a later arrival got a seat while an earlier one waits")
    if mails != len(rows) or mailed != len(rows):
        problems.append(f"{mails} mails for {len(rows)} registrations")
    return problems


if __name__ == "__main__":
    sys.exit("run `python -m benchmarks`")
