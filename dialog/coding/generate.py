"""Synthetic coding in bulk, for benchmarks and demos (`flask generate-codings`).

A codebook of two levels per theme field, `per_answer` shared code assignments for every answer
of the process that has none yet, notes and ratings for about 5 % of the answers (marked as
proposals), and two double-coding samples. Assignments, notes and ratings are written with
set-based INSERT … SELECT statements (the choice of codes is a hash of the answer id), so that
millions of rows take seconds, not an hour; running it again only adds what is missing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from dialog.answers.models import Answer
from dialog.coding.models import (
    AnswerAnnotation,
    Code,
    CodeAssignment,
    CodingSample,
    CodingSampleAnswer,
    Rating,
)
from dialog.coding.rules import draw_sample
from dialog.common.clock import now_utc
from dialog.common.permissions import Role
from dialog.extensions import db
from dialog.process.models import Process, ThemeField
from dialog.recommendations import figures

# One tree per theme field (in theme field order; used again with a number beyond the fourth):
# two top-level codes with four sub-codes each, ten codes per theme field.
CODEBOOK: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = (
    (
        (
            "Vereinbarkeit von Familie und Beruf",
            (
                "Kinderbetreuung",
                "Pflege von Angehörigen",
                "Flexible Arbeitszeiten",
                "Wechsel zwischen Teilzeit und Vollzeit",
            ),
        ),
        (
            "Teilhabe am Arbeitsmarkt",
            (
                "Anerkennung ausländischer Abschlüsse",
                "Inklusion und Barrierefreiheit",
                "Ältere Beschäftigte",
                "Sprachförderung",
            ),
        ),
    ),
    (
        (
            "Digitaler und ökologischer Wandel",
            (
                "Digitale Werkzeuge",
                "Mobiles Arbeiten",
                "Künstliche Intelligenz",
                "Neue Berufe im Klimaschutz",
            ),
        ),
        (
            "Attraktivität von Berufen",
            (
                "Bezahlung und Tarifbindung",
                "Dienstpläne und Arbeitszeiten",
                "Wertschätzung",
                "Aufstiegsmöglichkeiten",
            ),
        ),
    ),
    (
        (
            "Aus- und Weiterbildung",
            (
                "Berufliche Ausbildung",
                "Weiterbildung während der Arbeitszeit",
                "Teilzeitausbildung",
                "Förderprogramme für Betriebe",
            ),
        ),
        (
            "Schule und Berufsorientierung",
            (
                "Berufsorientierung",
                "Ausstattung der Berufsschulen",
                "Lehrkräfte",
                "Mentoring",
            ),
        ),
    ),
    (
        (
            "Arbeitsbedingungen",
            (
                "Gesundheitsschutz",
                "Befristete Verträge",
                "Arbeitszeitkonten",
                "Wohnen und Mobilität",
            ),
        ),
        (
            "Mitbestimmung und Führung",
            (
                "Betriebliche Mitbestimmung",
                "Frauen in Führungspositionen",
                "Unternehmenskultur",
                "Bürokratie",
            ),
        ),
    ),
)
CODES_PER_THEME = 10  # each tree: 2 top-level codes + 8 sub-codes
STEPS = (3, 7)  # coprime to CODES_PER_THEME: an answer's codes are always distinct
CODER_EMAILS = ("kodierung-a@generated.invalid", "kodierung-b@generated.invalid")
PROPOSAL_EVERY = 20  # about 5 % of the answers are proposals, rated by both coders
SAMPLES = (("Doppelkodierung 1 (generiert)", 1.0), ("Doppelkodierung 2 (generiert)", 0.5))


@dataclass
class Generated:
    """What one run added."""

    codes: int = 0
    assignments: int = 0
    proposals: int = 0
    ratings: int = 0
    samples: int = 0
    sample_answers: int = 0
    sample_assignments: int = 0


def generate_codings(
    process_slug: str,
    *,
    per_answer: int = 2,
    seed: int = 1,
    samples: tuple[tuple[str, float], ...] = SAMPLES,
) -> Generated:
    """Code the process's answers synthetically; only what is missing is added.

    `per_answer` (1–10) distinct codes of the answer's theme field go to every answer without
    shared codes. The two coders are inactive generated analyst accounts that cannot log in.
    `samples` are the double-coding samples drawn once per process: (name, percent).
    """
    if not 1 <= per_answer <= CODES_PER_THEME:
        raise ValueError(f"per_answer must be between 1 and {CODES_PER_THEME}")
    process = db.session.scalar(sa.select(Process).where(Process.slug == process_slug))
    if process is None:
        raise ValueError(f"unknown process {process_slug!r}")
    made = Generated()
    coders = _coders()
    slots, made.codes = _codebook(process)
    if not slots:
        return made
    now = now_utc()
    figures.mark_stale(process_id=process.id)
    made.assignments = _assign(slots, per_answer, seed, coders, now)
    made.proposals, made.ratings = _proposals_and_ratings(process, seed, coders, now)
    made.samples, made.sample_answers, made.sample_assignments = _samples(
        process, slots, per_answer, seed, coders, now, samples
    )
    return made


def _coders() -> tuple[int, int]:
    """The ids of the two generated coders, created (inactive, unknown password) if missing."""
    from dialog.accounts.services import create_user, find_user

    ids = []
    for letter, email in zip("AB", CODER_EMAILS, strict=True):
        user = find_user(email)
        if user is None:
            user = create_user(
                None,
                email,
                secrets.token_urlsafe(32),
                {Role.ANALYST},
                name=f"Kodierung {letter} (generiert)",
            )
            user.active = False
            db.session.flush()
        ids.append(user.id)
    return ids[0], ids[1]


def _codebook(process: Process) -> tuple[list[tuple[int, int, int]], int]:
    """Create the missing codes; returns (theme_field_id, slot, code_id) rows and codes made."""
    existing = {
        code.label: code
        for code in db.session.scalars(sa.select(Code).where(Code.process_id == process.id))
    }
    themes = db.session.scalars(
        sa.select(ThemeField)
        .where(ThemeField.process_id == process.id)
        .order_by(ThemeField.position, ThemeField.id)
    ).all()
    slots: list[tuple[int, int, int]] = []
    created = 0

    def code(label: str, theme: ThemeField, parent: Code | None) -> Code:
        nonlocal created
        found = existing.get(label)
        if found is None:
            found = Code(
                process_id=process.id,
                theme_field_id=theme.id,
                parent_id=parent.id if parent else None,
                label=label,
                description=f"Generierter Code für {theme.title}.",
            )
            db.session.add(found)
            db.session.flush()
            existing[label] = found
            created += 1
        slots.append((theme.id, len(slots) % CODES_PER_THEME, found.id))
        return found

    for index, theme in enumerate(themes):
        suffix = f" ({index // len(CODEBOOK) + 1})" if index >= len(CODEBOOK) else ""
        for parent_label, child_labels in CODEBOOK[index % len(CODEBOOK)]:
            parent = code(parent_label + suffix, theme, None)
            for child_label in child_labels:
                code(child_label + suffix, theme, parent)
    return slots, created


def _hash(column: sa.ColumnElement[int], multiplier: int, seed: int) -> sa.ColumnElement[int]:
    """A portable integer hash of an id, 0 … 65535: the high bits of a multiplicative hash.

    BIGINT arithmetic and integer division behave alike on both databases.
    """
    mixed = (sa.cast(column, sa.BigInteger) * multiplier + seed * 7919) % 4294967296
    return mixed // 65536


def _insert(model: type[db.Model], columns: list[str], rows: sa.Select) -> int:
    """INSERT … SELECT; returns the number of rows inserted."""
    statement = sa.insert(model).from_select(columns, rows)
    return db.session.execute(statement, execution_options={"preserve_rowcount": True}).rowcount


def _literal_rows(name: str, columns: tuple[str, ...], rows: list[tuple[int, ...]]) -> sa.Subquery:
    """A derived table of constant integer rows (SQLite names no VALUES columns; a CTE
    would lead the INSERT, and the driver then reports no row count)."""
    selects = [
        sa.select(*(sa.literal(v, sa.Integer).label(c) for c, v in zip(columns, row, strict=True)))
        for row in rows
    ]
    return sa.union_all(*selects).subquery(name)


def _slot_join(
    slots: list[tuple[int, int, int]],
    answer_id: sa.ColumnElement[int],
    theme_field_id: sa.ColumnElement[int],
    per_answer: int,
    step: sa.ColumnElement[int],
    seed: int,
):
    """(slot table, pick table, join condition): the answer's `per_answer` codes, distinct."""
    slot = _literal_rows("gen_slots", ("theme_field_id", "slot", "code_id"), slots)
    pick = _literal_rows("gen_picks", ("j",), [(j,) for j in range(per_answer)])
    chosen = (_hash(answer_id, 2654435761, seed) + pick.c.j * step) % CODES_PER_THEME
    return slot, pick, sa.and_(slot.c.theme_field_id == theme_field_id, slot.c.slot == chosen)


