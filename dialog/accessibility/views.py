"""Leichte Sprache, Gebärdensprache, the Erklärung zur Barrierefreiheit and its feedback."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dialog.accessibility import forms, services
from dialog.accessibility.models import AccessibilityFeedback
from dialog.accessibility.rules import FeedbackStatus, video_type
from dialog.common import pagecache, ratelimit
from dialog.common.permissions import Role, roles_required
from dialog.extensions import db

admin_only = roles_required(Role.ADMIN)


@pagecache.cached
def easy_language():
    """The process, the theme fields and how to take part, in Leichte Sprache."""
    return render_template(
        "accessibility/easy_language.html",
        page=services.page(services.EASY_LANGUAGE),
        process=services.easy_language_process(),
    )


@pagecache.cached
def sign_language():
    """The page in Deutscher Gebärdensprache: its video, or a note that it is coming."""
    page = services.page(services.SIGN_LANGUAGE)
    return render_template(
        "accessibility/sign_language.html",
        page=page,
        video_type=video_type(page.video_url) if page else None,
    )


def _statement(form: forms.FeedbackForm, status: int = 200):
    html = render_template(
        "accessibility/statement.html",
        page=services.page(services.STATEMENT),
        form=form,
        retention_days=current_app.config["FEEDBACK_RETENTION_DAYS"],
    )
    return html if status == 200 else (html, status)


@pagecache.cached
def statement():
    """The Erklärung zur Barrierefreiheit with the feedback form (`?seite=` fills in the page)."""
    if request.method == "GET":
        form = forms.FeedbackForm(data={"page_url": request.args.get("seite", "")[:500]})
        # Rendered once for many visitors; the page cache fills in each visitor's token.
        form.csrf_token.current_token = pagecache.CSRF_PLACEHOLDER
        return _statement(form)
    form = forms.FeedbackForm()
    # Counted here rather than by a decorator: over the limit, the form keeps its text.
    if not ratelimit.hit("accessibility_feedback", current_app.config["FEEDBACK_RATE_LIMIT"]):
        form.validate()
        form.form_errors.append(
            _(
                "Von Ihrem Internetanschluss wurden in kurzer Zeit sehr viele Rückmeldungen "
                "gesendet. Bitte warten Sie einige Minuten und senden Sie das Formular dann "
                "erneut. Ihre Eingaben sind unten erhalten."
            )
        )
        return _statement(form, 429)
    if not form.validate_on_submit():
        return _statement(form)
    services.submit_feedback(form.feedback())
    db.session.commit()
    return redirect(url_for("accessibility.feedback_sent"))


def feedback_sent():
    return render_template("accessibility/feedback_sent.html")


def short_address(endpoint: str):
    """/leichte-sprache and friends: short addresses for print and for other sites' links."""
    return redirect(url_for(endpoint), code=301)


@admin_only
def staff_feedback():
    return render_template(
        "accessibility/staff_feedback.html",
        items=services.feedback_list(),
        limit=services.STAFF_LIST_LIMIT,
        open_count=services.open_count(),
        mail_to=services.mail_recipients(),
        retention_days=current_app.config["FEEDBACK_RETENTION_DAYS"],
        Status=FeedbackStatus,
    )


def _feedback_or_404(feedback_id: int) -> AccessibilityFeedback:
    return db.session.get(AccessibilityFeedback, feedback_id) or abort(404)


@admin_only
def mark_feedback_done(feedback_id: int):
    feedback = _feedback_or_404(feedback_id)
    if feedback.status != FeedbackStatus.DONE:
        services.mark_done(current_user, feedback)
        db.session.commit()
    flash(
        _(
            "Die Rückmeldung Nr. %(id)d ist erledigt. Name und E-Mail-Adresse wurden gelöscht.",
            id=feedback_id,
        ),
        "success",
    )
    return redirect(url_for("accessibility.staff_feedback"))


@admin_only
def delete_feedback(feedback_id: int):
    feedback = _feedback_or_404(feedback_id)
    if request.method == "GET":
        return render_template(
            "accessibility/confirm_delete.html",
            feedback=feedback,
            back=url_for("accessibility.staff_feedback", _anchor=f"f{feedback_id}"),
        )
    services.delete_feedback(current_user, feedback)
    db.session.commit()
    flash(_("Die Rückmeldung Nr. %(id)d wurde gelöscht.", id=feedback_id), "success")
    return redirect(url_for("accessibility.staff_feedback"))
