"""Pure rules of the answer import: which column holds which field, and what each cell may hold.

Plain values in, plain values out. The file is read by `reader`; the process's theme fields,
the accepted words for coded values and the text cleaner come from `services`. The messages are
German: they are the command's output, row by row, for the person who prepared the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Generic, TypeVar

from babel.numbers import format_decimal

from dialog.answers.rules import (
    MAX_ANSWER_LENGTH,
    AgeBand,
    AnswerProblem,
    AnswerStatus,
    Channel,
    Perspective,
    answer_problem,
)

# The fields of an import file, by their default (English) column names, in the usual order.
FIELDS = (
    "ref",
    "theme_field",
    "question",
    "text",
    "received_on",
    "channel",
    "perspective",
    "bundesland",
    "age_band",
    "publication_consent",
    "status",
)
GERMAN_HEADERS = {
    "Referenz": "ref",
    "Themenfeld": "theme_field",
    "Leitfrage": "question",
    "Text": "text",
    "Datum": "received_on",
    "Eingangsweg": "channel",
    "Perspektive": "perspective",
    "Bundesland": "bundesland",
    "Altersgruppe": "age_band",
    "Veröffentlichung": "publication_consent",
    "Status": "status",
}
GERMAN_NAME = {f: name for name, f in GERMAN_HEADERS.items()}
REQUIRED = ("theme_field", "question", "text", "received_on", "channel")
MAX_REF_LENGTH = 100
# Statuses that mean the answer is or was public: only with the author's consent.
PUBLIC_STATUSES = frozenset({AnswerStatus.PUBLISHED, AnswerStatus.HIDDEN})

YES = frozenset({"ja", "j", "yes", "y", "1", "true", "wahr", "x"})
NO = frozenset({"nein", "n", "no", "0", "false", "falsch", ""})

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_POSITION = re.compile(r"\d{1,3}")


def key(name: str) -> str:
    """How names and words are compared: NFC, spacing collapsed, case ignored."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def number(n: int) -> str:
    """A count as German text: 10.000 (the command speaks German whatever the locale)."""
    return format_decimal(n, locale="de_DE")


def counted(n: int, singular: str, plural: str) -> str:
    """E.g. "1 Zeile", "2 Zeilen"."""
    return f"{number(n)} {singular if n == 1 else plural}"


def quoted(value: str, limit: int = 60) -> str:
    """A cell's value in German quotes, shortened for a message line."""
    value = " ".join(value.split())
    return f"„{value[: limit - 1]}…“" if len(value) > limit else f"„{value}“"


# --- Columns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnPlan:
    """Which column of the file holds which field."""

    index: Mapping[str, int]  # field → position in the header
    names: Mapping[str, str]  # field → the column's name as in the file (for messages)
    ignored: tuple[str, ...] = ()  # columns of the file that are no field
    problems: tuple[str, ...] = ()  # why the file cannot be read as an import at all


