"""Texts of synthetic answers: varied like real ones, with a small share of organised campaigns.

Each answer is composed of one to four sentences from slots (who speaks, what is wrong, what
should change, why), so that two generated answers share phrases but hardly ever whole
sentences — as independent people on the same topics do. One answer in CAMPAIGN_SHARE is a
copy of one of a few campaign templates, with its own greeting, sign-off and small edits.
"""

from __future__ import annotations

import random

CAMPAIGN_SHARE = 0.01

OPENERS = (
    "Aus meiner Sicht",
    "Als Mutter von zwei Kindern",
    "In unserem Betrieb",
    "Ehrlich gesagt",
    "Nach 20 Jahren im Beruf",
    "Als Ausbilderin",
    "Bei uns auf dem Land",
    "Als Betriebsrat",
    "Meiner Erfahrung nach",
    "In der Pflege",
    "Als Inhaber eines Handwerksbetriebs",
    "Als Studentin",
    "In meiner Region",
    "Als Schwerbehinderter",
    "Seit meiner Umschulung",
)
PROBLEMS = (
    "fehlen verlässliche Kitaplätze am Nachmittag",
    "dauert die Anerkennung ausländischer Abschlüsse viel zu lange",
    "werden ältere Bewerber kaum noch eingeladen",
    "sind Arbeitsplätze selten barrierefrei",
    "gibt es zu wenige berufsbezogene Deutschkurse",
    "arbeiten Pflegekräfte ständig über ihrer Belastungsgrenze",
    "wird neue Software ohne Schulung eingeführt",
    "verlieren Beschäftigte in der Kohleregion ihre Perspektive",
    "findet das Handwerk kaum noch Nachwuchs",
    "ist Homeoffice vom Wohlwollen der Chefin abhängig",
    "kommt die Berufsorientierung in der Schule zu spät",
    "reicht die Ausbildungsvergütung nicht für ein Zimmer in der Stadt",
    "kostet Weiterbildung Zeit, die niemand freistellt",
    "fehlt in den Schulen die digitale Ausstattung",
    "bleiben Quereinsteiger ohne anerkannten Abschluss",
    "zahlen viele Betriebe keinen Tarif",
    "sind die Arbeitszeiten kaum planbar",
    "wird Leistung von Führungskräften selten anerkannt",
    "nehmen psychische Belastungen am Arbeitsplatz zu",
    "hangeln sich junge Leute von Befristung zu Befristung",
)
PROPOSALS = (
    "Der Bund sollte {thing} fördern",
    "Wir brauchen endlich {thing}",
    "Hilfreich wären {thing}",
    "Die Länder müssen {thing} sicherstellen",
    "Arbeitgeber sollten {thing} anbieten",
    "Es braucht gesetzlich {thing}",
    "Gut wäre eine Pflicht zu {thing}",
    "Mehr Geld für {thing} würde helfen",
)
THINGS = (
    "Ganztagsangebote bis 18 Uhr",
    "digitale Anerkennungsverfahren mit festen Fristen",
    "Teilrente mit flexiblen Übergängen",
    "Zuschüsse für barrierefreie Umbauten",
    "Sprachkurse direkt im Betrieb",
    "einen verbindlichen Personalschlüssel",
    "Schulungen vor jeder Softwareeinführung",
    "Umschulungen mit vollem Lohnausgleich",
    "einen Meisterbonus in allen Ländern",
    "ein Recht auf mobiles Arbeiten",
    "Praktika ab der siebten Klasse",
    "günstige Azubiwohnheime und ein Azubiticket",
    "bezahlte Bildungszeit für alle",
    "Tablets und Fachleute für die Schul-IT",
    "modulare Teilqualifizierungen mit Abschluss",
    "ein Tariftreuegesetz",
    "Arbeitszeitkonten mit Mitsprache",
    "Führungskräftetrainings zur Wertschätzung",
    "Gefährdungsbeurteilungen für psychische Belastung",
    "das Ende sachgrundloser Befristungen",
)
REASONS = (
    "damit Eltern wieder Vollzeit arbeiten können",
    "sonst wandern Fachkräfte ab",
    "weil sonst niemand mehr diesen Beruf lernen will",
    "denn Erfahrung ist wertvoll",
    "weil Inklusion allen nützt",
    "sonst verlieren wir die Jungen an die Großstadt",
    "weil die Betriebe das allein nicht stemmen",
    "damit die Qualität nicht leidet",
    "weil gute Leute sonst kündigen",
    "denn ohne Planungssicherheit gründet niemand eine Familie",
)
EXTRAS = (
    "Bei uns in {town} sieht man das jeden Tag.",
    "Das sage ich seit {years} Jahren.",
    "Ich kenne {n} Kolleginnen, denen es genauso geht.",
    "So kann es nicht weitergehen.",
    "Danke, dass Sie fragen.",
    "Das wäre ein echter Fortschritt.",
)
TOWNS = ("Kassel", "Gera", "Rostock", "Passau", "Kiel", "Görlitz", "Trier", "Ulm", "Bochum")
CAMPAIGNS = (
    "Die Pflegekräfte in unseren Krankenhäusern und Heimen arbeiten seit Jahren am Limit. Wir "
    "fordern einen verbindlichen Personalschlüssel, der sich am tatsächlichen Bedarf "
    "orientiert, und eine spürbare Entlastung durch zusätzliche Stellen. Nur so bleiben "
    "Pflegekräfte im Beruf und junge Menschen entscheiden sich wieder für diese Ausbildung.",
    "Wir fordern ein Bundestariftreuegesetz: Öffentliche Aufträge des Bundes dürfen nur an "
    "Unternehmen gehen, die nach Tarif bezahlen. Wer mit Steuergeld bezahlt wird, muss faire "
    "Löhne zahlen, sonst gewinnt der billigste Anbieter auf Kosten der Beschäftigten.",
    "Die Anerkennung ausländischer Berufsabschlüsse muss schneller, digital und bundesweit "
    "einheitlich werden. Wer als Fachkraft nach Deutschland kommt, darf nicht monatelang auf "
    "Bescheide warten und als Hilfskraft arbeiten müssen.",
    "Wir unterstützen die Vier-Tage-Woche bei vollem Lohnausgleich. Sie macht Berufe "
    "attraktiver, senkt Krankenstände und hilft, Fachkräfte zu halten.",
)
GREETINGS = ("", "Sehr geehrte Damen und Herren,\n", "Hallo,\n", "Liebes Ministerium,\n", "Moin,\n")
SIGN_OFFS = ("", "\nMit freundlichen Grüßen", "\nViele Grüße aus {town}", "\nMfG")


