"""German (translatable) labels of the events domain's enums, for forms and templates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from dialog.events.rules import (
    ApplicationStatus,
    CompanySize,
    EventKind,
    EventStatus,
    InvitationState,
    RegistrationStatus,
    StakeholderGroup,
)

KIND = {
    EventKind.CITIZEN_DIALOGUE: _l("Bürgerdialog „Hin.Gehört.“"),
    EventKind.PRACTICE_WORKSHOP: _l("Praxiswerkstatt"),
    EventKind.STAKEHOLDER_HEARING: _l("Stakeholder-Hearing"),
    EventKind.COMPANY_VISIT: _l("Betriebsbesuch"),
    EventKind.CONGRESS: _l("Kongress"),
    EventKind.OTHER: _l("Sonstige Veranstaltung"),
}

STATUS = {
    EventStatus.DRAFT: _l("Entwurf"),
    EventStatus.PUBLISHED: _l("Veröffentlicht"),
    EventStatus.CANCELLED: _l("Abgesagt"),
}

REGISTRATION_STATUS = {
    RegistrationStatus.HELD: _l("Platz reserviert, Bestätigung ausstehend"),
    RegistrationStatus.CONFIRMED: _l("Bestätigt"),
    RegistrationStatus.WAITLISTED: _l("Warteliste"),
    RegistrationStatus.CANCELLED: _l("Abgemeldet"),
    RegistrationStatus.EXPIRED: _l("Nicht rechtzeitig bestätigt"),
}

COMPANY_SIZE = {
    CompanySize.MICRO: _l("weniger als 10 Beschäftigte"),
    CompanySize.SMALL: _l("10 bis 49 Beschäftigte"),
    CompanySize.MEDIUM: _l("50 bis 249 Beschäftigte"),
    CompanySize.LARGE: _l("250 Beschäftigte und mehr"),
}

APPLICATION_STATUS = {
    ApplicationStatus.SUBMITTED: _l("Eingegangen, noch nicht entschieden"),
    ApplicationStatus.ACCEPTED: _l("Zugesagt"),
    ApplicationStatus.DECLINED: _l("Nicht ausgewählt"),
    ApplicationStatus.WITHDRAWN: _l("Zurückgezogen"),
}

STAKEHOLDER_GROUP = {
    StakeholderGroup.SOCIAL_PARTNERS: _l("Sozialpartner"),
    StakeholderGroup.ASSOCIATIONS: _l("Verbände"),
    StakeholderGroup.SCIENCE: _l("Wissenschaft"),
    StakeholderGroup.CIVIL_SOCIETY: _l("Zivilgesellschaft"),
    StakeholderGroup.PUBLIC_SECTOR: _l("Länder, Kommunen und Behörden"),
    StakeholderGroup.OTHER: _l("Sonstige"),
}

INVITATION_STATE = {
    InvitationState.VALID: _l("gültig"),
    InvitationState.USED: _l("eingelöst"),
    InvitationState.EXPIRED: _l("abgelaufen"),
    InvitationState.REVOKED: _l("widerrufen"),
}
