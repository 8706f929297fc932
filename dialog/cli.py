"""Flask commands: `flask seed`, `flask create-user`, `flask send-mail` …"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import timedelta

import click
from flask import Flask, current_app

from dialog.answers.rules import AnswerStatus, Channel, Perspective
from dialog.common.permissions import Role
from dialog.common.regions import Bundesland
from dialog.extensions import db


def register_commands(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(generate_answers_command)
    app.cli.add_command(generate_codings_command)
    app.cli.add_command(send_mail_command)
    app.cli.add_command(send_notifications_command)
    app.cli.add_command(expire_holds_command)
    app.cli.add_command(purge_command)
    app.cli.add_command(run_reports_command)
    app.cli.add_command(export_command)
    app.cli.add_command(import_answers_command)
    app.cli.add_command(find_campaigns_command)


@click.command("seed")
@click.option(
    "--dates",
    type=click.Choice(["demo", "historical"]),
    default=None,
    help="Reset the phase dates: 'demo' places today inside the Dialogphase, 'historical' "
    "loads the dates of 2023/2024. Without it, existing dates are kept.",
)
@click.option(
    "--demo-users",
    is_flag=True,
    help="Also create one demo account per role with a published password (development only).",
)
@click.option(
    "--demo-content",
    is_flag=True,
    help="Also load the demo material (implies --demo-users): generated answers, partly "
    "published and coded, event documentation, recommendations with ratings and statuses, "
    "the Abschlusskonferenz (development only).",
)
def seed_command(dates: str | None, demo_users: bool, demo_content: bool) -> None:
    """Load the Mission Fachkraft demo content (idempotent: only what is missing is created)."""
    from dialog.seed import DEMO_PASSWORD, DEMO_USERS, seed, seed_demo_users

    if (demo_users or demo_content) and not current_app.config["DEMO_MODE"]:
        flag = "--demo-content" if demo_content else "--demo-users"
        raise click.ClickException(f"{flag} is refused outside demo mode (DIALOG_ENV).")
    created = seed(dates=dates)
    if demo_content:
        from dialog.demo.content import seed_demo_content

        created |= seed_demo_content()
    elif demo_users:
        created["demo users"] = len(seed_demo_users())
    db.session.commit()
    summary = ", ".join(f"{n} {kind}" for kind, n in created.items() if n) or "nothing new"
    click.echo(f"Seeded: {summary}." + (f" Phase dates set to {dates}." if dates else ""))
    if demo_users or demo_content:
        emails = ", ".join(email for email, _name, _role in DEMO_USERS)
        click.echo(f"Demo accounts (password {DEMO_PASSWORD!r}): {emails}")


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="Role of the account; repeat for several roles.",
)
@click.option("--name", default="", help="Name shown in the audit log.")
@click.password_option(help="Prompted for (twice) when not given.")
def create_user_command(email: str, roles: tuple[str, ...], name: str, password: str) -> None:
    """Create a staff account with the given roles."""
    from dialog.accounts.services import AccountError, create_user

    try:
        user = create_user(None, email, password, {Role(r) for r in roles}, name=name)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.email} with roles: {', '.join(sorted(roles))}.")


@click.command("generate-answers")
@click.argument("count", type=click.IntRange(1, 10_000_000))
@click.option("--process", "process_slug", default="mission-fachkraft", show_default=True)
@click.option("--seed", default=1, show_default=True, help="Seed of the random generator.")
def generate_answers_command(count: int, process_slug: str, seed: int) -> None:
    """Add COUNT synthetic answers (about 80 % published) for benchmarks (demo mode only)."""
    from dialog.answers.generate import generate_answers

    if not current_app.config["DEMO_MODE"]:
        raise click.ClickException("generate-answers is refused outside demo mode (DIALOG_ENV).")
    try:
        made = generate_answers(count, process_slug, seed=seed)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Generated {made} answers.")


@click.command("generate-codings")
@click.option(
    "--per-answer",
    type=click.IntRange(1, 10),
    default=2,
    show_default=True,
    help="Shared code assignments per answer.",
)
@click.option("--process", "process_slug", default="mission-fachkraft", show_default=True)
@click.option("--seed", default=1, show_default=True, help="Seed of the synthetic choices.")
def generate_codings_command(per_answer: int, process_slug: str, seed: int) -> None:
    """Add a codebook, codes for every uncoded answer, ratings and samples (demo mode only)."""
    from dialog.coding.generate import generate_codings

    if not current_app.config["DEMO_MODE"]:
        raise click.ClickException("generate-codings is refused outside demo mode (DIALOG_ENV).")
    try:
        made = generate_codings(process_slug, per_answer=per_answer, seed=seed)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(
        f"Generated {made.codes} codes, {made.assignments} code assignments, "
        f"{made.proposals} proposals with {made.ratings} ratings, {made.samples} samples "
        f"({made.sample_answers} answers, {made.sample_assignments} assignments)."
    )


MAIL_BATCH = 100


@click.command("send-mail")
@click.option(
    "--loop",
    is_flag=True,
    help="Keep running and send what is due every --interval seconds, until Ctrl-C or SIGTERM.",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds between passes with --loop.",
)
def send_mail_command(loop: bool, interval: float) -> None:
    """Send the due e-mails of the outbox and delete sent ones older than MAIL_RETENTION_DAYS."""
    # The worker's log is its record: retries, refusals and, with MAIL_BACKEND=log, the mails.
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    stop = threading.Event()
    if not loop:
        _send_mail_pass(stop, always_report=True)
        return
    # A signal ends the loop after the current batch, whose outcomes are then all recorded.
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    click.echo(f"Sending due e-mails every {interval:g} s; Ctrl-C stops.")
    try:
        while not stop.is_set():
            _send_mail_pass(stop, always_report=False)
            stop.wait(interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("Stopped.")


def _send_mail_pass(stop: threading.Event, *, always_report: bool) -> None:
    """Send batches while full batches get through, then purge what has been kept long enough."""
    from dialog.common import mail
    from dialog.common.clock import now_utc

    total = mail.DeliveryReport()
    while True:
        report = mail.deliver_due(MAIL_BATCH)
        total += report
        # A full batch may have left more due mails; with no mail sent the server is down.
        if report.total < MAIL_BATCH or not (report.sent or report.dropped) or stop.is_set():
            break
    retention = timedelta(days=current_app.config["MAIL_RETENTION_DAYS"])
    purged = mail.purge_sent(now_utc() - retention)
    db.session.commit()
    if always_report or total.total or purged:
        dropped = f", {total.dropped} dropped (their registration is gone)" if total.dropped else ""
        click.echo(
            f"Mail: {total.sent} sent, {total.retried} to retry, {total.failed} failed{dropped}; "
            f"{purged} old sent mails deleted."
        )


@click.command("run-reports")
@click.option(
    "--loop",
    is_flag=True,
    help="Keep running and look for requested drafts every --interval seconds, until Ctrl-C "
    "or SIGTERM.",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds between looks with --loop.",
)
def run_reports_command(loop: bool, interval: float) -> None:
    """Draft the requested results reports (export, then python -m analysis) in the background.

    Several workers may run: each job is claimed by exactly one; a job left running by a worker
    that died is taken again after an hour. Each pass first gives new answers their flags and
    language (for the moderation queue).
    """
    from dialog.reports.worker import run_pending

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if not loop:
        click.echo(f"Report drafts: {run_pending()} made.")
        return
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    click.echo(f"Drafting requested reports every {interval:g} s; Ctrl-C stops.")
    try:
        while not stop.is_set():
            run_pending()
            stop.wait(interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("Stopped.")


@click.command("expire-holds")
def expire_holds_command() -> None:
    """Free the seats of registrations not confirmed in time (run every few minutes by cron).

    Registering for an event also expires that event's overdue holds, so no seat is lost
    while this command does not run; it frees them sooner and tells the waitlist.
    """
    from dialog.common.clock import now_utc
    from dialog.events import services

    expired = services.expire_holds(now_utc())
    db.session.commit()
    click.echo(f"Expired holds: {expired}.")


@click.command("send-notifications")
def send_notifications_command() -> None:
    """Queue the notifications about results (run daily by cron, before `flask send-mail`):
    one mail to every confirmed address whose answers have news, at most one a day."""
    from dialog.common.clock import now_utc
    from dialog.notifications import services

    queued = services.send_digests(now_utc())
    db.session.commit()
    click.echo(f"Notifications queued: {queued}.")


@click.command("purge")
def purge_command() -> None:
    """Delete personal data that is no longer needed (run daily by cron).

    Support needs go once an event is over; names, e-mail addresses and organisations of
    participants and applicants EVENT_DATA_RETENTION_DAYS after the event; feedback on
    barriers FEEDBACK_RETENTION_DAYS after it was sent; addresses left for notifications about
    results NOTIFICATION_CONFIRM_DAYS after they were left unconfirmed, or
    NOTIFICATION_RETENTION_DAYS after their confirmation.
    """
    from dialog.accessibility.services import purge_feedback
    from dialog.common.clock import now_utc
    from dialog.events import services
    from dialog.notifications import services as notifications

    now = now_utc()
    report = services.purge_personal_data(now, current_app.config["EVENT_DATA_RETENTION_DAYS"])
    feedback = purge_feedback(now, current_app.config["FEEDBACK_RETENTION_DAYS"])
    addresses = notifications.purge(now)
    db.session.commit()
    click.echo(
        f"Purged: support needs of {report.support_needs} registrations; personal data of "
        f"{report.anonymised} registrations and {report.applications} applications; "
        f"{feedback} accessibility feedback messages; {addresses} addresses for "
        "notifications about results."
    )


def _values(enum_cls) -> list[str]:
    return [member.value for member in enum_cls]


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["parquet", "csv", "csv-excel", "xlsx", "jsonl"]),
    default="parquet",
    show_default=True,
    help="parquet, csv (RFC 4180), csv-excel (BOM, semicolons), xlsx or jsonl.",
)
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="The zip to write.")
@click.option("--process", "process_slug", help="Only this process (its slug).")
@click.option("--theme-field", "theme_slugs", multiple=True, help="Theme field slug; repeat.")
@click.option("--question", "question_ids", multiple=True, type=int, help="Question id; repeat.")
@click.option("--status", "statuses", multiple=True, type=click.Choice(_values(AnswerStatus)))
@click.option("--channel", "channels", multiple=True, type=click.Choice(_values(Channel)))
@click.option(
    "--perspective", "perspectives", multiple=True, type=click.Choice(_values(Perspective))
)
@click.option(
    "--bundesland",
    "bundeslaender",
    multiple=True,
    type=click.Choice(_values(Bundesland), case_sensitive=False),
)
@click.option("--event", "event_ids", multiple=True, type=int, help="Event id; repeat.")
@click.option("--from", "received_from", type=click.DateTime(["%Y-%m-%d"]), help="Received from.")
@click.option("--to", "received_to", type=click.DateTime(["%Y-%m-%d"]), help="Received until.")
def export_command(fmt: str, out: str, process_slug: str | None, **filters) -> None:
    """Export answers and their coding as one zip: a file per table, datapackage.json and a
    manifest with row counts and SHA-256 of every file. Streams in batches; audit-logged."""
    from dialog.export.cli import run_export

    run_export(fmt, out, process_slug, **filters)


@click.command("import-answers")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--process", "process_slug", help="The process (its slug); default: the only or featured one."
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read FIELD from the file's COLUMN, e.g. --map text=Beitrag; repeat.",
)
@click.option(
    "--channel",
    "default_channel",
    help="Channel of rows without one (e.g. letter or Brief); needed when there is no column.",
)
@click.option("--dry-run", is_flag=True, help="Check every row, store nothing.")
@click.option("--force", is_flag=True, help="Import a file even if it was imported before.")
@click.option("--note", default="", help="Note stored with the batch, e.g. where the file is from.")
def import_answers_command(
    file: str,
    process_slug: str | None,
    mapping: tuple[str, ...],
    default_channel: str | None,
    dry_run: bool,
    force: bool,
    note: str,
) -> None:
    """Import answers from other channels: a CSV (UTF-8, comma or semicolon) or XLSX file,
    one answer per row. Every row is checked first; with any error nothing is imported.

    Columns (English or German names): theme_field/Themenfeld, question/Leitfrage, text/Text,
    received_on/Datum, channel/Eingangsweg; optional ref, perspective/Perspektive,
    bundesland/Bundesland, age_band/Altersgruppe, publication_consent/Veröffentlichung,
    status/Status. Other columns are ignored.
    """
    from dialog.imports.cli import run_import

    run_import(
        file, process_slug, mapping, default_channel, dry_run=dry_run, force=force, note=note
    )


@click.command("find-campaigns")
@click.option("--process", "process_slug", help="Only this process (its slug); default: all.")
def find_campaigns_command(process_slug: str | None) -> None:
    """Find possible campaigns (groups of near-copies) and flag empty answers, spam and abuse,
    and detect each answer's language. Groups analysts have reviewed keep their answers; the
    others are replaced by what is found now. Audit-logged."""
    from dialog.quality.cli import run_find_campaigns

    run_find_campaigns(process_slug)
