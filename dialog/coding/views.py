"""The analysts' workspace: codebook, coding list and answer page, bulk assignment, samples."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from dialog.answers.models import Answer
from dialog.coding import labels, rules
from dialog.coding import services as coding
from dialog.coding.forms import (
    BulkChooseForm,
    BulkConfirmForm,
    CodeForm,
    CodingFilterForm,
    CodingForm,
    ConfirmForm,
    MergeForm,
    SampleForm,
)
from dialog.coding.models import Code, CodingSample, CodingSampleAnswer
from dialog.common.http import id_arg
from dialog.common.permissions import Role, roles_required
from dialog.events import services as event_services
from dialog.extensions import db
from dialog.process import services as process_services
from dialog.process.models import Process, ThemeField
from dialog.process.selection import process_args, process_from_args

analysts_only = roles_required(Role.ANALYST, Role.ANALYST_LEAD)
samples_page = roles_required(Role.ANALYST, Role.ANALYST_LEAD, Role.ADMIN)
leads_only = roles_required(Role.ANALYST_LEAD, Role.ADMIN)


# --- Helpers ----------------------------------------------------------------------------


def _filter_form(process: Process, codes: list[Code], formdata=None) -> CodingFilterForm:
    form = CodingFilterForm(
        request.args if formdata is None else formdata,
        process=process,
        events=event_services.all_process_events(process.id),
        codes=codes,
    )
    form.validate()
    return form


def _sample_scope() -> tuple[CodingSample | None, coding.Scope]:
    """The sample of ?stichprobe= (only for its two coders) and whose codes count."""
    sample_id = id_arg("stichprobe")
    if sample_id is None:
        return None, coding.SHARED
    sample = db.session.get(CodingSample, sample_id) or abort(404)
    if current_user.id not in (sample.coder_a_id, sample.coder_b_id):
        abort(403)
    return sample, coding.Scope(sample_id=sample.id, coder_id=current_user.id)


def _nav_args(filter_form: CodingFilterForm, process: Process, sample) -> dict:
    args = {**filter_form.query_args(), **process_args(process)}
    if sample is not None:
        args["stichprobe"] = sample.id
    return args


def _code_or_404(code_id: int) -> Code:
    return db.session.get(Code, code_id) or abort(404)


def _problem(error: coding.CodebookError) -> str:
    return str(labels.CODEBOOK_PROBLEM[error.problem])


# --- Codebook ---------------------------------------------------------------------------


@analysts_only
def codebook():
    process = process_from_args()
    codes = coding.codes_of(process.id)
    form = CodeForm(process=process, codes=codes)
    if form.validate_on_submit():
        try:
            code = coding.create_code(
                current_user,
                process.id,
                label=form.label.data,
                description=form.description.data or "",
                theme_field_id=form.theme_field_id,
                parent=_parent(form, process),
            )
        except coding.CodebookError as error:
            _form_problem(form, error)
        else:
            db.session.commit()
            flash(_("Der Code „%(label)s“ wurde angelegt.", label=code.label), "success")
            return redirect(url_for("coding.codebook", **process_args(process)))
    return render_template(
        "coding/codebook.html",
        process=process,
        processes=process_services.all_processes(),
        tree=coding.code_tree(codes),
        merged=[c for c in codes if c.merged_into_id is not None],
        by_id={c.id: c for c in codes},
        counts=coding.assignment_counts(process.id),
        form=form,
        process_args=process_args(process),
    )


def _parent(form: CodeForm, process: Process) -> Code | None:
    if form.parent_id is None:
        return None
    parent = db.session.get(Code, form.parent_id)
    if parent is None or parent.process_id != process.id:
        raise coding.CodebookError(rules.CodebookProblem.OTHER_PROCESS)
    return parent


def _form_problem(form: CodeForm, error: coding.CodebookError) -> None:
    target = form.label if error.problem == rules.CodebookChange.LABEL_TAKEN else form.parent
    target.errors = [*target.errors, _problem(error)]


@analysts_only
def edit_code(code_id: int):
    code = _code_or_404(code_id)
    process = db.session.get(Process, code.process_id)
    codes = coding.codes_of(process.id)
    form = CodeForm(
        process=process,
        codes=codes,
        editing=code,
        data={
            "label": code.label,
            "description": code.description,
            "parent": str(code.parent_id or ""),
            "theme_field": str(code.theme_field_id or ""),
        },
    )
    if code.merged_into_id is None and form.validate_on_submit():
        try:
            coding.update_code(
                current_user,
                code,
                label=form.label.data,
                description=form.description.data or "",
                theme_field_id=form.theme_field_id,
                parent=_parent(form, process),
            )
        except coding.CodebookError as error:
            _form_problem(form, error)
        else:
            db.session.commit()
            flash(_("Der Code wurde gespeichert."), "success")
            return redirect(url_for("coding.edit_code", code_id=code.id))
    return _code_page(code, process, codes, form, MergeForm(codes=codes, source=code))


def _code_page(code, process, codes, form, merge_form, status: int = 200):
    entries, events = coding.code_history(code)
    return (
        render_template(
            "coding/code_edit.html",
            code=code,
            process=process,
            by_id={c.id: c for c in codes},
            form=form,
            merge_form=merge_form,
            confirm_form=ConfirmForm(),
            count=coding.assignment_counts(process.id).get(code.id, 0),
            originals=coding.original_code_counts(code),
            entries=entries,
            events=events,
            action_labels=labels.ACTION,
            process_args=process_args(process),
        ),
        status,
    )


def _confirmed() -> bool:
    if not ConfirmForm().validate_on_submit():
        flash(_("Die Sitzung ist abgelaufen. Bitte versuchen Sie es noch einmal."), "error")
        return False
    return True


@analysts_only
def retire_code(code_id: int):
    code = _code_or_404(code_id)
    if _confirmed():
        try:
            coding.retire_code(current_user, code)
        except coding.CodebookError as error:
            flash(_problem(error), "error")
        else:
            db.session.commit()
            flash(_("Der Code wurde stillgelegt: Er wird nicht mehr angeboten."), "success")
    return redirect(url_for("coding.edit_code", code_id=code_id))


@analysts_only
def reactivate_code(code_id: int):
    code = _code_or_404(code_id)
    if _confirmed():
        try:
            coding.reactivate_code(current_user, code)
        except coding.CodebookError as error:
            flash(_problem(error), "error")
        else:
            db.session.commit()
            flash(_("Der Code ist wieder aktiv."), "success")
    return redirect(url_for("coding.edit_code", code_id=code_id))


@analysts_only
def merge_code(code_id: int):
    code = _code_or_404(code_id)
    process = db.session.get(Process, code.process_id)
    codes = coding.codes_of(process.id)
    merge_form = MergeForm(codes=codes, source=code)
    if merge_form.validate_on_submit():
        target = db.session.get(Code, int(merge_form.target.data))
        try:
            moved = coding.merge_code(current_user, code, target)
        except coding.CodebookError as error:
            merge_form.target.errors = [_problem(error)]
        else:
            db.session.commit()
            flash(
                ngettext(
                    "Zusammengeführt: %(n)s Zuordnung ist auf „%(label)s“ übergegangen.",
                    "Zusammengeführt: %(n)s Zuordnungen sind auf „%(label)s“ übergegangen.",
                    moved,
                    n=format_decimal(moved),
                    label=target.label,
                ),
                "success",
            )
            return redirect(url_for("coding.edit_code", code_id=target.id))
    form = CodeForm(
        process=process,
        codes=codes,
        editing=code,
        formdata=None,
        data={
            "label": code.label,
            "description": code.description,
            "parent": str(code.parent_id or ""),
            "theme_field": str(code.theme_field_id or ""),
        },
    )
    return _code_page(code, process, codes, form, merge_form, status=400)


# --- Coding -----------------------------------------------------------------------------


@analysts_only
def list_answers():
    sample, scope = _sample_scope()
    process = db.session.get(Process, sample.process_id) if sample else process_from_args()
    codes = coding.codes_of(process.id)
    filter_form = _filter_form(process, codes)
    filters = filter_form.filters()
    items, next_after = coding.answer_page(process.id, filters, id_arg("nach"), scope)
    ids = [a.id for a in items]
    return render_template(
        "coding/answers.html",
        process=process,
        processes=process_services.all_processes(),
        sample=sample,
        answers=items,
        next_after=next_after,
        total=coding.count_answers(process.id, filters, scope),
        filter_form=filter_form,
        nav_args=_nav_args(filter_form, process, sample),
        codes_by_answer=coding.codes_by_answer(ids, scope),
        annotations={} if sample else coding.annotations_by_answer(ids),
        themes={t.id: t.title for t in process.theme_fields},
        process_args=process_args(process),
        bulk_form=None if sample else BulkChooseForm(codes=codes, formdata=None),
    )


def _offered_groups(codes: list[Code]) -> tuple[list[tuple[Code, list[Code]]], list[Code]]:
    """Checkbox groups (a top-level code and its active sub-codes) and the active codes."""
    groups, offered = [], []
    for node in coding.code_tree(codes):
        options = ([node.code] if node.code.active else []) + [c for c in node.children if c.active]
        if options:
            groups.append((node.code, options))
            offered.extend(options)
    return groups, offered


@analysts_only
def code_answer(answer_id: int):
    sample, scope = _sample_scope()
    answer = db.session.get(Answer, answer_id) or abort(404)
    theme = db.session.get(ThemeField, answer.theme_field_id)
    process = db.session.get(Process, theme.process_id)
    if sample is not None:
        in_sample = db.session.get(CodingSampleAnswer, (sample.id, answer.id))
        if in_sample is None:
            abort(404)
    codes = coding.codes_of(process.id)
    filter_form = _filter_form(process, codes)
    filters = filter_form.filters()
    nav_args = _nav_args(filter_form, process, sample)
    groups, offered = _offered_groups(codes)
    assigned = coding.assigned_code_ids(answer.id, scope)
    annotation = None if sample else coding.annotations_by_answer([answer.id]).get(answer.id)
    rating = None if sample else coding.own_rating(answer.id, current_user.id)
    form = CodingForm(
        offered=offered,
        data={
            "codes": [str(c.id) for c in offered if c.id in assigned],
            "note": annotation.note if annotation else "",
            "is_proposal": annotation.is_proposal if annotation else False,
            "effectiveness": str(rating.effectiveness or "") if rating else "",
            "feasibility": str(rating.feasibility or "") if rating else "",
        },
    )
    if form.validate_on_submit():
        blind = sample is not None
        data = coding.CodingInput(
            code_ids=form.code_ids(),
            offered_ids=frozenset(c.id for c in offered),
            note=None if blind else form.note.data or "",
            is_proposal=None if blind else bool(form.is_proposal.data),
            effectiveness=None if blind else form.rating("effectiveness"),
            feasibility=None if blind else form.rating("feasibility"),
            rate=not blind,
        )
        coding.save_coding(current_user, answer, data, scope)
        db.session.commit()
        flash(_("Die Codierung von Beitrag %(id)d wurde gespeichert.", id=answer.id), "success")
        if request.form.get("aktion") == "speichern":
            return redirect(url_for("coding.code_answer", answer_id=answer.id, **nav_args))
        next_id = coding.next_answer_id(process.id, filters, answer.id, scope)
        if next_id is None:
            flash(_("Das war der letzte Beitrag dieser Auswahl."), "info")
            return redirect(url_for("coding.list_answers", **nav_args))
        return redirect(url_for("coding.code_answer", answer_id=next_id, **nav_args))
    submission = answer.submission
    next_id = coding.next_answer_id(process.id, filters, answer.id, scope)
    return render_template(
        "coding/answer.html",
        answer=answer,
        submission=submission,
        theme=theme,
        process=process,
        sample=sample,
        form=form,
        groups=groups,
        assigned_elsewhere=[
            c for c in codes if c.id in assigned and c not in offered
        ],  # retired or merged: kept, not offered
        group=answer.campaign_group,
        history=[] if sample else coding.answer_history(answer.id),
        action_labels=labels.ACTION,
        by_id={c.id: c for c in codes},
        nav_args=nav_args,
        next_id=next_id,
    ), (400 if form.errors else 200)


@analysts_only
def bulk_assign():
    process = process_from_args()
    codes = coding.codes_of(process.id)
    filter_form = _filter_form(process, codes)
    filters = filter_form.filters()
    list_url = url_for("coding.list_answers", **_nav_args(filter_form, process, None))
    choose = BulkChooseForm(request.args, codes=codes)
    if not choose.validate():
        flash(_("Bitte wählen Sie einen aktiven Code für die Sammelzuordnung."), "error")
        return redirect(list_url)
    code = db.session.get(Code, int(choose.sammelcode.data))
    if code is None or code.process_id != process.id or not code.active:
        abort(404)
    confirm = BulkConfirmForm()
    if request.method == "POST":
        if not confirm.validate_on_submit():
            flash(_("Die Sitzung ist abgelaufen. Bitte versuchen Sie es noch einmal."), "error")
            return redirect(request.full_path)
        count = coding.bulk_assign(current_user, process.id, filters, code)
        db.session.commit()
        flash(
            ngettext(
                "Der Code „%(label)s“ wurde %(n)s Beitrag zugeordnet.",
                "Der Code „%(label)s“ wurde %(n)s Beiträgen zugeordnet.",
                count,
                n=format_decimal(count),
                label=code.label,
            ),
            "success",
        )
        return redirect(list_url)
    return render_template(
        "coding/bulk_confirm.html",
        process=process,
        code=code,
        total=coding.count_answers(process.id, filters),
        missing=coding.count_without_code(process.id, filters, code),
        filter_form=filter_form,
        confirm_form=confirm,
        list_url=list_url,
        described=describe_filters(filter_form),
    )


def describe_filters(form: CodingFilterForm) -> list[tuple[str, str]]:
    """The active filters as (label, chosen value) for people."""
    described = []
    for name in form.FILTER_NAMES:
        value = form.valid_data(name)
        if value:
            chosen = next((str(c[1]) for c in form[name].iter_choices() if c[0] == value), value)
            described.append((str(form[name].label.text), chosen))
    for name in form.FLAG_NAMES:
        if form[name].data:
            described.append((str(form[name].label.text), _("ja")))
    return described


# --- Samples ----------------------------------------------------------------------------


@samples_page
def list_samples():
    process = process_from_args()
    is_lead = current_user.has_any_role(Role.ANALYST_LEAD, Role.ADMIN)
    mine = coding.samples_of(process.id, coder_id=current_user.id)
    every = coding.samples_of(process.id) if is_lead else []
    codes = coding.codes_of(process.id)
    return render_template(
        "coding/samples.html",
        process=process,
        mine=mine,
        every=every,
        is_lead=is_lead,
        progress=coding.sample_progress({*mine, *every}),
        share=rules.coded_share,
        describe=lambda s: describe_filters(_filter_form(process, codes, MultiDict(s.filters))),
        process_args=process_args(process),
    )


@leads_only
def new_sample():
    process = process_from_args()
    codes = coding.codes_of(process.id)
    coders = coding.coders()
    form = SampleForm(
        process=process,
        events=event_services.all_process_events(process.id),
        codes=codes,
        coders=coders,
    )
    if form.validate_on_submit():
        by_id = {str(u.id): u for u in coders}
        try:
            sample = coding.create_sample(
                current_user,
                process.id,
                name=form.name.data,
                percent=float(form.percent.data),
                coder_a=by_id[form.coder_a.data],
                coder_b=by_id[form.coder_b.data],
                filters=form.filters(),
                filter_args=form.query_args(),
            )
        except coding.SampleError:
            form.form_errors.append(
                _("Die gewählte Auswahl enthält keine Beiträge. Bitte ändern Sie die Filter.")
            )
        else:
            db.session.commit()
            flash(
                _("Die Stichprobe „%(name)s“ wurde gezogen.", name=sample.name),
                "success",
            )
            return redirect(url_for("coding.list_samples", **process_args(process)))
    return render_template(
        "coding/sample_new.html",
        process=process,
        form=form,
        process_args=process_args(process),
    ), (400 if form.errors or form.form_errors else 200)
