"""Event documentation for staff: per event the points raised (per Dialoginsel, workshop or
hearing), each citable as evidence of a recommendation, optionally with a file."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from dialog.coding.forms import ConfirmForm
from dialog.common.permissions import Role, roles_required
from dialog.events import services as event_services
from dialog.events.models import Event
from dialog.extensions import db
from dialog.process import services as process_services
from dialog.process.selection import process_args, process_from_args
from dialog.recommendations import files, labels
from dialog.recommendations import services as recs
from dialog.recommendations.forms import DocumentationEntryForm, FinalConferenceForm
from dialog.recommendations.models import EventDocumentationEntry
from dialog.reports.labels import file_size

documenters_only = roles_required(Role.ANALYST, Role.ANALYST_LEAD, Role.ADMIN)
FORM_OVERHEAD_BYTES = 64 * 1024


def _event_or_404(event_id: int) -> Event:
    return db.session.get(Event, event_id) or abort(404)


def _entry_or_404(entry_id: int) -> EventDocumentationEntry:
    return db.session.get(EventDocumentationEntry, entry_id) or abort(404)


def _posted_form(event: Event) -> tuple[DocumentationEntryForm, bool]:
    """The posted form, parsed with room for one file; (form, too_large).

    The view is exempt from the global CSRF check, which would enforce the smaller
    MAX_CONTENT_LENGTH before the limit is raised here: the form checks the token itself.
    """
    limit = files.max_bytes()
    request.max_content_length = limit + FORM_OVERHEAD_BYTES
    try:
        request.files  # noqa: B018 - parses the body within the raised limit
    except RequestEntityTooLarge:
        form = DocumentationEntryForm(event=event, max_bytes=limit, formdata=None)
        form.upload.errors = [
            _("Die Datei ist zu groß. Erlaubt sind höchstens %(size)s.", size=file_size(limit))
        ]
        return form, True
    return DocumentationEntryForm(event=event, max_bytes=limit), False


def _input(form: DocumentationEntryForm) -> recs.EntryInput:
    return recs.EntryInput(
        text=form.text.data or "",
        session_label=form.session_label.data or "",
        theme_field_id=form.theme_field_id(),
        agreement_count=form.agreement_count.data,
    )


def _upload(form: DocumentationEntryForm) -> recs.Upload | None:
    storage = form.file()
    if storage is None:
        return None
    return recs.Upload(name=storage.filename, data=storage.stream.read(files.max_bytes() + 1))


def _check_csrf(form: DocumentationEntryForm) -> None:
    if request.method == "POST" and form.csrf_token.errors:
        raise CSRFError(form.csrf_token.errors[0])


def _upload_problem(form: DocumentationEntryForm, error: files.UploadError) -> None:
    message = labels.UPLOAD_PROBLEM[error.problem]
    if error.problem == files.UploadProblem.TOO_LARGE:
        message = _(
            "Die Datei ist zu groß. Erlaubt sind höchstens %(size)s.",
            size=file_size(files.max_bytes()),
        )
    form.upload.errors = [*form.upload.errors, str(message)]


@documenters_only
def list_documented_events():
    process = process_from_args()
    events = event_services.all_process_events(process.id)
    return render_template(
        "recommendations/events.html",
        process=process,
        processes=process_services.all_processes(),
        events=events,
        counts=recs.documentation_counts([e.id for e in events]),
        process_args=process_args(process),
    )


@documenters_only
def event_documentation(event_id: int):
    event = _event_or_404(event_id)
    if request.method == "POST":
        form, too_large = _posted_form(event)
        valid = not too_large and form.validate_on_submit()
        _check_csrf(form)
        if valid:
            try:
                recs.create_entry(current_user, event, _input(form), _upload(form))
            except files.UploadError as error:
                db.session.rollback()
                _upload_problem(form, error)
            except recs.RecommendationError as error:
                db.session.rollback()
                form.theme_field.errors = [str(labels.EVIDENCE_PROBLEM[error.problem])]
            else:
                db.session.commit()
                flash(_("Der Eintrag wurde gespeichert."), "success")
                return redirect(url_for("recommendations.event_documentation", event_id=event.id))
        status = 413 if too_large else 400
    else:
        form, status = DocumentationEntryForm(event=event, max_bytes=files.max_bytes()), 200
    return _documentation_page(event, form, status)


def _conference_form(event: Event, **kwargs) -> FinalConferenceForm:
    return FinalConferenceForm(recommendations=recs.recommendations_of(event.process_id), **kwargs)


def _documentation_page(event: Event, form, status: int, conference_form=None):
    if conference_form is None:
        conference_form = _conference_form(
            event,
            formdata=None,
            data={
                "is_final": event.is_final_conference,
                "recommendations": recs.presented_ids(event.id),
            },
        )
    return render_template(
        "recommendations/documentation.html",
        event=event,
        entries=recs.documentation_of(event.id),
        form=form,
        conference_form=conference_form,
        confirm_form=ConfirmForm(),
        process_args=process_args(event.process),
    ), status


@documenters_only
def final_conference(event_id: int):
    """Mark the event as the Abschlusskonferenz and set the recommendations presented there."""
    event = _event_or_404(event_id)
    form = _conference_form(event)
    if form.validate_on_submit():
        try:
            changed = recs.set_final_conference(
                current_user, event, bool(form.is_final.data), form.recommendations.data or []
            )
        except recs.RecommendationError as error:
            db.session.rollback()
            form.recommendations.errors = [str(labels.EVIDENCE_PROBLEM[error.problem])]
        else:
            db.session.commit()
            if changed:
                flash(_("Die Angaben zur Abschlusskonferenz wurden gespeichert."), "success")
            else:
                flash(_("Sie haben nichts geändert."), "info")
            return redirect(
                url_for("recommendations.event_documentation", event_id=event.id)
                + "#final-conference"
            )
    entry_form = DocumentationEntryForm(event=event, max_bytes=files.max_bytes(), formdata=None)
    return _documentation_page(event, entry_form, 400, conference_form=form)


@documenters_only
def edit_documentation(entry_id: int):
    entry = _entry_or_404(entry_id)
    event = entry.event
    if request.method == "POST":
        form, too_large = _posted_form(event)
        valid = not too_large and form.validate_on_submit()
        _check_csrf(form)
        if valid:
            try:
                obsolete = recs.update_entry(
                    current_user,
                    entry,
                    _input(form),
                    _upload(form),
                    remove_file=bool(form.remove_file.data),
                )
            except files.UploadError as error:
                db.session.rollback()
                _upload_problem(form, error)
            except recs.RecommendationError as error:
                db.session.rollback()
                form.theme_field.errors = [str(labels.EVIDENCE_PROBLEM[error.problem])]
            else:
                db.session.commit()
                files.remove(obsolete)  # only once the entry no longer names it
                flash(_("Der Eintrag wurde gespeichert."), "success")
                return redirect(url_for("recommendations.event_documentation", event_id=event.id))
            entry = _entry_or_404(entry_id)
        status = 413 if too_large else 400
    else:
        form = DocumentationEntryForm(
            event=event,
            max_bytes=files.max_bytes(),
            data={
                "session_label": entry.session_label,
                "text": entry.text,
                "theme_field": str(entry.theme_field_id or ""),
                "agreement_count": entry.agreement_count,
            },
        )
        status = 200
    return render_template(
        "recommendations/documentation_edit.html",
        entry=entry,
        event=entry.event,
        form=form,
        citing=recs.recommendations_citing(entry.id),
    ), status


@documenters_only
def delete_documentation(entry_id: int):
    entry = _entry_or_404(entry_id)
    event_id = entry.event_id
    if ConfirmForm().validate_on_submit():
        stored = recs.delete_entry(current_user, entry)
        db.session.commit()
        files.remove(stored)
        flash(_("Der Eintrag wurde gelöscht."), "success")
    else:
        flash(_("Die Sitzung ist abgelaufen. Bitte versuchen Sie es noch einmal."), "error")
    return redirect(url_for("recommendations.event_documentation", event_id=event_id))


@documenters_only
def documentation_file(entry_id: int):
    entry = _entry_or_404(entry_id)
    if not entry.stored_name:
        abort(404)
    path = files.path_of(entry.stored_name)
    if not path.is_file():
        abort(404)
    return send_file(
        path,
        mimetype=entry.content_type,
        as_attachment=False,
        download_name=entry.file_name,
        max_age=0,
    )
