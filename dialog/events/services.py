"""Events, the calendar, and registrations with held seats, a waitlist and double opt-in.

Services flush but never commit; views commit once per request.

Seats are counted in `Event.seats_taken` and changed only by conditional UPDATEs
(`seats_taken < capacity`), so that no interleaving of requests, processes or hosts can
overbook. Every change of seats first takes `lock_event` (PostgreSQL: the event's row; SQLite:
its single write lock), so that what the transaction reads next, such as the waitlist, cannot
change under it: a freed seat and a new entry on the waitlist never pass each other.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from dialog.common import audit, mail, pagecache
from dialog.common.clock import now_utc
from dialog.common.models import insert_new
from dialog.common.regions import Bundesland
from dialog.events import calendar
from dialog.events.models import Application, Event, Invitation, Registration, window_now
from dialog.events.rules import (
    ACTIVE_STATUSES,
    EventKind,
    EventStatus,
    RegistrationStatus,
    WindowState,
    hold_deadline,
)
from dialog.extensions import db
from dialog.process.models import ThemeField

CALENDAR_PAGE_SIZE = 25


# --- the public calendar ---------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarFilters:
    kind: EventKind | None = None
    bundesland: Bundesland | None = None
    theme_field_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    past: bool = False  # past events instead of upcoming ones


def _public_events(filters: CalendarFilters, now: datetime) -> sa.Select:
    stmt = sa.select(Event).where(Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]))
    stmt = stmt.where(Event.ends_at <= now if filters.past else Event.ends_at > now)
    if filters.kind:
        stmt = stmt.where(Event.kind == filters.kind)
    if filters.bundesland:
        stmt = stmt.where(Event.bundesland == filters.bundesland)
    if filters.theme_field_id:
        stmt = stmt.where(Event.theme_fields.any(ThemeField.id == filters.theme_field_id))
    if filters.date_from:
        stmt = stmt.where(Event.ends_at >= calendar.start_of_day(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(Event.starts_at < calendar.start_of_day(filters.date_to, days_later=1))
    return stmt


def calendar_page(filters: CalendarFilters, page: int) -> tuple[list[Event], int]:
    """One page of the calendar (upcoming: soonest first; past: latest first) and the total."""
    stmt = _public_events(filters, now_utc())
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    order = (
        (Event.starts_at.desc(), Event.id.desc()) if filters.past else (Event.starts_at, Event.id)
    )
    events = db.session.scalars(
        stmt.order_by(*order).limit(CALENDAR_PAGE_SIZE).offset((page - 1) * CALENDAR_PAGE_SIZE)
    ).all()
    return list(events), total


def feed_events(filters: CalendarFilters) -> list[Event]:
    """Events for the iCalendar feed: upcoming ones and those of the last 90 days."""
    now = now_utc()
    stmt = _public_events(replace(filters, past=False), now - timedelta(days=90))
    return list(db.session.scalars(stmt.order_by(Event.starts_at, Event.id).limit(2000)))


def public_event(event_id: int, include_drafts: bool = False) -> Event | None:
    event = db.session.get(Event, event_id)
    if event is None or (event.status == EventStatus.DRAFT and not include_drafts):
        return None
    return event


@dataclass(frozen=True)
class ThemeChoice:
    id: int
    title: str


@dataclass(frozen=True)
class EventForRegistration:
    """An event as sending the registration form needs it (see `event_for_registration`)."""

    id: int
    kind: EventKind
    status: EventStatus
    title: str
    starts_at: datetime
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    theme_fields: tuple[ThemeChoice, ...]  # the Dialoginseln to choose from

    @property
    def window(self) -> WindowState:
        return window_now(self)


def event_for_registration(
    event_id: int, include_drafts: bool = False
) -> EventForRegistration | None:
    """The event as a registration needs it; may be as old as the cached pages.

    In a registration storm every request needs it, so it is not read for each one (the
    registration form's page is cached as long). Whether the event is still published is
    checked again, in the database, when the registration is stored (`register`).
    """

    def load() -> EventForRegistration | None:
        event = public_event(event_id, include_drafts)
        if event is None:
            return None
        return EventForRegistration(
            id=event.id,
            kind=event.kind,
            status=event.status,
            title=event.title,
            starts_at=event.starts_at,
            registration_opens_at=event.registration_opens_at,
            registration_closes_at=event.registration_closes_at,
            theme_fields=tuple(ThemeChoice(t.id, t.title) for t in event.theme_fields),
        )

    return pagecache.remember(("event_for_registration", event_id, include_drafts), load)


# --- registration ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Registrant:
    """What a person enters to register."""

    name: str
    email: str
    organisation: str = ""
    bundesland: Bundesland | None = None
    theme_field_id: int | None = None
    support_needs: str = ""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def link_token(registration: Registration) -> str:
    """The token of a registration's personal link, derived from its stored salt.

    Deriving it (rather than storing it) lets the platform send the same link again without
    keeping anything in the database that would open the link by itself.
    """
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(
        secret, b"registration-link:" + registration.link_salt.encode(), hashlib.sha256
    ).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def registration_by_token(token: str) -> Registration | None:
    if not token or len(token) > 128:
        return None
    return db.session.scalar(
        sa.select(Registration).where(Registration.token_hash == token_hash(token))
    )


def lock_event(event_id: int) -> None:
    """Serialise every change of this event's seats until the transaction ends.

    PostgreSQL locks the event's row. SQLite has no row locks: a write that changes nothing
    takes its database-wide write lock now, so that what this transaction reads next cannot
    change under it.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            sa.update(Event)
            .where(Event.id == event_id)
            .values(seats_taken=Event.seats_taken, updated_at=Event.updated_at)
            .execution_options(synchronize_session=False)
        )
    else:
        db.session.execute(sa.select(Event.id).where(Event.id == event_id).with_for_update())


