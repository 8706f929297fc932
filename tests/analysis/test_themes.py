import numpy as np
import pandas as pd

from analysis.themes import _Analyzer, suggest_themes

TOPICS = {
    "kita": [
        "Es fehlen Kitaplätze, deshalb arbeite ich nur in Teilzeit.",
        "Die Kita schließt um 14 Uhr, so kann keine Mutter Vollzeit arbeiten.",
        "Ganztagsbetreuung in Kita und Grundschule muss verlässlich werden.",
        "Ohne Kitaplatz keine Rückkehr in den Beruf, wir warten seit einem Jahr.",
        "Mehr Erzieherinnen, damit die Kita nicht ständig wegen Personalmangel schließt.",
        "Betriebskitas würden Eltern im Schichtdienst sehr helfen.",
        "Kitagebühren abschaffen, dann lohnt sich Arbeit für Eltern wieder.",
        "Die Öffnungszeiten der Kita passen nicht zu meinen Arbeitszeiten.",
    ],
    "anerkennung": [
        "Die Anerkennung meines Abschlusses aus Syrien dauerte zwei Jahre.",
        "Ausländische Berufsabschlüsse müssen schneller anerkannt werden.",
        "Für die Anerkennung brauchte ich Übersetzungen, die sehr teuer waren.",
        "Die Behörden für die Anerkennung sind überlastet und antworten nicht.",
        "Meine Ausbildung als Ingenieurin wird in Deutschland nicht anerkannt.",
        "Ein Online-Antrag für die Anerkennung von Abschlüssen würde Monate sparen.",
        "Anerkennungsverfahren sind zu kompliziert, jedes Bundesland macht es anders.",
        "Ohne anerkannten Abschluss arbeite ich als Helferin statt als Pflegefachkraft.",
    ],
    "rente": [
        "Ältere Beschäftigte wollen länger arbeiten, wenn die Arbeitszeit flexibel ist.",
        "Mit 63 würde ich gern in Teilrente gehen und weiter zwei Tage arbeiten.",
        "Wer über 60 ist, bekommt keine Stelle mehr, das ist Altersdiskriminierung.",
        "Der Übergang in die Rente sollte gleitend möglich sein.",
        "Ältere Kollegen haben Erfahrung, die Betriebe zu wenig schätzen.",
        "Hinzuverdienst in der Rente darf nicht bestraft werden.",
        "Ältere brauchen Weiterbildung genauso wie Junge, auch mit 58.",
        "Flexible Rente und altersgerechte Arbeitsplätze halten Fachkräfte länger im Betrieb.",
    ],
}


def test_analyzer_lemmatises_drops_function_words_and_splits_compounds():
    analyzer = _Analyzer()
    analyzer.learn(pd.Series(["Kita Platz Kitaplätze Betreuung"]))
    terms = analyzer("Die Kitaplätze und die Betreuung, 2024!")
    assert "kitaplatz" in terms and "kita" in terms and "platz" in terms
    assert "die" not in terms and "und" not in terms
    assert analyzer.readable("kitaplatz") in {"Kitaplatz", "kitaplatz"}


def test_the_number_of_themes_comes_from_the_data_and_themes_are_pure():
    texts, labels = [], []
    for topic, answers in TOPICS.items():
        texts += answers
        labels += [topic] * len(answers)
    frame = pd.DataFrame({"answer_id": range(1, len(texts) + 1), "text": texts})
    found = suggest_themes(frame)
    assert 3 <= len(found.themes) <= 5
    assigned = found.assignments.assign(label=labels)
    assigned = assigned[assigned["theme"] > 0]
    assert len(assigned) >= 0.8 * len(frame)  # most answers fit a theme
    purity = assigned.groupby("theme")["label"].agg(lambda s: s.value_counts().iloc[0]).sum()
    assert purity / len(assigned) >= 0.75
    # Each topic is the majority of a theme of its own.
    majority = assigned.groupby("theme")["label"].agg(lambda s: s.value_counts().index[0])
    assert set(majority) == set(TOPICS)
    # Examples cite answers of their theme.
    for row in found.examples.itertuples():
        theme = found.assignments.set_index("answer_id").loc[row.answer_id, "theme"]
        assert theme == row.theme
    assert np.all(found.themes["terms"].str.len() > 0)


def test_too_few_answers_give_no_themes_and_every_answer_unassigned():
    found = suggest_themes(pd.DataFrame({"answer_id": [1, 2], "text": ["Pflege", "Kita"]}))
    assert found.themes.empty and found.examples.empty
    assert found.assignments["theme"].tolist() == [0, 0]
