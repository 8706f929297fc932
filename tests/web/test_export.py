"""The dataset export: every format round-trips with the declared types, hashes match, filters
select, nothing personal leaves, hostile text survives, formulas are defused, XLSX refuses too
many rows; the CLI and the staff page with their permissions and the audit log."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from dialog.accounts.models import User
from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AgeBand, AnswerStatus, Channel, Perspective
from dialog.coding.models import (
    AnswerAnnotation,
    Code,
    CodeAssignment,
    CodingSample,
    CodingSampleAnswer,
    Rating,
)
from dialog.common.audit import AuditEntry
from dialog.common.permissions import Role
from dialog.common.regions import Bundesland
from dialog.events.models import Application, Event, Invitation, Registration
from dialog.events.rules import (
    ApplicationStatus,
    CompanySize,
    RegistrationStatus,
    StakeholderGroup,
)
from dialog.export import adbc, schema
from dialog.export.services import (
    ExportFilters,
    ExportFormat,
    ExportTooLarge,
    write_export,
)
from dialog.extensions import db
from dialog.process.models import Process
from dialog.recommendations.models import (
    EventDocumentationEntry,
    Recommendation,
    RecommendationEvidence,
    RecommendationRating,
    RecommendationStatusChange,
)
from dialog.recommendations.rules import EvidenceKind, RecommendationStatus
from tests.conftest import post_form

HOSTILE = (
    '<script>alert("x")</script> "quoted" \'single\'\nnew line; semi;colon,comma '
    "\u202eRTL override\u202c emoji 🙂👩‍🔧 \r\n=1+1"
)
FORMULAS = ["=1+1", "+49 30 123", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]
SECRETS = {
    "user_email": "geheim.analyse@example.org",
    "user_name": "Hiltrud Geheimname",
    "registration_email": "anna.anmeldung@example.net",
    "registration_name": "Anna Anmeldename",
    "registration_org": "Verein Verborgenheit",
    "support": "Gebärdendolmetschung bitte",
    "application_email": "kontakt@betrieb-geheim.de",
    "application_name": "Bernd Bewerbername",
    "invitation_email": "einladung@verband-geheim.de",
    "token_hash": "a" * 64,
    "nonce": "n0nce-geheim-0123456789",
    "registration_token": "b" * 64,
    "invitation_code": "c" * 64,
    "link_salt": "saltgeheim0123456789abcdef",
}


# -- test data -----------------------------------------------------------------------------


@pytest.fixture
def data(seeded, make_user):
    """Answers of two theme fields, the coding of some, events with personal data."""
    process = db.session.scalar(sa.select(Process))
    theme_a, theme_b = process.theme_fields[:2]
    event = db.session.scalar(sa.select(Event).order_by(Event.id))
    analyst = make_user(Role.ANALYST, email=SECRETS["user_email"])
    other = make_user(Role.ANALYST)
    analyst.name = SECRETS["user_name"]
    counter = iter(range(1, 1000))

    def answer(theme, text, **kw) -> Answer:
        n = next(counter)
        submission = Submission(
            theme_field_id=theme.id,
            channel=kw.get("channel", Channel.ONLINE),
            received_on=kw.get("received_on", date(2025, 3, 1)),
            perspective=kw.get("perspective"),
            bundesland=kw.get("bundesland"),
            age_band=kw.get("age_band"),
            publication_consent=kw.get("consent", True),
            token_hash=SECRETS["token_hash"] if n == 1 else None,
            nonce=SECRETS["nonce"] if n == 1 else None,
            event_id=kw.get("event_id"),
        )
        row = Answer(
            submission=submission,
            question_id=theme.questions[0].id,
            theme_field_id=theme.id,
            perspective=kw.get("perspective"),
            bundesland=kw.get("bundesland"),
            text=text,
            redacted_text=kw.get("redacted"),
            status=kw.get("status", AnswerStatus.PUBLISHED),
        )
        db.session.add(row)
        db.session.flush()
        return row

    answers = [
        answer(
            theme_a,
            "Kinderbetreuung am Nachmittag fehlt.",
            perspective=Perspective.EMPLOYEE,
            bundesland=Bundesland.BY,
            age_band=AgeBand.FROM_35,
            redacted="Kinderbetreuung [geschwärzt].",
        ),
        answer(theme_a, "Nicht öffentlich, intern.", status=AnswerStatus.INTERNAL, consent=False),
        answer(
            theme_b,
            "Brief von der Dialoginsel.",
            channel=Channel.DIALOGUE_ISLAND,
            event_id=event.id,
            received_on=date(2025, 4, 10),
            status=AnswerStatus.PENDING,
        ),
        answer(theme_b, "Abgelehnt.", status=AnswerStatus.REJECTED, received_on=date(2025, 5, 1)),
    ]
    parent = Code(process_id=process.id, label="Vereinbarkeit", description="Familie")
    db.session.add(parent)
    db.session.flush()
    child = Code(
        process_id=process.id, label="Kita", parent_id=parent.id, theme_field_id=theme_a.id
    )
    retired = Code(process_id=process.id, label="Alt", retired_at=datetime(2025, 1, 1, tzinfo=UTC))
    db.session.add_all([child, retired])
    db.session.flush()
    merged = Code(process_id=process.id, label="Doppelt", merged_into_id=child.id)
    sample = CodingSample(
        process_id=process.id,
        name="Stichprobe 1",
        percent=50,
        seed=7,
        coder_a_id=analyst.id,
        coder_b_id=other.id,
    )
    db.session.add_all([merged, sample])
    db.session.flush()
    when = datetime(2025, 3, 31, 22, 30, tzinfo=UTC)  # already 1 April in Berlin
    db.session.add_all(
        [
            CodeAssignment(
                answer_id=answers[0].id,
                code_id=child.id,
                original_code_id=merged.id,
                coder_id=analyst.id,
                assigned_at=when,
            ),
            CodeAssignment(
                answer_id=answers[2].id,
                code_id=parent.id,
                original_code_id=parent.id,
                coder_id=analyst.id,
            ),
            CodeAssignment(
                answer_id=answers[0].id,
                code_id=parent.id,
                original_code_id=parent.id,
                coder_id=other.id,
                sample_id=sample.id,
            ),
            CodingSampleAnswer(sample_id=sample.id, answer_id=answers[0].id),
            CodingSampleAnswer(sample_id=sample.id, answer_id=answers[2].id),
            Rating(answer_id=answers[0].id, rater_id=analyst.id, effectiveness=4),
            Rating(answer_id=answers[2].id, rater_id=other.id, effectiveness=2, feasibility=5),
            AnswerAnnotation(
                answer_id=answers[0].id,
                note="Guter Vorschlag",
                is_proposal=True,
                updated_by_id=analyst.id,
            ),
        ]
    )
    _recommendation(process, theme_a, event, analyst, answers, child)
    _personal_data(event)
    db.session.commit()
    return {"answers": answers, "event": event, "themes": (theme_a, theme_b), "analyst": analyst}


def _recommendation(process, theme, event, analyst, answers, code) -> None:
    """A recommendation with one piece of evidence of every kind, a rating and a history."""
    rec = Recommendation(
        process_id=process.id,
        title="Kita-Ausbau",
        text="<p>Der Bund fördert.</p>",
        addressee="Bund",
        measure="Förderprogramm",
        responsible_id=analyst.id,
        status=RecommendationStatus.IN_REVIEW,
    )
    merged = Recommendation(
        process_id=process.id, title="Ganztag", status=RecommendationStatus.DRAFT
    )
    rec.theme_fields = [theme]
    entry = EventDocumentationEntry(
        event_id=event.id,
        session_label="Dialoginsel 2",
        text="Mehr Plätze am Nachmittag",
        theme_field_id=theme.id,
        agreement_count=7,
    )
    db.session.add_all([rec, merged, entry])
    db.session.flush()
    links = [
        dict(kind=EvidenceKind.ANSWER, answer_id=answers[0].id),
        dict(kind=EvidenceKind.ANSWER, answer_id=answers[2].id),
        dict(kind=EvidenceKind.CODE, code_id=code.id),
        dict(kind=EvidenceKind.DOCUMENTATION, documentation_id=entry.id),
        dict(kind=EvidenceKind.RECOMMENDATION, source_recommendation_id=merged.id),
    ]
    db.session.add_all(RecommendationEvidence(recommendation_id=rec.id, **link) for link in links)
    db.session.add_all(
        [
            RecommendationRating(
                recommendation_id=rec.id,
                rater_id=analyst.id,
                effectiveness=5,
                feasibility=2,
                reason="Teuer",
            ),
            RecommendationStatusChange(
                recommendation_id=rec.id, to_status=RecommendationStatus.DRAFT
            ),
            RecommendationStatusChange(
                recommendation_id=rec.id,
                actor_id=analyst.id,
                from_status=RecommendationStatus.DRAFT,
                to_status=RecommendationStatus.IN_REVIEW,
            ),
        ]
    )


def _personal_data(event: Event) -> None:
    db.session.add_all(
        [
            Registration(
                event_id=event.id,
                status=RegistrationStatus.CONFIRMED,
                name=SECRETS["registration_name"],
                email=SECRETS["registration_email"],
                organisation=SECRETS["registration_org"],
                support_needs=SECRETS["support"],
                link_salt=SECRETS["link_salt"],
                token_hash=SECRETS["registration_token"],
                checked_in_at=datetime(2025, 3, 1, 9, tzinfo=UTC),
            ),
            Registration(
                event_id=event.id,
                status=RegistrationStatus.WAITLISTED,
                link_salt="x" * 20,
            ),
            Application(
                event_id=event.id,
                status=ApplicationStatus.ACCEPTED,
                company="Betrieb",
                sector="Pflege",
                size=CompanySize.SMALL,
                bundesland=Bundesland.BE,
                contact_name=SECRETS["application_name"],
                contact_email=SECRETS["application_email"],
                motivation="Wir wollen lernen.",
            ),
            Invitation(
                event_id=event.id,
                organisation="Verband",
                group=StakeholderGroup.ASSOCIATIONS,
                email=SECRETS["invitation_email"],
                code_hash=SECRETS["invitation_code"],
            ),
        ]
    )


# -- reading an export back ----------------------------------------------------------------


def _export(fmt: ExportFormat, filters: ExportFilters | None = None, **kw) -> zipfile.ZipFile:
    out = io.BytesIO()
    write_export(out, fmt, filters or ExportFilters(), **kw)
    db.session.commit()
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def _typed_rows(table: schema.Table, rows: list[dict]) -> pa.Table:
    """Rows of plain values (as text formats give them) → Arrow with the declared types."""
    for row in rows:
        for f in table.fields:
            value = row.get(f.name)
            if value is None or (value == "" and not pa.types.is_string(f.type)):
                row[f.name] = None
            elif pa.types.is_timestamp(f.type) and isinstance(value, str):
                row[f.name] = datetime.fromisoformat(value)
            elif pa.types.is_timestamp(f.type):
                row[f.name] = value.replace(tzinfo=UTC)  # XLSX: naive UTC
            elif pa.types.is_date(f.type) and isinstance(value, datetime):
                row[f.name] = value.date()
            elif pa.types.is_date(f.type):
                row[f.name] = date.fromisoformat(value)
    return pa.Table.from_pylist(rows, schema=table.arrow_schema)


def read_table(archive: zipfile.ZipFile, fmt: ExportFormat, table: schema.Table) -> pa.Table:
    """A table of the export read with the types its datapackage.json declares."""
    raw = archive.read(f"{table.name}.{fmt.extension}")
    if fmt == ExportFormat.PARQUET:
        return pq.read_table(io.BytesIO(raw))
    if fmt in (ExportFormat.CSV, ExportFormat.CSV_EXCEL):
        excel = fmt == ExportFormat.CSV_EXCEL
        assert raw.startswith(b"\xef\xbb\xbf") == excel
        return pacsv.read_csv(
            io.BytesIO(raw.removeprefix(b"\xef\xbb\xbf")),
            parse_options=pacsv.ParseOptions(
                delimiter=";" if excel else ",", newlines_in_values=True
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=table.arrow_schema,
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
                timestamp_parsers=["%Y-%m-%d %H:%M:%S.%f%z", pacsv.ISO8601],
            ),
        )
    if fmt == ExportFormat.JSONL:
        rows = [json.loads(line) for line in raw.decode().splitlines()]
        return _typed_rows(table, rows)
    sheet = openpyxl.load_workbook(io.BytesIO(raw), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    header, body = list(values[0]), values[1:]
    # Read-only sheets leave out empty cells at the end of a row.
    return _typed_rows(table, [dict(zip(header, row, strict=False)) for row in body])


def frame(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def declared_dtypes(table: schema.Table) -> dict[str, pd.ArrowDtype]:
    return {f.name: pd.ArrowDtype(f.type) for f in table.fields}


def _as_in_xlsx(df: pd.DataFrame) -> pd.DataFrame:
    """An XLSX cell cannot tell an empty text from no value and keeps times to the millisecond."""

    def column(c: pd.Series) -> pd.Series:
        if c.dtype == pd.ArrowDtype(pa.string()):
            return c.mask(c == "")
        if c.dtype == pd.ArrowDtype(schema.TIMESTAMP):
            return c.dt.round("ms")
        return c

    return df.apply(column)


# -- formats -------------------------------------------------------------------------------


@pytest.fixture(params=[True, False], ids=["adbc", "session"])
def reader(request, monkeypatch):
    """Both read paths: ADBC (fast) and the session's connection (fallback)."""
    if not request.param:
        monkeypatch.setattr(adbc, "available", lambda engine: False)
    return request.param


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_every_format_round_trips_with_declared_types_and_hashes(app, data, reader, fmt):
    archive = _export(ExportFormat.PARQUET)
    reference = {t.name: frame(read_table(archive, ExportFormat.PARQUET, t)) for t in schema.TABLES}
    exported = _export(fmt, batch_rows=2)  # small batches: many batches per table
    manifest = json.loads(exported.read("manifest.json"))
    package = json.loads(exported.read("datapackage.json"))

    assert manifest["schema_version"] == schema.SCHEMA_VERSION
    assert manifest["format"] == fmt.value
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) | {"manifest.json"} == set(exported.namelist())
    for path, entry in listed.items():
        content = exported.read(path)
        assert hashlib.sha256(content).hexdigest() == entry["sha256"], path
        assert len(content) == entry["bytes"]
    for resource in package["resources"]:
        assert resource["hash"] == "sha256:" + listed[resource["path"]]["sha256"]

    for table in schema.TABLES:
        df = frame(read_table(exported, fmt, table))
        assert df.dtypes.to_dict() == declared_dtypes(table), table.name
        assert manifest["rows"][table.name] == len(df)
        expected = reference[table.name]
        if fmt == ExportFormat.XLSX:
            df, expected = _as_in_xlsx(df), _as_in_xlsx(expected)
        pd.testing.assert_frame_equal(df, expected, obj=table.name)


