from datetime import timedelta

import pytest

from dialog.common.mail.rules import is_permanent_refusal, retry_delay


@pytest.mark.parametrize(
    ("attempts", "minutes"),
    [(0, 1), (1, 1), (2, 2), (3, 4), (4, 8), (5, 16), (6, 32), (7, 60), (8, 60), (10_000, 60)],
)
def test_retry_delay_doubles_up_to_an_hour(attempts, minutes):
    assert retry_delay(attempts) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("code", "permanent"),
    [(550, True), (554, True), (553, True), (421, False), (450, False), (451, False)],
)
def test_only_5xx_refusals_are_final(code, permanent):
    assert is_permanent_refusal(code) is permanent
