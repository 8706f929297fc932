"""Public results, "wir haben gehandelt": the published recommendations with status, latest
note, support and quotes from the results phase on; filters; the answers page filtered to a
recommendation; open data (CSV, JSON, Atom); kept figures that follow every change at once."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from lxml import etree

from dialog.answers import services as answers
from dialog.answers.models import Answer
from dialog.answers.rules import AnswerStatus, Perspective, RejectionReason
from dialog.coding import services as coding
from dialog.common.clock import today_local
from dialog.common.permissions import Role
from dialog.extensions import db
from dialog.process.models import Phase
from dialog.process.rules import PhaseKind
from dialog.quality.models import CampaignGroup
from dialog.quality.rules import CampaignStatus
from dialog.recommendations import figures, public
from dialog.recommendations import services as recs
from dialog.recommendations.models import (
    EventDocumentationEntry,
    Recommendation,
    RecommendationStatusChange,
    RecommendationSupport,
)
from dialog.recommendations.rules import RecommendationStatus as S
from tests.conftest import post_form
from tests.web.answer_helpers import send
from tests.web.recommendation_helpers import (
    assign,
    first_event,
    make_answer,
    make_code,
    make_recommendation,
    other_process,
    process,
    set_status,
    themes,
)

BASE = "/dialog/mission-fachkraft/ergebnisse/empfehlungen"
ANSWERS = "/dialog/mission-fachkraft/antworten"
ATOM = "{http://www.w3.org/2005/Atom}"
# Our own feed, parsed without entities or network access.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def open_results() -> None:
    """Move the results phase so that it began yesterday."""
    phase = db.session.scalar(
        sa.select(Phase).where(Phase.process_id == process().id, Phase.kind == PhaseKind.RESULTS)
    )
    phase.starts_on = today_local() - timedelta(days=1)
    phase.ends_on = today_local() + timedelta(days=100)
    db.session.commit()


def publish(rec: Recommendation, status=S.INCLUDED, note: str = "", **extra) -> None:
    set_status(rec, status)
    db.session.add(
        RecommendationStatusChange(
            recommendation_id=rec.id,
            from_status=S.RATED,
            to_status=status,
            public_note=note,
            **extra,
        )
    )
    db.session.commit()


def page(client, url: str = BASE, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def kept(rec: Recommendation) -> figures.Figures:
    """The figures as the public pages read them (stale rows recomputed)."""
    db.session.expire_all()
    found = figures.fresh_figures([db.session.get(Recommendation, rec.id)])[rec.id]
    db.session.commit()
    return found


@pytest.fixture
def analyst(seeded, make_user):
    return make_user(Role.ANALYST)


@pytest.fixture
def moderator(seeded, make_user):
    return make_user(Role.MODERATOR)


def _no_consent(text: str) -> Answer:
    answer = make_answer(text)
    answer.submission.publication_consent = False
    db.session.commit()
    return answer


def test_before_the_results_phase_only_a_notice(client, analyst):
    rec = make_recommendation(analyst, "Kita-Ausbau beschleunigen")
    recs.add_answer(analyst, rec, make_answer().id)
    db.session.commit()
    publish(rec, note="Aufgenommen.")

    html = page(client)
    assert "Die Handlungsempfehlungen sind noch nicht veröffentlicht" in html
    assert "Veröffentlichung der Ergebnisse" in html
    assert "Kita-Ausbau beschleunigen" not in html
    for suffix in (".csv", ".json"):
        response = client.get(BASE + suffix)
        assert response.status_code == 404
        assert "ab der Phase" in response.get_data(as_text=True)
    feed = etree.fromstring(client.get(BASE + ".atom").data, PARSER)
    assert feed.findall(f"{ATOM}entry") == []
    html = page(client, f"{ANSWERS}?empfehlung={rec.id}", status=404)
    assert "nicht veröffentlicht" in html
    # The process page links the list only from the results phase on.
    assert BASE not in page(client, "/dialog/mission-fachkraft")
    open_results()
    assert BASE in page(client, "/dialog/mission-fachkraft")
    assert BASE in page(client, "/dialog/mission-fachkraft/ergebnisse")


def test_published_recommendations_with_note_support_and_quotes(client, analyst):
    open_results()
    quoted = make_answer("Ganztagsplätze fehlen überall.", perspective=Perspective.EMPLOYEE)
    redacted = make_answer("Mein Chef Herr Müller sagt nein.", perspective=Perspective.EMPLOYER)
    redacted.redacted_text = "Mein Chef [Name entfernt] sagt nein."
    private = _no_consent("Bitte nicht zitieren: Betreuung am Abend fehlt.")
    internal = make_answer("Intern gewertet", status=AnswerStatus.INTERNAL)
    rejected = make_answer("Abgelehnt", status=AnswerStatus.REJECTED)
    db.session.commit()
    rec = make_recommendation(analyst, "Ganztag ausbauen", addressee="Länder")
    for answer in (quoted, redacted, private, internal):
        recs.add_answer(analyst, rec, answer.id)
    code = make_code("Ganztag")
    assign(rejected, code)  # a rejected answer never counts, not even through a code
    recs.add_code(analyst, rec, code.id)
    draft = make_recommendation(analyst, "Noch ein Entwurf")
    recs.add_answer(analyst, draft, quoted.id)
    db.session.commit()
    publish(
        rec,
        S.IN_PROGRESS,
        note="Der Gesetzentwurf liegt vor.",
        progress_percent=40,
        link="https://example.org/gesetz",
    )

    html = page(client)
    assert "Ganztag ausbauen" in html and "Noch ein Entwurf" not in html
    assert "in Umsetzung" in html and "Länder" in html
    assert "Der Gesetzentwurf liegt vor." in html and "Fortschritt: 40 %" in html
    assert 'href="https://example.org/gesetz"' in html
    # The rejected answer never counts.
    assert "4 Beiträge aus 2 Perspektiven" in " ".join(html.split())
    assert "Ganztagsplätze fehlen überall." in html
    assert "Mein Chef [Name entfernt] sagt nein." in html and "Herr Müller" not in html
    assert "Bitte nicht zitieren" not in html and "Intern gewertet" not in html
    # The published supporting answers: those with and without consent to quote.
    assert f"{ANSWERS}?empfehlung={rec.id}" in html
    assert "Die 3 veröffentlichten Beiträge dazu lesen" in html
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert "dl-de/by-2-0" in html and "https://www.govdata.de/dl-de/by-2-0" in html
    assert BASE + ".csv" in html and BASE + ".json" in html
    # English through Flask-Babel: the page renders in the other language too.
    client.get("/sprache/en")
    assert page(client).startswith("<!doctype html>")


def test_filters_by_theme_addressee_and_status(client, analyst):
    open_results()
    first = make_recommendation(analyst, "Erste Empfehlung", theme_index=0, addressee="Bund")
    second = make_recommendation(analyst, "Zweite Empfehlung", theme_index=1, addressee="Länder")
    publish(first)
    publish(second, S.IMPLEMENTED, note="Umgesetzt.")
    theme0, theme1 = themes()[0], themes()[1]

    html = page(client, f"{BASE}?thema={theme1.slug}")
    assert "Zweite Empfehlung" in html and "Erste Empfehlung" not in html
    html = page(client, f"{BASE}/{theme0.slug}")
    assert "Erste Empfehlung" in html and "Zweite Empfehlung" not in html
    html = page(client, f"{BASE}?adressat=Bund")
    assert "Erste Empfehlung" in html and "Zweite Empfehlung" not in html
    html = page(client, f"{BASE}?status=implemented")
    assert "Zweite Empfehlung" in html and "Erste Empfehlung" not in html
    # The form works without JavaScript: a GET form with labelled fields.
    assert 'method="get"' in html and 'for="status"' in html and 'for="adressat"' in html
    # Unknown values: a German message at the field, and everything shown.
    html = page(client, f"{BASE}?status=draft&thema=gibt-es-nicht&adressat=Mars")
    assert html.count("Diese Auswahl gibt es nicht") == 3
    assert "Erste Empfehlung" in html and "Zweite Empfehlung" in html
    page(client, f"{BASE}/gibt-es-nicht", status=404)
    page(client, "/dialog/gibt-es-nicht/ergebnisse/empfehlungen", status=404)


def test_answers_page_filtered_to_a_recommendation(client, analyst):
    open_results()
    shown = make_answer("Diese Antwort stützt die Empfehlung.")
    pending = make_answer("Noch nicht moderiert", status=AnswerStatus.PENDING)
    elsewhere = make_answer("Diese Antwort stützt nichts.")
    rec = make_recommendation(analyst, "Ganztag ausbauen")
    code = make_code("Betreuung")
    via_code = make_answer("Über den Code verknüpft.")
    assign(via_code, code)
    recs.add_answer(analyst, rec, shown.id)
    recs.add_answer(analyst, rec, pending.id)
    recs.add_code(analyst, rec, code.id)
    draft = make_recommendation(analyst, "Entwurf")
    foreign = Recommendation(process_id=other_process().id, title="Fremd", status=S.INCLUDED)
    db.session.add(foreign)
    db.session.commit()
    publish(rec)

    html = page(client, f"{ANSWERS}?empfehlung={rec.id}")
    assert "Ganztag ausbauen" in html
    assert "Diese Antwort stützt die Empfehlung." in html and "Über den Code verknüpft." in html
    assert "Noch nicht moderiert" not in html and "Diese Antwort stützt nichts." not in html
    assert elsewhere.id
    for bad in (draft.id, foreign.id, 999999, "abc", "", "-1", "9" * 30):
        html = page(client, f"{ANSWERS}?empfehlung={bad}", status=404)
        assert "Diese Handlungsempfehlung gibt es nicht oder sie ist (noch) nicht" in html


def test_open_data_csv_json_and_atom(client, analyst):
    open_results()
    rec = make_recommendation(analyst, "Anerkennung digital", addressee="Bund")
    recs.add_answer(analyst, rec, make_answer(perspective=Perspective.EMPLOYEE).id)
    db.session.commit()
    publish(rec, note="Aufgenommen in den Ergebnisbericht.")
    publish(rec, S.PLANNED, note="Das Ministerium plant ein Portal.", progress_percent=10)
    make_recommendation(analyst, "Entwurf bleibt intern")

    response = client.get(BASE + ".csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "dl-de/by-2-0" in response.headers["Link"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    row = rows[0]
    assert row["titel"] == "Anerkennung digital" and row["adressat"] == "Bund"
    assert row["status"] == "planned" and row["status_bezeichnung"] == "geplant"
    assert row["letzte_meldung"] == "Das Ministerium plant ein Portal."
    assert row["fortschritt_prozent"] == "10" and row["beitraege"] == "1"
    assert row["perspektiven"] == "1" and row["stimmen"] == "1"
    assert row["beitraege_url"].endswith(f"/antworten?empfehlung={rec.id}")

    data = json.loads(client.get(BASE + ".json").data)
    assert data["lizenz"] == {
        "id": "dl-de/by-2-0",
        "name": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "url": "https://www.govdata.de/dl-de/by-2-0",
    }
    assert [r["titel"] for r in data["empfehlungen"]] == ["Anerkennung digital"]
    assert data["empfehlungen"][0]["beitraege"] == 1
    # The downloads follow the filters.
    assert json.loads(client.get(BASE + ".json?adressat=Länder").data)["empfehlungen"] == []

    response = client.get(BASE + ".atom")
    assert response.mimetype == "application/atom+xml"
    feed = etree.fromstring(response.data, PARSER)
    assert feed.find(f"{ATOM}id").text and feed.find(f"{ATOM}updated").text
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Anerkennung digital: geplant",
        "Anerkennung digital: in den Ergebnisbericht aufgenommen",
    ]
    summary = entries[0].find(f"{ATOM}summary").text
    assert "Das Ministerium plant ein Portal." in summary and "10 %" in summary
    assert len({e.find(f"{ATOM}id").text for e in entries}) == 2


def test_deleting_an_answer_removes_it_from_counts_and_quotes_at_once(client, analyst, moderator):
    open_results()
    response = send(client, ["Ganztag auch in den Ferien, bitte!"], publication_consent="y")
    url = response.headers["Location"].split("?")[0]
    own = db.session.scalar(sa.select(Answer).order_by(Answer.id.desc()))
    answers.accept(moderator, [own])
    other = make_answer("Diese Antwort bleibt.")
    rec = make_recommendation(analyst, "Ganztag ausbauen")
    recs.add_answer(analyst, rec, own.id)
    recs.add_answer(analyst, rec, other.id)
    db.session.commit()
    publish(rec)
    own_id = own.id
    html = " ".join(page(client).split())
    assert "Ganztag auch in den Ferien" in html and "2 Beiträge." in html
    assert "Ganztag auch in den Ferien" in page(client, f"{ANSWERS}?empfehlung={rec.id}")

    assert post_form(client, url.rstrip("/") + "/loeschen", {}).status_code == 302
    html = " ".join(page(client).split())
    assert "Ganztag auch in den Ferien" not in html and "1 Beitrag." in html
    assert "Ganztag auch in den Ferien" not in page(client, f"{ANSWERS}?empfehlung={rec.id}")
    assert own_id not in kept(rec).quote_ids


def test_every_kind_of_change_shows_at_once(client, analyst, moderator):
    """Each service that changes the support marks the kept row; the next reading shows it."""
    open_results()
    rec = make_recommendation(analyst, "Ganztag ausbauen")
    publish(rec)
    assert kept(rec).answers == 0

    answer = make_answer("Erste Stimme", perspective=Perspective.EMPLOYEE)
    recs.add_answer(analyst, rec, answer.id)  # evidence linked
    db.session.commit()
    assert kept(rec) == figures.Figures(
        answers=1, voices=1, perspectives=1, published_answers=1, quote_ids=(answer.id,)
    )

    answers.accept(moderator, [answer], redacted_text="Erste Stimme, gekürzt")  # redaction
    db.session.commit()
    assert "Erste Stimme, gekürzt" in page(client)
    answers.hide(moderator, [answer], RejectionReason.PERSONAL_DATA)  # take-down
    db.session.commit()
    assert kept(rec).published_answers == 0 and kept(rec).quote_ids == ()
    answers.accept(moderator, [answer])  # published again
    db.session.commit()
    assert kept(rec).quote_ids == (answer.id,)

    code = make_code("Betreuung")
    coded = make_answer("Über den Code", perspective=Perspective.EMPLOYER)
    recs.add_code(analyst, rec, code.id)
    db.session.commit()
    assert kept(rec).answers == 1
    coding.save_coding(  # a coding save
        analyst,
        coded,
        coding.CodingInput(code_ids=frozenset({code.id}), offered_ids=frozenset({code.id})),
    )
    db.session.commit()
    assert kept(rec).answers == 2 and kept(rec).perspectives == 2
    bulk = make_answer("Per Sammelzuordnung")
    coding.bulk_assign(analyst, process().id, coding.CodingFilters(), code)  # bulk assignment
    db.session.commit()
    assert kept(rec).answers >= 3
    before = kept(rec).answers

    other_code = make_code("Kinderbetreuung")
    merged_in = make_answer("Mit dem anderen Code")
    assign(merged_in, other_code)
    kept(rec)
    coding.merge_code(analyst, other_code, code)  # code merge
    db.session.commit()
    assert kept(rec).answers == before + 1

    group = CampaignGroup(process_id=process().id, status=CampaignStatus.SUGGESTED, size=2)
    db.session.add(group)
    db.session.flush()
    for member in (coded, bulk):
        db.session.get(Answer, member.id).campaign_group_id = group.id
    db.session.commit()
    from dialog.quality import services as quality

    quality.decide(analyst, group, CampaignStatus.CONFIRMED)  # campaign decision
    db.session.commit()
    assert kept(rec).campaign_answers == 2 and kept(rec).voices == before + 1 - 1

    entry = EventDocumentationEntry(event_id=first_event().id, text="Mehr Kitas", agreement_count=7)
    db.session.add(entry)
    db.session.commit()
    recs.add_documentation(analyst, rec, entry.id)
    db.session.commit()
    assert (kept(rec).documentation_entries, kept(rec).agreement) == (1, 7)
    recs.update_entry(analyst, entry, recs.EntryInput(text="Mehr Kitas", agreement_count=9))
    db.session.commit()
    assert kept(rec).agreement == 9
    recs.delete_entry(analyst, entry)  # documentation entry deleted
    db.session.commit()
    assert kept(rec).documentation_entries == 0

    source = make_recommendation(analyst, "Betreuung am Abend")
    evening = make_answer("Abends betreuen")
    recs.add_answer(analyst, source, evening.id)
    db.session.commit()
    total = kept(rec).answers
    recs.merge_recommendation(analyst, rec, source.id)  # merge
    db.session.commit()
    assert kept(rec).answers == total + 1
    late = make_answer("Später zur Quelle")
    recs.add_answer(analyst, source, late.id)  # evidence of the source counts for the target
    db.session.commit()
    assert kept(rec).answers == total + 2
    link = next(e for e in recs.evidence_of(rec.id) if e.source_recommendation_id == source.id)
    recs.remove_evidence(analyst, rec, link)  # unlink
    db.session.commit()
    assert kept(rec).answers == total


def test_fresh_figures_are_read_not_recounted(analyst, monkeypatch):
    rec = make_recommendation(analyst)
    recs.add_answer(analyst, rec, make_answer().id)
    db.session.commit()
    assert kept(rec).answers == 1
    row = db.session.get(RecommendationSupport, rec.id)
    assert row.stale is False and row.computed_at is not None

    def no_scan(_rec):
        raise AssertionError("a fresh row was recounted")

    monkeypatch.setattr(figures, "compute", no_scan)
    assert kept(rec).answers == 1


def test_a_recount_that_raced_a_change_stays_stale(analyst):
    """A change marked while the figures were being recomputed keeps the row stale."""
    rec = make_recommendation(analyst)
    kept(rec)
    figures.mark_stale(recommendation_ids=[rec.id])
    db.session.commit()
    real = figures.compute

    def racing(target):
        result = real(target)
        figures.mark_stale(recommendation_ids=[target.id])  # a change meanwhile
        return result

    figures.compute, saved = racing, figures.compute
    try:
        kept(rec)
    finally:
        figures.compute = saved
    db.session.expire_all()
    assert db.session.get(RecommendationSupport, rec.id).stale is True


def test_results_shown_rule():
    from dialog.process.rules import PhaseSpan
    from dialog.recommendations.rules import results_shown

    day = today_local()
    phases = [PhaseSpan(1, PhaseKind.RESULTS, day, day + timedelta(days=5))]
    assert results_shown(day, phases)
    assert results_shown(day + timedelta(days=30), phases)  # and after it
    assert not results_shown(day - timedelta(days=1), phases)
    assert not results_shown(day, [])
    assert public.LICENCE_ID == "dl-de/by-2-0"


def test_an_answer_emptied_by_its_author_goes_at_once(analyst):
    pending = make_answer("Noch nicht moderiert", status=AnswerStatus.PENDING)
    rec = make_recommendation(analyst)
    recs.add_answer(analyst, rec, pending.id)
    db.session.commit()
    assert kept(rec).answers == 1  # pending answers count, as on the staff page
    pending = db.session.get(Answer, pending.id)
    theme = pending.submission.theme_field
    assert answers.update_by_author(pending.submission, theme, {pending.question_id: ""}) == 1
    db.session.commit()
    assert kept(rec).answers == 0


def _statements(client, url: str) -> list[str]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        page(client, url)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return seen


def test_the_page_reads_a_fixed_number_of_statements(client, analyst):
    """With fresh figures, the page's statements do not grow with the recommendations shown
    and none of them reads the answers' links (no scan per request)."""
    open_results()

    def add(n: int) -> None:
        for i in range(n):
            rec = make_recommendation(analyst, f"Empfehlung {i} {n}")
            recs.add_answer(analyst, rec, make_answer(f"Antwort {i} {n}").id)
            db.session.commit()
            publish(rec, S.PLANNED, note=f"Geplant {i}.")

    add(2)
    page(client)  # computes the missing figures
    few = _statements(client, BASE)
    add(4)
    page(client)
    many = _statements(client, BASE)
    assert len(many) == len(few)
    assert not any("code_assignments" in s or "recommendation_evidence" in s for s in many)


