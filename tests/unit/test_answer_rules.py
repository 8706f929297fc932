"""Pure rules of answers: when an author may still change one."""

import pytest

from dialog.answers.rules import AnswerStatus, editable_by_author


@pytest.mark.parametrize("status", list(AnswerStatus))
def test_only_unmoderated_answers_in_an_open_dialogue_are_editable(status):
    assert editable_by_author(status, dialogue_open=True) is (status == AnswerStatus.PENDING)
    assert editable_by_author(status, dialogue_open=False) is False
