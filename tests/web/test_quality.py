"""Possible campaigns, flags and languages: the detection and its re-runs, the analysts' review
of groups (confirm, split, not a campaign) with its audit trail and permissions, the coding
filter, the moderation queue's hints, new answers, the export and `flask find-campaigns`."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from dialog.answers import services as answer_services
from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AnswerStatus, Channel
from dialog.common.audit import AuditEntry
from dialog.common.clock import now_utc
from dialog.common.permissions import Role
from dialog.export.services import ExportFilters, ExportFormat, write_export
from dialog.extensions import db
from dialog.process.models import Process, ThemeField
from dialog.quality import services as quality
from dialog.quality.models import CampaignGroup
from dialog.quality.rules import CampaignStatus
from dialog.seed import PROCESS_SLUG
from tests.conftest import PASSWORD, make_config, post_form
from tests.web.answer_helpers import send

CAMPAIGNS_URL = "/staff/analyse/kampagnen"
LIST_URL = "/staff/analyse/beitraege"

# A template as a campaign spreads it: people add a greeting and a sign-off, swap or add a word,
# make a typo or add a sentence of their own.
TEMPLATE = (
    "Die Anerkennung ausländischer Berufsabschlüsse dauert in Deutschland viel zu lange. "
    "Fachkräfte warten oft mehr als ein Jahr auf einen Bescheid und arbeiten in dieser Zeit "
    "unter ihrer Qualifikation. Wir fordern eine zentrale Stelle für alle Verfahren, feste "
    "Fristen von höchstens drei Monaten und eine digitale Antragstellung in mehreren Sprachen. "
    "Nur so gewinnen wir die Fachkräfte, die Betriebe und Pflegeeinrichtungen dringend brauchen."
)
CAMPAIGN = [
    TEMPLATE,
    "Sehr geehrte Damen und Herren,\n\n" + TEMPLATE + "\n\nMit freundlichen Grüßen\nAnna Beispiel",
    "Hallo,\n" + TEMPLATE.replace("viel zu lange", "einfach viel zu lange") + "\nViele Grüße, Ben",
    TEMPLATE.replace("Bescheid", "Bescheit").replace("dringend", "sehr dringend")
    + " Das erlebe ich selbst in meinem Betrieb jeden Tag.",
    "Liebe Ministerin,\n" + TEMPLATE.replace("höchstens drei Monaten", "maximal drei Monaten"),
]
CARE = (
    "Als Pflegekraft erlebe ich jeden Tag, dass wir viel zu wenige sind. Wir fordern eine "
    "gesetzliche Personalbemessung in allen Krankenhäusern und Heimen, verlässliche Dienstpläne "
    "ohne ständiges Einspringen aus dem Frei und einen Lohn, der unserer Verantwortung "
    "entspricht. Wer die Pflege stärkt, hält Fachkräfte im Beruf und gewinnt neue dazu."
)
CARE_CAMPAIGN = [
    CARE,
    "Guten Tag,\n" + CARE + "\nGruß aus Kassel",
    CARE.replace("viel zu wenige", "zu wenige"),
    CARE + " Bitte hören Sie endlich auf die Beschäftigten.",
    "Hallo zusammen,\n" + CARE.replace("Heimen", "Pflegeheimen"),
    CARE.replace("Lohn", "Verdienst"),
]
KITA = (
    "Kitaplätze fehlen in unserer Stadt seit Jahren. Eltern, vor allem Mütter, können deshalb "
    "nur in Teilzeit arbeiten, obwohl sie gut ausgebildet sind und gern mehr Stunden leisten "
    "würden. Wir fordern einen verlässlichen Ausbau der Betreuung mit längeren Öffnungszeiten "
    "und mehr Personal, damit Familie und Beruf endlich zusammenpassen."
)
# Independent answers on the same topics, with the same key terms: no campaign.
INDEPENDENT = [
    "Bei der Anerkennung meines Abschlusses als Ingenieurin aus der Ukraine hat mir die "
    "Beratungsstelle sehr geholfen, aber das Verfahren hat trotzdem acht Monate gedauert und "
    "ich musste viele Dokumente übersetzen lassen, was teuer war.",
    "Unser Betrieb sucht seit Jahren Elektriker. Die Anerkennung von Abschlüssen aus dem Ausland "
    "ist kompliziert, jede Kammer macht es anders, und wir wissen nie, wie lange es dauert.",
    "Die Pflege braucht mehr Personal und bessere Bezahlung, sonst verlassen noch mehr "
    "Fachkräfte den Beruf, weil die Belastung im Schichtdienst einfach zu hoch geworden ist.",
]
SPAM = (
    "Jetzt kaufen! Günstige Kredite ohne Schufa auf www.billig-kredit-shop.com – nur heute "
    "50% Rabatt, Bitcoin akzeptiert."
)
ABUSE = "Ihr im Ministerium seid doch alle Vollidioten und habt keine Ahnung von echter Arbeit."
EMPTY = "k.A."
ENGLISH = (
    "I work as a nurse in Germany and the recognition of my degree took far too long, "
    "the paperwork is not working for people like me."
)


def process() -> Process:
    return db.session.scalar(sa.select(Process).where(Process.slug == PROCESS_SLUG))


def make_answers(
    texts: list[str],
    *,
    theme: int = 0,
    status: AnswerStatus = AnswerStatus.PENDING,
    channel: Channel = Channel.ONLINE,
) -> list[int]:
    """One submission per text in the theme field at position `theme`; the answers' ids."""
    field = process().theme_fields[theme]
    answers = []
    for number, text in enumerate(texts):
        submission = Submission(
            theme_field_id=field.id,
            channel=channel,
            received_on=date(2026, 3, 2 + number % 20),
            publication_consent=True,
        )
        answer = Answer(
            question_id=field.questions[0].id, theme_field_id=field.id, text=text, status=status
        )
        submission.answers.append(answer)
        db.session.add(submission)
        answers.append(answer)
    db.session.commit()
    return [a.id for a in answers]


