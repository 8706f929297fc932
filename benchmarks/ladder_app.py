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
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, current_app, redirect

from dialog import create_app
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
_NO_THEMES = type("EventWithoutThemes", (), {"theme_fields": ()})()


def create_ladder_app() -> Flask:
    return add_ladder(create_app())


def add_ladder(app: Flask) -> Flask:
    """Add the rungs to `app` (before its first request); benchmarks only, never served."""
    ladder = Blueprint("ladder", __name__)
    ladder.add_url_rule(
        "/bench-ladder/<int:rung>/<int:event_id>", view_func=_climb, methods=["POST"]
    )
    app.register_blueprint(ladder)
    return app


def rung_path(rung: str, event_id: int) -> str:
    return f"/bench-ladder/{RUNGS.index(rung)}/{event_id}"


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
