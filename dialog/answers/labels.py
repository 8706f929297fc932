"""German (translatable) labels of the answers domain's enums, for forms and templates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from dialog.answers.rules import AgeBand, AnswerStatus, Channel, Perspective, RejectionReason

PERSPECTIVE = {
    Perspective.CITIZEN: _l("Bürger*in"),
    Perspective.EMPLOYEE: _l("Beschäftigte*r"),
    Perspective.EMPLOYER: _l("Arbeitgeber*in/Unternehmen"),
    Perspective.UNION: _l("Gewerkschaft"),
    Perspective.ASSOCIATION: _l("Verband"),
    Perspective.SCIENCE: _l("Wissenschaft"),
    Perspective.OTHER: _l("Sonstiges"),
}

AGE_BAND = {
    AgeBand.UNDER_25: _l("unter 25 Jahre"),
    AgeBand.FROM_25: _l("25 bis 34 Jahre"),
    AgeBand.FROM_35: _l("35 bis 44 Jahre"),
    AgeBand.FROM_45: _l("45 bis 54 Jahre"),
    AgeBand.FROM_55: _l("55 bis 64 Jahre"),
    AgeBand.FROM_65: _l("65 Jahre und älter"),
}

CHANNEL = {
    Channel.ONLINE: _l("Online-Formular"),
    Channel.DIALOGUE_ISLAND: _l("Dialoginsel bei einer Veranstaltung"),
    Channel.LETTER: _l("Brief"),
    Channel.EMAIL: _l("E-Mail"),
    Channel.OTHER: _l("Sonstiger Weg"),
}

STATUS = {
    AnswerStatus.PENDING: _l("wartet auf Prüfung"),
    AnswerStatus.PUBLISHED: _l("veröffentlicht"),
    AnswerStatus.INTERNAL: _l("angenommen, nicht öffentlich"),
    AnswerStatus.REJECTED: _l("abgelehnt"),
    AnswerStatus.HIDDEN: _l("nachträglich verborgen"),
}

REJECTION_REASON = {
    RejectionReason.DISRESPECTFUL: _l("Netiquette 1: nicht sachlich oder respektvoll"),
    RejectionReason.HATE: _l("Netiquette 2: Beleidigung, Diskriminierung, Hetze oder Gewaltaufruf"),
    RejectionReason.PERSONAL_DATA: _l("Netiquette 3: personenbezogene Daten Dritter"),
    RejectionReason.ADVERTISING: _l("Netiquette 4: Werbung oder kommerzieller Inhalt"),
    RejectionReason.OFF_TOPIC: _l("Netiquette 5: kein Bezug zur Leitfrage"),
    RejectionReason.SPAM: _l("Spam oder automatisierte Einsendung"),
}

ALL = {
    "perspective": PERSPECTIVE,
    "age_band": AGE_BAND,
    "channel": CHANNEL,
    "status": STATUS,
    "rejection_reason": REJECTION_REASON,
}