# Seat counts are bookkeeping: they leave the event's updated_at (and its .ics) alone.


def lock_and_claim_seat(event_id: int) -> bool:
    """Take the event's lock and, while one is free, a seat; True if a seat was taken."""
    if db.session.get_bind().dialect.name != "sqlite":
        lock_event(event_id)
    # On SQLite the UPDATE takes the write lock even when it changes no row.
    return claim_seat(event_id)


def claim_seat(event_id: int) -> bool:
    result = db.session.execute(
        sa.update(Event)
        .where(Event.id == event_id, Event.seats_taken < Event.capacity)
        .values(seats_taken=Event.seats_taken + 1, updated_at=Event.updated_at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def free_seat(event_id: int) -> None:
    db.session.execute(
        sa.update(Event)
        .where(Event.id == event_id, Event.seats_taken > 0)
        .values(seats_taken=Event.seats_taken - 1, updated_at=Event.updated_at)
        .execution_options(synchronize_session=False)
    )


def _hold(now: datetime, event: Event) -> datetime:
    hours = current_app.config["REGISTRATION_HOLD_HOURS"]
    return hold_deadline(now, timedelta(hours=hours), event.starts_at)


class NoSeatsLeft(Exception):
    """Every seat of the event is taken."""


class RegistrationClosed(Exception):
    """The event was cancelled or unpublished after the form was sent on its way."""


def register(event: Event | EventForRegistration, person: Registrant) -> Registration:
    """Register `person`: a held seat while one is free, else a place on the waitlist.

    The registration is stored, not added to the session: it is returned with its id.

    Raises IntegrityError when the address is already registered for the event (the caller
    then sends the existing link again with `resend_link` and shows the same page, so that
    the form does not tell strangers who is registered).

    """
    now = now_utc()
    registration = Registration(
        event_id=event.id,  # not `event=`: that would put it into event.registrations now
        name=person.name.strip(),
        email=normalise_email(person.email),
        organisation=person.organisation.strip() or None,
        bundesland=person.bundesland,
        theme_field_id=person.theme_field_id,
        support_needs=person.support_needs.strip() or None,
        privacy_consent_at=now,
        link_salt=secrets.token_hex(16),
    )
    registration.token_hash = token_hash(link_token(registration))
    hold_until = _hold(now, event)
    # Overdue holds of this event give their seats back first; looked for without the lock,
    # as almost always there are none (`flask expire-holds` catches any this misses).
    looks_free, overdue, status = _seat_state(event.id, now)
    if status != EventStatus.PUBLISHED:  # `event` may be a snapshot from before a change
        raise RegistrationClosed
    if overdue:
        lock_event(event.id)
        expire_holds(now, event_id=event.id)
        looks_free = _seat_looks_free(event.id)
    # A full event needs no lock: its newcomers queue on the waitlist without waiting for the
    # seat lock (see `settle_waitlist` for a seat freed meanwhile).
    seat = looks_free and lock_and_claim_seat(event.id)
    outbox = _registration_mail(registration, event, seat, hold_until)
    # Plain INSERTs: this is the request that a storm consists of (see `insert_new`).
    insert_new(registration)  # a second registration of the address fails here
    outbox.reference = f"registration:{registration.id}"
    insert_new(outbox)
    return registration


def _registration_mail(
    registration: Registration, event: Event, seat: bool, hold_until: datetime
) -> mail.OutboxMail:
    """Set the new registration's status and queue its first mail, which the worker renders.

    Rendering it here was a fifth of the cost of a registration, and from the seat claim until
    the commit the event is locked for everyone else.
    """
    registration.status = RegistrationStatus.HELD if seat else RegistrationStatus.WAITLISTED
    registration.hold_expires_at = hold_until if seat else None
    if seat:
        template = "events/registration_held"
        subject = _l("Bitte bestätigen Sie Ihre Anmeldung: %(title)s", title=event.title)
    else:
        template = "events/registration_waitlisted"
        subject = _l("Warteliste: %(title)s", title=event.title)
    return mail.queue_unrendered(registration.email, subject, template)


def _seat_looks_free(event_id: int) -> bool:
    """Whether a seat was free at the last commit (read without the lock, so a hint only)."""
    return bool(
        db.session.scalar(sa.select(Event.seats_taken < Event.capacity).where(Event.id == event_id))
    )


def settle_waitlist(event_id: int) -> int:
    """After storing a waitlist entry: seats freed meanwhile go to the waitlist now.

    A newcomer to a full event joins the waitlist without the event's lock. A seat freed in
    the moment between its look and its commit found no one to promote; this gives it to the
    first in line. Returns how many moved up.
    """
    if not _seat_looks_free(event_id):
        return 0
    lock_event(event_id)
    event = db.session.get(Event, event_id)
    db.session.refresh(event)
    return promote(event)


def _seat_state(event_id: int, now: datetime) -> tuple[bool, bool, EventStatus]:
    """Whether a seat looks free, whether a hold is overdue, and the event's status.

    In one query, without the lock.
    """
    overdue = (
        sa.select(Registration.id)
        .where(
            Registration.status == RegistrationStatus.HELD,
            Registration.hold_expires_at <= now,
            Registration.event_id == event_id,
        )
        .exists()
    )
    free, expired, status = db.session.execute(
        sa.select(Event.seats_taken < Event.capacity, overdue, Event.status).where(
            Event.id == event_id
        )
    ).one()
    return bool(free), bool(expired), status


def resend_link(event: Event | EventForRegistration, email: str) -> bool:
    """Send the link of the address's registration again; False if there is none."""
    existing = db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == event.id, Registration.email == normalise_email(email)
        )
    )
    if existing is None:
        return False
    _mail_existing_link(existing)
    return True


