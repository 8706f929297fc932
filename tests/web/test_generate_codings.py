"""`flask generate-codings`: a two-level codebook, distinct codes per answer, ratings, samples."""

from collections import Counter

import pytest
import sqlalchemy as sa

from dialog.accounts.models import User
from dialog.answers.generate import generate_answers
from dialog.answers.models import Answer
from dialog.coding.generate import CODER_EMAILS, generate_codings
from dialog.coding.models import (
    AnswerAnnotation,
    Code,
    CodeAssignment,
    CodingSample,
    CodingSampleAnswer,
    Rating,
)
from dialog.common.permissions import Role
from dialog.extensions import db

PROCESS = "mission-fachkraft"


@pytest.fixture
def answers(seeded) -> int:
    made = generate_answers(400, PROCESS, seed=3)
    db.session.commit()
    return made


def shared_codes() -> dict[int, list[int]]:
    rows = db.session.execute(
        sa.select(CodeAssignment.answer_id, CodeAssignment.code_id).where(
            CodeAssignment.sample_id.is_(None)
        )
    )
    by_answer: dict[int, list[int]] = {}
    for answer_id, code_id in rows:
        by_answer.setdefault(answer_id, []).append(code_id)
    return by_answer


def test_command_codes_every_answer_with_distinct_codes_of_its_theme_field(runner, answers):
    result = runner.invoke(args=["generate-codings", "--per-answer", "2"])
    assert result.exit_code == 0, result.output
    assert "Generated 40 codes, 800 code assignments" in result.output

    codes = {c.id: c for c in db.session.scalars(sa.select(Code))}
    assert len(codes) == 40
    parents = [c for c in codes.values() if c.parent_id is None]
    assert len(parents) == 8  # two top-level codes per theme field
    for code in codes.values():
        if code.parent_id is not None:  # two levels: a parent is itself top-level
            parent = codes[code.parent_id]
            assert parent.parent_id is None
            assert parent.theme_field_id == code.theme_field_id
    assert Counter(c.theme_field_id for c in codes.values()) == Counter(
        {theme_id: 10 for theme_id in {c.theme_field_id for c in codes.values()}}
    )

    theme_of = dict(db.session.execute(sa.select(Answer.id, Answer.theme_field_id)).all())
    by_answer = shared_codes()
    assert set(by_answer) == set(theme_of)
    for answer_id, code_ids in by_answer.items():
        assert len(code_ids) == len(set(code_ids)) == 2
        assert all(codes[c].theme_field_id == theme_of[answer_id] for c in code_ids)
    # Codes are spread over the codebook, not stuck on a few.
    used = Counter(c for code_ids in by_answer.values() for c in code_ids)
    assert len(used) == 40
    assert max(used.values()) < 4 * min(used.values())
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                CodeAssignment.code_id != CodeAssignment.original_code_id
            )
        )
        == 0
    )


def test_coders_are_inactive_generated_analysts(runner, answers):
    assert runner.invoke(args=["generate-codings"]).exit_code == 0
    coders = db.session.scalars(sa.select(User).where(User.email.in_(CODER_EMAILS))).all()
    assert len(coders) == 2
    assert all(not u.active and u.role_set == {Role.ANALYST} for u in coders)
    coder_ids = {u.id for u in coders}
    assigned_by = set(db.session.scalars(sa.select(CodeAssignment.coder_id).distinct()))
    assert assigned_by == coder_ids


def test_proposals_are_rated_by_both_coders_on_the_scale(runner, answers):
    assert runner.invoke(args=["generate-codings"]).exit_code == 0
    proposals = set(
        db.session.scalars(
            sa.select(AnswerAnnotation.answer_id).where(AnswerAnnotation.is_proposal.is_(True))
        )
    )
    assert 5 <= len(proposals) <= 45  # about 5 % of 400
    ratings = db.session.execute(
        sa.select(Rating.answer_id, Rating.rater_id, Rating.effectiveness, Rating.feasibility)
    ).all()
    assert len(ratings) == 2 * len(proposals)
    assert {r.answer_id for r in ratings} == proposals
    assert {r.effectiveness for r in ratings} <= set(range(1, 6))
    assert {r.feasibility for r in ratings} <= set(range(1, 6))
    assert len({r.effectiveness for r in ratings}) >= 3  # not one constant value


