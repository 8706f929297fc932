import pandas as pd

from analysis import language
from analysis import text as tx


def detect(texts):
    series = pd.Series(texts)
    return language.detect(series, tx.words(tx.arrow_strings(series))).tolist()


def test_german_dialects_english_and_other_languages():
    texts = [
        "Die Anerkennung der Abschlüsse dauert viel zu lange und ist zu teuer.",
        "Mir ham a Problem mit de Kitas, des is fei net in Ordnung, a bissl mehr Plätz warad guat.",
        "Wi hebbt dat Problem, dat de Lüüd nich noog Geld för de Utbildung kriegt.",
        "Des isch doch net recht, dass mir so lang schaffe müsse ohne Pause.",
        "My degree as a nurse from the Philippines took 14 months to be recognised.",
        "Tanınma süreci çok uzun sürüyor, diplomam hâlâ onaylanmadı.",
        "Я приїхала з України у 2022 році. Я вчителька математики, але тут я прибиральниця.",
        "k.A.",
    ]
    assert detect(texts) == ["de", "de", "de", "de", "en", "tr", "uk", "und"]


def test_language_names_for_the_report():
    assert language.label("en") == "Englisch"
    assert language.label("und").startswith("nicht bestimmbar")
    assert language.label("xx") == "xx"
