"""The export's tables, declared once: Parquet schema, datapackage.json and tests derive from it.

Every field has an Arrow type, a German and an English description and, for coded values,
the enum whose values are its code list. Nothing here names a person: staff appear only by
their numeric id, events only by aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pyarrow as pa

from dialog.answers.rules import AgeBand, AnswerStatus, Channel, Perspective
from dialog.common.regions import Bundesland
from dialog.events.rules import EventKind, EventStatus
from dialog.quality.rules import CampaignStatus

SCHEMA_VERSION = "1.0"
TIMESTAMP = pa.timestamp("us", tz="UTC")


class CodeStatus(StrEnum):
    """Where a code of the codebook stands."""

    ACTIVE = "active"
    RETIRED = "retired"  # no new assignments
    MERGED = "merged"  # its assignments moved to `merged_into_id`


@dataclass(frozen=True)
class Field:
    name: str
    type: pa.DataType
    de: str  # description, German
    en: str  # description, English
    codes: type[StrEnum] | None = None  # the code list of a coded value
    nullable: bool = True

    @property
    def frictionless_type(self) -> str:
        return _frictionless_type(self.type)


@dataclass(frozen=True)
class Table:
    name: str
    de: str
    en: str
    fields: tuple[Field, ...]

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(f.name, f.type, nullable=f.nullable) for f in self.fields])

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


def _frictionless_type(t: pa.DataType) -> str:
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t):
        return "number"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "datetime"
    return "string"


def _f(name, type_, de, en, codes=None, nullable=True) -> Field:
    return Field(name, type_, de, en, codes, nullable)


_ANSWER_ID = _f("answer_id", pa.int64(), "Nummer der Antwort", "Answer id", nullable=False)
_PROCESS = _f("process", pa.string(), "Kurzname des Prozesses", "Process slug", nullable=False)

ANSWERS = Table(
    "answers",
    "Antworten auf die Leitfragen, eine Zeile je Antwort",
    "Answers to the guiding questions, one row per answer",
    (
        _ANSWER_ID,
        _f(
            "submission_id",
            pa.int64(),
            "Nummer der Einsendung (Antworten einer Einsendung stammen von derselben Person)",
            "Submission id (answers of one submission come from the same person)",
            nullable=False,
        ),
        _PROCESS,
        _f("theme_field", pa.string(), "Kurzname des Themenfelds", "Theme field slug", None, False),
        _f(
            "theme_field_title",
            pa.string(),
            "Titel des Themenfelds",
            "Theme field title",
            None,
            False,
        ),
        _f("question_id", pa.int64(), "Nummer der Leitfrage", "Guiding question id", None, False),
        _f("question", pa.string(), "Text der Leitfrage", "Text of the guiding question"),
        _f("channel", pa.string(), "Eingangsweg", "Channel", Channel, False),
        _f(
            "event_id",
            pa.int64(),
            "Veranstaltung, bei der ein Offline-Beitrag gesammelt wurde (Tabelle events)",
            "Event where an offline contribution was gathered (table events)",
        ),
        _f(
            "created_on",
            pa.date32(),
            "Tag, an dem die Antwort gespeichert wurde (Europe/Berlin)",
            "Day the answer was stored (Europe/Berlin)",
            nullable=False,
        ),
        _f(
            "received_on",
            pa.date32(),
            "Tag des Eingangs (offline: wie angegeben)",
            "Day received (offline: as given)",
            nullable=False,
        ),
        _f(
            "text",
            pa.string(),
            "Text der Antwort, wie eingesandt",
            "Answer text as sent",
            None,
            False,
        ),
        _f(
            "published_text",
            pa.string(),
            "Öffentlich gezeigter Text (ggf. geschwärzt); leer, wenn nicht veröffentlicht",
            "Publicly shown text (possibly redacted); empty unless published",
        ),
        _f("status", pa.string(), "Moderationsstatus", "Moderation status", AnswerStatus, False),
        _f(
            "perspective",
            pa.string(),
            "Perspektive (leer: keine Angabe)",
            "Perspective",
            Perspective,
        ),
        _f(
            "bundesland",
            pa.string(),
            "Bundesland (leer: keine Angabe)",
            "Federal state",
            Bundesland,
        ),
        _f("age_band", pa.string(), "Altersgruppe (leer: keine Angabe)", "Age band", AgeBand),
        _f(
            "publication_consent",
            pa.bool_(),
            "Zustimmung zur Veröffentlichung",
            "Consent to publication",
            nullable=False,
        ),
        _f(
            "is_proposal",
            pa.bool_(),
            "Von der Analyse als Lösungsvorschlag markiert",
            "Marked as a proposal by the analysts",
            nullable=False,
        ),
        _f(
            "text_fingerprint",
            pa.string(),
            "Fingerabdruck des Textes: gleiche Werte = Kopien eines Textes; ab 3 Kopien "
            "mögliche Kampagne",
            "Text fingerprint: equal values are copies of one text; 3 or more copies are a "
            "possible campaign",
        ),
        _f(
            "import_batch_id",
            pa.int64(),
            "Nummer des Imports (flask import-answers), mit dem die Antwort übernommen wurde; "
            "leer: auf der Plattform eingegangen oder erfasst",
            "Import batch (flask import-answers) the answer came with; empty: received or "
            "entered on the platform",
        ),
        _f(
            "import_ref",
            pa.string(),
            "Kennung der Antwort in der Quelle des Imports (Spalte ref der Importdatei)",
            "The answer's id in the import's source (column ref of the import file)",
        ),
        _f(
            "campaign_group",
            pa.int64(),
            "Nummer der Gruppe gleicher oder fast gleicher Texte (mögliche Kampagne), in der die "
            "Antwort steht, wie in der Analyse der Plattform; leer: in keiner Gruppe",
            "Group of identical or nearly identical texts (possible campaign) the answer is in, "
            "as in the platform's analysis; empty: in no group",
        ),
        _f(
            "campaign_group_status",
            pa.string(),
            "Stand der Gruppe: suggested = vorgeschlagen, noch nicht geprüft; confirmed = von "
            "Analysierenden als Kampagne bestätigt; not_campaign = als keine Kampagne geprüft "
            "(die Antworten zählen einzeln)",
            "The group's status: suggested = found, not reviewed yet; confirmed = confirmed as a "
            "campaign by analysts; not_campaign = reviewed as no campaign (its answers count "
            "one by one)",
            CampaignStatus,
        ),
        _f(
            "flag_empty_reason",
            pa.string(),
            "Hinweis „möglicherweise leer“ mit Grund (z. B. Platzhalter ohne Inhalt); leer: "
            "kein Hinweis oder noch nicht geprüft. Ein Vorschlag, keine Entscheidung",
            'Flag "possibly empty" with its reason; empty: not flagged or not checked yet. '
            "A suggestion, not a decision",
        ),
        _f(
            "flag_spam_reason",
            pa.string(),
            "Hinweis „möglicherweise Spam“ mit Gründen (z. B. Link oder Domain; Werbesprache); "
            "leer: kein Hinweis oder noch nicht geprüft",
            'Flag "possibly spam" with its reasons (e.g. link or domain; advertising); empty: '
            "not flagged or not checked yet",
        ),
        _f(
            "flag_abuse_reason",
            pa.string(),
            "Hinweis „möglicherweise Beleidigung oder Angriff“ mit Grund (Gruppe der Wortliste "
            "und gefundenes Wort); leer: kein Hinweis oder noch nicht geprüft",
            'Flag "possibly insult or attack" with its reason (group of the word list and the '
            "word found); empty: not flagged or not checked yet",
        ),
        _f(
            "language",
            pa.string(),
            "Erkannte Sprache (ISO 639-1, z. B. de, en; und = nicht bestimmbar); leer: noch "
            "nicht geprüft",
            "Detected language (ISO 639-1, e.g. de, en; und = undetermined); empty: not "
            "checked yet",
        ),
    ),
)

CODES = Table(
    "codes",
    "Vergebene Codes: Antwort × Code × codierende Person × Zeitpunkt",
    "Code assignments: answer × code × coder × time",
    (
        _f("assignment_id", pa.int64(), "Nummer der Zuordnung", "Assignment id", None, False),
        _ANSWER_ID,
        _f(
            "code_id",
            pa.int64(),
            "Code (nach Zusammenlegungen)",
            "Code (after merges)",
            None,
            False,
        ),
        _f(
            "original_code_id",
            pa.int64(),
            "Code, wie ursprünglich vergeben",
            "Code as first assigned",
            nullable=False,
        ),
        _f("coder_id", pa.int64(), "Nummer der codierenden Person", "Coder's staff id"),
        _f(
            "sample_id",
            pa.int64(),
            "Stichprobe der Doppelcodierung (leer: gemeinsame Codierung)",
            "Double-coding sample (empty: shared coding)",
        ),
        _f(
            "assigned_at",
            TIMESTAMP,
            "Zeitpunkt der Vergabe (UTC)",
            "Time assigned (UTC)",
            None,
            False,
        ),
    ),
)

RATINGS = Table(
    "ratings",
    "Bewertungen von Lösungsvorschlägen (1 = gering bis 5 = hoch)",
    "Ratings of proposals (1 = low to 5 = high)",
    (
        _f("rating_id", pa.int64(), "Nummer der Bewertung", "Rating id", None, False),
        _ANSWER_ID,
        _f("rater_id", pa.int64(), "Nummer der bewertenden Person", "Rater's staff id"),
        _f("effectiveness", pa.int8(), "Wirksamkeit (1–5)", "Effectiveness (1–5)"),
        _f("feasibility", pa.int8(), "Machbarkeit (1–5)", "Feasibility (1–5)"),
        _f("rated_at", TIMESTAMP, "Zeitpunkt der Bewertung (UTC)", "Time rated (UTC)", None, False),
    ),
)

ANNOTATIONS = Table(
    "annotations",
    "Gemeinsame Notizen der Analyse zu Antworten",
    "The analysts' shared notes on answers",
    (
        _ANSWER_ID,
        _f("note", pa.string(), "Notiz", "Note", None, False),
        _f("is_proposal", pa.bool_(), "Lösungsvorschlag", "Proposal", None, False),
        _f("updated_by_id", pa.int64(), "Zuletzt geändert von (Nummer)", "Last changed by (id)"),
        _f("updated_at", TIMESTAMP, "Zuletzt geändert (UTC)", "Last changed (UTC)", None, False),
    ),
)

CODEBOOK = Table(
    "codebook",
    "Das Codebuch (zwei Ebenen: Codes und Untercodes)",
    "The codebook (two levels: codes and sub-codes)",
    (
        _f("code_id", pa.int64(), "Nummer des Codes", "Code id", None, False),
        _f("parent_id", pa.int64(), "Übergeordneter Code (leer: oberste Ebene)", "Parent code"),
        _PROCESS,
        _f("label", pa.string(), "Bezeichnung", "Label", None, False),
        _f("description", pa.string(), "Wann der Code passt", "When to use the code", None, False),
        _f("theme_field", pa.string(), "Themenfeld (Kurzname), falls zugeordnet", "Theme field"),
        _f("status", pa.string(), "Stand des Codes", "Status of the code", CodeStatus, False),
        _f("merged_into_id", pa.int64(), "Zusammengelegt in Code", "Merged into code"),
    ),
)

SAMPLES = Table(
    "samples",
    "Stichproben der Doppelcodierung (für die Übereinstimmung der Codierenden)",
    "Double-coding samples (for inter-coder agreement)",
    (
        _f("sample_id", pa.int64(), "Nummer der Stichprobe", "Sample id", None, False),
        _PROCESS,
        _f("name", pa.string(), "Bezeichnung", "Name", None, False),
        _f(
            "percent", pa.float64(), "Anteil der Auswahl in Prozent", "Share drawn (%)", None, False
        ),
        _f("seed", pa.int64(), "Startwert der Ziehung", "Seed of the draw", None, False),
        _f("coder_a_id", pa.int64(), "Erste codierende Person (Nummer)", "First coder (id)"),
        _f("coder_b_id", pa.int64(), "Zweite codierende Person (Nummer)", "Second coder (id)"),
        _f("created_at", TIMESTAMP, "Angelegt (UTC)", "Created (UTC)", None, False),
    ),
)

SAMPLE_ANSWERS = Table(
    "sample_answers",
    "Antworten in den Stichproben",
    "Answers drawn into the samples",
    (
        _f("sample_id", pa.int64(), "Nummer der Stichprobe", "Sample id", None, False),
        _ANSWER_ID,
    ),
)

EVENTS = Table(
    "events",
    "Veranstaltungen mit Zahlen (keine Namen oder E-Mail-Adressen)",
    "Events with counts (no names or e-mail addresses)",
    (
        _f("event_id", pa.int64(), "Nummer der Veranstaltung", "Event id", None, False),
        _PROCESS,
        _f("title", pa.string(), "Titel", "Title", None, False),
        _f("kind", pa.string(), "Art", "Kind", EventKind, False),
        _f("city", pa.string(), "Ort", "City", None, False),
        _f("bundesland", pa.string(), "Bundesland", "Federal state", Bundesland, False),
        _f("starts_on", pa.date32(), "Tag des Beginns (Europe/Berlin)", "Start day", None, False),
        _f("status", pa.string(), "Status", "Status", EventStatus, False),
        _f("capacity", pa.int64(), "Plätze (leer: ohne Anmeldung)", "Seats (empty: no booking)"),
        *(
            _f(
                f"registrations_{s}",
                pa.int64(),
                f"Anmeldungen im Status {s}",
                f"Registrations with status {s}",
                nullable=False,
            )
            for s in ("held", "confirmed", "waitlisted", "cancelled", "expired")
        ),
        _f("checked_in", pa.int64(), "Eingecheckt", "Checked in", None, False),
        _f("applications", pa.int64(), "Bewerbungen", "Applications", None, False),
        _f("applications_accepted", pa.int64(), "Zugesagte Bewerbungen", "Accepted", None, False),
        _f("invitations", pa.int64(), "Einladungen", "Invitations", None, False),
        _f("invitations_used", pa.int64(), "Genutzte Einladungen", "Used invitations", None, False),
        _f(
            "contributions",
            pa.int64(),
            "Dort gesammelte Einsendungen (alle, ohne Filter)",
            "Submissions gathered there (all, unfiltered)",
            nullable=False,
        ),
    ),
)

THEME_FIELDS = Table(
    "theme_fields",
    "Prozesse und ihre Themenfelder in der Reihenfolge des Prozesses",
    "Processes and their theme fields in the process's order",
    (
        _PROCESS,
        _f("process_title", pa.string(), "Titel des Prozesses", "Process title", None, False),
        _f("theme_field", pa.string(), "Kurzname des Themenfelds", "Theme field slug", None, False),
        _f("title", pa.string(), "Titel des Themenfelds", "Theme field title", None, False),
        _f("position", pa.int64(), "Reihenfolge im Prozess", "Order in the process", None, False),
    ),
)

TABLES: tuple[Table, ...] = (
    ANSWERS,
    CODES,
    RATINGS,
    ANNOTATIONS,
    CODEBOOK,
    SAMPLES,
    SAMPLE_ANSWERS,
    EVENTS,
    THEME_FIELDS,
)
BY_NAME = {t.name: t for t in TABLES}
