"""Stakeholder-Hearings: personal single-use invitations and seat quotas per stakeholder group.

Services flush but never commit; views commit once per request.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from dialog.common import audit, mail
from dialog.common.clock import now_utc
from dialog.events.models import Event, EventQuota, Invitation, Registration
from dialog.events.rules import (
    InvitationState,
    RegistrationStatus,
    StakeholderGroup,
    within_quota,
)
from dialog.events.services import (
    NoSeatsLeft,
    Registrant,
    claim_seat,
    lock_event,
    mail_registration,
    normalise_email,
    token_hash,
)
from dialog.events.services import link_token as registration_link_token
from dialog.extensions import db

# Codes are typed from paper too: no 0/O, 1/I/L. 16 characters of 31 carry 79 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def invitation_by_code(code: str) -> Invitation | None:
    if not code or len(code) > 64:
        return None
    return db.session.scalar(sa.select(Invitation).where(Invitation.code_hash == code_hash(code)))


def issue(
    actor,
    event: Event,
    *,
    organisation: str,
    group: StakeholderGroup,
    email: str,
    expires_at: datetime | None,
) -> tuple[Invitation, str]:
    """A new invitation; returns it with its code, which is shown once and never stored.

    With an e-mail address, the personal link is mailed as well.
    """
    code = new_code()
    invitation = Invitation(
        event=event,
        organisation=organisation.strip(),
        group=group,
        email=normalise_email(email) or None,
        code_hash=code_hash(code),
        expires_at=expires_at,
        created_by_id=actor.id,
    )
    db.session.add(invitation)
    audit.record(actor, "invitation.issue", invitation, {"organisation": [None, organisation]})
    if invitation.email:
        mail.queue(
            invitation.email,
            _l("Einladung: %(title)s", title=event.title),
            "events/invitation",
            reference=f"invitation:{invitation.id}",
            invitation=invitation,
            event=event,
            code=code,
            invitation_url=mail.external_url("events.accept_invitation", code=code),
            event_url=mail.external_url("events.show_event", event_id=event.id),
        )
    return invitation, code


def revoke(actor, invitation: Invitation) -> None:
    if invitation.used_at is None and invitation.revoked_at is None:
        invitation.revoked_at = now_utc()
        audit.record(actor, "invitation.revoke", invitation)


def invitations(event: Event) -> list[Invitation]:
    stmt = sa.select(Invitation).where(Invitation.event_id == event.id).order_by(Invitation.id)
    return list(db.session.scalars(stmt))


def quotas(event: Event) -> dict[StakeholderGroup, int]:
    rows = db.session.scalars(sa.select(EventQuota).where(EventQuota.event_id == event.id))
    return {q.group: q.seats for q in rows}


def set_quotas(actor, event: Event, seats: Mapping[StakeholderGroup, int | None]) -> None:
    """Reserve seats per group; None or an empty field removes a group's quota."""
    current = {
        q.group: q
        for q in db.session.scalars(sa.select(EventQuota).where(EventQuota.event_id == event.id))
    }
    changes = {}
    for group, value in seats.items():
        quota = current.get(group)
        old = quota.seats if quota else None
        if value is None and quota is not None:
            db.session.delete(quota)
        elif value is not None and quota is None:
            db.session.add(EventQuota(event_id=event.id, group=group, seats=value))
        elif value is not None and quota is not None:
            quota.seats = value
        if old != value:
            changes[group.value] = [old, value]
    if changes:
        audit.record(actor, "event.quotas", event, changes)


def group_seats_taken(event_id: int, group: StakeholderGroup) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Registration)
            .where(
                Registration.event_id == event_id,
                Registration.stakeholder_group == group,
                Registration.status.in_([RegistrationStatus.HELD, RegistrationStatus.CONFIRMED]),
            )
        )
        or 0
    )


class InvitationUnusable(Exception):
    def __init__(self, state: InvitationState) -> None:
        super().__init__(state.value)
        self.state = state


class QuotaExhausted(Exception):
    """Every seat reserved for the invitation's stakeholder group is taken."""


def register_invited(invitation: Invitation, person: Registrant) -> Registration:
    """Use an invitation: a confirmed seat, within the capacity and the group's quota."""
    now = now_utc()
    lock_event(invitation.event_id)  # after this, nobody else uses seats or this invitation
    db.session.refresh(invitation)
    if invitation.state != InvitationState.VALID:
        raise InvitationUnusable(invitation.state)
    quota = quotas(invitation.event).get(invitation.group)
    if not within_quota(quota, group_seats_taken(invitation.event_id, invitation.group)):
        raise QuotaExhausted
    if not claim_seat(invitation.event_id):
        raise NoSeatsLeft
    registration = Registration(
        event=invitation.event,
        status=RegistrationStatus.CONFIRMED,
        name=person.name.strip(),
        email=normalise_email(person.email),
        organisation=person.organisation.strip() or invitation.organisation,
        bundesland=person.bundesland,
        support_needs=person.support_needs.strip() or None,
        privacy_consent_at=now,
        link_salt=secrets.token_hex(16),
        invitation=invitation,
        stakeholder_group=invitation.group,
    )
    registration.token_hash = token_hash(registration_link_token(registration))
    invitation.used_at = now
    db.session.add(registration)
    db.session.flush()
    mail_registration(
        registration,
        "events/registration_confirmed",
        _l("Anmeldung bestätigt: %(title)s", title=invitation.event.title),
        with_ics=True,
    )
    return registration