def detect() -> quality.Detection:
    found = quality.detect(None, process())
    db.session.commit()
    return found


def group_of(answer_id: int) -> CampaignGroup | None:
    db.session.expire_all()
    answer = db.session.get(Answer, answer_id)
    return (
        db.session.get(CampaignGroup, answer.campaign_group_id)
        if answer.campaign_group_id
        else None
    )


def members(group_id: int) -> set[int]:
    db.session.expire_all()
    stmt = sa.select(Answer.id).where(Answer.campaign_group_id == group_id)
    return set(db.session.scalars(stmt))


def audit_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


@pytest.fixture
def analyst(client, seeded, make_user, login):
    user = make_user(Role.ANALYST)
    login(user)
    return user


def client_for(app, user):
    browser = app.test_client()
    response = post_form(browser, "/anmelden", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return browser


# --- Detection --------------------------------------------------------------------------


def test_detection_groups_near_copies_flags_and_languages(app, seeded):
    campaign = make_answers(CAMPAIGN, theme=0)
    spread = make_answers(CAMPAIGN[:1], theme=1)  # the campaign reaches across theme fields
    independent = make_answers(INDEPENDENT)
    spam, abuse, empty, english = make_answers([SPAM, ABUSE, EMPTY, ENGLISH])

    found = detect()

    group = group_of(campaign[0])
    assert group is not None and group.status == CampaignStatus.SUGGESTED
    assert members(group.id) == {*campaign, *spread}
    assert group.size == 6 and group.representative_id in members(group.id)
    assert 0 < group.similarity_min <= group.similarity_median <= 1
    assert not group.reviewed
    assert all(group_of(i) is None for i in [*independent, spam, abuse, empty, english])
    assert found.groups == 1 and found.grouped == 6 and found.answers == 13

    checked = {a.id: a for a in db.session.scalars(sa.select(Answer))}
    assert all(a.quality_checked_at is not None for a in checked.values())
    assert "Link oder Domain" in checked[spam].flag_spam_reason
    assert "Vollidioten" in checked[abuse].flag_abuse_reason
    assert checked[empty].flag_empty_reason
    assert checked[english].language == "en" and checked[campaign[0]].language == "de"
    assert not any(a.quality_flags for i, a in checked.items() if i in campaign + independent)
    assert {a.status for a in checked.values()} == {AnswerStatus.PENDING}  # never a decision
    assert audit_actions().count("process.detect_campaigns") == 1


def test_a_rerun_keeps_the_group_and_changes_nothing(app, seeded):
    campaign = make_answers(CAMPAIGN)
    make_answers(INDEPENDENT)
    detect()
    group_id = group_of(campaign[0]).id

    again = detect()

    assert again.changed == 0 and group_of(campaign[0]).id == group_id
    more = make_answers([CAMPAIGN[1].replace("Anna Beispiel", "Carla Muster")])
    third = detect()
    assert third.changed == 1 and members(group_id) == {*campaign, *more}


def test_reviewed_groups_keep_their_answers_across_a_rerun(app, seeded, make_user):
    analyst = make_user(Role.ANALYST)
    campaign = make_answers(CAMPAIGN)
    care = make_answers(CARE_CAMPAIGN)
    make_answers(INDEPENDENT)
    detect()
    first, second = group_of(campaign[0]), group_of(care[0])
    assert members(first.id) == set(campaign) and members(second.id) == set(care)

    quality.decide(analyst, first, CampaignStatus.CONFIRMED, "Gleicher Aufruf eines Verbands")
    split_off = quality.split(analyst, second, care[:2], quality.SplitAction.NEW_GROUP)
    db.session.commit()
    late_copies = make_answers(CAMPAIGN[:2])  # copies arriving after the review
    kita = make_answers([KITA, "Hallo,\n" + KITA, KITA + " Danke!"])

    detect()

    assert members(first.id) == set(campaign)  # kept as confirmed, no new member
    assert group_of(campaign[0]).status == CampaignStatus.CONFIRMED
    assert members(second.id) == set(care[2:]) and members(split_off.id) == set(care[:2])
    assert all(group_of(i) is None or group_of(i).id not in {first.id} for i in late_copies)
    new_group = group_of(kita[0])
    assert new_group is not None and not new_group.reviewed and members(new_group.id) == set(kita)

    quality.decide(
        analyst, db.session.get(CampaignGroup, split_off.id), CampaignStatus.NOT_CAMPAIGN
    )
    db.session.commit()
    detect()
    assert members(split_off.id) == set(care[:2])  # not a campaign, and not grouped again
    assert db.session.get(CampaignGroup, split_off.id).status == CampaignStatus.NOT_CAMPAIGN


def test_answers_taken_out_of_a_group_are_not_put_back(app, seeded, make_user):
    analyst = make_user(Role.ANALYST)
    campaign = make_answers(CAMPAIGN)
    detect()
    group = group_of(campaign[0])
    quality.split(analyst, group, campaign[:1], quality.SplitAction.REMOVE, "eigener Text")
    db.session.commit()
    detect()
    assert members(group.id) == set(campaign[1:]) and group_of(campaign[0]) is None


def test_an_unreviewed_group_that_is_no_longer_found_goes(app, seeded):
    campaign = make_answers(CAMPAIGN[:3])
    detect()
    group_id = group_of(campaign[0]).id
    db.session.get(Answer, campaign[2]).text = INDEPENDENT[0]
    db.session.commit()
    empty = CampaignGroup(process_id=process().id)  # its answers were deleted meanwhile
    db.session.add(empty)
    db.session.commit()
    empty_id = empty.id
    detect()
    assert db.session.get(CampaignGroup, group_id) is None
    assert db.session.get(CampaignGroup, empty_id) is None
    assert all(group_of(i) is None for i in campaign)


def test_detection_refuses_when_groups_were_reviewed_meanwhile(app, seeded, monkeypatch):
    campaign = make_answers(CAMPAIGN)
    detect()
    group_id = group_of(campaign[0]).id
    real = quality._group_states

    def reviewed_meanwhile(process_id, *, lock=False):
        if lock:
            db.session.get(CampaignGroup, group_id).reviewed_at = now_utc()
            db.session.flush()
        return real(process_id, lock=lock)

    monkeypatch.setattr(quality, "_group_states", reviewed_meanwhile)
    with pytest.raises(quality.DetectionConflict):
        quality.detect(None, process())
    db.session.rollback()


# --- New and changed answers ------------------------------------------------------------


def test_a_new_submission_gets_its_flags_from_the_worker_pass(app, client, seeded, make_user):
    from dialog.reports.worker import run_pending

    response = send(client, [SPAM, ABUSE])
    assert response.status_code == 302
    new = list(db.session.scalars(sa.select(Answer).order_by(Answer.id)))
    assert [a.quality_checked_at for a in new] == [None, None]  # the form stays as fast

    run_pending()

    db.session.expire_all()
    spam, abuse = db.session.scalars(sa.select(Answer).order_by(Answer.id))
    assert spam.flag_spam_reason and spam.language == "de" and spam.quality_checked_at
    assert abuse.flag_abuse_reason and not abuse.flag_spam_reason
    moderator = client_for(app, make_user(Role.MODERATOR))
    page = html(moderator, "/staff/moderation")
    assert 'Hinweis:</strong> möglicherweise Spam – <span lang="de">Link oder Domain' in page
    assert "möglicherweise Beleidigung oder Angriff" in page


def test_an_edited_answer_is_checked_again(app, seeded):
    [answer_id] = make_answers([SPAM])
    assert quality.check_new_answers() == 1
    db.session.commit()
    answer = db.session.get(Answer, answer_id)
    assert answer.flag_spam_reason
    theme = db.session.get(ThemeField, answer.theme_field_id)
    changed = answer_services.update_by_author(
        answer.submission, theme, {answer.question_id: INDEPENDENT[1]}
    )
    db.session.commit()
    assert changed == 1
    answer = db.session.get(Answer, answer_id)
    assert answer.quality_checked_at is None and answer.flag_spam_reason is None
    assert quality.check_new_answers() == 1
    db.session.commit()
    answer = db.session.get(Answer, answer_id)
    assert answer.quality_checked_at is not None and answer.quality_flags == []


# --- The analysts' pages ----------------------------------------------------------------


def test_group_pages_confirm_with_a_note_and_history(client, analyst):
    campaign = make_answers(CAMPAIGN)
    detect()
    group = group_of(campaign[0])
    url = f"{CAMPAIGNS_URL}/{group.id}"

    listing = html(client, CAMPAIGNS_URL)
    assert f'href="{url}"' in listing and "vorgeschlagen, noch nicht geprüft" in listing
    page = html(client, url)
    for answer_id in campaign:
        assert f'value="{answer_id}"' in page  # a checkbox per member …
        assert f'href="{LIST_URL}/{answer_id}"' in page  # … and its coding page
    assert "Text, für den die Gruppe steht" in page and "Online-Formular" in page
    assert "Noch niemand hat die Gruppe geprüft." in page

    response = post_form(
        client, f"{url}/entscheidung", {"status": "confirmed", "note": "Aufruf des Verbands X"}, url
    )
    assert response.status_code == 302 and response.headers["Location"] == url
    db.session.expire_all()
    group = db.session.get(CampaignGroup, group.id)
    assert group.status == CampaignStatus.CONFIRMED and group.reviewed_by_id == analyst.id
    assert group.note == "Aufruf des Verbands X"
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "campaign_group.confirm")
    )
    assert entry.actor_id == analyst.id and entry.object_id == str(group.id)
    assert entry.changes["status"] == ["suggested", "confirmed"]
    page = html(client, url)
    assert "Kampagnengruppe als Kampagne bestätigt" in page and "Aufruf des Verbands X" in page

    answer_page = html(client, f"{LIST_URL}/{campaign[0]}")
    assert f"Gruppe {group.id}: 5 Beiträge, als Kampagne bestätigt" in answer_page
    assert f'href="{url}"' in answer_page