def _mail_existing_link(registration: Registration) -> None:
    title = registration.event.title
    mail_registration(
        registration, "events/already_registered", _l("Ihre Anmeldung: %(title)s", title=title)
    )


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person on the waitlist; None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            Registration.id < registration.id,
        )
    )
    return (ahead or 0) + 1


def confirm(registration: Registration) -> RegistrationStatus:
    """The person clicked the confirmation link: a held seat becomes theirs (double opt-in).

    On the waitlist, the address counts as confirmed, so that a later seat is confirmed at once.
    A hold that ran out expires now (its seat may already have gone to the waitlist).
    """
    now = now_utc()
    lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.HELD:
        if registration.hold_expires_at and registration.hold_expires_at <= now:
            _expire(registration, now)
            return registration.status
        registration.status = RegistrationStatus.CONFIRMED
        registration.hold_expires_at = None
        registration.email_confirmed_at = now
        mail_registration(
            registration,
            "events/registration_confirmed",
            _l("Anmeldung bestätigt: %(title)s", title=registration.event.title),
            with_ics=True,
        )
    elif (
        registration.status == RegistrationStatus.WAITLISTED and not registration.email_confirmed_at
    ):
        registration.email_confirmed_at = now
    return registration.status


def cancel(registration: Registration) -> None:
    """The person cancels: the seat goes to the waitlist and the personal data are deleted."""
    now = now_utc()
    lock_event(registration.event_id)
    db.session.refresh(registration)
    if not registration.status.active:
        return
    held_seat = registration.status.holds_seat  # read before the status changes
    mail_registration(
        registration,
        "events/registration_cancelled",
        _l("Abmeldung bestätigt: %(title)s", title=registration.event.title),
        cancel_link=False,
    )
    registration.cancelled_at = now
    _end(registration, RegistrationStatus.CANCELLED, now, freeing_seat=held_seat)


