"""Staff roles and the decorators that guard views. One person may hold several roles."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from dialog.extensions import login_manager


class Role(StrEnum):
    ADMIN = "admin"
    MODERATOR = "moderator"
    ANALYST = "analyst"
    ANALYST_LEAD = "analyst_lead"  # codes too, and draws double-coding samples
    RATER = "rater"  # invited external expert: only sees and rates recommendations

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ADMIN: _l("Administration"),
    Role.MODERATOR: _l("Moderation"),
    Role.ANALYST: _l("Analyse"),
    Role.ANALYST_LEAD: _l("Analyseleitung"),
    Role.RATER: _l("Bewertung (extern)"),
}


def roles_required(*roles: Role) -> Callable:
    """Allow a view to signed-in staff holding at least one of `roles` (any role if none given).

    Anonymous visitors are sent to the login page; signed-in staff without the role get 403.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and not current_user.has_any_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