def _assign(
    slots: list[tuple[int, int, int]], per_answer: int, seed: int, coders: tuple[int, int], now
) -> int:
    """Shared assignments for every answer of the codebook's theme fields that has none."""
    answer = sa.select(Answer.id, Answer.theme_field_id).subquery("a")
    slot, pick, on = _slot_join(
        slots, answer.c.id, answer.c.theme_field_id, per_answer, sa.literal(STEPS[0]), seed
    )
    coded = sa.exists().where(
        CodeAssignment.answer_id == answer.c.id, CodeAssignment.sample_id.is_(None)
    )
    coder = sa.case((answer.c.id % 2 == 0, coders[0]), else_=coders[1])
    rows = (
        sa.select(
            answer.c.id,
            slot.c.code_id,
            slot.c.code_id,
            coder,
            sa.literal(now, CodeAssignment.assigned_at.type),
        )
        .select_from(answer.join(pick, sa.true()).join(slot, on))
        .where(~coded)
    )
    columns = ["answer_id", "code_id", "original_code_id", "coder_id", "assigned_at"]
    return _insert(CodeAssignment, columns, rows)


def _proposals_and_ratings(
    process: Process, seed: int, coders: tuple[int, int], now
) -> tuple[int, int]:
    """Mark about 5 % of the answers as proposals with a note; both coders rate each of them."""
    in_process = sa.select(ThemeField.id).where(ThemeField.process_id == process.id)
    chosen = sa.and_(
        Answer.theme_field_id.in_(in_process),
        _hash(Answer.id, 2246822519, seed) % PROPOSAL_EVERY == 0,
        ~sa.exists().where(AnswerAnnotation.answer_id == Answer.id),
    )
    annotations = sa.select(
        Answer.id,
        sa.literal("Konkreter Vorschlag (generiert).", sa.Text),
        sa.true(),
        sa.literal(now, AnswerAnnotation.updated_at.type),
        sa.literal(coders[0], sa.Integer),
    ).where(chosen)
    proposals = _insert(
        AnswerAnnotation,
        ["answer_id", "note", "is_proposal", "updated_at", "updated_by_id"],
        annotations,
    )
    ratings = 0
    for number, rater in enumerate(coders):
        scale = sa.literal(5, sa.Integer)
        rows = (
            sa.select(
                AnswerAnnotation.answer_id,
                sa.literal(rater, sa.Integer),
                1 + _hash(AnswerAnnotation.answer_id, 3266489917 + 2 * number, seed) % scale,
                1 + _hash(AnswerAnnotation.answer_id, 668265263 + 2 * number, seed) % scale,
                sa.literal(now, Rating.rated_at.type),
            )
            .join(Answer, Answer.id == AnswerAnnotation.answer_id)
            .where(
                Answer.theme_field_id.in_(in_process),
                AnswerAnnotation.is_proposal.is_(True),
                ~sa.exists().where(
                    Rating.answer_id == AnswerAnnotation.answer_id, Rating.rater_id == rater
                ),
            )
        )
        ratings += _insert(
            Rating, ["answer_id", "rater_id", "effectiveness", "feasibility", "rated_at"], rows
        )
    return proposals, ratings


