"""Staff: draft reports in the background and publish result files. Public: the results page
and its files."""

from __future__ import annotations

import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from dialog.coding import labels as coding_labels
from dialog.coding import services as coding
from dialog.coding import suggestions
from dialog.coding.rules import CodebookChange, SuggestionProblem
from dialog.common import pagecache
from dialog.common.clock import BERLIN
from dialog.common.permissions import Role, roles_required
from dialog.common.sanitize import plain_text
from dialog.extensions import db
from dialog.process import services as process_services
from dialog.process.models import Process, ThemeField
from dialog.reports import labels, rules, services
from dialog.reports.forms import (
    ActionForm,
    DraftRequestForm,
    FilePublishForm,
    ThemeAdoptForm,
    adopt_prefix,
)
from dialog.reports.models import PublishedFile, ReportJob
from dialog.reports.rules import DraftThemes, FileKind

# Analysts, their lead and admins draft reports; moderators not.
DRAFT_ROLES = (Role.ANALYST, Role.ANALYST_LEAD, Role.ADMIN)
admin_only = roles_required(Role.ADMIN)

# Room for the form fields and multipart boundaries around the largest allowed file.
FORM_OVERHEAD_BYTES = 64 * 1024


# -- drafts --------------------------------------------------------------------------------


@roles_required(*DRAFT_ROLES)
def staff_reports():
    processes = process_services.all_processes()
    return render_template(
        "reports/staff.html",
        form=DraftRequestForm(processes=processes),
        jobs=services.recent_jobs(),
        processes=processes,
        labels_=labels,
    )


@roles_required(*DRAFT_ROLES)
def request_draft():
    processes = process_services.all_processes()
    form = DraftRequestForm(processes=processes)
    if not form.validate_on_submit():
        return render_template(
            "reports/staff.html",
            form=form,
            jobs=services.recent_jobs(),
            processes=processes,
            labels_=labels,
        )
    process = db.session.get(Process, form.process_id.data)
    job, created = services.request_draft(current_user, process)
    db.session.commit()
    if created:
        flash(
            _(
                "Der Bericht-Entwurf wird im Hintergrund erzeugt. Das dauert einige Minuten; "
                "laden Sie diese Seite mit „Aktualisieren“ neu, um den Stand zu sehen."
            ),
            "success",
        )
    else:
        flash(
            _("Für diesen Prozess wird bereits ein Entwurf erzeugt (Auftrag %(id)d).", id=job.id),
            "info",
        )
    return redirect(url_for("reports.staff_reports"))


