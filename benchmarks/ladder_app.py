"""The cost ladder: dialog's own app with rungs that stop a registration after each step.

The storm's target is a ratio against a bare insert, so it helps to know what the stack costs
before any of the registration's own work. Each rung answers a filled registration form (its
session and CSRF token come from the real registration page) the way `events.views.register`
would, with dialog's own config, extensions, form and tables, but stops after its step:

    session      the CSRF token checked (CSRFProtect, before every POST), the session read
    rate limit   + the per-address limit counted in the shared storage (Redis)
    form         + the registration form parsed and validated
    insert       + the registration inserted (`insert_new`, no unit of work) and committed
    event        + the event read first (Core, one row)
    seat + mail  + a seat claimed, one mail queued (`insert_new`), its text written beforehand

No rung renders a mail, loads the event's theme fields, expires holds or settles the waitlist:
those are the real view's work on top.

The GET rungs do the same for a personal page such as the private link of a submission with
20 answers, for an anonymous visitor (no cookie), each on top of the one before:

    app          dialog's app answers a constant page (its hooks and headers)
    session      + a CSRF token in the session (every page with a form)
    one row      + one row by an indexed key (the submission of a private link, ORM)
    base page    + a page in the site's layout (templates/base.html) with a heading
    20 rows      + the submission's answers with their guiding questions (ORM, one query)
    20 rows shown + those answers in the page: question, text, status

The last rung is the floor of a page that shows 20 stored answers with our stack.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, current_app, redirect, render_template
from flask_wtf.csrf import generate_csrf
from sqlalchemy.orm import joinedload

from dialog import create_app
from dialog.answers.models import Answer, Submission
from dialog.answers.services import token_hash as submission_token_hash
from dialog.common import ratelimit
from dialog.common.clock import now_utc
from dialog.common.mail import OutboxMail
from dialog.common.mail.message import new_message_id
from dialog.common.models import insert_new
from dialog.events import forms, services
from dialog.events.models import Event, Registration
from dialog.events.rules import RegistrationStatus
from dialog.extensions import db

RUNGS = ("session", "rate limit", "form", "insert", "event", "seat + mail")
GET_RUNGS = ("app", "session", "one row", "base page", "20 rows", "20 rows shown")
_PAGE = """{% extends "base.html" %}{% block title %}Ladder{% endblock %}{% block content %}
<h1>{{ _("Ihre Antworten") }}</h1>
{% for answer in answers %}
<h3 lang="de">{{ answer.question.text }}</h3>
<div class="answer__text" lang="de">{{ answer.text | paragraphs }}</div>
<p class="answer__meta">{{ _("Status:") }} {{ labels.status[answer.status] }}</p>
{% endfor %}{% endblock %}"""
_NO_THEMES = type("EventWithoutThemes", (), {"theme_fields": ()})()


def create_ladder_app() -> Flask:
    return add_ladder(create_app())


def add_ladder(app: Flask) -> Flask:
    """Add the rungs to `app` (before its first request); benchmarks only, never served."""
    ladder = Blueprint("ladder", __name__)
    ladder.add_url_rule(
        "/bench-ladder/<int:rung>/<int:event_id>", view_func=_climb, methods=["POST"]
    )
    ladder.add_url_rule("/bench-ladder/get/<int:rung>/<token>", view_func=_climb_get)
    app.register_blueprint(ladder)
    return app


def rung_path(rung: str, event_id: int) -> str:
    return f"/bench-ladder/{RUNGS.index(rung)}/{event_id}"


def get_rung_path(rung: str, token: str) -> str:
    return f"/bench-ladder/get/{GET_RUNGS.index(rung)}/{token}"


def _climb_get(rung: int, token: str):
    if rung >= len(GET_RUNGS):
        abort(404)
    if rung == 0:
        return "<!doctype html><title>Ladder</title><p>Ladder</p>"
    csrf = generate_csrf()
    if rung == 1:
        return f"<!doctype html><title>Ladder</title><p>{csrf}</p>"
    submission = db.session.scalar(
        sa.select(Submission).where(Submission.token_hash == submission_token_hash(token))
    )
    if submission is None:
        abort(404)
    if rung == 2:
        return f"<!doctype html><title>Ladder</title><p>{submission.id}</p>"
    answers = []
    if rung >= 4:
        answers = list(
            db.session.scalars(
                sa.select(Answer)
                .where(Answer.submission_id == submission.id)
                .options(joinedload(Answer.question))
                .order_by(Answer.id)
            )
        )
    if "ladder_page" not in current_app.extensions:  # compiled once, as a template file is
        current_app.extensions["ladder_page"] = current_app.jinja_env.from_string(_PAGE)
    page = current_app.extensions["ladder_page"]
    return render_template(page, answers=answers if rung == 5 else [])


def _climb(rung: int, event_id: int):
    if rung >= len(RUNGS):
        abort(404)
    done = redirect(f"/veranstaltungen/{event_id}/anmeldung/gesendet")
    if rung == 0:
        return done
    ratelimit.hit("registrations", current_app.config["REGISTRATION_RATE_LIMIT"])
    if rung == 1:
        return done
    form = forms.RegistrationForm(event=_NO_THEMES)
    if not form.validate():
        abort(400)
    if rung == 2:
        return done
    if rung >= 4:
        db.session.execute(sa.select(Event.__table__).where(Event.id == event_id)).one()
    seat = rung >= 5 and services.claim_seat(event_id)
    person = form.registrant()
    salt = secrets.token_hex(16)
    insert_new(
        Registration(
            event_id=event_id,
            status=RegistrationStatus.HELD if seat else RegistrationStatus.WAITLISTED,
            name=person.name,
            email=services.normalise_email(person.email),
            bundesland=person.bundesland,
            privacy_consent_at=now_utc(),
            link_salt=salt,
            token_hash=services.token_hash(salt),
        )
    )
    if rung >= 5:
        insert_new(
            OutboxMail(
                to_address=person.email,
                subject="Warteliste",
                body_text="Sie stehen auf der Warteliste.",
                body_html="<p>Sie stehen auf der Warteliste.</p>",
                attachments=[],
                message_id=new_message_id(current_app.config["MAIL_SENDER"]),
            )
        )
    db.session.commit()
    return done
