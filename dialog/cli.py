"""Flask commands: `flask seed`, `flask create-user`."""

from __future__ import annotations

import click
from flask import Flask, current_app

from dialog.common.permissions import Role
from dialog.extensions import db


def register_commands(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(generate_answers_command)


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
def seed_command(dates: str | None, demo_users: bool) -> None:
    """Load the Mission Fachkraft demo content (idempotent: only what is missing is created)."""
    from dialog.seed import DEMO_PASSWORD, seed, seed_demo_users

    if demo_users and not current_app.config["DEMO_MODE"]:
        raise click.ClickException("--demo-users is refused outside demo mode (DIALOG_ENV).")
    created = seed(dates=dates)
    if demo_users:
        created["demo users"] = len(seed_demo_users())
    db.session.commit()
    summary = ", ".join(f"{n} {kind}" for kind, n in created.items() if n) or "nothing new"
    click.echo(f"Seeded: {summary}." + (f" Phase dates set to {dates}." if dates else ""))
    if demo_users:
        click.echo(
            "Demo accounts (password "
            f"{DEMO_PASSWORD!r}): admin@demo.example.org, moderation@demo.example.org, "
            "analyse@demo.example.org"
        )


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
