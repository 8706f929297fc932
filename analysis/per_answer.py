"""The per-answer results for analysts: one row per answer (CSV and Parquet) with its own data
dictionary, to sort and check campaign groups, flags, languages and themes in a spreadsheet."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.pipeline import Results

NAME = "antworten_analyse"
# Column → (type, German description). The order is the file's.
FIELDS = {
    "answer_id": ("integer", "Nummer der Antwort (wie im Export)"),
    "import_ref": ("string", "Kennung der Antwort in der Quelle eines Imports (leer: keiner)"),
    "theme_field": ("string", "Kurzname des Themenfelds"),
    "question_id": ("integer", "Nummer der Leitfrage"),
    "status": ("string", "Moderationsstatus laut Export"),
    "language": ("string", "Erkannte Sprache (ISO 639-1, „und“: zu kurz zum Bestimmen)"),
    "campaign_id": ("integer", "Nummer der möglichen Kampagne (leer: keine)"),
    "campaign_size": ("integer", "Antworten in dieser Kampagne (Kopien eingeschlossen)"),
    "campaign_kind": ("string", "exact: wortgleiche Kopien; near: fast gleiche Texte"),
    "campaign_similarity": (
        "number",
        "Geschätzte Ähnlichkeit zum Vorlagentext der Kampagne (0 bis 1; 1 = gleich)",
    ),
    "campaign_representative": (
        "boolean",
        "Diese Antwort ist der Vorlagentext (der zentralste Text) ihrer Kampagne",
    ),
    "flag_empty": ("boolean", "Markiert als leer (ohne Inhalt)"),
    "flag_empty_reason": ("string", "Grund der Markierung als leer"),
    "flag_spam": ("boolean", "Markiert als wahrscheinlicher Spam"),
    "flag_spam_reason": ("string", "Gründe der Spam-Markierung"),
    "flag_abuse": ("boolean", "Markiert wegen Beleidigung, Herabwürdigung oder Gewaltaufruf"),
    "flag_abuse_reason": ("string", "Grund und gefundenes Wort"),
    "theme": ("integer", "Vorgeschlagenes Thema im Themenfeld (leer: keinem Thema zugeordnet)"),
    "theme_terms": ("string", "Kennzeichnende Begriffe des vorgeschlagenen Themas"),
    "theme_weight": ("number", "Gewicht der Antwort im Thema (höher = deutlicher)"),
    "theme_excluded": (
        "string",
        "Warum die Antwort nicht in die Themenmodelle einging (leer: sie ging ein)",
    ),
    "proposal_ratings": (
        "integer",
        "Bewertungen als Lösungsvorschlag (leer: kein Lösungsvorschlag)",
    ),
    "effectiveness_mean": ("number", "Mittlere Wirksamkeit als Lösungsvorschlag (1 bis 5)"),
    "feasibility_mean": ("number", "Mittlere Machbarkeit als Lösungsvorschlag (1 bis 5)"),
}


def table(results: Results) -> pd.DataFrame:
    """The per-answer table of `results`, in FIELDS order, sorted by answer id."""
    answers = results.answers.sort_values("answer_id")
    terms = {
        (field, row.theme): row.terms
        for field, found in results.theme_suggestions.items()
        for row in found.themes.itertuples()
    }
    theme = answers["theme"].astype("Int64")
    frame = answers.assign(
        campaign_id=answers["campaign_id"].where(answers["campaign_id"] > 0).astype("Int64"),
        campaign_size=answers["campaign_size"].where(answers["campaign_id"] > 0).astype("Int64"),
        theme=theme.where(theme > 0),
        theme_terms=[
            terms.get((f, t), "") if pd.notna(t) else ""
            for f, t in zip(answers["theme_field"], theme, strict=True)
        ],
        theme_weight=answers["theme_weight"].where(theme > 0),
    )
    rated = results.proposals.set_index("answer_id")
    ids = frame["answer_id"]
    frame["proposal_ratings"] = ids.map(rated["n_ratings"]).astype("Int64")
    frame["effectiveness_mean"] = ids.map(rated["effectiveness_mean"]).astype("float64")
    frame["feasibility_mean"] = ids.map(rated["feasibility_mean"]).astype("float64")
    if "import_ref" not in frame:  # exports made before imports existed
        frame["import_ref"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    return frame[list(FIELDS)].reset_index(drop=True)


def write(results: Results, out: Path) -> list[Path]:
    """antworten_analyse.csv, .parquet and .datapackage.json (the data dictionary) in `out`."""
    frame = table(results)
    out.mkdir(parents=True, exist_ok=True)
    csv, parquet, dictionary = (
        out / f"{NAME}.csv",
        out / f"{NAME}.parquet",
        out / f"{NAME}.datapackage.json",
    )
    frame.to_csv(csv, index=False, encoding="utf-8")
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), parquet)
    package = {
        "profile": "data-package",
        "name": "dialog-analyse-je-antwort",
        "title": "Ergebnisse der Analyse je Antwort",
        "x-source-export-sha256": results.meta.get("sha256"),
        "resources": [
            {
                "name": NAME,
                "path": path.name,
                "format": path.suffix.lstrip("."),
                "schema": {
                    "fields": [
                        {"name": name, "type": kind, "description": description}
                        for name, (kind, description) in FIELDS.items()
                    ]
                },
            }
            for path in (csv, parquet)
        ],
    }
    dictionary.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    return [csv, parquet, dictionary]