def test_content_of_the_tables(app, data):
    answers = data["answers"]
    archive = _export(ExportFormat.PARQUET)
    rows = {t.name: read_table(archive, ExportFormat.PARQUET, t).to_pylist() for t in schema.TABLES}
    assert [r["answer_id"] for r in rows["answers"]] == [a.id for a in answers]
    first, internal, offline, _rejected = rows["answers"]
    assert first["published_text"] == "Kinderbetreuung [geschwärzt]."
    assert first["text"] == "Kinderbetreuung am Nachmittag fehlt."
    assert first["theme_field"] == data["themes"][0].slug
    assert first["process"] == "mission-fachkraft"
    assert (first["perspective"], first["bundesland"], first["age_band"]) == (
        "employee",
        "DE-BY",
        "35_44",
    )
    assert first["is_proposal"] is True and internal["is_proposal"] is False
    assert internal["published_text"] is None and internal["publication_consent"] is False
    assert offline["channel"] == "dialogue_island" and offline["event_id"] == data["event"].id
    assert offline["received_on"] == date(2025, 4, 10)

    shared = next(
        r for r in rows["codes"] if r["sample_id"] is None and r["answer_id"] == first["answer_id"]
    )
    assert shared["assigned_at"] == datetime(2025, 3, 31, 22, 30, tzinfo=UTC)
    assert shared["coder_id"] == data["analyst"].id
    assert shared["original_code_id"] != shared["code_id"]  # moved by a merge
    statuses = {r["label"]: r["status"] for r in rows["codebook"]}
    assert statuses == {
        "Vereinbarkeit": "active",
        "Kita": "active",
        "Alt": "retired",
        "Doppelt": "merged",
    }
    assert {(r["effectiveness"], r["feasibility"]) for r in rows["ratings"]} == {(4, None), (2, 5)}
    assert rows["annotations"][0]["note"] == "Guter Vorschlag"
    assert len(rows["sample_answers"]) == 2 and rows["samples"][0]["seed"] == 7

    event = next(r for r in rows["events"] if r["event_id"] == data["event"].id)
    assert event["registrations_confirmed"] == 1 and event["registrations_waitlisted"] == 1
    assert event["checked_in"] == 1 and event["applications_accepted"] == 1
    assert event["invitations"] == 1 and event["contributions"] == 1

    rec, merged = rows["recommendations"]
    assert (rec["title"], rec["status"], rec["addressee"]) == ("Kita-Ausbau", "in_review", "Bund")
    assert rec["responsible_id"] == data["analyst"].id and merged["status"] == "draft"
    assert rows["recommendation_theme_fields"] == [
        {"recommendation_id": rec["recommendation_id"], "theme_field": data["themes"][0].slug}
    ]
    assert sorted(r["kind"] for r in rows["recommendation_evidence"]) == [
        "answer",
        "answer",
        "code",
        "documentation",
        "recommendation",
    ]
    assert {r["answer_id"] for r in rows["recommendation_evidence"]} == {
        answers[0].id,
        answers[2].id,
        None,
    }
    (rating,) = rows["recommendation_ratings"]
    assert (rating["effectiveness"], rating["feasibility"], rating["reason"]) == (5, 2, "Teuer")
    history = rows["recommendation_status_history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        (None, "draft"),
        ("draft", "in_review"),
    ]
    (entry,) = rows["documentation_entries"]
    assert (entry["session_label"], entry["agreement_count"], entry["has_file"]) == (
        "Dialoginsel 2",
        7,
        False,
    )
    assert entry["event_id"] == data["event"].id
    assert entry["theme_field"] == data["themes"][0].slug


