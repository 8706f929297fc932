"""The draft Ergebnisbericht: built once as blocks, rendered as Markdown, HTML and DOCX.

Every number in the text is taken from the analysis results; nothing is typed in.
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
import numpy as np
import pandas as pd
from docx.shared import Cm

from analysis import (
    campaigns,
    charts,
    flags,
    language,
    per_answer,
    quality,
    recommendations,
    tables,
    themes,
)
from analysis.pipeline import Results
from analysis.quotes import shorten


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    caption: str
    frame: pd.DataFrame


@dataclass(frozen=True)
class Figure:
    name: str  # file name stem in the Markdown version
    png: bytes
    alt: str
    caption: str
    table: pd.DataFrame = field(default_factory=pd.DataFrame)


Block = Heading | Paragraph | Table | Figure


n = charts.german_count
MAX_LISTED_CAMPAIGNS = 50  # the appendix lists the largest; the export holds every answer
MAX_LISTED_PROPOSALS = 50  # the matrix's table lists the highest rated; the per-answer file all


def share(part, whole) -> str:
    return "0 %" if not whole else f"{100 * part / whole:.0f} %".replace(".", ",")


def decimal(value, digits: int = 2) -> str:
    return "–" if pd.isna(value) else f"{value:.{digits}f}".replace(".", ",")


class _Labels:
    """German labels of coded values (from the data dictionary) and of theme fields (titles)."""

    def __init__(self, results: Results) -> None:
        self._labels = results.meta.get("labels", {})
        fields = results.theme_fields
        self.themes = dict(zip(fields["theme_field"], fields["title"], strict=True))

    def __call__(self, table: str, column: str, value) -> str:
        if pd.isna(value):
            return "keine Angabe"
        if column == "theme_field":
            return self.themes.get(value, str(value))
        return self._labels.get(table, {}).get(column, {}).get(value, str(value))

    def column(self, frame: pd.DataFrame, table: str, column: str) -> pd.Series:
        return frame[column].map(lambda v: self(table, column, v))


HEADINGS = {
    "theme_field": "Themenfeld",
    "question": "Leitfrage",
    "perspective": "Perspektive",
    "bundesland": "Bundesland",
    "age_band": "Altersgruppe",
    "channel": "Eingangsweg",
}


def build(results: Results) -> list[Block]:
    """The report's content in reading order."""
    label = _Labels(results)
    h = results.headline
    title = results.meta.get("title") or "Zukunftsdialog"
    blocks: list[Block] = [
        Heading(f"Ergebnisbericht (Entwurf): {title}", 1),
        Paragraph(
            "Dieser Entwurf wurde aus dem Datenexport berechnet. Alle Zahlen stammen aus den "
            "Daten; Texte und Bewertungen sind vor der Veröffentlichung redaktionell zu prüfen."
        ),
        Heading("Zusammenfassung"),
        Paragraph(
            f"Es gingen {n(h['answers'])} Antworten aus {n(h['submissions'])} Einsendungen ein, "
            f"davon {n(h['offline'])} offline (z. B. an Dialoginseln, per Brief oder E-Mail). "
            f"{n(h['published'])} Antworten ({share(h['published'], h['answers'])}) sind "
            "veröffentlicht."
        ),
        Paragraph(
            f"{n(h['coded_answers'])} Antworten ({share(h['coded_answers'], h['answers'])}) sind "
            f"codiert, mit {n(h['codes_used'])} verschiedenen Codes. {n(h['proposals'])} "
            "Antworten enthalten einen Lösungsvorschlag."
        ),
        Paragraph(
            f"Die Qualitätsprüfung fand {n(h['campaigns'])} mögliche Kampagnen mit zusammen "
            f"{n(h['campaign_answers'])} Antworten; als Stimmen gezählt (jede Kampagne eine "
            f"Stimme) sind es {n(h['voices'])}. Markiert wurden {n(h['empty'])} Antworten ohne "
            f"Inhalt, {n(h['spam'])} wahrscheinliche Spam-Beiträge und {n(h['abuse'])} "
            f"Beiträge mit Beleidigungen oder Angriffen ({n(h['flagged'])} Antworten mit "
            f"mindestens einer Markierung). {n(h['not_german'])} nicht markierte Antworten sind "
            "nicht (sicher) auf Deutsch."
            + (
                " Jede Kampagne zählt bei den Codes als eine Stimme."
                if results.options.campaigns_as_one_voice
                else ""
            )
        ),
        Paragraph(_events_sentence(h)),
        *_recommendation_summary(results),
    ]
    blocks += _participation(results, label)
    for theme in results.theme_fields["theme_field"]:
        blocks += _theme_chapter(results, label, theme)
    blocks += _recommendation_chapters(results, label)
    blocks += _campaign_section(results, label)
    blocks += _flag_section(results)
    blocks += _proposal_matrix(results)
    blocks += _moderation(results, label)
    blocks += _events(results, label)
    blocks += _method(results)
    blocks += _appendix(results, label)
    return blocks


def _events_sentence(h: dict[str, int]) -> str:
    held = (
        f"An {n(h['events'])} Veranstaltungen, die bis zum Tag des Exports stattfanden, nahmen "
        f"{n(h['event_participants'])} Personen teil."
        if h["events"]
        else "Bis zum Tag des Exports hat noch keine Veranstaltung stattgefunden."
    )
    planned = h.get("events_planned", 0)
    return held + (f" {n(planned)} weitere Veranstaltungen sind geplant." if planned else "")


def _participation(results: Results, label: _Labels) -> list[Block]:
    blocks: list[Block] = [Heading("Beteiligung")]
    for column, counts in results.by_profile.items():
        names = label.column(counts, "answers", column)
        what = f"Antworten je {HEADINGS[column]}"
        table = pd.DataFrame({HEADINGS[column]: names, "Antworten": counts["answers"]})
        if column in ("theme_field", "perspective", "bundesland", "channel"):
            blocks.append(
                Figure(
                    f"antworten-{column}",
                    charts.bar_chart(names, counts["answers"], what, "Antworten"),
                    charts.describe_bars(names, counts["answers"], what),
                    what,
                    table,
                )
            )
        else:
            blocks.append(Table(what, table))
    weeks = results.per_week
    if len(weeks):
        table = pd.DataFrame(
            {"Woche ab": weeks["week"].dt.strftime("%d.%m.%Y"), "Antworten": weeks["answers"]}
        )
        busiest = weeks.loc[weeks["answers"].idxmax()]
        blocks.append(
            Figure(
                "antworten-woche",
                charts.line_chart(
                    weeks["week"], weeks["answers"], "Antworten je Woche", "Antworten"
                ),
                f"Liniendiagramm: Antworten je Woche über {len(weeks)} Wochen; die meisten "
                f"({n(busiest['answers'])}) in der Woche ab {busiest['week']:%d.%m.%Y}.",
                "Antworten je Woche",
                table,
            )
        )
    return blocks


