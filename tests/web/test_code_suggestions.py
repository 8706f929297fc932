"""Suggested themes of a draft report become codes in one step: the draft's page lists them per
theme field from its per-answer table; taking one over creates the code and a suggestion per
answer of the theme (never an assignment); analysts accept or reject each suggestion on the
answer's coding page or in the list of suggestions; who may do what; drafts without the table."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AnswerStatus, Channel
from dialog.coding import services as coding
from dialog.coding.models import Code, CodeAssignment, CodeSuggestion, CodingEvent
from dialog.coding.rules import CodingAction, SuggestionStatus
from dialog.common.audit import AuditEntry
from dialog.common.clock import BERLIN, now_utc
from dialog.common.permissions import Role
from dialog.export import queries
from dialog.export.services import ExportFilters
from dialog.extensions import db
from dialog.process.models import Process, ThemeField
from dialog.reports.models import ReportJob
from dialog.reports.rules import JobStatus
from dialog.seed import PROCESS_SLUG
from tests.conftest import csrf_token

LIST_URL = "/staff/analyse/vorschlaege"


def process() -> Process:
    return db.session.scalar(sa.select(Process).where(Process.slug == PROCESS_SLUG))


def theme_fields() -> list[ThemeField]:
    return sorted(process().theme_fields, key=lambda t: t.position)


def make_answers(field: ThemeField, count: int) -> list[int]:
    """`count` published answers in the theme field, one submission each; their ids."""
    made = []
    for i in range(count):
        submission = Submission(
            theme_field_id=field.id,
            channel=Channel.ONLINE,
            received_on=date(2026, 3, 2),
            publication_consent=True,
        )
        answer = Answer(
            question_id=field.questions[0].id,
            theme_field_id=field.id,
            text=f"Antwort {i} zur Anerkennung ausländischer Abschlüsse in der Pflege.",
            status=AnswerStatus.PUBLISHED,
        )
        submission.answers.append(answer)
        db.session.add(submission)
        made.append(answer)
    db.session.commit()
    return [a.id for a in made]


def per_answer_table(rows: list[dict]) -> bytes:
    """A hand-made antworten_analyse.parquet with the columns the staff page reads."""
    table = pa.table(
        {
            "answer_id": pa.array([r["answer_id"] for r in rows], pa.int64()),
            "theme_field": pa.array([r["theme_field"] for r in rows], pa.string()),
            "theme": pa.array([r.get("theme") for r in rows], pa.int64()),
            "theme_terms": pa.array([r.get("terms", "") for r in rows], pa.string()),
            "theme_weight": pa.array([r.get("weight") for r in rows], pa.float64()),
            "theme_excluded": pa.array([r.get("excluded", "") for r in rows], pa.string()),
        }
    )
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def draft_zip(table: bytes | None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bericht.md", "# Ergebnisbericht (Entwurf)\n")
        if table is not None:
            archive.writestr("antworten_analyse.parquet", table)
    return buffer.getvalue()


def make_job(result: bytes, requested_by=None) -> ReportJob:
    finished = now_utc()
    job = ReportJob(
        process_id=process().id,
        requested_by_id=requested_by.id if requested_by else None,
        requested_at=finished - timedelta(minutes=5),
        status=JobStatus.DONE,
        started_at=finished - timedelta(minutes=4),
        finished_at=finished,
        attempts=1,
        export_sha256="0" * 64,
        result=result,
        result_size=len(result),
    )
    db.session.add(job)
    db.session.commit()
    return job


TERMS_1 = "Anerkennung, Abschluss, Verfahren, Dauer, Behörde, Unterlagen"
TERMS_2 = "Sprachkurs, Deutsch, Kosten"


@pytest.fixture
def draft(seeded):
    """A finished draft: theme 1 of the first theme field with 4 answers (one a campaign copy,
    one deleted since), theme 2 with 2, one answer without a theme; theme 1 of the second
    theme field with 1."""
    first, second = theme_fields()[:2]
    a = make_answers(first, 7)
    b = make_answers(second, 1)
    deleted = a[-1] + 1000  # not (any more) in the database
    rows = [
        {"answer_id": a[0], "theme_field": first.slug, "theme": 1, "terms": TERMS_1, "weight": 0.4},
        {"answer_id": a[1], "theme_field": first.slug, "theme": 1, "terms": TERMS_1, "weight": 0.9},
        {
            "answer_id": a[2],
            "theme_field": first.slug,
            "theme": 1,
            "terms": TERMS_1,
            "weight": 0.95,
            "excluded": "Kopie in Kampagne 3",
        },
        {"answer_id": deleted, "theme_field": first.slug, "theme": 1, "terms": TERMS_1},
        {"answer_id": a[3], "theme_field": first.slug, "theme": 2, "terms": TERMS_2, "weight": 0.5},
        {"answer_id": a[4], "theme_field": first.slug, "theme": 2, "terms": TERMS_2, "weight": 0.6},
        {"answer_id": a[5], "theme_field": first.slug, "excluded": "markiert: Spam"},
        {"answer_id": b[0], "theme_field": second.slug, "theme": 1, "terms": "Pflege, Schicht"},
    ]
    job = make_job(draft_zip(per_answer_table(rows)))
    return {
        "job": job,
        "first": first,
        "second": second,
        "theme_1": [a[2], a[1], a[0]],  # in the database, the highest weight first
        "examples_1": [a[1], a[0]],  # distinct texts (no campaign copy), still there
        "theme_2": [a[4], a[3]],
        "unthemed": a[5],
        "url": f"/staff/berichte/entwuerfe/{job.id}",
    }


@pytest.fixture
def analyst(client, seeded, make_user, login):
    user = make_user(Role.ANALYST)
    login(user)
    return user


def adopt_url(draft, theme: int = 1, field: str = "first") -> str:
    return f"{draft['url']}/themen/{draft[field].id}/{theme}/code"


def adopt(client, draft, theme=1, field="first", label=None, description=""):
    """Send a theme's take-over form as the browser does (its prefixed fields and token)."""
    prefix = f"thema-{draft[field].id}-{theme}"
    page = client.get(draft["url"]).get_data(as_text=True)
    token = csrf_token(client, draft["url"])
    if label is None:
        found = re.search(rf'name="{prefix}-label" type="text" value="([^"]*)"', page)
        label = found.group(1)
    return client.post(
        adopt_url(draft, theme, field),
        data={
            f"{prefix}-csrf_token": token,
            f"{prefix}-label": label,
            f"{prefix}-description": description,
        },
    )


