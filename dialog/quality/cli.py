"""`flask find-campaigns`: campaign groups, flags and languages of every answer of a process."""

from __future__ import annotations

from typing import NoReturn

import click
import sqlalchemy as sa
from babel.numbers import format_decimal

from dialog.extensions import db
from dialog.health.services import database_revisions, migration_heads
from dialog.process.models import Process
from dialog.quality import services
from dialog.quality.rules import FlagKind

FLAG_NAMES = {FlagKind.EMPTY: "leer", FlagKind.SPAM: "Spam", FlagKind.ABUSE: "Beleidigung/Angriff"}


def number(value: int) -> str:
    return format_decimal(value, locale="de")


def run_find_campaigns(process_slug: str | None) -> None:
    revisions = database_revisions()
    if revisions is None:
        _fail("Die Datenbank ist nicht erreichbar (DATABASE_URL prüfen).")
    if set(revisions) != set(migration_heads()):
        _fail(
            "Die Datenbank ist nicht auf dem Stand dieser Version: bitte zuerst "
            "„flask db upgrade“ ausführen."
        )
    processes = list(db.session.scalars(sa.select(Process).order_by(Process.id)))
    if process_slug is not None:
        chosen = [p for p in processes if p.slug == process_slug]
        if not chosen:
            slugs = ", ".join(p.slug for p in processes) or "–"
            _fail(f"Es gibt keinen Prozess „{process_slug}“ (vorhanden: {slugs}).")
        processes = chosen
    for process in processes:
        try:
            found = services.detect(None, process)
        except services.DetectionConflict:
            db.session.rollback()
            _fail(
                f"Prozess „{process.slug}“: Während der Berechnung wurden Kampagnengruppen "
                "geprüft oder neu berechnet; nichts gespeichert. Bitte noch einmal ausführen."
            )
        db.session.commit()
        _report(process, found)


def _report(process: Process, found: services.Detection) -> None:
    from analysis.language import label

    click.echo(f"Prozess „{process.slug}“: {number(found.answers)} Antworten geprüft.")
    click.echo(
        f"  Mögliche Kampagnen: {number(found.groups)} vorgeschlagene Gruppen mit "
        f"{number(found.grouped)} Antworten; {number(found.reviewed_groups)} geprüfte "
        "Gruppen unverändert."
    )
    flags = ", ".join(f"{number(found.flagged[k])} {name}" for k, name in FLAG_NAMES.items())
    click.echo(f"  Hinweise: {flags}.")
    if found.languages:
        languages = ", ".join(
            f"{label(code)} {number(count)}" for code, count in found.languages.most_common()
        )
        click.echo(f"  Sprachen: {languages}.")
    click.echo(f"  Geändert: {number(found.changed)} Antworten.")


def _fail(line: str) -> NoReturn:
    click.echo(line, err=True)
    raise click.exceptions.Exit(1)
