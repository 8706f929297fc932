"""Pure parts of the dataset export: formula guard, hashing sink, schema declarations."""

from __future__ import annotations

import hashlib
import io

import pyarrow as pa
import pytest

from dialog.export import schema
from dialog.export.writers import ExportFormat, HashingSink, _without_xml_controls, guard_formulas


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+49 30 1234", "'+49 30 1234"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rWagenrücklauf", "'\rWagenrücklauf"),
        ("a=1", "a=1"),
        (" =1", " =1"),
        ("", ""),
        (None, None),
        ("Ärger 🙂", "Ärger 🙂"),
    ],
)
def test_guard_formulas_prefixes_risky_text_only(value, expected):
    batch = pa.RecordBatch.from_pydict(
        {"text": pa.array([value], pa.string()), "number": pa.array([-5], pa.int64())}
    )
    guarded = guard_formulas(batch)
    assert guarded.column("text").to_pylist() == [expected]
    assert guarded.column("number").to_pylist() == [-5]  # numbers are no formulas
    assert guarded.schema == batch.schema


def test_hashing_sink_counts_hashes_and_passes_on():
    target = io.BytesIO()
    sink = HashingSink(target)
    sink.write(b"abc")
    sink.write(memoryview(b"def"))
    assert target.getvalue() == b"abcdef"
    assert sink.tell() == sink.size == 6
    assert sink.sha256.hexdigest() == hashlib.sha256(b"abcdef").hexdigest()
    assert not sink.seekable()


def test_format_extensions_and_guards():
    assert ExportFormat.CSV_EXCEL.extension == "csv"
    assert ExportFormat.JSONL.extension == "jsonl"
    guarded = {f for f in ExportFormat if f.guards_formulas}
    assert guarded == {ExportFormat.CSV, ExportFormat.CSV_EXCEL, ExportFormat.XLSX}


def test_schema_declares_unique_documented_fields():
    assert len({t.name for t in schema.TABLES}) == len(schema.TABLES)
    for table in schema.TABLES:
        assert len(set(table.names)) == len(table.names), table.name
        assert table.arrow_schema.names == table.names
        for f in table.fields:
            assert f.de and f.en, (table.name, f.name)
            assert f.frictionless_type in {
                "integer",
                "number",
                "string",
                "boolean",
                "date",
                "datetime",
            }


def test_no_table_has_a_column_for_personal_data():
    names = {f.name for t in schema.TABLES for f in t.fields}
    for word in ("email", "name_", "token", "ip", "salt", "hash", "contact", "support"):
        assert not any(n == word or n.startswith(word) for n in names), word
    assert "name" in schema.SAMPLES.names  # a sample's own name, not a person's


def test_xlsx_loses_only_the_control_characters_xml_cannot_hold():
    batch = pa.RecordBatch.from_pydict({"text": ["a\x00b\x1bc\td\ne\rf\u202eg", None]})
    cleaned = _without_xml_controls(batch).column("text").to_pylist()
    assert cleaned == ["abc\td\ne\rf\u202eg", None]
