"""The demo material of `flask seed --demo-content` and the results switch of demo mode."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dialog.accounts.models import User
from dialog.answers.models import Answer
from dialog.answers.rules import AnswerStatus
from dialog.coding.models import CodeAssignment, CodingSample
from dialog.common.audit import AuditEntry
from dialog.common.clock import now_utc, today_local
from dialog.common.permissions import Role
from dialog.demo.content import RATERS, RECOMMENDATIONS
from dialog.events.models import Event
from dialog.events.rules import EventKind
from dialog.extensions import db
from dialog.process.models import Phase
from dialog.process.rules import PhaseKind, PhaseState
from dialog.recommendations.models import (
    EventDocumentationEntry,
    Recommendation,
    RecommendationEvidence,
    RecommendationRating,
    RecommendationStatusChange,
    conference_recommendations,
)
from dialog.recommendations.rules import PUBLISHED, EvidenceKind, RecommendationStatus
from dialog.seed import DEMO_PASSWORD, FINAL_CONFERENCE, demo_dates
from tests.conftest import csrf_token

S = RecommendationStatus


def count(model, *where) -> int:
    stmt = sa.select(sa.func.count()).select_from(model)
    return db.session.scalar(stmt.where(*where) if where else stmt)


def counts() -> dict[str, int]:
    return {
        model.__name__: count(model)
        for model in (
            Answer,
            CodeAssignment,
            CodingSample,
            EventDocumentationEntry,
            Recommendation,
            RecommendationEvidence,
            RecommendationRating,
            RecommendationStatusChange,
            User,
            AuditEntry,
        )
    }


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed", "--demo-content"])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_content_has_answers_coding_documentation_and_recommendations(demo):
    assert "300 answers" in demo and "12 recommendations" in demo
    assert count(Answer) == 300
    published = count(Answer, Answer.status == AnswerStatus.PUBLISHED)
    assert 150 <= published < 300  # some pending, internal and rejected too
    assert count(Answer, Answer.status == AnswerStatus.PENDING) > 0
    assert db.session.scalar(sa.select(sa.func.count(sa.distinct(Answer.theme_field_id)))) == 4
    coded = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(CodeAssignment.answer_id))).where(
            CodeAssignment.sample_id.is_(None)
        )
    )
    assert coded == 240  # the newest 60 are left to code
    [sample] = db.session.scalars(sa.select(CodingSample)).all()
    assert count(CodeAssignment, CodeAssignment.sample_id == sample.id) > 0

    # Documentation of each demo citizen dialogue that has taken place, none of the others.
    events = db.session.scalars(sa.select(Event)).all()
    past = {e.id for e in events if e.kind == EventKind.CITIZEN_DIALOGUE and e.ends_at < now_utc()}
    assert len(past) == 2
    documented = db.session.scalars(sa.select(EventDocumentationEntry.event_id)).all()
    assert set(documented) == past and len(documented) == 8

    recs = db.session.scalars(sa.select(Recommendation)).all()
    assert len(recs) == len(RECOMMENDATIONS) == 12
    per_theme = [len(t) for t in (r.theme_fields for r in recs)]
    assert per_theme == [1] * 12
    assert len({r.theme_fields[0].id for r in recs}) == 4
    statuses = {r.status for r in recs}
    assert {S.PLANNED, S.IN_PROGRESS, S.IMPLEMENTED, S.DEFERRED, S.IN_REVIEW, S.DRAFT} <= statuses
    assert sum(r.status in PUBLISHED for r in recs) == 7
    kinds = set(db.session.scalars(sa.select(RecommendationEvidence.kind)))
    assert kinds == {EvidenceKind.ANSWER, EvidenceKind.CODE, EvidenceKind.DOCUMENTATION}
    for rec in recs:
        assert count(RecommendationEvidence, RecommendationEvidence.recommendation_id == rec.id)
    # Ratings by both external raters and the demo analysts.
    rating = RecommendationRating
    rated = sa.select(User.email).join(rating, rating.rater_id == User.id)
    rater_emails = set(db.session.scalars(rated))
    assert rater_emails == set(RATERS)
    raters = db.session.scalars(sa.select(User).where(User.email.like("%@demo.example.org"))).all()
    assert {u.email for u in raters if u.role_set == {Role.RATER}} == {
        "bewertung@demo.example.org",
        "fachbeirat@demo.example.org",
    }
    # Dated public notes after publication, a reason for the one deferred.
    changes = db.session.scalars(sa.select(RecommendationStatusChange)).all()
    after = [c for c in changes if c.to_status in (S.PLANNED, S.IN_PROGRESS, S.IMPLEMENTED)]
    assert after and all(c.public_note and c.at < now_utc() for c in after)
    assert len({c.at.date() for c in changes}) > 5
    [deferred] = [c for c in changes if c.to_status == S.DEFERRED]
    assert deferred.reason
    # The Abschlusskonferenz presents published recommendations.
    [conference] = [e for e in events if e.is_final_conference]
    assert conference.title == FINAL_CONFERENCE
    presented = db.session.scalars(
        sa.select(Recommendation)
        .join(
            conference_recommendations,
            conference_recommendations.c.recommendation_id == Recommendation.id,
        )
        .where(conference_recommendations.c.event_id == conference.id)
    ).all()
    assert len(presented) == 5 and all(r.status in PUBLISHED for r in presented)


def test_demo_content_is_created_once_and_keeps_staff_edits(runner, demo):
    before = counts()
    rec = db.session.scalar(sa.select(Recommendation).order_by(Recommendation.id))
    rec.title = "Von der Analyse umbenannt"
    db.session.commit()
    result = runner.invoke(args=["seed", "--demo-content"])
    assert result.exit_code == 0, result.output
    assert "nothing new" in result.output
    db.session.expire_all()
    assert counts() == before
    assert db.session.get(Recommendation, rec.id).title == "Von der Analyse umbenannt"


def test_demo_content_is_refused_outside_demo_mode(runner, app):
    app.config["DEMO_MODE"] = False
    result = runner.invoke(args=["seed", "--demo-content"])
    assert result.exit_code != 0
    assert "--demo-content is refused outside demo mode" in result.output
    assert count(Answer) == 0 and count(User) == 0


# -- the results switch ---------------------------------------------------------------------


def phase_state(kind: PhaseKind) -> PhaseState:
    return db.session.scalar(sa.select(Phase).where(Phase.kind == kind)).state


def login_demo(client, email: str) -> None:
    token = csrf_token(client, "/anmelden")
    data = {"email": email, "password": DEMO_PASSWORD, "csrf_token": token}
    assert client.post("/anmelden", data=data).status_code == 302


def switch(client, phase: str | None, *, token: bool = True):
    data = {} if phase is None else {"phase": phase}
    if token:
        data["csrf_token"] = csrf_token(client, "/staff/")
    return client.post("/staff/demo/phase", data=data)


def test_admin_flips_the_demo_into_the_results_phase_and_back(client, demo):
    assert phase_state(PhaseKind.DIALOGUE) == PhaseState.CURRENT
    login_demo(client, "admin@demo.example.org")
    page = client.get("/staff/").text
    assert "Ergebnisphase zeigen" in page and 'action="/staff/demo/phase"' in page

    response = switch(client, "results")
    assert response.status_code == 302
    db.session.expire_all()
    assert phase_state(PhaseKind.RESULTS) == PhaseState.CURRENT
    assert phase_state(PhaseKind.DIALOGUE) == PhaseState.PAST
    page = client.get("/staff/").text
    assert "Veröffentlichung der Ergebnisse" in page and "Zurück zur Dialogphase" in page
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.actor_id.is_not(None))
    ).all()
    assert actions.count("phase.update") == 3
    # The public sees the results at once (the page cache is emptied): the published
    # recommendations, not the drafts.
    client.post("/abmelden", data={"csrf_token": csrf_token(client, "/staff/")})
    results = client.get("/dialog/mission-fachkraft/ergebnisse/empfehlungen")
    assert results.status_code == 200
    assert "Anerkennung ausländischer Berufsabschlüsse beschleunigen" in results.text
    assert "Wohnheime und Ticket für Auszubildende" not in results.text  # a draft
    login_demo(client, "admin@demo.example.org")

    assert switch(client, "results").status_code == 302  # again: nothing to change
    assert "nichts wurde geändert" in client.get("/staff/").text

    assert switch(client, "dialogue").status_code == 302
    db.session.expire_all()
    assert phase_state(PhaseKind.DIALOGUE) == PhaseState.CURRENT
    dialogue = db.session.scalar(sa.select(Phase).where(Phase.kind == PhaseKind.DIALOGUE))
    assert (dialogue.starts_on, dialogue.ends_on) == demo_dates(today_local())[PhaseKind.DIALOGUE]


def test_the_switch_is_for_admins_with_a_csrf_token_and_a_known_phase(client, demo):
    anonymous = {"phase": "results", "csrf_token": csrf_token(client, "/anmelden")}
    assert client.post("/staff/demo/phase", data=anonymous).status_code == 302  # to the login
    login_demo(client, "analyse@demo.example.org")
    assert "Ergebnisphase zeigen" not in client.get("/staff/").text
    assert switch(client, "results").status_code == 403
    client.post("/abmelden", data={"csrf_token": csrf_token(client, "/staff/")})
    login_demo(client, "admin@demo.example.org")
    assert switch(client, "results", token=False).status_code == 400
    assert switch(client, "morgen").status_code == 400
    assert switch(client, None).status_code == 400
    db.session.expire_all()
    assert phase_state(PhaseKind.DIALOGUE) == PhaseState.CURRENT


def test_the_switch_is_refused_outside_demo_mode(app, client, demo):
    login_demo(client, "admin@demo.example.org")
    token = csrf_token(client, "/staff/")
    app.config["DEMO_MODE"] = False
    assert "Ergebnisphase zeigen" not in client.get("/staff/").text
    response = client.post("/staff/demo/phase", data={"phase": "results", "csrf_token": token})
    assert response.status_code == 403
    assert "nur im Demo-Modus" in response.text
    db.session.expire_all()
    assert phase_state(PhaseKind.DIALOGUE) == PhaseState.CURRENT
