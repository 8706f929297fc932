"""Shared column types and mixins for models."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from dialog.common.clock import now_utc
from dialog.extensions import db


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite stores them naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use dialog.common.clock.now_utc()")
        return value.astimezone(UTC)  # SQLite keeps no offset: store every time in UTC

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def enum_column(enum_cls: type[Enum], **kwargs) -> sa.Enum:
    """A portable enum: a VARCHAR with a CHECK constraint storing the enum's values."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda cls: [member.value for member in cls],
        name=enum_cls.__name__.lower(),
        **kwargs,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)  # first stored
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=now_utc, onupdate=now_utc
    )  # last changed


@lru_cache(maxsize=64)
def _insert_returning_id(table: sa.Table) -> sa.Insert:
    return sa.insert(table).returning(table.c.id)


def insert_new(instance) -> int:
    """Store a new model instance with one plain INSERT, not the unit of work; its new id.

    For the busiest request, a registration: the ORM's flush costs several times the
    statement. The instance is not added to the session; it keeps the values it was given and
    gets its id, and column defaults (such as `created_at`) apply as with the ORM.
    """
    mapper = sa.inspect(type(instance))
    given = instance.__dict__
    values = {
        prop.columns[0].name: given[prop.key] for prop in mapper.column_attrs if prop.key in given
    }
    instance.id = db.session.execute(_insert_returning_id(mapper.local_table), values).scalar_one()
    return instance.id
