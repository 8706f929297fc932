"""Pure rules for staff accounts."""

from __future__ import annotations

from enum import StrEnum

MIN_PASSWORD_LENGTH = 12
MIN_DISTINCT_CHARACTERS = 5


class PasswordProblem(StrEnum):
    TOO_SHORT = "too_short"
    SAME_AS_EMAIL = "same_as_email"
    TOO_FEW_DISTINCT = "too_few_distinct"


def password_problems(password: str, email: str = "") -> list[PasswordProblem]:
    """Every reason why `password` is too weak for a staff account; empty when it is fine."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(PasswordProblem.TOO_SHORT)
    if email and password.strip().lower() == email.strip().lower():
        problems.append(PasswordProblem.SAME_AS_EMAIL)
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        problems.append(PasswordProblem.TOO_FEW_DISTINCT)
    return problems
