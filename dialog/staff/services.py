"""Queries of the staff area that belong to no single domain."""

from __future__ import annotations

import sqlalchemy as sa

from dialog.common.audit import AuditEntry
from dialog.common.pagination import keyset_page

AUDIT_PAGE_SIZE = 50


def audit_page(before: int | None) -> tuple[list[AuditEntry], int | None]:
    """The newest audit entries older than id `before`, and the id to continue from (keyset)."""
    stmt = sa.select(AuditEntry).order_by(AuditEntry.id.desc())
    if before is not None:
        stmt = stmt.where(AuditEntry.id < before)
    return keyset_page(stmt, AUDIT_PAGE_SIZE)