def _theme_chapter(results: Results, label: _Labels, theme: str) -> list[Block]:
    answers = results.answers[results.answers["theme_field"] == theme]
    name = label("answers", "theme_field", theme)
    blocks: list[Block] = [
        Heading(f"Themenfeld: {name}"),
        Paragraph(f"Zu diesem Themenfeld gingen {n(len(answers))} Antworten ein."),
    ]
    frequencies = results.code_frequencies[results.code_frequencies["theme_field"] == theme]
    top = results.top_codes[results.top_codes["theme_field"] == theme]
    if len(top):
        blocks.append(Heading("Häufigste Codes", 3))
        blocks.append(
            Table(
                f"Häufigste Codes im Themenfeld {name}",
                pd.DataFrame(
                    {
                        "Code": top["label"],
                        "Antworten": top["answers"],
                        "Anteil der codierten Antworten": top["share"].map(lambda s: share(s, 1)),
                    }
                ),
            )
        )
        for row in top.itertuples():
            quotes = results.quotes[results.quotes["code_id"] == row.code_id]
            quotes = quotes[quotes["answer_id"].isin(answers["answer_id"])]
            for quote in quotes.itertuples():
                blocks.append(
                    Paragraph(f"„{quote.quote}“ (Code {row.label}; Antwort {quote.answer_id})")
                )
    elif frequencies.empty:
        blocks.append(Paragraph("In diesem Themenfeld ist noch keine Antwort codiert."))
    proposals = results.proposals[results.proposals["theme_field"] == theme]
    if len(proposals):
        blocks.append(Heading("Lösungsvorschläge", 3))
        shown = proposals.head(10)
        blocks.append(
            Table(
                f"Lösungsvorschläge im Themenfeld {name}, nach Bewertung",
                pd.DataFrame(
                    {
                        "Antwort": shown["answer_id"].astype(str),
                        "Bewertungen": shown["n_ratings"],
                        "Wirksamkeit (Mittel ± SD)": [
                            f"{decimal(m)} ± {decimal(s)}"
                            for m, s in zip(
                                shown["effectiveness_mean"], shown["effectiveness_sd"], strict=True
                            )
                        ],
                        "Machbarkeit (Mittel ± SD)": [
                            f"{decimal(m)} ± {decimal(s)}"
                            for m, s in zip(
                                shown["feasibility_mean"], shown["feasibility_sd"], strict=True
                            )
                        ],
                        "Zitat": shown["quote"].fillna("(nicht veröffentlicht)"),
                    }
                ),
            )
        )
    blocks += _theme_suggestions(results, name, theme)
    return blocks


def _theme_suggestions(results: Results, name: str, theme: str) -> list[Block]:
    found = results.theme_suggestions.get(theme)
    answers = results.answers[results.answers["theme_field"] == theme]
    modelled = answers[answers["theme_excluded"] == ""]
    blocks: list[Block] = [Heading("Themenvorschläge", 3)]
    if found is None or found.themes.empty:
        blocks.append(
            Paragraph(
                f"Für Themenvorschläge reichen die {n(len(modelled))} auswertbaren Antworten "
                "dieses Themenfelds nicht aus."
            )
        )
        return blocks
    found_themes = found.themes
    unassigned = int((found.assignments["theme"] == 0).sum())
    left_out = answers[answers["theme_excluded"] != ""]["theme_excluded"]
    left_out = left_out.str.replace(r" \d+$", "", regex=True).value_counts()
    blocks.append(
        Paragraph(
            f"Automatisch gefunden, von der Analyse zu prüfen: {n(len(found_themes))} Themen in "
            f"{n(len(modelled))} Antworten (die Zahl der Themen ist aus den Daten gewählt, "
            f"verglichen wurden {n(min(found.chosen_from))} bis {n(max(found.chosen_from))}). "
            f"{n(unassigned)} Antworten passen zu keinem Thema deutlich."
            + (
                " Nicht einbezogen: "
                + ", ".join(f"{n(count)} × {reason}" for reason, count in left_out.items())
                + "."
                if len(left_out)
                else ""
            )
        )
    )
    examples = found.examples
    quotable = results.answers.set_index("answer_id")
    rows = []
    for row in found_themes.itertuples():
        ids = examples[examples["theme"] == row.theme]["answer_id"].tolist()
        rows.append(
            {
                "Thema": str(row.theme),
                "Antworten": row.size,
                "Kennzeichnende Begriffe": row.terms,
                "Beispiele (Antwort-Nr.)": ", ".join(str(i) for i in ids),
            }
        )
    blocks.append(Table(f"Themenvorschläge im Themenfeld {name}", pd.DataFrame(rows)))
    for row in found_themes.itertuples():
        for answer_id in examples[examples["theme"] == row.theme]["answer_id"].head(2):
            excerpt = _excerpt(quotable, answer_id)
            if excerpt:
                blocks.append(Paragraph(f"Thema {row.theme}: „{excerpt}“ (Antwort {answer_id})"))
    return blocks


def _excerpt(answers: pd.DataFrame, answer_id: int, limit: int = 240) -> str:
    """The published wording of a quotable answer, shortened; "" if it may not be quoted."""
    if answer_id not in answers.index:
        return ""
    row = answers.loc[answer_id]
    if not (
        row["status"] == "published"
        and bool(row.get("publication_consent", False))
        and pd.notna(row["published_text"])
        and not bool(row.get("flagged", False))
    ):
        return ""
    return shorten(str(row["published_text"]), limit)


# ---------------------------------------------------------------- recommendations

VIA_LABELS = {
    "answer": "direkt verknüpft",
    "code": "über Codes",
    "recommendation": "über zusammengeführte Empfehlungen",
}
NO_THEME_FIELD = "ohne Themenfeld"


def _recommendation_summary(results: Results) -> list[Block]:
    found = results.recommendations
    if found is None:
        return []
    overview = found.overview
    if overview.empty:
        return [Paragraph("Im Export sind noch keine Handlungsempfehlungen enthalten.")]
    rated = int((overview["raters"] > 0).sum())
    return [
        Paragraph(
            f"Im Export stehen {n(len(overview))} Handlungsempfehlungen (ohne solche, die in "
            f"eine andere aufgegangen sind); {n(rated)} davon sind bewertet."
        )
    ]


