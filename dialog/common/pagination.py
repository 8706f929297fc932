"""Keyset pagination: pages continue after (or before) the last id shown, never with OFFSET."""

from __future__ import annotations

import sqlalchemy as sa

from dialog.extensions import db


def keyset_page(stmt: sa.Select, limit: int) -> tuple[list, int | None]:
    """The first `limit` rows of `stmt` (ordered by id) and the id to continue from, if any."""
    rows = list(db.session.scalars(stmt.limit(limit + 1)))
    return rows[:limit], (rows[limit - 1].id if len(rows) > limit else None)
