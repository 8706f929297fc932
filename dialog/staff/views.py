"""The staff area: a dashboard for every role; content, the audit log and the outbox for admins."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from dialog.common.http import id_arg
from dialog.common.mail import MailStatus
from dialog.common.mail import services as outbox
from dialog.common.mail.rules import OVERDUE_AFTER
from dialog.common.permissions import Role, roles_required
from dialog.common.sanitize import clean_rich_text
from dialog.demo.views import phase_switch
from dialog.extensions import db
from dialog.pages import services as pages
from dialog.pages.models import Page
from dialog.process import services as process_services
from dialog.process.models import GuidingQuestion, Phase, Process, ThemeField
from dialog.process.rules import PhaseProblem
from dialog.staff import services
from dialog.staff.forms import (
    GuidingQuestionEditForm,
    PageEditForm,
    PhaseEditForm,
    ProcessEditForm,
    ThemeFieldEditForm,
)

admin_only = roles_required(Role.ADMIN)


def _values(form: FlaskForm, *names: str) -> dict:
    """The named fields' data, with text normalised for storage."""
    return {
        name: clean_rich_text(form[name].data)
        if isinstance(form[name].data, str)
        else form[name].data
        for name in names
    }


def _get_or_404(model: type, ident: int | None, **parent):
    """The row `ident` of `model`, checked to belong to `parent` (e.g. process_id=3)."""
    if ident is None:
        return None
    obj = db.session.get(model, ident)
    if obj is None or any(getattr(obj, k) != v for k, v in parent.items()):
        abort(404)
    return obj


def _saved(message: str, endpoint: str, **kwargs):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **kwargs))


@roles_required()
def dashboard():
    return render_template("staff/dashboard.html", demo_switch=phase_switch())


@admin_only
def audit_log():
    before = id_arg("vor")
    entries, next_before = services.audit_page(before)
    return render_template("staff/audit_log.html", entries=entries, next_before=next_before)


MAIL_STATUS_LABELS = {
    MailStatus.PENDING: _l("wartet auf Versand"),
    MailStatus.SENT: _l("versendet"),
    MailStatus.FAILED: _l("endgültig fehlgeschlagen"),
}


