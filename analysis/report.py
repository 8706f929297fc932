"""The draft Ergebnisbericht: built once as blocks, rendered as Markdown, HTML and DOCX.

Every number in the text is taken from the analysis results; nothing is typed in.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

import docx
import numpy as np
import pandas as pd
from docx.shared import Cm

from analysis import charts
from analysis.pipeline import Results


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


def share(part, whole) -> str:
    return "0 %" if not whole else f"{100 * part / whole:.0f} %".replace(".", ",")


def decimal(value, digits: int = 2) -> str:
    return "–" if pd.isna(value) else f"{value:.{digits}f}".replace(".", ",")


class _Labels:
    """German labels of coded values (from the data dictionary) and of theme fields (titles)."""

    def __init__(self, results: Results) -> None:
        self._labels = results.meta.get("labels", {})
        themes = results.answers[["theme_field", "theme_field_title"]].drop_duplicates()
        self.themes = dict(zip(themes["theme_field"], themes["theme_field_title"], strict=True))

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
    title = results.meta.get("title", "").removesuffix(" – Datenexport") or "Zukunftsdialog"
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
            f"{n(h['campaign_answers'])} Antworten, {n(h['empty'])} Antworten ohne Inhalt und "
            f"{n(h['spam'])} wahrscheinliche Spam-Beiträge."
            + (
                " Jede Kampagne zählt bei den Codes als eine Stimme."
                if results.options.campaigns_as_one_voice
                else ""
            )
        ),
        Paragraph(
            f"An {n(h['events'])} Veranstaltungen nahmen {n(h['event_participants'])} "
            "angemeldete Personen teil."
        ),
    ]
    blocks += _participation(results, label)
    for theme in sorted(label.themes, key=label.themes.get):
        blocks += _theme_chapter(results, label, theme)
    blocks += _events(results, label)
    blocks += _method(results)
    blocks += _appendix(results, label)
    return blocks


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
    themes, examples = results.theme_suggestions.get(theme, (pd.DataFrame(), pd.DataFrame()))
    if len(themes):
        blocks.append(Heading("Was die nicht codierten Antworten nahelegen", 3))
        blocks.append(
            Paragraph(
                "Vorschläge für neue Codes aus den noch nicht codierten Antworten "
                "(automatisch gefunden, bitte prüfen):"
            )
        )
        blocks.append(
            Table(
                f"Themenvorschläge im Themenfeld {name}",
                pd.DataFrame(
                    {
                        "Thema": themes["theme"],
                        "Antworten": themes["size"],
                        "Kennzeichnende Begriffe": themes["top_terms"],
                        "Beispiele (Antwort-Nr.)": [
                            ", ".join(str(a) for a in examples[examples["theme"] == t]["answer_id"])
                            for t in themes["theme"]
                        ],
                    }
                ),
            )
        )
    return blocks


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
    blocks.append(
        Paragraph(
            "Kampagnen: Antworten mit gleichem Text (Groß- und Kleinschreibung, Satzzeichen "
            "und Leerzeichen unberücksichtigt) oder gleichem Wortbestand, mindestens "
            "30 Zeichen lang und mindestens dreimal eingegangen, gelten als mögliche Kampagne."
            + (
                " Bei den Code-Häufigkeiten zählt jede Kampagne als eine Stimme."
                if results.options.campaigns_as_one_voice
                else ""
            )
        )
    )
    threshold = results.options.small_cell_threshold
    blocks.append(
        Paragraph(
            f"Datenschutz: In Kreuztabellen sind Werte unter {threshold} als „< {threshold}“ "
            "ausgewiesen. Zitiert werden nur veröffentlichte Antworten, mit ihrer Nummer."
        )
    )
    return blocks


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
        campaigns = results.campaigns.sort_values("campaign_id").head(MAX_LISTED_CAMPAIGNS)
        listed = (
            f"Mögliche Kampagnen (die {n(len(campaigns))} größten von {n(len(results.campaigns))})"
            if len(results.campaigns) > len(campaigns)
            else "Mögliche Kampagnen"
        )
        blocks.append(
            Table(
                listed,
                pd.DataFrame(
                    {
                        "Nr.": campaigns["campaign_id"].astype(str),
                        "Art": campaigns["campaign_kind"].map(
                            {"exact": "gleicher Text", "near": "gleicher Wortbestand"}
                        ),
                        "Antworten": campaigns["campaign_size"],
                        "Beispiel (Antwort-Nr.)": campaigns["example_answer_id"].astype(str),
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
