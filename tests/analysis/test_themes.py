import pandas as pd

from analysis.themes import GERMAN_STOP_WORDS, _Analyzer, suggest_themes


def test_analyzer_drops_stop_words_and_stems():
    analyzer = _Analyzer()
    assert analyzer("Die Pflegekräfte und die Pflegekraft, 2024!") == ["pflegekraft"] * 2
    assert "und" in GERMAN_STOP_WORDS
    assert analyzer.readable("pflegekraft") in {"pflegekräfte", "pflegekraft"}


def test_planted_themes_are_found_with_their_answers():
    care = [f"Pflegekräfte brauchen bessere Löhne und Schichtpläne, Fall {i}" for i in range(12)]
    kita = [f"Kitaplätze und Ganztagsbetreuung für Eltern ausbauen, Ort {i}" for i in range(12)]
    answers = pd.DataFrame({"answer_id": range(1, 25), "text": care + kita})
    themes, examples = suggest_themes(answers, n_themes=2, n_terms=4, n_examples=3)
    assert themes["size"].tolist() == [12, 12]
    by_theme = {row.theme: row.top_terms for row in themes.itertuples()}
    care_theme = next(t for t, terms in by_theme.items() if "löhne" in terms)
    kita_theme = next(t for t, terms in by_theme.items() if "kitaplätze" in terms)
    assert care_theme != kita_theme
    assert set(examples[examples["theme"] == care_theme]["answer_id"]) <= set(range(1, 13))
    assert set(examples[examples["theme"] == kita_theme]["answer_id"]) <= set(range(13, 25))


def test_too_few_answers_give_no_themes():
    themes, examples = suggest_themes(pd.DataFrame({"answer_id": [1], "text": ["Pflege"]}))
    assert themes.empty and examples.empty
