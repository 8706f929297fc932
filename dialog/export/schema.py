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
from dialog.recommendations.rules import EvidenceKind, RecommendationStatus

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

_RECOMMENDATION_ID = _f(
    "recommendation_id", pa.int64(), "Nummer der Empfehlung", "Recommendation id", None, False
)

RECOMMENDATIONS = Table(
    "recommendations",
    "Handlungsempfehlungen des Prozesses (alle, unabhängig von Antwortfiltern)",
    "Recommendations for action of the process (all, whatever the answer filters)",
    (
        _RECOMMENDATION_ID,
        _PROCESS,
        _f("title", pa.string(), "Titel", "Title", None, False),
        _f(
            "text",
            pa.string(),
            "Text der Empfehlung (bereinigtes HTML)",
            "Text of the recommendation (sanitised HTML)",
            nullable=False,
        ),
        _f("addressee", pa.string(), "Adressat", "Addressee", None, False),
        _f("measure", pa.string(), "Art der Maßnahme", "Kind of measure", None, False),
        _f("parent_id", pa.int64(), "Übergeordnete Empfehlung (Bündel)", "Parent (cluster)"),
        _f("responsible_id", pa.int64(), "Verantwortlich (Nummer)", "Responsible analyst (id)"),
        _f("status", pa.string(), "Stand", "Status", RecommendationStatus, False),
        _f("created_at", TIMESTAMP, "Angelegt (UTC)", "Created (UTC)", None, False),
        _f("updated_at", TIMESTAMP, "Zuletzt geändert (UTC)", "Last changed (UTC)", None, False),
    ),
)

RECOMMENDATION_THEME_FIELDS = Table(
    "recommendation_theme_fields",
    "Themenfelder der Empfehlungen, eine Zeile je Empfehlung und Themenfeld",
    "Theme fields of the recommendations, one row per recommendation and theme field",
    (
        _RECOMMENDATION_ID,
        _f("theme_field", pa.string(), "Kurzname des Themenfelds", "Theme field slug", None, False),
    ),
)

RECOMMENDATION_EVIDENCE = Table(
    "recommendation_evidence",
    "Belege der Empfehlungen, eine Zeile je Verknüpfung (Antworten nur, soweit exportiert)",
    "Evidence of the recommendations, one row per link (answers only where exported)",
    (
        _f("evidence_id", pa.int64(), "Nummer der Verknüpfung", "Link id", None, False),
        _RECOMMENDATION_ID,
        _f("kind", pa.string(), "Art des Belegs", "Kind of evidence", EvidenceKind, False),
        _f("answer_id", pa.int64(), "Antwort (Tabelle answers)", "Answer (table answers)"),
        _f(
            "code_id",
            pa.int64(),
            "Code wie verknüpft (Tabelle codebook; zusammengelegte Codes über merged_into_id)",
            "Code as linked (table codebook; merged codes through merged_into_id)",
        ),
        _f(
            "documentation_id",
            pa.int64(),
            "Dokumentationseintrag (Tabelle documentation_entries)",
            "Documentation entry (table documentation_entries)",
        ),
        _f(
            "source_recommendation_id",
            pa.int64(),
            "Empfehlung, die hierin aufgegangen ist",
            "Recommendation merged into this one",
        ),
        _f("added_at", TIMESTAMP, "Verknüpft (UTC)", "Linked (UTC)", None, False),
    ),
)

RECOMMENDATION_RATINGS = Table(
    "recommendation_ratings",
    "Bewertungen der Empfehlungen (1–5), eine Zeile je bewertende Person",
    "Ratings of the recommendations (1–5), one row per rater",
    (
        _f("rating_id", pa.int64(), "Nummer der Bewertung", "Rating id", None, False),
        _RECOMMENDATION_ID,
        _f("rater_id", pa.int64(), "Bewertende Person (Nummer)", "Rater (id)"),
        _f("effectiveness", pa.int64(), "Wirksamkeit (1–5)", "Effectiveness (1–5)", None, False),
        _f("feasibility", pa.int64(), "Machbarkeit (1–5)", "Feasibility (1–5)", None, False),
        _f("reason", pa.string(), "Begründung", "Reason", None, False),
        _f("rated_at", TIMESTAMP, "Zeitpunkt der Bewertung (UTC)", "Time rated (UTC)", None, False),
    ),
)

RECOMMENDATION_STATUS_HISTORY = Table(
    "recommendation_status_history",
    "Verlauf des Stands der Empfehlungen, eine Zeile je Änderung",
    "Status history of the recommendations, one row per change",
    (
        _f("change_id", pa.int64(), "Nummer der Änderung", "Change id", None, False),
        _RECOMMENDATION_ID,
        _f("at", TIMESTAMP, "Zeitpunkt (UTC)", "Time (UTC)", None, False),
        _f("actor_id", pa.int64(), "Geändert von (Nummer)", "Changed by (id)"),
        _f(
            "from_status",
            pa.string(),
            "Vorheriger Stand (leer: angelegt)",
            "Previous status (empty: created)",
            RecommendationStatus,
        ),
        _f("to_status", pa.string(), "Neuer Stand", "New status", RecommendationStatus, False),
        _f("reason", pa.string(), "Begründung (intern)", "Reason (internal)", None, False),
        _f("public_note", pa.string(), "Öffentliche Notiz", "Public note", None, False),
        _f("progress_percent", pa.int64(), "Fortschritt in Prozent", "Progress (%)"),
        _f(
            "link", pa.string(), "Verweis, z. B. Gesetzentwurf", "Link, e.g. draft law", None, False
        ),
    ),
)

DOCUMENTATION_ENTRIES = Table(
    "documentation_entries",
    "Dokumentierte Ergebnisse von Veranstaltungen (je Dialoginsel, Werkstatt oder Hearing)",
    "Documented results of events (per Dialoginsel, workshop or hearing)",
    (
        _f("documentation_id", pa.int64(), "Nummer des Eintrags", "Entry id", None, False),
        _f(
            "event_id",
            pa.int64(),
            "Veranstaltung (Tabelle events)",
            "Event (table events)",
            None,
            False,
        ),
        _f("session_label", pa.string(), "Runde, z. B. Dialoginsel 2", "Session", None, False),
        _f("text", pa.string(), "Eingebrachter Punkt", "Point raised", None, False),
        _f("theme_field", pa.string(), "Themenfeld (Kurzname)", "Theme field slug"),
        _f(
            "agreement_count",
            pa.int64(),
            "Zustimmung, z. B. Klebepunkte (leer: nicht gezählt)",
            "Agreement, e.g. pinboard dots (empty: not counted)",
        ),
        _f("has_file", pa.bool_(), "Datei beigefügt", "File attached", None, False),
        _f("created_at", TIMESTAMP, "Erfasst (UTC)", "Recorded (UTC)", None, False),
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
    RECOMMENDATIONS,
    RECOMMENDATION_THEME_FIELDS,
    RECOMMENDATION_EVIDENCE,
    RECOMMENDATION_RATINGS,
    RECOMMENDATION_STATUS_HISTORY,
    DOCUMENTATION_ENTRIES,
)
BY_NAME = {t.name: t for t in TABLES}