def test_split_into_a_new_group_and_take_answers_out(client, analyst):
    campaign = make_answers(CAMPAIGN)
    detect()
    group = group_of(campaign[0])
    url = f"{CAMPAIGNS_URL}/{group.id}"

    response = post_form(
        client,
        f"{url}/aufteilen",
        {"answer_ids": [str(campaign[3]), str(campaign[4])], "aktion": "new_group"},
        url,
    )
    assert response.status_code == 302
    new_group = group_of(campaign[3])
    assert new_group.id != group.id and new_group.split_from_id == group.id
    assert members(new_group.id) == set(campaign[3:]) and members(group.id) == set(campaign[:3])
    assert new_group.size == 2 and new_group.reviewed and group_of(campaign[0]).reviewed
    assert "Abgeteilt von" in html(client, f"{CAMPAIGNS_URL}/{new_group.id}")

    response = post_form(
        client,
        f"{url}/aufteilen",
        {"answer_ids": [str(campaign[2])], "aktion": "remove", "split_note": "eigener Text"},
        url,
    )
    assert response.status_code == 302
    assert group_of(campaign[2]) is None and group_of(campaign[0]).size == 2
    actions = audit_actions()
    assert "campaign_group.split" in actions and "campaign_group.create_by_split" in actions
    assert "campaign_group.remove_answers" in actions
    history = html(client, url)
    assert "Kampagnengruppe aufgeteilt" in history and "eigener Text" in history

    marked = post_form(client, f"{url}/entscheidung", {"status": "not_campaign"}, url)
    assert marked.status_code == 302
    assert group_of(campaign[0]).status == CampaignStatus.NOT_CAMPAIGN
    assert "campaign_group.mark_not_campaign" in audit_actions()
    filtered = html(client, f"{LIST_URL}?kampagne=y")
    assert f'href="{LIST_URL}/{campaign[0]}?kampagne=y"' not in filtered
    assert f'href="{LIST_URL}/{campaign[3]}?kampagne=y"' in filtered  # the split-off group


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"aktion": "new_group"}, "Bitte wählen Sie mindestens einen Beitrag der Gruppe aus."),
        ({"answer_ids": ["1"]}, "Bitte wählen Sie, was mit den Beiträgen geschieht."),
        ("all", "Sie haben alle Beiträge der Gruppe ausgewählt."),
        ({"answer_ids": ["999999"], "aktion": "remove"}, "gehört nicht (mehr) zu dieser Gruppe"),
    ],
)
def test_a_split_that_is_not_possible_says_why(client, analyst, data, message):
    campaign = make_answers(CAMPAIGN)
    detect()
    url = f"{CAMPAIGNS_URL}/{group_of(campaign[0]).id}"
    if data == "all":
        data = {"answer_ids": [str(i) for i in campaign], "aktion": "remove"}
    response = post_form(client, f"{url}/aufteilen", data, url)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert members(group_of(campaign[0]).id) == set(campaign)
    assert not group_of(campaign[0]).reviewed


