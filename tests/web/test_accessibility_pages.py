"""Leichte Sprache, Gebärdensprache and the Erklärung zur Barrierefreiheit with its feedback."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from dialog.accessibility import content
from dialog.accessibility.models import AccessibilityFeedback
from dialog.accessibility.rules import FeedbackStatus
from dialog.common import mail
from dialog.common.audit import AuditEntry
from dialog.common.clock import now_utc
from dialog.common.mail import OutboxMail
from dialog.common.permissions import Role
from dialog.extensions import db
from dialog.pages.models import Page
from dialog.process.models import GuidingQuestion, ThemeField
from dialog.seed import THEMES
from tests.conftest import csrf_token, post_form

STATEMENT = "/seite/barrierefreiheit"
EASY = "/seite/leichte-sprache"
SIGN = "/seite/gebaerdensprache"
STAFF = "/staff/barrierefreiheit"
STAFF_ADDRESS = "barrierefreiheit@ministerium.example"


def text_of(response) -> str:
    """The page's visible text, roughly: tags removed, entities decoded, spaces collapsed."""
    html = response.get_data(as_text=True)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def page(slug: str) -> Page:
    db.session.expire_all()
    return db.session.scalar(sa.select(Page).where(Page.slug == slug))


def all_feedback() -> list[AccessibilityFeedback]:
    db.session.expire_all()
    stmt = sa.select(AccessibilityFeedback).order_by(AccessibilityFeedback.id)
    return list(db.session.scalars(stmt))


def outbox() -> list[OutboxMail]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)))


def send(client, **fields):
    data = {"message": "Der Kontrast der Fußzeile ist zu schwach.", **fields}
    return post_form(client, STATEMENT, data)


# --- pages and links ---------------------------------------------------------------------------


def test_the_pages_are_linked_from_the_start_page_and_the_footer(client, seeded):
    html = client.get("/").get_data(as_text=True)
    start, footer = html.split('class="site-footer"')
    for url in (EASY, SIGN):
        assert start.count(f'href="{url}"') >= 1, f"{url} not on the start page"
    for url in (EASY, SIGN, STATEMENT):
        assert f'href="{url}"' in footer, f"{url} not in the footer"
    # Linked from every page, not only the start page.
    footer = client.get("/veranstaltungen").get_data(as_text=True).split('class="site-footer"')[1]
    assert all(f'href="{url}"' in footer for url in (EASY, SIGN, STATEMENT))


@pytest.mark.parametrize(
    ("url", "title"),
    [
        (EASY, "Leichte Sprache"),
        (SIGN, "Gebärdensprache"),
        (STATEMENT, "Erklärung zur Barrierefreiheit"),
    ],
)
def test_each_page_answers_at_its_address_and_a_short_one(client, seeded, url, title):
    response = client.get(url)
    assert response.status_code == 200
    assert f'<h1 lang="de">{title}</h1>' in response.get_data(as_text=True)
    short = client.get("/" + url.rsplit("/", 1)[1])
    assert short.status_code == 301
    assert short.headers["Location"] == url


def test_the_pages_work_without_their_text_pages(client, app):
    """Staff may delete a page: the address still explains itself instead of failing."""
    assert client.get(EASY).status_code == 200
    assert "Video in Deutscher Gebärdensprache" in client.get(SIGN).get_data(as_text=True)
    response = client.get(STATEMENT)
    assert response.status_code == 200
    assert "Barriere melden" in response.get_data(as_text=True)


def test_the_english_interface_keeps_the_german_content_marked_as_german(client, seeded):
    client.get("/sprache/en")
    html = client.get(EASY).get_data(as_text=True)
    assert '<html lang="en">' in html
    assert '<div class="prose prose--easy" lang="de">' in html
    assert '<li class="question" lang="de">' in html


# --- Leichte Sprache ---------------------------------------------------------------------------


def test_easy_language_page_explains_process_themes_and_taking_part(client, seeded):
    text = text_of(client.get(EASY))
    for heading in ("So läuft der Dialog ab", "Die 4 Themen", "So machen Sie mit"):
        assert heading in text
    # Every guiding question in its plain-language version, under its theme field …
    for theme in THEMES:
        assert theme.title in text
        for question, plain in theme.questions:
            assert plain in text
            assert question not in text
    # … with a way to the theme field's form.
    html = client.get(EASY).get_data(as_text=True)
    for theme in THEMES:
        assert f'href="/dialog/mission-fachkraft/{theme.slug}"' in html


