"""The language of each answer, and the function words (stop words) of each language.

Most answers of a German consultation are plainly German: their function words ("und", "die",
"nicht" — or in dialect "des", "isch", "net", "dat", "nich") say so, counted for all answers at
once. Only the rest — English, Turkish, Ukrainian …, and answers too short to tell — go to
the `lingua` detector (its language models ship with the package, nothing is downloaded).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from analysis import text as tx

UNDETERMINED = "und"  # ISO 639-2 for "undetermined": too short or no letters
MIN_CONFIDENCE = 0.5  # lingua's confidence below which the language stays undetermined

GERMAN_STOP_WORDS = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
    anderm andern anderr anders auch auf aus bei bin bis bist da damit dann das dass daß dasselbe
    dazu dein deine deinem deinen deiner deines dem demselben den denn denselben der derer
    derselbe derselben des desselben dessen dich die dies diese dieselbe dieselben diesem diesen
    dieser dieses dir doch dort du durch ein eine einem einen einer eines einig einige einigem
    einigen einiger einiges einmal er es etwas euch euer eure eurem euren eurer eures für gegen
    gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren
    ihrer ihres im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt
    kann kein keine keinem keinen keiner keines können könnte machen man manche manchem manchen
    mancher manches mein meine meinem meinen meiner meines mich mir mit muss musste nach nicht
    nichts noch nun nur ob oder ohne sehr sein seine seinem seinen seiner seines selbst sich sie
    sind so solche solchem solchen solcher solches soll sollte sondern sonst über um und uns unser
    unsere unserem unseren unserer unseres unter viel vom von vor während war waren warst was weg
    weil weiter welche welchem welchen welcher welches wenn werde werden wie wieder will wir wird
    wirst wo wollen wollte würde würden zu zum zur zwar zwischen mehr müssen sollten gibt geben
    z b bzw usw etc ja nein schon immer sowie dabei daher deshalb wäre wären sowohl
    gibt gab geht gehen ganz gar eben halt mal eigentlich einfach wirklich oft sehr viele vielen
    denen dessen worden wurde wurden hätte hätten könnten müsste müssten dürfen darf kannst
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# Function words of German dialects (Bairisch, Schwäbisch, Alemannisch, Plattdeutsch, Sächsisch,
# Kölsch, Hessisch): answers in dialect are German, and these words name no topic.
DIALECT_STOP_WORDS = frozenset(
    """
    des is isch ned net nit nich nicht nix nüscht nischt ham hamma hend hen hän hänn hab hobn
    mir mia mer mei meim dei sei scho schon a bissl bissle bisserl bisschen gell gelle halt
    fei eh ebbes ebber ebbas oiso oana oans koa koan koane ma mi di hoid gwiss gäll ois
    dat wat ick ik wi ji se hebbt hett sünd sind un för op vun mit wo dor de den dä die et
    jo ja joo nee nö nu ooch och ni mich mir dir uns eich euch ma kee keen keene kenne
    och noch esu su dann wie äh ähm hald aa ah und aber gwä gsi isch ischt sin sinn hett
    meh mehr vill viel e en ä es ebbe doch dass daß wenn wann wos wer wea wia wie
    """.split()  # noqa: SIM905
)
ENGLISH = frozenset(ENGLISH_STOP_WORDS) | frozenset(
    ["i'm", "it's", "don't", "can't", "we're", "i've"]
)
STOP_WORDS = {"de": GERMAN_STOP_WORDS | DIALECT_STOP_WORDS, "en": ENGLISH}
# Words that are function words in English but also German words (or the reverse) say
# nothing about the language.
_SHARED = frozenset({"in", "so", "was", "an", "man", "will", "die", "also", "hat", "war", "bin"})
_GERMAN_MARKERS = (GERMAN_STOP_WORDS | DIALECT_STOP_WORDS) - ENGLISH - _SHARED
_ENGLISH_MARKERS = ENGLISH - GERMAN_STOP_WORDS - DIALECT_STOP_WORDS - _SHARED
_NON_LATIN = r"[\p{Cyrillic}\p{Arabic}\p{Greek}\p{Hebrew}\p{Han}\p{Hangul}\p{Thai}\p{Devanagari}]"
# The languages lingua chooses from: German, English and the languages most spoken by people
# who came to Germany (more languages make short answers less certain).
LINGUA_LANGUAGES = [
    "GERMAN",
    "ENGLISH",
    "TURKISH",
    "POLISH",
    "UKRAINIAN",
    "RUSSIAN",
    "ARABIC",
    "ROMANIAN",
    "ITALIAN",
    "GREEK",
    "CROATIAN",
    "SERBIAN",
    "BOSNIAN",
    "BULGARIAN",
    "FRENCH",
    "SPANISH",
    "PORTUGUESE",
    "DUTCH",
    "PERSIAN",
    "KURDISH",
    "ALBANIAN",
    "VIETNAMESE",
]


def detect(texts: pd.Series, word_lists: pa.ListArray) -> pd.Series:
    """ISO 639-1 code per answer ("de", "en", "tr" …), or UNDETERMINED."""
    flat = word_lists.flatten()
    german = pc.is_in(flat, value_set=pa.array(sorted(_GERMAN_MARKERS))).to_numpy(
        zero_copy_only=False
    )
    english = pc.is_in(flat, value_set=pa.array(sorted(_ENGLISH_MARKERS))).to_numpy(
        zero_copy_only=False
    )
    n = len(texts)
    german_hits = tx.per_text(german, word_lists)
    english_hits = tx.per_text(english, word_lists)
    arrow = tx.arrow_strings(texts)
    non_latin = pc.match_substring_regex(arrow, _NON_LATIN).to_numpy(zero_copy_only=False)
    # Three letters at least (checked only for the few answers that are not plainly German).
    letters = np.zeros(n, dtype=bool)
    result = np.full(n, UNDETERMINED, dtype=object)
    plainly_german = (german_hits >= 2) & (german_hits >= 3 * english_hits) & ~non_latin
    result[plainly_german] = "de"
    maybe = np.flatnonzero(~plainly_german)
    if len(maybe):
        letters[maybe] = pc.match_substring_regex(
            arrow.take(pa.array(maybe)), r"\pL.*\pL.*\pL"
        ).to_numpy(zero_copy_only=False)
    unclear = np.flatnonzero(~plainly_german & letters)
    if len(unclear):
        result[unclear] = _lingua([texts.iat[i] for i in unclear])
    return pd.Series(result, index=texts.index, dtype="string")


def _lingua(texts: list[str]) -> list[str]:
    detector = _detector()
    found = []
    for values in detector.compute_language_confidence_values_in_parallel(texts):
        best = values[0] if values else None
        if best is None or best.value < MIN_CONFIDENCE:
            found.append(UNDETERMINED)
        else:
            found.append(best.language.iso_code_639_1.name.lower())
    return found


@cache
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in LINGUA_LANGUAGES if hasattr(Language, name)]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def label(code: str) -> str:
    """The German name of a language code, for the report."""
    return LANGUAGE_NAMES.get(code, code)


LANGUAGE_NAMES = {
    "de": "Deutsch",
    "en": "Englisch",
    "tr": "Türkisch",
    "pl": "Polnisch",
    "uk": "Ukrainisch",
    "ru": "Russisch",
    "ar": "Arabisch",
    "ro": "Rumänisch",
    "it": "Italienisch",
    "el": "Griechisch",
    "hr": "Kroatisch",
    "sr": "Serbisch",
    "bs": "Bosnisch",
    "bg": "Bulgarisch",
    "fr": "Französisch",
    "es": "Spanisch",
    "pt": "Portugiesisch",
    "nl": "Niederländisch",
    "fa": "Persisch",
    "ku": "Kurdisch",
    "sq": "Albanisch",
    "vi": "Vietnamesisch",
    UNDETERMINED: "nicht bestimmbar (zu kurz)",
}