def expire_holds(now: datetime, event_id: int | None = None) -> int:
    """Unconfirmed holds past their time expire; their seats go to the waitlist."""
    stmt = sa.select(Registration).where(
        Registration.status == RegistrationStatus.HELD, Registration.hold_expires_at <= now
    )
    if event_id is not None:
        stmt = stmt.where(Registration.event_id == event_id)
    expired = 0
    for registration in db.session.scalars(stmt.order_by(Registration.id)).all():
        if event_id is None:
            lock_event(registration.event_id)
            db.session.refresh(registration)
            if registration.status != RegistrationStatus.HELD:
                continue
        _expire(registration, now)
        expired += 1
    return expired


def _expire(registration: Registration, now: datetime) -> None:
    if registration.event.starts_at > now:
        mail_registration(
            registration,
            "events/registration_expired",
            _l("Reservierung abgelaufen: %(title)s", title=registration.event.title),
            cancel_link=False,
        )
    registration.hold_expires_at = None
    _end(registration, RegistrationStatus.EXPIRED, now, freeing_seat=True)


def _end(
    registration: Registration, status: RegistrationStatus, now: datetime, *, freeing_seat: bool
) -> None:
    """End a registration: its personal data go, and a seat it held goes to the waitlist."""
    registration.status = status
    _forget(registration, now)
    db.session.flush()
    if freeing_seat:
        free_seat(registration.event_id)
        promote(registration.event, now)


def promote(event: Event, now: datetime | None = None) -> int:
    """Give free seats to the waitlist in order of arrival, each with an e-mail.

    Called in the transaction that freed or added the seats, after the event's row was locked.
    """
    now = now or now_utc()
    promoted = 0
    if event.starts_at <= now:
        return 0  # a seat freed once the event has begun helps nobody
    while True:
        waiting = db.session.scalar(
            sa.select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.WAITLISTED,
            )
            .order_by(Registration.id)
            .limit(1)
        )
        if waiting is None or not claim_seat(event.id):
            break
        waiting.promoted_at = now
        if waiting.email_confirmed_at:
            waiting.status = RegistrationStatus.CONFIRMED
            mail_registration(
                waiting,
                "events/registration_promoted",
                _l("Ein Platz ist frei geworden: %(title)s", title=event.title),
                with_ics=True,
            )
        else:
            waiting.status = RegistrationStatus.HELD
            waiting.hold_expires_at = _hold(now, event)
            mail_registration(
                waiting,
                "events/registration_promoted",
                _l("Ein Platz ist frei geworden: %(title)s", title=event.title),
            )
        db.session.flush()
        promoted += 1
    return promoted