def test_created_on_is_the_berlin_day(app, data, reader):
    answer = data["answers"][0]
    answer.created_at = datetime(2025, 3, 31, 22, 30, tzinfo=UTC)
    db.session.commit()
    archive = _export(ExportFormat.PARQUET)
    rows = read_table(archive, ExportFormat.PARQUET, schema.ANSWERS).to_pylist()
    assert rows[0]["created_on"] == date(2025, 4, 1)


# -- filters -------------------------------------------------------------------------------


def _ids(archive, table="answers", column="answer_id") -> list[int]:
    return (
        read_table(archive, ExportFormat.PARQUET, schema.BY_NAME[table]).column(column).to_pylist()
    )


def test_filters_select_answers_and_only_their_coding(app, data, reader):
    a = [x.id for x in data["answers"]]
    theme_b = data["themes"][1]
    cases = [
        (ExportFilters(theme_field_ids=(theme_b.id,)), [a[2], a[3]]),
        (ExportFilters(statuses=(AnswerStatus.PUBLISHED, AnswerStatus.INTERNAL)), [a[0], a[1]]),
        (ExportFilters(channels=(Channel.DIALOGUE_ISLAND,)), [a[2]]),
        (ExportFilters(perspectives=(Perspective.EMPLOYEE,)), [a[0]]),
        (ExportFilters(bundeslaender=(Bundesland.BY, Bundesland.BE)), [a[0]]),
        (ExportFilters(event_ids=(data["event"].id,)), [a[2]]),
        (ExportFilters(received_from=date(2025, 4, 10)), [a[2], a[3]]),
        (ExportFilters(received_to=date(2025, 4, 9)), [a[0], a[1]]),
        (ExportFilters(received_from=date(2025, 4, 1), received_to=date(2025, 4, 30)), [a[2]]),
        (ExportFilters(question_ids=(data["themes"][0].questions[0].id,)), [a[0], a[1]]),
        (ExportFilters(process_id=data["themes"][0].process_id), a),
        (ExportFilters(process_id=10**6), []),
    ]
    for filters, expected in cases:
        archive = _export(ExportFormat.PARQUET, filters)
        assert _ids(archive) == expected, filters
        for table in ("codes", "ratings", "annotations", "sample_answers"):
            assert set(_ids(archive, table)) <= set(expected), (filters, table)
    archive = _export(ExportFormat.PARQUET, ExportFilters(channels=(Channel.DIALOGUE_ISLAND,)))
    assert _ids(archive, "codes") == [a[2]]
    assert _ids(archive, "events", "event_id")  # events are not narrowed by answer filters
    # Evidence names only exported answers; the other links stay.
    evidence = read_table(archive, ExportFormat.PARQUET, schema.RECOMMENDATION_EVIDENCE)
    assert [i for i in evidence.column("answer_id").to_pylist() if i is not None] == [a[2]]
    assert evidence.num_rows == 4
    archive = _export(ExportFormat.PARQUET, ExportFilters(process_id=10**6))
    for table in ("recommendations", "recommendation_evidence", "documentation_entries"):
        assert _ids(archive, table, schema.BY_NAME[table].names[0]) == [], table


