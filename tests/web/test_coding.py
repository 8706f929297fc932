"""Analysts code answers: codebook and its history, the coding page, filters, bulk assignment,
double-coding samples and who may do what."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AnswerStatus, Channel
from dialog.coding.models import (
    AnswerAnnotation,
    Code,
    CodeAssignment,
    CodingEvent,
    CodingSample,
    CodingSampleAnswer,
    Rating,
)
from dialog.coding.rules import CodingAction, draw_sample
from dialog.common.audit import AuditEntry
from dialog.common.permissions import Role
from dialog.extensions import db
from dialog.process.models import Process, ThemeField
from dialog.quality import services as quality
from dialog.seed import PROCESS_SLUG
from tests.conftest import PASSWORD, csrf_token, post_form

LIST_URL = "/staff/analyse/beitraege"
CODEBOOK_URL = "/staff/analyse/codebuch"
SAMPLES_URL = "/staff/analyse/stichproben"


def process() -> Process:
    return db.session.scalar(sa.select(Process).where(Process.slug == PROCESS_SLUG))


def themes() -> list[ThemeField]:
    return list(process().theme_fields)


def make_answer(
    text: str,
    *,
    theme: int = 0,
    status: AnswerStatus = AnswerStatus.PUBLISHED,
    channel: Channel = Channel.ONLINE,
    event_id: int | None = None,
) -> Answer:
    field = themes()[theme]
    submission = Submission(
        theme_field_id=field.id,
        channel=channel,
        received_on=date(2026, 3, 2),
        publication_consent=True,
        event_id=event_id,
    )
    answer = Answer(
        question_id=field.questions[0].id, theme_field_id=field.id, text=text, status=status
    )
    submission.answers.append(answer)
    db.session.add(submission)
    db.session.commit()
    return answer


def make_code(label: str, parent: Code | None = None) -> Code:
    code = Code(process_id=process().id, label=label, parent_id=parent.id if parent else None)
    db.session.add(code)
    db.session.commit()
    return code


def shared_codes(answer_id: int) -> set[str]:
    db.session.expire_all()
    stmt = (
        sa.select(Code.label)
        .join(CodeAssignment, CodeAssignment.code_id == Code.id)
        .where(CodeAssignment.answer_id == answer_id, CodeAssignment.sample_id.is_(None))
    )
    return set(db.session.scalars(stmt))


def events(action=None) -> list[CodingEvent]:
    db.session.expire_all()
    stmt = sa.select(CodingEvent).order_by(CodingEvent.id)
    if action is not None:
        stmt = stmt.where(CodingEvent.action == action)
    return list(db.session.scalars(stmt))


def code_answer(client, answer_id: int, data: dict, query: str = ""):
    """Send the coding form of an answer as a browser does (CSRF token from the page)."""
    url = f"{LIST_URL}/{answer_id}{query}"
    token = csrf_token(client, url)
    return client.post(url, data={"csrf_token": token, **data})


CAMPAIGN_TEXT = "Wir fordern eine echte Entlastung der Pflegekräfte durch mehr Personal und Geld!"


@pytest.fixture
def analyst(client, seeded, make_user, login):
    """The test client, logged in as an analyst."""
    user = make_user(Role.ANALYST)
    login(user)
    return user


def html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


# --- Permissions ------------------------------------------------------------------------


def test_moderators_neither_see_nor_code(client, seeded, make_user, login):
    answer = make_answer("Ein Beitrag zur Fachkräftesicherung im Handwerk.")
    code = make_code("Handwerk")
    urls = [LIST_URL, CODEBOOK_URL, f"{LIST_URL}/{answer.id}", f"{CODEBOOK_URL}/{code.id}"]
    assert client.get(LIST_URL).status_code == 302  # anonymous: to the login
    login(make_user(Role.MODERATOR, Role.ADMIN))
    for url in urls:
        assert client.get(url).status_code == 403, url
    token = csrf_token(client, "/staff/")
    response = client.post(
        f"{LIST_URL}/{answer.id}", data={"csrf_token": token, "codes": [str(code.id)]}
    )
    assert response.status_code == 403
    response = client.post(CODEBOOK_URL, data={"csrf_token": token, "label": "Neu"})
    assert response.status_code == 403
    assert shared_codes(answer.id) == set()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Code)) == 1
    assert client.get(f"{SAMPLES_URL}/neu").status_code == 200  # admins draw samples


def test_analysts_cannot_moderate_and_only_leads_draw_samples(client, analyst):
    answer = make_answer("Text", status=AnswerStatus.PENDING)
    assert client.get("/staff/moderation").status_code == 403
    token = csrf_token(client, LIST_URL)
    response = client.post(
        f"/staff/moderation/{answer.id}", data={"csrf_token": token, "action": "accept"}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Answer, answer.id).status is AnswerStatus.PENDING
    assert client.get(f"{SAMPLES_URL}/neu").status_code == 403
    assert "Meine Stichproben" in html(client, SAMPLES_URL)
    nav = html(client, "/staff/")
    assert 'href="/staff/analyse/beitraege"' in nav and 'href="/staff/moderation"' not in nav


def test_staff_account_form_offers_the_analyst_lead(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    page = html(client, "/staff/konten/neu")
    assert 'value="analyst_lead"' in page and "Analyseleitung" in page


# --- Codebook ---------------------------------------------------------------------------


def test_codebook_two_levels_and_unique_labels(client, analyst):
    response = post_form(client, CODEBOOK_URL, {"label": "Arbeitszeit", "description": "Teilzeit"})
    assert response.status_code == 302
    parent = db.session.scalar(sa.select(Code).where(Code.label == "Arbeitszeit"))
    assert parent.created_by_id == analyst.id
    post_form(client, CODEBOOK_URL, {"label": "Vier-Tage-Woche", "parent": str(parent.id)})
    child = db.session.scalar(sa.select(Code).where(Code.label == "Vier-Tage-Woche"))
    assert child.parent_id == parent.id

    # A third level is refused, with the German reason at the field.
    page = post_form(client, CODEBOOK_URL, {"label": "Freitag frei", "parent": str(child.id)})
    assert page.status_code == 200
    assert "Diese Auswahl gibt es nicht" in page.get_data(as_text=True)  # not offered at all
    edit = post_form(client, f"{CODEBOOK_URL}/{parent.id}", {"label": "Arbeitszeit", "parent": ""})
    assert edit.status_code == 302
    # A code with sub-codes cannot become a sub-code.
    other = make_code("Gesundheit")
    page = post_form(
        client, f"{CODEBOOK_URL}/{parent.id}", {"label": "Arbeitszeit", "parent": str(other.id)}
    ).get_data(as_text=True)
    assert "Der Code hat aktive Untercodes" in page
    page = post_form(client, CODEBOOK_URL, {"label": "arbeitszeit"}).get_data(as_text=True)
    assert "Diese Bezeichnung hat schon ein anderer Code" in page
    page = post_form(client, CODEBOOK_URL, {"label": "", "parent": "x"}).get_data(as_text=True)
    assert "Bitte geben Sie eine Bezeichnung ein." in page
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Code)) == 3
    assert db.session.get(Code, parent.id).parent_id is None
    tree = html(client, CODEBOOK_URL)
    assert "Vier-Tage-Woche" in tree and "Gesundheit" in tree


def test_rename_keeps_assignments_and_logs_old_and_new(client, analyst):
    answer = make_answer("Mehr Kitaplätze erleichtern die Rückkehr in den Beruf.")
    code = make_code("Kita")
    assert code_answer(client, answer.id, {"codes": [str(code.id)]}).status_code == 302
    response = post_form(
        client, f"{CODEBOOK_URL}/{code.id}", {"label": "Kinderbetreuung", "description": "Kita"}
    )
    assert response.status_code == 302
    assert shared_codes(answer.id) == {"Kinderbetreuung"}
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "code.update"))
    assert entry.changes["label"] == ["Kita", "Kinderbetreuung"]
    assert entry.actor_id == analyst.id and entry.object_id == str(code.id)
    page = html(client, f"{CODEBOOK_URL}/{code.id}")
    assert "Kita → Kinderbetreuung" in page


def test_retire_hides_the_code_from_coding_but_keeps_assignments(client, analyst):
    answer = make_answer("Ältere Beschäftigte länger halten.")
    code = make_code("Ältere")
    code_answer(client, answer.id, {"codes": [str(code.id)]})
    assert (
        post_form(
            client, f"{CODEBOOK_URL}/{code.id}/stilllegen", {}, form_url=f"{CODEBOOK_URL}/{code.id}"
        ).status_code
        == 302
    )
    page = html(client, f"{LIST_URL}/{answer.id}")
    assert f'id="code-{code.id}"' not in page
    assert "stillgelegt, bleibt erhalten" in page
    code_answer(client, answer.id, {"note": "ohne Codes gespeichert"})  # no checkbox sent
    assert shared_codes(answer.id) == {"Ältere"}
    post_form(
        client, f"{CODEBOOK_URL}/{code.id}/reaktivieren", {}, form_url=f"{CODEBOOK_URL}/{code.id}"
    )
    actions = list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-2:] == ["code.retire", "code.reactivate"]
    assert f'id="code-{code.id}"' in html(client, f"{LIST_URL}/{answer.id}")


def test_merge_moves_assignments_keeps_origin_deduplicates_and_flattens(client, analyst, make_user):
    first, second, third = (make_answer(f"Beitrag Nummer {i} zur Zuwanderung") for i in range(3))
    old = make_code("Zuwanderung alt")
    source = make_code("Einwanderung")
    target = make_code("Zuwanderung")
    code_answer(client, third.id, {"codes": [str(old.id)]})
    merged_old = post_form(
        client,
        f"{CODEBOOK_URL}/{old.id}/zusammenfuehren",
        {"target": str(source.id)},
        form_url=f"{CODEBOOK_URL}/{old.id}",
    )
    assert merged_old.status_code == 302
    code_answer(client, first.id, {"codes": [str(source.id)]})
    code_answer(client, second.id, {"codes": [str(source.id), str(target.id)]})

    response = post_form(
        client,
        f"{CODEBOOK_URL}/{source.id}/zusammenfuehren",
        {"target": str(target.id)},
        form_url=f"{CODEBOOK_URL}/{source.id}",
    )
    assert response.status_code == 302
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(
            CodeAssignment.answer_id, CodeAssignment.code_id, CodeAssignment.original_code_id
        ).order_by(CodeAssignment.answer_id, CodeAssignment.original_code_id)
    ).all()
    assert rows == [
        (first.id, target.id, source.id),
        (second.id, target.id, target.id),  # the duplicate from `source` is gone
        (third.id, target.id, old.id),
    ]
    assert db.session.get(Code, source.id).merged_into_id == target.id
    assert db.session.get(Code, old.id).merged_into_id == target.id  # no chain
    moves = events(CodingAction.MOVE)
    last_merge = [m for m in moves if m.detail["from"] == source.id]
    assert {(m.answer_id, m.detail["duplicate"]) for m in last_merge} == {
        (first.id, False),
        (second.id, True),
        (third.id, False),
    }
    assert all(m.actor_id == analyst.id and m.code_id == target.id for m in last_merge)
    merge_entry = db.session.scalar(
        sa.select(AuditEntry)
        .where(AuditEntry.action == "code.merge")
        .order_by(AuditEntry.id.desc())
    )
    assert merge_entry.object_id == str(source.id)
    page = html(client, f"{CODEBOOK_URL}/{target.id}")
    assert "Ursprünglich zugeordnet als" in page and "Zuwanderung alt" in page
    # A merged code cannot be merged again or into itself.
    again = post_form(
        client, f"{CODEBOOK_URL}/{target.id}/zusammenfuehren", {"target": str(target.id)},
        form_url=f"{CODEBOOK_URL}/{target.id}",
    )  # fmt: skip
    assert again.status_code == 400
    assert "Diese Auswahl gibt es nicht" in again.get_data(as_text=True)


# --- Coding one answer ------------------------------------------------------------------


def test_coding_an_answer_logs_every_action(client, analyst):
    answer = make_answer("Flexible Arbeitszeiten helfen Eltern und Pflegenden.")
    parent = make_code("Arbeitszeit")
    child = make_code("Gleitzeit", parent=parent)
    other = make_code("Pflege")
    page = html(client, f"{LIST_URL}/{answer.id}")
    assert page.index("Speichern und weiter") < page.index('value="speichern"')
    assert "Flexible Arbeitszeiten" in page and "Online-Formular" in page
    response = code_answer(
        client,
        answer.id,
        {
            "codes": [str(child.id), str(other.id)],
            "note": "Guter Punkt",
            "is_proposal": "y",
            "effectiveness": "4",
            "feasibility": "2",
            "aktion": "speichern",
        },
    )
    assert response.status_code == 302
    assert shared_codes(answer.id) == {"Gleitzeit", "Pflege"}
    annotation = db.session.get(AnswerAnnotation, answer.id)
    assert annotation.note == "Guter Punkt" and annotation.is_proposal
    rating = db.session.scalar(sa.select(Rating))
    assert (rating.effectiveness, rating.feasibility, rating.rater_id) == (4, 2, analyst.id)
    logged = {(e.action, e.code_id) for e in events()}
    assert logged == {
        (CodingAction.ASSIGN, child.id),
        (CodingAction.ASSIGN, other.id),
        (CodingAction.NOTE, None),
        (CodingAction.PROPOSAL, None),
        (CodingAction.RATE, None),
    }
    assert all(e.actor_id == analyst.id for e in events())

    code_answer(
        client,
        answer.id,
        {"codes": [str(child.id)], "note": "Guter Punkt", "is_proposal": "y",
         "effectiveness": "", "feasibility": "2"},
    )  # fmt: skip
    assert shared_codes(answer.id) == {"Gleitzeit"}
    [unassign] = events(CodingAction.UNASSIGN)
    assert unassign.code_id == other.id
    rates = events(CodingAction.RATE)
    assert rates[-1].detail == {"effectiveness": [4, None], "feasibility": [2, 2]}
    assert len(events(CodingAction.NOTE)) == 1  # unchanged note: nothing logged


@pytest.mark.parametrize("value", ["7", "0", "abc", "3.5", "-1"])
def test_rating_outside_the_scale_is_refused_in_german(client, analyst, value):
    answer = make_answer("Bessere Bezahlung in der Pflege.")
    response = code_answer(client, answer.id, {"effectiveness": value, "note": "x"})
    assert response.status_code == 400
    assert "Bitte wählen Sie eine Bewertung von 1 bis 5" in response.get_data(as_text=True)
    assert events() == [] and db.session.scalar(sa.select(sa.func.count()).select_from(Rating)) == 0


def test_save_and_next_keeps_the_filters(client, analyst):
    first = make_answer("Erster Beitrag im ersten Themenfeld", theme=0)
    make_answer("Beitrag im zweiten Themenfeld", theme=1)
    third = make_answer("Zweiter Beitrag im ersten Themenfeld", theme=0)
    theme_id = themes()[0].id
    query = f"?thema={theme_id}&uncodiert=y"
    page = html(client, f"{LIST_URL}/{first.id}{query}")
    assert f'href="/staff/analyse/beitraege/{third.id}?thema={theme_id}&amp;uncodiert=y"' in page
    response = code_answer(client, first.id, {"aktion": "weiter"}, query=query)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{LIST_URL}/{third.id}?thema={theme_id}&uncodiert=y"
    last = code_answer(client, third.id, {}, query=query)  # Enter in a field: no button value
    assert last.headers["Location"] == f"{LIST_URL}?thema={theme_id}&uncodiert=y"


def test_filters_campaign_uncoded_code_event_and_bogus_values(client, analyst):
    copies = [make_answer(CAMPAIGN_TEXT) for _ in range(3)]
    single = make_answer("Ein ganz eigener Gedanke zur Weiterbildung im Betrieb.")
    letter = make_answer("Per Brief eingegangen", channel=Channel.LETTER)
    code = make_code("Pflege")
    code_answer(client, copies[0].id, {"codes": [str(code.id)]})
    assert "0 Beiträge in dieser Auswahl" in html(client, f"{LIST_URL}?kampagne=y")  # not found yet
    quality.detect(None, process())
    db.session.commit()

    page = html(client, f"{LIST_URL}?kampagne=y")
    assert "3 Beiträge in dieser Auswahl" in page
    assert "mögliche Kampagne: Gruppe" in page and "(3 Beiträge)" in page
    assert "eigener Gedanke" not in page
    page = html(client, f"{LIST_URL}?uncodiert=y")
    assert "4 Beiträge in dieser Auswahl" in page
    page = html(client, f"{LIST_URL}?code={code.id}")
    assert "1 Beitrag in dieser Auswahl" in page
    page = html(client, f"{LIST_URL}?kanal=letter")
    assert "Per Brief" in page and "eigener Gedanke" not in page
    assert single.id and letter.id
    for bogus in ("thema=abc", "code=99999", "status=frei", "bundesland=XX", "nach=-4",
                  "veranstaltung=1e9", "kanal=%FF"):  # fmt: skip
        page = html(client, f"{LIST_URL}?{bogus}")
        if "nach" not in bogus:
            assert "Diese Auswahl gibt es nicht" in page, bogus
        assert "5 Beiträge in dieser Auswahl" in page, bogus


def test_bogus_ids_give_404(client, analyst):
    answer = make_answer("Text")
    for url in (
        f"{LIST_URL}/999999",
        f"{LIST_URL}/99999999999",
        f"{CODEBOOK_URL}/424242",
        f"{LIST_URL}/{answer.id}?stichprobe=777",
        f"{CODEBOOK_URL}?prozess=9999",
    ):
        assert client.get(url).status_code == 404, url
    response = code_answer(client, answer.id, {"codes": ["12345"]})
    assert response.status_code == 400
    assert "nicht (mehr) verfügbar" in response.get_data(as_text=True)
    bulk = client.get(f"{LIST_URL}/sammelzuordnung?sammelcode=abc")
    assert bulk.status_code == 302
    assert "Bitte wählen Sie einen aktiven Code" in html(client, LIST_URL)


# --- Bulk assignment --------------------------------------------------------------------


def test_bulk_assign_hits_only_the_filtered_answers_and_logs_each(client, analyst):
    first_theme = [make_answer(f"Beitrag {i} im ersten Themenfeld", theme=0) for i in range(3)]
    other_theme = make_answer("Beitrag im zweiten Themenfeld", theme=1)
    code = make_code("Erstes Thema")
    code_answer(client, first_theme[0].id, {"codes": [str(code.id)]})
    theme_id = themes()[0].id
    confirm_url = f"{LIST_URL}/sammelzuordnung?thema={theme_id}&sammelcode={code.id}"
    page = html(client, confirm_url)
    assert "Code 2 Beiträgen zuordnen" in page
    response = post_form(client, confirm_url, {})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{LIST_URL}?thema={theme_id}"
    assert all(shared_codes(a.id) == {"Erstes Thema"} for a in first_theme)
    assert shared_codes(other_theme.id) == set()
    assigned = events(CodingAction.ASSIGN)
    assert sorted(e.answer_id for e in assigned) == [a.id for a in first_theme]
    assert all(e.actor_id == analyst.id for e in assigned)
    assert "Alle Beiträge dieser Auswahl haben den Code bereits." in html(client, confirm_url)
    again = post_form(client, confirm_url, {})
    assert again.status_code == 302 and len(events(CodingAction.ASSIGN)) == 3


# --- Double coding ----------------------------------------------------------------------


@pytest.fixture
def sample_setup(client, seeded, make_user, login):
    lead = make_user(Role.ANALYST_LEAD)
    coder_a = make_user(Role.ANALYST)
    coder_b = make_user(Role.ANALYST)
    answers = [make_answer(f"Beitrag {i} für die Stichprobe", theme=0) for i in range(20)]
    make_answer("Anderes Themenfeld", theme=1)
    login(lead)
    response = post_form(
        client,
        f"{SAMPLES_URL}/neu",
        {
            "name": "Probe 1",
            "percent": "25",
            "coder_a": str(coder_a.id),
            "coder_b": str(coder_b.id),
            "thema": str(themes()[0].id),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    sample = db.session.scalar(sa.select(CodingSample))
    return lead, coder_a, coder_b, answers, sample


def sample_ids(sample: CodingSample) -> list[int]:
    stmt = sa.select(CodingSampleAnswer.answer_id).where(CodingSampleAnswer.sample_id == sample.id)
    return sorted(db.session.scalars(stmt))


def test_sample_is_drawn_reproducibly_from_the_selection(sample_setup):
    lead, coder_a, coder_b, answers, sample = sample_setup
    drawn = sample_ids(sample)
    assert len(drawn) == 5
    assert drawn == draw_sample([a.id for a in answers], 25, sample.seed)
    assert (sample.coder_a_id, sample.coder_b_id, sample.created_by_id) == (
        coder_a.id, coder_b.id, lead.id
    )  # fmt: skip
    assert sample.filters == {"thema": str(themes()[0].id)}
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "coding_sample.create")
    )
    assert entry.changes["count"] == [None, 5]


def test_sample_form_errors_are_german(client, seeded, make_user, login):
    analyst = make_user(Role.ANALYST)
    login(make_user(Role.ANALYST_LEAD))
    for data, message in (
        ({"percent": "abc"}, "Bitte geben Sie eine Zahl ein"),
        ({"percent": "0"}, "Anteil zwischen 0 und 100"),
        ({"percent": "150"}, "Anteil zwischen 0 und 100"),
        ({"coder_b": str(analyst.id)}, "zwei verschiedene Personen"),
        ({"coder_a": "99999"}, "Diese Auswahl gibt es nicht"),
        ({"name": ""}, "Bitte geben Sie einen Namen ein."),
    ):
        form = {"name": "P", "percent": "10", "coder_a": str(analyst.id), "coder_b": "", **data}
        response = post_form(client, f"{SAMPLES_URL}/neu", form)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True), data
    other = make_user(Role.ANALYST)
    empty = post_form(
        client,
        f"{SAMPLES_URL}/neu",
        {"name": "P", "percent": "2,5", "coder_a": str(analyst.id), "coder_b": str(other.id)},
    )
    assert "Die gewählte Auswahl enthält keine Beiträge" in empty.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CodingSample)) == 0


def rows(page: str) -> str:
    """The table body of a list page (the filter's code menu names every code)."""
    return page.split("<tbody>")[1].split("</tbody>")[0]


def client_for(app, user):
    """A browser of its own, logged in as `user`."""
    browser = app.test_client()
    response = post_form(browser, "/anmelden", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def test_double_coding_is_blind(app, client, sample_setup):
    _lead, coder_a, coder_b, answers, sample = sample_setup
    drawn = sample_ids(sample)
    secret = make_code("Nur A sieht das")
    shared = make_code("Gemeinsamer Code")
    browser_a, browser_b = client_for(app, coder_a), client_for(app, coder_b)
    query = f"?stichprobe={sample.id}"

    # B codes the answer in the shared coding; A then codes it blind in the sample.
    code_answer(browser_b, drawn[0], {"codes": [str(shared.id)]})
    page = html(browser_a, f"{LIST_URL}/{drawn[0]}{query}")
    assert "checked" not in page  # the shared code is not shown as A's own
    assert "Gemeinsamer Code" in page  # only as an unticked option
    response = code_answer(browser_a, drawn[0], {"codes": [str(secret.id)]}, query=query)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{LIST_URL}/{drawn[1]}{query}"
    db.session.expire_all()
    own = db.session.scalar(sa.select(CodeAssignment).where(CodeAssignment.sample_id == sample.id))
    assert (own.coder_id, own.code_id, own.answer_id) == (coder_a.id, secret.id, drawn[0])
    assert shared_codes(drawn[0]) == {"Gemeinsamer Code"}  # the shared coding is untouched

    # B, coding blind, sees neither A's codes nor the shared ones.
    assert "checked" not in html(browser_b, f"{LIST_URL}/{drawn[0]}{query}")
    list_b = rows(html(browser_b, f"{LIST_URL}{query}"))
    assert "Nur A sieht das" not in list_b and "Gemeinsamer Code" not in list_b
    assert list_b.count("<em>noch nicht codiert</em>") == len(drawn)
    list_a = rows(html(browser_a, f"{LIST_URL}{query}"))
    assert "Nur A sieht das" in list_a and "Gemeinsamer Code" not in list_a
    # The shared list and log never show sample codes.
    assert "Keine Beiträge" in rows(html(browser_b, f"{LIST_URL}?code={secret.id}"))
    shared_page = html(browser_b, f"{LIST_URL}/{drawn[0]}")
    assert f'id="code-{secret.id}" checked' not in shared_page
    assert "Nur A sieht das" not in shared_page.split("Verlauf der Codierung")[1]

    # Only the two coders open the sample, and only its answers.
    outside = next(a.id for a in answers if a.id not in drawn)
    assert browser_b.get(f"{LIST_URL}/{outside}{query}").status_code == 404
    assert client.get(f"{LIST_URL}{query}").status_code == 403  # the lead codes no sample here

    # The lead sees the progress, never the codes.
    overview = html(client, SAMPLES_URL)
    assert "1 / 5" in overview and "0 / 5" in overview
    assert "Nur A sieht das" not in overview and "Gemeinsamer Code" not in overview
    assert "1 / 5 (20 %)" in html(browser_a, SAMPLES_URL)
