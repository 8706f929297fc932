"""Imports every model so that the metadata (and Alembic) sees the whole schema."""

from dialog.accessibility.models import AccessibilityFeedback
from dialog.accounts.models import User, UserRole
from dialog.answers.models import Answer, AnswerReport, Submission
from dialog.coding.models import (
    AnswerAnnotation,
    Code,
    CodeAssignment,
    CodeSuggestion,
    CodingEvent,
    CodingSample,
    CodingSampleAnswer,
    Rating,
)
from dialog.common.audit import AuditEntry
from dialog.common.mail.models import OutboxMail
from dialog.events.models import Application, Event, EventQuota, Invitation, Registration
from dialog.imports.models import AnswerImport
from dialog.notifications.models import ResultSubscription
from dialog.pages.models import Page
from dialog.process.models import GuidingQuestion, Phase, Process, ThemeField
from dialog.quality.models import CampaignGroup
from dialog.recommendations.models import (
    EventDocumentationEntry,
    PublicResultsVersion,
    Recommendation,
    RecommendationEvidence,
    RecommendationOption,
    RecommendationRating,
    RecommendationStatusChange,
    RecommendationSupport,
)
from dialog.reports.models import PublishedFile, ReportJob

__all__ = [
    "AccessibilityFeedback",
    "Answer",
    "AnswerAnnotation",
    "AnswerImport",
    "AnswerReport",
    "Application",
    "AuditEntry",
    "CampaignGroup",
    "Code",
    "CodeAssignment",
    "CodeSuggestion",
    "CodingEvent",
    "CodingSample",
    "CodingSampleAnswer",
    "Event",
    "EventDocumentationEntry",
    "EventQuota",
    "GuidingQuestion",
    "Invitation",
    "OutboxMail",
    "Page",
    "Phase",
    "Process",
    "PublicResultsVersion",
    "PublishedFile",
    "Rating",
    "Recommendation",
    "RecommendationEvidence",
    "RecommendationOption",
    "RecommendationRating",
    "RecommendationStatusChange",
    "RecommendationSupport",
    "Registration",
    "ReportJob",
    "ResultSubscription",
    "Submission",
    "ThemeField",
    "User",
    "UserRole",
]
