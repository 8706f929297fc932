"""Staff accounts. Citizens never need one."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.common.models import TimestampMixin, UTCDateTime, enum_column
from dialog.common.permissions import Role
from dialog.extensions import db


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))  # stored lower-case; the login name
    name: Mapped[str] = mapped_column(sa.String(120), default="")  # shown in the audit log
    password_hash: Mapped[str] = mapped_column(sa.String(255))  # argon2id
    active: Mapped[bool] = mapped_column(default=True)  # deactivated accounts cannot log in
    # Changes whenever the password changes or the user logs out everywhere, which
    # invalidates every other session (Flask-Login stores this id, not the row id).
    session_token: Mapped[str] = mapped_column(sa.String(64))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("session_token"),
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return self.session_token

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.roles)

    def has_any_role(self, *roles: Role) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def display_name(self) -> str:
        return self.name or self.email


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles")

    def __repr__(self) -> str:
        return f"<UserRole {self.user_id} {self.role}>"