def test_a_decision_needs_a_choice(client, analyst):
    campaign = make_answers(CAMPAIGN)
    detect()
    url = f"{CAMPAIGNS_URL}/{group_of(campaign[0]).id}"
    for status in ("", "suggested", "egal"):
        response = post_form(client, f"{url}/entscheidung", {"status": status}, url)
        assert response.status_code == 400
    assert not group_of(campaign[0]).reviewed


def test_the_coding_filter_lists_the_members_of_possible_campaigns(client, analyst):
    campaign = make_answers(CAMPAIGN, status=AnswerStatus.PUBLISHED)
    care = make_answers(CARE_CAMPAIGN, status=AnswerStatus.PUBLISHED)
    single = make_answers(INDEPENDENT[:1], status=AnswerStatus.PUBLISHED)
    detect()
    care_group = group_of(care[0])
    quality.decide(None, care_group, CampaignStatus.NOT_CAMPAIGN)
    db.session.commit()

    page = html(client, f"{LIST_URL}?kampagne=y")
    assert "5 Beiträge in dieser Auswahl" in page
    group_id = group_of(campaign[0]).id
    assert f"mögliche Kampagne: Gruppe {group_id} (5 Beiträge)" in page
    for answer_id in campaign:
        assert f'href="{LIST_URL}/{answer_id}?kampagne=y"' in page
    for answer_id in care + single:
        assert f'href="{LIST_URL}/{answer_id}?kampagne=y"' not in page


