"""Helpers that fill in and send the answer form the way a browser does."""

from __future__ import annotations

import re

import sqlalchemy as sa

from dialog.answers.models import Answer, Submission
from dialog.extensions import db
from dialog.seed import THEMES

THEME = THEMES[0]
THEME_URL = f"/dialog/mission-fachkraft/{THEME.slug}"
HIDDEN = re.compile(r'name="(csrf_token|form_token)" type="hidden" value="([^"]*)"')
QUESTION = re.compile(r'name="(answer_\d+)"')


def form_fields(client, url: str = THEME_URL) -> tuple[dict[str, str], list[str]]:
    """The hidden values and the answer field names of the form at `url`."""
    html = client.get(url).get_data(as_text=True)
    hidden = dict(HIDDEN.findall(html))
    names = list(dict.fromkeys(QUESTION.findall(html)))
    return hidden, names


def send(client, answers: list[str], url: str = THEME_URL, hidden=None, names=None, **extra):
    """Answer the questions in order (empty strings skip one) with privacy consent."""
    if hidden is None:
        hidden, names = form_fields(client, url)
    data = {**hidden, "privacy_consent": "y", **extra}
    for name, text in zip(names, answers, strict=False):
        data[name] = text
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(url, data=data)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def answers() -> list[Answer]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Answer).order_by(Answer.id)))


def submissions() -> list[Submission]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Submission).order_by(Submission.id)))
