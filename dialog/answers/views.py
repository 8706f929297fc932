"""Citizens answer guiding questions, manage their answers by private link, and read answers."""

from __future__ import annotations

import secrets

from flask import (
    abort,
    current_app,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from dialog.answers import forms, services
from dialog.answers.models import Submission
from dialog.common import pagecache, ratelimit
from dialog.common.clock import now_utc
from dialog.common.http import id_arg
from dialog.extensions import db, limiter
from dialog.notifications import services as notifications
from dialog.notifications.forms import blank_form as blank_subscribe_form
from dialog.process import services as process_services
from dialog.recommendations import labels as recommendation_labels
from dialog.recommendations import outcomes as recommendation_outcomes
from dialog.recommendations import public as recommendation_public


def _answer_limit() -> str:
    return current_app.config["ANSWER_RATE_LIMIT"]


def _report_limit() -> str:
    return current_app.config["REPORT_RATE_LIMIT"]


def _theme_or_404(slug: str, theme_slug: str):
    theme = process_services.public_theme_field(slug, theme_slug, current_user.is_authenticated)
    return theme or abort(404)


@pagecache.cached
def answer_theme(slug: str, theme_slug: str):
    """The theme field page: its description, guiding questions and the answer form."""
    include_unpublished = current_user.is_authenticated
    status = 200
    if request.method == "POST":
        # Sending reads the theme from a plain snapshot; only a form with errors is rendered.
        snapshot = process_services.theme_for_answering(slug, theme_slug, include_unpublished)
        if snapshot is None:
            abort(404)
        form = forms.build_answer_form(snapshot, dialogue_open=snapshot.dialogue_open)
        # Counted here rather than by a decorator: over the limit, the form keeps its text.
        if not ratelimit.hit("answers", _answer_limit()):
            form.form_errors.append(
                _(
                    "Von Ihrem Internetanschluss wurden in kurzer Zeit sehr viele Antworten "
                    "gesendet. Bitte warten Sie einige Minuten und senden Sie das Formular dann "
                    "erneut. Ihre Eingaben sind unten erhalten."
                )
            )
            status = 429
        elif form.validate_on_submit():
            return _store_answers(snapshot, form)
        if form.token is None:
            form.form_token.data = forms.new_form_token(secrets.token_urlsafe(24))
    theme = _theme_or_404(slug, theme_slug)
    if request.method != "POST":  # GET, and HEAD, which Flask routes to every GET view
        form = forms.build_answer_form(theme, dialogue_open=theme.process.dialogue_open)
        # Rendered once for many visitors; the page cache fills in each visitor's tokens.
        form.csrf_token.current_token = pagecache.CSRF_PLACEHOLDER
        form.form_token.data = forms.FORM_TOKEN_PLACEHOLDER
    html = render_template("answers/theme.html", process=theme.process, theme=theme, form=form)
    return html if status == 200 else (html, status)


def _store_answers(theme, form):
    nonce, _seconds = form.token
    token = services.private_token(current_app.config["SECRET_KEY"], nonce)
    try:
        submission_id = services.submit(
            theme,
            form.texts(),
            form.profile(),
            publication_consent=form.publication_consent.data,
            nonce=nonce,
            token=token,
        )
        if form.notify_email.data:
            submission = db.session.get(Submission, submission_id)
            notifications.subscribe(submission, form.notify_email.data, now_utc())
        db.session.commit()
    except IntegrityError:
        # The same form was sent twice (double click, reload): it is stored once, and both
        # requests lead to the same private link.
        db.session.rollback()
        if services.submission_by_nonce(nonce) is None:
            raise
    return redirect(url_for("answers.own_submission", token=token, neu=1))


def own_submission(token: str):
    """The private page of a submission: read, change (until moderated) or delete."""
    page = services.private_page(token) or abort(404)
    theme = process_services.theme_snapshot(page.theme_field_id) or abort(404)
    dialogue_open = theme.dialogue_open
    if not dialogue_open:
        form = None  # nothing can be changed any more
    else:
        form = forms.build_edit_form(theme, page.answers, dialogue_open=dialogue_open)
    if request.method == "POST" and not dialogue_open:
        # A page opened before the dialogue ended: nothing can be changed any more.
        flash(
            _(
                "Die Dialogphase ist beendet: Antworten können nicht mehr geändert oder "
                "ergänzt werden. Löschen können Sie Ihre Antworten weiterhin."
            ),
            "error",
        )
        return redirect(url_for("answers.own_submission", token=token))
    if form is not None and form.validate_on_submit():
        submission = services.submission_by_token(token) or abort(404)
        changed = services.update_by_author(submission, submission.theme_field, form.texts())
        db.session.commit()
        if changed:
            flash(_("Ihre Änderungen wurden gespeichert."), "success")
        else:
            flash(_("Sie haben nichts geändert."), "info")
        return redirect(url_for("answers.own_submission", token=token))
    in_form = {q.id for q in form.questions} if form else set()
    html = render_template(
        "answers/own.html",
        page=page,
        theme=theme,
        form=form,
        read_only=[a for a in page.answers if a.question_id not in in_form],
        dialogue_open=dialogue_open,
        token=token,
        just_sent=request.args.get("neu") == "1",
        outcomes=recommendation_outcomes.outcomes_of_answers(
            theme.process_id, [a.id for a in page.answers]
        ),
        outcome_item=_outcome_item,
        **_notification_context(page.address, token),
    )
    return pagecache.personalise(html)  # the CSRF token of the kept subscription form


def _outcome_item(outcome: recommendation_outcomes.Outcome) -> str:
    """An outcome as a list item, rendered once per language for everyone it is shown to."""
    language = str(get_locale())
    html = outcome.rendered.get(language)
    if html is None:
        render = get_template_attribute("answers/_outcome.html", "outcome_item")
        html = outcome.rendered[language] = render(outcome, recommendation_labels.STATUS)
    return html


def _notification_context(subscription, token: str) -> dict:
    """The address left for notifications about results, or the form to leave one."""
    return {
        "subscription": subscription,
        "subscription_token": subscription.token if subscription else None,
        "confirm_days": current_app.config["NOTIFICATION_CONFIRM_DAYS"],
        "subscribe_form_html": None if subscription else blank_subscribe_form(token),
    }


def delete_submission(token: str):
    submission = services.submission_by_token(token) or abort(404)
    if request.method == "POST":
        # CSRFProtect has already checked the token of the confirmation form.
        theme = submission.theme_field
        services.delete_submission(submission)
        db.session.commit()
        flash(_("Ihre Antworten wurden vollständig gelöscht."), "success")
        return redirect(
            url_for("answers.answer_theme", slug=theme.process.slug, theme_slug=theme.slug)
        )
    return render_template("answers/delete.html", submission=submission, token=token)


def list_featured_answers():
    """A short address for the answers of the process on the start page."""
    process = process_services.featured_process() or abort(404)
    args = {k: v for k, v in request.args.items() if k != "slug"}
    return redirect(url_for("answers.list_answers", slug=process.slug, **args))


def list_answers(slug: str):
    """„Wir haben gefragt, Sie haben geantwortet": published answers with filters and search;
    with `?empfehlung=<id>` the published answers supporting a published recommendation,
    never from the page cache (a deleted answer goes at once)."""
    if "empfehlung" in request.args:
        return _recommendation_answers(slug)
    return _list_answers(slug)


def _recommendation_answers(slug: str):
    process = process_services.public_process(slug) or abort(404)
    rec = None
    if recommendation_public.results_shown(process):
        rec = recommendation_public.published_recommendation(process.id, id_arg("empfehlung"))
    if rec is None:
        page = render_template("answers/recommendation_answers.html", process=process, rec=None)
        return page, 404
    before = id_arg("vor")
    answers, next_before = recommendation_public.supporting_published_answers(rec, before)
    return render_template(
        "answers/recommendation_answers.html",
        process=process,
        rec=rec,
        answers=answers,
        next_before=next_before,
        is_first_page=before is None,
    )


@pagecache.cached
def _list_answers(slug: str):
    process = process_services.public_process(slug) or abort(404)
    filter_form = forms.AnswerFilterForm(request.args, process=process)
    filters = filter_form.filters()
    before = id_arg("vor")
    answers, next_before = services.published_answers(process.id, filters, before)
    return render_template(
        "answers/list.html",
        process=process,
        answers=answers,
        next_before=next_before,
        filter_form=filter_form,
        filters=filters,
        # Counting every published answer is the slowest part of the page; the counts may be
        # as old as a cached page.
        counts=pagecache.remember(
            ("published_counts", process.id), lambda: services.published_counts(process.id)
        ),
        is_first_page=before is None,
        filter_args=filter_form.query_args(),
    )


@pagecache.cached
def show_answer(answer_id: int):
    """The permalink of one published answer."""
    answer = services.published_answer(answer_id) or abort(404)
    return render_template("answers/show.html", answer=answer, theme=answer.question.theme_field)


@limiter.limit(_report_limit, methods=["POST"])
def report_answer(answer_id: int):
    answer = services.published_answer(answer_id) or abort(404)
    form = forms.AnswerReportForm()
    if form.validate_on_submit():
        services.report(answer, form.reason.data or "")
        db.session.commit()
        flash(_("Danke für Ihren Hinweis. Die Moderation prüft den Beitrag."), "success")
        return redirect(url_for("answers.show_answer", answer_id=answer.id))
    return render_template("answers/report.html", answer=answer, form=form)
