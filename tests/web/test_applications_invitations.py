"""Praxiswerkstatt applications and Stakeholder-Hearing invitations."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from dialog.common.clock import now_utc
from dialog.common.permissions import Role
from dialog.events import invitations
from dialog.events.models import Application, Event, Invitation
from dialog.events.rules import (
    ApplicationStatus,
    EventKind,
    RegistrationStatus,
    StakeholderGroup,
)
from dialog.extensions import db
from tests.conftest import csrf_token, post_form
from tests.web.event_helpers import mails_to, make_event, registrations, seats_taken


def application_data(**overrides) -> dict:
    return {
        "company": "Tischlerei Holzwurm GmbH",
        "sector": "Handwerk",
        "size": "small",
        "bundesland": "DE-NI",
        "contact_name": "Petra Paulsen",
        "contact_email": "petra@holzwurm.example",
        "motivation": "Wir bilden seit 30 Jahren aus.",
        "privacy_consent": "y",
        **overrides,
    }


def apply(client, event_id: int, **overrides):
    return post_form(
        client, f"/veranstaltungen/{event_id}/bewerbung", application_data(**overrides)
    )


def applications_of(event_id: int) -> list[Application]:
    db.session.expire_all()
    stmt = sa.select(Application).where(Application.event_id == event_id).order_by(Application.id)
    return list(db.session.scalars(stmt))


def test_company_applies_and_staff_accept_up_to_capacity(client, seeded, make_user, login):
    workshop = make_event(kind=EventKind.PRACTICE_WORKSHOP, capacity=1, title="Werkstatt Pflege")
    assert "Als Unternehmen bewerben" in client.get(f"/veranstaltungen/{workshop.id}").text
    response = apply(client, workshop.id)
    assert response.status_code == 302
    assert "Vielen Dank für Ihre Bewerbung" in client.get(response.headers["Location"]).text
    apply(client, workshop.id, company="Pflegedienst Sonne", contact_email="info@sonne.example")
    first, second = applications_of(workshop.id)
    assert first.status == ApplicationStatus.SUBMITTED
    assert "Bewerbung eingegangen" in mails_to("petra@holzwurm.example")[0].subject

    login(make_user(Role.ADMIN))
    staff_page = f"/staff/veranstaltungen/{workshop.id}"
    assert "Tischlerei Holzwurm GmbH" in client.get(staff_page).text
    decide = f"/staff/veranstaltungen/{workshop.id}/bewerbungen/"
    response = post_form(
        client,
        decide + str(first.id),
        {"decision": "accept", "note": "Bis bald!"},
        form_url=staff_page,
    )
    assert response.status_code == 302
    accepted = mails_to("petra@holzwurm.example")[-1]
    assert accepted.subject.startswith("Zusage")
    assert "Bis bald!" in accepted.body_text
    assert accepted.attachments[0]["content_type"] == "text/calendar"
    # The only seat is taken: a second acceptance is refused with a clear message.
    refused = post_form(
        client, decide + str(second.id), {"decision": "accept"}, form_url=staff_page
    )
    assert "Der einzige Platz ist vergeben" in client.get(refused.headers["Location"]).text
    assert applications_of(workshop.id)[1].status == ApplicationStatus.SUBMITTED
    # Declining the accepted one frees the seat; then the second can be accepted.
    post_form(client, decide + str(first.id), {"decision": "decline"}, form_url=staff_page)
    assert seats_taken(workshop.id) == 0
    assert "keinen Platz anbieten" in mails_to("petra@holzwurm.example")[-1].body_text
    post_form(client, decide + str(second.id), {"decision": "accept"}, form_url=staff_page)
    assert [a.status for a in applications_of(workshop.id)] == [
        ApplicationStatus.DECLINED,
        ApplicationStatus.ACCEPTED,
    ]
    assert seats_taken(workshop.id) == 1


def test_application_form_errors_and_duplicates(client, seeded):
    workshop = make_event(kind=EventKind.PRACTICE_WORKSHOP, capacity=5)
    bad = apply(client, workshop.id, contact_email="nope", motivation="", size="giant")
    assert bad.status_code == 200
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in bad.text
    assert "Bitte beschreiben Sie kurz Ihre Motivation." in bad.text
    assert 'value="Tischlerei Holzwurm GmbH"' in bad.text
    assert applications_of(workshop.id) == []
    assert apply(client, workshop.id).status_code == 302
    again = apply(client, workshop.id, contact_email="PETRA@holzwurm.example")
    assert "liegt bereits eine Bewerbung" in again.text
    assert len(applications_of(workshop.id)) == 1
    # A public Hin.Gehört event takes registrations, not applications.
    dialogue = make_event()
    assert client.get(f"/veranstaltungen/{dialogue.id}/bewerbung").status_code == 404


def issue(admin, event, group=StakeholderGroup.SCIENCE, **kwargs) -> str:
    values = {
        "organisation": "Institut für Arbeitsforschung",
        "group": group,
        "email": "",
        "expires_at": None,
    }
    _invitation, code = invitations.issue(admin, event, **{**values, **kwargs})
    db.session.commit()
    return code


def accept(client, code: str, email: str, **extra):
    url = f"/veranstaltungen/einladung/{code}"
    data = {
        # The code entry page has a form whatever state the invitation is in.
        "csrf_token": csrf_token(client, "/veranstaltungen/einladung"),
        "name": "Prof. Dr. Ada Lovelace",
        "email": email,
        "privacy_consent": "y",
        **extra,
    }
    return client.post(url, data=data)


def test_invitation_link_is_personal_and_single_use(client, seeded, make_user):
    hearing = make_event(kind=EventKind.STAKEHOLDER_HEARING, capacity=10)
    admin = make_user(Role.ADMIN)
    code = issue(admin, hearing, email="buero@institut.example")
    mail = mails_to("buero@institut.example")[0]
    assert code in mail.body_text
    assert f"/veranstaltungen/einladung/{code}" in mail.body_text
    # Without an invitation the form cannot be reached.
    assert client.get(f"/veranstaltungen/{hearing.id}/anmeldung").status_code == 404
    assert client.get("/veranstaltungen/einladung/FALSCH-CODE").status_code == 404
    page = client.get(f"/veranstaltungen/einladung/{code}")
    assert "Institut für Arbeitsforschung" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    # Forwarded to a colleague: the link works once, for whoever uses it first.
    response = accept(client, code, "ada@institut.example")
    assert response.status_code == 302
    [registration] = registrations(hearing.id)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.stakeholder_group == StakeholderGroup.SCIENCE
    assert registration.organisation == "Institut für Arbeitsforschung"
    assert "Anmeldung bestätigt" in mails_to("ada@institut.example")[0].subject
    # Reused: says so, stores nothing.
    reused = client.get(f"/veranstaltungen/einladung/{code}")
    assert reused.status_code == 410
    assert "bereits eingelöst" in reused.text
    assert accept(client, code, "other@institut.example").status_code == 410
    assert len(registrations(hearing.id)) == 1


def test_invitation_codes_typed_by_hand_and_expired_or_revoked(
    client, seeded, make_user, frozen_clock
):
    hearing = make_event(kind=EventKind.STAKEHOLDER_HEARING, capacity=10)
    admin = make_user(Role.ADMIN)
    code = issue(admin, hearing, expires_at=now_utc() + timedelta(days=1))
    typed = code.lower().replace("-", " ")
    response = post_form(client, "/veranstaltungen/einladung", {"code": typed})
    assert response.status_code == 302
    assert "Institut für Arbeitsforschung" in client.get(response.headers["Location"]).text
    revoked_code = issue(admin, hearing)
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.code_hash == invitations.code_hash(revoked_code))
    )
    invitations.revoke(admin, invitation)
    db.session.commit()
    assert "zurückgezogen" in client.get(f"/veranstaltungen/einladung/{revoked_code}").text
    frozen_clock(now_utc() + timedelta(days=2))
    expired = client.get(f"/veranstaltungen/einladung/{code}")
    assert expired.status_code == 410
    assert "abgelaufen" in expired.text


def test_group_quotas_limit_seats(client, seeded, make_user, login):
    hearing = make_event(kind=EventKind.STAKEHOLDER_HEARING, capacity=10)
    admin = make_user(Role.ADMIN)
    login(admin)
    url = f"/staff/veranstaltungen/{hearing.id}/kontingente"
    assert (
        post_form(client, url, {"quota_science": "1", "quota_associations": ""}).status_code == 302
    )
    assert invitations.quotas(db.session.get(Event, hearing.id)) == {StakeholderGroup.SCIENCE: 1}
    first, second = issue(admin, hearing), issue(admin, hearing)
    other_group = issue(admin, hearing, group=StakeholderGroup.ASSOCIATIONS)
    assert accept(client, first, "a@science.example").status_code == 302
    full = accept(client, second, "b@science.example")
    assert full.status_code == 200
    assert "Die Plätze für Ihre Gruppe sind bereits vergeben" in full.text
    assert accept(client, other_group, "c@verband.example").status_code == 302
    assert seats_taken(hearing.id) == 2
    # The unused invitation stays valid for a later free seat of its group.
    assert invitations.invitation_by_code(second).used_at is None


def test_staff_issue_invitations_and_see_the_code_once(client, seeded, make_user, login):
    hearing = make_event(kind=EventKind.STAKEHOLDER_HEARING, capacity=10)
    login(make_user(Role.ADMIN))
    url = f"/staff/veranstaltungen/{hearing.id}/einladungen/neu"
    response = post_form(
        client,
        url,
        {"organisation": "DGB", "group": "social_partners", "email": "", "expires_on": ""},
    )
    assert response.status_code == 200
    assert "Code und Link sehen Sie nur jetzt" in response.text
    staff_page = client.get(f"/staff/veranstaltungen/{hearing.id}").text
    assert "DGB" in staff_page and "gültig" in staff_page
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.code_hash not in staff_page
