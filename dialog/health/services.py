"""The readiness checks: can the database be reached, and is its schema at the migration head?"""

from __future__ import annotations

import logging
from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from dialog.extensions import db

logger = logging.getLogger(__name__)


@cache
def _heads(directory: str) -> tuple[str, ...]:
    # The scripts only change with a deployment, i.e. a new process: read them once.
    return tuple(ScriptDirectory(directory).get_heads())


def migration_heads() -> tuple[str, ...]:
    """The head revisions of the migration scripts deployed with this code."""
    return _heads(str(current_app.extensions["migrate"].directory))


def database_revisions() -> tuple[str, ...] | None:
    """The revisions stamped in the database (empty: never migrated), None when unreachable."""
    try:
        # A connection of its own, outside the request's session, so that a failed check
        # leaves nothing behind; pool_pre_ping replaces a connection the server dropped.
        with db.engine.connect() as connection:
            return tuple(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        logger.warning("readiness: database unreachable: %s", type(error.orig or error).__name__)
        return None