def test_filters_as_dict_is_json_safe():
    filters = ExportFilters(
        process_id=1,
        statuses=(AnswerStatus.PUBLISHED,),
        bundeslaender=(Bundesland.BY,),
        received_from=date(2025, 1, 2),
    )
    assert filters.as_dict() == {
        "process_id": 1,
        "statuses": ["published"],
        "bundeslaender": ["DE-BY"],
        "received_from": "2025-01-02",
    }
    assert json.loads(json.dumps(filters.as_dict())) == filters.as_dict()
    assert ExportFilters().as_dict() == {}


# -- privacy and hostile text --------------------------------------------------------------


def _all_text(archive: zipfile.ZipFile, fmt: ExportFormat) -> str:
    """Every value of every file, as text (Parquet and XLSX decoded, the rest as is)."""
    parts = []
    for name in archive.namelist():
        raw = archive.read(name)
        if name.endswith(".parquet"):
            parts.append(pq.read_table(io.BytesIO(raw)).to_pandas().to_csv())
        elif name.endswith(".xlsx"):
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
            parts.extend(str(v) for row in book.active.iter_rows(values_only=True) for v in row)
        else:
            parts.append(raw.decode("utf-8-sig"))
    return "\n".join(parts).casefold()


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_no_personal_identifiers_in_any_file(app, data, fmt):
    user = db.session.scalar(sa.select(User).where(User.email == SECRETS["user_email"]))
    assert user.name == SECRETS["user_name"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 2
    # A control: a planted marker in an answer does turn up, so the scan can see.
    data["answers"][3].text = "Kontrolle sichtbar-im-export"
    db.session.commit()
    text = _all_text(_export(fmt), fmt)
    assert "kontrolle sichtbar-im-export" in text
    for what, secret in SECRETS.items():
        assert secret.casefold() not in text, what
    assert not re.search(r"[\w.+-]+@[\w-]+\.[a-z]{2,}", text)  # no e-mail address at all


def test_hostile_text_survives_parquet_and_json_lines(app, data, reader):
    answer = data["answers"][0]
    answer.text = HOSTILE
    answer.redacted_text = None
    data["answers"][1].text = "=1+1"
    db.session.commit()
    for fmt in (ExportFormat.PARQUET, ExportFormat.JSONL):
        rows = read_table(_export(fmt), fmt, schema.ANSWERS).to_pylist()
        assert rows[0]["text"] == HOSTILE and rows[0]["published_text"] == HOSTILE
        assert rows[1]["text"] == "=1+1"


@pytest.mark.parametrize("fmt", [ExportFormat.CSV, ExportFormat.CSV_EXCEL, ExportFormat.XLSX])
def test_formulas_are_defused_in_spreadsheet_formats(app, data, fmt):
    for answer, text in zip(data["answers"], FORMULAS, strict=False):
        answer.text = text
    code = db.session.scalar(sa.select(Code).where(Code.label == "Alt"))
    code.label = '=HYPERLINK("http://example.org")'
    code.description = "Steuer\x1bzeichen"  # XLSX cannot hold it: dropped, not a broken file
    db.session.commit()
    archive = _export(fmt)
    texts = read_table(archive, fmt, schema.ANSWERS).column("text").to_pylist()
    assert texts == ["'" + t for t in FORMULAS[:4]]
    labels = read_table(archive, fmt, schema.CODEBOOK).column("label").to_pylist()
    assert '\'=HYPERLINK("http://example.org")' in labels
    package = json.loads(archive.read("datapackage.json"))
    assert "Apostroph" in package["x-formula-guard"]
    assert all("x-formula-guard" in r for r in package["resources"])
    if fmt != ExportFormat.XLSX:
        raw = archive.read("answers.csv").decode("utf-8-sig")
        assert "\r\n" in raw and '"\'=1+1"' in raw


def test_datapackage_describes_fields_types_and_code_lists(app, data):
    package = json.loads(_export(ExportFormat.CSV_EXCEL).read("datapackage.json"))
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == {t.name for t in schema.TABLES}
    answers = resources["answers"]
    assert answers["path"] == "answers.csv" and answers["dialect"]["delimiter"] == ";"
    fields = {f["name"]: f for f in answers["schema"]["fields"]}
    assert [f["name"] for f in answers["schema"]["fields"]] == schema.ANSWERS.names
    assert fields["received_on"]["type"] == "date"
    assert fields["publication_consent"]["type"] == "boolean"
    assert fields["channel"]["constraints"]["enum"] == [c.value for c in Channel]
    labels = {c["value"]: c["label"] for c in fields["channel"]["categories"]}
    assert labels["letter"] == "Brief"
    assert fields["answer_id"]["description"] and fields["answer_id"]["x-description-en"]
    assert {c["value"] for c in fields["bundesland"]["categories"]} == {b.value for b in Bundesland}
    parquet = json.loads(_export(ExportFormat.PARQUET).read("datapackage.json"))
    assert "x-formula-guard" not in parquet  # Parquet keeps every text as it is
    assert parquet["resources"][0]["format"] == "parquet"


# -- XLSX limit ----------------------------------------------------------------------------


def test_xlsx_over_the_row_limit_gives_a_clear_message_and_no_file(app, data, tmp_path):
    target = tmp_path / "export.zip"
    with pytest.raises(ExportTooLarge) as raised:
        write_export(target, ExportFormat.XLSX, ExportFilters(), xlsx_max_rows=3)
    assert raised.value.table == "answers" and raised.value.rows == 4
    assert "höchstens 3" in raised.value.message and "Parquet oder CSV" in raised.value.message
    assert not list(tmp_path.iterdir())  # neither the file nor a partial one
    write_export(target, ExportFormat.XLSX, ExportFilters(), xlsx_max_rows=10)
    assert zipfile.is_zipfile(target)


# -- audit log and CLI ---------------------------------------------------------------------


def test_export_is_audit_logged_with_actor_filters_and_rows(app, data):
    analyst = data["analyst"]
    filters = ExportFilters(statuses=(AnswerStatus.PUBLISHED,))
    write_export(io.BytesIO(), ExportFormat.CSV, filters, actor=analyst)
    db.session.commit()
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "dataset.export"))
    assert entry.actor_id == analyst.id
    assert entry.changes["format"] == [None, "csv"]
    assert entry.changes["filters"] == [None, {"statuses": ["published"]}]
    assert entry.changes["rows"][1]["answers"] == 1