def decide(client, suggestion_id: int, decision: str, back: str = "beitrag", query: str = ""):
    token = csrf_token(client, LIST_URL)
    return client.post(
        f"{LIST_URL}/{suggestion_id}/entscheidung{query}",
        data={"csrf_token": token, "entscheidung": decision, "zurueck": back},
    )


def suggestions(code: Code | None = None) -> list[CodeSuggestion]:
    db.session.expire_all()
    stmt = sa.select(CodeSuggestion).order_by(CodeSuggestion.id)
    if code is not None:
        stmt = stmt.where(CodeSuggestion.code_id == code.id)
    return list(db.session.scalars(stmt))


def assignments() -> list[CodeAssignment]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(CodeAssignment).order_by(CodeAssignment.id)))


def code_named(label: str) -> Code | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Code).where(Code.label == label))


def html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


# --- The draft's page -----------------------------------------------------------------------


def test_the_draft_page_lists_the_suggested_themes_per_theme_field(client, draft, analyst):
    staff = html(client, "/staff/berichte")
    assert draft["url"] in staff  # linked from the list of drafts

    page = html(client, draft["url"])
    first, second = draft["first"], draft["second"]
    assert page.index(first.title) < page.index(second.title)  # the process's order
    assert "Themenvorschlag 1" in page and "Themenvorschlag 2" in page
    assert TERMS_1 in page
    # Size counts every answer the table puts in the theme; examples are the clearest texts,
    # campaign copies left out.
    section = page[page.index(f'id="thema-{first.id}-1"') : page.index(f'id="thema-{first.id}-2"')]
    assert "<dd>4</dd>" in section
    examples = re.findall(r'href="/staff/analyse/beitraege/(\d+)"', section)
    assert [int(i) for i in examples] == draft["examples_1"]
    assert "Als Code übernehmen" in section
    assert 'value="Anerkennung, Abschluss, Verfahren"' in section  # the label, prefilled
    assert "1 Antwort passt zu keinem Thema" in page


