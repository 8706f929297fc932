from dialog.accounts.rules import PasswordProblem, password_problems


def test_password_rules():
    assert password_problems("korrekt-pferd-batterie", "a@b.de") == []
    assert PasswordProblem.TOO_SHORT in password_problems("kurz", "")
    assert password_problems("aaaaaaaaaaaaaaaa") == [PasswordProblem.TOO_FEW_DISTINCT]
    assert PasswordProblem.SAME_AS_EMAIL in password_problems(
        "Person@Example.org", "person@example.org"
    )
