"""`flask export`: the dataset export from the command line, for selections of any size."""

from __future__ import annotations

import hashlib
from pathlib import Path

import click
import sqlalchemy as sa

from dialog.answers.rules import AnswerStatus, Channel, Perspective
from dialog.common.regions import Bundesland
from dialog.export.services import ExportFilters, ExportFormat, ExportTooLarge, write_export
from dialog.extensions import db
from dialog.process.models import Process, ThemeField


def _process_id(slug: str | None) -> int | None:
    if slug is None:
        return None
    process_id = db.session.scalar(sa.select(Process.id).where(Process.slug == slug))
    if process_id is None:
        raise click.BadParameter(f"no process {slug!r}", param_hint="--process")
    return process_id


def _theme_ids(slugs: tuple[str, ...], process_id: int | None) -> tuple[int, ...]:
    ids = []
    for slug in slugs:
        select = sa.select(ThemeField.id).where(ThemeField.slug == slug)
        if process_id is not None:
            select = select.where(ThemeField.process_id == process_id)
        found = list(db.session.scalars(select))
        if not found:
            raise click.BadParameter(f"no theme field {slug!r}", param_hint="--theme-field")
        ids.extend(found)
    return tuple(ids)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def run_export(fmt: str, out: str, process_slug: str | None, **options) -> None:
    process_id = _process_id(process_slug)
    filters = ExportFilters(
        process_id=process_id,
        theme_field_ids=_theme_ids(options["theme_slugs"], process_id),
        question_ids=tuple(options["question_ids"]),
        statuses=tuple(AnswerStatus(s) for s in options["statuses"]),
        channels=tuple(Channel(c) for c in options["channels"]),
        perspectives=tuple(Perspective(p) for p in options["perspectives"]),
        bundeslaender=tuple(_bundesland(b) for b in options["bundeslaender"]),
        event_ids=tuple(options["event_ids"]),
        received_from=options["received_from"] and options["received_from"].date(),
        received_to=options["received_to"] and options["received_to"].date(),
    )
    path = Path(out)
    try:
        manifest = write_export(path, ExportFormat(fmt), filters, actor=None)
    except ExportTooLarge as error:
        raise click.ClickException(error.message) from None
    db.session.commit()  # the audit entry
    for name, rows in manifest.rows.items():
        click.echo(f"{name}: {rows} rows")
    click.echo(f"Wrote {path} (SHA-256 {_sha256(path)}).")


def _bundesland(value: str) -> Bundesland:
    code = value.upper() if value.lower() != Bundesland.ABROAD.value else value.lower()
    return Bundesland(code)