def test_cli_export_writes_the_zip_and_logs_it(app, data, runner, tmp_path):
    target = tmp_path / "out.zip"
    theme = data["themes"][1]
    result = runner.invoke(
        args=[
            "export", "--format", "jsonl", "--out", str(target),
            "--process", "mission-fachkraft", "--theme-field", theme.slug,
            "--status", "pending", "--channel", "dialogue_island", "--bundesland", "de-by",
            "--from", "2025-04-01", "--to", "2025-04-30",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    assert "answers: 0 rows" in result.output and digest in result.output
    result = runner.invoke(
        args=["export", "--out", str(target), "--theme-field", theme.slug, "--status", "pending"]
    )
    assert "answers: 1 rows" in result.output
    archive = zipfile.ZipFile(target)
    assert _ids(archive) == [data["answers"][2].id]
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "dataset.export"))
    assert [e.actor_id for e in entries] == [None, None]


def test_cli_rejects_unknown_names_and_too_many_xlsx_rows(app, data, runner, tmp_path):
    target = tmp_path / "out.zip"
    result = runner.invoke(args=["export", "--out", str(target), "--process", "nope"])
    assert result.exit_code != 0 and "no process 'nope'" in result.output
    result = runner.invoke(args=["export", "--out", str(target), "--theme-field", "nope"])
    assert result.exit_code != 0 and "no theme field" in result.output
    result = runner.invoke(args=["export", "--out", str(target), "--status", "bogus"])
    assert result.exit_code != 0
    app.config["EXPORT_XLSX_MAX_ROWS"] = 2
    result = runner.invoke(args=["export", "--format", "xlsx", "--out", str(target)])
    assert result.exit_code != 0 and "XLSX-Arbeitsblatt" in result.output
    assert not target.exists()


