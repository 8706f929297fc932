from datetime import date

import pytest
import sqlalchemy as sa

from dialog.common.audit import AuditEntry
from dialog.common.permissions import Role
from dialog.extensions import db
from dialog.pages.models import Page
from dialog.process.models import GuidingQuestion, Phase, Process, ThemeField
from dialog.process.rules import PhaseKind
from dialog.staff import services as staff_services
from tests.conftest import post_form


def process_id() -> int:
    return db.session.scalar(sa.select(Process.id))


def phase(kind: PhaseKind) -> Phase:
    return db.session.scalar(sa.select(Phase).where(Phase.kind == kind))


def theme(slug: str = "gute-arbeit-voranbringen") -> ThemeField:
    return db.session.scalar(sa.select(ThemeField).where(ThemeField.slug == slug))


STAFF_URLS = [
    "/staff/prozesse",
    "/staff/prozesse/neu",
    "/staff/seiten",
    "/staff/seiten/neu",
    "/staff/protokoll",
]


@pytest.mark.parametrize("url", ["/staff/", *STAFF_URLS])
def test_anonymous_visitors_are_sent_to_login(client, seeded, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/anmelden?next=")


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ANALYST])
def test_moderators_and_analysts_cannot_edit_content(client, seeded, make_user, login, role):
    login(make_user(role))
    assert client.get("/staff/").status_code == 200
    pid = process_id()
    for url in [*STAFF_URLS, f"/staff/prozesse/{pid}", f"/staff/prozesse/{pid}/phasen/neu"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Kein Zugriff" in response.get_data(as_text=True)
    # Nor by posting directly, with a valid CSRF token.
    response = post_form(
        client, f"/staff/prozesse/{pid}", {"title": "Gekapert"}, form_url="/staff/"
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Process, pid).title != "Gekapert"


def test_a_person_can_hold_several_roles(client, seeded, make_user, login):
    login(make_user(Role.MODERATOR, Role.ADMIN))
    assert client.get("/staff/prozesse").status_code == 200
    html = client.get("/staff/").get_data(as_text=True)
    assert "Administration" in html and "Moderation" in html


def test_admin_edits_a_theme_field_and_the_public_page_shows_it(client, seeded, make_user, login):
    admin = make_user(Role.ADMIN)
    login(admin)
    field = theme()
    url = f"/staff/prozesse/{field.process_id}/themen/{field.id}"
    response = post_form(
        client,
        url,
        {
            "title": "Gute Arbeit",
            "slug": "gute-arbeit",
            "description": "Neu **fett**",
            "position": "5",
        },
    )
    assert response.status_code == 302
    html = client.get("/dialog/mission-fachkraft/gute-arbeit").get_data(as_text=True)
    assert '<h1 lang="de">Gute Arbeit</h1>' in html
    assert "<strong>fett</strong>" in html
    assert client.get("/dialog/mission-fachkraft/gute-arbeit-voranbringen").status_code == 404
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "theme_field.update")
    )
    assert entry.actor_id == admin.id
    assert entry.changes["title"] == ["Gute Arbeit voranbringen", "Gute Arbeit"]
    assert entry.changes["slug"] == ["gute-arbeit-voranbringen", "gute-arbeit"]
    assert "Gute Arbeit voranbringen" in client.get("/staff/protokoll").get_data(as_text=True)


