"""Moderators publish, redact, reject and hide; the public reads, filters, searches, reports."""

import re

import pytest
import sqlalchemy as sa

from dialog.answers.models import Answer, AnswerReport, Submission
from dialog.answers.rules import AnswerStatus, RejectionReason
from dialog.common.audit import AuditEntry
from dialog.common.permissions import Role
from dialog.extensions import db
from dialog.seed import THEMES
from tests.conftest import csrf_token, post_form
from tests.web.answer_helpers import answers, count, send

LIST_URL = "/dialog/mission-fachkraft/antworten"


@pytest.fixture
def moderator(client, seeded, make_user, login):
    """The test client, logged in as a moderator (citizens use other clients)."""
    user = make_user(Role.MODERATOR)
    login(user)
    return user


@pytest.fixture
def citizen(app):
    return app.test_client()


def moderate(client, answer_id: int, action: str, **data):
    url = f"/staff/moderation/{answer_id}"
    return post_form(client, url, {"action": action, **data})


def bulk(client, ids: list[int], action: str, reason: str = ""):
    token = csrf_token(client, "/staff/moderation")
    return client.post(
        "/staff/moderation/sammelaktion",
        data={
            "csrf_token": token,
            "answer_ids": [str(i) for i in ids],
            "action": action,
            "reason": reason,
        },
    )


def public_html(citizen, **params) -> str:
    return citizen.get(LIST_URL, query_string=params).get_data(as_text=True)


def test_only_moderators_moderate(client, seeded, make_user, login, citizen):
    send(citizen, ["Text"], publication_consent="y")
    [answer] = answers()
    assert client.get("/staff/moderation").status_code == 302  # anonymous: to the login
    login(make_user(Role.ANALYST, Role.ADMIN))
    assert client.get("/staff/moderation").status_code == 403
    response = post_form(
        client, f"/staff/moderation/{answer.id}", {"action": "accept"}, form_url="/staff/"
    )
    assert response.status_code == 403
    assert answers()[0].status is AnswerStatus.PENDING


def test_publish_shows_the_answer_publicly_and_is_audit_logged(client, moderator, citizen):
    send(citizen, ["Gute Kitas helfen allen."], publication_consent="y", perspective="citizen")
    [answer] = answers()
    assert "Gute Kitas" not in public_html(citizen)
    assert "Gute Kitas" in client.get("/staff/moderation").get_data(as_text=True)
    assert moderate(client, answer.id, "accept").status_code == 302
    html = public_html(citizen)
    assert "Gute Kitas helfen allen." in html
    assert "Bürger*in" in html
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "answer.accept"))
    assert entry.actor_id == moderator.id and entry.object_id == str(answer.id)
    assert citizen.get(f"/antworten/{answer.id}").status_code == 200


def test_without_publication_consent_an_answer_is_never_public(client, moderator, citizen):
    send(citizen, ["Nur für die Auswertung"])
    [answer] = answers()
    moderate(client, answer.id, "accept")
    assert answers()[0].status is AnswerStatus.INTERNAL
    assert "Nur für die Auswertung" not in public_html(citizen)
    assert citizen.get(f"/antworten/{answer.id}").status_code == 404
    assert "Nur für die Auswertung" not in public_html(citizen, suche="Auswertung")


def test_redaction_shows_the_redacted_text_and_keeps_the_original(client, moderator, citizen):
    send(citizen, ["Mein Chef Herr Müller in Kassel zahlt schlecht."], publication_consent="y")
    [answer] = answers()
    moderate(client, answer.id, "accept", redacted_text="Mein Chef [entfernt] zahlt schlecht.")
    stored = answers()[0]
    assert stored.text == "Mein Chef Herr Müller in Kassel zahlt schlecht."
    assert stored.redacted_text == "Mein Chef [entfernt] zahlt schlecht."
    html = public_html(citizen)
    assert "[entfernt]" in html and "Müller" not in html
    assert "von der Moderation gekürzt" in html
    # The search index holds only the public text.
    assert "[entfernt]" not in public_html(citizen, suche="Müller")
    assert "[entfernt]" in public_html(citizen, suche="Chef")


