from datetime import date

import sqlalchemy as sa

from dialog.accounts.models import User
from dialog.common.permissions import Role
from dialog.extensions import db
from dialog.pages.models import Page
from dialog.process.models import GuidingQuestion, Phase, Process, ThemeField
from dialog.process.rules import PhaseKind


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Process, Phase, ThemeField, GuidingQuestion, Page)
    }


def test_seed_is_idempotent_and_keeps_staff_edits(runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert counts() == {"Process": 1, "Phase": 3, "ThemeField": 4, "GuidingQuestion": 8, "Page": 6}
    page = db.session.scalar(sa.select(Page).where(Page.slug == "impressum"))
    page.body = "Von der Redaktion geändert"
    db.session.commit()
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0
    assert "nothing new" in result.output
    assert counts()["GuidingQuestion"] == 8
    db.session.expire_all()
    assert db.session.scalar(sa.select(Page.body).where(Page.slug == "impressum")) == (
        "Von der Redaktion geändert"
    )


def test_seed_restores_deleted_pieces(runner):
    runner.invoke(args=["seed"])
    db.session.delete(db.session.scalar(sa.select(Page).where(Page.slug == "netiquette")))
    db.session.commit()
    result = runner.invoke(args=["seed"])
    assert "1 pages" in result.output
    assert counts()["Page"] == 6


def test_seed_historical_dates(runner):
    runner.invoke(args=["seed"])
    result = runner.invoke(args=["seed", "--dates", "historical"])
    assert result.exit_code == 0
    db.session.expire_all()
    dialogue = db.session.scalar(sa.select(Phase).where(Phase.kind == PhaseKind.DIALOGUE))
    assert (dialogue.starts_on, dialogue.ends_on) == (date(2023, 9, 1), date(2024, 7, 31))
    analysis = db.session.scalar(sa.select(Phase).where(Phase.kind == PhaseKind.ANALYSIS))
    assert analysis.starts_on == date(2023, 3, 1)


def test_seeded_questions_are_the_official_ones(runner):
    runner.invoke(args=["seed"])
    texts = set(db.session.scalars(sa.select(GuidingQuestion.text)))
    assert "Was macht gute Bildung und eine attraktive Ausbildung in Zukunft aus?" in texts
    assert (
        "Welche Gesetze und Vorschriften sind erforderlich, um gute Arbeitsbedingungen "
        "sicherzustellen?" in texts
    )


def test_create_user_prompts_for_password_and_assigns_roles(runner):
    result = runner.invoke(
        args=["create-user", "Admin@Example.org", "--role", "admin", "--role", "analyst"],
        input="ein-sehr-gutes-passwort\nein-sehr-gutes-passwort\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User))
    assert user.email == "admin@example.org"
    assert user.role_set == {Role.ADMIN, Role.ANALYST}
    assert user.password_hash.startswith("$argon2id$")
    assert "ein-sehr-gutes-passwort" not in user.password_hash


def test_create_user_refuses_weak_password_and_duplicates(runner):
    result = runner.invoke(
        args=["create-user", "a@example.org", "--role", "admin"], input="kurz\nkurz\n"
    )
    assert result.exit_code != 0
    assert "mindestens 12 Zeichen" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    good = "ein-sehr-gutes-passwort\n" * 2
    assert (
        runner.invoke(
            args=["create-user", "a@example.org", "--role", "admin"], input=good
        ).exit_code
        == 0
    )
    result = runner.invoke(args=["create-user", "A@example.org", "--role", "moderator"], input=good)
    assert result.exit_code != 0
    assert "Es gibt bereits ein Konto" in result.output


def test_create_user_rejects_unknown_role(runner):
    result = runner.invoke(args=["create-user", "a@example.org", "--role", "king"], input="x\nx\n")
    assert result.exit_code != 0
    assert "king" in result.output


def test_demo_users_only_in_demo_mode(runner, app):
    result = runner.invoke(args=["seed", "--demo-users"])
    assert result.exit_code == 0, result.output
    emails = set(db.session.scalars(sa.select(User.email)))
    assert emails == {
        "admin@demo.example.org",
        "moderation@demo.example.org",
        "analyse@demo.example.org",
        "analyseleitung@demo.example.org",
        "bewertung@demo.example.org",
        "fachbeirat@demo.example.org",
    }
    assert runner.invoke(args=["seed", "--demo-users"]).exit_code == 0  # idempotent
    app.config["DEMO_MODE"] = False
    result = runner.invoke(args=["seed", "--demo-users"])
    assert result.exit_code != 0
    assert "refused outside demo mode" in result.output
