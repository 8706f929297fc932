import pandas as pd
import pytest

from analysis import flags, language
from analysis import text as tx


def flag(texts, rules=None):
    series = pd.Series(texts)
    word_lists = tx.words(tx.arrow_strings(series))
    codes, _, vocabulary = tx.word_codes(word_lists)
    found = flags.flag(
        series,
        word_lists,
        rules or flags.AbuseRules.read(),
        codes,
        vocabulary,
        language.detect(series, word_lists),
    )
    return found


@pytest.mark.parametrize(
    "text",
    [
        "s.o.",
        "S. o.",
        "k.A.",
        "KA",
        "-",
        "–",
        "...",
        "/",
        "n/a",
        "???",
        "xxx",
        "dito",
        "👍",
        "🙄🙄",
        "!!!!",
        " . ",
        "Kein Kommentar.",
        "siehe oben!!",
        "weiß nicht",
        "asdf",
    ],
)
def test_empty_answers_in_any_spelling(text):
    assert flag([text])["flag_empty"].tolist() == [True]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Kredit ohne Schufa! 5000 Euro sofort, schreiben Sie an geld@example.com", "Werbesprache"),
        ("Mehr Infos hier: http://karriere-boost.example.net/?ref=1", "Link oder Domain"),
        (
            "Top Jobs: www.a.example.com und www.b.example.com und www.c.example.com",
            "mehrere Links",
        ),
        (
            "Fachkräfte Jobs Berlin Jobs Fachkraft Stellenangebote Jobbörse günstig schnell",
            "Schlagwortkette",
        ),
        (
            "Man nehme 200 g Mehl, drei Eier und etwas Zucker, verrühre alles und backe den Teig.",
            "kein Bezug",
        ),
        ("Buy cheap followers now at bestfollowers.example.com", "Werbesprache"),
        (
            "Wir vermitteln Pflegekräfte ab 2.999 €, rufen Sie uns an: 0151 2345 6789",
            "Telefonnummer",
        ),
    ],
)
def test_spam_is_flagged_with_its_reason(text, reason):
    found = flag([text]).iloc[0]
    assert found["flag_spam"], text
    assert reason in found["flag_spam_reason"]


@pytest.mark.parametrize(
    "text",
    [
        "Infos unter https://www.anerkennung-in-deutschland.de – aber es dauert trotzdem zu lange.",
        "Die Anerkennung hat mich 600 Euro gekostet und acht Monate gedauert.",
        "Der Mindestlohn von 12,41 € reicht in München nicht für die Miete.",
        "Das ist ein Skandal, die Politik versagt seit Jahren bei der Pflege.",
        "Menschen mit Behinderungen werden zu selten eingestellt, obwohl sie viel können.",
        "Arbeitsplätze schaffen statt Arbeitsplätze abbauen!",
        "Meine Kollegin wurde von einem Patienten als „Schmarotzerin“ beschimpft.",
        "Mehr Kitaplätze!",
        "- Kitaplätze\n- Ganztag\n- flexible Arbeitszeiten\n- Homeoffice",
        "Tanınma süreci çok uzun sürüyor, diplomam hâlâ onaylanmadı.",
    ],
)
def test_genuine_answers_are_not_flagged(text):
    found = flag([text]).iloc[0]
    assert not (found["flag_spam"] or found["flag_abuse"] or found["flag_empty"]), found.to_dict()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Ihr Vollidioten im Ministerium habt doch keine Ahnung.", "Beleidigung: „Vollidioten“"),
        ("Die V0llpf0sten in Berlin kapieren nix.", "Beleidigung: „V0llpf0sten“"),
        ("Diese A******** im Bundestag", "verdeckte Beleidigung"),
        ("Ausländer raus, die sind alle faul", "Herabwürdigung"),
        ("Frauen gehören an den Herd und nicht in den Vorstand.", "Herabwürdigung"),
        ("Die gehören alle aufgehängt, diese Bonzen.", "Gewaltaufruf"),
        ("Ihr seid doch alle korrupte Schwachköpfe.", "Beleidigung"),
        ("Halt einfach die Klappe, du Depp.", "Beleidigung"),
    ],
)
def test_abuse_is_flagged_with_the_word_found(text, reason):
    found = flag([text]).iloc[0]
    assert found["flag_abuse"], text
    assert reason in found["flag_abuse_reason"]


def test_own_word_lists_add_to_the_maintained_one(tmp_path):
    extra = tmp_path / "liste.txt"
    extra.write_text("# eigene Liste\n[Ortsschimpf]\nkrautstampfer*\n", encoding="utf-8")
    text = ["Lauter Krautstampfer in dieser Behörde."]
    assert not flag(text)["flag_abuse"].iloc[0]
    found = flag(text, flags.AbuseRules.read(extra)).iloc[0]
    assert found["flag_abuse"] and found["flag_abuse_reason"] == "Ortsschimpf: „Krautstampfer“"


def test_word_list_entries_become_expressions():
    pattern = flags._entry_pattern("schwachkopf*")
    rules = flags.AbuseRules({"x": "(?i)(?P<hit>" + pattern + ")"})
    texts = ["Schwachkopfe", "SCHWACHK0PF", "Ein Schwachkopf.", "Ober-schwachkopf", "kopf"]
    assert flag(texts, rules)["flag_abuse"].tolist() == [True, True, True, True, False]
