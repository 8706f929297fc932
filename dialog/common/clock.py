"""The one clock of the application. Tests freeze it by patching `now_utc`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def now_utc() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def today_local() -> date:
    """Today's date in Germany, which decides whether a phase is open."""
    return now_utc().astimezone(BERLIN).date()