def test_taking_a_theme_over_creates_the_code_and_suggestions_but_no_assignment(
    client, draft, analyst
):
    response = adopt(client, draft, label="Anerkennungsverfahren", description="Dauer, Ämter")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#thema-{draft['first'].id}-1")

    code = code_named("Anerkennungsverfahren")
    assert code is not None and code.process_id == process().id
    assert code.description == "Dauer, Ämter"
    assert code.theme_field_id == draft["first"].id
    made = suggestions(code)
    # One per answer of the theme that is still there, the clearest first.
    assert [s.answer_id for s in made] == draft["theme_1"]
    assert {s.status for s in made} == {SuggestionStatus.OPEN}
    assert {(s.report_job_id, s.theme_field_id, s.theme) for s in made} == {
        (draft["job"].id, draft["first"].id, 1)
    }
    assert made[0].weight == pytest.approx(0.95)
    assert assignments() == []  # nothing assigned without a person accepting it
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CodingEvent)) == 0

    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(
            AuditEntry.object_type == "Code", AuditEntry.object_id == str(code.id)
        )
    )
    assert set(actions) == {"code.create", "code.adopt_theme"}
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "code.adopt_theme"))
    assert entry.actor_id == analyst.id
    assert entry.changes["suggestions"] == [None, 3]
    assert entry.changes["report_job"] == [None, draft["job"].id]

    page = html(client, draft["url"])
    assert "für 3 Beiträge vorgeschlagen" in page  # the flash message
    assert "Übernommen als Code „Anerkennungsverfahren“" in page
    # The suggestions are not data: the export's codes table has no row for them.
    rows = db.session.execute(queries.codes(ExportFilters(process_id=process().id))).all()
    assert rows == []


