"""Citizens answer guiding questions: validation, spam defences and the private link."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AgeBand, AnswerStatus, Perspective
from dialog.common.regions import Bundesland
from dialog.extensions import db
from dialog.seed import seed
from tests.conftest import csrf_token
from tests.web.answer_helpers import (
    THEME,
    THEME_URL,
    answers,
    count,
    form_fields,
    send,
    submissions,
)


def test_theme_page_shows_one_form_with_all_questions(client, seeded):
    html = client.get(THEME_URL).get_data(as_text=True)
    for question, _plain in THEME.questions:
        assert question in html
    assert html.count("<textarea") == len(THEME.questions)
    assert 'name="privacy_consent"' in html and 'name="publication_consent"' in html
    assert "keine Angabe" in html


def test_answering_a_subset_with_profile_stores_it_and_gives_a_private_link(client, seeded):
    response = send(
        client,
        ["Mehr Kinderbetreuung am Nachmittag.", ""],
        perspective="employee",
        bundesland="DE-BW",
        age_band="35_44",
        publication_consent="y",
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/beitrag/") and location.endswith("?neu=1")
    token = urlsplit(location).path.rsplit("/", 1)[1]
    [submission] = submissions()
    assert submission.perspective is Perspective.EMPLOYEE
    assert submission.bundesland is Bundesland.BW
    assert submission.age_band is AgeBand.FROM_35
    assert submission.publication_consent is True
    assert submission.privacy_consent_at is not None
    assert token not in (submission.token_hash, submission.nonce)  # only its hash is stored
    [answer] = submission.answers
    assert answer.text == "Mehr Kinderbetreuung am Nachmittag."
    assert answer.status is AnswerStatus.PENDING
    page = client.get(location).get_data(as_text=True)
    assert "Vielen Dank für Ihre Antworten!" in page
    assert "Mehr Kinderbetreuung am Nachmittag." in page
    assert f"/beitrag/{token}" in page
    # The link to keep comes before the optional notification form.
    assert page.index("link-title") < page.index("notification-title")


def test_no_profile_means_keine_angabe(client, seeded):
    assert send(client, ["Antwort"]).status_code == 302
    [submission] = submissions()
    assert (submission.perspective, submission.bundesland, submission.age_band) == (None,) * 3
    assert submission.publication_consent is False


def test_resubmitting_the_same_form_stores_the_answers_once(client, seeded):
    hidden, names = form_fields(client)
    first = send(client, ["Doppelklick"], hidden=hidden, names=names)
    second = send(client, ["Doppelklick"], hidden=hidden, names=names)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count(Submission) == 1 and count(Answer) == 1


def test_two_forms_are_two_submissions(client, seeded):
    send(client, ["Erste"])
    send(client, ["Zweite"])
    assert count(Submission) == 2


def test_empty_form_gets_a_message_and_stores_nothing(client, seeded):
    response = send(client, ["   ", ""], perspective="citizen")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bitte beantworten Sie mindestens eine Leitfrage." in html
    assert count(Submission) == 0


def test_missing_consent_keeps_everything_typed(client, seeded):
    response = send(
        client,
        ["Mein sorgfältig formulierter Text", "Zweite Antwort"],
        privacy_consent=None,
        bundesland="DE-HH",
    )
    html = response.get_data(as_text=True)
    assert "Bitte stimmen Sie der Datenschutzerklärung zu" in html
    assert "Mein sorgfältig formulierter Text" in html and "Zweite Antwort" in html
    assert '<option selected value="DE-HH">' in html
    assert 'id="privacy_consent-error-1"' in html
    assert count(Submission) == 0


def test_answer_length_limit(client, seeded):
    response = send(client, ["x" * 5001])
    html = response.get_data(as_text=True)
    assert "Ihre Antwort hat 5.001 Zeichen" in html
    assert "x" * 5001 in html
    assert count(Submission) == 0
    assert send(client, ["ü" * 5000]).status_code == 302


def test_a_megabyte_is_refused_with_a_message_not_an_error(client, seeded):
    response = send(client, ["<b>" + "a" * 1_000_000])
    assert response.status_code == 200
    assert "Bitte kürzen Sie sie auf höchstens 5.000 Zeichen" in response.get_data(as_text=True)
    assert count(Submission) == 0


def test_invalid_utf8_gets_a_message(client, seeded):
    hidden, names = form_fields(client)
    body = "&".join(f"{k}={v}" for k, v in hidden.items())
    body = body.encode() + b"&privacy_consent=y&" + names[0].encode() + b"=Gr%FC%DFe"
    response = client.post(THEME_URL, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "ungültige Zeichenkodierung" in html
    assert "Gr\ufffd\ufffde" in html  # kept, with the unreadable bytes marked
    assert count(Submission) == 0
    # Raw (not percent-encoded) invalid bytes are reported the same way.
    body = body.replace(b"Gr%FC%DFe", b"Gr\xfc\xdfe")
    response = client.post(THEME_URL, data=body, content_type="application/x-www-form-urlencoded")
    assert "ungültige Zeichenkodierung" in response.get_data(as_text=True)


def test_text_is_stored_plain_normalised_and_without_control_characters(client, seeded):
    hostile = (
        '<script>alert("x")</script>Hallo <b onclick="evil()">Welt</b>\u202e gespiegelt\x07 '
        "Cafe\u0301 '; DROP TABLE answers; --"
    )
    assert send(client, [hostile]).status_code == 302
    [answer] = answers()
    assert answer.text == ('alert("x")Hallo Welt gespiegelt Café \'; DROP TABLE answers; --')
    assert count(Answer) == 1


def test_honeypot_filled_in_is_refused(client, seeded):
    response = send(client, ["Ich bin ein Bot"], website="https://spam.example")
    assert "ein Feld, das leer bleiben muss" in response.get_data(as_text=True)
    assert count(Submission) == 0


def test_forged_form_token_is_refused(client, seeded):
    hidden, names = form_fields(client)
    hidden["form_token"] = "gefälscht"
    response = send(client, ["Text"], hidden=hidden, names=names)
    assert "ungewöhnlich schnell" in response.get_data(as_text=True)
    assert count(Submission) == 0


def test_minimum_fill_time(app, client, seeded, frozen_clock):
    app.config["ANSWER_MIN_FILL_SECONDS"] = 3
    start = datetime.now(UTC)
    frozen_clock(start)
    hidden, names = form_fields(client)
    frozen_clock(start + timedelta(seconds=1))
    response = send(client, ["Schnell getippt"], hidden=hidden, names=names)
    assert "ungewöhnlich schnell" in response.get_data(as_text=True)
    assert "Schnell getippt" in response.get_data(as_text=True)
    assert count(Submission) == 0
    frozen_clock(start + timedelta(seconds=4))
    assert send(client, ["Schnell getippt"], hidden=hidden, names=names).status_code == 302


def test_answers_are_refused_outside_the_dialogue_phase(client, seeded):
    hidden, names = form_fields(client)
    # While the form is open in the browser, the Dialogphase ends (here: lies in the past).
    seed(dates="historical")
    db.session.commit()
    response = send(client, ["Zu spät"], hidden=hidden, names=names)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Die Dialogphase ist beendet" in html
    assert count(Submission) == 0
    # The questions stay readable.
    assert THEME.questions[0][0] in html


def test_answer_submission_is_rate_limited_per_address(app, client, seeded):
    app.config["ANSWER_RATE_LIMIT"] = "2 per minute"
    responses = [send(client, [f"Antwort {i}"]) for i in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 429]
    assert count(Submission) == 2
    # Over the limit, the form comes back with the text still in it and says why.
    html = responses[2].get_data(as_text=True)
    assert "Antwort 2</textarea>" in html
    assert "in kurzer Zeit sehr viele Antworten" in html


def test_rate_limit_counts_per_address(app, client, seeded):
    app.config["ANSWER_RATE_LIMIT"] = "1 per minute"
    assert send(client, ["Erste"]).status_code == 302
    other = {"REMOTE_ADDR": "192.0.2.77"}
    hidden, names = form_fields(client)
    data = {**hidden, "privacy_consent": "y", names[0]: "Von woanders"}
    assert client.post(THEME_URL, data=data, environ_base=other).status_code == 302
    assert send(client, ["Zweite"]).status_code == 429
    assert count(Submission) == 2


def test_unknown_theme_or_question_field_is_ignored(client, seeded):
    assert client.get("/dialog/mission-fachkraft/gibt-es-nicht").status_code == 404
    response = send(client, ["Echt"], answer_999999="untergeschoben")
    assert response.status_code == 302
    assert [a.text for a in answers()] == ["Echt"]


@pytest.fixture
def private_link(client, seeded) -> str:
    response = send(client, ["Erste Fassung", ""], publication_consent="y")
    return response.headers["Location"].split("?")[0]


def test_author_changes_and_adds_answers_until_moderated(client, private_link):
    hidden, names = form_fields(client, private_link)
    assert len(names) == 2  # the answered question and the open one
    response = client.post(
        private_link,
        data={"csrf_token": hidden["csrf_token"], names[0]: "Zweite Fassung", names[1]: "Neu"},
    )
    assert response.status_code == 302
    assert [a.text for a in answers()] == ["Zweite Fassung", "Neu"]
    # Emptying an answer removes it.
    client.post(
        private_link, data={"csrf_token": hidden["csrf_token"], names[0]: "", names[1]: "Neu"}
    )
    assert [a.text for a in answers()] == ["Neu"]


def test_moderated_answers_can_no_longer_be_changed(client, private_link, make_user):
    [answer] = answers()
    answer.status = AnswerStatus.PUBLISHED
    db.session.commit()
    hidden, names = form_fields(client, private_link)
    assert f"answer_{answer.question_id}" not in names
    client.post(
        private_link,
        data={"csrf_token": hidden["csrf_token"], f"answer_{answer.question_id}": "Nachträglich"},
    )
    assert answers()[0].text == "Erste Fassung"
    assert "Bereits geprüfte Antworten" in client.get(private_link).get_data(as_text=True)


def test_after_the_dialogue_the_private_link_shows_the_answers_without_changing_them(
    client, private_link
):
    hidden, names = form_fields(client, private_link)
    seed(dates="historical")  # the Dialogphase ends while the page is open
    db.session.commit()
    response = client.post(
        private_link,
        data={"csrf_token": hidden["csrf_token"], names[0]: "Zu spät", names[1]: "Neu"},
    )
    assert response.status_code == 302
    page = client.get(private_link).get_data(as_text=True)
    assert "Die Dialogphase ist beendet: Antworten können nicht mehr geändert" in page
    assert [a.text for a in answers()] == ["Erste Fassung"]
    # The answer still awaiting moderation is shown, with its status, and no form.
    assert "Erste Fassung" in page and "wartet auf Prüfung" in page
    assert "<textarea" not in page and "Änderungen speichern" not in page
    # Deleting stays possible.
    assert client.get(private_link + "/loeschen").status_code == 200
    # Said at the top, and the private link no longer promises changes.
    assert page.index("Die Dialogphase ist beendet. Ihre Antworten") < page.index("link-title")
    assert "ändern (solange sie noch nicht geprüft sind)" not in page
    assert "Antworten lesen oder löschen" in page


def test_author_deletes_everything(client, private_link):
    confirm = client.get(private_link + "/loeschen")
    assert "wirklich löschen" in confirm.get_data(as_text=True)
    token = csrf_token(client, private_link + "/loeschen")
    response = client.post(private_link + "/loeschen", data={"csrf_token": token})
    assert response.status_code == 302
    assert count(Submission) == 0 and count(Answer) == 0
    assert client.get(private_link).status_code == 404


def test_unknown_private_link_is_a_german_404(client, seeded):
    response = client.get("/beitrag/" + "0" * 64)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.get_data(as_text=True)
    assert client.get("/beitrag/" + "x" * 500).status_code == 404