def test_reject_needs_a_netiquette_reason(client, moderator, citizen):
    send(citizen, ["Werbung: Kaufen Sie jetzt!"], publication_consent="y")
    [answer] = answers()
    html = moderate(client, answer.id, "reject").get_data(as_text=True)
    assert "Bitte wählen Sie einen Grund nach der Netiquette." in html
    assert answers()[0].status is AnswerStatus.PENDING
    moderate(client, answer.id, "reject", reason="advertising")
    stored = answers()[0]
    assert stored.status is AnswerStatus.REJECTED
    assert stored.rejection_reason is RejectionReason.ADVERTISING
    assert "Kaufen Sie" not in public_html(citizen)


def test_bulk_actions(client, moderator, citizen):
    for i in range(3):
        send(citizen, [f"Antwort Nummer {i}"], publication_consent="y")
    ids = [a.id for a in answers()]
    response = bulk(client, ids[:2], "accept")
    assert response.status_code == 302
    statuses = [a.status for a in answers()]
    assert statuses == [AnswerStatus.PUBLISHED, AnswerStatus.PUBLISHED, AnswerStatus.PENDING]
    bulk(client, ids, "reject")  # no reason: nothing happens
    assert answers()[2].status is AnswerStatus.PENDING
    bulk(client, ids, "reject", reason="spam")
    assert {a.status for a in answers()} == {AnswerStatus.REJECTED}
    assert count(AuditEntry) >= 5


def test_report_and_hide(client, moderator, citizen):
    send(citizen, ["Eine Beleidigung"], publication_consent="y")
    [answer] = answers()
    moderate(client, answer.id, "accept")
    token = csrf_token(citizen, f"/antworten/{answer.id}/melden")
    response = citizen.post(
        f"/antworten/{answer.id}/melden", data={"csrf_token": token, "reason": "beleidigend"}
    )
    assert response.status_code == 302
    assert answers()[0].report_count == 1
    queue = client.get("/staff/moderation?status=alle&gemeldet=y").get_data(as_text=True)
    assert "Eine Beleidigung" in queue and "1 Meldung" in queue
    moderate(client, answer.id, "hide", reason="hate")
    stored = answers()[0]
    assert stored.status is AnswerStatus.HIDDEN and stored.report_count == 0
    assert "Eine Beleidigung" not in public_html(citizen)
    assert citizen.get(f"/antworten/{answer.id}").status_code == 404
    assert db.session.scalar(sa.select(AnswerReport.resolved)) is True


def test_unfounded_reports_can_be_dismissed(client, moderator, citizen):
    send(citizen, ["Harmlos"], publication_consent="y")
    [answer] = answers()
    moderate(client, answer.id, "accept")
    token = csrf_token(citizen, f"/antworten/{answer.id}/melden")
    citizen.post(f"/antworten/{answer.id}/melden", data={"csrf_token": token})
    moderate(client, answer.id, "dismiss")
    stored = answers()[0]
    assert stored.report_count == 0 and stored.status is AnswerStatus.PUBLISHED


def test_reports_only_for_published_answers(citizen, seeded):
    send(citizen, ["Noch nicht geprüft"], publication_consent="y")
    [answer] = answers()
    assert citizen.get(f"/antworten/{answer.id}/melden").status_code == 404


def test_author_deletion_removes_a_published_answer_everywhere(client, moderator, citizen):
    link = send(citizen, ["Bitte wieder löschen"], publication_consent="y").headers["Location"]
    link = link.split("?")[0]
    [answer] = answers()
    moderate(client, answer.id, "accept")
    assert "Bitte wieder löschen" in public_html(citizen, suche="löschen")
    token = csrf_token(citizen, link + "/loeschen")
    citizen.post(link + "/loeschen", data={"csrf_token": token})
    assert count(Answer) == 0 and count(Submission) == 0
    assert "Bitte wieder löschen" not in public_html(citizen)
    assert "Bitte wieder löschen" not in public_html(citizen, suche="löschen")
    table = "answer_search"
    assert db.session.scalar(sa.text(f"SELECT count(*) FROM {table}")) == 0