def test_taking_the_same_theme_over_twice_is_refused(client, draft, analyst):
    assert adopt(client, draft, label="Anerkennung").status_code == 302
    before = len(suggestions())

    # A second tab still showing the form: the take-over is refused, nothing is duplicated.
    token = csrf_token(client, draft["url"])
    prefix = f"thema-{draft['first'].id}-1"
    response = client.post(
        adopt_url(draft),
        data={f"{prefix}-csrf_token": token, f"{prefix}-label": "Anerkennung, noch einmal"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "ist schon als Code „Anerkennung“ übernommen" in page
    assert len(suggestions()) == before
    assert code_named("Anerkennung, noch einmal") is None

    # Another theme of the same draft is taken over on its own.
    assert adopt(client, draft, theme=2, label="Sprachkurse").status_code == 302
    assert [s.answer_id for s in suggestions(code_named("Sprachkurse"))] == draft["theme_2"]


def test_a_label_the_codebook_has_is_explained_and_nothing_is_made(client, draft, analyst):
    db.session.add(Code(process_id=process().id, label="Anerkennung"))
    db.session.commit()
    response = adopt(client, draft, label="anerkennung")
    assert response.status_code == 400
    assert "Diese Bezeichnung hat schon ein anderer Code" in response.get_data(as_text=True)
    assert suggestions() == []

    response = adopt(client, draft, label="  ")
    assert response.status_code == 400
    assert "Bitte geben Sie eine Bezeichnung ein." in response.get_data(as_text=True)


def test_an_unknown_theme_or_a_theme_field_of_another_process_is_not_found(client, draft, analyst):
    token = csrf_token(client, draft["url"])
    assert client.post(adopt_url(draft, theme=9), data={"csrf_token": token}).status_code == 404
    other = Process(slug="anderer", title="Anderer Prozess", central_question="?")
    field = ThemeField(process=other, slug=draft["first"].slug, title="Fremd")
    db.session.add_all([other, field])
    db.session.commit()
    url = f"{draft['url']}/themen/{field.id}/1/code"
    assert client.post(url, data={"csrf_token": token}).status_code == 404


# --- Reviewing ------------------------------------------------------------------------------


def test_accepting_on_the_coding_page_assigns_the_code_as_the_coders_own(client, draft, analyst):
    adopt(client, draft, label="Anerkennung")
    code = code_named("Anerkennung")
    first = suggestions(code)[0]
    answer_url = f"/staff/analyse/beitraege/{first.answer_id}"

    page = html(client, answer_url)
    day = draft["job"].finished_at.astimezone(BERLIN)  # the page shows Berlin time
    assert "Vorschlag aus Themenvorschlag 1 im Bericht vom" in page
    assert f"{day.day:d}." in page and "Code „Anerkennung“" in page
    assert "Annehmen" in page and "Ablehnen" in page

    response = decide(client, first.id, "annehmen", query="?thema=" + str(draft["first"].id))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{answer_url}?thema={draft['first'].id}")
    [assignment] = assignments()
    assert (assignment.answer_id, assignment.code_id) == (first.answer_id, code.id)
    assert assignment.coder_id == analyst.id and assignment.sample_id is None
    [event] = db.session.scalars(sa.select(CodingEvent))
    assert (event.action, event.actor_id, event.code_id) == (
        CodingAction.ASSIGN,
        analyst.id,
        code.id,
    )
    decided = suggestions(code)[0]
    assert decided.status == SuggestionStatus.ACCEPTED
    assert decided.decided_by_id == analyst.id and decided.decided_at is not None
    # The others stay open: one acceptance is no acceptance of the theme.
    assert [s.status for s in suggestions(code)[1:]] == [SuggestionStatus.OPEN] * 2

    page = html(client, answer_url)
    assert "Der Code „Anerkennung“ ist Beitrag" in page
    assert "Vorschlag aus Themenvorschlag" not in page  # decided: no longer offered
    assert re.search(rf'value="{code.id}" id="code-{code.id}" checked', page)

    # A second decision (another tab) changes nothing.
    response = decide(client, first.id, "ablehnen")
    assert "inzwischen schon entschieden" in html(client, response.headers["Location"])
    assert suggestions(code)[0].status == SuggestionStatus.ACCEPTED
    # Accepted, the assignment is data like any other.
    rows = db.session.execute(queries.codes(ExportFilters(process_id=process().id))).all()
    assert len(rows) == 1


def test_rejecting_assigns_nothing(client, draft, analyst):
    adopt(client, draft, label="Anerkennung")
    code = code_named("Anerkennung")
    first = suggestions(code)[0]
    response = decide(client, first.id, "ablehnen")
    assert response.status_code == 302
    assert assignments() == []
    rejected = suggestions(code)[0]
    assert rejected.status == SuggestionStatus.REJECTED and rejected.decided_by_id == analyst.id
    assert "ist abgelehnt" in html(client, response.headers["Location"])
    # Without a decision nothing happens.
    response = decide(client, suggestions(code)[1].id, "")
    assert "Bitte wählen Sie „Annehmen“ oder „Ablehnen“." in html(
        client, response.headers["Location"]
    )
    assert suggestions(code)[1].status == SuggestionStatus.OPEN


def test_a_merged_code_is_assigned_as_the_code_it_went_into_and_a_retired_one_not(
    client, draft, analyst
):
    adopt(client, draft, label="Anerkennung")
    adopt(client, draft, theme=2, label="Sprachkurse")
    code, languages = code_named("Anerkennung"), code_named("Sprachkurse")
    target = coding.create_code(analyst, process().id, label="Anerkennung und Sprache")
    coding.merge_code(analyst, code, target)
    coding.retire_code(analyst, languages)
    db.session.commit()

    decide(client, suggestions(code)[0].id, "annehmen")
    assert [a.code_id for a in assignments()] == [target.id]

    response = decide(client, suggestions(languages)[0].id, "annehmen")
    assert "stillgelegt" in html(client, response.headers["Location"])
    assert len(assignments()) == 1
    assert suggestions(languages)[0].status == SuggestionStatus.OPEN
    decide(client, suggestions(languages)[0].id, "ablehnen")  # rejecting still possible
    assert suggestions(languages)[0].status == SuggestionStatus.REJECTED


def test_the_list_of_suggestions_is_filtered_per_code_and_paginated(client, seeded, analyst):
    field = theme_fields()[0]
    ids = make_answers(field, 30)
    rows = [
        {"answer_id": i, "theme_field": field.slug, "theme": 1, "terms": TERMS_1, "weight": 1 / n}
        for n, i in enumerate(ids, start=1)
    ]
    rows.append({"answer_id": ids[0], "theme_field": field.slug, "theme": 2, "terms": TERMS_2})
    job = make_job(draft_zip(per_answer_table(rows)))
    theme_draft = {"job": job, "first": field, "url": f"/staff/berichte/entwuerfe/{job.id}"}
    adopt(client, theme_draft, label="Anerkennung")
    adopt(client, theme_draft, theme=2, label="Sprachkurse")
    code = code_named("Anerkennung")

    page = html(client, LIST_URL)
    assert "31 Vorschläge in dieser Auswahl." in page
    assert "Vorschläge je Code" in page

    page = html(client, f"{LIST_URL}?code={code.id}")
    assert "30 Vorschläge in dieser Auswahl." in page
    shown = [int(i) for i in re.findall(r"Beitrag (\d+) codieren", page)]
    assert shown == ids[:25]  # the clearest first, 25 a page
    more = re.search(r'href="(/staff/analyse/vorschlaege\?[^"]*nach=[^"]*)"', page).group(1)
    page = html(client, more.replace("&amp;", "&"))
    assert [int(i) for i in re.findall(r"Beitrag (\d+) codieren", page)] == ids[25:]

    # Deciding in the list goes back to the same selection, without the decided one.
    first = suggestions(code)[0]
    response = decide(client, first.id, "ablehnen", back="liste", query=f"?code={code.id}")
    assert response.headers["Location"].endswith(f"{LIST_URL}?code={code.id}")
    page = html(client, response.headers["Location"])
    assert "29 Vorschläge in dieser Auswahl." in page
    page = html(client, f"{LIST_URL}?code={code.id}&stand=abgelehnt")
    assert "1 Vorschlag in dieser Auswahl." in page and analyst.display_name in page
    assert "Diese Auswahl gibt es nicht" in html(client, f"{LIST_URL}?stand=irgendwas")


# --- Who may do what, and drafts without the table ------------------------------------------


def test_moderators_may_neither_see_take_over_nor_decide(client, draft, make_user, login):
    analyst = make_user(Role.ANALYST)
    suggestion_code = coding.create_code(analyst, process().id, label="Anerkennung")
    db.session.flush()
    suggestion = CodeSuggestion(
        answer_id=draft["theme_1"][0],
        code_id=suggestion_code.id,
        report_job_id=draft["job"].id,
        theme_field_id=draft["first"].id,
        theme=1,
    )
    db.session.add(suggestion)
    db.session.commit()
    login(make_user(Role.MODERATOR))
    token = csrf_token(client, "/staff/passwort")
    assert client.get(draft["url"]).status_code == 403
    assert client.post(adopt_url(draft), data={"csrf_token": token}).status_code == 403
    assert client.get(LIST_URL).status_code == 403
    decision = {"csrf_token": token, "entscheidung": "annehmen"}
    assert client.post(f"{LIST_URL}/{suggestion.id}/entscheidung", data=decision).status_code == 403
    assert code_named("Anerkennung, Abschluss, Verfahren") is None
    assert assignments() == []
    assert suggestions()[0].status == SuggestionStatus.OPEN


def test_admins_see_the_themes_but_take_none_over(client, draft, make_user, login):
    login(make_user(Role.ADMIN))
    page = html(client, draft["url"])
    assert "Themenvorschlag 1" in page
    assert "Als Code übernehmen" not in page
    assert "/staff/analyse/beitraege/" not in page  # coding pages are the analysts'
    token = csrf_token(client, draft["url"])
    assert client.post(adopt_url(draft), data={"csrf_token": token}).status_code == 403


def test_a_draft_without_the_per_answer_table_says_so(client, seeded, analyst):
    job = make_job(draft_zip(None))
    url = f"/staff/berichte/entwuerfe/{job.id}"
    page = html(client, url)
    assert "Dieser Entwurf enthält keine Themenvorschläge je Antwort" in page
    assert "Als Code übernehmen" not in page

    field = theme_fields()[0]
    token = csrf_token(client, url)
    response = client.post(
        f"{url}/themen/{field.id}/1/code", data={"csrf_token": token}, follow_redirects=True
    )
    assert "keine Themenvorschläge, die sich übernehmen lassen" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Code)) == 0

    # A damaged draft reads the same; unfinished jobs have no page.
    broken = make_job(b"PK\x03\x04 nicht wirklich ein Zip")
    assert "keine Themenvorschläge je Antwort" in html(
        client, f"/staff/berichte/entwuerfe/{broken.id}"
    )
    broken.status = JobStatus.FAILED
    db.session.commit()
    assert client.get(f"/staff/berichte/entwuerfe/{broken.id}").status_code == 404
