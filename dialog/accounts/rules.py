"""Pure rules for staff accounts."""

from __future__ import annotations

from enum import StrEnum

MIN_PASSWORD_LENGTH = 12
MIN_DISTINCT_CHARACTERS = 5


# Words that make a password guessable whatever digits and signs are added to them.
COMMON_WORDS = frozenset(
    {"passwort", "password", "kennwort", "geheim", "admin", "qwertz", "qwerty", "asdf",
     "willkommen", "welcome", "hallo", "letmein", "abc", "test", "sommer", "winter"}
)  # fmt: skip


class PasswordProblem(StrEnum):
    TOO_SHORT = "too_short"
    SAME_AS_EMAIL = "same_as_email"
    TOO_FEW_DISTINCT = "too_few_distinct"
    COMMON = "common"


def password_problems(password: str, email: str = "") -> list[PasswordProblem]:
    """Every reason why `password` is too weak for a staff account; empty when it is fine."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(PasswordProblem.TOO_SHORT)
    if email and password.strip().lower() == email.strip().lower():
        problems.append(PasswordProblem.SAME_AS_EMAIL)
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        problems.append(PasswordProblem.TOO_FEW_DISTINCT)
    core = "".join(c for c in password.lower() if c.isalpha())
    if core in COMMON_WORDS or (email and core and core in email.lower().replace(".", "")):
        problems.append(PasswordProblem.COMMON)
    return problems
