"""Imports every model so that the metadata (and Alembic) sees the whole schema."""

from dialog.accounts.models import User, UserRole
from dialog.common.audit import AuditEntry
from dialog.pages.models import Page
from dialog.process.models import GuidingQuestion, Phase, Process, ThemeField

__all__ = [
    "AuditEntry",
    "GuidingQuestion",
    "Page",
    "Phase",
    "Process",
    "ThemeField",
    "User",
    "UserRole",
]