def publish_many(client, citizen, texts, **profile):
    first_id = max([a.id for a in answers()], default=0)
    for text in texts:
        send(citizen, [text], publication_consent="y", **profile)
    ids = [a.id for a in answers() if a.id > first_id]
    bulk(client, ids, "accept")
    return ids


def test_filters_by_theme_question_perspective_and_bundesland(client, moderator, citizen):
    publish_many(client, citizen, ["Aus Bayern"], bundesland="DE-BY", perspective="employer")
    publish_many(client, citizen, ["Aus Berlin"], bundesland="DE-BE", perspective="union")
    other_theme = f"/dialog/mission-fachkraft/{THEMES[1].slug}"
    send(citizen, ["Anderes Thema"], url=other_theme, publication_consent="y")
    bulk(client, [answers()[-1].id], "accept")
    assert "Aus Bayern" in public_html(citizen, bundesland="DE-BY")
    assert "Aus Berlin" not in public_html(citizen, bundesland="DE-BY")
    assert "Aus Berlin" in public_html(citizen, perspektive="union")
    assert "Aus Bayern" not in public_html(citizen, perspektive="union")
    html = public_html(citizen, thema=THEMES[1].slug)
    assert "Anderes Thema" in html and "Aus Bayern" not in html
    question_id = answers()[-1].question_id
    assert "Anderes Thema" in public_html(citizen, frage=question_id)
    assert "Aus Bayern" not in public_html(citizen, frage=question_id)
    # Counts per theme field.
    html = public_html(citizen)
    assert f"{THEMES[0].title}</span>: 2 Antworten" in html
    assert f"{THEMES[1].title}</span>: 1 Antwort" in html


