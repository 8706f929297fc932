"""`flask import-answers`: CSV and XLSX files into a process, all or nothing, marked as imported
in the database, the audit log and the export."""

from __future__ import annotations

import csv
import hashlib
import io
import time
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from dialog import ROOT
from dialog.answers import search
from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AgeBand, AnswerStatus, Channel, Perspective
from dialog.coding.rules import text_fingerprint
from dialog.common.audit import AuditEntry
from dialog.common.regions import Bundesland
from dialog.export.services import ExportFilters, ExportFormat, write_export
from dialog.extensions import db
from dialog.imports.models import AnswerImport
from dialog.process.models import Process

THEME_A = "arbeitspotenziale-erschliessen"
THEME_B = "gute-arbeit-voranbringen"
LONG = (
    "Die Kinderbetreuung muss auch am Nachmittag und in den Ferien verlässlich sein, "
    "sonst bleibt Teilzeit die einzige Möglichkeit."
)
HEADER = ["ref", "theme_field", "question", "text", "received_on", "channel", "perspective",
          "bundesland", "age_band", "publication_consent", "status"]  # fmt: skip
ROWS = [
    ["L-1", THEME_A, "1", LONG, "2024-03-12", "letter", "citizen", "DE-BY", "25_34", "ja",
     "published"],
    ["L-2", THEME_A, "2", "Mehr Sprachkurse im Betrieb.", "13.03.2024", "email", "", "", "", "nein",
     ""],
    ["L-3", THEME_B, "1", "Tarifbindung stärken.", "2024-03-14", "other", "union", "Berlin",
     "", "1", "internal"],
]  # fmt: skip


def write_csv(path: Path, header, rows, delimiter=",", bom=False) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode())
    return path


def write_xlsx(path: Path, header, rows) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def imported_answers() -> list[Answer]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Answer).order_by(Answer.id)))


@pytest.fixture
def run(runner, seeded):
    def _run(*args):
        return runner.invoke(args=["import-answers", *map(str, args)])

    return _run


def test_csv_rows_become_submissions_with_answers_in_one_audited_batch(run, tmp_path):
    result = run(write_csv(tmp_path / "briefe.csv", HEADER, ROWS), "--note", "Briefe März")
    assert result.exit_code == 0, result.output
    batch = db.session.scalar(sa.select(AnswerImport))
    assert f"Import {batch.id}: 3 Antworten aus „briefe.csv“ in den Prozess" in result.output
    assert f"Arbeitspotenziale erschließen ({THEME_A}): 2" in result.output
    assert f"Gute Arbeit voranbringen ({THEME_B}): 1" in result.output
    assert "Hinweis" not in result.output  # no unknown columns

    process = db.session.scalar(sa.select(Process))
    assert (batch.process_id, batch.file_name, batch.row_count) == (process.id, "briefe.csv", 3)
    assert batch.sha256 == hashlib.sha256((tmp_path / "briefe.csv").read_bytes()).hexdigest()
    assert batch.note == "flask import-answers – Briefe März" and batch.actor_id is None

    first, second, third = imported_answers()
    themes = {t.slug: t for t in process.theme_fields}
    assert first.theme_field_id == themes[THEME_A].id
    assert first.question_id == themes[THEME_A].active_questions[0].id
    assert second.question_id == themes[THEME_A].active_questions[1].id
    assert third.question_id == themes[THEME_B].active_questions[0].id
    assert first.text == LONG and first.text_fingerprint == text_fingerprint(LONG) is not None
    assert (first.status, second.status, third.status) == (
        AnswerStatus.PUBLISHED,
        AnswerStatus.PENDING,
        AnswerStatus.INTERNAL,
    )
    assert first.published_at is not None and second.published_at is None
    assert first.moderated_at is not None and second.moderated_at is None
    assert (first.perspective, first.bundesland) == (Perspective.CITIZEN, Bundesland.BY)
    assert third.bundesland == Bundesland.BE  # by its German name

    submission = first.submission
    assert submission.channel == Channel.LETTER and submission.received_on == date(2024, 3, 12)
    assert submission.age_band == AgeBand.FROM_25 and submission.publication_consent is True
    assert (submission.import_batch_id, submission.import_ref) == (batch.id, "L-1")
    assert second.submission.received_on == date(2024, 3, 13)
    assert second.submission.publication_consent is False
    assert second.submission.channel == Channel.EMAIL and second.submission.perspective is None
    assert count(Submission) == 3

    found = db.session.scalars(search.restrict(sa.select(Answer.id), Answer.id, "Kinderbetreuung"))
    assert list(found) == [first.id]  # the published one is searchable

    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action.like("answer_import%")))
    assert (entry.object_type, entry.object_id) == ("AnswerImport", str(batch.id))
    assert entry.changes["rows"] == [None, 3]
    assert entry.changes["theme_fields"] == [None, {THEME_A: 2, THEME_B: 1}]


