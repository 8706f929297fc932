"""Rules of the opt-in notifications about results: the consent's wording and version, when
a digest is due, when an address is deleted. Plain values in and out."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

# Raise the version whenever the wording changes: each subscription keeps the version it was
# given with, so that it is known what a person agreed to.
CONSENT_VERSION = "2026-12-1"
CONSENT_TEXT = _l(
    "Ja, ich möchte per E-Mail benachrichtigt werden, wenn die Ergebnisse veröffentlicht werden "
    "und wenn sich der Stand einer Handlungsempfehlung ändert, die meine Antworten stützen. "
    "Meine Adresse wird nur dafür verwendet und gelöscht, wenn ich mich abmelde, wenn ich meine "
    "Antworten lösche, und spätestens %(days)d Tage nach meiner Bestätigung."
)
DIGEST_INTERVAL = timedelta(days=1)  # at most one mail per person and day


def digest_due(last_mailed_at: datetime | None, now: datetime) -> bool:
    return last_mailed_at is None or now - last_mailed_at >= DIGEST_INTERVAL


def expired(
    created_at: datetime,
    confirmed_at: datetime | None,
    now: datetime,
    *,
    confirm_days: int,
    retention_days: int,
) -> bool:
    """An address not confirmed within `confirm_days` of leaving it, or confirmed more than
    `retention_days` ago, is deleted by the purge."""
    if confirmed_at is None:
        return now - created_at > timedelta(days=confirm_days)
    return now - confirmed_at > timedelta(days=retention_days)
