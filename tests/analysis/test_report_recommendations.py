"""The report's chapters on recommendations, drafted from a real export of the web app."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date
from itertools import pairwise

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from analysis.__main__ import main
from analysis.recommendations import TABLES
from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AnswerStatus, Channel, Perspective
from dialog.coding.models import Code, CodeAssignment
from dialog.common.permissions import Role
from dialog.events.models import Event
from dialog.export.services import ExportFilters, ExportFormat, write_export
from dialog.extensions import db
from dialog.process.models import ThemeField
from dialog.recommendations.models import (
    EventDocumentationEntry,
    Recommendation,
    RecommendationEvidence,
    RecommendationRating,
    RecommendationStatusChange,
)
from dialog.recommendations.rules import EvidenceKind, RecommendationStatus

S = RecommendationStatus
CAMPAIGN = "Wir fordern sofort mehr Geld und mehr Personal für die Pflege in Deutschland!"
DIRECT = "Die Betreuung am Nachmittag fehlt, deshalb arbeiten viele Mütter nur in Teilzeit."
NO_CONSENT = "Ohne verlässliche Ganztagsschule kann ich meine Stunden nicht aufstocken, leider."
PENDING = "Kitas mit längeren Öffnungszeiten würden unserem Betrieb sehr helfen."
REJECTED = "Eine abgelehnte Antwort, die trotz ihres Codes nicht mitzählen darf, egal warum."
MERGED = "Tarifverträge sollten Teilzeit für Beschäftigte mit Kindern flexibler machen."
NOTE = "Ein Förderprogramm des Bundes ist in Vorbereitung."


def _answer(theme, text, status, perspective, channel, consent=True) -> Answer:
    question = theme.questions[0]
    submission = Submission(
        theme_field_id=theme.id,
        channel=channel,
        received_on=date(2026, 3, 2),
        publication_consent=consent,
        perspective=perspective,
    )
    answer = Answer(
        question_id=question.id,
        theme_field_id=theme.id,
        text=text,
        status=status,
        perspective=perspective,
    )
    submission.answers.append(answer)
    db.session.add(submission)
    db.session.flush()
    return answer


@pytest.fixture
def export(app, seeded, make_user, tmp_path):
    raters = [make_user(Role.ANALYST) for _ in range(3)]
    theme = db.session.scalar(sa.select(ThemeField).order_by(ThemeField.position))
    event = db.session.scalar(
        sa.select(Event).where(Event.process_id == theme.process_id).order_by(Event.id)
    )
    published = AnswerStatus.PUBLISHED
    direct = _answer(theme, DIRECT, published, Perspective.EMPLOYEE, Channel.ONLINE)
    no_consent = _answer(
        theme, NO_CONSENT, published, Perspective.EMPLOYER, Channel.LETTER, consent=False
    )
    pending = _answer(theme, PENDING, AnswerStatus.PENDING, None, Channel.ONLINE)
    rejected = _answer(theme, REJECTED, AnswerStatus.REJECTED, None, Channel.ONLINE)
    copies = [
        _answer(theme, CAMPAIGN, published, Perspective.CITIZEN, Channel.ONLINE) for _ in range(4)
    ]
    merged_answer = _answer(theme, MERGED, published, Perspective.UNION, Channel.EMAIL)

    # "Doppelt" was linked, then merged into "Kita": its assignments now carry "Kita".
    kita = Code(process_id=theme.process_id, label="Kita", description="")
    db.session.add(kita)
    db.session.flush()
    doppelt = Code(
        process_id=theme.process_id, label="Doppelt", description="", merged_into_id=kita.id
    )
    db.session.add(doppelt)
    db.session.flush()
    for answer in [no_consent, pending, rejected, *copies]:
        db.session.add(
            CodeAssignment(answer_id=answer.id, code_id=kita.id, original_code_id=doppelt.id)
        )

    def recommendation(title, status=S.IN_REVIEW) -> Recommendation:
        rec = Recommendation(
            process_id=theme.process_id,
            title=title,
            text="<p>Der Bund <strong>fördert</strong> den Ganztag.</p>",
            addressee="Bund",
            measure="Förderprogramm",
            status=status,
        )
        rec.theme_fields = [theme]
        db.session.add(rec)
        db.session.flush()
        return rec

    care = recommendation("Ganztag ausbauen", S.PLANNED)
    tariffs = recommendation("Teilzeit tariflich absichern", S.RATED)
    source = recommendation("Flexible Teilzeit", S.DRAFT)
    unrated = recommendation("Beratung für Eltern", S.DRAFT)
    entries = [
        EventDocumentationEntry(
            event_id=event.id, session_label="Dialoginsel 1", text="Mehr Kitas", agreement_count=7
        ),
        EventDocumentationEntry(event_id=event.id, session_label="Dialoginsel 2", text="Ganztag"),
    ]
    db.session.add_all(entries)
    db.session.flush()
    links = [
        (care, dict(kind=EvidenceKind.ANSWER, answer_id=direct.id)),
        (care, dict(kind=EvidenceKind.CODE, code_id=doppelt.id)),
        (tariffs, dict(kind=EvidenceKind.RECOMMENDATION, source_recommendation_id=source.id)),
        (tariffs, dict(kind=EvidenceKind.DOCUMENTATION, documentation_id=entries[1].id)),
        (source, dict(kind=EvidenceKind.ANSWER, answer_id=merged_answer.id)),
        (source, dict(kind=EvidenceKind.DOCUMENTATION, documentation_id=entries[0].id)),
    ]
    db.session.add_all(
        RecommendationEvidence(recommendation_id=rec.id, **link) for rec, link in links
    )
    scores = [(care, [(5, 1), (4, 3), (5, 2)]), (tariffs, [(4, 4), (4, 5)])]
    for rec, pairs in scores:
        for rater, (effectiveness, feasibility) in zip(raters, pairs, strict=False):
            db.session.add(
                RecommendationRating(
                    recommendation_id=rec.id,
                    rater_id=rater.id,
                    effectiveness=effectiveness,
                    feasibility=feasibility,
                    reason="kurz begründet",
                )
            )
    steps = [None, S.DRAFT, S.IN_REVIEW, S.RATED, S.INCLUDED, S.PLANNED]
    for before, after in pairwise(steps):
        db.session.add(
            RecommendationStatusChange(
                recommendation_id=care.id,
                from_status=before,
                to_status=after,
                public_note=NOTE if after == S.PLANNED else "",
                progress_percent=20 if after == S.PLANNED else None,
            )
        )
    db.session.commit()
    path = tmp_path / "export.zip"
    write_export(path, ExportFormat.PARQUET, ExportFilters(), actor=raters[0])
    db.session.commit()
    ids = {
        "care": care.id,
        "tariffs": tariffs.id,
        "source": source.id,
        "unrated": unrated.id,
        "direct": direct.id,
        "no_consent": no_consent.id,
        "pending": pending.id,
        "copies": [a.id for a in copies],
        "merged_answer": merged_answer.id,
    }
    return path, theme.title, ids


def _raw(path, name):
    with zipfile.ZipFile(path) as archive:
        return pq.read_table(archive.open(f"{name}.parquet")).to_pandas()


def _row(markdown: str, first: str) -> list[str]:
    """The cells of the Markdown table row whose first cell is `first`."""
    match = re.search(rf"^\| {re.escape(first)} \|(.*)\|$", markdown, flags=re.M)
    assert match, f"no row {first}"
    return [cell.strip() for cell in match.group(1).split("|")]


def test_a_chapter_per_theme_field_with_the_recommendations_by_priority(export, tmp_path, capsys):
    path, theme_title, ids = export
    out = tmp_path / "bericht"
    assert main([str(path), "--out", str(out), "--min-cell", "1"]) == 0
    assert "[9/9] Handlungsempfehlungen auswerten" in capsys.readouterr().err
    markdown = (out / "bericht.md").read_text()
    care, tariffs, source, unrated = (str(ids[k]) for k in ("care", "tariffs", "source", "unrated"))

    raw = _raw(path, "recommendations")
    merged_away = _raw(path, "recommendation_evidence")["source_recommendation_id"].dropna()
    listed = raw[~raw["recommendation_id"].isin(merged_away)]
    assert f"Im Export stehen {len(listed)} Handlungsempfehlungen" in markdown
    chapter = markdown.split(f"## Handlungsempfehlungen: {theme_title}\n", 1)[1].split("\n## ")[0]
    assert "4 Handlungsempfehlungen" not in chapter  # the merged one is not listed apart
    assert f"Nr. {source} „Flexible Teilzeit“ (in Nr. {tariffs})" in chapter

    # Priority: the mean of the medians; tariffs 4,25 (4 and 4,5) before care 3,5 (5 and 2);
    # unrated last without rank.
    ranked = chapter.split("nach Priorität**")[1].split("\n\n")[1]
    assert [_row(ranked, rank)[0] for rank in ("1", "2", "–")] == [tariffs, care, unrated]
    assert _row(ranked, "1") == [
        tariffs,
        "Teilzeit tariflich absichern",
        "bewertet",
        "2",
        "4,0",
        "4,5",
        "4,25",
    ]
    assert _row(ranked, "2")[1:] == ["Ganztag ausbauen", "geplant", "3", "5,0", "2,0", "3,50"]

    # Support: care has 1 direct + 6 through the merged code (the rejected answer left out),
    # 4 of them copies of one campaign: 3 + 1 voices. Tariffs: 1 answer of the merged one
    # and 2 documented points, 7 pinboard dots.
    support = chapter.split(f"**Unterstützende Beiträge je Empfehlung ({theme_title})**")[1]
    assert _row(support, care) == ["7", "4", "1", "4", "0", "–"]
    assert _row(support, tariffs) == ["1", "0", "0", "1", "2", "7"]
    assert _row(support, unrated) == ["0", "0", "0", "0", "0", "–"]
    by_perspective = chapter.split("je Empfehlung und Perspektive")[1].split("**")[1]
    header = re.search(r"^\| Nr\. \|(.*)\|$", by_perspective, flags=re.M).group(1)
    columns = [c.strip() for c in header.split("|")]
    assert dict(zip(columns, _row(by_perspective, care), strict=True)) == {
        "Arbeitgeber*in/Unternehmen": "1",
        "Beschäftigte*r": "1",
        "Gewerkschaft": "0",
        "keine Angabe": "1",  # the pending answer; the campaign's copies are shown apart
        "Gesamt": "3",
    }
    assert _row(by_perspective, tariffs) == ["0", "0", "1", "0", "1"]  # the merged one's
    by_channel = chapter.split("je Empfehlung und Eingangsweg")[1].split("**")[1]
    assert _row(by_channel, care) == ["2", "1", "0", "3"]  # online, letter, e-mail
    assert "Kampagne 1: 4 von 4 Antworten" in chapter
    assert "als Stimmen gezählt (jede Kampagne eine Stimme): 4." in chapter
    assert "Verknüpfte Codes: Kita." in chapter
    assert "Dazu 2 dokumentierte Punkte aus 1 Veranstaltungen, mit zusammen 7 Zustimmungen" in (
        chapter
    )

    # Rater agreement: care's feasibility 1, 3, 2: median 2, IQR 1, range 1 to 3: disagreement.
    agreement = chapter.split("**Übereinstimmung der Bewertenden")[1]
    rows = re.findall(rf"^\| {care} \|(.*)\|$", agreement, flags=re.M)
    cells = [[c.strip() for c in row.split("|")] for row in rows]
    assert cells[:2] == [
        ["Wirksamkeit", "3", "5,0", "0,5", "4 bis 5", "nein"],
        ["Machbarkeit", "3", "2,0", "1,0", "1 bis 3", "ja"],
    ]
    assert "Uneinig bei Machbarkeit (Spannweite 2 oder mehr)." in chapter

    # Status and the latest public note, dated as in the export.
    history = _raw(path, "recommendation_status_history")
    noted = history[(history["recommendation_id"] == ids["care"]) & (history["public_note"] != "")]
    day = noted["at"].iloc[-1].tz_convert("Europe/Berlin").strftime("%d.%m.%Y")
    assert f"Letzte öffentliche Notiz ({day}): „{NOTE}“ Fortschritt: 20 %." in chapter
    assert f"Stand: geplant (seit {day}). Adressat: Bund." in chapter
    assert "Der Bund fördert den Ganztag." in chapter  # the text without its HTML

    # Quotes: only published answers with consent, one per campaign, each citing its id.
    answers = _raw(path, "answers").set_index("answer_id")
    quoted = re.findall(r"„(.+?)“ \(Empfehlung (\d+); Antwort (\d+)\)", markdown)
    assert {(int(r), int(a)) for _, r, a in quoted} == {
        (ids["care"], ids["direct"]),
        (ids["care"], ids["copies"][0]),
        (ids["tariffs"], ids["merged_answer"]),
    }
    for quote, _, answer_id in quoted:
        row = answers.loc[int(answer_id)]
        assert row["status"] == "published" and row["publication_consent"]
        assert row["published_text"] == quote

    # The priority matrix: a chart with alt text and its table.
    html = (out / "bericht.html").read_text()
    alt = re.search(r'alt="(Streudiagramm: 2 bewertete Handlungsempfehlungen[^"]+)"', html)
    assert alt and f"Höchste Priorität: Nr. {tariffs}" in alt.group(1)
    assert "1 noch nicht bewertete fehlen in der Grafik" in alt.group(1)
    assert html.count("<summary>Tabelle zur Grafik</summary>") == html.count("<img ")
    assert "Die Priorität ist das Mittel aus dem Median der Wirksamkeit" in markdown  # Methodik


def test_small_support_counts_are_suppressed_by_default(export, tmp_path):
    path, theme_title, ids = export
    out = tmp_path / "bericht"
    assert main([str(path), "--out", str(out)]) == 0
    chapter = (
        (out / "bericht.md").read_text().split(f"## Handlungsempfehlungen: {theme_title}\n")[1]
    )
    by_perspective = chapter.split("je Empfehlung und Perspektive")[1].split("**")[1]
    assert "< 5" in _row(by_perspective, str(ids["care"]))


def test_an_export_without_recommendation_tables_gives_the_report_without_them(export, tmp_path):
    path, _, _ = export
    older = tmp_path / "alt.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(older, "w") as target:
        package = json.loads(source.read("datapackage.json"))
        package["resources"] = [r for r in package["resources"] if r["name"] not in TABLES]
        for item in source.infolist():
            if item.filename != "datapackage.json" and not item.filename.startswith(TABLES):
                target.writestr(item.filename, source.read(item))
        target.writestr("datapackage.json", json.dumps(package))
    out = tmp_path / "bericht"
    assert main([str(older), "--out", str(out)]) == 0
    markdown = (out / "bericht.md").read_text()
    assert "Handlungsempfehlung" not in markdown
    assert "## Themenfeld:" in markdown