@pytest.mark.parametrize(
    "params",
    [
        {"thema": "gibt-es-nicht"},
        {"frage": "abc"},
        {"frage": "99999999999999999999"},
        {"perspektive": "king"},
        {"bundesland": "DE-XX"},
        {"vor": "-1"},
        {"vor": "abc"},
        {"suche": "\"'; DROP TABLE answers; --"},
        {"suche": 'NEAR(a b) OR * AND "unbalanced'},
        {"suche": "a" * 5000},
        {"suche": "<script>alert(1)</script>"},
        {"slug": "x"},
    ],
)
def test_hostile_or_unknown_filters_never_fail(citizen, seeded, params):
    response = citizen.get(LIST_URL, query_string=params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_search_finds_words_and_word_beginnings(client, moderator, citizen):
    publish_many(client, citizen, ["Weiterbildung muss bezahlt werden.", "Mehr Kitaplätze."])
    first, second = "Weiterbildung muss bezahlt werden.", "Mehr Kitaplätze."
    assert first in public_html(citizen, suche="weiterbildung")
    assert first in public_html(citizen, suche="Weiterbild")
    assert second not in public_html(citizen, suche="Weiterbildung")
    assert second in public_html(citizen, suche="kitaplätze")
    both = public_html(citizen, suche="mehr kitaplätze")
    assert second in both and first not in both


def test_keyset_pagination_visits_every_answer_once(client, moderator, citizen):
    ids = publish_many(client, citizen, [f"Beitrag {i:02d}" for i in range(45)])
    seen = []
    url, params = LIST_URL, {}
    for _page in range(5):
        html = citizen.get(url, query_string=params).get_data(as_text=True)
        seen += re.findall(r"Beitrag (\d\d)", html)
        more = re.search(r'href="([^"]*vor=(\d+)[^"]*)">Ältere Antworten', html)
        if not more:
            break
        params = {"vor": more.group(2)}
    assert sorted(seen) == sorted(f"{i:02d}" for i in range(45))
    assert len(seen) == len(ids) == 45
    assert seen[0] == "44"  # newest first


def test_hostile_answers_are_shown_inert(client, moderator, citizen):
    payloads = [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(2)"> Bild',
        '"><svg onload=alert(3)>',
        "javascript:alert(4)",
        "Robert'); DROP TABLE answers;--",
        "\u202egnp.exe",
        "{{ 7*7 }} ${7*7}",
    ]
    publish_many(client, citizen, payloads)
    html = public_html(citizen)
    assert "<script>alert(1)" not in html
    assert "onerror=" not in html and "<svg" not in html
    assert "DROP TABLE answers;--" in html.replace("&#39;", "'")
    assert "\u202e" not in html
    assert "{{ 7*7 }}" in html and "49" not in html.split("{{ 7*7 }}")[0][-5:]
    assert count(Answer) == len(payloads)


def test_staff_enter_offline_contributions(client, moderator):
    theme_id = db.session.scalar(sa.select(Submission.theme_field_id).limit(1))
    from dialog.process.models import ThemeField

    theme = db.session.scalar(sa.select(ThemeField).where(ThemeField.slug == THEMES[0].slug))
    assert theme_id is None
    url = f"/staff/beitraege/neu/{theme.id}"
    html = client.get(url).get_data(as_text=True)
    names = list(dict.fromkeys(re.findall(r'name="(answer_\d+)"', html)))
    response = post_form(
        client,
        url,
        {
            "channel": "dialogue_island",
            "received_on": "2024-03-12",
            "event_note": "Hin.Gehört. Siegen",
            names[0]: "Handschriftlich notiert",
            "publication_consent": "y",
        },
    )
    assert response.status_code == 302
    [submission] = db.session.scalars(sa.select(Submission)).all()
    assert submission.channel.value == "dialogue_island"
    assert submission.event_note == "Hin.Gehört. Siegen"
    assert submission.entered_by_id == moderator.id
    assert submission.token_hash is None
    assert [a.status for a in submission.answers] == [AnswerStatus.PENDING]
    html = post_form(client, url, {"channel": "letter", "received_on": "2024-03-12"})
    assert "Bitte geben Sie mindestens eine Antwort ein." in html.get_data(as_text=True)


def test_published_answer_can_be_redacted_later_and_reports_are_shown(client, moderator, citizen):
    send(citizen, ["Ruft an unter 0171 1234567"], publication_consent="y")
    [answer] = answers()
    moderate(client, answer.id, "accept")
    token = csrf_token(citizen, f"/antworten/{answer.id}/melden")
    citizen.post(
        f"/antworten/{answer.id}/melden",
        data={"csrf_token": token, "reason": "Telefonnummer einer Person"},
    )
    page = client.get(f"/staff/moderation/{answer.id}").get_data(as_text=True)
    assert "Telefonnummer einer Person" in page
    moderate(client, answer.id, "accept", redacted_text="Ruft an unter [entfernt]")
    stored = answers()[0]
    assert stored.status is AnswerStatus.PUBLISHED and stored.report_count == 0
    assert "[entfernt]" in public_html(citizen) and "0171" not in public_html(citizen)
    assert "[entfernt]" not in public_html(citizen, suche="0171")


def test_offline_contribution_names_the_event_it_came_from(client, moderator):
    from dialog.events.models import Event
    from dialog.process.models import ThemeField

    theme = db.session.scalar(sa.select(ThemeField).where(ThemeField.slug == THEMES[0].slug))
    siegen = db.session.scalar(sa.select(Event).where(Event.city == "Siegen"))
    url = f"/staff/beitraege/neu/{theme.id}"
    html = client.get(url).get_data(as_text=True)
    assert f'<option value="{siegen.id}">Hin.Gehört. in Siegen, ' in html
    name = re.findall(r'name="(answer_\d+)"', html)[0]
    data = {"channel": "dialogue_island", "received_on": "2024-03-12", name: "Von der Dialoginsel"}

    bogus = post_form(client, url, {**data, "event": "999999"})
    assert bogus.status_code == 200 and count(Submission) == 0
    assert "Von der Dialoginsel" in bogus.get_data(as_text=True)  # nothing typed is lost

    assert post_form(client, url, {**data, "event": str(siegen.id)}).status_code == 302
    [submission] = db.session.scalars(sa.select(Submission)).all()
    assert submission.event_id == siegen.id
    [answer] = answers()
    page = client.get(f"/staff/moderation/{answer.id}").get_data(as_text=True)
    assert "Hin.Gehört. in Siegen (Siegen)" in page