@roles_required(*DRAFT_ROLES)
def download_draft(job_id: int):
    found = services.job_result(job_id) or abort(404)
    job, data = found
    day = job.finished_at.astimezone(BERLIN).date().isoformat()
    return send_file(
        io.BytesIO(data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"bericht-entwurf-{day}.zip",
        max_age=0,
    )


# -- a draft's theme suggestions -----------------------------------------------------------


@roles_required(*DRAFT_ROLES)
def show_draft(job_id: int):
    job = services.finished_job(job_id) or abort(404)
    return _render_draft(job, services.draft_themes(job))


def _render_draft(job: ReportJob, found: DraftThemes | None, bound=None, status: int = 200):
    """The draft's page; `bound` is (theme field id, theme, form) of a form sent with errors."""
    fields = services.draft_theme_fields(job, found) if found else []
    adopted = suggestions.adopted_codes(job.id) if found else {}
    may_adopt = current_user.has_any_role(*coding.CODER_ROLES)
    forms = {}
    if may_adopt:
        for item in fields:
            if item.theme_field is None:
                continue
            for theme in item.themes:
                key = (item.theme_field.id, theme.number)
                if key not in adopted:
                    forms[key] = ThemeAdoptForm(
                        prefix=adopt_prefix(*key),
                        formdata=None,
                        data={"label": theme.default_label},
                    )
    if bound is not None:
        forms[bound[:2]] = bound[2]
    return (
        render_template(
            "reports/draft.html",
            job=job,
            found=found,
            fields=fields,
            adopted=adopted,
            forms=forms,
            may_adopt=may_adopt,
            labels_=labels,
        ),
        status,
    )


@roles_required(*coding.CODER_ROLES)
def adopt_theme(job_id: int, theme_id: int, number: int):
    job = services.finished_job(job_id) or abort(404)
    found = services.draft_themes(job)
    page = url_for("reports.show_draft", job_id=job.id)
    if found is None:
        flash(
            _("Dieser Entwurf enthält keine Themenvorschläge, die sich übernehmen lassen."),
            "error",
        )
        return redirect(page)
    theme_field = db.session.get(ThemeField, theme_id)
    if theme_field is None or theme_field.process_id != job.process_id:
        abort(404)
    theme = found.find(theme_field.slug, number) or abort(404)
    anchor = url_for("reports.show_draft", job_id=job.id, _anchor=adopt_prefix(theme_id, number))
    form = ThemeAdoptForm(prefix=adopt_prefix(theme_id, number))
    bound = (theme_id, number, form)
    if not form.validate_on_submit():
        return _render_draft(job, found, bound, status=400)
    try:
        code, count = suggestions.adopt_theme(
            current_user,
            job,
            theme_field,
            theme,
            label=form.label.data,
            description=form.description.data or "",
        )
    except suggestions.SuggestionError as error:
        db.session.rollback()
        if error.problem == SuggestionProblem.ALREADY_ADOPTED:
            flash(
                _(
                    "Themenvorschlag %(number)d im Themenfeld „%(field)s“ ist schon als Code "
                    "„%(label)s“ übernommen; er wurde nicht noch einmal angelegt.",
                    number=number,
                    field=theme_field.title,
                    label=error.code.label,
                ),
                "error",
            )
        else:
            flash(str(coding_labels.SUGGESTION_PROBLEM[error.problem]), "error")
        return redirect(anchor)
    except coding.CodebookError as error:
        db.session.rollback()
        if error.problem != CodebookChange.LABEL_TAKEN:
            raise
        form.label.errors = [str(coding_labels.CODEBOOK_PROBLEM[error.problem])]
        return _render_draft(job, found, bound, status=400)
    except IntegrityError:
        # Someone took the same theme over (or named a code so) at the same moment.
        db.session.rollback()
        flash(
            _(
                "Das Thema wurde eben von jemand anderem übernommen oder die Bezeichnung "
                "vergeben. Es wurde nichts angelegt; bitte prüfen Sie den Stand auf dieser Seite."
            ),
            "error",
        )
        return redirect(anchor)
    db.session.commit()
    flash(
        ngettext(
            "Der Code „%(label)s“ ist angelegt und für %(n)s Beitrag vorgeschlagen. "
            "Zugeordnet wird er erst, wenn jemand den Vorschlag annimmt.",
            "Der Code „%(label)s“ ist angelegt und für %(n)s Beiträge vorgeschlagen. "
            "Zugeordnet wird er einem Beitrag erst, wenn jemand den Vorschlag annimmt.",
            count,
            label=code.label,
            n=format_decimal(count),
        ),
        "success",
    )
    return redirect(anchor)


# -- publishing ----------------------------------------------------------------------------


def _process_or_404(process_id: int) -> Process:
    return db.session.get(Process, process_id) or abort(404)


def _forms(report_form=None, download_form=None):
    limit = current_app.config["RESULTS_MAX_UPLOAD_BYTES"]
    report_form = report_form or FilePublishForm(
        prefix="report", allowed=rules.REPORT_TYPES, max_bytes=limit, formdata=None
    )
    download_form = download_form or FilePublishForm(
        prefix="download", allowed=rules.DOWNLOAD_TYPES, max_bytes=limit, formdata=None
    )
    return report_form, download_form


def _render_publish(process: Process, report_form=None, download_form=None, status: int = 200):
    report_form, download_form = _forms(report_form, download_form)
    block = services.publish_block(process)
    return (
        render_template(
            "reports/publish.html",
            process=process,
            block=labels.PUBLISH_BLOCK[block] if block else None,
            report=services.published_report(process.id),
            downloads=services.published_downloads(process.id),
            report_form=report_form,
            download_form=download_form,
            figures=services.headline_figures(process.id),
            labels_=labels,
        ),
        status,
    )


@admin_only
def publish(process_id: int):
    return _render_publish(_process_or_404(process_id))


def _upload_form(prefix: str, allowed) -> tuple[FilePublishForm, bool]:
    """The posted form, parsed with room for one allowed file; (form, too_large)."""
    limit = current_app.config["RESULTS_MAX_UPLOAD_BYTES"]
    request.max_content_length = limit + FORM_OVERHEAD_BYTES
    try:
        request.files  # noqa: B018 - parses the body within the raised limit
    except RequestEntityTooLarge:
        form = FilePublishForm(prefix=prefix, allowed=allowed, max_bytes=limit, formdata=None)
        form.upload.errors = [
            _(
                "Die Datei ist zu groß. Erlaubt sind höchstens %(size)s.",
                size=labels.file_size(limit),
            )
        ]
        return form, True
    return FilePublishForm(prefix=prefix, allowed=allowed, max_bytes=limit), False


def _publish_upload(process_id: int, kind: FileKind):
    process = _process_or_404(process_id)
    prefix, allowed = (
        ("report", rules.REPORT_TYPES)
        if kind == FileKind.REPORT
        else ("download", rules.DOWNLOAD_TYPES)
    )
    form, too_large = _upload_form(prefix, allowed)
    forms = {"report_form" if kind == FileKind.REPORT else "download_form": form}
    if too_large:
        return _render_publish(process, **forms, status=413)
    valid = form.validate_on_submit()
    if form.csrf_token.errors:
        # The view is exempt from the global check (see blueprint.py): the form checks it.
        raise CSRFError(form.csrf_token.errors[0])
    block = services.publish_block(process)
    if block is not None:
        flash(str(labels.PUBLISH_BLOCK[block]), "error")
        return redirect(url_for("reports.publish", process_id=process.id))
    if not valid:
        return _render_publish(process, **forms)
    file_type, data = form.checked
    services.publish_file(
        current_user,
        process,
        kind,
        file_type,
        data,
        plain_text(form.title.data) or _("Datei"),
        plain_text(form.description.data),
    )
    db.session.commit()
    pagecache.store.clear()  # the results page and the process page show it at once
    if kind == FileKind.REPORT:
        flash(_("Der Ergebnisbericht ist veröffentlicht."), "success")
    else:
        flash(_("Die Datei ist veröffentlicht."), "success")
    return redirect(url_for("reports.publish", process_id=process.id))


@admin_only
def publish_report(process_id: int):
    return _publish_upload(process_id, FileKind.REPORT)


@admin_only
def add_download(process_id: int):
    return _publish_upload(process_id, FileKind.DOWNLOAD)


def _file_or_404(process_id: int, file_id: int) -> PublishedFile:
    published = db.session.get(PublishedFile, file_id)
    if published is None or published.process_id != process_id:
        abort(404)
    return published


@admin_only
def move_file(process_id: int, file_id: int):
    published = _file_or_404(process_id, file_id)
    if ActionForm().validate_on_submit() and published.kind == FileKind.DOWNLOAD:
        direction = -1 if request.form.get("richtung") == "hoch" else 1
        if services.move_download(current_user, published, direction):
            db.session.commit()
            pagecache.store.clear()
            flash(_("Die Reihenfolge ist geändert."), "success")
    return redirect(url_for("reports.publish", process_id=process_id) + "#downloads")


@admin_only
def remove_file(process_id: int, file_id: int):
    published = _file_or_404(process_id, file_id)
    if ActionForm().validate_on_submit():
        title = published.title
        services.remove_file(current_user, published)
        db.session.commit()
        pagecache.store.clear()
        flash(_("„%(title)s“ ist nicht mehr veröffentlicht.", title=title), "success")
    return redirect(url_for("reports.publish", process_id=process_id))


# -- public --------------------------------------------------------------------------------


def _public_process_or_404(slug: str) -> Process:
    return process_services.public_process(slug, current_user.is_authenticated) or abort(404)


@pagecache.cached
def results(slug: str):
    process = _public_process_or_404(slug)
    report = services.published_report(process.id)
    phase = rules.results_phase([p.span for p in process.phases])
    return render_template(
        "reports/results.html",
        process=process,
        report=report,
        downloads=services.published_downloads(process.id),
        figures=services.headline_figures(process.id) if report else None,
        results_phase=phase,
        labels_=labels,
    )


def download_file(slug: str, file_id: int, filename: str):
    process = _public_process_or_404(slug)
    published = _file_or_404(process.id, file_id)
    if filename != published.filename:
        return redirect(
            url_for(
                "reports.download_file", slug=slug, file_id=file_id, filename=published.filename
            ),
            code=301,
        )
    kind = rules.type_of_content_type(published.content_type)
    response = send_file(
        io.BytesIO(published.data),
        mimetype=published.content_type,
        as_attachment=not (kind and kind.inline),
        download_name=published.filename,
        etag=published.sha256,
        last_modified=published.published_at,
        max_age=3600,
        conditional=True,
    )
    response.headers["Content-Type"] = published.content_type  # as stored, charset included
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Even opened directly, a published file runs no script on our origin.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response
