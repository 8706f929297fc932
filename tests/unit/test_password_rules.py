from dialog.accounts.rules import PasswordProblem, password_problems


def test_password_rules():
    assert password_problems("korrekt-pferd-batterie", "a@b.de") == []
    assert PasswordProblem.TOO_SHORT in password_problems("kurz", "")
    assert password_problems("aaaaaaaaaaaaaaaa") == [PasswordProblem.TOO_FEW_DISTINCT]
    assert PasswordProblem.SAME_AS_EMAIL in password_problems(
        "Person@Example.org", "person@example.org"
    )


def test_common_words_with_digits_are_refused():
    assert PasswordProblem.COMMON in password_problems("passwort1234")
    assert PasswordProblem.COMMON in password_problems("Willkommen2024!")
    assert PasswordProblem.COMMON in password_problems(
        "erika.mustermann99", "erika.mustermann@bund.de"
    )
    assert password_problems("Sieben Zwerge hinter Bergen", "a@b.de") == []