def test_one_bad_row_imports_nothing_and_every_error_is_named(run, tmp_path):
    rows = [
        *ROWS,
        ["L-4", THEME_A, "1", "   ", "31.02.2024", "Fax", "", "", "", "ja", "published"],
        ["L-1", THEME_A, "1", "Doppelt", "2024-03-12", "letter", "", "", "", "nein", "published"],
    ]
    header = ["Referenz", *HEADER[1:4], "Datum", *HEADER[5:]]
    result = run(write_csv(tmp_path / "fehler.csv", header, rows))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert "Zeile 5, Spalte „text“: Der Text ist leer" in lines
    assert "Zeile 5, Spalte „Datum“: „31.02.2024“ ist kein gültiges Datum" in lines
    assert any(line.startswith("Zeile 5, Spalte „channel“: „Fax“") for line in lines)
    assert (
        "Zeile 6, Spalte „status“: „published“ setzt die Zustimmung zur Veröffentlichung "
        "voraus; Spalte „publication_consent“ sagt nein"
    ) in lines
    assert "Zeile 6, Spalte „Referenz“: „L-1“ steht schon in Zeile 2" in lines
    assert lines[-1] == "Nichts importiert: 5 Fehler in 2 Zeilen."
    db.session.rollback()
    assert (count(Submission), count(Answer), count(AnswerImport)) == (0, 0, 0)
    assert not db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action.like("answer_i%")))


def test_semicolons_bom_german_headers_and_german_labels(run, tmp_path):
    header = ["Themenfeld", "Leitfrage", "Text", "Datum", "Eingangsweg", "Perspektive",
              "Bundesland", "Altersgruppe", "Veröffentlichung", "Status"]  # fmt: skip
    title = "Arbeitspotenziale erschließen"
    question = db.session.scalar(sa.select(Process)).theme_fields[0].active_questions[1].text
    rows = [
        [title, question, "Text; mit Semikolon\nund Umbruch", "01.02.2024", "Brief",
         "Bürger*in", "Sachsen", "25 bis 34 Jahre", "Ja", "veröffentlicht"],
        [THEME_B, "2", "Zweiter Text", "2024-02-02", "Dialoginsel bei einer Veranstaltung",
         "Gewerkschaft", "Außerhalb Deutschlands", "65 Jahre und älter", "nein",
         "wartet auf Prüfung"],
    ]  # fmt: skip
    result = run(write_csv(tmp_path / "deutsch.csv", header, rows, delimiter=";", bom=True))
    assert result.exit_code == 0, result.output
    first, second = imported_answers()
    assert first.text == "Text; mit Semikolon\nund Umbruch"
    assert first.status == AnswerStatus.PUBLISHED and first.bundesland == Bundesland.SN
    assert first.question.text == question
    assert first.submission.age_band == AgeBand.FROM_25
    assert first.submission.channel == Channel.LETTER
    assert second.submission.channel == Channel.DIALOGUE_ISLAND
    assert (second.perspective, second.bundesland) == (Perspective.UNION, Bundesland.ABROAD)
    assert second.submission.age_band == AgeBand.FROM_65
    assert second.status == AnswerStatus.PENDING


def test_xlsx_with_typed_cells(run, tmp_path):
    header = ["Themenfeld", "Leitfrage", "Text", "Datum", "Eingangsweg", "Veröffentlichung", "ref"]
    rows = [
        [THEME_A, 1, "Aus Excel", date(2024, 5, 6), "email", True, 1001],
        [THEME_B, 2.0, "Noch einer", "06.05.2024", "letter", None, "R-2"],
    ]
    result = run(write_xlsx(tmp_path / "tabelle.xlsx", header, rows))
    assert result.exit_code == 0, result.output
    first, second = imported_answers()
    assert first.submission.received_on == date(2024, 5, 6)
    assert first.submission.publication_consent is True
    assert first.submission.import_ref == "1001"
    assert second.submission.publication_consent is False
    theme_b = db.session.scalar(sa.select(Process)).theme_fields[3]
    assert second.question_id == theme_b.active_questions[1].id


