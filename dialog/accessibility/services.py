"""Storing feedback on barriers, telling staff, closing, deleting and purging it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from dialog.accessibility.models import AccessibilityFeedback
from dialog.accessibility.rules import FeedbackStatus, retention_cutoff
from dialog.common import audit, mail
from dialog.common.clock import now_utc
from dialog.extensions import db
from dialog.pages.models import Page
from dialog.process.models import Process
from dialog.process.services import featured_process

# The slugs of the pages this package shows in its own way (see blueprint.py).
EASY_LANGUAGE = "leichte-sprache"
SIGN_LANGUAGE = "gebaerdensprache"
STATEMENT = "barrierefreiheit"

STAFF_LIST_LIMIT = 500  # rows on the staff page; feedback is deleted after its retention


@dataclass(frozen=True)
class FeedbackInput:
    """What a person sent, already cleaned: empty strings for what they left out."""

    name: str
    email: str
    page_url: str
    message: str


def page(slug: str) -> Page | None:
    return db.session.scalar(sa.select(Page).where(Page.slug == slug))


def mail_recipients() -> list[str]:
    """The addresses in FEEDBACK_MAIL_TO (comma-separated); none means no mail."""
    return [a.strip() for a in current_app.config["FEEDBACK_MAIL_TO"].split(",") if a.strip()]


def _reference_for(feedback_id: int) -> str:
    """How the outbox knows the staff mails about one message (see `mail.forget`)."""
    return f"accessibility_feedback:{feedback_id}"


def _reference(feedback: AccessibilityFeedback) -> str:
    return _reference_for(feedback.id)


def submit_feedback(values: FeedbackInput) -> AccessibilityFeedback:
    """Store the feedback and queue a mail to each configured staff address."""
    feedback = AccessibilityFeedback(
        name=values.name or None,
        email=values.email or None,
        page_url=values.page_url,
        message=values.message,
        status=FeedbackStatus.OPEN,
        received_at=now_utc(),
    )
    db.session.add(feedback)
    db.session.flush()
    recipients = mail_recipients()
    if recipients:
        staff_url = mail.external_url("accessibility.staff_feedback") + f"#f{feedback.id}"
        for address in recipients:
            mail.queue(
                address,
                _l("Rückmeldung zur Barrierefreiheit Nr. %(id)d", id=feedback.id),
                "accessibility/feedback",
                reference=_reference(feedback),
                feedback=feedback,
                staff_url=staff_url,
            )
    return feedback


def feedback_list(status: FeedbackStatus | None = None) -> list[AccessibilityFeedback]:
    """Feedback for the staff page: open first, newest first within each status."""
    stmt = sa.select(AccessibilityFeedback)
    if status is not None:
        stmt = stmt.where(AccessibilityFeedback.status == status)
    order = sa.case((AccessibilityFeedback.status == FeedbackStatus.OPEN, 0), else_=1)
    stmt = stmt.order_by(
        order, AccessibilityFeedback.received_at.desc(), AccessibilityFeedback.id.desc()
    ).limit(STAFF_LIST_LIMIT)
    return list(db.session.scalars(stmt))


def open_count() -> int:
    stmt = sa.select(sa.func.count()).where(AccessibilityFeedback.status == FeedbackStatus.OPEN)
    return db.session.scalar(stmt) or 0


def mark_done(actor, feedback: AccessibilityFeedback) -> None:
    """Close the feedback: name and e-mail address are deleted, the description stays."""
    had_contact = feedback.has_contact
    changes = audit.diff(
        feedback,
        {"status": FeedbackStatus.DONE, "done_at": now_utc(), "done_by_id": actor.id},
    )
    feedback.name = None
    feedback.email = None
    # The log says that contact data were deleted, never what they were.
    audit.record(
        actor,
        "accessibility_feedback.done",
        feedback,
        {**changes, "has_contact": [True, False]} if had_contact else changes,
    )
    mail.forget(_reference(feedback))


def delete_feedback(actor, feedback: AccessibilityFeedback) -> None:
    """Delete the feedback and the staff mails about it that have gone out."""
    audit.record(
        actor, "accessibility_feedback.delete", feedback, {"status": [feedback.status.value, None]}
    )
    mail.forget(_reference(feedback))
    db.session.delete(feedback)


def purge_feedback(now: datetime, retention_days: int) -> int:
    """Delete feedback received more than `retention_days` ago, open or done; the count."""
    cutoff = retention_cutoff(now, retention_days)
    ids = list(
        db.session.scalars(
            sa.select(AccessibilityFeedback.id).where(AccessibilityFeedback.received_at < cutoff)
        )
    )
    for feedback_id in ids:
        mail.forget(_reference_for(feedback_id))
    if not ids:
        return 0
    return db.session.execute(
        sa.delete(AccessibilityFeedback)
        .where(AccessibilityFeedback.id.in_(ids))
        .execution_options(synchronize_session=False)
    ).rowcount


def easy_language_process() -> Process | None:
    """The process the Leichte-Sprache page presents: the one on the start page."""
    return featured_process()
