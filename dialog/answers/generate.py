"""Synthetic answers in bulk, for benchmarks and load tests (`flask generate-answers`)."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from dialog.answers import search, synthetic
from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AgeBand, AnswerStatus, Channel, Perspective
from dialog.common.clock import now_utc, today_local
from dialog.common.regions import Bundesland
from dialog.extensions import db
from dialog.process.models import Process


def generate_answers(
    count: int, process_slug: str, *, seed: int = 1, batch: int = 10_000, days: int = 120
) -> int:
    """Add `count` answers (two per submission, about 80 % published), received within the
    last `days` days, to a process.

    Rows are inserted in batches with the database's bulk path; the search index is filled
    for the published ones. Returns the number of answers added.
    """
    rng = random.Random(seed)  # nosec B311 # noqa: S311 - synthetic data, reproducible on purpose
    process = db.session.scalar(sa.select(Process).where(Process.slug == process_slug))
    if process is None:
        raise ValueError(f"unknown process {process_slug!r}")
    themes = [(t.id, [q.id for q in t.active_questions]) for t in process.theme_fields]
    themes = [(tid, qs) for tid, qs in themes if qs]
    next_submission = (db.session.scalar(sa.select(sa.func.max(Submission.id))) or 0) + 1
    next_answer = (db.session.scalar(sa.select(sa.func.max(Answer.id))) or 0) + 1
    statuses = (
        [AnswerStatus.PUBLISHED] * 16
        + [AnswerStatus.PENDING] * 2
        + [
            AnswerStatus.INTERNAL,
            AnswerStatus.REJECTED,
        ]
    )
    now, today = now_utc(), today_local()
    made = 0
    while made < count:
        submissions, answers, searchable = [], [], []
        while len(answers) < batch and made + len(answers) < count:
            theme_id, question_ids = rng.choice(themes)
            consent = rng.random() < 0.9
            perspective = rng.choice([None, *Perspective])
            bundesland = rng.choice([None, *Bundesland])
            submissions.append(
                {
                    "id": next_submission,
                    "theme_field_id": theme_id,
                    "channel": Channel.ONLINE if rng.random() < 0.95 else Channel.DIALOGUE_ISLAND,
                    "received_on": today - timedelta(days=rng.randrange(days)),
                    "event_note": "",
                    "perspective": perspective,
                    "bundesland": bundesland,
                    "age_band": rng.choice([None, *AgeBand]),
                    "publication_consent": consent,
                    "privacy_consent_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            for question_id in question_ids[: count - made - len(answers)]:
                status = rng.choice(statuses)
                if status is AnswerStatus.PUBLISHED and not consent:
                    status = AnswerStatus.INTERNAL
                text = synthetic.compose(rng)
                answers.append(
                    {
                        "id": next_answer,
                        "submission_id": next_submission,
                        "question_id": question_id,
                        "theme_field_id": theme_id,
                        "perspective": perspective,
                        "bundesland": bundesland,
                        "text": text,
                        "status": status,
                        "published_at": now if status is AnswerStatus.PUBLISHED else None,
                        "report_count": 0,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                if status is AnswerStatus.PUBLISHED:
                    searchable.append((next_answer, text))
                next_answer += 1
            next_submission += 1
        db.session.execute(sa.insert(Submission), submissions)
        db.session.execute(sa.insert(Answer), answers)
        search.index_many(searchable)
        made += len(answers)
    _advance_sequences()
    return made


def _advance_sequences() -> None:
    """PostgreSQL's id sequences must continue after the explicitly numbered rows."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ("submissions", "answers"):
        db.session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - constant
                f"(SELECT max(id) FROM {table}))"  # nosec B608
            )
        )
