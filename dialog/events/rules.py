"""Pure rules of events: kinds, registration windows, seats, holds and event validation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class EventKind(StrEnum):
    CITIZEN_DIALOGUE = "citizen_dialogue"  # Bürgerdialog „Hin.Gehört.“: public registration
    PRACTICE_WORKSHOP = "practice_workshop"  # Praxiswerkstatt: companies apply, staff select
    STAKEHOLDER_HEARING = "stakeholder_hearing"  # by invitation only
    COMPANY_VISIT = "company_visit"  # Betriebsbesuch: information only
    CONGRESS = "congress"  # Kongress, Fachtagung: information only
    OTHER = "other"  # any other date worth knowing: information only

    @property
    def admission(self) -> Admission:
        return _ADMISSION.get(self, Admission.NONE)


class Admission(StrEnum):
    """How people get a seat at an event of a kind."""

    PUBLIC = "public"  # anyone registers; first come, first served, then a waitlist
    APPLICATION = "application"  # organisations apply; staff select
    INVITATION = "invitation"  # only with a personal invitation
    NONE = "none"  # no registration on this platform


_ADMISSION = {
    EventKind.CITIZEN_DIALOGUE: Admission.PUBLIC,
    EventKind.PRACTICE_WORKSHOP: Admission.APPLICATION,
    EventKind.STAKEHOLDER_HEARING: Admission.INVITATION,
}


class EventStatus(StrEnum):
    DRAFT = "draft"  # staff only
    PUBLISHED = "published"
    CANCELLED = "cancelled"  # stays visible, marked as cancelled


class RegistrationStatus(StrEnum):
    HELD = "held"  # a seat is held until the e-mail address is confirmed (double opt-in)
    CONFIRMED = "confirmed"  # seat confirmed
    WAITLISTED = "waitlisted"  # no seat yet; promoted in order of arrival
    CANCELLED = "cancelled"  # by the person or because the event was cancelled
    EXPIRED = "expired"  # not confirmed in time

    @property
    def holds_seat(self) -> bool:
        return self in (RegistrationStatus.HELD, RegistrationStatus.CONFIRMED)

    @property
    def active(self) -> bool:
        return self in ACTIVE_STATUSES


ACTIVE_STATUSES = (
    RegistrationStatus.HELD,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
)


class WindowState(StrEnum):
    """Whether registration for an event is possible right now."""

    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"  # the registration period is over
    OVER = "over"  # the event has begun or is over
    CANCELLED = "cancelled"
    NOT_PUBLIC = "not_public"  # draft, or a kind without public registration


def registration_window(
    now: datetime,
    *,
    kind: EventKind,
    status: EventStatus,
    starts_at: datetime,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> WindowState:
    """Whether registration (or application) is open at `now`.

    Without a set opening, registration is open from publication; without a set closing, until
    the event begins.
    """
    if status == EventStatus.CANCELLED:
        return WindowState.CANCELLED
    if status != EventStatus.PUBLISHED or kind.admission == Admission.NONE:
        return WindowState.NOT_PUBLIC
    if now >= starts_at:
        return WindowState.OVER
    if opens_at is not None and now < opens_at:
        return WindowState.NOT_YET_OPEN
    if closes_at is not None and now >= closes_at:
        return WindowState.CLOSED
    return WindowState.OPEN


def hold_deadline(now: datetime, hold: timedelta, starts_at: datetime) -> datetime:
    """Until when an unconfirmed registration holds its seat: `hold`, but not past the start."""
    return min(now + hold, starts_at)


class EventProblem(StrEnum):
    ENDS_BEFORE_START = "ends_before_start"
    CLOSES_BEFORE_OPENING = "closes_before_opening"
    CLOSES_AFTER_START = "closes_after_start"
    CAPACITY_MISSING = "capacity_missing"
    CAPACITY_BELOW_TAKEN = "capacity_below_taken"


@dataclass(frozen=True)
class EventPlan:
    """The facts of an event (as entered by staff) that the checks need."""

    kind: EventKind
    starts_at: datetime
    ends_at: datetime
    opens_at: datetime | None
    closes_at: datetime | None
    capacity: int | None
    seats_taken: int = 0


def check_event(plan: EventPlan) -> list[EventProblem]:
    """Everything wrong with an event's dates and capacity (empty when it is consistent)."""
    problems = []
    if plan.ends_at <= plan.starts_at:
        problems.append(EventProblem.ENDS_BEFORE_START)
    if plan.opens_at and plan.closes_at and plan.closes_at <= plan.opens_at:
        problems.append(EventProblem.CLOSES_BEFORE_OPENING)
    if plan.closes_at and plan.closes_at > plan.starts_at:
        problems.append(EventProblem.CLOSES_AFTER_START)
    if plan.kind.admission != Admission.NONE and not plan.capacity:
        problems.append(EventProblem.CAPACITY_MISSING)
    if plan.capacity is not None and plan.capacity < plan.seats_taken:
        problems.append(EventProblem.CAPACITY_BELOW_TAKEN)
    return problems


class CompanySize(StrEnum):
    MICRO = "micro"  # fewer than 10 employees
    SMALL = "small"  # 10 to 49
    MEDIUM = "medium"  # 50 to 249
    LARGE = "large"  # 250 and more


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"  # waiting for the staff's decision
    ACCEPTED = "accepted"  # takes one of the workshop's seats
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # by the company


class StakeholderGroup(StrEnum):
    SOCIAL_PARTNERS = "social_partners"  # Sozialpartner: unions and employers' associations
    ASSOCIATIONS = "associations"  # Verbände
    SCIENCE = "science"  # Wissenschaft
    CIVIL_SOCIETY = "civil_society"  # Zivilgesellschaft
    PUBLIC_SECTOR = "public_sector"  # Länder, Kommunen, Bundesagentur
    OTHER = "other"


class InvitationState(StrEnum):
    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


def invitation_state(
    now: datetime, *, used: bool, revoked: bool, expires_at: datetime | None
) -> InvitationState:
    """Whether an invitation code can still be used: once, until it expires."""
    if revoked:
        return InvitationState.REVOKED
    if used:
        return InvitationState.USED
    if expires_at is not None and now >= expires_at:
        return InvitationState.EXPIRED
    return InvitationState.VALID


def within_quota(quota: int | None, group_taken: int) -> bool:
    """A stakeholder group with a quota gets no more seats than its quota; None: no quota."""
    return quota is None or group_taken < quota