def test_the_recompute_button(client, analyst, app):
    campaign = make_answers(CAMPAIGN)
    response = post_form(client, f"{CAMPAIGNS_URL}/berechnen", {}, CAMPAIGNS_URL)
    assert response.status_code == 302
    assert "Neu berechnet: 5 Beiträge geprüft, 1 vorgeschlagene Gruppen" in html(
        client, CAMPAIGNS_URL
    )
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "process.detect_campaigns")
    )
    assert entry.actor_id == analyst.id and entry.changes["count"] == [None, 5]
    assert group_of(campaign[0]) is not None
    assert "Zuletzt berechnet:" in html(client, CAMPAIGNS_URL)

    app.config["CAMPAIGNS_WEB_MAX_ANSWERS"] = 4
    page = html(client, CAMPAIGNS_URL)
    assert "flask find-campaigns --process mission-fachkraft" in page
    assert "Kampagnen und Hinweise neu berechnen" not in page
    refused = post_form(client, f"{CAMPAIGNS_URL}/berechnen", {}, f"{LIST_URL}")
    assert refused.status_code == 302
    assert "zu viele, um sie hier zu berechnen" in html(client, CAMPAIGNS_URL)
    assert audit_actions().count("process.detect_campaigns") == 1


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_only_analysts_review_groups(app, seeded, make_user, role):
    campaign = make_answers(CAMPAIGN)
    detect()
    group_id = group_of(campaign[0]).id
    other = client_for(app, make_user(role))
    url = f"{CAMPAIGNS_URL}/{group_id}"
    token_page = "/staff/passwort"
    assert other.get(CAMPAIGNS_URL).status_code == 403
    assert other.get(url).status_code == 403
    for action, data in (("entscheidung", {"status": "confirmed"}), ("aufteilen", {})):
        assert post_form(other, f"{url}/{action}", data, token_page).status_code == 403
    assert post_form(other, f"{CAMPAIGNS_URL}/berechnen", {}, token_page).status_code == 403
    assert not group_of(campaign[0]).reviewed
    anonymous = app.test_client()
    assert anonymous.get(url).status_code == 302


