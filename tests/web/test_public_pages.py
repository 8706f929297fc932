from datetime import UTC, datetime

from dialog.extensions import db
from dialog.pages.models import Page
from dialog.seed import HISTORICAL_DATES, PROCESS, THEMES, seed


def test_start_page_shows_process_question_timeline_and_themes(client, seeded):
    html = client.get("/").get_data(as_text=True)
    assert "<h1" in html and PROCESS["title"] in html
    assert PROCESS["central_question"] in html
    for title in ("Analysephase", "Dialogphase", "Veröffentlichung der Ergebnisse"):
        assert title in html
    # Demo mode places today inside the Dialogphase, marked as the current step.
    current = html.split('aria-current="step"')[1]
    assert "Dialogphase" in current.split("</li>")[0]
    for theme in THEMES:
        assert theme.title in html
        assert f"/dialog/mission-fachkraft/{theme.slug}" in html
    assert "Leitfragen beantworten" in html
    assert "Veranstaltungen" in html and "Ergebnisse" in html


def test_theme_page_lists_its_guiding_questions(client, seeded):
    theme = THEMES[0]
    response = client.get(f"/dialog/mission-fachkraft/{theme.slug}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert theme.title in html
    for question, plain in theme.questions:
        assert question in html
        assert plain in html
    # Questions of other theme fields are not on this page.
    assert THEMES[1].questions[0][0] not in html


def test_current_phase_follows_the_clock(client, seeded, frozen_clock):
    seed(dates="historical")
    db.session.commit()
    frozen_clock(datetime(2024, 1, 15, 12, tzinfo=UTC))
    html = client.get("/").get_data(as_text=True)
    assert "Dialogphase" in html.split('aria-current="step"')[1].split("</li>")[0]
    frozen_clock(datetime(2024, 10, 1, 12, tzinfo=UTC))
    html = client.get("/").get_data(as_text=True)
    assert "Veröffentlichung" in html.split('aria-current="step"')[1].split("</li>")[0]
    html = client.get(f"/dialog/mission-fachkraft/{THEMES[0].slug}").get_data(as_text=True)
    assert "Die Dialogphase ist beendet" in html
    assert "<textarea" not in html


def test_phase_boundary_is_decided_in_german_time(client, seeded, frozen_clock):
    seed(dates="historical")
    db.session.commit()
    dialogue_start = HISTORICAL_DATES[next(k for k in HISTORICAL_DATES if k.value == "dialogue")][0]
    assert dialogue_start.isoformat() == "2023-09-01"
    # 22:30 UTC on 31 August is already 1 September in Berlin (UTC+2).
    frozen_clock(datetime(2023, 8, 31, 22, 30, tzinfo=UTC))
    html = client.get(f"/dialog/mission-fachkraft/{THEMES[0].slug}").get_data(as_text=True)
    assert "Die Dialogphase läuft" in html
    frozen_clock(datetime(2023, 8, 31, 21, 30, tzinfo=UTC))
    html = client.get(f"/dialog/mission-fachkraft/{THEMES[0].slug}").get_data(as_text=True)
    assert "Die Dialogphase beginnt am 1. September 2023" in html


def test_text_pages_exist_and_are_linked_from_every_page(client, seeded):
    home = client.get("/").get_data(as_text=True)
    for slug, title in [
        ("datenschutz", "Datenschutzerklärung"),
        ("impressum", "Impressum"),
        ("barrierefreiheit", "Erklärung zur Barrierefreiheit"),
        ("netiquette", "Netiquette"),
    ]:
        assert f'href="/seite/{slug}"' in home
        response = client.get(f"/seite/{slug}")
        assert response.status_code == 200
        assert f'<h1 lang="de">{title}</h1>' in response.get_data(as_text=True)


def test_page_body_is_sanitised_when_shown(client, seeded):
    db.session.add(
        Page(
            slug="test",
            title="Test",
            body="Hallo<script>alert(1)</script><img src=x onerror=alert(2)> **fett**",
        )
    )
    db.session.commit()
    html = client.get("/seite/test").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "onerror" not in html
    assert "<strong>fett</strong>" in html


def test_unknown_pages_give_a_german_404(client, seeded):
    for url in ("/seite/gibt-es-nicht", "/dialog/unbekannt", "/dialog/mission-fachkraft/x", "/x"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Seite nicht gefunden" in response.get_data(as_text=True)


def test_unpublished_process_is_hidden_from_the_public(client, seeded):
    from dialog.process.models import Process

    process = db.session.scalar(db.select(Process))
    process.published = False
    db.session.commit()
    assert client.get("/dialog/mission-fachkraft").status_code == 404
    assert "Derzeit ist kein Beteiligungsprozess veröffentlicht" in client.get("/").get_data(
        as_text=True
    )


def test_empty_database_start_page_does_not_fail(client):
    response = client.get("/")
    assert response.status_code == 200


def test_security_headers_on_every_response(client, seeded):
    for url in ("/", "/seite/impressum", "/gibt-es-nicht", "/anmelden"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_no_external_resources(client, seeded):
    html = client.get("/").get_data(as_text=True)
    assert "http://" not in html.replace("http://www.w3.org", "")
    for attr in ('src="http', 'href="http', 'src="//', 'href="//'):
        assert attr not in html


def test_language_switch_to_english_and_back(client, seeded):
    response = client.get("/sprache/en?next=/seite/impressum")
    assert response.status_code == 302
    assert response.headers["Location"] == "/seite/impressum"
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    client.get("/sprache/de")
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="de">' in html
    assert "Zum Inhalt springen" in html


def test_language_switch_refuses_unknown_language_and_foreign_redirects(client, seeded):
    assert client.get("/sprache/xx").status_code == 404
    response = client.get("/sprache/en?next=https://evil.example/")
    assert response.headers["Location"] == "/"


def test_private_pages_are_not_cached(client, seeded):
    assert client.get("/anmelden").headers["Cache-Control"] == "no-store"
    assert client.get("/staff/").headers["Cache-Control"] == "no-store"
    assert client.get("/beitrag/unbekannt").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
