"""python -m analysis EXPORT.zip --out report/ : draft the Ergebnisbericht from an export."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from analysis import per_answer
from analysis.io import ExportError, read_export
from analysis.pipeline import Options, analyse
from analysis.quality import QualityOptions
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
    parser.add_argument(
        "--abuse-words",
        type=Path,
        action="append",
        default=[],
        metavar="DATEI",
        help="eigene Wortliste für Beleidigungen, zusätzlich zur mitgelieferten "
        "(Format: analysis/wordlists/beleidigungen.txt); mehrfach möglich",
    )
    parser.add_argument(
        "--exact-copies-only",
        action="store_true",
        help="Vergleichslauf: Kampagnen nur aus wortgleichen Kopien, ohne fast gleiche Texte, "
        "Markierungen und Spracherkennung",
    )
    args = parser.parse_args(argv)
    if args.min_cell < 1:
        parser.error("--min-cell muss mindestens 1 sein")
    for path in args.abuse_words:
        if not path.is_file():
            parser.error(f"--abuse-words: Datei nicht gefunden: {path}")
    started = time.perf_counter()

    def progress(line: str) -> None:
        print(f"{time.perf_counter() - started:6.1f} s  {line}", file=sys.stderr, flush=True)

    try:
        progress(f"Export lesen: {args.export}")
        data = read_export(args.export)
    except ExportError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    baseline = args.exact_copies_only
    options = Options(
        small_cell_threshold=args.min_cell,
        campaigns_as_one_voice=not args.campaigns_count_each,
        quality=QualityOptions(
            near_copies=not baseline,
            flags=not baseline,
            languages=not baseline,
            abuse_lists=tuple(args.abuse_words),
        ),
    )
    results = analyse(data, options, progress)
    progress("Bericht schreiben …")
    for path in [*write_report(results, args.out), *per_answer.write(results, args.out)]:
        progress(f"geschrieben: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