def _recommendation_chapters(results: Results, label: _Labels) -> list[Block]:
    """A chapter per theme field with its recommendations (none for exports without them)."""
    found = results.recommendations
    if found is None:
        return []
    if found.overview.empty:
        return [
            Heading("Handlungsempfehlungen"),
            Paragraph("Im Export sind noch keine Handlungsempfehlungen enthalten."),
        ]
    assigned = found.theme_fields
    known = list(results.theme_fields["theme_field"])
    fields = [t for t in known if t in set(assigned["theme_field"])]
    fields += sorted(set(assigned["theme_field"]) - set(known))
    blocks: list[Block] = []
    for theme in fields:
        ids = assigned[assigned["theme_field"] == theme]["recommendation_id"]
        blocks += _recommendation_chapter(
            results, label, label("answers", "theme_field", theme), theme, ids
        )
    without = found.overview[
        ~found.overview["recommendation_id"].isin(assigned["recommendation_id"])
    ]
    if len(without):
        blocks += _recommendation_chapter(
            results, label, NO_THEME_FIELD, "ohne-themenfeld", without["recommendation_id"]
        )
    return blocks


def _recommendation_chapter(
    results: Results, label: _Labels, name: str, slug: str, ids: pd.Series
) -> list[Block]:
    found = results.recommendations
    recs = found.overview[found.overview["recommendation_id"].isin(ids)]  # by priority
    heading = "Handlungsempfehlungen " + (
        name if name == NO_THEME_FIELD else f"im Themenfeld {name}"
    )
    blocks: list[Block] = [Heading(f"Handlungsempfehlungen: {name}")]
    merged = found.merged[found.merged["source_recommendation_id"].isin(ids)]
    rated = recs[recs["raters"] > 0]
    unrated = len(recs) - len(rated)
    blocks.append(
        Paragraph(
            f"{n(len(recs))} Handlungsempfehlungen, davon {n(len(rated))} bewertet; geordnet "
            "nach Priorität aus den Medianen von Wirksamkeit und Machbarkeit (siehe Methodik)."
            + (f" {n(unrated)} noch nicht bewertete stehen am Ende, ohne Rang." if unrated else "")
            + (
                " In andere Empfehlungen aufgegangen (ihre Belege zählen dort): "
                + ", ".join(
                    f"Nr. {row.source_recommendation_id} „{row.title}“ (in Nr. "
                    f"{row.recommendation_id})"
                    for row in merged.itertuples()
                )
                + "."
                if len(merged)
                else ""
            )
        )
    )
    if recs.empty:
        return blocks
    number = recs["recommendation_id"].astype(str)
    blocks.append(
        Table(
            f"{heading} nach Priorität",
            pd.DataFrame(
                {
                    "Rang": recs["rank"].map(lambda r: "–" if pd.isna(r) else str(r)),
                    "Nr.": number,
                    "Empfehlung": recs["title"],
                    "Stand": label.column(recs, "recommendations", "status"),
                    "Bewertungen": recs["raters"],
                    "Wirksamkeit (Median)": recs["effectiveness_median"].map(
                        lambda v: decimal(v, 1)
                    ),
                    "Machbarkeit (Median)": recs["feasibility_median"].map(lambda v: decimal(v, 1)),
                    "Priorität": recs["priority"].map(decimal),
                }
            ),
        )
    )
    if len(rated):
        blocks.append(_priority_matrix(rated, name, slug, unrated))
    blocks.append(
        Table(
            f"Unterstützende Beiträge je Empfehlung ({name})",
            pd.DataFrame(
                {
                    "Nr.": number,
                    "Antworten": recs["answers"],
                    "davon in möglichen Kampagnen": recs["campaign_answers"],
                    "mögliche Kampagnen": recs["campaigns"],
                    "Stimmen (jede Kampagne eine)": recs["voices"],
                    "Dokumentierte Punkte": recs["documentation"],
                    "Zustimmung zu den Punkten": recs["agreement"].map(
                        lambda v: "–" if pd.isna(v) else n(v)
                    ),
                }
            ),
        )
    )
    threshold = results.options.small_cell_threshold
    for column, counts in (("perspective", found.by_perspective), ("channel", found.by_channel)):
        table = _support_cross_table(recs, counts, column, label, threshold)
        if not table.empty:
            blocks.append(
                Table(
                    f"Unterstützende Antworten außerhalb möglicher Kampagnen je Empfehlung und "
                    f"{HEADINGS[column]} ({name}"
                    + (f"; Werte unter {threshold} unterdrückt)" if threshold > 1 else ")"),
                    table,
                )
            )
    agreement = found.ratings[found.ratings["recommendation_id"].isin(rated["recommendation_id"])]
    if len(agreement):
        order = {rid: i for i, rid in enumerate(rated["recommendation_id"])}
        agreement = agreement.assign(
            order=agreement["recommendation_id"].map(order),
            c=agreement["criterion"].map({c: i for i, c in enumerate(recommendations.CRITERIA)}),
        ).sort_values(["order", "c"])
        blocks.append(
            Table(
                f"Übereinstimmung der Bewertenden ({name})",
                pd.DataFrame(
                    {
                        "Nr.": agreement["recommendation_id"].astype(str),
                        "Kriterium": agreement["criterion"].map(recommendations.CRITERIA),
                        "Bewertungen": agreement["raters"],
                        "Median": agreement["median"].map(lambda v: decimal(v, 1)),
                        "Quartilsabstand": agreement["iqr"].map(lambda v: decimal(v, 1)),
                        "Spannweite": [
                            f"{low:.0f} bis {high:.0f}"
                            for low, high in zip(agreement["low"], agreement["high"], strict=True)
                        ],
                        "uneinig": agreement["disagreement"].map({True: "ja", False: "nein"}),
                    }
                ),
            )
        )
    for row in recs.itertuples():
        blocks += _recommendation_details(results, label, row)
    return blocks


