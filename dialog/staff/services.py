"""Queries of the staff area that belong to no single domain."""

from __future__ import annotations

import sqlalchemy as sa

from dialog.common.audit import AuditEntry
from dialog.extensions import db

AUDIT_PAGE_SIZE = 50


def audit_page(before: int | None) -> tuple[list[AuditEntry], int | None]:
    """The newest audit entries older than id `before`, and the id to continue from (keyset)."""
    stmt = sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(AUDIT_PAGE_SIZE + 1)
    if before is not None:
        stmt = stmt.where(AuditEntry.id < before)
    entries = list(db.session.scalars(stmt))
    has_more = len(entries) > AUDIT_PAGE_SIZE
    entries = entries[:AUDIT_PAGE_SIZE]
    return entries, (entries[-1].id if has_more else None)
