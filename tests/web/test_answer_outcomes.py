"""The private link shows, per answer, the published recommendations it supports (directly,
through a code, merged codes and merged recommendations followed) and nothing else."""

from __future__ import annotations

import sqlalchemy as sa

from dialog.answers.models import Answer
from dialog.coding import services as coding
from dialog.common.permissions import Role
from dialog.extensions import db
from dialog.recommendations import services as recs
from dialog.recommendations.models import Recommendation, RecommendationStatusChange
from dialog.recommendations.outcomes import outcomes_of_answers
from dialog.recommendations.rules import RecommendationStatus as S
from tests.conftest import post_form
from tests.web.answer_helpers import send
from tests.web.recommendation_helpers import (
    assign,
    make_answer,
    make_code,
    make_recommendation,
    set_status,
)


def _own_answers(client) -> tuple[str, list[Answer]]:
    response = send(client, ["Mehr Kitaplätze am Nachmittag", "Anerkennung schneller"])
    url = response.headers["Location"].split("?")[0]
    answers = list(db.session.scalars(sa.select(Answer).order_by(Answer.id)))
    return url, answers


def _publish(rec: Recommendation, status=S.INCLUDED, note: str = "") -> None:
    set_status(rec, status)
    if note:
        db.session.add(
            RecommendationStatusChange(
                recommendation_id=rec.id,
                from_status=S.INCLUDED,
                to_status=status,
                public_note=note,
                progress_percent=40,
            )
        )
        db.session.commit()


def test_private_link_shows_what_became_of_each_answer(client, seeded, make_user):
    analyst = make_user(Role.ANALYST)
    url, (kita, recognition) = _own_answers(client)
    page = client.get(url).get_data(as_text=True)
    assert "Was aus Ihren Antworten geworden ist" not in page  # nothing linked yet

    direct = make_recommendation(analyst, "Ganztag ausbauen")
    recs.add_answer(analyst, direct, kita.id)
    code = make_code("Anerkennung")
    old_code = make_code("Berufsanerkennung")
    assign(recognition, old_code)
    coding.merge_code(analyst, old_code, code)  # the answer now carries the merged code
    via_code = make_recommendation(analyst, "Anerkennung digital")
    recs.add_code(analyst, via_code, code.id)
    merged_source = make_recommendation(analyst, "Betreuung am Abend")
    recs.add_answer(analyst, merged_source, kita.id)
    cluster = make_recommendation(analyst, "Betreuung verlässlich machen")
    recs.merge_recommendation(analyst, cluster, merged_source.id)
    draft = make_recommendation(analyst, "Noch ein Entwurf")
    recs.add_answer(analyst, draft, kita.id)
    db.session.commit()
    _publish(direct, S.IN_PROGRESS, note="Der Gesetzentwurf liegt vor.")
    _publish(via_code)
    _publish(cluster)

    page = client.get(url).get_data(as_text=True)
    assert "Was aus Ihren Antworten geworden ist" in page
    section = page[page.index("outcomes-title") : page.index("link-title")]
    for title in ("Ganztag ausbauen", "Anerkennung digital", "Betreuung verlässlich machen"):
        assert title in section, title
    assert "Noch ein Entwurf" not in section and "Betreuung am Abend" not in section
    assert "Der Gesetzentwurf liegt vor." in section and "40 %" in section
    assert "in Umsetzung" in section
    # Per answer: the code-linked recommendation only under the answer that carries the code.
    kita_part = section[: section.index(recognition.question.text)]
    assert "Anerkennung digital" not in kita_part and "Ganztag ausbauen" in kita_part


def test_other_peoples_links_are_not_shown(client, seeded, make_user):
    analyst = make_user(Role.ANALYST)
    url, (kita, _recognition) = _own_answers(client)
    stranger = make_answer("Eine ganz andere Antwort")
    rec = make_recommendation(analyst, "Nur für die andere Person")
    recs.add_answer(analyst, rec, stranger.id)
    db.session.commit()
    _publish(rec)
    page = client.get(url).get_data(as_text=True)
    assert "Nur für die andere Person" not in page
    assert outcomes_of_answers(rec.process_id, [kita.id]) == {}
    assert list(outcomes_of_answers(rec.process_id, [stranger.id])) == [stranger.id]


