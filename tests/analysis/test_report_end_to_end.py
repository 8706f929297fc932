"""The analysis reads a real export written by the web application and drafts the report."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date

import docx
import pandas as pd
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from analysis.__main__ import main
from analysis.io import ExportError, read_export
from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AnswerStatus, Channel
from dialog.coding.models import Code, CodeAssignment
from dialog.common.permissions import Role
from dialog.export.services import ExportFilters, ExportFormat, write_export
from dialog.extensions import db
from dialog.process.models import GuidingQuestion, ThemeField

CAMPAIGN = "Wir fordern sofort mehr Geld und mehr Personal für die Pflege in Deutschland!"
TEXTS = [
    "Die Ausbildung im Handwerk braucht mehr Anerkennung und eine bessere Bezahlung.",
    "Kitaplätze fehlen, deshalb können viele Eltern nur in Teilzeit arbeiten.",
    "Ältere Beschäftigte wollen länger arbeiten, wenn die Arbeitszeit flexibel ist.",
    "Anerkennung ausländischer Abschlüsse dauert viel zu lange und ist zu teuer.",
    "keine Ahnung",
]


@pytest.fixture
def export_zip(app, seeded, make_user, tmp_path):
    analyst = make_user(Role.ANALYST)
    theme = db.session.scalar(sa.select(ThemeField).order_by(ThemeField.position))
    question = db.session.scalar(
        sa.select(GuidingQuestion).where(GuidingQuestion.theme_field_id == theme.id)
    )
    code = Code(process_id=theme.process_id, label="Pflege", description="")
    db.session.add(code)
    texts = [*TEXTS, *[CAMPAIGN] * 4]
    for number, text in enumerate(texts):
        submission = Submission(
            theme_field_id=theme.id,
            channel=Channel.LETTER if number == 0 else Channel.ONLINE,
            received_on=date(2024, 3, 4),
            publication_consent=True,
        )
        answer = Answer(
            question_id=question.id,
            theme_field_id=theme.id,
            text=text,
            status=AnswerStatus.PUBLISHED if number % 2 == 0 else AnswerStatus.PENDING,
        )
        submission.answers.append(answer)
        db.session.add(submission)
        db.session.flush()
        if text == CAMPAIGN:
            db.session.add(
                CodeAssignment(
                    answer_id=answer.id,
                    code_id=code.id,
                    original_code_id=code.id,
                    coder_id=analyst.id,
                )
            )
    db.session.commit()
    path = tmp_path / "export.zip"
    write_export(path, ExportFormat.PARQUET, ExportFilters(), actor=analyst)
    db.session.commit()
    return path


def test_report_numbers_are_computed_from_the_export(export_zip, tmp_path, capsys):
    out = tmp_path / "bericht"
    assert main([str(export_zip), "--out", str(out)]) == 0
    assert "[9/9]" in capsys.readouterr().err  # progress on the terminal

    # The headline figures, recomputed here from the raw Parquet file, not by analysis/.
    with zipfile.ZipFile(export_zip) as archive:
        raw = pq.read_table(archive.open("answers.parquet")).to_pandas()
    markdown = (out / "bericht.md").read_text()
    summary = re.search(r"Es gingen ([\d.]+) Antworten aus ([\d.]+) Einsendungen", markdown)
    assert summary.groups() == (str(len(raw)), str(raw["submission_id"].nunique()))
    published = int((raw["status"] == "published").sum())
    assert f"{published} Antworten (" in markdown and published == 5
    assert "fand 1 mögliche Kampagnen mit zusammen 4 Antworten; als Stimmen gezählt" in markdown
    voices = len(raw) - 4 + 1
    assert f"(jede Kampagne eine Stimme) sind es {voices}." in markdown
    assert "Markiert wurden 1 Antworten ohne Inhalt" in markdown
    assert markdown.startswith("# Ergebnisbericht (Entwurf): Mission Fachkraft. Ein Zukunftsdialog")
    # Theme fields in the process's order (the seed's), not alphabetically.
    chapters = re.findall(r"^## Themenfeld: (.+)$", markdown, flags=re.M)
    assert (
        chapters
        == [
            "Arbeitspotenziale erschließen",
            "Transformation sozial gestalten",
            "Zukunftskompetenzen fördern",
            "Gute Arbeit voranbringen",
        ][: len(chapters)]
    )
    assert f"## Themenfeld: {raw['theme_field_title'].iloc[0]}" in markdown  # titles, not slugs
    # The per-answer table: a row per answer, its data dictionary, and the report's quality
    # figures recounted from it.
    table = pd.read_csv(out / "antworten_analyse.csv")
    assert sorted(table["answer_id"]) == sorted(raw["answer_id"])
    assert pq.read_table(out / "antworten_analyse.parquet").num_rows == len(raw)
    dictionary = json.loads((out / "antworten_analyse.datapackage.json").read_text())
    described = [f["name"] for f in dictionary["resources"][0]["schema"]["fields"]]
    assert described == list(table.columns)
    campaigns = table["campaign_id"].dropna().nunique()
    in_campaigns = int(table["campaign_id"].notna().sum())
    assert f"fand {campaigns} mögliche Kampagnen mit zusammen {in_campaigns} Antworten" in markdown
    assert f"Markiert wurden {int(table['flag_empty'].sum())} Antworten ohne Inhalt" in markdown
    assert table.loc[table["flag_empty"], "theme_excluded"].str.startswith("markiert").all()
    digest = read_export(export_zip).sha256
    assert digest in markdown  # Methodik names the data basis

    html = (out / "bericht.html").read_text()
    assert html.startswith("<!doctype html>") and '<html lang="de">' in html
    images = re.findall(r"<img [^>]*>", html)
    assert images and all(re.search(r'alt="[^"]{20,}"', img) for img in images)
    assert html.count("<summary>Tabelle zur Grafik</summary>") == len(
        images
    )  # each chart with its table
    assert "http" not in html.replace("http-equiv", "")  # self-contained: nothing loaded

    document = docx.Document(str(out / "bericht.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert {"Zusammenfassung", "Beteiligung", "Methodik", "Anhang"} <= set(headings)

    # Only published text is quoted, and every quote names its answer.
    for quote, answer_id in re.findall(r"„(.+?)“ \(Code [^;]+; Antwort (\d+)\)", markdown):
        row = raw[raw["answer_id"] == int(answer_id)].iloc[0]
        assert row["status"] == "published" and row["published_text"] == quote


def test_a_broken_export_gets_a_message_naming_the_problem(export_zip, tmp_path, capsys):
    not_zip = tmp_path / "kaputt.zip"
    not_zip.write_text("kein zip")
    assert main([str(not_zip), "--out", str(tmp_path / "x")]) == 2
    assert "keine ZIP-Datei" in capsys.readouterr().err

    # The same export with a column removed from the answers file.
    broken = tmp_path / "ohne-spalte.zip"
    with zipfile.ZipFile(export_zip) as source, zipfile.ZipFile(broken, "w") as target:
        package = json.loads(source.read("datapackage.json"))
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "answers.parquet":
                buffer = io.BytesIO()
                pq.write_table(pq.read_table(source.open(item)).drop_columns(["text"]), buffer)
                data = buffer.getvalue()
                for resource in package["resources"]:
                    if resource["name"] == "answers":
                        del resource["hash"]  # as if the file had been edited consistently
            if item.filename == "datapackage.json":
                continue
            target.writestr(item.filename, data)
        target.writestr("datapackage.json", json.dumps(package))
    with pytest.raises(ExportError, match=re.escape("answers.parquet: Spalte „text“ fehlt")):
        read_export(broken)


def test_an_export_without_answers_still_gives_a_report(app, seeded, tmp_path):
    export = tmp_path / "leer.zip"
    write_export(export, ExportFormat.PARQUET, ExportFilters())
    db.session.commit()
    assert main([str(export), "--out", str(tmp_path / "bericht")]) == 0
    markdown = (tmp_path / "bericht" / "bericht.md").read_text()
    assert "Es gingen 0 Antworten aus 0 Einsendungen ein" in markdown
    assert (tmp_path / "bericht" / "bericht.docx").stat().st_size > 0


@pytest.mark.parametrize("fmt", [f for f in ExportFormat if f != ExportFormat.PARQUET])
def test_every_export_format_reads_like_parquet(export_zip, tmp_path, fmt):
    """CSV, Excel-CSV, XLSX and JSON Lines give the analysis the same tables as Parquet
    (text apart from the formula guard of spreadsheet formats, which CAMPAIGN does not hit)."""
    other = tmp_path / f"export.{fmt.value}.zip"
    write_export(other, fmt, ExportFilters())
    db.session.commit()
    parquet, converted = read_export(export_zip), read_export(other)
    for name, frame in parquet.tables.items():
        assert list(converted[name].columns) == list(frame.columns), name
        assert dict(converted[name].dtypes) == dict(frame.dtypes), name
        assert len(converted[name]) == len(frame), name
    assert converted["answers"]["text"].tolist() == parquet["answers"]["text"].tolist()
    assert main([str(other), "--out", str(tmp_path / fmt.value)]) == 0
