"""Imports every model so that the metadata (and Alembic) sees the whole schema."""

from dialog.accounts.models import User, UserRole
from dialog.answers.models import Answer, AnswerReport, Submission
from dialog.common.audit import AuditEntry
from dialog.pages.models import Page
from dialog.process.models import GuidingQuestion, Phase, Process, ThemeField

__all__ = [
    "Answer",
    "AnswerReport",
    "AuditEntry",
    "GuidingQuestion",
    "Page",
    "Phase",
    "Process",
    "Submission",
    "ThemeField",
    "User",
    "UserRole",
]
