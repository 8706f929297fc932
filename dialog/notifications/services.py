"""Opt-in notifications about results: subscribe (double opt-in), confirm, unsubscribe, the
daily digest through the outbox, and deletion. Services flush but never commit."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from dialog.answers.models import Submission
from dialog.common import audit
from dialog.common.mail import services as mail
from dialog.extensions import db
from dialog.notifications import rules
from dialog.notifications.models import ResultSubscription
from dialog.recommendations import labels, public
from dialog.recommendations import outcomes as recommendation_outcomes
from dialog.recommendations import rules as recommendation_rules
from dialog.recommendations.models import Recommendation, RecommendationStatusChange


def token_of(subscription: ResultSubscription) -> str:
    """The token of the subscription's links: unguessable without the secret key."""
    return _token(subscription.nonce)


def _token(nonce: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"result-subscription:" + nonce.encode(), hashlib.sha256).hexdigest()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def by_token(token: str) -> ResultSubscription | None:
    return db.session.scalar(
        sa.select(ResultSubscription).where(ResultSubscription.token_hash == _hash(token))
    )


def of_submission(submission_id: int) -> ResultSubscription | None:
    return db.session.scalar(
        sa.select(ResultSubscription).where(ResultSubscription.submission_id == submission_id)
    )


@dataclass(frozen=True)
class LeftAddress:
    """The address left for a submission, as its private link shows it."""

    email: str
    confirmed_at: datetime | None
    token: str  # of the links to confirm or withdraw it


# What a page reads of a subscription to show it (e.g. joined to the private link's query).
ADDRESS_COLUMNS = (
    ResultSubscription.email,
    ResultSubscription.confirmed_at,
    ResultSubscription.nonce,
)


def left_address(email: str | None, confirmed_at, nonce: str | None) -> LeftAddress | None:
    """The address from ADDRESS_COLUMNS as read (all None: no address left)."""
    return None if nonce is None else LeftAddress(email, confirmed_at, _token(nonce))


def _reference(subscription: ResultSubscription) -> str:
    return f"result-subscription:{subscription.id}"


def subscribe(submission: Submission, email: str, now: datetime) -> ResultSubscription:
    """Leave `email` for the submission (replacing an address left before) and send the mail
    that asks to confirm it: nothing is sent to an address until its owner confirms."""
    old = of_submission(submission.id)
    if old is not None:
        forget(old)
        db.session.flush()
    nonce = secrets.token_hex(16)
    token = _token(nonce)
    subscription = ResultSubscription(
        submission_id=submission.id,
        email=email.strip(),
        consent_version=rules.CONSENT_VERSION,
        nonce=nonce,
        token_hash=_hash(token),
        created_at=now,
    )
    db.session.add(subscription)
    db.session.flush()
    mail.queue(
        subscription.email,
        _l("Bitte bestätigen Sie Ihre Benachrichtigung zum Zukunftsdialog"),
        "notifications/confirm",
        reference=_reference(subscription),
        confirm_url=mail.external_url("notifications.confirm", token=token),
        unsubscribe_url=mail.external_url("notifications.unsubscribe", token=token),
        days=current_app.config["NOTIFICATION_CONFIRM_DAYS"],
    )
    audit.record(
        None,
        "result_subscription.create",
        subscription,
        {"consent_version": [None, rules.CONSENT_VERSION]},
    )
    return subscription


def confirm(subscription: ResultSubscription, now: datetime) -> bool:
    """Confirm the address (double opt-in); False if it already was."""
    if subscription.confirmed_at is not None:
        return False
    subscription.confirmed_at = now
    subscription.told_until = now
    return True


def forget(subscription: ResultSubscription) -> None:
    """Delete the address and every mail to it that has not gone out."""
    reference = _reference(subscription)
    db.session.execute(sa.delete(mail.OutboxMail).where(mail.OutboxMail.reference == reference))
    db.session.delete(subscription)


def forget_submission(submission_id: int) -> None:
    subscription = of_submission(submission_id)
    if subscription is not None:
        forget(subscription)


@dataclass
class News:
    """What one digest tells."""

    results: bool = False  # the results have been published since the last mail
    changes: list[RecommendationStatusChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.results or bool(self.changes)


def news_of(subscription: ResultSubscription) -> News:
    submission = subscription.submission
    process = submission.theme_field.process
    news = News(results=subscription.results_told_at is None and public.results_shown(process))
    outcomes = recommendation_outcomes.outcomes_of_answers(
        process.id, [a.id for a in submission.answers]
    )
    rec_ids = sorted({o.recommendation.id for found in outcomes.values() for o in found})
    if rec_ids:
        c = RecommendationStatusChange
        news.changes = list(
            db.session.scalars(
                sa.select(c)
                .where(
                    c.recommendation_id.in_(rec_ids),
                    c.to_status.in_(recommendation_rules.PUBLISHED),
                    c.at > subscription.told_until,
                )
                .order_by(c.at, c.id)
            )
        )
    return news


def send_digests(now: datetime) -> int:
    """Queue one mail for every confirmed address with news and no mail in the last day
    (rules.DIGEST_INTERVAL); the number queued."""
    stmt = (
        sa.select(ResultSubscription)
        .where(ResultSubscription.confirmed_at.is_not(None))
        .order_by(ResultSubscription.id)
    )
    queued = 0
    for subscription in db.session.scalars(stmt):
        if not rules.digest_due(subscription.last_mailed_at, now):
            continue
        news = news_of(subscription)
        if not news:
            continue
        token = token_of(subscription)
        process = subscription.submission.theme_field.process
        titles = {
            r.id: r.title
            for r in db.session.scalars(
                sa.select(Recommendation).where(
                    Recommendation.id.in_({c.recommendation_id for c in news.changes})
                )
            )
        }
        mail.queue(
            subscription.email,
            _l("Neues aus dem Zukunftsdialog: was aus Ihren Antworten geworden ist"),
            "notifications/digest",
            reference=_reference(subscription),
            list_unsubscribe=mail.external_url("notifications.unsubscribe", token=token),
            news=news,
            titles=titles,
            status_labels=labels.STATUS,
            results_url=mail.external_url(
                "public_recommendations.recommendation_results", slug=process.slug
            ),
            unsubscribe_url=mail.external_url("notifications.unsubscribe", token=token),
        )
        if news.results:
            subscription.results_told_at = now
        if news.changes:
            subscription.told_until = max(c.at for c in news.changes)
        subscription.last_mailed_at = now
        queued += 1
    return queued


def purge(now: datetime) -> int:
    """Delete the addresses that are due (rules.expired); the number deleted."""
    config = current_app.config
    deleted = 0
    for subscription in db.session.scalars(sa.select(ResultSubscription)):
        if rules.expired(
            subscription.created_at,
            subscription.confirmed_at,
            now,
            confirm_days=config["NOTIFICATION_CONFIRM_DAYS"],
            retention_days=config["NOTIFICATION_RETENTION_DAYS"],
        ):
            forget(subscription)
            deleted += 1
    return deleted