def _samples(
    process: Process,
    slots: list[tuple[int, int, int]],
    per_answer: int,
    seed: int,
    coders: tuple[int, int],
    now,
    wanted: tuple[tuple[str, float], ...],
) -> tuple[int, int, int]:
    """The double-coding samples, once per process; each coder codes every sampled answer.

    Coder A picks like the shared coding; coder B agrees on the first code and, for about
    half of the answers, on the others too.
    """
    if db.session.scalar(sa.select(CodingSample.id).where(CodingSample.process_id == process.id)):
        return 0, 0, 0
    in_process = sa.select(ThemeField.id).where(ThemeField.process_id == process.id)
    answer_ids = db.session.scalars(
        sa.select(Answer.id).where(Answer.theme_field_id.in_(in_process))
    ).all()
    samples = sample_answers = assignments = 0
    for number, (name, percent) in enumerate(wanted):
        drawn = draw_sample(answer_ids, percent, seed + number)
        if not drawn:
            continue
        sample = CodingSample(
            process_id=process.id,
            name=name,
            percent=percent,
            seed=seed + number,
            filters={},
            coder_a_id=coders[0],
            coder_b_id=coders[1],
            created_at=now,
        )
        db.session.add(sample)
        db.session.flush()
        db.session.execute(
            sa.insert(CodingSampleAnswer),
            [{"sample_id": sample.id, "answer_id": answer_id} for answer_id in drawn],
        )
        samples += 1
        sample_answers += len(drawn)
        for coder, agrees_often in zip(coders, (True, False), strict=True):
            assignments += _assign_sample(
                sample.id, slots, per_answer, seed, coder, agrees_often, now
            )
    return samples, sample_answers, assignments


def _assign_sample(
    sample_id: int,
    slots: list[tuple[int, int, int]],
    per_answer: int,
    seed: int,
    coder: int,
    same_as_shared: bool,
    now,
) -> int:
    drawn = (
        sa.select(Answer.id, Answer.theme_field_id)
        .join(CodingSampleAnswer, CodingSampleAnswer.answer_id == Answer.id)
        .where(CodingSampleAnswer.sample_id == sample_id)
        .subquery("a")
    )
    step = (
        sa.literal(STEPS[0], sa.Integer)
        if same_as_shared
        else sa.case((_hash(drawn.c.id, 374761393, seed) % 2 == 0, STEPS[0]), else_=STEPS[1])
    )
    slot, pick, on = _slot_join(slots, drawn.c.id, drawn.c.theme_field_id, per_answer, step, seed)
    rows = sa.select(
        drawn.c.id,
        slot.c.code_id,
        slot.c.code_id,
        sa.literal(coder, sa.Integer),
        sa.literal(sample_id, sa.Integer),
        sa.literal(now, CodeAssignment.assigned_at.type),
    ).select_from(drawn.join(pick, sa.true()).join(slot, on))
    columns = ["answer_id", "code_id", "original_code_id", "coder_id", "sample_id", "assigned_at"]
    return _insert(CodeAssignment, columns, rows)
