"""Leaving, confirming and withdrawing an address for notifications about results."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dialog.answers import services as answers
from dialog.common.clock import now_utc
from dialog.extensions import db, limiter
from dialog.notifications import services
from dialog.notifications.forms import SubscribeForm


@limiter.limit("10 per hour", methods=["POST"])  # each sends a mail to the address given
def subscribe(token: str):
    submission = answers.submission_by_token(token) or abort(404)
    form = SubscribeForm()
    if not form.validate_on_submit():
        # The address typed stays in the form, with the message at its field.
        page = render_template("notifications/subscribe.html", subscribe_form=form, token=token)
        return page, 400
    services.subscribe(submission, form.email.data, now_utc())
    db.session.commit()
    flash(
        _(
            "Fast geschafft: Wir haben Ihnen eine Nachricht geschickt. Bitte bestätigen Sie "
            "darin Ihre Adresse, erst dann benachrichtigen wir Sie."
        ),
        "success",
    )
    return redirect(url_for("answers.own_submission", token=token) + "#notification-title")


def confirm(token: str):
    subscription = services.by_token(token)
    if subscription is None:
        return render_template("notifications/unknown.html"), 404
    if request.method == "POST":
        # CSRFProtect has checked the token of the confirmation form.
        services.confirm(subscription, now_utc())
        db.session.commit()
        return render_template("notifications/confirmed.html", subscription=subscription)
    # A GET changes nothing: mail scanners open links before people do.
    return render_template("notifications/confirm.html", subscription=subscription, token=token)


def unsubscribe(token: str):
    subscription = services.by_token(token)
    if subscription is None:
        return render_template("notifications/unknown.html", unsubscribed=True), 404
    if request.method == "POST":
        services.forget(subscription)
        db.session.commit()
        return render_template("notifications/unsubscribed.html")
    return render_template("notifications/unsubscribe.html", token=token)
