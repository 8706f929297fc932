"""Recommendations for staff and raters: list, create/edit, the page with evidence, live
support, ratings and status, and the lists of addressees and kinds of measure."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dialog.answers import labels as answer_labels
from dialog.coding.forms import ConfirmForm
from dialog.common.audit import AuditEntry
from dialog.common.permissions import Role, roles_required
from dialog.extensions import db
from dialog.process import services as process_services
from dialog.process.models import Process
from dialog.process.selection import process_args, process_from_args
from dialog.recommendations import labels, rules
from dialog.recommendations import services as recs
from dialog.recommendations.forms import (
    AnswerEvidenceForm,
    CodeEvidenceForm,
    DocumentationEvidenceForm,
    MergeEvidenceForm,
    OptionsForm,
    RatingForm,
    RecommendationFilterForm,
    RecommendationForm,
    StatusForm,
)
from dialog.recommendations.models import (
    Recommendation,
    RecommendationEvidence,
    RecommendationRating,
)
from dialog.recommendations.rules import EvidenceKind, OptionList

EDITORS = (Role.ANALYST, Role.ANALYST_LEAD)
READERS = (*EDITORS, Role.RATER)
editors_only = roles_required(*EDITORS)
readers_only = roles_required(*READERS)

# The evidence forms, by the word in their address.
EVIDENCE_SLUGS = {
    "beitrag": EvidenceKind.ANSWER,
    "code": EvidenceKind.CODE,
    "dokumentation": EvidenceKind.DOCUMENTATION,
    "empfehlung": EvidenceKind.RECOMMENDATION,
}


# --- Helpers ----------------------------------------------------------------------------


def is_editor() -> bool:
    return current_user.has_any_role(*EDITORS)


def _recommendation_or_404(rec_id: int, *, lock: bool = False) -> Recommendation:
    rec = db.session.get(Recommendation, rec_id, with_for_update=lock or None)
    if rec is None or not (is_editor() or rules.visible_to_raters(rec.status)):
        abort(404)
    return rec


def _disagreement_spread() -> int:
    return int(
        current_app.config.get(
            "RECOMMENDATION_DISAGREEMENT_SPREAD", rules.DEFAULT_DISAGREEMENT_SPREAD
        )
    )


def _others(rec: Recommendation | None, process_id: int) -> list[Recommendation]:
    return [r for r in recs.recommendations_of(process_id) if rec is None or r.id != rec.id]


def _recommendation_form(process, rec=None, **kwargs) -> RecommendationForm:
    return RecommendationForm(
        process=process,
        addressees=recs.options_of(process.id, OptionList.ADDRESSEE),
        measures=recs.options_of(process.id, OptionList.MEASURE),
        others=_others(rec, process.id),
        analysts=recs.responsible_candidates(),
        editing=rec,
        **kwargs,
    )


def _input(form: RecommendationForm) -> recs.RecommendationInput:
    return recs.RecommendationInput(
        title=form.title.data or "",
        text=form.text.data or "",
        theme_field_ids=form.theme_field_ids(),
        addressee=form.addressee.data or "",
        measure=form.measure.data or "",
        parent_id=form.parent_id(),
        responsible_id=form.responsible_id(),
    )


def _problem_at(form: RecommendationForm, error: recs.RecommendationError) -> None:
    target = (
        form.theme_fields if error.problem == rules.EvidenceProblem.OTHER_PROCESS else form.parent
    )
    target.errors = [*target.errors, str(labels.EVIDENCE_PROBLEM[error.problem])]


# --- List, create, edit -----------------------------------------------------------------


@readers_only
def list_recommendations():
    process = process_from_args()
    form = RecommendationFilterForm(request.args, process=process)
    form.validate()
    items = recs.recommendations_of(
        process.id,
        theme_field_id=form.theme_field_id(),
        status=form.status_value(),
        for_raters=not is_editor(),
    )
    rated = {r.recommendation_id for r in _own_ratings([r.id for r in items])}
    return render_template(
        "recommendations/list.html",
        process=process,
        processes=process_services.all_processes(),
        items=items,
        filter_form=form,
        rating_counts=recs.rating_counts([r.id for r in items]),
        rated=rated,
        status_labels=labels.STATUS,
        editor=is_editor(),
        process_args=process_args(process),
    )


def _own_ratings(rec_ids: list[int]) -> list[RecommendationRating]:
    if not rec_ids:
        return []
    stmt = sa.select(RecommendationRating).where(
        RecommendationRating.recommendation_id.in_(rec_ids),
        RecommendationRating.rater_id == current_user.id,
    )
    return list(db.session.scalars(stmt))


@editors_only
def new_recommendation():
    process = process_from_args()
    form = _recommendation_form(process)
    if form.validate_on_submit():
        try:
            rec = recs.create_recommendation(current_user, process, _input(form))
        except recs.RecommendationError as error:
            _problem_at(form, error)
        else:
            db.session.commit()
            flash(_("Die Empfehlung „%(title)s“ wurde angelegt.", title=rec.title), "success")
            return redirect(url_for("recommendations.show_recommendation", rec_id=rec.id))
    return render_template(
        "recommendations/form.html",
        process=process,
        form=form,
        rec=None,
        conflict=None,
        process_args=process_args(process),
    ), (400 if form.errors else 200)


def _last_editor(rec: Recommendation) -> AuditEntry | None:
    stmt = (
        sa.select(AuditEntry)
        .where(AuditEntry.object_type == "Recommendation", AuditEntry.object_id == str(rec.id))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


@editors_only
def edit_recommendation(rec_id: int):
    rec = _recommendation_or_404(rec_id)
    process = db.session.get(Process, rec.process_id)
    form = _recommendation_form(
        process,
        rec,
        data={
            "title": rec.title,
            "text": rec.text,
            "theme_fields": [str(t.id) for t in rec.theme_fields],
            "addressee": rec.addressee,
            "measure": rec.measure,
            "parent": str(rec.parent_id or ""),
            "responsible": str(rec.responsible_id or ""),
            "version": str(rec.version),
        },
    )
    conflict = None
    if form.validate_on_submit():
        try:
            changed = recs.update_recommendation(
                current_user, rec, _input(form), form.version_number() or 0
            )
        except recs.VersionConflict:
            db.session.rollback()
            rec = db.session.get(Recommendation, rec_id)
            conflict = _last_editor(rec)
            form.form_errors.append(
                _(
                    "Diese Empfehlung wurde inzwischen von jemand anderem geändert. Ihre "
                    "Änderungen sind noch nicht gespeichert: Sie stehen unten im Formular. "
                    "Bitte vergleichen Sie sie mit der aktuellen Fassung und speichern Sie "
                    "erneut, wenn Ihre Fassung gelten soll."
                )
            )
            # Saving again is a decision made with the current version in view.
            form.version.data = str(rec.version)
        except recs.RecommendationError as error:
            db.session.rollback()
            _problem_at(form, error)
        else:
            db.session.commit()
            if changed:
                flash(_("Die Empfehlung wurde gespeichert."), "success")
            else:
                flash(_("Es gab keine Änderungen."), "info")
            return redirect(url_for("recommendations.show_recommendation", rec_id=rec.id))
    status = 409 if conflict is not None or form.form_errors else (400 if form.errors else 200)
    return render_template(
        "recommendations/form.html",
        process=process,
        form=form,
        rec=rec,
        conflict=conflict,
        conflicted=bool(form.form_errors),
        process_args=process_args(process),
    ), status


# --- The recommendation's page ----------------------------------------------------------


def _evidence_forms(rec: Recommendation, formdata=None, **given) -> dict:
    """The four evidence forms, empty unless given (the one just sent, with its errors)."""
    process_id = rec.process_id
    return {
        "answer_form": given.get("answer_form") or AnswerEvidenceForm(formdata=None),
        "code_form": given.get("code_form")
        or CodeEvidenceForm(codes=recs.codes_of(process_id), formdata=None),
        "documentation_form": given.get("documentation_form")
        or DocumentationEvidenceForm(
            entries=recs.documentation_of_process(process_id), formdata=None
        ),
        "merge_form": given.get("merge_form")
        or MergeEvidenceForm(others=_others(rec, process_id), formdata=None),
    }


def _show_page(rec: Recommendation, status: int = 200, **given):
    editor = is_editor()
    ratings = recs.ratings_of(rec.id)
    own = next((r for r in ratings if r.rater_id == current_user.id), None)
    sees = rules.sees_others_ratings(
        has_own_rating=own is not None, is_lead=current_user.has_any_role(Role.ANALYST_LEAD)
    )
    rating_form = given.get("rating_form") or RatingForm(
        formdata=None,
        data={
            "effectiveness": str(own.effectiveness) if own else None,
            "feasibility": str(own.feasibility) if own else None,
            "reason": own.reason if own else "",
        },
    )
    evidence = recs.evidence_of(rec.id) if editor else []
    code_ids = [e.code_id for e in evidence if e.kind == EvidenceKind.CODE]
    context = {
        "rec": rec,
        "process": db.session.get(Process, rec.process_id),
        "editor": editor,
        "status_labels": labels.STATUS,
        "kind_labels": labels.EVIDENCE_KIND,
        "perspective_labels": answer_labels.PERSPECTIVE,
        "channel_labels": answer_labels.CHANNEL,
        "criteria": labels.CRITERIA,
        "support": recs.support(rec),
        "answers": recs.supporting_answers(rec) if editor else [],
        "answer_limit": recs.ANSWER_LIST_LIMIT,
        "evidence": evidence,
        "code_counts": recs.code_answer_counts(code_ids),
        "children": recs.children_of(rec.id),
        "merged_into": recs.merged_into(rec.id),
        "history": recs.status_history(rec.id) if editor else [],
        "ratings": ratings if sees else [],
        "rating_count": len(ratings),
        "sees_ratings": sees,
        "own_rating": own,
        "summary": recs.summary(ratings, _disagreement_spread()) if sees else {},
        "spread_threshold": _disagreement_spread(),
        "rating_open": rules.rating_open(rec.status),
        "rating_form": rating_form,
        "status_form": (
            given.get("status_form") or StatusForm(current=rec.status, formdata=None)
        ).offer_allowed(),
    }
    if editor:
        context.update(_evidence_forms(rec, **given))
    return render_template("recommendations/show.html", **context), status


@readers_only
def show_recommendation(rec_id: int):
    return _show_page(_recommendation_or_404(rec_id))


@editors_only
def change_status(rec_id: int):
    rec = _recommendation_or_404(rec_id, lock=True)
    form = StatusForm(current=rec.status)
    if form.validate_on_submit():
        target = form.target()
        try:
            recs.change_status(
                current_user,
                rec,
                target,
                reason=form.reason.data or "",
                public_note=form.public_note.data or "",
                progress=form.progress.data,
                link=form.link.data or "",
            )
        except recs.RecommendationError as error:
            db.session.rollback()
            rec = _recommendation_or_404(rec_id)
            form.status.errors = [*form.status.errors, str(labels.STATUS_PROBLEM[error.problem])]
        else:
            db.session.commit()
            flash(
                _("Neuer Status: %(status)s.", status=labels.STATUS[target]),
                "success",
            )
            return redirect(url_for("recommendations.show_recommendation", rec_id=rec.id))
    return _show_page(rec, 400, status_form=form)


@editors_only
def add_evidence(rec_id: int, kind: str):
    rec = _recommendation_or_404(rec_id)
    evidence_kind = EVIDENCE_SLUGS.get(kind) or abort(404)
    process_id = rec.process_id
    if evidence_kind == EvidenceKind.ANSWER:
        form, name = AnswerEvidenceForm(), "answer_form"
        field = form.answer_id

        def link():
            recs.add_answer(current_user, rec, form.answer_id.data)
    elif evidence_kind == EvidenceKind.CODE:
        form, name = CodeEvidenceForm(codes=recs.codes_of(process_id)), "code_form"
        field = form.code

        def link():
            recs.add_code(current_user, rec, int(form.code.data))
    elif evidence_kind == EvidenceKind.DOCUMENTATION:
        entries = recs.documentation_of_process(process_id)
        form, name = DocumentationEvidenceForm(entries=entries), "documentation_form"
        field = form.entry

        def link():
            recs.add_documentation(current_user, rec, int(form.entry.data))
    else:
        form, name = MergeEvidenceForm(others=_others(rec, process_id)), "merge_form"
        field = form.source

        def link():
            recs.merge_recommendation(current_user, rec, int(form.source.data))

    if form.validate_on_submit():
        try:
            link()
        except recs.RecommendationError as error:
            db.session.rollback()
            rec = _recommendation_or_404(rec_id)
            field.errors = [*field.errors, str(labels.EVIDENCE_PROBLEM[error.problem])]
        else:
            db.session.commit()
            flash(_("Der Beleg wurde verknüpft."), "success")
            return redirect(
                url_for("recommendations.show_recommendation", rec_id=rec.id, _anchor="belege")
            )
    return _show_page(rec, 400, **{name: form})


@editors_only
def remove_evidence(rec_id: int, evidence_id: int):
    rec = _recommendation_or_404(rec_id)
    evidence = db.session.get(RecommendationEvidence, evidence_id)
    if evidence is None or evidence.recommendation_id != rec.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        recs.remove_evidence(current_user, rec, evidence)
        db.session.commit()
        flash(_("Der Beleg wurde entfernt."), "success")
    else:
        flash(_("Die Sitzung ist abgelaufen. Bitte versuchen Sie es noch einmal."), "error")
    return redirect(url_for("recommendations.show_recommendation", rec_id=rec.id, _anchor="belege"))


@readers_only
def rate_recommendation(rec_id: int):
    rec = _recommendation_or_404(rec_id)
    form = RatingForm()
    if form.validate_on_submit():
        try:
            recs.rate(
                current_user,
                rec,
                effectiveness=form.score("effectiveness"),
                feasibility=form.score("feasibility"),
                reason=form.reason.data or "",
            )
        except recs.RecommendationError as error:
            db.session.rollback()
            rec = _recommendation_or_404(rec_id)
            form.form_errors.append(str(labels.RATING_PROBLEM[error.problem]))
        else:
            db.session.commit()
            flash(_("Ihre Bewertung wurde gespeichert."), "success")
            return redirect(
                url_for("recommendations.show_recommendation", rec_id=rec.id, _anchor="bewertung")
            )
    return _show_page(rec, 400, rating_form=form)


# --- Lists of addressees and kinds of measure -------------------------------------------


@editors_only
def edit_options():
    process = process_from_args()
    current = {kind: recs.options_of(process.id, kind) for kind in OptionList}
    form = OptionsForm(
        data={
            "addressees": "\n".join(current[OptionList.ADDRESSEE]),
            "measures": "\n".join(current[OptionList.MEASURE]),
        }
    )
    if form.validate_on_submit():
        changed = False
        for kind in OptionList:
            changed |= recs.save_options(current_user, process, kind, form.entries(kind))
        db.session.commit()
        flash(
            _("Die Listen wurden gespeichert.") if changed else _("Es gab keine Änderungen."),
            "success" if changed else "info",
        )
        return redirect(url_for("recommendations.edit_options", **process_args(process)))
    return render_template(
        "recommendations/options.html",
        process=process,
        processes=process_services.all_processes(),
        form=form,
        defaults=rules.DEFAULT_OPTIONS,
        process_args=process_args(process),
    ), (400 if form.errors else 200)
