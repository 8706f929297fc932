"""Pure rules of the outbox: when to try again, which refusals are final, what is overdue."""

from __future__ import annotations

from datetime import timedelta

FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=1)
# A mail still waiting after this long is shown to admins: the worker or the server is stuck.
OVERDUE_AFTER = timedelta(minutes=15)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4 … minutes, at most 1 h."""
    exponent = min(max(attempts - 1, 0), 10)  # bounded: days of failures need no huge numbers
    return min(FIRST_RETRY * 2**exponent, MAX_RETRY)


def is_permanent_refusal(smtp_code: int) -> bool:
    """5xx replies are final (e.g. 550 unknown recipient); 4xx ask us to try again later."""
    return 500 <= smtp_code < 600