# -- the staff page ------------------------------------------------------------------------

URL = "/staff/export"


def test_page_permissions(client, login, make_user, seeded):
    assert client.get(URL).status_code == 302  # to the login page
    login(make_user(Role.MODERATOR))
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"fmt": "csv"}).status_code in (400, 403)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMIN])
def test_analyst_and_admin_download_the_zip(client, login, make_user, data, role):
    user = make_user(role)
    login(user)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Datenexport" in html and "flask --app dialog export" in html
    theme = data["themes"][1]
    response = post_form(
        client, URL, {"fmt": "parquet", "theme_fields": str(theme.id), "statuses": "pending"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "dialog-export-" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    response.close()
    assert _ids(archive) == [data["answers"][2].id]
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["filters"] == {"theme_field_ids": [theme.id], "statuses": ["pending"]}
    db.session.expire_all()
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "dataset.export"))
    assert entry.actor_id == user.id


@pytest.mark.parametrize(
    ("data_", "message"),
    [
        ({"fmt": "exe"}, 'id="fmt-error-1"'),
        ({"fmt": "csv", "received_from": "31.02.2025"}, "Datum"),
        ({"fmt": "csv", "received_from": "2025-05-02", "received_to": "2025-05-01"},
         "Das Ende darf nicht vor dem Beginn liegen."),
        ({"fmt": "csv", "statuses": "gone"}, "Status"),
        ({"fmt": "csv", "theme_fields": "x"}, "Themenfelder"),
        ({"fmt": "csv", "events": "999999999999999999999"}, "Veranstaltung"),
        ({"fmt": "csv", "process_id": "999"}, "Prozess"),
    ],
)  # fmt: skip
def test_bad_input_shows_a_message_at_the_field(client, login, make_user, seeded, data_, message):
    login(make_user(Role.ANALYST))
    response = post_form(client, URL, data_)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Bitte prüfen Sie Ihre Angaben" in html and 'class="field__error"' in html
    assert message in html or message.lower() in html.lower()
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "dataset.export")
        )
        == 0
    )