def parse_mapping(items: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """`--map field=Column` options as {field: column}, and what is wrong with them."""
    mapping: dict[str, str] = {}
    problems = []
    for item in items:
        name, sep, column = item.partition("=")
        name, column = name.strip(), column.strip()
        if not sep or not name or not column:
            problems.append(f"--map {quoted(item)}: erwartet FELD=SPALTE, z. B. text=Beitrag")
        elif name not in FIELDS:
            problems.append(
                f"--map {quoted(item)}: „{name}“ ist kein Feld des Imports "
                f"(möglich: {', '.join(FIELDS)})"
            )
        elif name in mapping:
            problems.append(f"--map: das Feld „{name}“ ist mehrfach angegeben")
        else:
            mapping[name] = column
    return mapping, problems


def plan_columns(
    header: Sequence[str], mapping: Mapping[str, str], *, default_channel: bool
) -> ColumnPlan:
    """Assign the header's columns to fields: first by `mapping` ({field: column name}), then
    by the default English or German names. Unknown columns are ignored, not refused."""
    problems = []
    by_key: dict[str, int] = {}
    for i, name in enumerate(header):
        by_key.setdefault(key(name), i)
    chosen: dict[int, str] = {}  # column index → field
    for f, column in mapping.items():
        i = by_key.get(key(column))
        if i is None:
            problems.append(f"--map {f}={column}: die Datei hat keine Spalte {quoted(column)}")
        elif i in chosen:
            problems.append(
                f"--map: die Spalte {quoted(column)} ist schon dem Feld „{chosen[i]}“ zugeordnet"
            )
        else:
            chosen[i] = f
    defaults = {key(f): f for f in FIELDS} | {key(n): f for n, f in GERMAN_HEADERS.items()}
    index: dict[str, int] = {f: i for i, f in chosen.items()}
    ignored = []
    for i, name in enumerate(header):
        if i in chosen:
            continue
        f = defaults.get(key(name))
        if f is None or f in mapping:
            if name.strip():
                ignored.append(name)
            continue
        if f in index:
            problems.append(
                f"Die Spalten {quoted(header[index[f]])} und {quoted(name)} stehen beide für das "
                f"Feld „{f}“; bitte eine umbenennen oder mit --map {f}=SPALTE wählen"
            )
            continue
        index[f] = i
    for f in REQUIRED:
        if f not in index and not (f == "channel" and default_channel):
            hint = " (oder --channel für alle Zeilen)" if f == "channel" else ""
            problems.append(
                f"Die Spalte „{f}“ (deutsch „{GERMAN_NAME[f]}“) fehlt{hint}; "
                f"mit --map {f}=SPALTE lässt sich eine andere Spalte dafür nennen"
            )
    names = {f: header[i] for f, i in index.items()}
    return ColumnPlan(index, names, tuple(ignored), tuple(problems))


# --- Cells --------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be imported; the message says why (German, without the position)."""

    @property
    def message(self) -> str:
        return str(self.args[0])


E = TypeVar("E", bound=Enum)


@dataclass(frozen=True)
class Vocabulary(Generic[E]):
    """The words accepted for a coded value: its stored values, its labels and synonyms."""

    members: Mapping[str, E]  # key(word) → member
    shown: tuple[str, ...]  # the stored values, named in error messages

    def __call__(self, raw: str) -> E | None:
        """The member `raw` names; None for an empty cell; CellError for anything else."""
        if not raw.strip():
            return None
        member = self.members.get(key(raw))
        if member is None:
            raise CellError(
                f"{quoted(raw)} ist kein zulässiger Wert (zulässig: {', '.join(self.shown)})"
            )
        return member


def vocabulary(
    members: Iterable[E], labels: Mapping[E, str], synonyms: Mapping[str, E] | None = None
) -> Vocabulary[E]:
    """The vocabulary of an enum: each member's value and label, and further synonyms."""
    members = list(members)
    words: dict[str, E] = {}
    for member in members:
        words[key(str(member.value))] = member
        if member in labels:
            words.setdefault(key(str(labels[member])), member)
    for word, member in (synonyms or {}).items():
        words.setdefault(key(word), member)
    return Vocabulary(words, tuple(str(m.value) for m in members))


def parse_date(raw: str, today: date) -> date:
    """A day as YYYY-MM-DD or DD.MM.YYYY, not after `today`."""
    value = raw.strip()
    if not value:
        raise CellError("Das Datum fehlt")
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
    elif match := _GERMAN_DATE.fullmatch(value):
        day, month, year = match.groups()
    else:
        raise CellError(f"{quoted(value)} ist kein gültiges Datum (JJJJ-MM-TT oder TT.MM.JJJJ)")
    try:
        parsed = date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(f"{quoted(value)} ist kein gültiges Datum") from None
    if parsed > today:
        raise CellError(f"{quoted(value)} liegt in der Zukunft")
    return parsed


def parse_consent(raw: str) -> bool:
    """ja/nein, yes/no, 1/0, true/false; an empty cell means no consent."""
    word = key(raw)
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellError(f"{quoted(raw)} ist keine gültige Angabe (ja oder nein)")


def check_text(raw: str, clean: Callable[[str], str]) -> str:
    """The answer text as stored; the answer form's limits, cleaned by `clean`."""
    problem = answer_problem(raw)
    if problem is AnswerProblem.TOO_LONG:
        raise CellError(
            f"Der Text hat {number(len(raw.strip()))} Zeichen, erlaubt sind höchstens "
            f"{number(MAX_ANSWER_LENGTH)}"
        )
    if problem is AnswerProblem.INVALID_ENCODING:
        raise CellError(
            "Der Text enthält Zeichen, die nicht gelesen werden konnten („\ufffd“); bitte die "
            "Datei als UTF-8 speichern"
        )
    text = clean(raw)
    if not text:
        raise CellError("Der Text ist leer")
    return text


def check_ref(raw: str, clean: Callable[[str], str]) -> str | None:
    ref = clean(raw)
    if len(ref) > MAX_REF_LENGTH:
        raise CellError(f"{quoted(ref)} ist länger als {MAX_REF_LENGTH} Zeichen")
    return ref or None


@dataclass(frozen=True)
class QuestionInfo:
    id: int
    text: str


@dataclass(frozen=True)
class ThemeInfo:
    """A theme field of the process with its active guiding questions, in their order."""

    id: int
    slug: str
    title: str
    questions: tuple[QuestionInfo, ...]


def match_theme(raw: str, themes: Sequence[ThemeInfo]) -> ThemeInfo:
    """The theme field named by its slug or its title."""
    if not raw.strip():
        raise CellError("Das Themenfeld fehlt")
    wanted = key(raw)
    for theme in themes:
        if wanted in (key(theme.slug), key(theme.title)):
            return theme
    known = (
        f"Kurzname oder Titel: {', '.join(t.slug for t in themes)}" if themes else "er hat keine"
    )
    raise CellError(f"{quoted(raw)} ist kein Themenfeld des Prozesses ({known})")


def match_question(raw: str, theme: ThemeInfo) -> QuestionInfo:
    """The guiding question named by its position (1 = the first) or its exact text."""
    value = raw.strip()
    if not value:
        raise CellError("Die Leitfrage fehlt")
    count = len(theme.questions)
    if not count:
        raise CellError(f"Das Themenfeld „{theme.slug}“ hat keine aktiven Leitfragen")
    if _POSITION.fullmatch(value):
        if 1 <= int(value) <= count:
            return theme.questions[int(value) - 1]
        raise CellError(
            f"{quoted(value)}: das Themenfeld „{theme.slug}“ hat "
            + ("nur die Leitfrage 1" if count == 1 else f"die Leitfragen 1 bis {count}")
        )
    wanted = key(value)
    for question in theme.questions:
        if key(question.text) == wanted:
            return question
    raise CellError(
        f"{quoted(value)} ist keine Leitfrage des Themenfelds „{theme.slug}“ "
        f"(ihre Nummer 1 bis {count} oder ihr genauer Text)"
    )


# --- Rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabularies:
    channel: Vocabulary[Channel]
    perspective: Vocabulary[Perspective]
    bundesland: Vocabulary  # of dialog.common.regions.Bundesland
    age_band: Vocabulary[AgeBand]
    status: Vocabulary[AnswerStatus]


@dataclass(frozen=True)
class RowContext:
    """Everything a row is checked against, as plain values."""

    themes: Sequence[ThemeInfo]
    words: Vocabularies
    today: date
    clean: Callable[[str], str]  # the sanitiser of citizens' text
    default_channel: Channel | None = None


@dataclass(frozen=True)
class ImportRow:
    """One checked row: what its submission and its answer will hold."""

    number: int  # row in the file, the header being row 1
    ref: str | None
    theme_field_id: int
    question_id: int
    text: str
    received_on: date
    channel: Channel
    perspective: Perspective | None
    bundesland: Enum | None
    age_band: AgeBand | None
    publication_consent: bool
    status: AnswerStatus


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # as named in the file
    message: str

    def __str__(self) -> str:
        return f"Zeile {self.row}, Spalte „{self.column}“: {self.message}"


@dataclass
class RowCheck:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def rows_with_errors(self) -> int:
        return len({e.row for e in self.errors})


def check_row(
    number: int, cells: Sequence[str], plan: ColumnPlan, context: RowContext
) -> tuple[ImportRow | None, list[RowError]]:
    """Check every cell of one row; the row, or None and all of its errors."""
    errors: list[RowError] = []
    values: dict[str, object] = {}

    def cell(f: str) -> str:
        i = plan.index.get(f)
        return cells[i] if i is not None and i < len(cells) else ""

    def take(f: str, parse: Callable[[str], object]) -> None:
        try:
            values[f] = parse(cell(f))
        except CellError as error:
            errors.append(RowError(number, plan.names.get(f, f), error.message))

    words = context.words
    take("ref", lambda raw: check_ref(raw, context.clean))
    take("theme_field", lambda raw: match_theme(raw, context.themes))
    if "theme_field" in values:
        take("question", lambda raw: match_question(raw, values["theme_field"]))
    take("text", lambda raw: check_text(raw, context.clean))
    take("received_on", lambda raw: parse_date(raw, context.today))
    take("channel", lambda raw: words.channel(raw) or _default_channel(context))
    take("perspective", words.perspective)
    take("bundesland", words.bundesland)
    take("age_band", words.age_band)
    take("publication_consent", parse_consent)
    take("status", lambda raw: words.status(raw) or AnswerStatus.PENDING)
    consent, status = values.get("publication_consent"), values.get("status")
    if status in PUBLIC_STATUSES and consent is False:
        errors.append(
            RowError(
                number,
                plan.names["status"],
                f"„{status}“ setzt die Zustimmung zur Veröffentlichung voraus; "
                + (
                    f"Spalte „{plan.names['publication_consent']}“ sagt nein"
                    if "publication_consent" in plan.names
                    else "die Spalte dafür fehlt"
                ),
            )
        )
    if errors:
        return None, errors
    return ImportRow(
        number=number,
        ref=values["ref"],
        theme_field_id=values["theme_field"].id,
        question_id=values["question"].id,
        text=values["text"],
        received_on=values["received_on"],
        channel=values["channel"],
        perspective=values["perspective"],
        bundesland=values["bundesland"],
        age_band=values["age_band"],
        publication_consent=values["publication_consent"],
        status=values["status"],
    ), []


def _default_channel(context: RowContext) -> Channel:
    if context.default_channel is None:
        raise CellError("Der Eingangsweg fehlt (oder --channel für Zeilen ohne Angabe)")
    return context.default_channel


def check_rows(
    rows: Iterable[tuple[int, Sequence[str]]], plan: ColumnPlan, context: RowContext
) -> RowCheck:
    """Check every row (entirely blank ones are skipped); refs must be unique in the file."""
    check = RowCheck()
    first_with_ref: dict[str, int] = {}
    ref_at = plan.index.get("ref")
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        row, errors = check_row(number, cells, plan, context)
        ref = context.clean(cells[ref_at]) if ref_at is not None and ref_at < len(cells) else ""
        if ref and (earlier := first_with_ref.setdefault(ref, number)) != number:
            message = f"{quoted(ref)} steht schon in Zeile {earlier}"
            errors.append(RowError(number, plan.names["ref"], message))
            row = None
        check.errors.extend(errors)
        if row is not None:
            check.rows.append(row)
    return check
