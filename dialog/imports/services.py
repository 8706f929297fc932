"""Checking an import file against a process, and storing its rows as contributions.

Each row becomes a submission (with its profile, channel, day and consent) with one answer,
as an offline contribution entered by staff would. Services flush but never commit; the
command commits once, so that a file is imported whole or not at all.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import force_locale, format_datetime

from dialog.answers import labels, search
from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AgeBand, AnswerStatus, Channel, Perspective
from dialog.common import audit
from dialog.common.clock import now_utc, today_local
from dialog.common.regions import BUNDESLAND_LABELS, Bundesland
from dialog.common.sanitize import plain_text
from dialog.extensions import db
from dialog.imports.models import AnswerImport
from dialog.imports.reader import UnreadableFile, read_table
from dialog.imports.rules import (
    CellError,
    ImportRow,
    QuestionInfo,
    RowContext,
    ThemeInfo,
    Vocabularies,
    check_rows,
    counted,
    parse_mapping,
    plan_columns,
    vocabulary,
)
from dialog.process.models import Process, ThemeField

COMMAND = "flask import-answers"
CHUNK_ROWS = 5_000  # rows per pair of INSERTs: bounded memory for files of any length

_INSERT_SUBMISSIONS = sa.insert(Submission.__table__)
_INSERT_ANSWERS = sa.insert(Answer.__table__)


class ImportRefused(ValueError):
    """The import cannot start (e.g. which process is meant is unclear); German message."""

    @property
    def message(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class ImportCheck:
    """What a file would import into a process, or every reason why it cannot."""

    file_name: str
    sha256: str
    ignored_columns: tuple[str, ...]
    problems: tuple[str, ...]  # about the file as a whole, then per row in file order
    rows: tuple[ImportRow, ...]
    rows_with_errors: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def choose_process(slug: str | None) -> Process:
    """The process named by `slug`; without one, the only process or the featured one."""
    processes = list(db.session.scalars(sa.select(Process).order_by(Process.id)))
    slugs = ", ".join(p.slug for p in processes)
    if slug is not None:
        found = next((p for p in processes if p.slug == slug), None)
        if found is None:
            raise ImportRefused(f"Es gibt keinen Prozess „{slug}“ (vorhanden: {slugs or '–'})")
        return found
    if not processes:
        raise ImportRefused("Es gibt noch keinen Prozess, in den importiert werden könnte")
    featured = [p for p in processes if p.featured]
    if len(processes) == 1:
        return processes[0]
    if len(featured) == 1:
        return featured[0]
    raise ImportRefused(f"Mehrere Prozesse kommen in Frage ({slugs}); bitte mit --process wählen")


def vocabularies() -> Vocabularies:
    """The accepted words for coded values: stored values, German labels, a few synonyms."""
    with force_locale("de"):
        german = {
            name: {member: str(label) for member, label in mapping.items()}
            for name, mapping in labels.ALL.items()
        }
        states = {state: str(name) for state, name in BUNDESLAND_LABELS.items()}
    short_states = {s.value.removeprefix("DE-"): s for s in Bundesland if s != Bundesland.ABROAD}
    bands = {b.value.replace("_", sep): b for b in AgeBand for sep in ("-", "–", " bis ")}
    return Vocabularies(
        channel=vocabulary(
            Channel,
            german["channel"],
            {
                "Online": Channel.ONLINE,
                "Dialoginsel": Channel.DIALOGUE_ISLAND,
                "Post": Channel.LETTER,
                "Mail": Channel.EMAIL,
                "Sonstiges": Channel.OTHER,
            },
        ),
        perspective=vocabulary(Perspective, german["perspective"]),
        bundesland=vocabulary(Bundesland, states, {**short_states, "Ausland": Bundesland.ABROAD}),
        age_band=vocabulary(
            AgeBand,
            german["age_band"],
            {**bands, "unter 25": AgeBand.UNDER_25, "65+": AgeBand.FROM_65},
        ),
        status=vocabulary(AnswerStatus, german["status"]),
    )


def theme_infos(process: Process) -> list[ThemeInfo]:
    return [
        ThemeInfo(
            id=theme.id,
            slug=theme.slug,
            title=theme.title,
            questions=tuple(QuestionInfo(q.id, q.text) for q in theme.active_questions),
        )
        for theme in process.theme_fields
    ]


def check_file(
    process: Process,
    file_name: str,
    content: bytes,
    *,
    mapping: tuple[str, ...] = (),
    default_channel: str | None = None,
    force: bool = False,
) -> ImportCheck:
    """Read and check every row of the file (CSV or XLSX) against the process.

    `mapping` holds `field=Column` items (`--map`); `default_channel` is the channel of rows
    without one. Unless `force`, a file already imported into the process is refused.
    """
    sha256 = hashlib.sha256(content).hexdigest()
    columns, problems = parse_mapping(mapping)
    words = vocabularies()
    channel = None
    if default_channel is not None:
        try:
            channel = words.channel(default_channel)
        except CellError as error:
            problems.append(f"--channel: {error.message}")

    def refused(ignored: tuple[str, ...] = ()) -> ImportCheck:
        return ImportCheck(file_name, sha256, ignored, tuple(problems), ())

    try:
        table = read_table(content)
    except UnreadableFile as error:
        problems.append(error.message)
        return refused()
    plan = plan_columns(table.header, columns, default_channel=default_channel is not None)
    problems.extend(plan.problems)
    if problems:
        return refused(plan.ignored)
    if not force and (earlier := _earlier_import(process, sha256)) is not None:
        with force_locale("de"):
            at = format_datetime(earlier.imported_at, "dd.MM.yyyy HH:mm")
        answers = counted(earlier.row_count, "Antwort", "Antworten")
        problems.append(
            f"Diese Datei wurde schon importiert (Import {earlier.id} am {at}, {answers}); "
            "--force importiert sie noch einmal"
        )
    context = RowContext(theme_infos(process), words, today_local(), plain_text, channel)
    checked = check_rows(table.rows, plan, context)
    if not checked.rows and not checked.errors:
        problems.append("Die Datei enthält keine Antworten, nur die Kopfzeile")
    problems.extend(str(error) for error in checked.errors)
    return ImportCheck(
        file_name,
        sha256,
        plan.ignored,
        tuple(problems),
        tuple(checked.rows),
        checked.rows_with_errors,
    )


def _earlier_import(process: Process, sha256: str) -> AnswerImport | None:
    return db.session.scalar(
        sa.select(AnswerImport)
        .where(AnswerImport.process_id == process.id, AnswerImport.sha256 == sha256)
        .order_by(AnswerImport.id)
        .limit(1)
    )


def counts_by_theme(process: Process, rows: tuple[ImportRow, ...]) -> list[tuple[ThemeField, int]]:
    """How many of `rows` go to each theme field of the process, in the process's order."""
    counts = Counter(row.theme_field_id for row in rows)
    return [(theme, counts[theme.id]) for theme in process.theme_fields if counts[theme.id]]


