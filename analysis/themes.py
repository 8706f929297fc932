"""Theme suggestions: what the answers of a theme field are about, for analysts to turn into codes.

The words of each answer are reduced to their lemmas (`simplemma`: "Kitaplätze" → "Kitaplatz"),
German and dialect function words are dropped, long compounds also count by their parts
("Kitaplatz" → "Kita", "Platz") so that answers on one topic meet even when worded differently.
A TF-IDF matrix of these terms is factorised (NMF) into themes. How many themes a field has is
chosen from the data: for each candidate number, the answers are put into their strongest
theme, and the number whose themes separate the answers best (the mean silhouette of their
cosine distances) wins — the largest of those about as good, since too few themes merge
topics — as long as every theme keeps enough answers of its own. Each answer
belongs to its strongest theme, or to none when no theme is clearly there (reported, never
silently dropped).

The model is fitted on at most `max_documents` answers (a reproducible random sample), so the
time it takes does not grow with the dataset; the other answers are assigned afterwards.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
import simplemma
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score

from analysis import text as tx
from analysis.language import STOP_WORDS

# Words every answer of a consultation uses, which name no topic.
CONSULTATION_WORDS = frozenset(
    """
    finden finde meinung meines erachtens sollen sollte sollten müssen muss brauchen braucht
    wichtig besser gut gute guten mehr weniger viel viele vielen dringend endlich leider
    einfach wirklich bitte danke frage fragen antwort thema menschen leute jahr jahre jahren
    heute zeit geben gibt machen macht kommen kommt gehen geht sehen sagen lassen stehen bleiben
    werden wurde möchte möchten sein haben können beim ganz genau etwa sowieso bereits
    deutschland land bund politik staat ministerium zukunft beispiel problem probleme
    z.b zb dafür dagegen darauf daran damit davon dazu hierfür wenig oft derzeit aktuell
    gruß grüße dame damen herr herren geehrt geehrte freundlich freundlichen hallo liebe
    """.split()  # noqa: SIM905
)
MIN_THEME_SIZE = 4  # a theme needs this many answers of its own …
MIN_THEME_SHARE = 0.01  # … and this share of the field's answers
SELECTION_SAMPLE = 1500  # answers on which the number of themes is chosen
ALMOST_AS_GOOD = 0.1  # a silhouette within 10 % of the best counts as about as good
MIN_SHARE_OF_WEIGHT = 0.35  # an answer belongs to its strongest theme if it holds this share
_WORD = re.compile(r"[^\W\d_]{2,}")
_LINKING = ("s", "n", "en", "es", "e")  # Fugenlaute between the parts of a compound


@dataclass(frozen=True)
class Themes:
    """themes: theme, size, terms (readable lemmas), separation (silhouette) of the chosen number;
    assignments: answer_id, theme (0: none), weight; examples: theme, answer_id, weight."""

    themes: pd.DataFrame
    assignments: pd.DataFrame
    examples: pd.DataFrame
    chosen_from: tuple[int, ...] = ()  # the numbers of themes that were compared


class _Analyzer:
    """Lower-cased lemmas without function words, long compounds also by their parts."""

    def __init__(self, language: str = "de") -> None:
        self.language = language
        self.stop = STOP_WORDS.get(language, STOP_WORDS["de"]) | CONSULTATION_WORDS
        self._terms: dict[str, tuple[str, ...]] = {}
        self._lemmas: dict[str, str] = {}  # written word → lemma: each word looked up once
        self.forms: dict[str, Counter] = {}
        self.written: dict[str, Counter] = {}
        self.vocabulary: set[str] = set()

    def learn(self, texts: pd.Series) -> None:
        """See all lemmas first, so that compounds can be split into known parts."""
        words = set()
        for text in texts:
            words.update(_WORD.findall(text))
        self.vocabulary.update(self._lemma(word) for word in words)

    def _lemma(self, word: str) -> str:
        lemma = self._lemmas.get(word)
        if lemma is None:
            lemma = self._lemmas[word] = simplemma.lemmatize(word, lang=self.language).casefold()
        return lemma

    def __call__(self, text: str) -> list[str]:
        terms: list[str] = []
        for word in _WORD.findall(text):
            found = self._terms.get(word)
            if found is None:
                found = self._terms[word] = self._analyse(word)
            terms.extend(found)
        return terms

    def _analyse(self, word: str) -> tuple[str, ...]:
        if word.casefold() in self.stop:
            return ()
        lemma = self._lemma(word)
        if lemma in self.stop or len(lemma) < 3:
            return ()
        self.forms.setdefault(lemma, Counter())[simplemma.lemmatize(word, lang=self.language)] += 1
        self.written.setdefault(lemma, Counter())[word] += 1
        return (lemma, *self._parts(lemma))

    def _parts(self, lemma: str) -> tuple[str, ...]:
        """The longest known word at the start (3 letters or more, a Fugenlaut allowed) and
        the longest known word at the end (4 or more) of a long compound."""
        if len(lemma) < 8:
            return ()
        parts = []
        for cut in range(len(lemma) - 4, 2, -1):
            head = lemma[:cut]
            if any(
                head.endswith(link) and self._known(head[: len(head) - len(link)])
                for link in ("", *_LINKING)
            ):
                parts.append(
                    next(
                        head[: len(head) - len(link)]
                        for link in ("", *_LINKING)
                        if head.endswith(link) and self._known(head[: len(head) - len(link)])
                    )
                )
                break
        for cut in range(3, len(lemma) - 3):
            if self._known(lemma[cut:]) and len(lemma) - cut >= 4:
                parts.append(lemma[cut:])
                break
        return tuple(dict.fromkeys(parts))

    def _known(self, word: str) -> bool:
        return len(word) >= 3 and word in self.vocabulary and word not in self.stop

    def readable(self, lemma: str) -> str:
        """The lemma as a word ("Kitaplatz"), in today's spelling where the people who wrote
        used it (the lemmatiser knows "Abschluß", they wrote "Abschlüsse")."""
        forms = self.forms.get(lemma)
        if not forms:
            return lemma
        common = forms.most_common(1)[0][0]
        written = self.written.get(lemma, Counter())
        if "ß" in common and not any("ß" in w for w in written):
            common = common.replace("ß", "ss")
        return common


def suggest_themes(
    answers: pd.DataFrame,
    *,
    language: str = "de",
    max_themes: int = 12,
    n_terms: int = 6,
    n_examples: int = 3,
    max_documents: int = 20_000,
    random_state: int = 0,
) -> Themes:
    """Themes of `answers` (answer_id, text)."""
    documents = answers[["answer_id", "text"]].dropna().sort_values("answer_id")
    documents = documents.reset_index(drop=True)
    # Greetings and sign-offs ("Sehr geehrte Damen und Herren", "Mit freundlichen Grüßen")
    # would otherwise form a theme of their own.
    documents["text"] = tx.strip_salutations(tx.arrow_strings(documents["text"])).to_pylist()
    empty = Themes(
        pd.DataFrame(columns=["theme", "size", "terms", "separation"]),
        pd.DataFrame({"answer_id": documents["answer_id"], "theme": 0, "weight": 0.0}),
        pd.DataFrame(columns=["theme", "answer_id", "weight"]),
    )
    fitted = documents
    if len(fitted) > max_documents:
        fitted = fitted.sample(max_documents, random_state=random_state).sort_index()
    if len(fitted) < 2 * MIN_THEME_SIZE:
        return empty
    analyzer = _Analyzer(language)
    analyzer.learn(fitted["text"])
    vectorizer = TfidfVectorizer(
        analyzer=analyzer, min_df=2, max_df=0.4, sublinear_tf=True, norm="l2"
    )
    try:
        matrix = vectorizer.fit_transform(fitted["text"])
    except ValueError:  # no term left after pruning
        return empty
    limit = min(max_themes, matrix.shape[1] - 1, len(fitted) // MIN_THEME_SIZE)
    if limit < 2:
        return empty
    candidates = tuple(range(2, limit + 1))
    chosen, separation, model = _choose(matrix, candidates, random_state)
    weights = _weights(model, vectorizer.transform(documents["text"]))
    theme, weight = _assign(weights)
    terms = vectorizer.get_feature_names_out()
    rows, examples = [], []
    for index, component in enumerate(model.components_):
        members = np.flatnonzero(theme == index + 1)
        top = component.argsort()[::-1][:n_terms]
        rows.append(
            {
                "theme": index + 1,
                "size": len(members),
                "terms": ", ".join(analyzer.readable(terms[i]) for i in top),
                "separation": separation[chosen],
            }
        )
        for row in members[np.argsort(-weight[members], kind="stable")][:n_examples]:
            examples.append(
                {
                    "theme": index + 1,
                    "answer_id": int(documents.at[row, "answer_id"]),
                    "weight": float(weight[row]),
                }
            )
    themes = pd.DataFrame(rows)
    themes = _renumber(themes, theme, examples)
    return Themes(
        themes[0],
        pd.DataFrame({"answer_id": documents["answer_id"], "theme": themes[1], "weight": weight}),
        pd.DataFrame(themes[2], columns=["theme", "answer_id", "weight"]),
        candidates,
    )


def _choose(matrix, candidates: tuple[int, ...], random_state: int) -> tuple[int, dict, NMF]:
    """The number of themes: the one whose themes separate the answers best (the mean
    silhouette of the answers' cosine distances under their themes), among the numbers whose
    every theme holds enough answers of its own (more would split topics into fragments).
    Chosen on a sample of at most SELECTION_SAMPLE answers; the model of the chosen number is
    then fitted on all."""
    rows = matrix.shape[0]
    sample = matrix
    if rows > SELECTION_SAMPLE:
        picked = np.random.default_rng(random_state).choice(rows, SELECTION_SAMPLE, replace=False)
        sample = matrix[np.sort(picked)]
    smallest = max(MIN_THEME_SIZE, int(sample.shape[0] * MIN_THEME_SHARE))
    scores = {}
    for k in candidates:
        theme, _ = _assign(_weights(_fit(sample, k, random_state), sample))
        sizes = np.bincount(theme, minlength=k + 1)[1:]
        if k > candidates[0] and sizes.min() < smallest:
            continue
        assigned = theme > 0
        if len(set(theme[assigned])) < 2:
            scores[k] = -1.0
            continue
        scores[k] = float(silhouette_score(sample[assigned], theme[assigned], metric="cosine"))
    # Too few themes merge topics, one too many splits one into two that are both still
    # about it: among numbers about as good as the best (within ALMOST_AS_GOOD), the largest.
    best = max(scores.values())
    chosen = max(k for k, score in scores.items() if score >= best - ALMOST_AS_GOOD * abs(best))
    return chosen, scores, _fit(matrix, chosen, random_state)


def _renumber(
    themes: pd.DataFrame, theme: np.ndarray, examples: list[dict]
) -> tuple[pd.DataFrame, np.ndarray, list[dict]]:
    """Drop themes too small to stand on their own (their answers fit no theme), and number
    the rest 1, 2, … by size."""
    kept = themes[themes["size"] >= MIN_THEME_SIZE].sort_values(
        ["size", "theme"], ascending=[False, True]
    )
    mapping = dict(zip(kept["theme"], range(1, len(kept) + 1), strict=True))
    theme = np.array([mapping.get(t, 0) for t in theme], dtype=np.int64)
    examples = [{**e, "theme": mapping[e["theme"]]} for e in examples if e["theme"] in mapping]
    kept = kept.assign(theme=kept["theme"].map(mapping)).reset_index(drop=True)
    return kept, theme, examples


def _nmf(k: int, random_state: int, init: str = "nndsvda") -> NMF:
    return NMF(n_components=k, init=init, random_state=random_state, max_iter=300, tol=1e-3)


class _quiet(warnings.catch_warnings):
    """Suggestions need no exact optimum: silence the convergence warning (and a perfect fit's
    root of a rounding error just below zero)."""

    def __enter__(self):
        result = super().__enter__()
        warnings.simplefilter("ignore", ConvergenceWarning)
        self._errstate = np.errstate(invalid="ignore")
        self._errstate.__enter__()
        return result

    def __exit__(self, *exc):
        self._errstate.__exit__(*exc)
        return super().__exit__(*exc)


def _weights(model: NMF, matrix) -> np.ndarray:
    with _quiet():
        return model.transform(matrix)


def _assign(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each answer's strongest theme (1 …) if it clearly dominates, else 0; and its weight."""
    total = weights.sum(axis=1)
    strongest = weights.argmax(axis=1)
    top = weights[np.arange(len(weights)), strongest]
    share = np.divide(top, total, out=np.zeros_like(top), where=total > 0)
    clear = (top > 0) & (share >= MIN_SHARE_OF_WEIGHT)
    return np.where(clear, strongest + 1, 0), np.where(clear, top, 0.0)


def _fit(matrix, k: int, random_state: int, init: str = "nndsvda") -> NMF:
    model = _nmf(k, random_state, init)
    with _quiet():
        model.fit(matrix)
    return model


def _top_terms(model: NMF, top: int) -> list[set[int]]:
    return [set(component.argsort()[::-1][:top]) for component in model.components_]