def test_deleting_answers_removes_them_from_every_count_and_link(client, seeded, make_user):
    analyst = make_user(Role.ANALYST)
    url, (kita, recognition) = _own_answers(client)
    keep = make_answer("Diese Antwort bleibt")
    keep_id = keep.id
    code = make_code("Betreuung")
    assign(recognition, code)
    assign(keep, code)
    rec = make_recommendation(analyst, "Ganztag ausbauen")
    recs.add_answer(analyst, rec, kita.id)
    recs.add_code(analyst, rec, code.id)
    db.session.commit()
    _publish(rec)
    assert recs.support(rec).total == 3
    assert {a.id for a in recs.supporting_answers(rec)} == {kita.id, recognition.id, keep.id}

    gone = [kita.id, recognition.id]
    response = post_form(client, url.rstrip("/") + "/loeschen", {})
    assert response.status_code == 302

    db.session.expire_all()
    rec = db.session.get(Recommendation, rec.id)
    assert recs.support(rec).total == 1  # at once: nothing is kept as a copy
    assert [a.id for a in recs.supporting_answers(rec)] == [keep_id]
    evidence = recs.evidence_of(rec.id)
    assert [e.kind.value for e in evidence] == ["code"]  # the direct link went with the answer
    assert outcomes_of_answers(rec.process_id, gone) == {}
    assert client.get(url).status_code == 404


def _through_the_workflow(analysts, rec: Recommendation) -> None:
    recs.change_status(analysts[0], rec, S.IN_REVIEW)
    for n, rater in enumerate(analysts):
        recs.rate(rater, rec, effectiveness=3 + n, feasibility=4, reason="Gut begründet")
    recs.change_status(analysts[0], rec, S.RATED)
    recs.change_status(analysts[0], rec, S.INCLUDED)
    db.session.commit()


def test_kept_outcomes_show_every_change_at_once(app, client, seeded, make_user):
    """With the page cache on, the kept index of the process's outcomes (recommendations/
    outcomes.py) is renewed with every change the public results show."""
    app.config["PAGE_CACHE_SECONDS"] = 300
    analysts = [make_user(Role.ANALYST), make_user(Role.ANALYST)]
    url, (kita, recognition) = _own_answers(client)
    rec = make_recommendation(analysts[0], "Ganztag ausbauen")
    recs.add_answer(analysts[0], rec, kita.id)
    _through_the_workflow(analysts, rec)
    section = client.get(url).get_data(as_text=True)
    assert "Ganztag ausbauen" in section and "in den Ergebnisbericht aufgenommen" in section

    recs.change_status(analysts[0], rec, S.IN_PROGRESS, public_note="Das Gesetz ist im Bundestag.")
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "in Umsetzung" in page and "Das Gesetz ist im Bundestag." in page

    # A second recommendation reaches the other answer through a code assigned later.
    code = make_code("Anerkennung")
    other = make_recommendation(analysts[0], "Anerkennung digital")
    recs.add_code(analysts[0], other, code.id)
    _through_the_workflow(analysts, other)
    assert "Anerkennung digital" not in client.get(url).get_data(as_text=True)
    assign(recognition, code)
    page = client.get(url).get_data(as_text=True)
    assert "Anerkennung digital" in page[page.index(recognition.question.text) :]

    recs.update_recommendation(
        analysts[0],
        rec,
        recs.RecommendationInput(
            title="Ganztag verlässlich ausbauen",
            text="Der Bund fördert den Ausbau.",
            theme_field_ids=[t.id for t in rec.theme_fields],
        ),
        expected_version=rec.version,
    )
    db.session.commit()
    assert "Ganztag verlässlich ausbauen" in client.get(url).get_data(as_text=True)
