"""Staff accounts: password hashing, authentication, creation and sessions."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

from dialog.accounts.models import User, UserRole
from dialog.accounts.rules import (
    MIN_DISTINCT_CHARACTERS,
    MIN_PASSWORD_LENGTH,
    PasswordProblem,
    password_problems,
)
from dialog.common import audit
from dialog.common.clock import now_utc
from dialog.common.permissions import Role
from dialog.extensions import db

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the e-mail is unknown, so that both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is for the user."""


class PasswordRejected(AccountError):
    """A new password is too weak; `messages` gives every reason."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def describe_password_problem(problem: PasswordProblem) -> str:
    return {
        PasswordProblem.TOO_SHORT: _(
            "Das Passwort muss mindestens %(n)d Zeichen lang sein.", n=MIN_PASSWORD_LENGTH
        ),
        PasswordProblem.SAME_AS_EMAIL: _("Das Passwort darf nicht die E-Mail-Adresse sein."),
        PasswordProblem.TOO_FEW_DISTINCT: _(
            "Das Passwort muss mindestens %(n)d verschiedene Zeichen enthalten.",
            n=MIN_DISTINCT_CHARACTERS,
        ),
        PasswordProblem.COMMON: _(
            "Das Passwort ist zu leicht zu erraten. Bitte verwenden Sie zum Beispiel einen "
            "Satz aus mehreren Wörtern."
        ),
    }[problem]


def normalise_email(email: str) -> str:
    return email.strip().lower()


def load_user(session_token: str) -> User | None:
    """Flask-Login's user loader: the session stores the user's rotating session token."""
    return db.session.scalar(
        sa.select(User).where(User.session_token == session_token, User.active.is_(True))
    )


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (without revealing which part was wrong)."""
    user = find_user(email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        if user is not None:
            audit.record(None, "user.login_failed", user)
        return None
    if user is None or not user.active:
        return None
    audit.record(user, "user.login", user)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = now_utc()
    return user


def set_password(user: User, password: str) -> None:
    problems = password_problems(password, user.email)
    if problems:
        raise PasswordRejected([describe_password_problem(p) for p in problems])
    user.password_hash = _hasher.hash(password)
    end_all_sessions(user)


def log_out(user: User) -> None:
    """End every session of `user`: logging out on one device logs out on all."""
    audit.record(user, "user.logout", user)
    end_all_sessions(user)


def end_all_sessions(user: User) -> None:
    """Invalidate every session of `user` (logout, password change)."""
    user.session_token = secrets.token_urlsafe(32)


def create_user(
    actor: User | None, email: str, password: str, roles: set[Role], name: str = ""
) -> User:
    email = normalise_email(email)
    if find_user(email) is not None:
        raise AccountError(_("Es gibt bereits ein Konto für %(email)s.", email=email))
    # No password yet: set_password() below checks and hashes it (hence nosec).
    user = User(email=email, name=name.strip(), password_hash="", active=True)  # nosec B106
    set_password(user, password)
    user.roles = [UserRole(role=role) for role in sorted(roles)]
    db.session.add(user)
    audit.record(
        actor, "user.create", user, {"email": [None, email], "roles": [None, sorted(roles)]}
    )
    return user


def all_users() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.email)))


def _active_admins() -> int:
    stmt = (
        sa.select(sa.func.count())
        .select_from(User)
        .join(UserRole)
        .where(User.active.is_(True), UserRole.role == Role.ADMIN)
    )
    return db.session.scalar(stmt)


def update_user(
    actor: User, user: User, *, name: str, roles: set[Role], active: bool, password: str = ""
) -> None:
    """Change an account's name, roles, status and (optionally) password, audit-logged.

    Nobody locks the platform out: the last active admin keeps the role and stays active.
    """
    loses_admin = (
        Role.ADMIN in user.role_set and user.active and (Role.ADMIN not in roles or not active)
    )
    if loses_admin and _active_admins() <= 1:
        raise AccountError(_("Das letzte aktive Administrationskonto kann nicht entzogen werden."))
    changes = audit.diff(user, {"name": name.strip(), "active": active})
    if roles != user.role_set:
        changes["roles"] = [sorted(user.role_set), sorted(roles)]
        user.roles = [r for r in user.roles if r.role in roles] + [
            UserRole(role=role) for role in sorted(roles - user.role_set)
        ]
    if not active and "active" in changes:
        end_all_sessions(user)
    if password:
        set_password(user, password)
        changes["password"] = ["***", "***"]
    if changes:
        audit.record(actor, "user.update", user, changes)


def change_own_password(user: User, current: str, new: str) -> None:
    """Replace the user's password after checking the current one; ends all other sessions."""
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise AccountError(_("Das bisherige Passwort ist nicht korrekt.")) from None
    if new == current:
        raise PasswordRejected([_("Das neue Passwort muss sich vom bisherigen unterscheiden.")])
    set_password(user, new)
    audit.record(user, "user.password_change", user)
