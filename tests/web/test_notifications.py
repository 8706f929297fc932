"""Opt-in notifications about results: consent with its version, double opt-in, one mail a
day at most through the outbox with one-click unsubscribing, and the address deleted on
unsubscribing, with the answers and by the purge."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa

from dialog.answers.models import Answer, Submission
from dialog.common import mail
from dialog.common.clock import now_utc, today_local
from dialog.common.mail.models import OutboxMail
from dialog.common.permissions import Role
from dialog.extensions import db
from dialog.notifications import rules, services
from dialog.notifications.models import ResultSubscription
from dialog.process.models import Phase
from dialog.process.rules import PhaseKind
from dialog.recommendations import services as recs
from dialog.recommendations.models import RecommendationStatusChange
from dialog.recommendations.rules import RecommendationStatus as S
from tests.conftest import post_form
from tests.web.answer_helpers import THEME_URL, count, send
from tests.web.recommendation_helpers import make_recommendation, process, set_status

ADDRESS = "leser@example.org"


def answered(client) -> tuple[str, Submission]:
    """Answer the form; the private link's path and the submission."""
    response = send(client, ["Mehr Ganztagsplätze, damit Eltern arbeiten können."])
    own = urlsplit(response.headers["Location"]).path
    submission = db.session.scalar(sa.select(Submission).order_by(Submission.id.desc()))
    return own, submission


def subscribe(client, own: str, **data):
    fields = {"email": ADDRESS, "consent": "y", **data}
    return post_form(client, f"{own}/benachrichtigung", fields, form_url=own)


def links(mail_row: OutboxMail) -> list[str]:
    return [w for w in mail_row.body_text.split() if w.startswith("http")]


def outbox() -> list[OutboxMail]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)))


def confirmed(client, own: str) -> ResultSubscription:
    assert subscribe(client, own).status_code == 302
    [confirm_url, _delete_url] = links(outbox()[-1])
    assert post_form(client, urlsplit(confirm_url).path, {}).status_code == 200
    db.session.expire_all()
    return db.session.scalar(sa.select(ResultSubscription))


def supported_change(analyst, answer: Answer, status=S.PLANNED, at=None) -> None:
    """A published recommendation that the answer supports changes its status."""
    rec = make_recommendation(analyst, f"Empfehlung {status}")
    recs.add_answer(analyst, rec, answer.id)
    set_status(rec, status)
    db.session.add(
        RecommendationStatusChange(
            recommendation_id=rec.id,
            from_status=S.INCLUDED,
            to_status=status,
            public_note="Ein Förderprogramm ist angekündigt.",
            at=at or now_utc(),
        )
    )
    db.session.commit()


def test_an_address_needs_consent_and_a_valid_form_and_keeps_what_was_typed(client, seeded):
    own, _submission = answered(client)
    response = subscribe(client, own, consent="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bitte stimmen Sie zu" in html and f'value="{ADDRESS}"' in html
    response = subscribe(client, own, email="keine-adresse")
    assert response.status_code == 400
    assert "gültige E-Mail-Adresse" in response.get_data(as_text=True)
    assert count(ResultSubscription) == 0 and outbox() == []


def test_double_opt_in_before_anything_is_told(client, seeded, make_user):
    own, submission = answered(client)
    assert subscribe(client, own).status_code == 302
    [row] = outbox()
    assert row.to_address == ADDRESS and "bestätigen" in row.subject
    subscription = db.session.scalar(sa.select(ResultSubscription))
    assert subscription.consent_version == rules.CONSENT_VERSION
    assert subscription.confirmed_at is None
    assert "Bitte bestätigen Sie Ihre Adresse" in client.get(own).get_data(as_text=True)

    analyst = make_user(Role.ANALYST)
    supported_change(analyst, submission.answers[0])
    assert services.send_digests(now_utc()) == 0, "an unconfirmed address is never written to"

    [confirm_url, _delete_url] = links(row)
    path = urlsplit(confirm_url).path
    assert "Ja, Adresse bestätigen" in client.get(path).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ResultSubscription, subscription.id).confirmed_at is None, (
        "opening the link (as a mail scanner does) confirms nothing"
    )
    assert post_form(client, path, {}).status_code == 200
    db.session.expire_all()
    assert db.session.get(ResultSubscription, subscription.id).confirmed_at is not None