def _priority_matrix(rated: pd.DataFrame, name: str, slug: str, unrated: int) -> Figure:
    both_high = rated[(rated["effectiveness_median"] >= 3.5) & (rated["feasibility_median"] >= 3.5)]
    first = rated.iloc[0]
    return Figure(
        "empfehlungen-matrix-" + re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-"),
        charts.scatter_chart(
            rated["feasibility_median"],
            rated["effectiveness_median"],
            rated["recommendation_id"].astype(str),
            f"Wirksamkeit × Machbarkeit: {name}",
            statistic="Median",
        ),
        f"Streudiagramm: {n(len(rated))} bewertete Handlungsempfehlungen ({name}), waagerecht "
        "der Median der Machbarkeit, senkrecht der Median der Wirksamkeit (je 1 bis 5); "
        f"{n(len(both_high))} liegen in beiden Kriterien bei 3,5 oder höher. Höchste "
        f"Priorität: Nr. {first['recommendation_id']} „{first['title']}“ (Wirksamkeit "
        f"{decimal(first['effectiveness_median'], 1)}, Machbarkeit "
        f"{decimal(first['feasibility_median'], 1)})."
        + (f" {n(unrated)} noch nicht bewertete fehlen in der Grafik." if unrated else "")
        + " Die Tabelle zur Grafik enthält alle Werte.",
        f"Prioritätenmatrix der Handlungsempfehlungen ({name})",
        pd.DataFrame(
            {
                "Nr.": rated["recommendation_id"].astype(str),
                "Empfehlung": rated["title"],
                "Wirksamkeit (Median)": rated["effectiveness_median"].map(lambda v: decimal(v, 1)),
                "Machbarkeit (Median)": rated["feasibility_median"].map(lambda v: decimal(v, 1)),
                "Bewertungen": rated["raters"],
            }
        ),
    )


def _support_cross_table(
    recs: pd.DataFrame, counts: pd.DataFrame, column: str, label: _Labels, threshold: int
) -> pd.DataFrame:
    """Recommendations (rows, by priority) × values of `column`, small cells suppressed."""
    counts = counts[counts["recommendation_id"].isin(recs["recommendation_id"])]
    if counts.empty:
        return pd.DataFrame()
    named = counts.assign(value=label.column(counts, "answers", column))
    table = named.pivot_table(
        index="recommendation_id", columns="value", values="answers", aggfunc="sum", fill_value=0
    )
    table = table[table.sum().sort_values(ascending=False, kind="stable").index]
    table = table.reindex(recs["recommendation_id"], fill_value=0)
    table["Gesamt"] = table.sum(axis=1)
    shown = tables.suppress_small_cells(table, threshold)
    shown.columns.name = None
    return pd.concat(
        [
            pd.DataFrame({"Nr.": recs["recommendation_id"].astype(str).to_numpy()}),
            shown.reset_index(drop=True),
        ],
        axis=1,
    )


def _recommendation_details(results: Results, label: _Labels, row) -> list[Block]:
    found = results.recommendations
    rid = row.recommendation_id
    blocks: list[Block] = [Heading(f"Empfehlung {rid}: {row.title}", 3)]
    since = f" (seit {_day(row.status_since)})" if pd.notna(row.status_since) else ""
    facts = [f"Stand: {label('recommendations', 'status', row.status)}{since}."]
    if row.addressee:
        facts.append(f"Adressat: {row.addressee}.")
    if row.measure:
        facts.append(f"Art der Maßnahme: {row.measure}.")
    if pd.notna(row.parent_id):
        facts.append(f"Teil des Bündels Nr. {row.parent_id}.")
    blocks.append(Paragraph(" ".join(facts)))
    text = _plain(row.text)
    if text:
        blocks.append(Paragraph(shorten(text, 700)))
    blocks.append(Paragraph(_support_sentence(found, row)))
    blocks.append(Paragraph(_rating_sentence(found, rid)))
    if pd.notna(row.note_at):
        note = f"Letzte öffentliche Notiz ({_day(row.note_at)}): „{row.public_note}“"
        if pd.notna(row.progress_percent):
            note += f" Fortschritt: {row.progress_percent} %."
        if row.link:
            note += f" Verweis: {row.link}"
        blocks.append(Paragraph(note))
    for quote in found.quotes[found.quotes["recommendation_id"] == rid].itertuples():
        blocks.append(Paragraph(f"„{quote.quote}“ (Empfehlung {rid}; Antwort {quote.answer_id})"))
    return blocks


def _support_sentence(found: recommendations.Recommendations, row) -> str:
    rid = row.recommendation_id
    if not row.answers:
        sentence = "Noch keine Antwort unterstützt diese Empfehlung."
    else:
        via = found.support[found.support["recommendation_id"] == rid]["via"].value_counts()
        ways = ", ".join(f"{n(via[v])} {text}" for v, text in VIA_LABELS.items() if via.get(v, 0))
        sentence = f"Unterstützt von {n(row.answers)} Antworten ({ways})"
        if row.campaign_answers:
            groups = found.campaigns[found.campaigns["recommendation_id"] == rid]
            listed = "; ".join(
                f"Kampagne {g.campaign_id}: {n(g.answers)} von {n(g.campaign_size)} Antworten"
                for g in groups.itertuples()
            )
            sentence += (
                f"; davon {n(row.campaign_answers)} in {n(row.campaigns)} möglichen Kampagnen "
                f"({listed}); als Stimmen gezählt (jede Kampagne eine Stimme): {n(row.voices)}"
            )
        sentence += "."
    codes = found.codes[found.codes["recommendation_id"] == rid]
    if len(codes):
        sentence += (
            " Verknüpfte Codes: "
            + ", ".join(codes["label"].fillna(codes["code_id"].astype(str)))
            + "."
        )
    merged = found.merged[found.merged["recommendation_id"] == rid]
    if len(merged):
        sentence += (
            " Zusammengeführt aus: "
            + ", ".join(
                f"Nr. {m.source_recommendation_id} „{m.title}“" for m in merged.itertuples()
            )
            + "."
        )
    if row.documentation:
        entries = found.documentation[found.documentation["recommendation_id"] == rid]
        sentence += (
            f" Dazu {n(row.documentation)} dokumentierte Punkte aus "
            f"{n(entries['event_id'].nunique())} Veranstaltungen"
            + (
                f", mit zusammen {n(row.agreement)} Zustimmungen (z. B. Klebepunkte)"
                if pd.notna(row.agreement)
                else ""
            )
            + "; sie zählen getrennt von den Antworten."
        )
    return sentence