def test_page_refuses_xlsx_over_the_limit_and_large_selections(client, login, make_user, data):
    login(make_user(Role.ANALYST))
    client.application.config["EXPORT_XLSX_MAX_ROWS"] = 2
    html = post_form(client, URL, {"fmt": "xlsx"}).get_data(as_text=True)
    assert "ein XLSX-Arbeitsblatt fasst aber höchstens 2" in html
    assert 'id="fmt-error-1"' in html

    client.application.config["EXPORT_WEB_MAX_ANSWERS"] = 3
    response = post_form(client, URL, {"fmt": "csv"})
    assert response.mimetype == "text/html"
    assert "flask export" in response.get_data(as_text=True)
    response = post_form(client, URL, {"fmt": "csv", "statuses": "published"})
    assert response.mimetype == "application/zip"
    response.close()


def test_export_leaves_the_apps_own_connections_working(app, seeded, tmp_path):
    """ADBC's copy of SQLite runs in a child process. In this one it would remove the
    write-ahead log from under the app's open connection, whose later writes then get lost."""
    db.session.execute(sa.text("CREATE TABLE probe (x INTEGER)"))
    db.session.commit()
    write_export(tmp_path / "a.zip", ExportFormat.PARQUET, ExportFilters())
    db.session.execute(sa.text("INSERT INTO probe VALUES (1)"))
    db.session.commit()
    other = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)  # as another process
    try:
        with other.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM probe")).scalar() == 1
    finally:
        other.dispose()
        db.session.execute(sa.text("DROP TABLE probe"))
        db.session.commit()