def test_unknown_groups_give_404(client, analyst):
    for url in (f"{CAMPAIGNS_URL}/424242", f"{CAMPAIGNS_URL}?prozess=9999"):
        assert client.get(url).status_code == 404, url


# --- Moderation -------------------------------------------------------------------------


def test_the_moderation_queue_shows_hints_and_filters_by_them(app, seeded, make_user):
    spam, abuse, empty, plain = make_answers([SPAM, ABUSE, EMPTY, INDEPENDENT[0]])
    [unchecked] = make_answers([INDEPENDENT[1]])
    quality.check_new_answers(limit=4)
    db.session.commit()
    moderator = client_for(app, make_user(Role.MODERATOR))

    def shown(**filters) -> set[int]:
        page = html(
            moderator, "/staff/moderation?" + "&".join(f"{k}={v}" for k, v in filters.items())
        )
        every = (spam, abuse, empty, plain, unchecked)
        return {i for i in every if f'href="/staff/moderation/{i}"' in page}

    page = html(moderator, "/staff/moderation")
    assert "Hinweis:</strong> möglicherweise Spam – " in page
    assert "Hinweis:</strong> möglicherweise leer – " in page
    assert "Hinweise noch nicht berechnet" in page
    assert "wartend mit Hinweis: 3" in page
    assert shown() == {spam, abuse, empty, plain, unchecked}
    assert shown(hinweise="any") == {spam, abuse, empty}
    assert shown(hinweise="spam") == {spam}
    assert shown(hinweise="abuse") == {abuse}
    assert shown(hinweise="empty") == {empty}
    assert shown(hinweise="none") == {plain}
    assert shown(hinweise="unchecked") == {unchecked}
    assert shown(hinweise="quatsch") == {spam, abuse, empty, plain, unchecked}
    detail = html(moderator, f"/staff/moderation/{abuse}")
    assert "möglicherweise Beleidigung oder Angriff" in detail and "keine Entscheidung" in detail


