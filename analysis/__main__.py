"""python -m analysis EXPORT.zip --out report/ : draft the Ergebnisbericht from an export."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from analysis.io import ExportError, read_export
from analysis.pipeline import Options, analyse
from analysis.report import write_report
from analysis.tables import SMALL_CELL_THRESHOLD


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Entwurf des Ergebnisberichts aus einem dialog-Datenexport erzeugen "
        "(Markdown, HTML, DOCX).",
    )
    parser.add_argument("export", type=Path, help="die ZIP-Datei des Datenexports")
    parser.add_argument("--out", type=Path, default=Path("bericht"), help="Zielordner")
    parser.add_argument(
        "--min-cell",
        type=int,
        default=SMALL_CELL_THRESHOLD,
        help="Werte unter dieser Zahl erscheinen in Kreuztabellen als „< N“ (Standard 5)",
    )
    parser.add_argument(
        "--campaigns-count-each",
        action="store_true",
        help="Antworten aus Kampagnen einzeln zählen statt jede Kampagne als eine Stimme",
    )
    args = parser.parse_args(argv)
    if args.min_cell < 1:
        parser.error("--min-cell muss mindestens 1 sein")
    started = time.perf_counter()

    def progress(line: str) -> None:
        print(f"{time.perf_counter() - started:6.1f} s  {line}", file=sys.stderr, flush=True)

    try:
        progress(f"Export lesen: {args.export}")
        data = read_export(args.export)
    except ExportError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    options = Options(
        small_cell_threshold=args.min_cell, campaigns_as_one_voice=not args.campaigns_count_each
    )
    results = analyse(data, options, progress)
    progress("Bericht schreiben …")
    for path in write_report(results, args.out):
        progress(f"geschrieben: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