def test_the_cached_page_is_kept_only_until_its_data_changes(app, client, analyst, moderator):
    from dialog.common import pagecache

    app.config["PAGE_CACHE_SECONDS"] = 60
    pagecache.store.clear()
    try:
        open_results()
        response = send(client, ["Mehr Ganztagsplätze im Landkreis!"], publication_consent="y")
        url = response.headers["Location"].split("?")[0]
        own = db.session.scalar(sa.select(Answer).order_by(Answer.id.desc()))
        answers.accept(moderator, [own])
        rec = make_recommendation(analyst, "Ganztag ausbauen")
        recs.add_answer(analyst, rec, own.id)
        db.session.commit()
        publish(rec)
        figures.mark_stale(recommendation_ids=[rec.id])  # the test helper set the status
        db.session.commit()
        reader = app.test_client()  # a visitor without messages pending, as the cache wants
        assert "Mehr Ganztagsplätze" in page(reader)
        # Served from the cache: a change that bypasses the services does not show …
        db.session.execute(
            sa.update(Recommendation).where(Recommendation.id == rec.id).values(title="Umbenannt")
        )
        db.session.commit()
        assert "Ganztag ausbauen" in page(reader) and "Umbenannt" not in page(reader)
        # … but every change through them does, at the next request.
        assert post_form(client, url.rstrip("/") + "/loeschen", {}).status_code == 302
        html = page(reader)
        assert "Mehr Ganztagsplätze" not in html and "Umbenannt" in html
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 0
        pagecache.store.clear()