def _rating_sentence(found: recommendations.Recommendations, rid: int) -> str:
    rows = found.ratings[found.ratings["recommendation_id"] == rid].set_index("criterion")
    if rows.empty:
        return "Noch nicht bewertet."
    parts, disputed = [], []
    for criterion, name in recommendations.CRITERIA.items():
        r = rows.loc[criterion]
        parts.append(
            f"{name} Median {decimal(r['median'], 1)} (Quartilsabstand {decimal(r['iqr'], 1)}; "
            f"Spannweite {r['low']:.0f} bis {r['high']:.0f})"
        )
        if r["disagreement"]:
            disputed.append(name)
    raters = int(rows["raters"].max())
    return (
        f"Bewertet von {n(raters)} {'Person' if raters == 1 else 'Personen'}: "
        + ", ".join(parts)
        + "."
        + (
            f" Uneinig bei {' und '.join(disputed)} (Spannweite "
            f"{recommendations.DISAGREEMENT_SPREAD} oder mehr)."
            if disputed
            else ""
        )
    )


def _day(moment) -> str:
    """A point in time as the day in Berlin (dd.mm.yyyy)."""
    stamp = pd.Timestamp(moment)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("Europe/Berlin")
    return f"{stamp:%d.%m.%Y}"


def _plain(text) -> str:
    """Sanitised HTML as plain text (paragraphs and list items apart)."""
    if pd.isna(text):
        return ""
    spaced = re.sub(r"<\s*(br|/p|/li|/h\d)\s*/?>", " ", str(text), flags=re.I)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", spaced))).strip()


def _campaign_section(results: Results, label: _Labels) -> list[Block]:
    groups = results.campaigns
    h = results.headline
    blocks: list[Block] = [Heading("Organisierte Eingaben (mögliche Kampagnen)")]
    if groups.empty:
        blocks.append(
            Paragraph("Die Prüfung fand keine Gruppen gleicher oder fast gleicher Texte.")
        )
        return blocks
    blocks.append(
        Paragraph(
            f"{n(len(groups))} Gruppen gleicher oder fast gleicher Texte mit zusammen "
            f"{n(h['campaign_answers'])} Antworten. Jede Gruppe zählt in diesem Bericht als eine "
            "Stimme und zusätzlich mit der Zahl ihrer Kopien. Eine Gruppe ist ein Hinweis auf "
            "eine Vorlage, die viele Menschen übernommen haben; ihr Anliegen ist deshalb nicht "
            "weniger berechtigt."
        )
    )
    for row in groups.head(MAX_LISTED_CAMPAIGNS).itertuples():
        fields = ", ".join(label("answers", "theme_field", t) for t in row.theme_fields.split(", "))
        spread = (
            f"Ähnlichkeit zum Vorlagentext {decimal(row.similarity_min)} bis 1,00 "
            f"(Median {decimal(row.similarity_median)})"
            if row.campaign_kind == "near"
            else "alle Kopien wortgleich"
        )
        dates = (
            f"{row.first_date:%d.%m.%Y} bis {row.last_date:%d.%m.%Y}"
            if pd.notna(row.first_date)
            else "unbekannt"
        )
        blocks.append(Heading(f"Kampagne {row.campaign_id}: {n(row.campaign_size)} Antworten", 3))
        blocks.append(
            Paragraph(
                f"Themenfelder: {fields}. Eingegangen {dates}; Eingangswege: "
                f"{_channels(row.channels, label)}. {spread}. Vorlagentext (Antwort "
                f"{row.representative_answer_id}, ohne Anrede und Gruß): "
                f"„{shorten(row.template_text, 700)}“"
            )
        )
    return blocks


def _channels(counted: str, label: _Labels) -> str:
    parts = []
    for part in str(counted).split(", "):
        value, _, count = part.rpartition(" (")
        parts.append(f"{label('answers', 'channel', value)} ({count}")
    return ", ".join(parts)


def _flag_section(results: Results) -> list[Block]:
    flag_counts, languages = results.flags, results.languages
    blocks: list[Block] = [
        Heading("Markierte Beiträge und Sprachen"),
        Paragraph(
            "Die Markierungen sind automatische Hinweise zur Prüfung, keine Entscheidungen: "
            "markierte Antworten bleiben im Datensatz und in allen Zählungen der Beteiligung, "
            "sie fehlen nur in den Themenvorschlägen und Zitaten."
        ),
        Table(
            "Markierte Antworten je Art, mit Gründen",
            pd.DataFrame(
                {
                    "Markierung": flag_counts["label"],
                    "Antworten": flag_counts["answers"],
                    "Gründe (Antworten)": flag_counts["reasons"].replace("", "–"),
                }
            ),
        ),
        Table(
            "Antworten je erkannter Sprache",
            pd.DataFrame(
                {
                    "Sprache": languages["language"].map(language.label),
                    "Antworten": languages["answers"],
                }
            ),
        ),
    ]
    other = results.answers[
        (results.answers["language"] != "de") & ~results.answers["flagged"].astype(bool)
    ]
    if len(other):
        blocks.append(
            Paragraph(
                f"{n(len(other))} nicht markierte Antworten in anderen Sprachen oder zu kurz für "
                "eine Bestimmung sind in den deutschen Themenvorschlägen nicht enthalten; sie "
                "sind in der Tabelle je Antwort (antworten_analyse.csv) mit ihrer Sprache "
                "aufgeführt und einzeln zu lesen."
            )
        )
    return blocks


def _proposal_matrix(results: Results) -> list[Block]:
    rated = results.proposals[results.proposals["n_ratings"] > 0]
    blocks: list[Block] = [Heading("Lösungsvorschläge nach Wirksamkeit und Machbarkeit")]
    if rated.empty:
        blocks.append(Paragraph("Es liegen noch keine bewerteten Lösungsvorschläge vor."))
        return blocks
    listed = rated.head(MAX_LISTED_PROPOSALS)  # ranked: the highest first
    table = pd.DataFrame(
        {
            "Antwort": listed["answer_id"].astype(str),
            "Bewertungen": listed["n_ratings"],
            "Wirksamkeit (Mittel)": listed["effectiveness_mean"].map(decimal),
            "Machbarkeit (Mittel)": listed["feasibility_mean"].map(decimal),
        }
    )
    both_high = rated[(rated["effectiveness_mean"] >= 3.5) & (rated["feasibility_mean"] >= 3.5)]
    blocks.append(
        Figure(
            "vorschlaege-matrix",
            charts.scatter_chart(
                rated["feasibility_mean"],
                rated["effectiveness_mean"],
                rated["answer_id"].astype(str),
                "Wirksamkeit × Machbarkeit der bewerteten Vorschläge",
            ),
            f"Streudiagramm: {n(len(rated))} bewertete Vorschläge, waagerecht die mittlere "
            "Machbarkeit, senkrecht die mittlere Wirksamkeit (je 1 bis 5); "
            f"{n(len(both_high))} liegen in beiden Kriterien bei 3,5 oder höher. "
            + (
                "Die Tabelle zur Grafik enthält alle Werte."
                if len(rated) <= MAX_LISTED_PROPOSALS
                else f"Die Tabelle zur Grafik nennt die {n(MAX_LISTED_PROPOSALS)} am höchsten "
                f"bewerteten; alle {n(len(rated))} stehen mit ihren Mittelwerten in "
                f"{per_answer.NAME}.csv."
            ),
            "Wirksamkeit × Machbarkeit",
            table,
        )
    )
    return blocks


