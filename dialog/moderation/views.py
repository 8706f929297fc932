"""Moderators publish, redact, reject and hide answers, and enter offline contributions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from dialog.answers import forms as answer_forms
from dialog.answers import services as answers
from dialog.answers.models import Answer
from dialog.answers.rules import Channel, RejectionReason
from dialog.common.http import id_arg
from dialog.common.permissions import Role, roles_required
from dialog.events import services as event_services
from dialog.extensions import db
from dialog.moderation.forms import QueueFilterForm
from dialog.process import services as process_services
from dialog.process.models import ThemeField

moderators_only = roles_required(Role.MODERATOR)


def _themes() -> list[ThemeField]:
    return [t for p in process_services.all_processes() for t in p.theme_fields]


@moderators_only
def queue():
    filter_form = QueueFilterForm(request.args, themes=_themes())
    after = id_arg("nach")
    items, next_after = answers.moderation_queue(filter_form.filters(), after)
    return render_template(
        "moderation/queue.html",
        answers=items,
        next_after=next_after,
        filter_form=filter_form,
        filter_args=filter_form.query_args(),
        counts=answers.queue_counts(),
        reported=answers.reported_count(),
        hinted=answers.hinted_pending_count(),
        bulk_form=answer_forms.BulkModerationForm(),
    )


def _reason(value: str | None) -> RejectionReason | None:
    try:
        return RejectionReason(value) if value else None
    except ValueError:
        return None


@moderators_only
def bulk_moderate():
    form = answer_forms.BulkModerationForm()
    back = url_for("moderation.queue", **_return_args())
    ids = [int(i) for i in request.form.getlist("answer_ids") if i.isdigit()]
    action = request.form.get("action")
    selected = answers.answers_by_ids(ids)
    if not selected:
        flash(_("Bitte wählen Sie mindestens einen Beitrag aus."), "error")
        return redirect(back)
    form.validate()
    reason = _reason(form.reason.data)
    if action == "accept":
        result = answers.accept(current_user, selected)
    elif action in ("reject", "hide") and reason is None:
        flash(_("Bitte wählen Sie einen Grund nach der Netiquette."), "error")
        return redirect(back)
    elif action == "reject":
        result = answers.reject(current_user, selected, reason)
    elif action == "hide":
        result = answers.hide(current_user, selected, reason)
    else:
        abort(400)
    db.session.commit()
    _flash_result(result)
    return redirect(back)


def _return_args() -> dict[str, str]:
    keys = ("status", "thema", "kanal", "gemeldet", "hinweise", "nach")
    return {k: v for k in keys if (v := request.form.get("return_" + k))}


def _flash_result(result: answers.ModerationResult) -> None:
    if result.done:
        flash(
            ngettext(
                "%(n)s Beitrag bearbeitet.",
                "%(n)s Beiträge bearbeitet.",
                len(result.done),
                n=format_decimal(len(result.done)),
            ),
            "success",
        )
    if result.skipped:
        flash(
            ngettext(
                "%(n)s Beitrag übersprungen: in seinem Status ist die Aktion nicht möglich.",
                "%(n)s Beiträge übersprungen: in ihrem Status ist die Aktion nicht möglich.",
                len(result.skipped),
                n=format_decimal(len(result.skipped)),
            ),
            "info",
        )


@moderators_only
def moderate_answer(answer_id: int):
    answer = db.session.get(Answer, answer_id) or abort(404)
    form = answer_forms.ModerationForm(redacted_text=answer.public_text)
    if form.validate_on_submit():
        action = request.form.get("action")
        reason = _reason(form.reason.data)
        if action == "accept":
            result = answers.accept(current_user, [answer], redacted_text=form.redacted_text.data)
        elif action == "dismiss":
            answers.dismiss_reports(current_user, answer)
            result = answers.ModerationResult(done=[answer.id])
        elif action in ("reject", "hide") and reason is None:
            form.reason.errors.append(_("Bitte wählen Sie einen Grund nach der Netiquette."))
            return _answer_page(answer, form)
        elif action == "reject":
            result = answers.reject(current_user, [answer], reason)
        elif action == "hide":
            result = answers.hide(current_user, [answer], reason)
        else:
            abort(400)
        db.session.commit()
        _flash_result(result)
        return redirect(url_for("moderation.queue"))
    return _answer_page(answer, form)


def _answer_page(answer: Answer, form):
    return render_template(
        "moderation/answer.html", answer=answer, form=form, reports=answers.open_reports(answer)
    )


@moderators_only
def choose_offline_theme():
    return render_template(
        "moderation/choose_theme.html", processes=process_services.all_processes()
    )


@moderators_only
def enter_offline(theme_id: int):
    theme = db.session.get(ThemeField, theme_id) or abort(404)
    form = answer_forms.build_offline_form(theme, event_services.process_events(theme.process_id))
    if form.validate_on_submit():
        answers.enter_offline(
            current_user,
            theme,
            form.texts(),
            form.profile(),
            channel=Channel(form.channel.data),
            received_on=form.received_on.data,
            event_note=form.event_note.data or "",
            event_id=int(form.event.data) if form.event.data else None,
            publication_consent=form.publication_consent.data,
        )
        db.session.commit()
        flash(_("Der Beitrag wurde erfasst und wartet auf Prüfung."), "success")
        return redirect(url_for("moderation.enter_offline", theme_id=theme.id))
    return render_template("moderation/offline.html", theme=theme, form=form)
