"""Theme suggestions for uncoded answers: German TF-IDF (stop words, Snowball stemming), NMF.

Each suggested theme comes with its top terms and its most representative answers, for
analysts to turn into codes. The model is fitted on at most `max_documents` answers (a
reproducible random sample), so the time it takes does not grow with the dataset.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter

import numpy as np
import pandas as pd
import snowballstemmer
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer

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
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_WORD = re.compile(r"[^\W\d_]{2,}")


class _Analyzer:
    """Lower-cased words without stop words, reduced to their Snowball stems.

    Remembers the most frequent surface form of each stem, to name terms readably.
    """

    def __init__(self) -> None:
        self._stemmer = snowballstemmer.stemmer("german")
        self._stems: dict[str, str] = {}
        self.forms: dict[str, Counter] = {}

    def __call__(self, text: str) -> list[str]:
        words = [w for w in _WORD.findall(text.casefold()) if w not in GERMAN_STOP_WORDS]
        stems = []
        for word in words:
            stem = self._stems.get(word)
            if stem is None:
                stem = self._stems[word] = self._stemmer.stemWord(word)
            self.forms.setdefault(stem, Counter())[word] += 1
            stems.append(stem)
        return stems

    def readable(self, stem: str) -> str:
        forms = self.forms.get(stem)
        return forms.most_common(1)[0][0] if forms else stem


def suggest_themes(
    answers: pd.DataFrame,
    n_themes: int = 8,
    n_terms: int = 8,
    n_examples: int = 3,
    max_documents: int = 20_000,
    random_state: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Themes of `answers` (answer_id, text): returns (themes, examples).

    themes: theme (1…), size (answers mainly about it), top_terms (comma-separated);
    examples: theme, answer_id, weight — the answers that express the theme most strongly.
    Both are empty when there are too few answers or words to find themes in.
    """
    empty = (
        pd.DataFrame(columns=["theme", "size", "top_terms"]),
        pd.DataFrame(columns=["theme", "answer_id", "weight"]),
    )
    documents = answers[["answer_id", "text"]].dropna()
    if len(documents) > max_documents:
        documents = documents.sample(max_documents, random_state=random_state)
    documents = documents.sort_values("answer_id", ignore_index=True)
    if len(documents) < 2 * n_themes:
        return empty
    analyzer = _Analyzer()
    vectorizer = TfidfVectorizer(analyzer=analyzer, min_df=2, max_df=0.5, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(documents["text"])
    except ValueError:  # no term left after pruning
        return empty
    components = min(n_themes, matrix.shape[1] - 1, matrix.shape[0] - 1)
    if components < 1:
        return empty
    model = NMF(n_components=components, init="nndsvd", random_state=random_state, max_iter=400)
    # Suggestions need no exact optimum: a model short of convergence still ranks terms, and
    # a perfect fit makes scikit-learn take the root of a rounding error just below zero.
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    terms = vectorizer.get_feature_names_out()
    main_theme = weights.argmax(axis=1)
    has_theme = weights.max(axis=1) > 0
    themes, examples = [], []
    for index, component in enumerate(model.components_):
        top = component.argsort()[::-1][:n_terms]
        themes.append(
            {
                "theme": index + 1,
                "size": int(((main_theme == index) & has_theme).sum()),
                "top_terms": ", ".join(analyzer.readable(terms[i]) for i in top),
            }
        )
        for row in weights[:, index].argsort()[::-1][:n_examples]:
            if weights[row, index] > 0:
                examples.append(
                    {
                        "theme": index + 1,
                        "answer_id": int(documents.at[row, "answer_id"]),
                        "weight": float(weights[row, index]),
                    }
                )
    themes_frame = pd.DataFrame(themes).sort_values(["size", "theme"], ascending=[False, True])
    return themes_frame.reset_index(drop=True), pd.DataFrame(examples)
