"""Pure rules for citizens' answers: what may be sent, edited, published and shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

MAX_ANSWER_LENGTH = 5000
REPLACEMENT_CHARACTER = "\ufffd"  # what undecodable bytes become when a form is parsed


class Perspective(StrEnum):
    CITIZEN = "citizen"
    EMPLOYEE = "employee"
    EMPLOYER = "employer"
    UNION = "union"
    ASSOCIATION = "association"
    SCIENCE = "science"
    OTHER = "other"


class AgeBand(StrEnum):
    UNDER_25 = "under_25"
    FROM_25 = "25_34"
    FROM_35 = "35_44"
    FROM_45 = "45_54"
    FROM_55 = "55_64"
    FROM_65 = "65_plus"


class Channel(StrEnum):
    """How a contribution reached the ministry."""

    ONLINE = "online"
    DIALOGUE_ISLAND = "dialogue_island"  # Dialoginsel at an event
    LETTER = "letter"
    EMAIL = "email"
    OTHER = "other"


class AnswerStatus(StrEnum):
    PENDING = "pending"  # waiting for moderation
    PUBLISHED = "published"  # public (its redacted text, if any)
    INTERNAL = "internal"  # accepted for analysis, not public (no publication consent)
    REJECTED = "rejected"  # breaks the Netiquette; kept for the record, never public
    HIDDEN = "hidden"  # was public, taken down after a report


class RejectionReason(StrEnum):
    """The Netiquette's rules, so that every rejection names the rule it applies."""

    DISRESPECTFUL = "disrespectful"  # 1. sachlich und respektvoll
    HATE = "hate"  # 2. keine Beleidigungen, Diskriminierung, Hetze, Gewaltaufrufe
    PERSONAL_DATA = "personal_data"  # 3. keine personenbezogenen Daten Dritter
    ADVERTISING = "advertising"  # 4. keine Werbung
    OFF_TOPIC = "off_topic"  # 5. beim Thema bleiben
    SPAM = "spam"  # automated or repeated submissions


class AnswerProblem(StrEnum):
    TOO_LONG = "too_long"
    INVALID_ENCODING = "invalid_encoding"


class FormProblem(StrEnum):
    NO_ANSWER = "no_answer"
    DIALOGUE_CLOSED = "dialogue_closed"
    TOO_FAST = "too_fast"
    HONEYPOT = "honeypot"


@dataclass(frozen=True)
class SubmissionCheck:
    """The outcome of checking a submitted form: problems per question and for the form."""

    answer_problems: Mapping[int, AnswerProblem]
    form_problems: tuple[FormProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.answer_problems and not self.form_problems


def answer_problem(raw_text: str) -> AnswerProblem | None:
    """What is wrong with one answer as typed (before it is cleaned), or None."""
    if REPLACEMENT_CHARACTER in raw_text:
        return AnswerProblem.INVALID_ENCODING
    if len(raw_text.strip()) > MAX_ANSWER_LENGTH:
        return AnswerProblem.TOO_LONG
    return None


def check_submission(
    texts: Mapping[int, str],
    *,
    dialogue_open: bool,
    seconds_taken: float | None,
    min_seconds: float,
    honeypot: str,
) -> SubmissionCheck:
    """Check a whole form: `texts` maps question ids to what the person typed.

    `seconds_taken` is None when the form's start time is missing or forged.
    """
    problems = {qid: p for qid, text in texts.items() if (p := answer_problem(text))}
    form: list[FormProblem] = []
    if not dialogue_open:
        form.append(FormProblem.DIALOGUE_CLOSED)
    if not any(text.strip() for text in texts.values()):
        form.append(FormProblem.NO_ANSWER)
    if honeypot.strip():
        form.append(FormProblem.HONEYPOT)
    if seconds_taken is None or seconds_taken < min_seconds:
        form.append(FormProblem.TOO_FAST)
    return SubmissionCheck(problems, tuple(form))


def editable_by_author(status: AnswerStatus, *, dialogue_open: bool) -> bool:
    """Authors may change an answer until a moderator has looked at it, and only while the
    dialogue is open: after it, the analysis works on what was sent (deleting stays possible)."""
    return dialogue_open and status == AnswerStatus.PENDING


def moderation_target(publication_consent: bool) -> AnswerStatus:
    """What "accept" means for an answer: public only with the author's consent."""
    return AnswerStatus.PUBLISHED if publication_consent else AnswerStatus.INTERNAL


def public_text(text: str, redacted_text: str | None) -> str:
    """The text the public sees: the moderator's redaction where there is one."""
    return redacted_text if redacted_text is not None else text