def test_a_question_without_plain_language_shows_its_own_text(client, seeded):
    question = db.session.scalar(sa.select(GuidingQuestion).order_by(GuidingQuestion.id))
    question.plain_language_text = ""
    db.session.commit()
    assert question.text in text_of(client.get(EASY))


def test_easy_language_text_follows_the_rules():
    """One short statement per line, no abbreviations, long words split by a Mediopunkt."""
    body = content.EASY_LANGUAGE_BODY
    lines = [
        re.sub(r"^(#+|\d+\.)\s*", "", line.rstrip("\\")).strip("* ")
        for line in body.splitlines()
        if line.strip()
    ]
    assert len(lines) > 60
    for line in lines:
        assert len(line.split()) <= 12, f"sentence too long for Leichte Sprache: {line!r}"
        assert line.count(". ") == 0, f"two sentences on one line: {line!r}"
    for abbreviation in ("z. B.", "z.B.", "bzw.", "usw.", "d. h.", "ggf.", "u. a.", "ca.", "DGS"):
        assert abbreviation not in body, abbreviation
    for split in ("Fach·kraft", "Zukunfts·dialog", "Bundes·land", "Internet·seite"):
        assert split in body


def test_theme_page_shows_the_plain_language_text_of_each_question(client, seeded):
    theme = THEMES[0]
    text = text_of(client.get(f"/dialog/mission-fachkraft/{theme.slug}"))
    for _question, plain in theme.questions:
        assert f"In Leichter Sprache: {plain}" in text