@admin_only
def show_outbox():
    return render_template(
        "staff/outbox.html",
        counts=outbox.status_counts(),
        mails=outbox.mails_needing_attention(),
        limit=outbox.ATTENTION_LIMIT,
        status_labels=MAIL_STATUS_LABELS,
        overdue_minutes=int(OVERDUE_AFTER.total_seconds() // 60),
    )


@admin_only
def retry_mails():
    count = outbox.retry_now(current_user)
    db.session.commit()
    flash(
        ngettext(
            "%(n)s E-Mail wird beim nächsten Durchlauf des Versands erneut versucht.",
            "%(n)s E-Mails werden beim nächsten Durchlauf des Versands erneut versucht.",
            count,
            n=format_decimal(count),
        ),
        "success",
    )
    return redirect(url_for("staff.show_outbox"))


@admin_only
def list_processes():
    return render_template("staff/processes.html", processes=process_services.all_processes())


@admin_only
def edit_process(process_id: int | None = None):
    process = _get_or_404(Process, process_id)
    form = ProcessEditForm(obj=process)
    form.editing_id = process_id
    if form.validate_on_submit():
        values = _values(
            form, "title", "slug", "central_question", "intro", "published", "featured"
        )
        process = process_services.save_process(current_user, process, values)
        return _saved(
            _("Der Prozess wurde gespeichert."), "staff.edit_process", process_id=process.id
        )
    return render_template("staff/process_edit.html", form=form, process=process)


@admin_only
def edit_phase(process_id: int, phase_id: int | None = None):
    process = _get_or_404(Process, process_id)
    phase = _get_or_404(Phase, phase_id, process_id=process_id)
    form = PhaseEditForm(obj=phase)
    if form.validate_on_submit():
        values = _values(form, "kind", "title", "starts_on", "ends_on", "description")
        try:
            process_services.save_phase(current_user, process, phase, values)
        except process_services.PhaseConflictError as error:
            _explain_phase_conflicts(form, error, process, phase_id or "new")
        else:
            return _saved(
                _("Die Phase wurde gespeichert."), "staff.edit_process", process_id=process_id
            )
    return render_template(
        "staff/form.html",
        form=form,
        process=process,
        heading=phase.title if phase else _("Neue Phase"),
        back=url_for("staff.edit_process", process_id=process_id),
        delete_url=phase
        and url_for("staff.delete_phase", process_id=process_id, phase_id=phase.id),
    )


def _explain_phase_conflicts(
    form: PhaseEditForm, error: process_services.PhaseConflictError, process: Process, key
) -> None:
    """Put each conflict next to the field it concerns, naming the other phase."""
    titles = {p.id: p.title for p in process.phases}
    for conflict in error.conflicts:
        other = titles.get(conflict.other if conflict.key == key else conflict.key, "")
        if conflict.problem is PhaseProblem.DUPLICATE_KIND:
            form.kind.errors.append(
                _("Diese Art von Phase gibt es bereits: „%(title)s“.", title=other)
            )
        elif conflict.problem is PhaseProblem.OVERLAP:
            form.starts_on.errors.append(
                _("Der Zeitraum überschneidet sich mit der Phase „%(title)s“.", title=other)
            )
        else:
            form.ends_on.errors.append(_("Der letzte Tag darf nicht vor dem ersten Tag liegen."))


@admin_only
def delete_phase(process_id: int, phase_id: int):
    phase = _get_or_404(Phase, phase_id, process_id=process_id)
    back = url_for("staff.edit_phase", process_id=process_id, phase_id=phase_id)
    if request.method == "GET":
        return render_template("staff/confirm_delete.html", what=phase.title, back=back)
    process_services.delete_phase(current_user, phase)
    return _saved(_("Die Phase wurde gelöscht."), "staff.edit_process", process_id=process_id)


@admin_only
def edit_theme_field(process_id: int, theme_id: int | None = None):
    process = _get_or_404(Process, process_id)
    theme = _get_or_404(ThemeField, theme_id, process_id=process_id)
    form = ThemeFieldEditForm(obj=theme)
    form.editing_id, form.slug_scope = theme_id, {"process_id": process_id}
    if form.validate_on_submit():
        values = _values(form, "title", "slug", "description", "position")
        theme = process_services.save_theme_field(current_user, process, theme, values)
        return _saved(
            _("Das Themenfeld wurde gespeichert."),
            "staff.edit_theme_field",
            process_id=process_id,
            theme_id=theme.id,
        )
    return render_template("staff/theme_field_edit.html", form=form, process=process, theme=theme)


@admin_only
def edit_question(theme_id: int, question_id: int | None = None):
    theme = _get_or_404(ThemeField, theme_id)
    question = _get_or_404(GuidingQuestion, question_id, theme_field_id=theme_id)
    form = GuidingQuestionEditForm(obj=question)
    if form.validate_on_submit():
        values = _values(form, "text", "plain_language_text", "position", "active")
        process_services.save_question(current_user, theme, question, values)
        return _saved(
            _("Die Leitfrage wurde gespeichert."),
            "staff.edit_theme_field",
            process_id=theme.process_id,
            theme_id=theme_id,
        )
    back = url_for("staff.edit_theme_field", process_id=theme.process_id, theme_id=theme_id)
    heading = _("Leitfrage bearbeiten") if question else _("Neue Leitfrage")
    return render_template("staff/form.html", form=form, heading=heading, back=back)


@admin_only
def list_pages():
    return render_template("staff/pages.html", pages=pages.all_pages())


@admin_only
def edit_page(page_id: int | None = None):
    page = _get_or_404(Page, page_id)
    form = PageEditForm(obj=page)
    form.editing_id = page_id
    if form.validate_on_submit():
        values = _values(
            form, "title", "slug", "body", "in_footer", "position", "video_url", "video_transcript"
        )
        pages.save_page(current_user, page, values)
        return _saved(_("Die Seite wurde gespeichert."), "staff.list_pages")
    return render_template(
        "staff/form.html",
        form=form,
        heading=page.title if page else _("Neue Seite"),
        back=url_for("staff.list_pages"),
        view_url=page and url_for("pages.show_page", slug=page.slug),
        delete_url=page and url_for("staff.delete_page", page_id=page.id),
    )


@admin_only
def delete_page(page_id: int):
    page = _get_or_404(Page, page_id)
    if request.method == "GET":
        back = url_for("staff.edit_page", page_id=page_id)
        return render_template("staff/confirm_delete.html", what=page.title, back=back)
    pages.delete_page(current_user, page)
    return _saved(_("Die Seite wurde gelöscht."), "staff.list_pages")