def test_xlsx_errors_name_the_sheets_row_numbers(run, tmp_path):
    header = ["Themenfeld", "Leitfrage", "Text", "Datum", "Eingangsweg"]
    rows = [[THEME_A, 1, "gut", "2024-01-01", "letter"], [THEME_A, 9, "schlecht", "x", "letter"]]
    result = run(write_xlsx(tmp_path / "fehler.xlsx", header, rows))
    assert result.exit_code == 1
    assert "Zeile 3, Spalte „Leitfrage“: „9“" in result.output
    assert "Zeile 3, Spalte „Datum“: „x“ ist kein gültiges Datum" in result.output
    assert count(Answer) == 0


def test_column_mapping_default_channel_and_unknown_columns(run, tmp_path):
    header = ["Feld", "Nr", "Beitrag", "Eingang", "label_kind", "text"]
    rows = [[THEME_A, "1", "Gemappt", "2024-04-01", "genuine", "nicht dieser"]]
    path = write_csv(tmp_path / "quelle.csv", header, rows)
    args = [path, "--map", "theme_field=Feld", "--map", "question=nr", "--map", "text=Beitrag",
            "--map", "received_on=Eingang", "--channel", "Brief"]  # fmt: skip
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "Hinweis: diese Spalten werden nicht importiert: „label_kind“, „text“" in result.output
    (answer,) = imported_answers()
    assert answer.text == "Gemappt" and answer.submission.channel == Channel.LETTER
    assert answer.submission.import_ref is None


def test_missing_columns_and_bad_options_are_refused_before_any_row(run, tmp_path):
    path = write_csv(tmp_path / "kaputt.csv", ["Themenfeld", "Beitrag"], [[THEME_A, "x"]])
    result = run(path, "--map", "farbe=Beitrag", "--channel", "Fax")
    assert result.exit_code == 1
    assert "--map „farbe=Beitrag“: „farbe“ ist kein Feld des Imports" in result.output
    assert "--channel: „Fax“ ist kein zulässiger Wert" in result.output
    result = run(path)
    assert "Die Spalte „text“ (deutsch „Text“) fehlt" in result.output
    assert "Die Spalte „channel“ (deutsch „Eingangsweg“) fehlt" in result.output
    assert count(Answer) == 0


def test_unreadable_files_give_a_german_message_without_traceback(run, tmp_path):
    old_excel = tmp_path / "alt.xls"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    result = run(old_excel)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Alte Excel-Dateien (.xls) werden nicht gelesen" in result.output
    latin = tmp_path / "latin.csv"
    latin.write_bytes("theme_field,text\nä,ö\n".encode("cp1252"))
    assert "nicht UTF-8-kodiert" in run(latin).output
    only_header = write_csv(tmp_path / "leer.csv", HEADER, [])
    assert "keine Antworten, nur die Kopfzeile" in run(only_header).output


def test_dry_run_stores_nothing_and_a_file_is_imported_once_unless_forced(run, tmp_path):
    path = write_csv(tmp_path / "briefe.csv", HEADER, ROWS)
    result = run(path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        "Geprüft, ohne Fehler: 3 Antworten" in result.output
        and "nichts gespeichert" in result.output
    )
    assert (count(Answer), count(AnswerImport)) == (0, 0)

    assert run(path).exit_code == 0
    again = run(path)
    assert again.exit_code == 1
    assert "Diese Datei wurde schon importiert (Import" in again.output
    assert "--force" in again.output and count(Answer) == 3
    forced = run(path, "--force")
    assert forced.exit_code == 0, forced.output
    assert count(Answer) == 6 and count(AnswerImport) == 2