def test_staff_edit_the_easy_language_page(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    easy = page("leichte-sprache")
    response = post_form(
        client,
        f"/staff/seiten/{easy.id}",
        {
            "title": "Leichte Sprache",
            "slug": "leichte-sprache",
            "body": "Das ist neu.\\\nDas ist ein Test.",
            "in_footer": "y",
            "position": "5",
        },
    )
    assert response.status_code == 302
    html = client.get(EASY).get_data(as_text=True)
    assert "Das ist neu.<br>\nDas ist ein Test." in html


# --- Gebärdensprache ---------------------------------------------------------------------------


def test_sign_language_page_says_the_video_is_coming(client, seeded):
    html = client.get(SIGN).get_data(as_text=True)
    assert "<video" not in html
    assert "Das Video in Deutscher Gebärdensprache ist noch nicht fertig." in html
    assert f'href="{EASY}"' in html


def _edit_sign_page(client, **fields):
    sign = page("gebaerdensprache")
    data = {
        "title": sign.title,
        "slug": sign.slug,
        "body": sign.body,
        "in_footer": "y",
        "position": str(sign.position),
        **fields,
    }
    return post_form(client, f"/staff/seiten/{sign.id}", data)


def test_staff_set_a_self_hosted_video_and_its_text(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    response = _edit_sign_page(
        client,
        video_url="/medien/gebaerdensprache.mp4",
        video_transcript="Willkommen beim **Zukunftsdialog**.",
    )
    assert response.status_code == 302
    html = client.get(SIGN).get_data(as_text=True)
    assert '<source src="/medien/gebaerdensprache.mp4" type="video/mp4">' in html
    assert "<video" in html and "controls" in html
    assert "noch nicht fertig" not in html
    assert "Der Inhalt des Videos als Text" in html
    assert "Willkommen beim <strong>Zukunftsdialog</strong>." in html
    # A full address on the site's own host is accepted too.
    own = "http://127.0.0.1:5000/medien/dgs.webm"
    assert _edit_sign_page(client, video_url=own).status_code == 302
    assert f'<source src="{own}" type="video/webm">' in client.get(SIGN).get_data(as_text=True)
    assert page("gebaerdensprache").video_url == own


def test_videos_of_other_sites_are_refused(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    external = "Videos anderer Websites werden nicht eingebunden"
    not_a_path = "Bitte geben Sie eine Adresse auf dieser Website ein"
    for url, message in (
        ("https://www.youtube.com/watch?v=abc", external),
        ("//cdn.example.com/dgs.mp4", external),
        ("javascript:alert(1)", not_a_path),
        ("medien/dgs.mp4", not_a_path),
    ):
        response = _edit_sign_page(client, video_url=url)
        assert response.status_code == 200, url
        errors = re.findall(r'class="field__error"[^>]*>(.*?)</p>', response.get_data(as_text=True))
        assert len(errors) == 1 and message in errors[0], (url, errors)
        assert page("gebaerdensprache").video_url == "", url


# --- feedback ----------------------------------------------------------------------------------


def test_anonymous_feedback_is_stored_without_contact_data_and_no_mail(client):
    response = send(client, page_url="/veranstaltungen")
    assert response.status_code == 302
    assert response.headers["Location"] == "/seite/barrierefreiheit/danke"
    assert "Vielen Dank für Ihre Rückmeldung" in client.get(response.headers["Location"]).text
    [feedback] = all_feedback()
    assert (feedback.name, feedback.email) == (None, None)
    assert feedback.page_url == "/veranstaltungen"
    assert feedback.message == "Der Kontrast der Fußzeile ist zu schwach."
    assert feedback.status == FeedbackStatus.OPEN
    assert outbox() == []  # FEEDBACK_MAIL_TO is empty by default


def test_the_form_takes_the_page_from_the_link(client):
    html = client.get(STATEMENT + "?seite=/veranstaltungen%3Fart%3Dx").get_data(as_text=True)
    assert 'value="/veranstaltungen?art=x"' in html


def test_feedback_reaches_staff_by_mail(app, client, seeded, smtp_server):
    app.config["FEEDBACK_MAIL_TO"] = f"{STAFF_ADDRESS}, zweite@ministerium.example"
    response = send(
        client,
        name="Erika Mustermann",
        email="erika@example.org",
        contact_consent="y",
        page_url="/seite/impressum",
        message="Der Screenreader liest die Tabelle <b>falsch</b> vor.",
    )
    assert response.status_code == 302
    [feedback] = all_feedback()
    assert feedback.message == "Der Screenreader liest die Tabelle falsch vor."
    mails = outbox()
    assert sorted(m.to_address for m in mails) == [STAFF_ADDRESS, "zweite@ministerium.example"]
    assert {m.reference for m in mails} == {f"accessibility_feedback:{feedback.id}"}

    report = mail.deliver_due()
    assert report.sent == 2
    messages = smtp_server.wait_for(2)
    message = next(m for m in messages if m["To"] == STAFF_ADDRESS)
    assert message["Subject"] == f"Rückmeldung zur Barrierefreiheit Nr. {feedback.id}"
    body = message.get_body(("plain",)).get_content()
    for part in (
        "Der Screenreader liest die Tabelle falsch vor.",
        "/seite/impressum",
        "Erika Mustermann",
        "erika@example.org",
    ):
        assert part in body
    assert smtp_server.links(message) == [f"http://127.0.0.1:5000{STAFF}#f{feedback.id}"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"message": ""}, "Bitte beschreiben Sie die Barriere, die Ihnen aufgefallen ist."),
        ({"message": "<p></p>"}, "Bitte beschreiben Sie die Barriere, die Ihnen aufgefallen ist."),
        ({"message": "x" * 5001}, "Bitte fassen Sie sich kürzer (höchstens 5.000 Zeichen)."),
        ({"message": "kaputt \ufffd"}, "ungültige Zeichenkodierung"),
        ({"email": "keine-adresse"}, "Bitte geben Sie eine gültige E-Mail-Adresse ein"),
        ({"name": "Erika"}, "Bitte stimmen Sie der Speicherung zu"),
        ({"email": "erika@example.org"}, "Bitte stimmen Sie der Speicherung zu"),
        ({"website": "http://spam.example"}, "Das Feld muss leer bleiben."),
        ({"page_url": "/" + "x" * 500}, "Höchstens 500 Zeichen."),
    ],
)
def test_bad_feedback_is_explained_in_german_and_not_stored(client, fields, message):
    response = send(client, **fields)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Bitte prüfen Sie Ihre Angaben" in summary
    assert message in summary
    assert "<title>Fehler:" in html
    assert 'aria-invalid="true"' in html or "Das Feld muss leer bleiben." in html
    assert all_feedback() == []


def test_feedback_without_csrf_token_is_refused(client):
    response = client.post(STATEMENT, data={"message": "Test"})
    assert response.status_code == 400
    assert all_feedback() == []


def test_feedback_is_rate_limited_and_the_text_kept(app, client):
    app.config["FEEDBACK_RATE_LIMIT"] = "2 per minute"
    assert send(client).status_code == 302
    assert send(client).status_code == 302
    response = send(client, message="Dritte Meldung mit Text")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "sehr viele Rückmeldungen" in html
    assert "Dritte Meldung mit Text" in html
    assert len(all_feedback()) == 2


def test_cached_statement_page_gives_every_visitor_a_working_form(app):
    app.config["PAGE_CACHE_SECONDS"] = 60
    first, second = app.test_client(), app.test_client()
    tokens = [csrf_token(c, STATEMENT) for c in (first, second)]
    assert tokens[0] != tokens[1]
    for c, token in zip((first, second), tokens, strict=True):
        response = c.post(STATEMENT, data={"message": "Zu klein", "csrf_token": token})
        assert response.status_code == 302
    assert len(all_feedback()) == 2


