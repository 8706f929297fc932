"""When the application is ready to take requests: plain values in, a reason or None out."""

from __future__ import annotations

from collections.abc import Collection

UNREACHABLE = "database unreachable"
NOT_MIGRATED = "database not migrated"
BEHIND = "database schema not at the migration head"


def unready_reason(current: Collection[str] | None, heads: Collection[str]) -> str | None:
    """Why the application is not ready, or None when it is.

    `current` are the revisions stamped in the database (None: it could not be reached),
    `heads` those of the migration scripts deployed with the code.
    """
    if current is None:
        return UNREACHABLE
    if not current:
        return NOT_MIGRATED
    if set(current) != set(heads):
        return BEHIND
    return None
