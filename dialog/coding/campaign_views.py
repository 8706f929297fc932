"""Possible campaigns in the analysts' workspace: the groups of near-copies of a process, one
group with its answers, the analysts' decisions, and recomputing groups and flags."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from dialog.coding.forms import CampaignDecideForm, CampaignSplitForm, ConfirmForm
from dialog.coding.views import analysts_only
from dialog.common.http import id_arg
from dialog.extensions import db
from dialog.process import services as process_services
from dialog.process.models import Process
from dialog.process.selection import process_args, process_from_args
from dialog.quality import labels as quality_labels
from dialog.quality import services as quality
from dialog.quality.models import CampaignGroup
from dialog.quality.rules import CampaignStatus, SplitAction


def _web_limit() -> int:
    return current_app.config["CAMPAIGNS_WEB_MAX_ANSWERS"]  # beyond: `flask find-campaigns`


@analysts_only
def list_campaigns():
    process = process_from_args()
    return render_template(
        "coding/campaigns.html",
        process=process,
        processes=process_services.all_processes(),
        groups=quality.groups_of(process.id),
        answers=quality.count_answers(process.id),
        limit=_web_limit(),
        last_run=quality.last_detection(process),
        confirm_form=ConfirmForm(),
        process_args=process_args(process),
    )


@analysts_only
def detect_campaigns():
    process = process_from_args()
    back = url_for("coding.list_campaigns", **process_args(process))
    if not ConfirmForm().validate_on_submit():
        flash(_("Die Sitzung ist abgelaufen. Bitte versuchen Sie es noch einmal."), "error")
        return redirect(back)
    if quality.count_answers(process.id) > _web_limit():
        flash(_too_large(process), "error")
        return redirect(back)
    try:
        found = quality.detect(current_user, process)
    except quality.DetectionConflict:
        db.session.rollback()
        flash(
            _(
                "Während der Berechnung wurden Gruppen geprüft oder neu berechnet. Es wurde "
                "nichts gespeichert; bitte versuchen Sie es noch einmal."
            ),
            "error",
        )
        return redirect(back)
    db.session.commit()
    flash(
        ngettext(
            "Neu berechnet: %(answers)s Beitrag geprüft, %(groups)s vorgeschlagene Gruppen, "
            "%(flagged)s Beiträge mit Hinweis.",
            "Neu berechnet: %(answers)s Beiträge geprüft, %(groups)s vorgeschlagene Gruppen, "
            "%(flagged)s Beiträge mit Hinweis.",
            found.answers,
            answers=format_decimal(found.answers),
            groups=format_decimal(found.groups),
            flagged=format_decimal(sum(found.flagged.values())),
        ),
        "success",
    )
    return redirect(back)


def _too_large(process: Process) -> str:
    return _(
        "Der Prozess hat mehr als %(limit)s Beiträge: zu viele, um sie hier zu berechnen. "
        "Der technische Betrieb berechnet sie mit „flask find-campaigns --process %(slug)s“; "
        "vor jedem Bericht-Entwurf geschieht es von selbst.",
        limit=format_decimal(_web_limit()),
        slug=process.slug,
    )


def _group_or_404(group_id: int, *, lock: bool = False) -> CampaignGroup:
    group = quality.lock_group(group_id) if lock else db.session.get(CampaignGroup, group_id)
    return group or abort(404)


@analysts_only
def show_campaign_group(group_id: int):
    group = _group_or_404(group_id)
    return _group_page(group, CampaignDecideForm(), CampaignSplitForm())


def _group_page(group: CampaignGroup, decide_form, split_form, status: int = 200):
    process = db.session.get(Process, group.process_id)
    members, next_after = quality.member_page(group, id_arg("nach"))
    split_from = db.session.get(CampaignGroup, group.split_from_id) if group.split_from_id else None
    return (
        render_template(
            "coding/campaign_group.html",
            group=group,
            process=process,
            members=members,
            next_after=next_after,
            themes={t.id: t.title for t in process.theme_fields},
            split_from=split_from,
            history=quality.group_history(group),
            decide_form=decide_form,
            split_form=split_form,
            process_args=process_args(process),
        ),
        status,
    )


@analysts_only
def decide_campaign_group(group_id: int):
    group = _group_or_404(group_id, lock=True)
    form = CampaignDecideForm()
    if not form.validate_on_submit():
        return _group_page(group, form, CampaignSplitForm(formdata=None), status=400)
    quality.decide(current_user, group, form.decision, form.note.data or "")
    db.session.commit()
    if form.decision == CampaignStatus.CONFIRMED:
        flash(_("Gruppe %(id)d ist als Kampagne bestätigt.", id=group_id), "success")
    else:
        flash(_("Gruppe %(id)d ist als „keine Kampagne“ markiert.", id=group_id), "success")
    return redirect(url_for("coding.show_campaign_group", group_id=group_id))


@analysts_only
def split_campaign_group(group_id: int):
    group = _group_or_404(group_id, lock=True)
    form = CampaignSplitForm()
    if form.validate_on_submit():
        try:
            new_group = quality.split(
                current_user, group, form.chosen(), form.action, form.split_note.data or ""
            )
        except quality.ReviewError as error:
            form.answer_ids.errors = [str(quality_labels.REVIEW_PROBLEM[error.problem])]
        else:
            db.session.commit()
            count = len(form.chosen())
            if form.action == SplitAction.NEW_GROUP:
                flash(
                    ngettext(
                        "%(n)s Beitrag bildet jetzt die Gruppe %(id)d.",
                        "%(n)s Beiträge bilden jetzt die Gruppe %(id)d.",
                        count,
                        n=format_decimal(count),
                        id=new_group.id,
                    ),
                    "success",
                )
            else:
                flash(
                    ngettext(
                        "%(n)s Beitrag gehört nicht mehr zur Gruppe.",
                        "%(n)s Beiträge gehören nicht mehr zur Gruppe.",
                        count,
                        n=format_decimal(count),
                    ),
                    "success",
                )
            return redirect(url_for("coding.show_campaign_group", group_id=group_id))
    return _group_page(group, CampaignDecideForm(formdata=None), form, status=400)
