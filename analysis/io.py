"""Reading a dialog export (the zip with datapackage.json) and writing report files.

The export's data dictionary is the contract: every table it declares must be there with every
declared column, and values are read into the pandas dtype that matches the declared type.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

REQUIRED_TABLES = ("answers", "codes", "ratings", "codebook", "samples", "sample_answers", "events")
# Frictionless type → pandas dtype.
DTYPES = {
    "integer": "Int64",
    "number": "float64",
    "string": "string",
    "boolean": "boolean",
    "date": "datetime64[ns]",
    "datetime": "datetime64[ns, UTC]",
}


class ExportError(ValueError):
    """The file is not a complete, valid dialog export; the message names what is wrong."""


@dataclass
class Dataset:
    """The tables of an export (name → DataFrame) and what the export says about itself."""

    tables: dict[str, pd.DataFrame]
    sha256: str  # of the export file itself
    package: dict[str, Any]
    manifest: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def read_export(path: Path | str) -> Dataset:
    """Load and validate an export zip; raises ExportError naming the file or column at fault."""
    path = Path(path)
    try:
        digest = _sha256(path)
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as error:
        raise ExportError(f"{path}: Datei nicht gefunden") from error
    except zipfile.BadZipFile as error:
        raise ExportError(f"{path}: keine ZIP-Datei (ist es ein dialog-Export?)") from error
    with archive:
        names = set(archive.namelist())
        if "datapackage.json" not in names:
            raise ExportError(f"{path.name}: datapackage.json fehlt (kein dialog-Export?)")
        package = _json(archive, "datapackage.json")
        manifest = _json(archive, "manifest.json") if "manifest.json" in names else {}
        resources = {r.get("name"): r for r in package.get("resources", [])}
        missing = [name for name in REQUIRED_TABLES if name not in resources]
        if missing:
            raise ExportError(f"datapackage.json: Tabellen fehlen: {', '.join(missing)}")
        tables = {
            name: _read_resource(archive, names, resource) for name, resource in resources.items()
        }
    return Dataset(tables, digest, package, manifest)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _json(archive: zipfile.ZipFile, name: str) -> dict[str, Any]:
    try:
        return json.loads(archive.read(name))
    except (ValueError, UnicodeDecodeError) as error:
        raise ExportError(f"{name}: kein gültiges JSON ({error})") from error


def _read_resource(
    archive: zipfile.ZipFile, names: set[str], resource: dict[str, Any]
) -> pd.DataFrame:
    path = resource.get("path", "")
    if path not in names:
        raise ExportError(f"{path or resource.get('name')}: Datei fehlt im Export")
    fields = resource.get("schema", {}).get("fields", [])
    expected = hashlib.sha256(archive.read(path)).hexdigest()
    declared = str(resource.get("hash", "")).removeprefix("sha256:")
    if declared and declared != expected:
        raise ExportError(f"{path}: Prüfsumme stimmt nicht (Datei verändert oder beschädigt)")
    try:
        frame = _read_file(archive, path, resource)
    except ExportError:
        raise
    except Exception as error:  # any parser's error becomes one that names the file
        raise ExportError(f"{path}: nicht lesbar ({error})") from error
    if frame.empty and len(frame.columns) == 0:  # JSON Lines of an empty table: no keys at all
        frame = pd.DataFrame(columns=[f["name"] for f in fields])
    for f in fields:
        if f["name"] not in frame.columns:
            raise ExportError(f"{path}: Spalte „{f['name']}“ fehlt")
    return _typed(frame[[f["name"] for f in fields]], fields, path)


def _read_file(archive: zipfile.ZipFile, path: str, resource: dict[str, Any]) -> pd.DataFrame:
    fmt = resource.get("format")
    with archive.open(path) as raw:
        data = raw.read()
    if fmt == "parquet":
        return pq.read_table(io.BytesIO(data)).to_pandas()
    if fmt == "jsonl":
        if not data.strip():
            return pd.DataFrame()
        return pd.read_json(io.BytesIO(data), lines=True, dtype=False)
    if fmt == "csv":
        dialect = resource.get("dialect", {})
        return pd.read_csv(
            io.BytesIO(data),
            sep=dialect.get("delimiter", ","),
            encoding=resource.get("encoding", "utf-8"),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
        )
    if fmt == "xlsx":
        return pd.read_excel(io.BytesIO(data), dtype=object, engine="openpyxl")
    raise ExportError(f"{path}: unbekanntes Format „{fmt}“")


def _typed(frame: pd.DataFrame, fields: list[dict[str, Any]], path: str) -> pd.DataFrame:
    columns = {}
    for f in fields:
        name, kind = f["name"], f.get("type", "string")
        values = frame[name]
        if kind == "string" and f.get("constraints", {}).get("required"):
            # CSV and XLSX cannot tell an empty text from a missing one; a required one is "".
            values = values.fillna("")
        try:
            columns[name] = _convert(values, kind)
        except (ValueError, TypeError, KeyError) as error:
            raise ExportError(f"{path}: Spalte „{name}“ ist nicht vom Typ {kind}") from error
        if f.get("constraints", {}).get("required") and columns[name].isna().any():
            raise ExportError(f"{path}: Spalte „{name}“ hat leere Werte, ist aber Pflicht")
    return pd.DataFrame(columns, index=frame.index)


def _convert(values: pd.Series, kind: str) -> pd.Series:
    """`values` as read (typed from Parquet, text from CSV, Python objects from JSON Lines or
    XLSX) in the pandas dtype of the declared type."""
    if kind == "boolean" and not pd.api.types.is_bool_dtype(values):
        truth = {"true": True, "false": False, "1": True, "0": False}
        mapped = values.map(
            lambda v: v if pd.isna(v) or isinstance(v, bool) else truth[str(v).lower()]
        )
        return mapped.astype("boolean")
    if kind == "date":
        return pd.to_datetime(values).astype("datetime64[ns]")
    if kind == "datetime":
        return pd.to_datetime(values, utc=True).astype("datetime64[ns, UTC]")
    if kind in ("integer", "number") and not pd.api.types.is_numeric_dtype(values):
        values = pd.to_numeric(values)
    return values.astype(DTYPES.get(kind, "string"))