def _forget(registration: Registration, now: datetime) -> None:
    """Delete the personal data of a registration that ended; the anonymous row stays."""
    registration.name = None
    registration.email = None
    registration.organisation = None
    registration.support_needs = None
    registration.personal_data_deleted_at = now


def mail_registration(
    registration: Registration,
    template: str,
    subject: str,
    *,
    with_ics: bool = False,
    cancel_link: bool = True,
    **context,
) -> None:
    """Queue a mail about `registration`, with its personal links."""
    db.session.add(
        _compose(
            registration,
            template,
            subject,
            with_ics=with_ics,
            cancel_link=cancel_link,
            **context,
        )
    )


def _compose(
    registration: Registration,
    template: str,
    subject: str,
    *,
    with_ics: bool = False,
    cancel_link: bool = True,
    **context,
) -> mail.OutboxMail:
    event = registration.event
    attachments = [calendar.ics_attachment(event)] if with_ics else []
    return mail.compose(
        registration.email,
        subject,
        template,
        attachments=attachments,
        reference=f"registration:{registration.id}" if registration.id else None,
        **_mail_context(registration, event, cancel_link),
        **context,
    )


def _mail_context(registration: Registration, event: Event, cancel_link: bool = True) -> dict:
    """What every mail about a registration shows: the person, the event, the personal links."""
    token = link_token(registration)
    return {
        "registration": registration,
        "event": event,
        "manage_url": mail.external_url("events.manage_registration", token=token),
        "cancel_url": cancel_link and mail.external_url("events.cancel_registration", token=token),
        "event_url": mail.external_url("events.show_event", event_id=event.id),
    }


def registration_mail_context(registration_id: int) -> dict | None:
    """The context of an unrendered mail about a registration, when the worker sends it.

    None when the registration is gone or its personal data deleted: nobody to write to.
    """
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.personal_data_deleted_at or not registration.email:
        return None
    return _mail_context(registration, registration.event)


# --- staff -----------------------------------------------------------------------------------


def all_process_events(process_id: int) -> list[Event]:
    """Every event of a process, drafts included, in the order they take place (for staff)."""
    stmt = sa.select(Event).where(Event.process_id == process_id).order_by(Event.starts_at)
    return list(db.session.scalars(stmt))


def process_events(process_id: int) -> list[Event]:
    """The events of a process that took or take place (not drafts), newest first."""
    return list(
        db.session.scalars(
            sa.select(Event)
            .where(Event.process_id == process_id, Event.status != EventStatus.DRAFT)
            .order_by(Event.starts_at.desc())
        )
    )


def staff_events(upcoming: bool | None = None) -> list[Event]:
    stmt = sa.select(Event).order_by(Event.starts_at.desc(), Event.id.desc())
    if upcoming is True:
        stmt = stmt.where(Event.ends_at > now_utc()).order_by(None).order_by(Event.starts_at)
    return list(db.session.scalars(stmt.limit(1000)))


def save_event(
    actor, event: Event | None, values: Mapping, theme_field_ids: Iterable[int]
) -> Event:
    """Create or change an event; more seats go to the waitlist at once."""
    themes = list(
        db.session.scalars(
            sa.select(ThemeField).where(
                ThemeField.id.in_(list(theme_field_ids)),
                ThemeField.process_id == values["process_id"],
            )
        )
    )
    created = event is None
    if created:
        event = Event(seats_taken=0)
    else:
        lock_event(event.id)
        db.session.refresh(event)
    audit.save(actor, event, dict(values), created=created, name="event")
    event.theme_fields = themes
    db.session.flush()
    if not created and event.capacity:
        promote(event)
    return event


def cancel_event(actor, event: Event, note: str) -> int:
    """Cancel an event: everyone registered is told (with `note`) and their data deleted."""
    now = now_utc()
    lock_event(event.id)
    db.session.refresh(event)
    changes = audit.diff(event, {"status": EventStatus.CANCELLED, "cancellation_note": note})
    audit.record(actor, "event.cancel", event, changes)
    active = db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES))
        .order_by(Registration.id)
    ).all()
    for registration in active:
        mail_registration(
            registration,
            "events/event_cancelled",
            _l("Abgesagt: %(title)s", title=event.title),
            cancel_link=False,
        )
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        _forget(registration, now)
    event.seats_taken = 0
    db.session.flush()
    return len(active)