def test_samples_give_each_coder_their_own_codes(runner, answers):
    assert runner.invoke(args=["generate-codings", "--per-answer", "3"]).exit_code == 0
    samples = db.session.scalars(sa.select(CodingSample).order_by(CodingSample.id)).all()
    assert [s.percent for s in samples] == [1.0, 0.5]
    assert all(s.coder_a_id and s.coder_b_id and s.coder_a_id != s.coder_b_id for s in samples)
    first = samples[0]
    drawn = set(
        db.session.scalars(
            sa.select(CodingSampleAnswer.answer_id).where(CodingSampleAnswer.sample_id == first.id)
        )
    )
    assert len(drawn) == 4  # 1 % of 400
    rows = db.session.execute(
        sa.select(CodeAssignment.coder_id, CodeAssignment.answer_id, CodeAssignment.code_id).where(
            CodeAssignment.sample_id == first.id
        )
    ).all()
    per_coder: dict[int, dict[int, set[int]]] = {}
    for coder_id, answer_id, code_id in rows:
        per_coder.setdefault(coder_id, {}).setdefault(answer_id, set()).add(code_id)
    assert set(per_coder) == {first.coder_a_id, first.coder_b_id}
    for coded in per_coder.values():
        assert set(coded) == drawn
        assert all(len(code_ids) == 3 for code_ids in coded.values())
    shared = shared_codes()
    # Coder A codes like the shared coding; coder B agrees at least on one code per answer.
    assert all(per_coder[first.coder_a_id][a] == set(shared[a]) for a in drawn)
    assert all(per_coder[first.coder_a_id][a] & per_coder[first.coder_b_id][a] for a in drawn)


def test_a_second_run_only_codes_new_answers(runner, answers):
    assert runner.invoke(args=["generate-codings"]).exit_code == 0
    before = db.session.scalar(sa.select(sa.func.count()).select_from(CodeAssignment))
    result = runner.invoke(args=["generate-codings"])
    assert result.exit_code == 0, result.output
    assert "Generated 0 codes, 0 code assignments, 0 proposals with 0 ratings, 0 samples" in (
        result.output
    )
    generate_answers(10, PROCESS, seed=4)
    db.session.commit()
    result = runner.invoke(args=["generate-codings"])
    assert "0 codes, 20 code assignments" in result.output
    after = db.session.scalar(sa.select(sa.func.count()).select_from(CodeAssignment))
    assert after == before + 20
    assert all(len(c) == 2 for c in shared_codes().values())
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CodingSample)) == 2


def test_the_same_seed_makes_the_same_codes(app, answers):
    generate_codings(PROCESS, seed=5)
    first = shared_codes()
    db.session.execute(sa.delete(CodeAssignment))
    generate_codings(PROCESS, seed=5)
    assert shared_codes() == first
    db.session.execute(sa.delete(CodeAssignment).where(CodeAssignment.sample_id.is_(None)))
    generate_codings(PROCESS, seed=6)
    assert shared_codes() != first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--per-answer", "0"], "0 is not in the range 1<=x<=10"),
        (["--per-answer", "11"], "11 is not in the range 1<=x<=10"),
        (["--process", "gibt-es-nicht"], "unknown process 'gibt-es-nicht'"),
    ],
)
def test_bad_arguments_are_refused(runner, seeded, args, message):
    result = runner.invoke(args=["generate-codings", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Code)) == 0


def test_refused_outside_demo_mode(runner, app, answers):
    app.config["DEMO_MODE"] = False
    result = runner.invoke(args=["generate-codings"])
    assert result.exit_code != 0
    assert "refused outside demo mode" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CodeAssignment)) == 0


def test_rejects_per_answer_beyond_the_codes_of_a_theme_field(app, seeded):
    with pytest.raises(ValueError, match="between 1 and 10"):
        generate_codings(PROCESS, per_answer=11)