def test_invalid_theme_input_keeps_what_was_typed(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    field = theme()
    url = f"/staff/prozesse/{field.process_id}/themen/{field.id}"
    taken = theme("zukunftskompetenzen-foerdern").slug
    response = post_form(
        client,
        url,
        {"title": "", "slug": taken, "description": "Mein langer Text", "position": "x"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bitte geben Sie einen Titel ein." in html
    assert "Dieser Kurzname wird bereits verwendet." in html
    assert "Mein langer Text" in html
    assert "Bitte prüfen Sie Ihre Angaben" in html
    db.session.expire_all()
    assert theme().title == "Gute Arbeit voranbringen"


@pytest.mark.parametrize("slug", ["Groß", "mit leerzeichen", "ümlaut", "-vorn", "doppel--strich"])
def test_slug_format_is_checked(client, seeded, make_user, login, slug):
    login(make_user(Role.ADMIN))
    response = post_form(client, "/staff/seiten/neu", {"title": "T", "slug": slug, "position": "0"})
    assert "Nur Kleinbuchstaben" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Page)) == 6


def phase_form(p: Phase, **changes) -> dict:
    values = {
        "kind": p.kind.value,
        "title": p.title,
        "starts_on": p.starts_on.isoformat(),
        "ends_on": p.ends_on.isoformat(),
        "description": p.description,
    }
    return {**values, **changes}


def test_phase_dates_must_be_in_order(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    p = phase(PhaseKind.DIALOGUE)
    url = f"/staff/prozesse/{p.process_id}/phasen/{p.id}"
    response = post_form(client, url, phase_form(p, starts_on="2030-05-02", ends_on="2030-05-01"))
    assert "Der letzte Tag darf nicht vor dem ersten Tag liegen." in response.get_data(as_text=True)


def test_phases_must_not_overlap(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    analysis, dialogue = phase(PhaseKind.ANALYSIS), phase(PhaseKind.DIALOGUE)
    url = f"/staff/prozesse/{dialogue.process_id}/phasen/{dialogue.id}"
    overlapping_start = analysis.ends_on.isoformat()
    response = post_form(client, url, phase_form(dialogue, starts_on=overlapping_start))
    html = response.get_data(as_text=True)
    assert "überschneidet sich mit der Phase „Analysephase“" in html
    db.session.expire_all()
    assert phase(PhaseKind.DIALOGUE).starts_on != analysis.ends_on


def test_each_phase_kind_once_per_process(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    pid = process_id()
    response = post_form(
        client,
        f"/staff/prozesse/{pid}/phasen/neu",
        {
            "kind": "dialogue",
            "title": "Zweite Dialogphase",
            "starts_on": "2040-01-01",
            "ends_on": "2040-02-01",
        },
    )
    assert "Diese Art von Phase gibt es bereits: „Dialogphase“." in response.get_data(as_text=True)


def test_invalid_date_gets_a_message(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    p = phase(PhaseKind.RESULTS)
    url = f"/staff/prozesse/{p.process_id}/phasen/{p.id}"
    response = post_form(client, url, phase_form(p, ends_on="31.02.2030"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in html
    assert "31.02.2030" in html  # what was typed is kept


def test_admin_moves_a_phase_and_deletes_another(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    results = phase(PhaseKind.RESULTS)
    url = f"/staff/prozesse/{results.process_id}/phasen/{results.id}"
    response = post_form(client, url, phase_form(results, ends_on="2099-12-31"))
    assert response.status_code == 302
    db.session.expire_all()
    assert phase(PhaseKind.RESULTS).ends_on == date(2099, 12, 31)
    confirm = client.get(url + "/loeschen").get_data(as_text=True)
    assert "wirklich löschen?" in confirm
    assert phase(PhaseKind.RESULTS) is not None  # asking is not deleting
    response = post_form(client, url + "/loeschen", {})
    assert response.status_code == 302
    assert phase(PhaseKind.RESULTS) is None
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"phase.update", "phase.delete"} <= actions


def test_admin_adds_and_deactivates_a_guiding_question(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    field = theme()
    response = post_form(
        client,
        f"/staff/themen/{field.id}/fragen/neu",
        {
            "text": "Was wünschen Sie sich?",
            "plain_language_text": "",
            "position": "30",
            "active": "y",
        },
    )
    assert response.status_code == 302
    public_url = "/dialog/mission-fachkraft/gute-arbeit-voranbringen"
    assert "Was wünschen Sie sich?" in client.get(public_url).get_data(as_text=True)
    question = db.session.scalar(
        sa.select(GuidingQuestion).where(GuidingQuestion.text == "Was wünschen Sie sich?")
    )
    response = post_form(
        client,
        f"/staff/themen/{field.id}/fragen/{question.id}",
        {"text": question.text, "plain_language_text": "", "position": "30"},  # unchecked
    )
    assert response.status_code == 302
    assert "Was wünschen Sie sich?" not in client.get(public_url).get_data(as_text=True)


def test_objects_are_only_reachable_through_their_parent(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    p = phase(PhaseKind.DIALOGUE)
    other = Process(slug="zweiter", title="Zweiter", central_question="?")
    db.session.add(other)
    db.session.commit()
    assert client.get(f"/staff/prozesse/{other.id}/phasen/{p.id}").status_code == 404
    assert client.get("/staff/prozesse/99999").status_code == 404


def test_admin_creates_a_second_process_and_features_it(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    response = post_form(
        client,
        "/staff/prozesse/neu",
        {
            "title": "Zweiter Dialog",
            "slug": "zweiter-dialog",
            "central_question": "Wie weiter?",
            "intro": "",
            "published": "y",
            "featured": "y",
        },
    )
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Zweiter Dialog" in home and "Wie weiter?" in home
    featured = db.session.scalars(sa.select(Process.slug).where(Process.featured.is_(True))).all()
    assert featured == ["zweiter-dialog"]
    assert client.get("/dialog/mission-fachkraft").status_code == 200


def test_admin_edits_a_text_page(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    page = db.session.scalar(sa.select(Page).where(Page.slug == "impressum"))
    response = post_form(
        client,
        f"/staff/seiten/{page.id}",
        {
            "title": "Impressum",
            "slug": "impressum",
            "in_footer": "y",
            "position": "1",
            "body": "Bundesministerium\n\n<script>alert(1)</script><a href='javascript:x()'>a</a>",
        },
    )
    assert response.status_code == 302
    html = client.get("/seite/impressum").get_data(as_text=True)
    assert "Bundesministerium" in html
    assert "<script>alert(1)" not in html
    assert "javascript:" not in html


def test_new_page_can_be_created_and_deleted(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    response = post_form(
        client,
        "/staff/seiten/neu",
        {
            "title": "Hilfe",
            "slug": "hilfe",
            "body": "Text",
            "position": "50",
            "in_footer": "y",
        },
    )
    assert response.status_code == 302
    assert 'href="/seite/hilfe"' in client.get("/").get_data(as_text=True)
    page = db.session.scalar(sa.select(Page).where(Page.slug == "hilfe"))
    response = post_form(client, f"/staff/seiten/{page.id}/loeschen", {})
    assert response.status_code == 302
    assert client.get("/seite/hilfe").status_code == 404
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "page.delete"))
    assert entry.changes["body"] == ["Text", None]  # the deleted text can be restored


def test_audit_log_is_paged_by_keyset(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    html = client.get("/staff/protokoll").get_data(as_text=True)
    # Seeding's entries, creating the admin and logging in: all on one page.
    entries = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    assert 22 <= entries <= staff_services.AUDIT_PAGE_SIZE
    assert html.count("<tr>") == entries + 1  # and the header row
    assert "Konto angemeldet" in html and "Themenfeld angelegt" in html
    assert "Ältere Einträge" not in html
    from dialog.common import audit

    for i in range(60):
        audit.record(None, "test.entry", Page(id=10_000 + i))
    db.session.commit()
    html = client.get("/staff/protokoll").get_data(as_text=True)
    assert "Ältere Einträge" in html


@pytest.mark.parametrize(
    "url",
    [
        "/staff/prozesse/99999999999999999999999",
        "/staff/prozesse/9223372036854775808",
        "/staff/prozesse/2147483648",
        "/staff/seiten/99999999999999999999",
        "/staff/konten/99999999999999999999",
        "/staff/themen/99999999999999999999/fragen/neu",
        "/antworten/99999999999999999999",
    ],
)
def test_huge_ids_are_not_found_rather_than_errors(client, seeded, make_user, login, url):
    login(make_user(Role.ADMIN))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("arg", ["vor=99999999999999999999", "vor=2147483648", "vor=-5", "vor=x"])
def test_huge_cursors_are_ignored(client, seeded, make_user, login, arg):
    login(make_user(Role.ADMIN))
    assert client.get(f"/staff/protokoll?{arg}").status_code == 200
    assert client.get(f"/dialog/mission-fachkraft/antworten?{arg}").status_code == 200


def test_german_date_format_is_accepted_too(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    p = phase(PhaseKind.RESULTS)
    url = f"/staff/prozesse/{p.process_id}/phasen/{p.id}"
    response = post_form(client, url, phase_form(p, ends_on="31.12.2099"))
    assert response.status_code == 302
    db.session.expire_all()
    assert phase(PhaseKind.RESULTS).ends_on == date(2099, 12, 31)


def test_wtforms_own_messages_follow_the_language(client, seeded, make_user, login):
    login(make_user(Role.ADMIN))
    field = theme()
    url = f"/staff/prozesse/{field.process_id}/themen/{field.id}"
    data = {"title": "T", "slug": "gute-arbeit-voranbringen", "position": "-5"}
    assert "Zahl muss zwischen 0 und 10000" in post_form(client, url, data).get_data(as_text=True)
    client.get("/sprache/en")
    assert "Number must be between 0 and 10000" in post_form(client, url, data).get_data(
        as_text=True
    )
