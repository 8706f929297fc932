"""The audit log: who changed what, when. Written by services in the same transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.common.clock import now_utc
from dialog.common.models import UTCDateTime
from dialog.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)  # when
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )  # who; NULL for the command line or a deleted account
    action: Mapped[str] = mapped_column(sa.String(64))  # e.g. "theme_field.update"
    object_type: Mapped[str] = mapped_column(sa.String(64))  # e.g. "ThemeField"
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # {field: [old, new]}

    actor = relationship("User", lazy="joined")

    __table_args__ = (sa.Index("ix_audit_entries_object", "object_type", "object_id"),)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} {self.object_type}#{self.object_id} by {self.actor_id}>"


def record(actor, action: str, obj: Any, changes: dict[str, Any] | None = None) -> AuditEntry:
    """Add an audit entry for `obj` to the caller's transaction (never committed here)."""
    # current_user is a proxy; the log names the object behind it.
    obj = obj._get_current_object() if hasattr(obj, "_get_current_object") else obj
    actor = actor._get_current_object() if hasattr(actor, "_get_current_object") else actor
    if hasattr(obj, "id") and obj.id is None:
        db.session.flush()  # a new object needs its id before the entry can name it
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__name__,
        object_id=None if getattr(obj, "id", None) is None else str(obj.id),
        changes=changes or {},
    )
    db.session.add(entry)
    return entry


def diff(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Apply `values` to `obj` and return the changed fields as {field: [old, new]} (JSON-safe)."""
    changed: dict[str, list[Any]] = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            changed[field] = [_json_safe(old), _json_safe(new)]
            setattr(obj, field, new)
    return changed


def save(actor, obj: Any, values: dict[str, Any], *, created: bool, name: str) -> Any:
    """Apply `values` to `obj` and log "<name>.create" or "<name>.update" with the changes."""
    if created:
        db.session.add(obj)
    changes = diff(obj, values)
    if created or changes:
        record(actor, f"{name}.{'create' if created else 'update'}", obj, changes)
    return obj


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return str(value)