def _moderation(results: Results, label: _Labels) -> list[Block]:
    figures = results.moderation
    return [
        Heading("Moderation"),
        Table(
            "Antworten je Moderationsstatus",
            pd.DataFrame(
                {
                    "Status": label.column(figures, "answers", "status"),
                    "Antworten": figures["answers"],
                    "davon markiert": figures["flagged"],
                }
            ),
        ),
    ]


def _events(results: Results, label: _Labels) -> list[Block]:
    kinds, lands = results.events_by_kind, results.events_by_land
    blocks: list[Block] = [Heading("Veranstaltungen")]
    if kinds.empty:
        return [*blocks, Paragraph("Im Export sind keine Veranstaltungen enthalten.")]
    blocks.append(
        Table(
            "Veranstaltungen und Teilnehmende je Art",
            pd.DataFrame(
                {
                    "Art": label.column(kinds, "events", "kind"),
                    "Veranstaltungen": kinds["events"],
                    "Teilnehmende": kinds["participants"],
                }
            ),
        )
    )
    blocks.append(
        Table(
            "Veranstaltungen und Teilnehmende je Bundesland",
            pd.DataFrame(
                {
                    "Bundesland": label.column(lands, "events", "bundesland"),
                    "Veranstaltungen": lands["events"],
                    "Teilnehmende": lands["participants"],
                }
            ),
        )
    )
    offline = results.answers[results.answers["channel"] == "dialogue_island"]
    blocks.append(Paragraph(f"An Dialoginseln wurden {n(len(offline))} Antworten gesammelt."))
    return blocks


def _method(results: Results) -> list[Block]:
    meta, h = results.meta, results.headline
    filters = meta.get("filters") or {}
    blocks: list[Block] = [
        Heading("Methodik"),
        Paragraph(
            f"Datengrundlage: Export vom {meta.get('created', 'unbekannt')}, Schema "
            f"{meta.get('schema_version', 'unbekannt')}, SHA-256 {meta.get('sha256')}. "
            + (
                "Filter: " + "; ".join(f"{k} = {v}" for k, v in filters.items()) + "."
                if filters
                else "Ohne Filter (alle Antworten)."
            )
        ),
        Paragraph(
            f"Codierung: {n(len(results.codebook))} Codes im Codebuch, {n(h['coded_answers'])} "
            "codierte Antworten. Doppelcodierte Stichproben zählen nicht zu den Häufigkeiten."
        ),
    ]
    if len(results.alpha):
        alphas = "; ".join(
            f"Stichprobe {row.sample_id}: α = {decimal(row.alpha)} "
            f"({n(row.n_units)} Entscheidungen)"
            for row in results.alpha.itertuples()
        )
        blocks.append(
            Paragraph(
                "Übereinstimmung der Doppelcodierung (Krippendorffs Alpha, nominal, je "
                f"Antwort und Code eine Ja/Nein-Entscheidung): {alphas}."
            )
        )
        kappa = results.kappa
        blocks.append(
            Table(
                "Cohens Kappa je Code",
                pd.DataFrame(
                    {
                        "Stichprobe": kappa["sample_id"].astype(str),
                        "Code": kappa["label"].fillna(kappa["code_id"].astype(str)),
                        "Antworten": kappa["n_answers"],
                        "Übereinstimmung": kappa["agreement"].map(lambda s: share(s, 1)),
                        "Kappa": kappa["kappa"].map(decimal),
                    }
                ),
            )
        )
    else:
        blocks.append(Paragraph("Es liegt noch keine doppelt codierte Stichprobe vor."))
    blocks += _method_quality(results)
    blocks += _method_recommendations(results)
    threshold = results.options.small_cell_threshold
    blocks.append(
        Paragraph(
            f"Datenschutz: In Kreuztabellen sind Werte unter {threshold} als „< {threshold}“ "
            "ausgewiesen. Zitiert werden nur veröffentlichte Antworten, mit ihrer Nummer."
        )
    )
    return blocks


