"""Flags for the analyst: empty answers, likely spam, insults and attacks — each with its reason.

A flag is a suggestion for a person to check, never a decision: the moderation queue shows it,
the report leaves flagged answers out of the theme suggestions and quotes and says how many.
Every rule works on all answers at once (Arrow, RE2), so the cost grows linearly.

Spam is scored: a link or a price alone happens in real answers ("siehe
www.anerkennung-in-deutschland.de", "der Meisterkurs kostet 10.000 €"), so an answer is
spam from SPAM_SCORE points, and each sign adds its points and its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import language
from analysis import text as tx

ABUSE_LIST = Path(__file__).parent / "wordlists" / "beleidigungen.txt"
SPAM_SCORE = 3

_URL = r"(?i)(?:https?://|www\.)[^\s]+"
_DOMAIN = (
    r"(?i)(?:^|[^\pL\pN@./-])(?:[a-z0-9][a-z0-9-]*\.)+(?:de|com|net|org|info|biz|io|shop|store|"
    r"online|eu|xyz|ru|top|site|club|app|me|co|at|ch|pl|tr|ua|nl|fr|it|es|us|uk|cc|tv|ly|link|"
    r"live|pro|vip|win|bet|casino)(?:/[^\s]*)?(?:[^\pL\pN.-]|\.?$|\.\s)"
)
# Public bodies and their portals: a link to them supports an answer rather than advertising.
_OFFICIAL = (
    r"(?i)(?:[a-z0-9-]+\.)*(?:bund\.de|bmas\.de|bmbf\.de|bmfsfj\.de|bmwk\.de|bmi\.bund\.de|"
    r"bundesregierung\.de|bundestag\.de|arbeitsagentur\.de|jobcenter[a-z-]*\.de|"
    r"make-it-in-germany\.com|anerkennung-in-deutschland\.de|bibb\.de|iab\.de|destatis\.de|"
    r"europa\.eu|gesetze-im-internet\.de|dgb\.de|ihk\.de|hwk[a-z-]*\.de|zdh\.de|"
    r"[a-z-]+\.(?:bayern|nrw|berlin|hamburg|saarland)\.de|bzga\.de|baua\.de|bafa\.de|kfw\.de)"
)
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_PHONE = r"(?:\+\d{2}|\b00\d{2}|\b0)[\s/-]?\(?\d{2,5}\)?[\s/-]?\d{3,}(?:[\s-]?\d{2,})*"
_MESSENGER = r"(?i)(?:^|[^\pL])(?:whatsapp|telegram|signal-gruppe|dm\s+me|pn\s+an)"
_ADVERTISING = (
    r"(?i)(?:^|[^\pL])(?:jetzt\s+(?:kaufen|bestellen|buchen|anrufen|sichern|zugreifen|"
    r"registrieren|anmelden|testen|anfragen|kontaktieren|informieren)|nur\s+(?:heute|noch\s+heute|"
    r"diese\s+woche)|\d+\s?%\s*rabatt|rabatt(?:code|aktion)?|gutschein(?:code)?|sonderangebot|"
    r"schnäppchen|gratis|kostenlos\s+(?:testen|anfordern|registrieren)|kredit\s+ohne\s+schufa|"
    r"sofortkredit|schufafrei|ohne\s+schufa|bitcoin|krypto\w*|kryptowährung|crypto\w*|casino|"
    r"sportwetten|online-?wetten|viagra|potenzmittel|follower|likes\s+kaufen|abnehmen\s+ohne|"
    r"schnell\s+geld|geld\s+verdienen\s+(?:von\s+zu\s+hause|im\s+schlaf|online)|passives\s+einkommen|"
    r"nebenverdienst\s+von\s+zu\s+hause|bestpreis|tiefpreis|versandkostenfrei|lieferung\s+in\s+24|"
    r"bestellen\s+sie|kaufen\s+sie|buchen\s+sie|rufen\s+sie\s+(?:uns\s+)?(?:jetzt\s+)?an|"
    r"kontaktieren\s+sie\s+uns|besuchen\s+sie\s+(?:uns|unsere)|unverbindlich(?:es)?\s+angebot|"
    r"termin\s+(?:jetzt\s+)?buchen|promo(?:code)?|discount|buy\s+(?:now|cheap)|cheap\s+\w+|"
    r"earn\s+\$?\d+|make\s+money|click\s+here|limited\s+offer|free\s+trial|work\s+from\s+home|"
    r"order\s+now|best\s+price|investment\s+opportunity|forex|trading-?bot|seo-?agentur|"
    r"backlinks?|bewerbungsfotos\s+ab|ab\s+nur|erfolgsgarantie|geld-zurück-garantie|"
    r"(?:wir|unsere\s+agentur)\s+(?:übernehmen|vermitteln|finden|rekrutieren)\s+(?:ihr|für\s+sie)|"
    r"we\s+(?:recruit|offer|provide)|contact\s+us)"
)
_PRICE = r"(?i)(?:\d[\d.,]*\s?(?:€|eur\b|euro\b|\$|usd\b|chf\b))|(?:(?:[€$]|eur|usd|chf)\s?\d)"
# Ten of one letter in a row ("aaaaaaaaaa"): RE2 has no back-references, so one alternative
# per letter, limited to the letters of Latin script.
_REPEATED_LETTER = "(?i)(?:" + "|".join(c + "{10}" for c in "abcdefghijklmnopqrstuvwxyzäöüß") + ")"
_GIBBERISH_WORD = r"[A-Za-zÄÖÜäöüß]{40,}"
_SENTENCE_MARK = r"[.,;:!?\n]"
_SEO_WORDS = frozenset(
    [
        "günstig",
        "günstige",
        "billig",
        "billige",
        "beste",
        "bester",
        "top",
        "online",
        "kaufen",
        "jobs",
        "job",
        "24",
        "sofort",
        "schnell",
        "angebot",
        "angebote",
        "deals",
        "shop",
        "gratis",
        "kostenlos",
        "cheap",
        "buy",
        "best",
        "free",
    ]
)
# Stems that say an answer is about work, training, care, families, law … — the vocabulary of
# the consultation's questions (matched inside words, so compounds count: "Kitaplatz").
_ON_TOPIC = (
    r"(?i)(?:arbeit|beruf|job|fachkr|ausbild|azubi|lehrling|lohn|löhn|gehalt|gehält|bezahl|"
    r"verdien|geld|einkommen|rente|pflege|kita|kinder|betreu|eltern|familie|schul|bildung|lern|"
    r"studi|hochschul|qualifi|kompetenz|unternehm|betrieb|firma|firmen|chef|führung|leitung|"
    r"beschäftig|mitarbeit|kolleg|personal|team|branche|handwerk|meister|industrie|digital|"
    r"technik|software|klima|energie|wandel|transformation|migra|ausländ|anerkenn|abschl|"
    r"sprach|deutsch|integr|inklus|behinder|barriere|frauen|männer|jugend|gesetz|regel|politik|"
    r"staat|regierung|ministeri|länder|kommun|förder|bürokrat|steuer|tarif|gewerkschaft|"
    r"betriebsrat|mitbestimm|befrist|leiharbeit|vertrag|verträg|urlaub|teilzeit|vollzeit|"
    r"homeoffice|gesund|stress|belast|burnout|wertschätz|zukunft|wirtschaft|karriere|"
    r"employ|skill|training|school|wage|salary|pension|career|recogni|language|qualif|"
    r"compan|education|apprentic|colleague|manager)"
    # Stems that only count at a word's start ("Behälter" is no "älter", "Kowalski" no "KI").
    r"|^(?:ki|kraft|kräfte|stelle|bund|alter|älter|junge|mobil|chance|care|pay|work|hours)"
)
_EMPTY_PHRASES = frozenset(
    """
    so sieheoben wieoben ka keineangabe keineangaben keineahnung na nichts nix keinkommentar
    kommentar dito ditto egal test tests testen testing asdf asdfg qwertz qwert xxx xx x bla
    blabla blablabla nein ja jein keine keins weißnicht weissnicht ichweißesnicht
    ichweissesnicht nothing none nocomment idk siehevorherigeantwort wievorher
    svorherigeantwort sieheunten wasweißich nochnichts garnichts ok okay hallo hi
    """.split()  # noqa: SIM905
)


@dataclass(frozen=True)
class AbuseRules:
    """The word list as RE2 expressions per group (group name → expression): `patterns` to
    find the words in lower-cased text fast (no case folding, no open-ended letter runs, which
    make RE2's automaton explode), `extract` to show the whole word found."""

    patterns: dict[str, str]
    extract: dict[str, str] | None = None

    @classmethod
    def read(cls, *paths: Path) -> AbuseRules:
        entries: dict[str, list[str]] = {}
        for path in (ABUSE_LIST, *paths):
            group = "Beleidigung"
            for raw in Path(path).read_text(encoding="utf-8").splitlines():
                line = raw.split(" #")[0].strip() if not raw.startswith("re:") else raw.strip()
                if not line or line.startswith("#"):
                    continue
                if line.startswith("[") and line.endswith("]"):
                    group = line[1:-1].strip()
                    continue
                entries.setdefault(group, []).append(line)
        return cls(
            {
                group: "(?:" + "|".join(_entry_pattern(e, whole=False) for e in lines) + ")"
                for group, lines in entries.items()
            },
            {
                group: "(?i)(?P<hit>" + "|".join(_entry_pattern(e) for e in lines) + ")"
                for group, lines in entries.items()
            },
        )


_LOOKALIKE = {
    "a": "[a4@]",
    "e": "[e3]",
    "i": "[i1!|]",
    "o": "[o0]",
    "s": "[s5$]",
    "t": "[t7]",
    "l": "[l1|]",
    "ä": "(?:ä|ae)",
    "ö": "(?:ö|oe)",
    "ü": "(?:ü|ue)",
    "ß": "(?:ß|ss)",
}
_START = r"(?:^|[^\pL\pN])"
_END = r"(?:[^\pL\pN]|$)"
# For matching in lower-cased text: Unicode letter classes inside a long alternation make
# RE2 fall back from its fast automaton (40 s instead of 20 ms for 20,000 answers), so the
# letters are spelled out — the word list is German, its neighbours are Latin letters.
_LOWER = "a-zäöüßàâçéèêëîïôûùÿñæœ"
_LOWER_CLASSES = {
    r"[^\pL\pN]": f"[^{_LOWER}0-9]",
    r"[\pL*]": f"[{_LOWER}*]",
    r"\pL": f"[{_LOWER}]",
}


def _entry_pattern(entry: str, whole: bool = True) -> str:
    """An RE2 expression for one line of the word list (format: see the list's header);
    `whole`: including the letters around a wildcard entry (to show the word found), else
    only what decides whether it matches (for lower-cased text)."""
    if entry.startswith("re:"):
        pattern = _START + "(?:" + entry[3:].strip() + ")"
        return pattern if whole else _lower(pattern)
    leading, trailing = entry.startswith("*"), entry.endswith("*")
    core = entry.strip("*").casefold()
    parts = []
    for character in core:
        if character == "*":
            parts.append(r"[\pL*]{1,2}")
        elif character == " ":
            parts.append(r"\s+")
        else:
            parts.append(_LOOKALIKE.get(character, re.escape(character)))
    body = "".join(parts)
    if not whole:
        return _lower(("" if leading else _START) + body + ("" if trailing else _END))
    return (r"\pL*" if leading else _START) + body + (r"\pL*" if trailing else _END)


def _lower(pattern: str) -> str:
    for unicode_class, spelled in _LOWER_CLASSES.items():
        pattern = pattern.replace(unicode_class, spelled)
    return pattern


def flag(
    texts: pd.Series,
    word_lists: pa.ListArray,
    abuse: AbuseRules,
    codes: np.ndarray,
    vocabulary: pa.Array,
    languages: pd.Series | None = None,
) -> pd.DataFrame:
    """The flags of every answer (index of `texts`): flag_empty, flag_spam, flag_abuse, each
    with a `_reason` column. `codes`/`vocabulary` are the words as from text.word_codes;
    `languages` (as from language.detect) limits the check for unrelated text to German and
    English answers, whose vocabulary it knows."""
    arrow = tx.arrow_strings(texts)
    n = len(arrow)
    lengths = pc.list_value_length(word_lists).to_numpy(zero_copy_only=False)

    empty, empty_reason = _empty(arrow, word_lists)
    spam_points = np.zeros(n, dtype=np.int64)
    spam_reasons: list[tuple[np.ndarray, str]] = []  # (rows it applies to, reason)

    def sign(mask: np.ndarray, points: int, reason: str) -> None:
        spam_points[mask] += points
        spam_reasons.append((mask, reason))

    # Few texts have any sign of spam (or a quotation, see _abuse): one pass over all texts
    # finds them, and only they are looked at sign by sign.
    suspect = np.flatnonzero(
        pc.match_substring_regex(arrow, _ANY_SIGN).to_numpy(zero_copy_only=False)
    )
    suspects = arrow.take(pa.array(suspect))

    def count(pattern: str) -> np.ndarray:
        counts = np.zeros(n, dtype=np.int64)
        counts[suspect] = pc.count_substring_regex(suspects, pattern).to_numpy(zero_copy_only=False)
        return counts

    urls = count(_URL)
    domains = np.maximum(count(_DOMAIN), urls)
    official = np.minimum(count(_OFFICIAL), domains)
    other_links = domains - official
    sign(other_links >= 1, 2, "Link oder Domain")
    sign(other_links >= 2, 2, "mehrere Links")
    sign((other_links >= 1) & (lengths < 12), 1, "kaum Text außer dem Link")
    contact = (count(_EMAIL) > 0) | (count(_PHONE) > 0)
    sign(contact, 2, "E-Mail-Adresse oder Telefonnummer")
    sign(count(_MESSENGER) > 0, 1, "Messenger-Kontakt")
    advertising = count(_ADVERTISING)
    sign(advertising >= 1, 3, "Werbesprache")
    sign(count(_PRICE) > 0, 1, "Preisangabe")
    sign((count(_REPEATED_LETTER) > 0) | (count(_GIBBERISH_WORD) > 0), 3, "Zeichensalat")

    word_vocab = vocabulary.to_numpy(zero_copy_only=False) if len(vocabulary) else np.array([])
    function = np.isin(word_vocab, list(language.STOP_WORDS["de"] | language.STOP_WORDS["en"]))
    seo = np.isin(word_vocab, list(_SEO_WORDS))
    on_topic = (
        pc.match_substring_regex(vocabulary, _ON_TOPIC).to_numpy(zero_copy_only=False)
        if len(vocabulary)
        else np.zeros(0, dtype=bool)
    )

    def per_row(values: np.ndarray) -> np.ndarray:
        return tx.per_text(values, word_lists)

    function_words = per_row(function[codes])
    seo_words = per_row(seo[codes])
    topic_words = per_row(on_topic[codes])
    content_words = lengths - function_words
    no_sentence = ~pc.match_substring_regex(arrow, _SENTENCE_MARK).to_numpy(zero_copy_only=False)
    candidates = (lengths >= 6) & (function_words == 0) & no_sentence
    repeated_word = _has_repeated_word(codes, word_lists, candidates)
    keywords = candidates & (repeated_word | (seo_words >= 2))
    sign(keywords, 3, "Schlagwortkette")
    known = (
        np.ones(n, dtype=bool)
        if languages is None
        else languages.isin(["de", "en"]).to_numpy(dtype=bool, na_value=False)
    )
    unrelated = (content_words >= 5) & (topic_words == 0) & ~empty & known
    sign(unrelated, 3, "kein Bezug zu den Fragen erkennbar")

    spam = (spam_points >= SPAM_SCORE) & ~empty
    spam_reason = _join_reasons(spam_reasons, spam)
    abuse_flag, abuse_reason = _abuse(arrow, abuse, count(_QUOTED) > 0)
    return pd.DataFrame(
        {
            "flag_empty": empty,
            "flag_empty_reason": empty_reason,
            "flag_spam": spam,
            "flag_spam_reason": spam_reason,
            "flag_abuse": abuse_flag,
            "flag_abuse_reason": abuse_reason,
        },
        index=texts.index,
    )


def _has_repeated_word(codes: np.ndarray, word_lists: pa.ListArray, rows: np.ndarray) -> np.ndarray:
    """Whether each text of `rows` (a mask) uses one word twice or more."""
    result = np.zeros(len(word_lists), dtype=bool)
    wanted = np.flatnonzero(rows)
    if not len(codes) or not len(wanted):
        return result
    offsets = word_lists.offsets.to_numpy().astype(np.int64)
    lengths = offsets[wanted + 1] - offsets[wanted]
    owner = np.repeat(wanted.astype(np.int64), lengths)
    # The positions of the wanted texts' words only: each text's start plus 0, 1, 2, …
    within = np.arange(len(owner)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    positions = np.repeat(offsets[wanted], lengths) + within
    base = int(codes.max()) + 1
    pairs = np.sort(owner * base + codes[positions])
    result[pairs[1:][pairs[1:] == pairs[:-1]] // base] = True
    return result


def _empty(arrow: pa.Array, word_lists: pa.ListArray) -> tuple[np.ndarray, np.ndarray]:
    """Answers that say nothing: no letters or digits, or only a filler ("s.o.", "k.A.").
    Only short texts can be either, so only they are looked at closely."""
    n = len(arrow)
    short = np.flatnonzero(pc.utf8_length(arrow).to_numpy(zero_copy_only=False) <= 40)
    no_content = np.zeros(n, dtype=bool)
    filler = np.zeros(n, dtype=bool)
    if len(short):
        texts = arrow.take(pa.array(short))
        two_letters = pc.match_substring_regex(texts, r"[\pL\pN].*[\pL\pN]")
        no_content[short] = ~two_letters.to_numpy(zero_copy_only=False)
        squeezed = pc.replace_substring_regex(pc.utf8_lower(texts), r"[^\pL\pN]+", "")
        known = pc.is_in(squeezed, value_set=pa.array(sorted(_EMPTY_PHRASES)))
        nonsense = pc.match_substring_regex(
            squeezed, r"^(?:x+|a?s?d?f+|(?:bla)+|(?:ha)+|j+a+|n+e+i+n+|\d{1,3})$"
        )
        filler[short] = pc.or_(known, nonsense).to_numpy(zero_copy_only=False)
    reason = np.full(n, "", dtype=object)
    reason[filler] = "Platzhalter ohne Inhalt"
    reason[no_content] = "nur Satz- oder Sonderzeichen"  # the first reason where both apply
    return no_content | filler, reason


# A short quotation („…“): reported speech ("wurde als „Schmarotzerin“ beschimpft") is no insult.
_QUOTED = r"[„“”\"»«‚‘][^„“”\"»«‚‘\n]{1,40}[“”\"«»‘’]"
_MASKED = r"\pL\*{3,}"  # an insult masked with asterisks ("A****")
# Any of the signs of spam, or a quotation: what a text must have to be looked at closely.
_ANY_SIGN = "|".join(
    f"(?:{sign})"
    for sign in (
        _URL,
        _DOMAIN,
        _OFFICIAL,
        _EMAIL,
        _PHONE,
        _MESSENGER,
        _ADVERTISING,
        _PRICE,
        _REPEATED_LETTER,
        _GIBBERISH_WORD,
        _QUOTED,
    )
)


def _abuse(arrow: pa.Array, rules: AbuseRules, quoted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Insults, degradation and calls for violence (`quoted`: the texts with a quotation,
    which is left out)."""
    n = len(arrow)
    if quoted.any():  # replacing is dearer than finding: only where there is a quotation
        mask = pa.array(quoted)
        unquoted = pc.replace_substring_regex(pc.filter(arrow, mask), _QUOTED, " ")
        arrow = pc.replace_with_mask(arrow, mask, unquoted)
    lower = pc.utf8_lower(arrow)
    # One pass over all texts for any of the patterns; the few texts with one, pattern by
    # pattern.
    any_pattern = "|".join(f"(?:{p})" for p in (*rules.patterns.values(), _MASKED))
    suspect = np.flatnonzero(
        pc.match_substring_regex(lower, any_pattern).to_numpy(zero_copy_only=False)
    )
    suspects, suspects_lower = arrow.take(pa.array(suspect)), lower.take(pa.array(suspect))

    def matches(texts: pa.Array, pattern: str) -> np.ndarray:
        found = np.zeros(n, dtype=bool)
        found[suspect] = pc.match_substring_regex(texts, pattern).to_numpy(zero_copy_only=False)
        return found

    flagged = np.zeros(n, dtype=bool)
    reasons: list[tuple[np.ndarray, np.ndarray | str]] = []
    masked = matches(suspects, _MASKED)
    for group, pattern in rules.patterns.items():
        hit = matches(suspects_lower, pattern)
        reason = np.full(n, "", dtype=object)
        rows = np.flatnonzero(hit)
        if len(rows):
            extract = (rules.extract or rules.patterns)[group]
            found = pc.extract_regex(arrow.take(pa.array(rows)), extract).field("hit")
            words = [_clean(w) for w in found.to_pylist()]
            reason[rows] = [f"{group}: „{w}“" for w in words]
        flagged |= hit
        reasons.append((hit, reason))
    reasons.append((masked & ~flagged, "verdeckte Beleidigung (Sternchen)"))
    flagged |= masked
    return flagged, _join_reasons(reasons, flagged)


def _clean(word: str | None) -> str:
    return re.sub(r"^[^\w]+|[^\w]+$", "", word or "")


def _join_reasons(
    parts: list[tuple[np.ndarray, np.ndarray | str]], where: np.ndarray
) -> np.ndarray:
    """The reasons that apply to each row of `where`, joined with "; " (other rows: "").
    Each part is (mask of rows, its reason: one text, or one per row)."""
    result = np.full(len(where), "", dtype=object)
    rows = np.flatnonzero(where)
    found: list[list[str]] = [[] for _ in rows]
    for mask, reason in parts:
        for i in np.flatnonzero(mask[rows]):
            found[i].append(reason if isinstance(reason, str) else reason[rows[i]])
    result[rows] = ["; ".join(r) for r in found]
    return result