# --- staff -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ANALYST])
def test_only_admins_see_feedback(client, make_user, login, role):
    send(client, name="Erika", contact_consent="y")
    feedback_id = all_feedback()[0].id
    assert client.get(STAFF).headers["Location"].startswith("/anmelden")
    login(make_user(role))
    assert client.get(STAFF).status_code == 403
    done = post_form(client, f"{STAFF}/{feedback_id}/erledigt", {}, form_url="/staff/")
    assert done.status_code == 403
    delete = post_form(client, f"{STAFF}/{feedback_id}/loeschen", {}, form_url="/staff/")
    assert delete.status_code == 403
    assert all_feedback()[0].name == "Erika"


def test_staff_see_feedback_and_closing_it_deletes_the_contact_data(
    app, client, seeded, make_user, login, smtp_server
):
    app.config["FEEDBACK_MAIL_TO"] = STAFF_ADDRESS
    send(client, name="Erika Mustermann", email="erika@example.org", contact_consent="y")
    send(client, message="Zweite Meldung ohne Kontakt")
    first, second = all_feedback()
    assert mail.deliver_due().sent == 2
    smtp_server.wait_for(2)

    admin = make_user(Role.ADMIN)
    login(admin)
    assert f'href="{STAFF}"' in client.get("/staff/").get_data(as_text=True)
    text = text_of(client.get(STAFF))
    assert "2 offene Rückmeldungen" in text
    for part in ("Erika Mustermann", "erika@example.org", "Zweite Meldung ohne Kontakt"):
        assert part in text
    assert "keine – eine Antwort ist nicht möglich" in text

    response = post_form(client, f"{STAFF}/{first.id}/erledigt", {}, form_url=STAFF)
    assert response.status_code == 302
    first = all_feedback()[0]
    assert first.status == FeedbackStatus.DONE
    assert (first.name, first.email) == (None, None)
    assert first.done_by_id == admin.id and first.done_at is not None
    assert first.message == "Der Kontrast der Fußzeile ist zu schwach."
    # The sent mail held the name and address: it is forgotten with them.
    assert [m.reference for m in outbox()] == [f"accessibility_feedback:{second.id}"]
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "accessibility_feedback.done")
    )
    assert entry.actor_id == admin.id and entry.object_id == str(first.id)
    assert "erika" not in str(entry.changes).lower()
    text = text_of(client.get(STAFF))
    assert "1 offene Rückmeldung" in text and "Erika" not in text
    assert "Rückmeldung zur Barrierefreiheit erledigt" in text_of(client.get("/staff/protokoll"))


def test_staff_delete_feedback(app, client, make_user, login, smtp_server):
    app.config["FEEDBACK_MAIL_TO"] = STAFF_ADDRESS
    send(client, name="Erika", email="erika@example.org", contact_consent="y")
    [feedback] = all_feedback()
    mail.deliver_due()
    smtp_server.wait_for(1)
    login(make_user(Role.ADMIN))
    url = f"{STAFF}/{feedback.id}/loeschen"
    assert "wirklich löschen?" in client.get(url).get_data(as_text=True)
    response = post_form(client, url, {})
    assert response.status_code == 302
    assert all_feedback() == [] and outbox() == []
    assert client.get(url).status_code == 404
    assert "Noch keine Rückmeldungen." in client.get(STAFF).get_data(as_text=True)


def test_flask_purge_deletes_old_feedback(app, client, runner, frozen_clock):
    send(client, name="Alt", email="alt@example.org", contact_consent="y")
    days = app.config["FEEDBACK_RETENTION_DAYS"]
    frozen_clock(now_utc() + timedelta(days=days - 1))
    send(client, message="Neuere Meldung")
    frozen_clock(now_utc() + timedelta(days=1, hours=1))
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "1 accessibility feedback messages" in result.output
    assert [f.message for f in all_feedback()] == ["Neuere Meldung"]
    assert "0 accessibility feedback messages" in runner.invoke(args=["purge"]).output


def test_theme_fields_keep_their_links_when_the_dialogue_is_closed(client, seeded):
    """Outside the Dialogphase the page points to the theme fields without asking to answer."""
    field = db.session.scalar(sa.select(ThemeField).order_by(ThemeField.id))
    for phase in field.process.phases:
        if phase.kind.value == "dialogue":
            phase.ends_on = phase.starts_on
    db.session.commit()
    text = text_of(client.get(EASY))
    assert "Hier können Sie antworten" not in text
    assert "Mehr über das Thema:" in text