def store(actor, process: Process, check: ImportCheck, *, note: str = "") -> AnswerImport:
    """Store the rows of a checked file as one batch: a submission and an answer per row.

    Plain multi-row INSERTs with ids drawn beforehand (a 10,000-row file takes seconds);
    published answers go into the search index. Audit-logged; the caller commits.
    """
    if not check.ok:
        raise ValueError("an import with problems cannot be stored")
    note = " – ".join(filter(None, [COMMAND if actor is None else "", note.strip()]))
    batch = AnswerImport(
        process_id=process.id,
        file_name=check.file_name[:255],
        sha256=check.sha256,
        row_count=len(check.rows),
        actor_id=getattr(actor, "id", None),
        note=note[:200],
    )
    db.session.add(batch)
    db.session.flush()  # the batch's INSERT also takes SQLite's write lock (see _new_ids)
    connection = db.session.connection()
    now = now_utc()
    for start in range(0, len(check.rows), CHUNK_ROWS):
        rows = check.rows[start : start + CHUNK_ROWS]
        submission_ids = _new_ids(Submission.__table__, len(rows))
        answer_ids = _new_ids(Answer.__table__, len(rows))
        connection.execute(
            _INSERT_SUBMISSIONS,
            [
                {
                    "id": submission_id,
                    "theme_field_id": row.theme_field_id,
                    "channel": row.channel,
                    "received_on": row.received_on,
                    "perspective": row.perspective,
                    "bundesland": row.bundesland,
                    "age_band": row.age_band,
                    "publication_consent": row.publication_consent,
                    "entered_by_id": batch.actor_id,
                    "import_batch_id": batch.id,
                    "import_ref": row.ref,
                }
                for submission_id, row in zip(submission_ids, rows, strict=True)
            ],
        )
        connection.execute(
            _INSERT_ANSWERS,
            [
                {
                    "id": answer_id,
                    "submission_id": submission_id,
                    "question_id": row.question_id,
                    "theme_field_id": row.theme_field_id,
                    "perspective": row.perspective,
                    "bundesland": row.bundesland,
                    "text": row.text,
                    "status": row.status,
                    "moderated_at": None if row.status == AnswerStatus.PENDING else now,
                    "published_at": now if row.status == AnswerStatus.PUBLISHED else None,
                }
                for answer_id, submission_id, row in zip(
                    answer_ids, submission_ids, rows, strict=True
                )
            ],
        )
        search.index_many(
            [
                (answer_id, row.text)
                for answer_id, row in zip(answer_ids, rows, strict=True)
                if row.status == AnswerStatus.PUBLISHED
            ]
        )
    per_theme = {theme.slug: n for theme, n in counts_by_theme(process, check.rows)}
    audit.record(
        actor,
        "answer_import.create",
        batch,
        {
            "process_id": [None, process.id],
            "file_name": [None, batch.file_name],
            "sha256": [None, batch.sha256],
            "rows": [None, batch.row_count],
            "theme_fields": [None, per_theme],
            "note": [None, batch.note],
        },
    )
    return batch


def _new_ids(table: sa.Table, count: int) -> list[int]:
    """`count` unused ids of `table`, in ascending order, safe beside concurrent inserts."""
    if db.session.get_bind().dialect.name == "postgresql":
        drawn = db.session.scalars(
            sa.text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": table.name, "n": count},
        )
        return sorted(drawn)
    # SQLite: this transaction holds the database's write lock since its first INSERT, so no
    # other writer can take these ids before the commit.
    start = (db.session.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1
    return list(range(start, start + count))