def _method_quality(results: Results) -> list[Block]:
    q = results.options.quality
    near = (
        "Kampagnen: Verglichen werden die Texte ohne Anrede- und Grußzeilen. Zwei Antworten "
        "gelten als fast gleich, wenn sich ihre Folgen von je drei Wörtern zu mindestens "
        f"{decimal(campaigns.MIN_JACCARD)} decken (Jaccard-Ähnlichkeit) oder der kürzere Text zu "
        f"mindestens {decimal(campaigns.MIN_CONTAINMENT)} im längeren enthalten ist; geschätzt "
        f"mit MinHash ({campaigns.NUM_PERM} Hashfunktionen) und Locality-Sensitive Hashing, "
        "damit nicht jedes Paar verglichen werden muss. Antworten unter "
        f"{campaigns.MIN_WORDS} Wörtern zählen nur als wortgleiche Kopien. Ab "
        f"{campaigns.MIN_SIZE} Antworten (Kopien eingeschlossen) ist eine Gruppe eine mögliche "
        "Kampagne. Unabhängige Antworten mit denselben Schlüsselbegriffen bilden keine Gruppe, "
        "weil sie nicht dieselben Wortfolgen teilen."
        if q.near_copies
        else "Kampagnen: nur wortgleiche Kopien (Groß- und Kleinschreibung, Satzzeichen und "
        f"Leerzeichen unberücksichtigt), mindestens {campaigns.MIN_EXACT_LENGTH} Zeichen lang "
        f"und mindestens {campaigns.MIN_SIZE}-mal eingegangen."
    )
    reviewed = (
        " Gruppen, die die Analyse in der Plattform geprüft hat (bestätigt, geteilt, "
        "keine Kampagne), gehen mit dieser Entscheidung ein."
        if quality.REVIEWED_GROUP in results.answers
        and results.answers[quality.REVIEWED_GROUP].notna().any()
        else ""
    )
    return [
        Paragraph(
            near
            + reviewed
            + (
                " Bei den Code-Häufigkeiten zählt jede Kampagne als eine Stimme."
                if results.options.campaigns_as_one_voice
                else ""
            )
        ),
        Paragraph(
            "Markierungen: Regeln, keine trainierten Modelle. Spam ergibt sich aus Punkten für "
            "Links und Domains (Links zu Behörden zählen nicht), E-Mail-Adressen und "
            "Telefonnummern, Werbesprache, Preisangaben, Schlagwortketten, Zeichensalat und Texte "
            "ohne erkennbaren Bezug zu den Fragen; ab "
            f"{flags.SPAM_SCORE} Punkten gilt eine Antwort als wahrscheinlicher Spam. "
            "Beleidigungen und Angriffe erkennt eine gepflegte deutsche Wortliste mit Mustern "
            "(analysis/wordlists/beleidigungen.txt, erweiterbar mit --abuse-words), auch in "
            "verschleierter Schreibweise; Zitate in Anführungszeichen zählen nicht. Leer sind "
            "Antworten ohne Buchstaben oder nur mit Platzhaltern wie „s. o.“ oder „k. A.“. Die "
            "Markierungen sind Vorschläge für die Moderation, keine Ablehnungen."
        ),
        Paragraph(
            "Sprachen: Deutsch (auch Dialekt) wird an Funktionswörtern erkannt, alle übrigen "
            "Antworten bestimmt die Bibliothek lingua; Antworten, die zu kurz sind, bleiben "
            "unbestimmt. Themenvorschläge entstehen nur aus deutschen Antworten."
        ),
        Paragraph(
            "Themenvorschläge: je Themenfeld aus den nicht markierten deutschen Antworten, je "
            "Kampagne und Themenfeld eine Antwort. Die Wörter werden auf ihre Grundform "
            "gebracht (simplemma), Funktionswörter (auch mundartliche) entfallen, "
            "zusammengesetzte Wörter zählen auch mit ihren Teilen. Die Themen ergibt eine "
            "Zerlegung der TF-IDF-Matrix (NMF); ihre Zahl wird je Themenfeld aus den Daten "
            "gewählt: die Zahl, bei der sich die Antworten der Themen am deutlichsten "
            "voneinander unterscheiden (mittlere Silhouette), solange jedes Thema genug "
            "eigene Antworten behält. Eine Antwort gehört zu ihrem stärksten Thema, "
            "wenn es mindestens "
            f"{share(themes.MIN_SHARE_OF_WEIGHT, 1)} ihres Gewichts trägt, sonst zu keinem."
        ),
        Paragraph(
            "Grenzen: Die Beteiligung ist freiwillig und nicht repräsentativ; wer teilnimmt, "
            "wählt sich selbst aus. Organisierte Eingaben verstärken einzelne Anliegen; sie "
            "sind deshalb gesondert ausgewiesen. Antworten in anderen Sprachen sind gezählt, "
            "aber nicht in die Themen eingegangen. Automatisch sind: Kampagnengruppen, "
            "Markierungen, Sprachen und Themenvorschläge; von Menschen geprüft sind: die "
            "Moderation (Status), die Codierung und die Bewertungen der Vorschläge sowie "
            "geprüfte Kampagnengruppen."
        ),
    ]


def _method_recommendations(results: Results) -> list[Block]:
    if results.recommendations is None:
        return []
    return [
        Paragraph(
            "Handlungsempfehlungen, Reihenfolge: Jede bewertende Person gibt Wirksamkeit und "
            "Machbarkeit von 1 bis 5 an. Die Priorität ist das Mittel aus dem Median der "
            "Wirksamkeit und dem Median der Machbarkeit; die höchste steht vorn. Bei gleicher "
            "Priorität entscheidet der höhere Median der Wirksamkeit, dann die größere Zahl der "
            "Bewertungen, dann die kleinere Nummer. Noch nicht bewertete Empfehlungen erhalten "
            "keinen Rang: Sie folgen am Ende nach ihrer Nummer und fehlen in der "
            "Prioritätenmatrix. Empfehlungen, die in eine andere aufgegangen sind, stehen nicht "
            "eigens in der Reihenfolge; ihre Belege zählen bei der Empfehlung, in der sie "
            "aufgegangen sind."
        ),
        Paragraph(
            "Übereinstimmung der Bewertenden: je Kriterium die Zahl der Bewertungen, der Median, "
            "der Quartilsabstand (oberes minus unteres Quartil, linear interpoliert) und die "
            "Spannweite (niedrigster bis höchster Wert). Als uneinig gilt ein Kriterium, wenn "
            "mehr als eine Person bewertet hat und höchster und niedrigster Wert mindestens "
            f"{recommendations.DISAGREEMENT_SPREAD} Punkte auseinanderliegen."
        ),
        Paragraph(
            "Unterstützende Beiträge: die direkt verknüpften Antworten, alle Antworten, die in "
            "der gemeinsamen Codierung einen verknüpften Code tragen (bei zusammengelegten "
            "Codes den Code, in dem sie aufgegangen sind), und die Belege der Empfehlungen, die "
            "in die Empfehlung aufgegangen sind. Jede Antwort zählt je Empfehlung einmal; "
            "abgelehnte Antworten zählen nicht, bei einem gefilterten Export nur die "
            "exportierten. Antworten in möglichen Kampagnen (wie im Abschnitt zu organisierten "
            "Eingaben) sind gesondert ausgewiesen: jede Kampagne zählt als eine Stimme und "
            "zusätzlich mit der Zahl ihrer Kopien; die Tabellen je Perspektive und Eingangsweg "
            "zählen die übrigen Antworten. Dokumentierte Punkte von Veranstaltungen zählen "
            "getrennt, mit der dort gezählten Zustimmung (z. B. Klebepunkte). Zitiert werden "
            "nur veröffentlichte Antworten mit Zustimmung zur Veröffentlichung, im "
            "veröffentlichten (ggf. geschwärzten) Wortlaut, keine markierten und je Kampagne "
            "nur die erste; direkt verknüpfte Antworten zuerst."
        ),
    ]


