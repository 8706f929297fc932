"""Events (Hin.Gehört, Praxiswerkstätten, Hearings, information-only dates) and registrations."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.common.clock import now_utc
from dialog.common.models import TimestampMixin, UTCDateTime, enum_column
from dialog.common.regions import Bundesland
from dialog.events.rules import (
    ApplicationStatus,
    CompanySize,
    EventKind,
    EventStatus,
    InvitationState,
    RegistrationStatus,
    StakeholderGroup,
    WindowState,
    invitation_state,
    registration_window,
)
from dialog.extensions import db

# The theme fields an event offers as Dialoginseln (tables where people discuss one theme).
event_theme_fields = sa.Table(
    "event_theme_fields",
    db.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "theme_field_id", sa.ForeignKey("theme_fields.id", ondelete="CASCADE"), primary_key=True
    ),
)


def window_now(event) -> WindowState:
    """The registration window of `event` (an Event or its snapshot) at this moment."""
    return registration_window(
        now_utc(),
        kind=event.kind,
        status=event.status,
        starts_at=event.starts_at,
        opens_at=event.registration_opens_at,
        closes_at=event.registration_closes_at,
    )


class Event(TimestampMixin, db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="RESTRICT"))
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    status: Mapped[EventStatus] = mapped_column(enum_column(EventStatus), default=EventStatus.DRAFT)
    title: Mapped[str] = mapped_column(sa.String(200))
    city: Mapped[str] = mapped_column(sa.String(120))
    bundesland: Mapped[Bundesland] = mapped_column(enum_column(Bundesland))
    venue: Mapped[str] = mapped_column(sa.String(200), default="")  # e.g. "Stadthalle"
    address: Mapped[str] = mapped_column(sa.String(300), default="")  # street, postcode, city
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)  # entered in Europe/Berlin time
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    description: Mapped[str] = mapped_column(sa.Text, default="")  # rich text
    accessibility: Mapped[str] = mapped_column(sa.Text, default="")  # step-free access, loop …
    capacity: Mapped[int | None] = mapped_column()  # seats; None for information-only events
    # Held plus confirmed registrations. Changed only by conditional UPDATEs in the services,
    # so that concurrent registrations can never take more seats than there are.
    seats_taken: Mapped[int] = mapped_column(default=0)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: now
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: start
    cancellation_note: Mapped[str] = mapped_column(sa.Text, default="")  # why it was cancelled
    # The Abschlusskonferenz of its process: its page lists the recommendations presented there
    # (recommendations.models.conference_recommendations).
    is_final_conference: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    process = relationship("Process")
    theme_fields = relationship(
        "ThemeField", secondary=event_theme_fields, order_by="ThemeField.position"
    )
    registrations: Mapped[list[Registration]] = relationship(
        back_populates="event", passive_deletes=True, order_by="Registration.id"
    )

    __table_args__ = (
        sa.Index("ix_events_status_starts_at", "status", "starts_at"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint(
            "seats_taken >= 0 AND (capacity IS NULL OR seats_taken <= capacity)",
            name="never_overbooked",
        ),
    )

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.kind} {self.city}>"

    @property
    def window(self) -> WindowState:
        return window_now(self)

    @property
    def seats_free(self) -> int:
        return max(0, (self.capacity or 0) - self.seats_taken)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= now_utc()


class Registration(TimestampMixin, db.Model):
    """A person's registration for a public event (Hin.Gehört).

    Personal data (name, e-mail, organisation, support needs) are deleted when the person
    cancels, when an unconfirmed hold expires and by `flask purge` after the event; the row
    stays, anonymised, for the counts per event, kind and Bundesland.
    """

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)  # its order is the order of arrival
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus))
    name: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254))  # normalised: lower case
    organisation: Mapped[str | None] = mapped_column(sa.String(200))
    bundesland: Mapped[Bundesland | None] = mapped_column(enum_column(Bundesland))
    theme_field_id: Mapped[int | None] = mapped_column(  # preferred Dialoginsel
        sa.ForeignKey("theme_fields.id", ondelete="SET NULL")
    )
    # Accessibility or interpreting needs; deleted once the event is over.
    support_needs: Mapped[str | None] = mapped_column(sa.Text)
    privacy_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The personal link (confirm, view, cancel): its token is derived from this random salt and
    # the secret key; only the token's SHA-256 is stored to find the registration.
    link_salt: Mapped[str] = mapped_column(sa.String(32))
    token_hash: Mapped[str | None] = mapped_column(sa.String(64))
    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # while HELD
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # double opt-in
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # left the waitlist
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # at the door
    personal_data_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Stakeholder-Hearing: the invitation used, and its group (counts against the quota).
    invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="SET NULL")
    )
    stakeholder_group: Mapped[StakeholderGroup | None] = mapped_column(
        enum_column(StakeholderGroup)
    )

    event: Mapped[Event] = relationship(back_populates="registrations")
    theme_field = relationship("ThemeField")
    invitation = relationship("Invitation", foreign_keys=[invitation_id])

    __table_args__ = (
        # One active registration per e-mail address and event; deleted data frees the address.
        sa.UniqueConstraint("event_id", "email"),
        sa.UniqueConstraint("token_hash"),
        # The waitlist in order of arrival, and the counts per status.
        sa.Index("ix_registrations_event_id_status_id", "event_id", "status", "id"),
        # Expiry of unconfirmed holds.
        sa.Index("ix_registrations_status_hold_expires_at", "status", "hold_expires_at"),
    )

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status}>"


class Application(TimestampMixin, db.Model):
    """A company's application for a Praxiswerkstatt; staff accept (up to capacity) or decline.

    Personal data (contact person, e-mail) are deleted like those of registrations.
    """

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus), default=ApplicationStatus.SUBMITTED
    )
    company: Mapped[str] = mapped_column(sa.String(200))
    sector: Mapped[str] = mapped_column(sa.String(200))  # e.g. "Pflege", "Handwerk"
    size: Mapped[CompanySize] = mapped_column(enum_column(CompanySize))
    bundesland: Mapped[Bundesland] = mapped_column(enum_column(Bundesland))  # region
    contact_name: Mapped[str | None] = mapped_column(sa.String(200))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))  # normalised
    motivation: Mapped[str] = mapped_column(sa.Text)  # why the company wants to take part
    privacy_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")  # sent with the decision
    personal_data_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("event_id", "contact_email"),
        sa.Index("ix_applications_event_id_status_id", "event_id", "status", "id"),
    )

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.status}>"


class EventQuota(db.Model):
    """Seats of a Stakeholder-Hearing reserved for one stakeholder group."""

    __tablename__ = "event_quotas"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    group: Mapped[StakeholderGroup] = mapped_column(enum_column(StakeholderGroup), primary_key=True)
    seats: Mapped[int] = mapped_column()

    __table_args__ = (sa.CheckConstraint("seats >= 0", name="seats_not_negative"),)

    def __repr__(self) -> str:
        return f"<EventQuota {self.event_id} {self.group}={self.seats}>"


class Invitation(TimestampMixin, db.Model):
    """A personal, single-use invitation of an organisation to a Stakeholder-Hearing.

    The link (or the code typed in by hand) is shown to staff once; only its SHA-256 is stored.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    organisation: Mapped[str] = mapped_column(sa.String(200))
    group: Mapped[StakeholderGroup] = mapped_column(enum_column(StakeholderGroup))
    email: Mapped[str | None] = mapped_column(sa.String(254))  # where the link was sent, if sent
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    event: Mapped[Event] = relationship()

    __table_args__ = (sa.UniqueConstraint("code_hash"),)

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.organisation}>"

    @property
    def state(self) -> InvitationState:
        return invitation_state(
            now_utc(),
            used=self.used_at is not None,
            revoked=self.revoked_at is not None,
            expires_at=self.expires_at,
        )