def compose(rng: random.Random) -> str:
    """One answer's text."""
    if rng.random() < CAMPAIGN_SHARE:
        return _campaign_copy(rng)
    sentences = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        if kind < 0.45:
            sentence = f"{rng.choice(OPENERS)} {rng.choice(PROBLEMS)}."
        elif kind < 0.85:
            proposal = rng.choice(PROPOSALS).format(thing=rng.choice(THINGS))
            sentence = f"{proposal}, {rng.choice(REASONS)}."
        else:
            sentence = rng.choice(EXTRAS).format(
                town=rng.choice(TOWNS), years=rng.randint(2, 30), n=rng.randint(2, 12)
            )
        sentences.append(sentence)
    return " ".join(sentences)


def _campaign_copy(rng: random.Random) -> str:
    words = rng.choice(CAMPAIGNS).split(" ")
    if rng.random() < 0.5:  # a typo: two letters swapped in one word
        i = rng.randrange(len(words))
        if len(words[i]) > 4:
            w = words[i]
            words[i] = w[:2] + w[3] + w[2] + w[4:]
    body = " ".join(words)
    if rng.random() < 0.3:
        body += " " + rng.choice(EXTRAS).format(town=rng.choice(TOWNS), years=5, n=3)
    greeting = rng.choice(GREETINGS)
    sign_off = rng.choice(SIGN_OFFS).format(town=rng.choice(TOWNS))
    return greeting + body + sign_off
