import pandas as pd

from analysis.quality import (
    campaign_summary,
    flag_quality,
    normalise,
    one_voice_weights,
    word_set,
)

CAMPAIGN = "Wir fordern mehr Geld für die Pflege, und zwar sofort!"


def answers(texts, theme="a"):
    return pd.DataFrame(
        {"answer_id": range(1, len(texts) + 1), "theme_field": theme, "text": texts}
    )


def test_normalise_ignores_case_punctuation_and_spacing():
    result = normalise(pd.Series(["  Mehr  GELD, bitte!! ", "mehr geld bitte", None, "Ünï, cödé"]))
    assert result.tolist() == ["mehr geld bitte", "mehr geld bitte", "", "ünï cödé"]


def test_word_set_ignores_order_and_punctuation_but_not_words():
    texts = ["Geld, Pflege: mehr!", "mehr geld pflege", "mehr geld", "mehr mehr geld", "…"]
    keys = word_set(pd.Series(texts))
    assert keys[0] == keys[1]
    assert len({keys[1], keys[2], keys[3]}) == 3
    assert pd.isna(keys[4])


def test_copies_and_reworded_copies_form_campaigns_short_texts_do_not():
    texts = [
        CAMPAIGN,
        CAMPAIGN.upper(),
        "wir fordern mehr geld für die pflege und zwar sofort",
        "Sofort: wir fordern mehr Geld für die Pflege, und zwar!",  # same words, reordered
        "Geld für die Pflege, wir fordern mehr, und zwar sofort",
        "Und zwar sofort wir fordern mehr Geld für die Pflege",
        "Keine Ahnung",
        "keine ahnung!",
        "KEINE AHNUNG",
        "Ein ganz eigener, langer Gedanke zur Ausbildung im Handwerk.",
    ]
    flagged = flag_quality(answers(texts))
    assert flagged["campaign_id"].tolist() == [1, 1, 1, 2, 2, 2, 0, 0, 0, 0]
    assert flagged["campaign_size"].tolist() == [3, 3, 3, 3, 3, 3, 1, 1, 1, 1]
    assert flagged["campaign_kind"].tolist()[:6] == ["exact"] * 3 + ["near"] * 3
    assert flagged["is_empty"].tolist() == [False] * 6 + [True] * 3 + [False]
    weights = one_voice_weights(flagged)
    assert weights.sum() == 1 + 1 + 4  # two campaigns count as one voice each
    summary = campaign_summary(flagged)
    assert summary[["campaign_id", "campaign_size", "example_answer_id"]].to_dict("records") == [
        {"campaign_id": 1, "campaign_size": 3, "example_answer_id": 1},
        {"campaign_id": 2, "campaign_size": 3, "example_answer_id": 4},
    ]


def test_two_copies_are_no_campaign():
    flagged = flag_quality(
        answers([CAMPAIGN, CAMPAIGN, "Etwas ganz anderes, und zwar ausführlich."])
    )
    assert flagged["campaign_id"].tolist() == [0, 0, 0]


def test_spam_signs():
    texts = [
        "Billig kaufen: https://a.example und https://b.example",
        "!!!!!!!!!!!!!!!!!!",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "Mehr Kitaplätze, siehe https://www.bmas.de",
    ]
    assert flag_quality(answers(texts))["is_spam"].tolist() == [True, True, True, False]


def test_planted_distinct_answers_are_not_merged():
    care = "Wir fordern mehr Geld für die Pflege, und zwar sofort und überall."
    kita = "Wir fordern mehr Geld für die Kitas, und zwar sofort und überall."
    distinct = [
        "Mehr Geld für die Pflege wäre gut, aber wichtiger sind bessere Schichtpläne.",
        "Mehr Geld für die Kitas wäre gut, aber wichtiger sind mehr Erzieherinnen.",
        "Die Pflege braucht mehr Geld, und die Kitas brauchen mehr Personal.",
    ]
    flagged = flag_quality(answers([care] * 3 + [kita] * 3 + distinct))
    assert flagged["campaign_id"].tolist() == [1, 1, 1, 2, 2, 2, 0, 0, 0]
    assert flagged["campaign_size"].tolist() == [3] * 6 + [1] * 3
