"""`flask import-answers`: answers from other channels (letters, e-mail, an earlier platform)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import NoReturn

import click
from flask_babel import force_locale

from dialog.answers import labels
from dialog.answers.rules import AnswerStatus
from dialog.extensions import db
from dialog.imports import services
from dialog.imports.rules import counted, number


def run_import(
    path: str,
    process_slug: str | None,
    mapping: tuple[str, ...],
    default_channel: str | None,
    *,
    dry_run: bool,
    force: bool,
    note: str,
) -> None:
    try:
        process = services.choose_process(process_slug)
    except services.ImportRefused as error:
        _fail([error.message])
    file = Path(path)
    check = services.check_file(
        process,
        file.name,
        file.read_bytes(),
        mapping=mapping,
        default_channel=default_channel,
        force=force,
    )
    if check.ignored_columns:
        names = ", ".join(f"„{name}“" for name in check.ignored_columns)
        click.echo(f"Hinweis: diese Spalten werden nicht importiert: {names}")
    if not check.ok:
        errors = number(len(check.problems))
        rows = check.rows_with_errors
        where = f" in {counted(rows, 'Zeile', 'Zeilen')}" if rows else ""
        _fail([*check.problems, f"Nichts importiert: {errors} Fehler{where}."])
    per_theme = services.counts_by_theme(process, check.rows)
    answers = counted(len(check.rows), "Antwort", "Antworten")
    if dry_run:
        click.echo(
            f"Geprüft, ohne Fehler: {answers} aus „{file.name}“ könnten in den Prozess "
            f"„{process.slug}“ importiert werden (--dry-run: nichts gespeichert)."
        )
    else:
        batch = services.store(None, process, check, note=note)
        db.session.commit()
        click.echo(
            f"Import {batch.id}: {answers} aus „{file.name}“ in den Prozess "
            f"„{process.slug}“ importiert."
        )
    for theme, count in per_theme:
        click.echo(f"  {theme.title} ({theme.slug}): {number(count)}")
    statuses = Counter(row.status for row in check.rows)
    with force_locale("de"):
        parts = [f"{number(statuses[s])} {labels.STATUS[s]}" for s in AnswerStatus if statuses[s]]
    click.echo(f"  Status: {'; '.join(parts)}")


def _fail(lines: list[str]) -> NoReturn:
    for line in lines:
        click.echo(line, err=True)
    raise click.exceptions.Exit(1)