def participants(
    event: Event, statuses: Iterable[RegistrationStatus] | None = None
) -> list[Registration]:
    stmt = sa.select(Registration).where(Registration.event_id == event.id)
    if statuses:
        stmt = stmt.where(Registration.status.in_(list(statuses)))
    return list(db.session.scalars(stmt.order_by(Registration.id)))


def door_list(event: Event, query: str = "") -> list[Registration]:
    """Confirmed and held seats by name, for the list at the door."""
    stmt = sa.select(Registration).where(
        Registration.event_id == event.id,
        Registration.status.in_([RegistrationStatus.CONFIRMED, RegistrationStatus.HELD]),
    )
    if query:
        pattern = "%" + query.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
        stmt = stmt.where(sa.func.lower(Registration.name).like(pattern))
    return list(db.session.scalars(stmt.order_by(Registration.name, Registration.id)))


def status_counts(event: Event) -> dict[RegistrationStatus, int]:
    rows = db.session.execute(
        sa.select(Registration.status, sa.func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.status)
    )
    return {RegistrationStatus(status): n for status, n in rows}


# --- privacy ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeReport:
    support_needs: int  # registrations whose support needs were deleted (event over)
    anonymised: int  # registrations whose personal data were deleted (retention over)
    applications: int  # applications whose contact data were deleted (retention over)


def purge_personal_data(now: datetime, retention_days: int) -> PurgeReport:
    """Delete support needs once an event is over, and all personal data `retention_days` later.

    The anonymised rows keep event, status and Bundesland: the counts for the analysis.
    Invitations keep the organisation's name but lose the address they were sent to.
    """
    ended = sa.select(Event.id).where(Event.ends_at <= now).scalar_subquery()
    support = db.session.execute(
        sa.update(Registration)
        .where(Registration.event_id.in_(ended), Registration.support_needs.is_not(None))
        .values(support_needs=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    expired = (
        sa.select(Event.id)
        .where(Event.ends_at <= now - timedelta(days=retention_days))
        .scalar_subquery()
    )
    anonymised = db.session.execute(
        sa.update(Registration)
        .where(
            Registration.event_id.in_(expired),
            Registration.personal_data_deleted_at.is_(None),
        )
        .values(
            name=None,
            email=None,
            organisation=None,
            support_needs=None,
            token_hash=None,
            personal_data_deleted_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    applications = db.session.execute(
        sa.update(Application)
        .where(
            Application.event_id.in_(expired),
            Application.personal_data_deleted_at.is_(None),
        )
        .values(contact_name=None, contact_email=None, personal_data_deleted_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.event_id.in_(expired), Invitation.email.is_not(None))
        .values(email=None)
        .execution_options(synchronize_session=False)
    )
    return PurgeReport(support_needs=support, anonymised=anonymised, applications=applications)


def check_in(actor, registration: Registration, present: bool) -> None:
    """Mark a participant as arrived at the door (or undo a mistaken check-in)."""
    changes = audit.diff(registration, {"checked_in_at": now_utc() if present else None})
    action = "registration.check_in" if present else "registration.undo_check_in"
    audit.record(actor, action, registration, changes)


def message_participants(
    actor, event: Event, subject: str, body: str, include_waitlist: bool
) -> int:
    """Mail a message from the organisers to everyone registered; returns how many."""
    wanted = [RegistrationStatus.HELD, RegistrationStatus.CONFIRMED]
    if include_waitlist:
        wanted.append(RegistrationStatus.WAITLISTED)
    recipients = participants(event, wanted)
    for registration in recipients:
        mail_registration(registration, "events/message", subject, message=body)
    audit.record(
        actor,
        "event.message",
        event,
        {"subject": [None, subject], "recipients": [None, len(recipients)]},
    )
    return len(recipients)