def _appendix(results: Results, label: _Labels) -> list[Block]:
    blocks: list[Block] = [Heading("Anhang")]
    for column, table in results.cross_tables.items():
        if table.empty:
            continue
        renamed = table.rename(columns={v: label("answers", column, v) for v in table.columns})
        renamed.columns.name = None
        blocks.append(
            Table(
                f"Codes nach {HEADINGS[column]} (Antworten; Werte unter "
                f"{results.options.small_cell_threshold} unterdrückt)",
                renamed.reset_index().rename(columns={"label": "Code"}),
            )
        )
    if len(results.campaigns):
        groups = results.campaigns.sort_values("campaign_id").head(MAX_LISTED_CAMPAIGNS)
        listed = (
            f"Mögliche Kampagnen (die {n(len(groups))} größten von {n(len(results.campaigns))})"
            if len(results.campaigns) > len(groups)
            else "Mögliche Kampagnen"
        )
        blocks.append(
            Table(
                listed,
                pd.DataFrame(
                    {
                        "Nr.": groups["campaign_id"].astype(str),
                        "Art": groups["campaign_kind"].map(
                            {"exact": "wortgleich", "near": "fast gleich"}
                        ),
                        "Antworten": groups["campaign_size"],
                        "Vorlage (Antwort-Nr.)": groups["representative_answer_id"].astype(str),
                    }
                ),
            )
        )
    return blocks


# ---------------------------------------------------------------- renderers


def to_markdown(blocks: list[Block]) -> tuple[str, dict[str, bytes]]:
    """The report as Markdown and the chart files it links to ({file name: PNG})."""
    lines: list[str] = []
    files: dict[str, bytes] = {}
    for block in blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Paragraph):
            lines += [block.text, ""]
        elif isinstance(block, Table):
            lines += [f"**{block.caption}**", "", _markdown_table(block.frame), ""]
        elif isinstance(block, Figure):
            file = f"grafiken/{block.name}.png"
            files[file] = block.png
            alt = block.alt.replace("]", ")").replace("[", "(")
            lines += [f"![{alt}]({file})", "", f"*{block.caption}*", ""]
            if not block.table.empty:
                lines += ["Tabelle zur Grafik:", "", _markdown_table(block.table), ""]
    return "\n".join(lines), files


def _text(value) -> str:
    """A table cell as text: counts with German digit grouping, gaps empty."""
    if pd.isna(value):
        return ""
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return n(value)
    return str(value)


def _markdown_table(frame: pd.DataFrame) -> str:
    def cell(value) -> str:
        return _text(value).replace("|", "\\|").replace("\n", " ")

    header = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(False)]
    return "\n".join([header, rule, *rows])


def to_html(blocks: list[Block], title: str = "Ergebnisbericht (Entwurf)") -> str:
    """A self-contained, accessible HTML file: charts embedded, each with alt text and its table."""
    parts = [
        "<!doctype html>",
        '<html lang="de">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, Table):
            parts.append(_html_table(block.frame, block.caption))
        elif isinstance(block, Figure):
            data = base64.b64encode(block.png).decode()
            parts.append("<figure>")
            parts.append(f'<img src="data:image/png;base64,{data}" alt="{html.escape(block.alt)}">')
            parts.append(f"<figcaption>{html.escape(block.caption)}</figcaption>")
            if not block.table.empty:
                parts.append("<details><summary>Tabelle zur Grafik</summary>")
                parts.append(_html_table(block.table, block.caption))
                parts.append("</details>")
            parts.append("</figure>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts)


_CSS = (
    "body{font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff;"
    "margin:0 auto;max-width:50rem;padding:1rem}"
    "body{overflow-wrap:anywhere}figure{margin:1rem 0}"
    ".table-scroll{overflow-x:auto;margin:1rem 0}"
    "table{border-collapse:collapse}"
    "caption{text-align:left;font-weight:bold;padding:.25rem 0}"
    "th,td{border:1px solid #6b6b6b;padding:.25rem .5rem;text-align:left;vertical-align:top}"
    "img{max-width:100%;height:auto}"
    "summary{cursor:pointer;color:#004b87;text-decoration:underline}"
    ":focus{outline:3px solid #004b87;outline-offset:2px}"
)


def _html_table(frame: pd.DataFrame, caption: str) -> str:
    # A wide table scrolls inside its own region, which keyboard users can reach and scroll.
    label = html.escape(caption, quote=True)
    rows = [
        f'<div class="table-scroll" role="region" aria-label="{label}" tabindex="0">',
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>",
    ]
    rows += [f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns]
    rows.append("</tr></thead><tbody>")
    for row in frame.itertuples(False):
        cells = [html.escape(_text(v)) for v in row]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    rows.append("</tbody></table></div>")
    return "".join(rows)


def to_docx(blocks: list[Block]) -> bytes:
    """An editable Word document with headings, tables and charts (with their alt text)."""
    document = docx.Document()
    document.core_properties.language = "de-DE"
    for block in blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                document.core_properties.title = block.text
            document.add_heading(block.text, level=block.level - 1 if block.level > 1 else 0)
        elif isinstance(block, Paragraph):
            document.add_paragraph(block.text)
        elif isinstance(block, Table):
            _docx_table(document, block.frame, block.caption)
        elif isinstance(block, Figure):
            picture = document.add_picture(io.BytesIO(block.png), width=Cm(16))
            picture._inline.docPr.set("descr", block.alt)  # the picture's alt text in Word
            document.add_paragraph(block.caption, style="Caption")
            if not block.table.empty:
                _docx_table(document, block.table, f"Tabelle zur Grafik: {block.caption}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document, frame: pd.DataFrame, caption: str) -> None:
    document.add_paragraph(caption, style="Caption")
    # All rows at once: python-docx's add_row takes longer the longer the table is.
    table = document.add_table(rows=len(frame) + 1, cols=len(frame.columns))
    table.style = "Table Grid"
    rows = table.rows
    for cell, name in zip(rows[0].cells, frame.columns, strict=True):
        cell.text = str(name)
    for row, values in zip(rows[1:], frame.itertuples(False), strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = _text(value)


def write_report(results: Results, out: Path) -> list[Path]:
    """Write bericht.md (with its charts), bericht.html and bericht.docx into `out`."""
    blocks = build(results)
    out.mkdir(parents=True, exist_ok=True)
    markdown, files = to_markdown(blocks)
    written = []
    for name, data in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for name, content in (
        ("bericht.md", markdown.encode()),
        ("bericht.html", to_html(blocks).encode()),
        ("bericht.docx", to_docx(blocks)),
    ):
        (out / name).write_bytes(content)
        written.append(out / name)
    return written
