"""One Core SELECT per export table, in the column order of `schema`, with the export's filters.

Columns are read as plain database values (enum columns as their strings, no ORM objects, no
result processing), so that a batch turns into Arrow arrays without per-row Python work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AnswerStatus
from dialog.coding.models import (
    AnswerAnnotation,
    Code,
    CodeAssignment,
    CodingSample,
    CodingSampleAnswer,
    Rating,
)
from dialog.events.models import Application, Event, Invitation, Registration
from dialog.events.rules import ApplicationStatus, RegistrationStatus
from dialog.process.models import GuidingQuestion, Process, ThemeField
from dialog.quality.models import CampaignGroup
from dialog.recommendations.models import (
    EventDocumentationEntry,
    Recommendation,
    RecommendationEvidence,
    RecommendationRating,
    RecommendationStatusChange,
    recommendation_theme_fields,
)

if TYPE_CHECKING:
    from dialog.export.services import ExportFilters


def _raw(column, type_=sa.String):
    """The column's stored value without SQLAlchemy's result processing (enums stay strings)."""
    return sa.type_coerce(column, type_)


def _values(items) -> list[str]:
    return [getattr(i, "value", i) for i in items]


def answer_conditions(f: ExportFilters) -> list[sa.ColumnElement[bool]]:
    """WHERE conditions on answers joined with submissions and theme fields."""
    conditions: list[sa.ColumnElement[bool]] = []
    if f.process_id is not None:
        conditions.append(ThemeField.process_id == f.process_id)
    if f.theme_field_ids:
        conditions.append(Answer.theme_field_id.in_(f.theme_field_ids))
    if f.question_ids:
        conditions.append(Answer.question_id.in_(f.question_ids))
    if f.statuses:
        conditions.append(_raw(Answer.status).in_(_values(f.statuses)))
    if f.channels:
        conditions.append(_raw(Submission.channel).in_(_values(f.channels)))
    if f.perspectives:
        conditions.append(_raw(Answer.perspective).in_(_values(f.perspectives)))
    if f.bundeslaender:
        conditions.append(_raw(Answer.bundesland).in_(_values(f.bundeslaender)))
    if f.event_ids:
        conditions.append(Submission.event_id.in_(f.event_ids))
    if f.received_from is not None:
        conditions.append(Submission.received_on >= f.received_from)
    if f.received_to is not None:
        conditions.append(Submission.received_on <= f.received_to)
    return conditions


def _filtered_answer_ids(f: ExportFilters) -> sa.Select | None:
    """The ids of the selected answers, or None when every answer is selected."""
    conditions = answer_conditions(f)
    if not conditions:
        return None
    return (
        sa.select(Answer.id)
        .join(Submission, Submission.id == Answer.submission_id)
        .join(ThemeField, ThemeField.id == Answer.theme_field_id)
        .where(*conditions)
    )


def count_answers(f: ExportFilters) -> sa.Select:
    ids = _filtered_answer_ids(f)
    if ids is None:
        return sa.select(sa.func.count()).select_from(Answer)
    return sa.select(sa.func.count()).select_from(ids.subquery())


def _of_selected_answers(select: sa.Select, answer_id_column, f: ExportFilters) -> sa.Select:
    ids = _filtered_answer_ids(f)
    return select if ids is None else select.where(answer_id_column.in_(ids))


def answers(f: ExportFilters) -> sa.Select:
    published = _raw(Answer.status) == AnswerStatus.PUBLISHED.value
    return (
        sa.select(
            Answer.id,
            Answer.submission_id,
            Process.slug,
            ThemeField.slug,
            ThemeField.title,
            Answer.question_id,
            GuidingQuestion.text,
            _raw(Submission.channel),
            Submission.event_id,
            _raw(Answer.created_at),  # turned into the Berlin day by the reader
            _raw(Submission.received_on),
            Answer.text,
            sa.case((published, sa.func.coalesce(Answer.redacted_text, Answer.text))),
            _raw(Answer.status),
            _raw(Answer.perspective),
            _raw(Answer.bundesland),
            _raw(Submission.age_band),
            _raw(Submission.publication_consent, sa.Integer),
            _raw(sa.func.coalesce(AnswerAnnotation.is_proposal, sa.false()), sa.Integer),
            Answer.text_fingerprint,
            Submission.import_batch_id,
            Submission.import_ref,
            Answer.campaign_group_id,
            _raw(CampaignGroup.status).label("campaign_group_status"),  # beside answers.status
            Answer.flag_empty_reason,
            Answer.flag_spam_reason,
            Answer.flag_abuse_reason,
            Answer.language,
        )
        .join(Submission, Submission.id == Answer.submission_id)
        .join(ThemeField, ThemeField.id == Answer.theme_field_id)
        .join(Process, Process.id == ThemeField.process_id)
        .join(GuidingQuestion, GuidingQuestion.id == Answer.question_id)
        .outerjoin(AnswerAnnotation, AnswerAnnotation.answer_id == Answer.id)
        .outerjoin(CampaignGroup, CampaignGroup.id == Answer.campaign_group_id)
        .where(*answer_conditions(f))
        .order_by(Answer.id)
    )


def codes(f: ExportFilters) -> sa.Select:
    ca = CodeAssignment
    select = sa.select(
        ca.id,
        ca.answer_id,
        ca.code_id,
        ca.original_code_id,
        ca.coder_id,
        ca.sample_id,
        _raw(ca.assigned_at),
    ).order_by(ca.id)
    return _of_selected_answers(select, ca.answer_id, f)


def ratings(f: ExportFilters) -> sa.Select:
    select = sa.select(
        Rating.id,
        Rating.answer_id,
        Rating.rater_id,
        Rating.effectiveness,
        Rating.feasibility,
        _raw(Rating.rated_at),
    ).order_by(Rating.id)
    return _of_selected_answers(select, Rating.answer_id, f)


def annotations(f: ExportFilters) -> sa.Select:
    an = AnswerAnnotation
    select = sa.select(
        an.answer_id,
        an.note,
        _raw(an.is_proposal, sa.Integer),
        an.updated_by_id,
        _raw(an.updated_at),
    ).order_by(an.answer_id)
    return _of_selected_answers(select, an.answer_id, f)


def codebook(f: ExportFilters) -> sa.Select:
    status = sa.case(
        (Code.merged_into_id.is_not(None), "merged"),
        (Code.retired_at.is_not(None), "retired"),
        else_="active",
    )
    select = (
        sa.select(
            Code.id,
            Code.parent_id,
            Process.slug,
            Code.label,
            Code.description,
            ThemeField.slug,
            status,
            Code.merged_into_id,
        )
        .join(Process, Process.id == Code.process_id)
        .outerjoin(ThemeField, ThemeField.id == Code.theme_field_id)
        .order_by(Code.id)
    )
    if f.process_id is not None:
        select = select.where(Code.process_id == f.process_id)
    return select


def samples(f: ExportFilters) -> sa.Select:
    s = CodingSample
    select = (
        sa.select(
            s.id,
            Process.slug,
            s.name,
            s.percent,
            s.seed,
            s.coder_a_id,
            s.coder_b_id,
            _raw(s.created_at),
        )
        .join(Process, Process.id == s.process_id)
        .order_by(s.id)
    )
    if f.process_id is not None:
        select = select.where(s.process_id == f.process_id)
    return select


def sample_answers(f: ExportFilters) -> sa.Select:
    sa_ = CodingSampleAnswer
    select = sa.select(sa_.sample_id, sa_.answer_id).order_by(sa_.sample_id, sa_.answer_id)
    if f.process_id is not None:
        select = select.join(CodingSample, CodingSample.id == sa_.sample_id).where(
            CodingSample.process_id == f.process_id
        )
    return _of_selected_answers(select, sa_.answer_id, f)


def _count(model, *conditions) -> sa.ScalarSelect:
    return (
        sa.select(sa.func.count())
        .select_from(model)
        .where(model.event_id == Event.id, *conditions)
        .scalar_subquery()
    )


def events(f: ExportFilters) -> sa.Select:
    """Events with counts only: registrations, applications and invitations are never listed."""
    select = (
        sa.select(
            Event.id,
            Process.slug,
            Event.title,
            _raw(Event.kind),
            Event.city,
            _raw(Event.bundesland),
            _raw(Event.starts_at),  # turned into the Berlin day by the reader
            _raw(Event.status),
            Event.capacity,
            *(
                _count(Registration, _raw(Registration.status) == s.value)
                for s in (
                    RegistrationStatus.HELD,
                    RegistrationStatus.CONFIRMED,
                    RegistrationStatus.WAITLISTED,
                    RegistrationStatus.CANCELLED,
                    RegistrationStatus.EXPIRED,
                )
            ),
            _count(Registration, Registration.checked_in_at.is_not(None)),
            _count(Application),
            _count(Application, _raw(Application.status) == ApplicationStatus.ACCEPTED.value),
            _count(Invitation),
            _count(Invitation, Invitation.used_at.is_not(None)),
            _count(Submission),
        )
        .join(Process, Process.id == Event.process_id)
        .order_by(Event.id)
    )
    if f.process_id is not None:
        select = select.where(Event.process_id == f.process_id)
    if f.event_ids:
        select = select.where(Event.id.in_(f.event_ids))
    return select


def theme_fields(f: ExportFilters) -> sa.Select:
    """The theme fields of the exported process(es), in their order."""
    select = (
        sa.select(
            Process.slug, Process.title, ThemeField.slug, ThemeField.title, ThemeField.position
        )
        .join(Process, Process.id == ThemeField.process_id)
        .order_by(Process.id, ThemeField.position, ThemeField.id)
    )
    if f.process_id is not None:
        select = select.where(ThemeField.process_id == f.process_id)
    if f.theme_field_ids:
        select = select.where(ThemeField.id.in_(f.theme_field_ids))
    return select


def _of_process_recommendations(select: sa.Select, column, f: ExportFilters) -> sa.Select:
    """Rows of the recommendations of the exported process (all processes without one)."""
    if f.process_id is None:
        return select
    of_process = sa.select(Recommendation.id).where(Recommendation.process_id == f.process_id)
    return select.where(column.in_(of_process))


def recommendations(f: ExportFilters) -> sa.Select:
    r = Recommendation
    select = (
        sa.select(
            r.id,
            Process.slug,
            r.title,
            r.text,
            r.addressee,
            r.measure,
            r.parent_id,
            r.responsible_id,
            _raw(r.status),
            _raw(r.created_at),
            _raw(r.updated_at),
        )
        .join(Process, Process.id == r.process_id)
        .order_by(r.id)
    )
    if f.process_id is not None:
        select = select.where(r.process_id == f.process_id)
    return select


def recommendation_theme_field_rows(f: ExportFilters) -> sa.Select:
    rtf = recommendation_theme_fields
    select = (
        sa.select(rtf.c.recommendation_id, ThemeField.slug)
        .join(ThemeField, ThemeField.id == rtf.c.theme_field_id)
        .order_by(rtf.c.recommendation_id, ThemeField.position, ThemeField.id)
    )
    return _of_process_recommendations(select, rtf.c.recommendation_id, f)


def recommendation_evidence(f: ExportFilters) -> sa.Select:
    """One row per link; a linked answer only when the export selects it, so that every
    answer_id here is a row of the answers table."""
    e = RecommendationEvidence
    select = sa.select(
        e.id,
        e.recommendation_id,
        _raw(e.kind),
        e.answer_id,
        e.code_id,
        e.documentation_id,
        e.source_recommendation_id,
        _raw(e.added_at),
    ).order_by(e.id)
    ids = _filtered_answer_ids(f)
    if ids is not None:
        select = select.where(sa.or_(e.answer_id.is_(None), e.answer_id.in_(ids)))
    return _of_process_recommendations(select, e.recommendation_id, f)


def recommendation_ratings(f: ExportFilters) -> sa.Select:
    r = RecommendationRating
    select = sa.select(
        r.id,
        r.recommendation_id,
        r.rater_id,
        r.effectiveness,
        r.feasibility,
        r.reason,
        _raw(r.rated_at),
    ).order_by(r.id)
    return _of_process_recommendations(select, r.recommendation_id, f)


def recommendation_status_history(f: ExportFilters) -> sa.Select:
    c = RecommendationStatusChange
    select = sa.select(
        c.id,
        c.recommendation_id,
        _raw(c.at),
        c.actor_id,
        _raw(c.from_status),
        _raw(c.to_status),
        c.reason,
        c.public_note,
        c.progress_percent,
        c.link,
    ).order_by(c.id)
    return _of_process_recommendations(select, c.recommendation_id, f)


def documentation_entries(f: ExportFilters) -> sa.Select:
    d = EventDocumentationEntry
    select = (
        sa.select(
            d.id,
            d.event_id,
            d.session_label,
            d.text,
            ThemeField.slug,
            d.agreement_count,
            sa.case((d.stored_name.is_not(None), 1), else_=0),
            _raw(d.created_at),
        )
        .outerjoin(ThemeField, ThemeField.id == d.theme_field_id)
        .order_by(d.id)
    )
    if f.process_id is not None:
        select = select.where(
            d.event_id.in_(sa.select(Event.id).where(Event.process_id == f.process_id))
        )
    if f.event_ids:
        select = select.where(d.event_id.in_(f.event_ids))
    return select


# Columns read as timestamps but exported as the day in Europe/Berlin.
BERLIN_DAY = {"answers": {"created_on"}, "events": {"starts_on"}}

BY_TABLE = {
    "answers": answers,
    "codes": codes,
    "ratings": ratings,
    "annotations": annotations,
    "codebook": codebook,
    "samples": samples,
    "sample_answers": sample_answers,
    "events": events,
    "theme_fields": theme_fields,
    "recommendations": recommendations,
    "recommendation_theme_fields": recommendation_theme_field_rows,
    "recommendation_evidence": recommendation_evidence,
    "recommendation_ratings": recommendation_ratings,
    "recommendation_status_history": recommendation_status_history,
    "documentation_entries": documentation_entries,
}
