"""Helpers of the recommendation tests: answers, codes, a second process, recommendations."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from dialog.accounts.models import User
from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AnswerStatus, Channel, Perspective
from dialog.coding.models import Code, CodeAssignment
from dialog.common.regions import Bundesland
from dialog.events.models import Event
from dialog.extensions import db
from dialog.process.models import GuidingQuestion, Process, ThemeField
from dialog.recommendations import services as recs
from dialog.recommendations.models import Recommendation
from dialog.seed import PROCESS_SLUG
from tests.conftest import csrf_token

BASE = "/staff/empfehlungen"


def process() -> Process:
    return db.session.scalar(sa.select(Process).where(Process.slug == PROCESS_SLUG))


def themes() -> list[ThemeField]:
    return list(process().theme_fields)


def other_process() -> Process:
    """A second process with one theme field and question."""
    other = db.session.scalar(sa.select(Process).where(Process.slug == "anderer-dialog"))
    if other is None:
        other = Process(
            slug="anderer-dialog",
            title="Ein anderer Dialog",
            central_question="Was noch?",
            published=False,
        )
        theme = ThemeField(process=other, slug="anderes", title="Anderes Themenfeld")
        theme.questions.append(GuidingQuestion(text="Was meinen Sie?"))
        db.session.add(other)
        db.session.commit()
    return other


def make_answer(
    text: str = "Mehr Kitaplätze, damit Eltern arbeiten können.",
    *,
    theme: ThemeField | None = None,
    status: AnswerStatus = AnswerStatus.PUBLISHED,
    channel: Channel = Channel.ONLINE,
    perspective: Perspective | None = None,
    bundesland: Bundesland | None = None,
    campaign_group_id: int | None = None,
) -> Answer:
    field = theme or themes()[0]
    submission = Submission(
        theme_field_id=field.id,
        channel=channel,
        received_on=date(2026, 3, 2),
        publication_consent=True,
        perspective=perspective,
        bundesland=bundesland,
    )
    answer = Answer(
        question_id=field.questions[0].id,
        theme_field_id=field.id,
        text=text,
        status=status,
        perspective=perspective,
        bundesland=bundesland,
        campaign_group_id=campaign_group_id,
    )
    submission.answers.append(answer)
    db.session.add(submission)
    db.session.commit()
    return answer


def make_code(label: str, owner: Process | None = None) -> Code:
    code = Code(process_id=(owner or process()).id, label=label)
    db.session.add(code)
    db.session.commit()
    return code


def assign(answer: Answer, code: Code) -> None:
    db.session.add(CodeAssignment(answer_id=answer.id, code_id=code.id, original_code_id=code.id))
    db.session.commit()


def make_recommendation(
    author: User, title: str = "Kita-Ausbau beschleunigen", theme_index: int = 0, **kwargs
) -> Recommendation:
    rec = recs.create_recommendation(
        author,
        process(),
        recs.RecommendationInput(
            title=title,
            text=kwargs.pop("text", "Der Bund fördert den Ausbau der Betreuung."),
            theme_field_ids=[themes()[theme_index].id],
            **kwargs,
        ),
    )
    db.session.commit()
    return rec


def set_status(rec: Recommendation, status) -> None:
    db.session.execute(
        sa.update(Recommendation).where(Recommendation.id == rec.id).values(status=status)
    )
    db.session.commit()
    db.session.expire_all()


def first_event() -> Event:
    return db.session.scalar(
        sa.select(Event).where(Event.process_id == process().id).order_by(Event.id)
    )


def post(client, url: str, data: dict, form_url: str | None = None, **kwargs):
    """POST with the CSRF token of the page the form is on (default: the url itself)."""
    token = csrf_token(client, form_url or url)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def reload(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)
