import pandas as pd

from analysis.quotes import quotable, representative_quotes, shorten

LONG = "Die Ausbildung im Handwerk braucht mehr Anerkennung und bessere Bezahlung."


def test_only_published_with_consent_unflagged_first_of_campaign_are_quotable():
    answers = pd.DataFrame(
        {
            "answer_id": [1, 2, 3, 4, 5, 6],
            "status": ["published", "pending", "published", "published", "published", "published"],
            "published_text": [LONG, None, LONG, LONG, LONG, LONG],
            "publication_consent": [True, True, True, True, True, False],
            "flagged": [False, False, True, False, False, False],
            "campaign_id": [0, 0, 0, 7, 7, 0],
        }
    )
    assert quotable(answers)["answer_id"].tolist() == [1, 4]


def test_quotes_prefer_specific_answers_and_cite_their_ids():
    answers = pd.DataFrame(
        {
            "answer_id": [1, 2, 3, 4],
            "status": ["published"] * 3 + ["internal"],
            "published_text": [LONG + " Und Kitas.", LONG, "Zu kurz.", None],
            "publication_consent": [True] * 4,
        }
    )
    pairs = pd.DataFrame({"answer_id": [1, 1, 2, 3, 4], "code_id": [10, 11, 10, 10, 10]})
    quotes = representative_quotes(pairs, answers, per_code=2)
    assert quotes.to_dict("records") == [
        {"code_id": 10, "answer_id": 2, "quote": LONG},  # only code 10: most specific
        {"code_id": 10, "answer_id": 1, "quote": LONG + " Und Kitas."},
        {"code_id": 11, "answer_id": 1, "quote": LONG + " Und Kitas."},
    ]


def test_shorten_cuts_at_a_word():
    assert shorten("eins zwei drei", limit=9) == "eins …"
    assert shorten("kurz", limit=9) == "kurz"