def test_the_process_is_chosen_by_slug_or_as_the_featured_one(run, tmp_path):
    path = write_csv(tmp_path / "briefe.csv", HEADER, ROWS)
    result = run(path, "--process", "gibt-es-nicht")
    assert result.exit_code == 1
    assert "Es gibt keinen Prozess „gibt-es-nicht“ (vorhanden: mission-fachkraft)" in result.output
    other = Process(slug="zweiter", title="Zweiter", central_question="?", featured=True)
    db.session.add(other)
    db.session.commit()
    ambiguous = run(path)
    assert ambiguous.exit_code == 1
    assert "Mehrere Prozesse kommen in Frage (mission-fachkraft, zweiter)" in ambiguous.output
    # The other process has no such theme fields: its rows fail, and nothing is stored.
    assert "kein Themenfeld des Prozesses" in run(path, "--process", "zweiter").output
    other.featured = False
    db.session.commit()
    assert run(path).exit_code == 0
    assert count(Answer) == 3


def test_imported_text_is_sanitised_like_the_answer_form(run, tmp_path):
    text = '<script>alert("x")</script><b>Fett</b> und\u202e\x07 gut'
    header = ["Themenfeld", "Leitfrage", "Text", "Datum", "Eingangsweg"]
    path = write_csv(tmp_path / "boese.csv", header, [[THEME_A, "1", text, "2024-01-01", "Post"]])
    assert run(path).exit_code == 0
    (answer,) = imported_answers()
    assert answer.text == 'alert("x")Fett und gut'  # tags and control characters gone


def test_imported_answers_are_marked_in_the_export(run, tmp_path):
    assert run(write_csv(tmp_path / "briefe.csv", HEADER, ROWS)).exit_code == 0
    batch_id = db.session.scalar(sa.select(AnswerImport.id))
    process = db.session.scalar(sa.select(Process))
    theme = process.theme_fields[0]
    online = Submission(theme_field_id=theme.id, received_on=date(2024, 1, 1))
    online.answers.append(
        Answer(question_id=theme.questions[0].id, theme_field_id=theme.id, text="Online")
    )
    db.session.add(online)  # ids continue after the imported ones (PostgreSQL's sequences)
    db.session.commit()

    out = io.BytesIO()
    write_export(out, ExportFormat.PARQUET, ExportFilters())
    db.session.commit()
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    rows = pq.read_table(io.BytesIO(archive.read("answers.parquet"))).to_pylist()
    marks = [(r["text"][:6], r["import_batch_id"], r["import_ref"]) for r in rows]
    assert marks == [
        (LONG[:6], batch_id, "L-1"),
        ("Mehr S", batch_id, "L-2"),
        ("Tarifb", batch_id, "L-3"),
        ("Online", None, None),
    ]


def test_two_thousand_rows_in_file_order(run, tmp_path):
    perspectives = ["", *Perspective]
    rows = [
        [f"R{i:05d}", THEME_A if i % 2 else THEME_B, str(1 + i % 2),
         f"Antwort Nummer {i}: {LONG}", f"{1 + i % 28:02d}.0{1 + i % 9}.2024",
         ["letter", "email", "Brief", "online"][i % 4], perspectives[i % len(perspectives)],
         "DE-NW", "", "ja" if i % 3 else "nein", "published" if i % 3 else "pending"]
        for i in range(2000)
    ]  # fmt: skip
    path = write_csv(tmp_path / "viele.csv", HEADER, rows)
    started = time.perf_counter()
    result = run(path)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert "2.000 Antworten" in result.output
    assert elapsed < 30, f"2,000 rows took {elapsed:.1f} s"
    answers = imported_answers()
    assert [a.submission.import_ref for a in answers] == [r[0] for r in rows]
    assert count(Submission) == 2000
    published = db.session.scalar(
        sa.select(sa.func.count()).where(Answer.status == AnswerStatus.PUBLISHED)
    )
    assert published == sum(1 for r in rows if r[10] == "published")
    hits = search.restrict(sa.select(Answer.id), Answer.id, "Kinderbetreuung")
    assert len(list(db.session.scalars(hits))) == published


CORPUS = ROOT / "tests" / "analysis" / "corpus"


def test_the_evaluation_corpus_imports(run):
    """The labelled corpus is written as import files; its label_* columns are ignored."""
    parts = [CORPUS / f"part_{p}.csv" for p in "abc"]
    missing = [p.name for p in parts if not p.exists()]
    if missing:
        pytest.skip(f"corpus not written yet: {', '.join(missing)}")
    for part in parts:
        result = run(part)
        assert result.exit_code == 0, result.output
        assert "„label_kind“" in result.output
    refs = db.session.scalars(sa.select(Submission.import_ref))
    assert all(ref for ref in refs)
    assert count(AnswerImport) == 3
