"""Events in a real browser, with real mail: register → mail → confirm → .ics → cancel, and the
first on the waitlist moves up and is told so. With and without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from dialog.common import mail
from dialog.common.clock import now_utc
from dialog.common.regions import Bundesland
from dialog.events.models import Event, Registration
from dialog.events.rules import EventKind, EventStatus, RegistrationStatus
from dialog.extensions import db
from dialog.process.models import Process
from tests.browser.conftest import new_context
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import SMTPServer, free_port, links

pytestmark = pytest.mark.browser


@pytest.fixture
def smtp_server(live_server) -> Iterator[SMTPServer]:
    """A loopback SMTP server that the live server's outbox delivers to (the live server has
    its own app, so this replaces the conftest fixture of the same name)."""
    controller = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is not installed")
    server = SMTPServer(controller.Controller, free_port())
    server.start()
    saved = dict(live_server.app.config)
    live_server.app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SERVER=server.host,
        MAIL_PORT=server.port,
        MAIL_USERNAME="",
        PUBLIC_URL=live_server.base_url,  # links in mails lead to this server
    )
    yield server
    live_server.app.config.update(saved)
    server.stop()


def deliver(live_server) -> None:
    """What `flask send-mail` does, once."""
    with live_server.app.app_context():
        mail.deliver_due()
        db.session.commit()


@pytest.fixture
def small_event(live_server) -> int:
    with live_server.app.app_context():
        process = db.session.scalar(sa.select(Process))
        starts = now_utc().replace(microsecond=0) + timedelta(days=20)
        event = Event(
            process_id=process.id,
            kind=EventKind.CITIZEN_DIALOGUE,
            status=EventStatus.PUBLISHED,
            title="Hin.Gehört. im Browser",
            city="Musterstadt",
            bundesland=Bundesland.SN,
            venue="Bürgerhaus",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            capacity=1,
            seats_taken=0,
        )
        event.theme_fields = list(process.theme_fields)
        db.session.add(event)
        db.session.commit()
        return event.id


def register_in_browser(page, live_server, event_id: int, name: str, address: str) -> None:
    page.goto(live_server.url(f"/veranstaltungen/{event_id}"))
    page.get_by_role("link", name=re.compile("Jetzt anmelden|Auf die Warteliste")).click()
    page.get_by_label("Vor- und Nachname").fill(name)
    page.get_by_label("E-Mail-Adresse").fill(address)
    page.get_by_label("Bundesland").select_option("DE-SN")
    page.get_by_label("Unterstützungsbedarf").fill("Induktionsschleife")
    page.get_by_label(re.compile("Ich habe die Datenschutzerklärung gelesen")).check()
    page.get_by_role("button", name="Anmeldung absenden").click()
    page.get_by_role("heading", name="Bitte prüfen Sie Ihr Postfach").wait_for()


def mails_to(smtp_server: SMTPServer, address: str) -> list:
    return [m for m in smtp_server.messages if m["To"] == address]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_register_confirm_download_cancel_and_the_waitlist_moves_up(
    browser, live_server, smtp_server, small_event, javascript
):
    context = new_context(browser, java_script_enabled=javascript, accept_downloads=True)
    first, second = context.new_page(), context.new_page()
    try:
        register_in_browser(first, live_server, small_event, "Erika Muster", "erika@example.org")
        register_in_browser(second, live_server, small_event, "Max Warte", "max@example.org")
        deliver(live_server)
        smtp_server.wait_for(2)
        [held] = mails_to(smtp_server, "erika@example.org")
        [waiting] = mails_to(smtp_server, "max@example.org")
        assert "Bitte bestätigen Sie Ihre Anmeldung" in held["Subject"]
        assert "Warteliste" in waiting["Subject"]
        assert held.get_body(("html",)) is not None  # text and HTML

        # Confirm with the link from the mail.
        manage = next(u for u in links(held) if "/veranstaltungen/anmeldung/" in u)
        first.goto(manage)
        first.get_by_role("button", name="Anmeldung bestätigen").click()
        first.get_by_text("Ihre Anmeldung ist bestätigt").first.wait_for()
        if javascript:
            assert_accessible(first)
        deliver(live_server)
        confirmation = smtp_server.wait_for(3)[-1]
        assert "Anmeldung bestätigt" in confirmation["Subject"]
        [ics] = [
            p for p in confirmation.iter_attachments() if p.get_content_type() == "text/calendar"
        ]
        assert "Hin.Gehört. im Browser" in ics.get_content()

        # The .ics from the page.
        with first.expect_download() as download:
            first.get_by_role("link", name="Termin in den Kalender übernehmen (.ics)").click()
        assert download.value.suggested_filename.endswith(".ics")

        # Cancel with the link from the mail: one click plus confirmation.
        cancel = next(u for u in links(confirmation) if u.endswith("/abmelden"))
        first.goto(cancel)
        first.get_by_role("button", name="Ja, abmelden").click()
        first.get_by_role("heading", name="Sie sind abgemeldet").wait_for()
        deliver(live_server)
        smtp_server.wait_for(5)
        promoted = mails_to(smtp_server, "max@example.org")[-1]
        assert "Ein Platz ist frei geworden" in promoted["Subject"]
        with live_server.app.app_context():
            regs = db.session.scalars(
                sa.select(Registration)
                .where(Registration.event_id == small_event)
                .order_by(Registration.id)
            ).all()
            assert [r.status for r in regs] == [
                RegistrationStatus.CANCELLED,
                RegistrationStatus.HELD,
            ]
            assert regs[0].email is None and regs[0].support_needs is None
    finally:
        context.close()
        with live_server.app.app_context():
            db.session.execute(sa.delete(Registration).where(Registration.event_id == small_event))
            db.session.execute(sa.delete(Event).where(Event.id == small_event))
            db.session.commit()


def test_calendar_and_registration_by_keyboard(page, live_server):
    page.goto(live_server.url("/veranstaltungen?art=citizen_dialogue"))
    assert_accessible(page)
    link = page.get_by_role("link", name="Hin.Gehört. in Ettlingen")
    link.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Hin.Gehört. in Ettlingen").wait_for()
    assert "Stadthalle Ettlingen" in page.content()
