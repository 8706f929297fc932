"""Code suggestions in the analysts' workspace: the list to go through per code, and accepting
or rejecting one (also from the answer's coding page). Themes are taken over as codes on the
page of a draft report (dialog.reports.views)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dialog.coding import labels, suggestions
from dialog.coding import services as coding
from dialog.coding.forms import CodingFilterForm, SuggestionDecisionForm, SuggestionFilterForm
from dialog.coding.models import CodeSuggestion
from dialog.coding.views import analysts_only
from dialog.common.http import id_arg
from dialog.extensions import db
from dialog.process import services as process_services
from dialog.process.selection import process_args, process_from_args

# Query arguments a decision keeps on its way back to the page it was made on: the list's
# selection and page, or the coding page's selection of answers.
KEPT_ARGS = frozenset(
    {*SuggestionFilterForm.FILTER_NAMES, *CodingFilterForm.FILTER_NAMES,
     *CodingFilterForm.FLAG_NAMES, "nach", "prozess"}
)  # fmt: skip


@analysts_only
def list_suggestions():
    process = process_from_args()
    codes = coding.codes_of(process.id)
    counts = suggestions.counts_by_code(process.id)
    suggested = [c for c in codes if c.id in counts]
    filter_form = SuggestionFilterForm(request.args, process=process, codes=suggested)
    filter_form.validate()
    filters = filter_form.filters()
    items, next_after = suggestions.suggestion_page(process.id, filters, id_arg("nach"))
    nav_args = {**filter_form.query_args(), **process_args(process)}
    return render_template(
        "coding/suggestions.html",
        process=process,
        processes=process_services.all_processes(),
        suggestions=items,
        next_after=next_after,
        total=suggestions.count_suggestions(process.id, filters),
        filter_form=filter_form,
        nav_args=nav_args,
        summary=[(c, counts[c.id]) for c in suggested],
        assigned=coding.codes_by_answer(s.answer_id for s in items),
        themes={t.id: t.title for t in process.theme_fields},
        status_labels=labels.SUGGESTION_STATUS,
        process_args=process_args(process),
    )


def _back(suggestion: CodeSuggestion, to_answer: bool) -> str:
    args = {k: v for k, v in request.args.items() if k in KEPT_ARGS}
    if to_answer:
        return url_for("coding.code_answer", answer_id=suggestion.answer_id, **args)
    return url_for("coding.list_suggestions", **args)


@analysts_only
def decide_suggestion(suggestion_id: int):
    suggestion = db.session.get(CodeSuggestion, suggestion_id) or abort(404)
    form = SuggestionDecisionForm()
    back = _back(suggestion, form.zurueck.data == "beitrag")
    if not form.validate_on_submit():
        flash(_("Bitte wählen Sie „Annehmen“ oder „Ablehnen“."), "error")
        return redirect(back)
    label = suggestion.code.label
    try:
        code = suggestions.decide(current_user, suggestion, accept=form.accept)
    except suggestions.SuggestionError as error:
        db.session.rollback()
        flash(str(labels.SUGGESTION_PROBLEM[error.problem]), "error")
        return redirect(back)
    db.session.commit()
    if form.accept:
        flash(
            _(
                "Der Code „%(label)s“ ist Beitrag %(id)d zugeordnet.",
                label=code.label,
                id=suggestion.answer_id,
            ),
            "success",
        )
    else:
        flash(
            _(
                "Der Vorschlag „%(label)s“ für Beitrag %(id)d ist abgelehnt.",
                label=label,
                id=suggestion.answer_id,
            ),
            "success",
        )
    return redirect(back)


def answer_suggestions(answer_id: int) -> list[CodeSuggestion]:
    """The answer's open suggestions, for its coding page (a template global)."""
    return suggestions.open_for_answer(answer_id)
