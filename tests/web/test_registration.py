"""Registration for a Hin.Gehört event: held seats, double opt-in, waitlist, expiry, cancelling."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from dialog.common import mail
from dialog.common.clock import now_utc
from dialog.events import services
from dialog.events.models import Event, Registration
from dialog.events.rules import EventStatus, RegistrationStatus
from dialog.extensions import db
from tests.conftest import csrf_token
from tests.web.event_helpers import (
    assert_seats_consistent,
    link_in,
    mails_to,
    make_event,
    register,
    registrations,
    seats_taken,
    statuses,
    text_of,
)


def confirm(client, path: str):
    return client.post(path, data={"csrf_token": csrf_token(client, path)})


def test_registering_holds_a_seat_and_mails_the_confirmation_link(client, seeded):
    event = make_event(capacity=2)
    response = register(client, event.id, "Erika@Example.org", organisation="Verein e. V.")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/veranstaltungen/{event.id}/anmeldung/gesendet")
    assert "Bitte prüfen Sie Ihr Postfach" in client.get(response.headers["Location"]).text
    [registration] = registrations(event.id)
    assert registration.status == RegistrationStatus.HELD
    assert registration.email == "erika@example.org"
    assert registration.hold_expires_at is not None
    assert registration.privacy_consent_at is not None
    assert seats_taken(event.id) == 1
    [mail] = mails_to("erika@example.org")
    assert "Bitte bestätigen Sie Ihre Anmeldung" in mail.subject
    assert "Hin.Gehört. in Teststadt" in text_of(mail)
    manage = link_in(mail, "/veranstaltungen/anmeldung/")
    assert "/abmelden" in text_of(mail)  # every mail carries a cancellation link

    page = client.get(manage)
    assert page.status_code == 200
    assert "Anmeldung bestätigen" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert confirm(client, manage).status_code == 302
    [registration] = registrations(event.id)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.email_confirmed_at is not None
    assert registration.hold_expires_at is None
    confirmation = mails_to("erika@example.org")[-1]
    assert "Anmeldung bestätigt" in confirmation.subject
    [ics] = confirmation.attachments
    assert ics["content_type"] == "text/calendar"
    assert_seats_consistent(event.id)


def test_full_event_puts_people_on_the_waitlist_in_order_of_arrival(client, seeded):
    event = make_event(capacity=2)
    for i in range(5):
        assert register(client, event.id, f"person{i}@example.org").status_code == 302
    assert statuses(event.id) == [RegistrationStatus.HELD] * 2 + [RegistrationStatus.WAITLISTED] * 3
    assert seats_taken(event.id) == 2
    mail = mails_to("person3@example.org")[0]
    assert "Warteliste" in mail.subject
    page = client.get(link_in(mail, "/veranstaltungen/anmeldung/"))
    assert "Platz 2 der Warteliste" in page.text
    assert "Auf die Warteliste" in client.get(f"/veranstaltungen/{event.id}").text


def test_cancelling_gives_the_seat_to_the_first_on_the_waitlist_and_deletes_the_data(
    client, seeded
):
    event = make_event(capacity=1)
    register(client, event.id, "first@example.org", support_needs="Rollstuhlplatz")
    register(client, event.id, "second@example.org")
    register(client, event.id, "third@example.org")
    cancel_path = link_in(mails_to("first@example.org")[0], "/abmelden")
    manage = link_in(mails_to("first@example.org")[0], "/veranstaltungen/anmeldung/")
    page = client.get(cancel_path)
    assert "Von der Veranstaltung abmelden?" in page.text
    assert client.get(cancel_path).status_code == 200  # looking does not cancel
    assert statuses(event.id)[0] == RegistrationStatus.HELD

    done = client.post(cancel_path, data={"csrf_token": csrf_token(client, cancel_path)})
    assert "Sie sind abgemeldet" in done.text
    first, second, third = registrations(event.id)
    assert first.status == RegistrationStatus.CANCELLED
    assert (first.name, first.email, first.organisation, first.support_needs) == (None,) * 4
    assert first.personal_data_deleted_at is not None
    # The next in line now holds the seat and must confirm it; the third still waits.
    assert second.status == RegistrationStatus.HELD
    assert second.promoted_at is not None
    assert third.status == RegistrationStatus.WAITLISTED
    assert "Ein Platz ist frei geworden" in mails_to("second@example.org")[-1].subject
    assert "Abmeldung bestätigt" in mails_to("first@example.org")[-1].subject
    assert_seats_consistent(event.id)
    # The old link still answers, without personal data.
    assert "Diese Anmeldung ist beendet" in client.get(manage).text


def test_a_waitlisted_person_with_a_confirmed_address_gets_the_seat_confirmed(client, seeded):
    event = make_event(capacity=1)
    register(client, event.id, "first@example.org")
    register(client, event.id, "second@example.org")
    assert (
        confirm(client, link_in(mails_to("second@example.org")[0], "/anmeldung/")).status_code
        == 302
    )
    assert registrations(event.id)[1].email_confirmed_at is not None
    assert registrations(event.id)[1].status == RegistrationStatus.WAITLISTED

    services.cancel(registrations(event.id)[0])
    db.session.commit()
    second = registrations(event.id)[1]
    assert second.status == RegistrationStatus.CONFIRMED
    promoted = mails_to("second@example.org")[-1]
    assert promoted.attachments and promoted.attachments[0]["content_type"] == "text/calendar"
    assert_seats_consistent(event.id)


def test_unconfirmed_holds_expire_and_free_their_seat(app, client, seeded, frozen_clock):
    event = make_event(capacity=1)
    register(client, event.id, "slow@example.org")
    register(client, event.id, "waiting@example.org")
    manage = link_in(mails_to("slow@example.org")[0], "/veranstaltungen/anmeldung/")
    hours = app.config["REGISTRATION_HOLD_HOURS"]
    frozen_clock(now_utc() + timedelta(hours=hours, minutes=1))

    assert services.expire_holds(now_utc()) == 1
    db.session.commit()
    slow, waiting = registrations(event.id)
    assert slow.status == RegistrationStatus.EXPIRED
    assert slow.email is None
    assert waiting.status == RegistrationStatus.HELD
    assert "Reservierung abgelaufen" in mails_to("slow@example.org")[-1].subject
    # The link now says what happened.
    assert "nicht rechtzeitig bestätigt" in client.get(manage).text
    assert registrations(event.id)[0].status == RegistrationStatus.EXPIRED
    assert_seats_consistent(event.id)


def test_confirming_after_the_hold_ran_out_expires_it_then(app, client, seeded, frozen_clock):
    event = make_event(capacity=1)
    register(client, event.id, "late@example.org")
    manage = link_in(mails_to("late@example.org")[0], "/veranstaltungen/anmeldung/")
    frozen_clock(now_utc() + timedelta(hours=app.config["REGISTRATION_HOLD_HOURS"] + 1))
    response = confirm(client, manage)
    assert response.status_code == 200
    assert "Reservierung abgelaufen" in response.text
    assert statuses(event.id) == [RegistrationStatus.EXPIRED]
    assert seats_taken(event.id) == 0


def test_registering_an_address_twice_sends_the_link_again_without_saying_so(client, seeded):
    event = make_event(capacity=5)
    first = register(client, event.id, "twice@example.org")
    second = register(client, event.id, "TWICE@example.org ", name="Someone Else")
    assert first.headers["Location"] == second.headers["Location"]
    assert len(registrations(event.id)) == 1
    assert seats_taken(event.id) == 1
    mails = mails_to("twice@example.org")
    assert len(mails) == 2
    assert "bereits angemeldet" in text_of(mails[1])
    # The same personal link, so the first mail's link keeps working.
    assert link_in(mails[0], "/anmeldung/") == link_in(mails[1], "/anmeldung/")


def test_invalid_input_gets_german_messages_and_keeps_what_was_typed(client, seeded):
    event = make_event()
    url = f"/veranstaltungen/{event.id}/anmeldung"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "name": "Erika Muster",
            "email": "keine-adresse",
            "support_needs": "Gebärdensprache",
        },
    )
    assert response.status_code == 200
    html = response.text
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in html
    assert "Bitte stimmen Sie der Datenschutzerklärung zu" in html
    assert 'value="Erika Muster"' in html
    assert "Gebärdensprache</textarea>" in html
    assert registrations(event.id) == []


def test_honeypot_and_hostile_input(client, seeded):
    event = make_event()
    bot = register(client, event.id, "bot@example.org", website="http://spam.example")
    assert bot.status_code == 200
    assert registrations(event.id) == []
    name = "<script>alert(1)</script>\u202eevil"
    register(client, event.id, "x@example.org", name=name, organisation="' OR 1=1 --")
    [registration] = registrations(event.id)
    assert registration.name == name  # stored as typed; shown escaped
    manage = link_in(mails_to("x@example.org")[0], "/veranstaltungen/anmeldung/")
    html = client.get(manage).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_registration_window_and_kinds(client, seeded):
    open_event = make_event()
    token = csrf_token(client, f"/veranstaltungen/{open_event.id}/anmeldung")
    closed = make_event(registration_closes_at=now_utc() - timedelta(minutes=1))
    page = client.get(f"/veranstaltungen/{closed.id}/anmeldung")
    assert "derzeit nicht möglich" in page.text
    data = {"csrf_token": token, "name": "A", "email": "a@example.org", "privacy_consent": "y"}
    assert client.post(f"/veranstaltungen/{closed.id}/anmeldung", data=data).status_code == 200
    assert registrations(closed.id) == []
    assert "Die Anmeldung ist geschlossen" in client.get(f"/veranstaltungen/{closed.id}").text

    draft = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/veranstaltungen/{draft.id}").status_code == 404
    assert client.get(f"/veranstaltungen/{draft.id}/anmeldung").status_code == 404

    from dialog.events.rules import EventKind

    congress = make_event(kind=EventKind.CONGRESS, capacity=None)
    assert client.get(f"/veranstaltungen/{congress.id}/anmeldung").status_code == 404
    assert (
        "keine Anmeldung über diese Website" in client.get(f"/veranstaltungen/{congress.id}").text
    )


def test_unknown_or_malformed_links_are_404(client, seeded):
    assert client.get("/veranstaltungen/anmeldung/unbekannt").status_code == 404
    assert client.get("/veranstaltungen/anmeldung/" + "a" * 500).status_code == 404
    assert client.get("/veranstaltungen/999999").status_code == 404
    assert client.get("/veranstaltungen/99999999999999999999").status_code == 404


def test_raising_the_capacity_promotes_the_waitlist(client, seeded, make_user):
    from dialog.common.permissions import Role

    event = make_event(capacity=1)
    for i in range(3):
        register(client, event.id, f"p{i}@example.org")
    admin = make_user(Role.ADMIN)
    stored = db.session.get(Event, event.id)
    services.save_event(admin, stored, {"capacity": 2, "process_id": event.process_id}, [])
    db.session.commit()
    assert statuses(event.id) == [
        RegistrationStatus.HELD,
        RegistrationStatus.HELD,
        RegistrationStatus.WAITLISTED,
    ]
    assert "Ein Platz ist frei geworden" in mails_to("p1@example.org")[-1].subject
    assert_seats_consistent(event.id)


def test_cancelled_event_notifies_everyone_and_deletes_their_data(client, seeded, make_user):
    from dialog.common.permissions import Role

    event = make_event(capacity=1)
    register(client, event.id, "a@example.org")
    register(client, event.id, "b@example.org")
    admin = make_user(Role.ADMIN)
    assert services.cancel_event(admin, db.session.get(Event, event.id), "Sturmwarnung") == 2
    db.session.commit()
    assert statuses(event.id) == [RegistrationStatus.CANCELLED] * 2
    assert all(r.email is None for r in registrations(event.id))
    for address in ("a@example.org", "b@example.org"):
        mail = mails_to(address)[-1]
        assert "Abgesagt" in mail.subject
        assert "Sturmwarnung" in text_of(mail)
    assert seats_taken(event.id) == 0
    page = client.get(f"/veranstaltungen/{event.id}")
    assert "Diese Veranstaltung ist abgesagt" in page.text
    assert "Sturmwarnung" in page.text
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Registration))
    assert count == 2


# --- the first mail, rendered by the worker -------------------------------------------------


def test_the_first_mail_is_rendered_by_the_worker_with_the_registrations_links(
    app, client, seeded, smtp_server
):
    event = make_event(capacity=1)
    register(client, event.id, "held@example.org", name="Hanna Held")
    register(client, event.id, "waiting@example.org", name="Wim Wartend")
    queued = mails_to("held@example.org") + mails_to("waiting@example.org")
    # Nothing is rendered in the request: the worker does it when it sends.
    assert [(m.template, m.body_text, m.body_html) for m in queued] == [
        ("events/registration_held", None, None),
        ("events/registration_waitlisted", None, None),
    ]

    assert mail.deliver_due().sent == 2

    held, waiting = smtp_server.wait_for(2)
    assert held["Subject"] == "Bitte bestätigen Sie Ihre Anmeldung: Hin.Gehört. in Teststadt"
    assert "Hanna Held" in held.get_body(("plain",)).get_content()
    assert "Hanna Held" in held.get_body(("html",)).get_content()
    manage = next(u for u in smtp_server.links(held) if "/veranstaltungen/anmeldung/" in u)
    confirm(client, "/" + manage.split("/", 3)[3])
    assert statuses(event.id)[0] == RegistrationStatus.CONFIRMED
    assert waiting["Subject"] == "Warteliste: Hin.Gehört. in Teststadt"
    assert "Wim Wartend" in waiting.get_body(("plain",)).get_content()
    # Rendered once and kept: a retry sends the same text.
    for row in mails_to("held@example.org")[:1] + mails_to("waiting@example.org"):
        assert row.status == mail.MailStatus.SENT
        assert row.body_text and row.body_html
    assert (
        text_of(mails_to("waiting@example.org")[0]) == mails_to("waiting@example.org")[0].body_text
    )


def test_a_first_mail_whose_registration_is_gone_is_dropped_and_the_rest_go_out(
    app, client, seeded, smtp_server, runner
):
    event = make_event(capacity=3)
    register(client, event.id, "stays@example.org")
    register(client, event.id, "erased@example.org")
    # Gone before the worker ran, e.g. with its event, which staff deleted.
    db.session.execute(sa.delete(Registration).where(Registration.email == "erased@example.org"))
    db.session.commit()

    result = runner.invoke(args=["send-mail"])

    assert "Mail: 1 sent, 0 to retry, 0 failed, 1 dropped" in result.output
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "stays@example.org"
    assert mails_to("erased@example.org") == []  # nothing of it is kept
    assert mail.deliver_due().total == 0


def test_a_mail_that_cannot_be_rendered_fails_alone(app, client, seeded, smtp_server, caplog):
    event = make_event(capacity=3)
    register(client, event.id, "broken@example.org")
    register(client, event.id, "fine@example.org")
    [broken] = mails_to("broken@example.org")
    broken.template = "events/no_such_template"
    db.session.commit()

    report = mail.deliver_due()

    assert (report.sent, report.failed) == (1, 1)
    assert [m["To"] for m in smtp_server.wait_for(1)] == ["fine@example.org"]
    [row] = mails_to("broken@example.org")
    assert row.status == mail.MailStatus.FAILED
    assert "TemplateNotFound" in row.last_error
    assert f"Mail {row.id} cannot be rendered" in caplog.text


def test_a_registration_sent_after_the_event_was_cancelled_stores_nothing(app, client, seeded):
    # The form's checks use a snapshot of the event, kept as long as the cached pages.
    app.config["PAGE_CACHE_SECONDS"] = 60
    event = make_event(capacity=3)
    url = f"/veranstaltungen/{event.id}/anmeldung"
    token = csrf_token(client, url)
    event.status = EventStatus.CANCELLED
    db.session.commit()

    response = client.post(
        url,
        data={
            "csrf_token": token,
            "name": "Spät Dran",
            "email": "spaet@example.org",
            "privacy_consent": "y",
        },
    )

    assert response.status_code == 200
    assert "eine Anmeldung derzeit nicht möglich" in response.text
    assert registrations(event.id) == []
    assert seats_taken(event.id) == 0
    assert mails_to("spaet@example.org") == []