# --- Export and command line ------------------------------------------------------------


def test_the_export_carries_groups_flags_and_languages(app, seeded, tmp_path):
    campaign = make_answers(CAMPAIGN)
    spam, english = make_answers([SPAM, ENGLISH])
    detect()
    group = group_of(campaign[0])
    quality.decide(None, group, CampaignStatus.CONFIRMED)
    [unchecked] = make_answers([INDEPENDENT[0]])  # after the detection: not checked
    db.session.commit()
    path = tmp_path / "export.zip"
    write_export(path, ExportFormat.PARQUET, ExportFilters(process_id=process().id))
    db.session.commit()

    with zipfile.ZipFile(path) as archive:
        rows = {
            r["answer_id"]: r
            for r in pq.read_table(io.BytesIO(archive.read("answers.parquet"))).to_pylist()
        }
        package = json.loads(archive.read("datapackage.json"))
    assert {rows[i]["campaign_group"] for i in campaign} == {group.id}
    assert {rows[i]["campaign_group_status"] for i in campaign} == {"confirmed"}
    assert rows[spam]["campaign_group"] is None and rows[spam]["campaign_group_status"] is None
    assert "Link oder Domain" in rows[spam]["flag_spam_reason"]
    assert rows[spam]["flag_empty_reason"] is None and rows[spam]["flag_abuse_reason"] is None
    assert rows[english]["language"] == "en" and rows[campaign[0]]["language"] == "de"
    assert rows[unchecked]["language"] is None
    answers = next(r for r in package["resources"] if r["name"] == "answers")
    fields = {f["name"]: f for f in answers["schema"]["fields"]}
    assert fields["campaign_group_status"]["constraints"]["enum"] == [
        "suggested",
        "confirmed",
        "not_campaign",
    ]
    assert "Beleidigung" in fields["flag_abuse_reason"]["description"]
    for name in ("campaign_group", "flag_empty_reason", "flag_spam_reason", "language"):
        assert fields[name]["description"]

    from analysis.io import read_export

    exported = read_export(path)["answers"]
    assert exported.loc[exported["answer_id"] == spam, "flag_spam_reason"].notna().all()


def test_find_campaigns_command(app, seeded, runner):
    campaign = make_answers(CAMPAIGN)
    make_answers([SPAM, ENGLISH])
    result = runner.invoke(args=["find-campaigns", "--process", PROCESS_SLUG])
    assert result.exit_code == 0, result.output
    assert "Prozess „mission-fachkraft“: 7 Antworten geprüft." in result.output
    assert "1 vorgeschlagene Gruppen mit 5 Antworten" in result.output
    assert "1 Spam" in result.output and "Englisch 1" in result.output
    assert group_of(campaign[0]) is not None
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "process.detect_campaigns")
    )
    assert entry.actor_id is None

    unknown = runner.invoke(args=["find-campaigns", "--process", "gibt-es-nicht"])
    assert unknown.exit_code == 1
    assert "Es gibt keinen Prozess „gibt-es-nicht“" in unknown.output


def test_find_campaigns_refuses_a_database_that_is_not_migrated(tmp_path):
    from dialog import create_app

    empty = create_app(make_config(f"sqlite:///{tmp_path / 'leer.sqlite3'}"))
    with empty.app_context():
        result = empty.test_cli_runner().invoke(args=["find-campaigns"])
        db.engine.dispose()
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [
        "Die Datenbank ist nicht auf dem Stand dieser Version: bitte zuerst "
        "„flask db upgrade“ ausführen."
    ]
