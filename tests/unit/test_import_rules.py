"""The answer import's pure rules and its file reader: columns, every kind of cell, whole rows."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from dialog.answers.rules import MAX_ANSWER_LENGTH, AgeBand, AnswerStatus, Channel, Perspective
from dialog.common.regions import Bundesland
from dialog.common.sanitize import plain_text
from dialog.imports import rules
from dialog.imports.reader import UnreadableFile, read_table
from dialog.imports.rules import CellError, QuestionInfo, ThemeInfo

TODAY = date(2024, 7, 31)
THEMES = (
    ThemeInfo(
        1,
        "arbeitspotenziale-erschliessen",
        "Arbeitspotenziale erschließen",
        (
            QuestionInfo(11, "Was muss sich ändern?"),
            QuestionInfo(12, "Wie kann die Politik helfen?"),
        ),
    ),
    ThemeInfo(2, "gute-arbeit", "Gute Arbeit voranbringen", (QuestionInfo(21, "Was ist gut?"),)),
    ThemeInfo(3, "ohne-fragen", "Ohne Fragen", ()),
)
WORDS = rules.Vocabularies(
    channel=rules.vocabulary(Channel, {Channel.LETTER: "Brief"}, {"Post": Channel.LETTER}),
    perspective=rules.vocabulary(Perspective, {Perspective.CITIZEN: "Bürger*in"}),
    bundesland=rules.vocabulary(Bundesland, {Bundesland.BY: "Bayern"}, {"BY": Bundesland.BY}),
    age_band=rules.vocabulary(AgeBand, {}),
    status=rules.vocabulary(AnswerStatus, {AnswerStatus.PUBLISHED: "veröffentlicht"}),
)
CONTEXT = rules.RowContext(THEMES, WORDS, TODAY, plain_text)
HEADER = list(rules.FIELDS)


def message(call, *args) -> str:
    with pytest.raises(CellError) as raised:
        call(*args)
    return raised.value.message


# --- columns ------------------------------------------------------------------------------


def test_default_english_and_german_headers_are_recognised_in_any_case():
    english = rules.plan_columns(HEADER, {}, default_channel=False)
    assert english.problems == () and english.index == {f: i for i, f in enumerate(HEADER)}
    german = ["Themenfeld", "leitfrage", " Text ", "Datum", "EINGANGSWEG", "Veröffentlichung"]
    plan = rules.plan_columns(german, {}, default_channel=False)
    assert plan.problems == ()
    assert plan.index == {
        "theme_field": 0,
        "question": 1,
        "text": 2,
        "received_on": 3,
        "channel": 4,
        "publication_consent": 5,
    }
    assert plan.names["received_on"] == "Datum"  # messages name the column as in the file


def test_unknown_columns_are_ignored_and_named():
    header = [*HEADER, "label_kind", "label_topic", ""]
    plan = rules.plan_columns(header, {}, default_channel=False)
    assert plan.problems == ()
    assert plan.ignored == ("label_kind", "label_topic")


def test_missing_required_columns_and_default_channel():
    plan = rules.plan_columns(["text", "Datum"], {}, default_channel=False)
    assert len(plan.problems) == 3
    assert any("„theme_field“ (deutsch „Themenfeld“) fehlt" in p for p in plan.problems)
    assert any("„channel“" in p and "--channel" in p for p in plan.problems)
    header = ["theme_field", "question", "text", "received_on"]
    assert rules.plan_columns(header, {}, default_channel=True).problems == ()


def test_mapping_renames_source_columns_and_the_default_one_is_then_ignored():
    header = ["Feld", "Frage", "Beitrag", "text", "Eingang", "Weg"]
    mapping, problems = rules.parse_mapping(
        ["theme_field=Feld", "question=frage", "text=Beitrag", "received_on=Eingang", "channel=Weg"]
    )
    assert problems == []
    plan = rules.plan_columns(header, mapping, default_channel=False)
    assert plan.problems == ()
    assert plan.index["text"] == 2 and plan.names["question"] == "Frage"
    assert plan.ignored == ("text",)


def test_bad_mappings_are_named():
    mapping, problems = rules.parse_mapping(["text", "farbe=Farbe", "text=A", "text=B"])
    assert mapping == {"text": "A"}
    assert "erwartet FELD=SPALTE" in problems[0]
    assert "„farbe“ ist kein Feld des Imports" in problems[1]
    assert "mehrfach" in problems[2]
    plan = rules.plan_columns(HEADER, {"text": "Beitrag"}, default_channel=False)
    assert any("keine Spalte „Beitrag“" in p for p in plan.problems)


def test_two_columns_for_one_field_are_refused():
    plan = rules.plan_columns([*HEADER, "Text"], {}, default_channel=False)
    assert plan.problems == (
        "Die Spalten „text“ und „Text“ stehen beide für das Feld „text“; bitte eine umbenennen "
        "oder mit --map text=SPALTE wählen",
    )


# --- cells --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-12", date(2024, 3, 12)),
        ("12.03.2024", date(2024, 3, 12)),
        ("1.3.2024", date(2024, 3, 1)),
    ],
)
def test_dates_in_iso_and_german_form(raw, expected):
    assert rules.parse_date(f" {raw} ", TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31.02.2024", "„31.02.2024“ ist kein gültiges Datum"),
        ("2024-13-01", "„2024-13-01“ ist kein gültiges Datum"),
        ("03/12/2024", "„03/12/2024“ ist kein gültiges Datum (JJJJ-MM-TT oder TT.MM.JJJJ)"),
        ("2024-08-01", "„2024-08-01“ liegt in der Zukunft"),
        ("", "Das Datum fehlt"),
    ],
)
def test_bad_dates(raw, expected):
    assert message(rules.parse_date, raw, TODAY) == expected


@pytest.mark.parametrize("raw", ["ja", "Ja", "yes", "1", "true", "TRUE", "x"])
def test_consent_yes(raw):
    assert rules.parse_consent(raw) is True


@pytest.mark.parametrize("raw", ["nein", "no", "0", "false", "", "  "])
def test_consent_no_and_empty(raw):
    assert rules.parse_consent(raw) is False


def test_consent_other_words_are_errors():
    assert message(rules.parse_consent, "vielleicht") == (
        "„vielleicht“ ist keine gültige Angabe (ja oder nein)"
    )


def test_vocabulary_takes_values_labels_and_synonyms_and_names_the_values():
    assert WORDS.channel("letter") is Channel.LETTER
    assert WORDS.channel(" brief ") is Channel.LETTER
    assert WORDS.channel("POST") is Channel.LETTER
    assert WORDS.channel("") is None
    assert WORDS.bundesland("de-by") is WORDS.bundesland("Bayern") is Bundesland.BY
    assert WORDS.perspective("bürger*in") is Perspective.CITIZEN
    assert message(WORDS.channel, "Fax") == (
        "„Fax“ ist kein zulässiger Wert (zulässig: online, dialogue_island, letter, email, other)"
    )


def test_text_follows_the_answer_forms_rules():
    assert rules.check_text("  <b>Mehr</b> Kitas\x07 ", plain_text) == "Mehr Kitas"
    assert message(rules.check_text, " \n\t ", plain_text) == "Der Text ist leer"
    assert message(rules.check_text, "<p></p>", plain_text) == "Der Text ist leer"
    too_long = "a" * (MAX_ANSWER_LENGTH + 1)
    assert message(rules.check_text, too_long, plain_text) == (
        "Der Text hat 5.001 Zeichen, erlaubt sind höchstens 5.000"
    )
    assert rules.check_text("a" * MAX_ANSWER_LENGTH, plain_text)
    assert "nicht gelesen werden" in message(rules.check_text, "Gr\ufffd\ufffde", plain_text)


def test_theme_by_slug_or_title_and_question_by_position_or_text():
    theme = rules.match_theme("Arbeitspotenziale  ERSCHLIESSEN", THEMES)
    assert theme is rules.match_theme("arbeitspotenziale-erschliessen", THEMES) is THEMES[0]
    assert rules.match_question("2", theme).id == 12
    assert rules.match_question("was muss sich  ändern?", theme).id == 11
    assert message(rules.match_question, "3", theme) == (
        "„3“: das Themenfeld „arbeitspotenziale-erschliessen“ hat die Leitfragen 1 bis 2"
    )
    assert "nur die Leitfrage 1" in message(rules.match_question, "0", THEMES[1])
    assert "keine Leitfrage" in message(rules.match_question, "Warum?", theme)
    assert "keine aktiven Leitfragen" in message(rules.match_question, "1", THEMES[2])
    assert message(rules.match_theme, "nix", THEMES).startswith(
        "„nix“ ist kein Themenfeld des Prozesses"
    )


def test_ref_is_cleaned_and_limited():
    assert rules.check_ref(" A-1\x00 ", plain_text) == "A-1"
    assert rules.check_ref("", plain_text) is None
    assert "länger als 100 Zeichen" in message(rules.check_ref, "x" * 101, plain_text)


# --- rows ---------------------------------------------------------------------------------

GOOD = ["A1", "arbeitspotenziale-erschliessen", "1", "Text", "2024-03-12", "letter", "", "", "",
        "ja", "published"]  # fmt: skip


def row(**changes) -> list[str]:
    cells = dict(zip(HEADER, GOOD, strict=True)) | changes
    return [cells[f] for f in HEADER]


def check(*rows_, context=CONTEXT, header=HEADER) -> rules.RowCheck:
    plan = rules.plan_columns(header, {}, default_channel=context.default_channel is not None)
    return rules.check_rows(enumerate(rows_, start=2), plan, context)


def test_a_good_row():
    (only,) = check(row()).rows
    assert only == rules.ImportRow(
        number=2,
        ref="A1",
        theme_field_id=1,
        question_id=11,
        text="Text",
        received_on=date(2024, 3, 12),
        channel=Channel.LETTER,
        perspective=None,
        bundesland=None,
        age_band=None,
        publication_consent=True,
        status=AnswerStatus.PUBLISHED,
    )


def test_every_error_of_a_row_is_reported_with_row_and_column():
    result = check(row(), row(ref="A2", received_on="31.02.2024", text=" ", channel="Fax"))
    assert [r.number for r in result.rows] == [2]
    assert [str(e) for e in result.errors] == [
        "Zeile 3, Spalte „text“: Der Text ist leer",
        "Zeile 3, Spalte „received_on“: „31.02.2024“ ist kein gültiges Datum",
        "Zeile 3, Spalte „channel“: „Fax“ ist kein zulässiger Wert (zulässig: online, "
        "dialogue_island, letter, email, other)",
    ]
    assert result.rows_with_errors == 1


def test_status_defaults_to_pending_and_published_needs_consent():
    result = check(row(status=""), row(ref="A2", publication_consent="nein"))
    assert result.rows[0].status is AnswerStatus.PENDING
    assert [str(e) for e in result.errors] == [
        "Zeile 3, Spalte „status“: „published“ setzt die Zustimmung zur Veröffentlichung "
        "voraus; Spalte „publication_consent“ sagt nein"
    ]
    internal = check(row(publication_consent="nein", status="internal"))
    assert internal.errors == [] and internal.rows[0].status is AnswerStatus.INTERNAL


def test_refs_are_unique_within_the_file_and_blank_rows_are_skipped():
    result = check(row(), [""] * len(HEADER), row(), row(ref=""), row(ref=""))
    assert [str(e) for e in result.errors] == ["Zeile 4, Spalte „ref“: „A1“ steht schon in Zeile 2"]
    assert [r.number for r in result.rows] == [2, 5, 6]


def test_default_channel_for_rows_without_one():
    header = [f for f in HEADER if f != "channel"]
    cells = [c for f, c in zip(HEADER, row(), strict=True) if f != "channel"]
    context = rules.RowContext(THEMES, WORDS, TODAY, plain_text, Channel.EMAIL)
    assert check(cells, context=context, header=header).rows[0].channel is Channel.EMAIL
    missing = check(row(channel=""))
    assert "Der Eingangsweg fehlt" in str(missing.errors[0])


def test_short_rows_count_as_empty_cells():
    result = check(GOOD[:5])  # no channel, consent or status: the channel is missing
    assert [e.column for e in result.errors] == ["channel"]


# --- reading files ------------------------------------------------------------------------

CSV = (
    'Themenfeld;Text;Datum\nthema;"Zwei; Teile\nund Zeilen";12.03.2024\n'
    "\nthema;Zweiter;2024-01-01\n"
)


def test_csv_with_bom_and_semicolons_keeps_spreadsheet_row_numbers():
    table = read_table(b"\xef\xbb\xbf" + CSV.encode())
    assert table.header == ["Themenfeld", "Text", "Datum"]
    assert table.rows == [
        (2, ["thema", "Zwei; Teile\nund Zeilen", "12.03.2024"]),
        (3, []),
        (4, ["thema", "Zweiter", "2024-01-01"]),
    ]


def test_csv_with_commas_and_without_bom():
    table = read_table(b'a,b;c\n"1,5",2\n')
    assert table.header == ["a", "b;c"] and table.rows == [(2, ["1,5", "2"])]


def test_unreadable_files_say_why():
    with pytest.raises(UnreadableFile, match=r"nicht UTF-8-kodiert.*Textzeile 2"):
        read_table("text\nGrüße\n".encode("cp1252"))
    with pytest.raises(UnreadableFile, match="Anführungszeichen"):
        read_table(b'text\n"offen\n')
    with pytest.raises(UnreadableFile, match=r"\.xls"):
        read_table(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(UnreadableFile, match="keine lesbare XLSX-Datei"):
        read_table(b"PK\x03\x04kaputt")
    with pytest.raises(UnreadableFile, match="leer"):
        read_table(b"")


def test_xlsx_cells_become_text_as_a_csv_export_would_hold_them():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Themenfeld", "Leitfrage", "Datum", "Veröffentlichung", "ref", "Text"])
    moment = datetime(2024, 3, 12, 9, 30)  # noqa: DTZ001 - XLSX cells hold naive times
    sheet.append(["thema", 1, moment, True, 1001.0, None])
    sheet.append(["thema", 2.0, date(2024, 3, 13), False, "R-2", "Text"])
    out = io.BytesIO()
    workbook.save(out)
    table = read_table(out.getvalue())
    assert table.header == ["Themenfeld", "Leitfrage", "Datum", "Veröffentlichung", "ref", "Text"]
    assert table.rows == [
        (2, ["thema", "1", "2024-03-12", "ja", "1001", ""]),
        (3, ["thema", "2", "2024-03-13", "nein", "R-2", "Text"]),
    ]
