"""Recommendations for staff and raters: permissions per role, create and edit with the version
check, evidence and live support counts, ratings, the status workflow, the lists, bad input."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dialog.answers import services as answer_services
from dialog.answers.rules import AnswerStatus, Channel, Perspective
from dialog.coding import services as coding
from dialog.common.audit import AuditEntry
from dialog.common.permissions import Role
from dialog.common.regions import Bundesland
from dialog.extensions import db
from dialog.quality.models import CampaignGroup
from dialog.quality.rules import CampaignStatus
from dialog.recommendations import services as recs
from dialog.recommendations.models import (
    Recommendation,
    RecommendationEvidence,
    RecommendationOption,
    RecommendationRating,
    RecommendationStatusChange,
)
from dialog.recommendations.rules import RecommendationStatus as S
from tests.conftest import PASSWORD, post_form
from tests.web.recommendation_helpers import (
    BASE,
    assign,
    make_answer,
    make_code,
    make_recommendation,
    other_process,
    post,
    process,
    reload,
    set_status,
    themes,
)


@pytest.fixture
def analyst(client, seeded, make_user, login):
    user = make_user(Role.ANALYST)
    login(user)
    return user


def html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def audit_actions(rec_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.object_type == "Recommendation", AuditEntry.object_id == str(rec_id))
            .order_by(AuditEntry.id)
        )
    )


# --- Permissions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "reads", "edits"),
    [
        ((Role.MODERATOR,), False, False),
        ((Role.ADMIN,), False, False),
        ((Role.ANALYST,), True, True),
        ((Role.ANALYST_LEAD,), True, True),
        ((Role.RATER,), True, False),
    ],
)
def test_who_may_read_and_edit(client, seeded, make_user, login, roles, reads, edits):
    author = make_user(Role.ANALYST)
    rec = make_recommendation(author)
    set_status(rec, S.IN_REVIEW)
    login(make_user(*roles))
    read = 200 if reads else 403
    edit = 200 if edits else 403
    assert client.get(BASE).status_code == read
    assert client.get(f"{BASE}/{rec.id}").status_code == read
    assert client.get(f"{BASE}/neu").status_code == edit
    assert client.get(f"{BASE}/{rec.id}/bearbeiten").status_code == edit
    assert client.get(f"{BASE}/listen").status_code == edit
    nav = html(client, "/staff/")
    assert ('/staff/empfehlungen"' in nav) is reads


def test_anonymous_visitors_go_to_the_login(client, seeded, make_user):
    rec = make_recommendation(make_user(Role.ANALYST))
    for url in (BASE, f"{BASE}/neu", f"{BASE}/{rec.id}", f"{BASE}/listen"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/anmelden" in response.headers["Location"]


def test_refused_posts_change_nothing(client, seeded, make_user, login):
    rec = make_recommendation(make_user(Role.ANALYST))
    set_status(rec, S.IN_REVIEW)
    rater = make_user(Role.RATER)
    login(rater)
    page = f"{BASE}/{rec.id}"
    before = count(RecommendationEvidence), count(RecommendationStatusChange)
    for url, data in (
        (f"{BASE}/{rec.id}/status", {"status": "rated"}),
        (f"{BASE}/{rec.id}/belege/beitrag", {"answer_id": "1"}),
        (f"{BASE}/{rec.id}/bearbeiten", {"title": "Gekapert", "text": "x"}),
        (f"{BASE}/neu", {"title": "Neu", "text": "x"}),
    ):
        assert post(client, url, data, form_url=page).status_code == 403
    assert (count(RecommendationEvidence), count(RecommendationStatusChange)) == before
    assert reload(Recommendation, rec.id).title == "Kita-Ausbau beschleunigen"


def test_raters_see_no_drafts_and_no_answer_texts(client, seeded, make_user, login):
    author = make_user(Role.ANALYST)
    draft = make_recommendation(author, "Noch ein Entwurf")
    shown = make_recommendation(author, "Zur Prüfung")
    set_status(shown, S.IN_REVIEW)
    answer = make_answer("Ein vertraulicher Beitrag über Kitas.")
    recs.add_answer(author, shown, answer.id)
    db.session.commit()
    login(make_user(Role.RATER))
    page = html(client, BASE)
    assert "Zur Prüfung" in page and "Noch ein Entwurf" not in page
    assert client.get(f"{BASE}/{draft.id}").status_code == 404
    detail = html(client, f"{BASE}/{shown.id}")
    assert "vertraulicher Beitrag" not in detail
    assert "/staff/analyse/beitraege/" not in detail
    assert "Unterstützende Beiträge" in detail  # the count is there


# --- Create and edit --------------------------------------------------------------------


def test_create_stores_sanitised_text_theme_fields_history_and_audit(client, analyst):
    theme = themes()[1]
    response = post(
        client,
        f"{BASE}/neu",
        {
            "title": "Anerkennung <b>beschleunigen</b>",
            "text": "**Fristen** von drei Monaten.<script>alert(1)</script>\r\n",
            "theme_fields": [str(theme.id)],
            "addressee": "Länder",
            "measure": "Verwaltung vereinfachen",
            "responsible": str(analyst.id),
        },
    )
    assert response.status_code == 302
    rec = db.session.scalar(sa.select(Recommendation))
    assert rec.title == "Anerkennung beschleunigen"
    assert [t.id for t in rec.theme_fields] == [theme.id]
    assert rec.status == S.DRAFT and rec.version == 1
    assert (rec.addressee, rec.measure, rec.responsible_id) == (
        "Länder",
        "Verwaltung vereinfachen",
        analyst.id,
    )
    page = html(client, response.headers["Location"])
    assert "<strong>Fristen</strong>" in page
    assert "<script>alert(1)" not in page
    assert audit_actions(rec.id) == ["recommendation.create"]
    history = db.session.scalars(sa.select(RecommendationStatusChange)).all()
    assert [(h.from_status, h.to_status) for h in history] == [(None, S.DRAFT)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "text": "x"}, "Bitte geben Sie einen Titel ein."),
        ({"title": "T", "text": ""}, "Bitte beschreiben Sie die Empfehlung."),
        ({"title": "T", "text": "x", "theme_fields": []}, "mindestens ein Themenfeld"),
        ({"title": "T", "text": "x", "theme_fields": ["999999"]}, "gehört nicht zu diesem Prozess"),
        ({"title": "T", "text": "x", "addressee": "Mond"}, "Diese Auswahl gibt es nicht"),
        ({"title": "T", "text": "x", "parent": "abc"}, "Diese Auswahl gibt es nicht"),
        ({"title": "T", "text": "x", "responsible": "999999"}, "Diese Auswahl gibt es nicht"),
    ],
)
def test_create_refuses_bad_input_in_german(client, analyst, data, message):
    data = {"theme_fields": [str(themes()[0].id)], **data}
    response = post(client, f"{BASE}/neu", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "Bitte prüfen Sie Ihre Angaben" in page
    assert count(Recommendation) == 0


def test_theme_field_of_another_process_is_refused(client, analyst):
    foreign = other_process().theme_fields[0]
    response = post(
        client, f"{BASE}/neu", {"title": "T", "text": "x", "theme_fields": [str(foreign.id)]}
    )
    assert response.status_code == 400
    assert count(Recommendation) == 0


def test_edit_logs_changes_and_raises_the_version(client, analyst):
    rec = make_recommendation(analyst)
    url = f"{BASE}/{rec.id}/bearbeiten"
    data = {
        "title": "Kita-Ausbau jetzt",
        "text": "Neuer Text.",
        "theme_fields": [str(themes()[0].id), str(themes()[2].id)],
        "version": "1",
    }
    assert post(client, url, data).status_code == 302
    rec = reload(Recommendation, rec.id)
    assert (rec.title, rec.text, rec.version) == ("Kita-Ausbau jetzt", "Neuer Text.", 2)
    assert len(rec.theme_fields) == 2
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "recommendation.update")
    )
    assert entry.changes["title"] == ["Kita-Ausbau beschleunigen", "Kita-Ausbau jetzt"]
    assert "theme_fields" in entry.changes


def test_two_editors_never_overwrite_each_other_silently(app, seeded, make_user, login, client):
    first = make_user(Role.ANALYST)
    second = make_user(Role.ANALYST_LEAD)
    rec = make_recommendation(first)
    url = f"{BASE}/{rec.id}/bearbeiten"
    other = app.test_client()
    post_form(other, "/anmelden", {"email": second.email, "password": PASSWORD})
    login(first)
    theme = [str(themes()[0].id)]
    # Both open the form on version 1; the second saves first.
    token_first = _token(client, url)
    token_second = _token(other, url)
    saved = other.post(
        url,
        data={"csrf_token": token_second, "title": "Fassung B", "text": "Text B",
              "theme_fields": theme, "version": "1"},
    )  # fmt: skip
    assert saved.status_code == 302
    late = client.post(
        url,
        data={"csrf_token": token_first, "title": "Fassung A", "text": "Mein langer Text A",
              "theme_fields": theme, "version": "1"},
    )  # fmt: skip
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "inzwischen von jemand anderem geändert" in page
    assert "Mein langer Text A" in page  # what they typed is kept in the form
    assert "Text B" in page  # and the current version shown beside it
    rec = reload(Recommendation, rec.id)
    assert (rec.title, rec.version) == ("Fassung B", 2)
    # Saving again, knowingly on version 2, goes through.
    assert 'name="version" type="hidden" value="2"' in page
    again = client.post(
        url,
        data={"csrf_token": token_first, "title": "Fassung A", "text": "Mein langer Text A",
              "theme_fields": theme, "version": "2"},
    )  # fmt: skip
    assert again.status_code == 302
    assert reload(Recommendation, rec.id).title == "Fassung A"


def test_a_bogus_version_is_a_conflict_not_an_error(client, analyst):
    rec = make_recommendation(analyst)
    url = f"{BASE}/{rec.id}/bearbeiten"
    data = {"title": "X", "text": "Y", "theme_fields": [str(themes()[0].id)], "version": "abc"}
    assert post(client, url, data).status_code == 409
    assert reload(Recommendation, rec.id).title == "Kita-Ausbau beschleunigen"


def _token(client, url):
    from tests.conftest import csrf_token

    return csrf_token(client, url)


def test_parent_cycles_and_unknown_ids_are_refused(client, analyst):
    cluster = make_recommendation(analyst, "Cluster Betreuung")
    child = make_recommendation(analyst, "Kita-Plätze", parent_id=cluster.id)
    url = f"{BASE}/{cluster.id}/bearbeiten"
    data = {
        "title": "Cluster Betreuung",
        "text": "x",
        "theme_fields": [str(themes()[0].id)],
        "parent": str(child.id),
        "version": "1",
    }
    response = post(client, url, data)
    assert response.status_code == 400
    assert "eigenen Cluster" in response.get_data(as_text=True)
    assert reload(Recommendation, cluster.id).parent_id is None
    assert client.get(f"{BASE}/999999").status_code == 404
    assert client.get(f"{BASE}/999999/bearbeiten").status_code == 404
    assert client.get(f"{BASE}/{child.id}").status_code == 200


# --- Evidence and live support ----------------------------------------------------------


def test_support_is_live_counted_once_and_broken_down(client, analyst):
    rec = make_recommendation(analyst)
    code = make_code("Kinderbetreuung")
    group = CampaignGroup(process_id=process().id, status=CampaignStatus.CONFIRMED, size=2)
    db.session.add(group)
    db.session.commit()
    a = make_answer("A", perspective=Perspective.EMPLOYEE, bundesland=Bundesland.HE)
    b = make_answer("B", channel=Channel.LETTER, bundesland=Bundesland.HE)
    c1 = make_answer("Kopie", campaign_group_id=group.id)
    c2 = make_answer("Kopie", campaign_group_id=group.id)
    rejected = make_answer("Abgelehnt", status=AnswerStatus.REJECTED)
    for answer in (a, c1, c2, rejected):
        assign(answer, code)
    page = f"{BASE}/{rec.id}"
    assert post(client, f"{page}/belege/beitrag", {"answer_id": str(a.id)}, page).status_code == 302
    assert post(client, f"{page}/belege/beitrag", {"answer_id": str(b.id)}, page).status_code == 302
    assert post(client, f"{page}/belege/code", {"code": str(code.id)}, page).status_code == 302
    support = recs.support(reload(Recommendation, rec.id))
    # a is linked directly and through the code: once. The rejected answer never counts.
    assert support.total == 4
    assert support.campaign_answers == 2 and support.campaign_groups == 1
    assert support.voices == 3
    assert dict(support.by_channel) == {Channel.ONLINE: 3, Channel.LETTER: 1}
    assert dict(support.by_bundesland)[Bundesland.HE] == 2
    assert dict(support.by_perspective)[Perspective.EMPLOYEE] == 1
    body = html(client, page)
    assert f"/staff/analyse/beitraege/{a.id}" in body  # links to the coding page
    assert f"/staff/analyse/beitraege/{rejected.id}" not in body
    # Later codings count at once.
    later = make_answer("Später codiert")
    assign(later, code)
    assert recs.support(reload(Recommendation, rec.id)).total == 5
    assert audit_actions(rec.id).count("recommendation.add_evidence") == 3


def test_merged_codes_keep_the_link_right(client, analyst):
    rec = make_recommendation(analyst)
    old = make_code("Kita")
    new = make_code("Kinderbetreuung")
    assign(make_answer("alt"), old)
    assign(make_answer("neu"), new)
    recs.add_code(analyst, rec, old.id)
    db.session.commit()
    assert recs.support(rec).total == 1
    coding.merge_code(analyst, old, new)
    db.session.commit()
    # The link to the merged code now stands for every answer of the code it went into.
    assert recs.support(reload(Recommendation, rec.id)).total == 2
    # Linking the merged code again is the same link as the target's.
    page = f"{BASE}/{rec.id}"
    response = post(client, f"{page}/belege/code", {"code": str(new.id)}, page)
    assert response.status_code == 302  # the link made earlier still names the old code


def test_deleting_an_answer_removes_it_from_counts_and_links(client, analyst):
    rec = make_recommendation(analyst)
    answer = make_answer("Wird gelöscht")
    recs.add_answer(analyst, rec, answer.id)
    db.session.commit()
    assert recs.support(rec).total == 1
    answer_services.delete_submission(answer.submission)
    db.session.commit()
    assert recs.support(reload(Recommendation, rec.id)).total == 0
    assert count(RecommendationEvidence) == 0


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("beitrag", "999999", "Diesen Eintrag gibt es nicht"),
        ("beitrag", "abc", "Bitte geben Sie eine Nummer ein"),
        ("beitrag", "", "Bitte geben Sie die Nummer eines Beitrags ein"),
        ("beitrag", "99999999999999", "Bitte geben Sie eine Nummer ein"),
        ("code", "999999", "Diese Auswahl gibt es nicht"),
        ("code", "", "Bitte wählen Sie einen Code"),
        ("dokumentation", "999999", "Diese Auswahl gibt es nicht"),
        ("empfehlung", "999999", "Diese Auswahl gibt es nicht"),
    ],
)
def test_bad_evidence_is_refused_in_german(client, analyst, kind, value, message):
    rec = make_recommendation(analyst)
    field = {"beitrag": "answer_id", "code": "code", "dokumentation": "entry"}.get(kind, "source")
    page = f"{BASE}/{rec.id}"
    response = post(client, f"{page}/belege/{kind}", {field: value}, page)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(RecommendationEvidence) == 0


def test_evidence_from_another_process_rejected_or_twice_is_refused(client, analyst):
    rec = make_recommendation(analyst)
    page = f"{BASE}/{rec.id}"
    foreign_answer = make_answer("Fremd", theme=other_process().theme_fields[0])
    foreign_code = make_code("Fremder Code", owner=other_process())
    rejected = make_answer("Abgelehnt", status=AnswerStatus.REJECTED)
    mine = make_answer("Meins")
    cases = [
        ("beitrag", {"answer_id": str(foreign_answer.id)}, "anderen Prozess"),
        ("beitrag", {"answer_id": str(rejected.id)}, "abgelehnt"),
        ("code", {"code": str(foreign_code.id)}, "Diese Auswahl gibt es nicht"),
    ]
    for kind, data, message in cases:
        response = post(client, f"{page}/belege/{kind}", data, page)
        assert response.status_code == 400, kind
        assert message in response.get_data(as_text=True)
    assert count(RecommendationEvidence) == 0
    assert (
        post(client, f"{page}/belege/beitrag", {"answer_id": str(mine.id)}, page).status_code == 302
    )
    twice = post(client, f"{page}/belege/beitrag", {"answer_id": str(mine.id)}, page)
    assert twice.status_code == 400
    assert "bereits verknüpft" in twice.get_data(as_text=True)
    assert count(RecommendationEvidence) == 1
    assert client.post(f"{page}/belege/unbekannt").status_code in (400, 404)


def test_service_refuses_a_code_of_another_process(analyst):
    rec = make_recommendation(analyst)
    with pytest.raises(recs.RecommendationError):
        recs.add_code(analyst, rec, make_code("Fremd", owner=other_process()).id)


def test_merging_recommendations_counts_their_support_and_refuses_cycles(client, analyst):
    target = make_recommendation(analyst, "Ziel")
    source = make_recommendation(analyst, "Quelle")
    recs.add_answer(analyst, source, make_answer("Aus der Quelle").id)
    recs.add_answer(analyst, target, make_answer("Aus dem Ziel").id)
    db.session.commit()
    page = f"{BASE}/{target.id}"
    assert (
        post(client, f"{page}/belege/empfehlung", {"source": str(source.id)}, page).status_code
        == 302
    )
    assert recs.support(reload(Recommendation, target.id)).total == 2
    back = f"{BASE}/{source.id}"
    response = post(client, f"{back}/belege/empfehlung", {"source": str(target.id)}, back)
    assert response.status_code == 400
    assert "beide Richtungen" in response.get_data(as_text=True)
    assert "Aufgegangen in" in html(client, back)


def test_removing_evidence(client, analyst):
    rec = make_recommendation(analyst)
    other = make_recommendation(analyst, "Andere")
    recs.add_answer(analyst, rec, make_answer().id)
    db.session.commit()
    evidence = db.session.scalar(sa.select(RecommendationEvidence))
    page = f"{BASE}/{rec.id}"
    wrong = post(client, f"{BASE}/{other.id}/belege/{evidence.id}/entfernen", {}, page)
    assert wrong.status_code == 404
    assert post(client, f"{page}/belege/{evidence.id}/entfernen", {}, page).status_code == 302
    assert count(RecommendationEvidence) == 0
    assert "recommendation.remove_evidence" in audit_actions(rec.id)
    assert post(client, f"{page}/belege/999999/entfernen", {}, page).status_code == 404


# --- Ratings ----------------------------------------------------------------------------


def _rate(client, rec_id, effectiveness, feasibility, reason=""):
    page = f"{BASE}/{rec_id}"
    data = {"effectiveness": effectiveness, "feasibility": feasibility, "reason": reason}
    return post(client, f"{page}/bewertung", data, page)


def test_raters_see_others_ratings_only_after_their_own(app, client, seeded, make_user, login):
    author = make_user(Role.ANALYST)
    rec = make_recommendation(author)
    set_status(rec, S.IN_REVIEW)
    expert = make_user(Role.RATER)
    for score in (1, 2):
        colleague = make_user(Role.RATER)
        recs.rate(colleague, reload(Recommendation, rec.id), effectiveness=score, feasibility=4,
                  reason=f"Begründung {score}")  # fmt: skip
    db.session.commit()
    login(expert)
    before = html(client, f"{BASE}/{rec.id}")
    assert "Begründung 1" not in before and "Median" not in before
    assert "2 Bewertungen liegen vor." in before
    assert _rate(client, rec.id, "5", "4", "Wirkt stark").status_code == 302
    after = html(client, f"{BASE}/{rec.id}")
    assert "Begründung 1" in after and "Wirkt stark" in after
    assert "uneinig" in after  # effectiveness 1, 2, 5: spread 4
    # Changing one's rating updates the same row.
    assert _rate(client, rec.id, "3", "3").status_code == 302
    assert count(RecommendationRating) == 3
    own = recs.own_rating(rec.id, expert.id)
    assert (own.effectiveness, own.feasibility) == (3, 3)


def test_the_lead_sees_ratings_without_rating(client, seeded, make_user, login):
    rec = make_recommendation(make_user(Role.ANALYST))
    set_status(rec, S.IN_REVIEW)
    recs.rate(make_user(Role.RATER), reload(Recommendation, rec.id), effectiveness=4,
              feasibility=4, reason="Gut")  # fmt: skip
    db.session.commit()
    login(make_user(Role.ANALYST_LEAD))
    assert "Median" in html(client, f"{BASE}/{rec.id}")


def test_disagreement_threshold_comes_from_the_config(app, client, seeded, make_user, login):
    rec = make_recommendation(make_user(Role.ANALYST))
    set_status(rec, S.IN_REVIEW)
    for score in (2, 4):
        recs.rate(make_user(Role.RATER), reload(Recommendation, rec.id), effectiveness=score,
                  feasibility=3)  # fmt: skip
    db.session.commit()
    login(make_user(Role.ANALYST_LEAD))
    assert "uneinig" in html(client, f"{BASE}/{rec.id}")
    app.config["RECOMMENDATION_DISAGREEMENT_SPREAD"] = 3
    assert "uneinig" not in html(client, f"{BASE}/{rec.id}")


@pytest.mark.parametrize(
    ("effectiveness", "feasibility"), [("0", "3"), ("6", "3"), ("3", ""), ("x", "3"), ("3", "-1")]
)
def test_ratings_outside_the_scale_are_refused(
    client, seeded, make_user, login, effectiveness, feasibility
):
    rec = make_recommendation(make_user(Role.ANALYST))
    set_status(rec, S.IN_REVIEW)
    login(make_user(Role.RATER))
    response = _rate(client, rec.id, effectiveness, feasibility)
    assert response.status_code == 400
    assert "jeweils von 1 bis 5" in response.get_data(as_text=True)
    assert count(RecommendationRating) == 0


def test_no_rating_outside_the_review(client, analyst):
    rec = make_recommendation(analyst)
    response = _rate(client, rec.id, "4", "4")
    assert response.status_code == 400
    assert "Bewertet wird nur" in response.get_data(as_text=True)
    assert count(RecommendationRating) == 0


def test_a_rater_cannot_rate_a_draft(client, seeded, make_user, login):
    rec = make_recommendation(make_user(Role.ANALYST))
    login(make_user(Role.RATER))
    page = "/staff/"
    data = {"effectiveness": "4", "feasibility": "4"}
    assert post(client, f"{BASE}/{rec.id}/bewertung", data, page).status_code == 404
    assert count(RecommendationRating) == 0


# --- Status -----------------------------------------------------------------------------


def _status(client, rec_id, **data):
    page = f"{BASE}/{rec_id}"
    return post(client, f"{page}/status", data, page)


def test_the_workflow_through_publication(client, analyst, make_user):
    rec = make_recommendation(analyst)
    assert _status(client, rec.id, status="in_review").status_code == 302
    refused = _status(client, rec.id, status="rated")
    assert refused.status_code == 400
    assert "mindestens eine Bewertung" in refused.get_data(as_text=True)
    recs.rate(make_user(Role.RATER), reload(Recommendation, rec.id), effectiveness=4, feasibility=3)
    db.session.commit()
    assert _status(client, rec.id, status="rated").status_code == 302
    assert _status(client, rec.id, status="included").status_code == 302
    no_note = _status(client, rec.id, status="in_progress", progress="30")
    assert no_note.status_code == 400
    assert "öffentlichen Hinweis" in no_note.get_data(as_text=True)
    done = _status(
        client,
        rec.id,
        status="in_progress",
        public_note="Referentenentwurf liegt vor.",
        progress="30",
        link="https://www.bmas.de/entwurf",
    )
    assert done.status_code == 302
    rec = reload(Recommendation, rec.id)
    assert rec.status == S.IN_PROGRESS
    history = recs.status_history(rec.id)
    assert history[0].progress_percent == 30 and history[0].link.endswith("/entwurf")
    assert [h.to_status for h in reversed(history)] == [
        S.DRAFT, S.IN_REVIEW, S.RATED, S.INCLUDED, S.IN_PROGRESS,
    ]  # fmt: skip
    assert audit_actions(rec.id).count("recommendation.change_status") == 4
    page = html(client, f"{BASE}/{rec.id}")
    assert "Referentenentwurf liegt vor." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "implemented", "public_note": "x"}, "im Ablauf nicht vorgesehen"),
        ({"status": "included"}, "im Ablauf nicht vorgesehen"),
        ({"status": "draft"}, "im Ablauf nicht vorgesehen"),
        ({"status": "mond"}, "Diese Auswahl gibt es nicht"),
        ({"status": ""}, "Diese Auswahl gibt es nicht"),
        ({"status": "in_review", "progress": "50"}, "erst nach der Veröffentlichung"),
        ({"status": "in_review", "progress": "viel"}, "ganze Zahl"),
        ({"status": "in_review", "link": "javascript:alert(1)"}, "https://"),
    ],
)
def test_disallowed_status_changes_are_refused_in_german(client, analyst, data, message):
    rec = make_recommendation(analyst)
    response = _status(client, rec.id, **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    rec = reload(Recommendation, rec.id)
    assert (rec.status, rec.version) == (S.DRAFT, 1)
    assert count(RecommendationStatusChange) == 1


def test_deferring_needs_a_reason(client, analyst, make_user):
    rec = make_recommendation(analyst)
    set_status(rec, S.RATED)
    refused = _status(client, rec.id, status="deferred")
    assert refused.status_code == 400
    assert "warum die Empfehlung zurückgestellt" in refused.get_data(as_text=True)
    assert _status(client, rec.id, status="deferred", reason="Erst 2027").status_code == 302
    assert reload(Recommendation, rec.id).status == S.DEFERRED


def test_a_status_change_meanwhile_conflicts_with_an_open_edit_form(client, analyst):
    rec = make_recommendation(analyst)
    assert _status(client, rec.id, status="in_review").status_code == 302
    data = {"title": "Alt", "text": "x", "theme_fields": [str(themes()[0].id)], "version": "1"}
    assert post(client, f"{BASE}/{rec.id}/bearbeiten", data).status_code == 409


# --- List and lists ---------------------------------------------------------------------


def test_list_filters_by_theme_field_and_status(client, analyst):
    first = make_recommendation(analyst, "Erste", theme_index=0)
    make_recommendation(analyst, "Zweite", theme_index=1)
    set_status(first, S.IN_REVIEW)
    page = html(client, f"{BASE}?thema={themes()[1].id}")
    assert "Zweite" in page and "Erste" not in page
    page = html(client, f"{BASE}?status=in_review")
    assert "Erste" in page and "Zweite" not in page
    page = html(client, f"{BASE}?status=mond&thema=abc")
    assert "Erste" in page and "Zweite" in page
    assert 'scope="col"' in page and 'scope="row"' in page


def test_lists_default_edit_and_keep_old_values(client, analyst):
    url = f"{BASE}/listen"
    page = html(client, url)
    assert "Bundesagentur für Arbeit" in page and "Tarif-/Betriebsebene" in page
    rec = make_recommendation(analyst, addressee="Kommunen")
    response = post(
        client, url, {"addressees": "Bund\nEuropäische Union\n", "measures": "Förderprogramm"}
    )
    assert response.status_code == 302
    assert recs.options_of(process().id, recs.OptionList.ADDRESSEE) == ["Bund", "Europäische Union"]
    assert count(RecommendationOption) == 3
    form = html(client, f"{BASE}/{rec.id}/bearbeiten")
    assert "Europäische Union" in form and "Kommunen" in form and "Länder" not in form
    too_long = post(client, url, {"addressees": "x" * 121, "measures": ""})
    assert too_long.status_code == 400
    assert "höchstens 120 Zeichen" in too_long.get_data(as_text=True)
    new = post(client, f"{BASE}/neu", {"title": "T", "text": "x",
               "theme_fields": [str(themes()[0].id)], "addressee": "Länder"})  # fmt: skip
    assert new.status_code == 400


def test_every_page_has_a_single_h1_and_labelled_fields(client, analyst):
    rec = make_recommendation(analyst)
    for url in (BASE, f"{BASE}/neu", f"{BASE}/{rec.id}", f"{BASE}/{rec.id}/bearbeiten",
                f"{BASE}/listen"):  # fmt: skip
        page = html(client, url)
        assert page.count("<h1") == 1, url
        assert "<script" not in page.split("</main>")[0].split("<main")[-1], url