def test_one_digest_a_day_with_the_changes_and_one_click_unsubscribing(
    app, client, seeded, make_user, smtp_server
):
    own, submission = answered(client)
    subscription_id = confirmed(client, own).id
    analyst = make_user(Role.ANALYST)
    now = now_utc()
    supported_change(analyst, submission.answers[0], S.PLANNED, at=now + timedelta(minutes=1))
    assert services.send_digests(now + timedelta(minutes=2)) == 1
    db.session.commit()
    assert services.send_digests(now + timedelta(hours=3)) == 0, "nothing new: no mail"
    supported_change(analyst, submission.answers[0], S.IN_PROGRESS, at=now + timedelta(hours=4))
    assert services.send_digests(now + timedelta(hours=5)) == 0, "at most one mail a day"
    assert services.send_digests(now + timedelta(days=1, hours=1)) == 1
    db.session.commit()

    mail.deliver_due()
    first, second = smtp_server.wait_for(3)[1:]  # after the confirmation request
    body = first.get_body(("plain",)).get_content()
    assert "Empfehlung planned" in body and "geplant" in body
    assert "Empfehlung in_progress" in second.get_body(("plain",)).get_content()
    assert "Empfehlung planned" not in second.get_body(("plain",)).get_content()
    unsubscribe = first["List-Unsubscribe"].strip("<>")
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in body

    # RFC 8058: the mail program POSTs, without a CSRF token.
    response = client.post(urlsplit(unsubscribe).path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(ResultSubscription, subscription_id) is None
    assert services.send_digests(now + timedelta(days=3)) == 0
    assert client.post(urlsplit(unsubscribe).path).status_code == 404


def test_the_results_published_are_told_once(client, seeded):
    own, _submission = answered(client)
    confirmed(client, own)
    phase = db.session.scalar(
        sa.select(Phase).where(Phase.process_id == process().id, Phase.kind == PhaseKind.RESULTS)
    )
    phase.starts_on, phase.ends_on = today_local(), today_local() + timedelta(days=90)
    db.session.commit()
    assert services.send_digests(now_utc()) == 1
    db.session.commit()
    assert "Ergebnisse des Zukunftsdialogs sind veröffentlicht" in outbox()[-1].body_text
    assert services.send_digests(now_utc() + timedelta(days=2)) == 0


def test_deleting_the_answers_deletes_the_address_and_its_pending_mails(client, seeded):
    own, _submission = answered(client)
    assert subscribe(client, own).status_code == 302
    assert count(ResultSubscription) == 1 and len(outbox()) == 1
    assert post_form(client, f"{own}/loeschen", {}).status_code == 302
    assert count(ResultSubscription) == 0 and outbox() == []


def test_a_new_address_replaces_the_old_one(client, seeded):
    own, _submission = answered(client)
    subscribe(client, own)
    subscribe(client, own, email="neu@example.org")
    assert [s.email for s in db.session.scalars(sa.select(ResultSubscription))] == [
        "neu@example.org"
    ]
    assert [m.to_address for m in outbox()] == ["neu@example.org"]


def test_the_purge_deletes_unconfirmed_and_old_addresses(app, client, seeded):
    own, _submission = answered(client)
    subscription = confirmed(client, own)
    other_own, _other = answered(client)
    subscribe(client, other_own)
    now = now_utc()
    assert services.purge(now) == 0
    later = now + timedelta(days=app.config["NOTIFICATION_CONFIRM_DAYS"] + 1)
    assert services.purge(later) == 1  # the unconfirmed one
    db.session.commit()
    assert [s.id for s in db.session.scalars(sa.select(ResultSubscription))] == [subscription.id]
    much_later = now + timedelta(days=app.config["NOTIFICATION_RETENTION_DAYS"] + 1)
    assert services.purge(much_later) == 1
    db.session.commit()
    assert count(ResultSubscription) == 0


def test_unknown_links_get_a_german_page(client, seeded):
    for path in ("/benachrichtigung/unbekannt/bestaetigen", "/benachrichtigung/x/abmelden"):
        response = client.get(path)
        assert response.status_code == 404
        assert "keine Adresse (mehr) gespeichert" in response.get_data(as_text=True)
    data = {"email": ADDRESS, "consent": "y"}
    response = post_form(client, "/beitrag/unbekannt/benachrichtigung", data, form_url=THEME_URL)
    assert response.status_code == 404


def test_expiry_rule():
    now = now_utc()
    kw = {"confirm_days": 7, "retention_days": 730}
    assert not rules.expired(now - timedelta(days=6), None, now, **kw)
    assert rules.expired(now - timedelta(days=8), None, now, **kw)
    assert not rules.expired(now - timedelta(days=800), now - timedelta(days=700), now, **kw)
    assert rules.expired(now - timedelta(days=800), now - timedelta(days=731), now, **kw)
    assert rules.digest_due(None, now) and not rules.digest_due(now - timedelta(hours=23), now)


def test_an_address_can_be_left_when_answering(client, seeded):
    response = send(
        client,
        ["Mehr Ganztagsplätze, damit Eltern arbeiten können."],
        notify_email=ADDRESS,
        notify_consent="y",
    )
    assert response.status_code == 302
    subscription = db.session.scalar(sa.select(ResultSubscription))
    assert subscription.email == ADDRESS
    assert subscription.consent_version == rules.CONSENT_VERSION
    assert subscription.confirmed_at is None
    [row] = outbox()
    assert row.to_address == ADDRESS


def test_an_address_without_consent_or_consent_without_address_keeps_the_answers(client, seeded):
    text = "Mehr Ganztagsplätze, damit Eltern arbeiten können."
    response = send(client, [text], notify_email=ADDRESS)
    html = response.get_data(as_text=True)
    assert response.status_code == 200  # the form again, as for every error of the answer form
    assert "Bitte stimmen Sie zu, damit wir Sie benachrichtigen dürfen." in html
    assert text in html and f'value="{ADDRESS}"' in html
    response = send(client, [text], notify_consent="y")
    assert "an die wir schreiben sollen" in response.get_data(as_text=True)
    response = send(client, [text], notify_email="kein-at", notify_consent="y")
    assert "gültige E-Mail-Adresse" in response.get_data(as_text=True)
    assert count(ResultSubscription) == 0 and count(Submission) == 0 and outbox() == []
