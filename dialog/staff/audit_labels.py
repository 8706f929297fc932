"""Readable German labels for the audit log's technical action, object and field names."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

OBJECTS = {
    "Process": _l("Prozess"),
    "Phase": _l("Phase"),
    "ThemeField": _l("Themenfeld"),
    "GuidingQuestion": _l("Leitfrage"),
    "Page": _l("Seite"),
    "User": _l("Konto"),
    "Submission": _l("Einsendung"),
    "Answer": _l("Antwort"),
    "OutboxMail": _l("E-Mails"),
    "Code": _l("Code"),
    "CodingSample": _l("Stichprobe"),
    "ReportJob": _l("Bericht-Entwurf"),
    "PublishedFile": _l("Veröffentlichte Datei"),
    "DatasetExport": _l("Datenexport"),
    "Event": _l("Veranstaltung"),
    "Application": _l("Bewerbung"),
    "Invitation": _l("Einladung"),
    "AccessibilityFeedback": _l("Rückmeldung zur Barrierefreiheit"),
    "AnswerImport": _l("Antwortimport"),
    "CampaignGroup": _l("Kampagnengruppe"),
    "Recommendation": _l("Handlungsempfehlung"),
    "EventDocumentationEntry": _l("Eintrag der Veranstaltungsdokumentation"),
}

VERBS = {
    "export": _l("erstellt"),
    "retire": _l("stillgelegt"),
    "reactivate": _l("wieder aktiviert"),
    "merge": _l("zusammengeführt"),
    "create": _l("angelegt"),
    "update": _l("geändert"),
    "delete": _l("gelöscht"),
    "password_change": _l("Passwort geändert"),
    "login": _l("angemeldet"),
    "login_failed": _l("Anmeldung fehlgeschlagen (falsches Passwort)"),
    "logout": _l("abgemeldet"),
    "accept": _l("angenommen"),
    "reject": _l("abgelehnt"),
    "hide": _l("verborgen"),
    "dismiss_reports": _l("Meldungen zurückgewiesen"),
    "enter_offline": _l("offline erfasst"),
    "delete_by_author": _l("von der Person gelöscht"),
    "retry": _l("zum erneuten Versand freigegeben"),
    "cancel": _l("abgesagt"),
    "decline": _l("abgelehnt"),
    "download_participants": _l("Teilnehmendenliste heruntergeladen"),
    "message": _l("Nachricht an Teilnehmende"),
    "quotas": _l("Kontingente geändert"),
    "issue": _l("ausgestellt"),
    "revoke": _l("widerrufen"),
    "done": _l("erledigt"),
    # Campaign groups (dialog.quality)
    "detect_campaigns": _l("Kampagnen und Hinweise berechnet"),
    "confirm": _l("als Kampagne bestätigt"),
    "mark_not_campaign": _l("als „keine Kampagne“ markiert"),
    "split": _l("aufgeteilt"),
    "create_by_split": _l("durch Aufteilen entstanden"),
    "remove_answers": _l("Beiträge herausgenommen"),
    # Code suggestions (dialog.coding.suggestions)
    "adopt_theme": _l("aus einem Themenvorschlag übernommen"),
    # Recommendations (dialog.recommendations)
    "change_status": _l("Status geändert"),
    "add_evidence": _l("Beleg verknüpft"),
    "remove_evidence": _l("Beleg entfernt"),
    "rate": _l("bewertet"),
    "update_addressee": _l("Liste der Adressaten geändert"),
    "update_measure": _l("Liste der Arten der Maßnahme geändert"),
    # Demo mode (dialog.demo)
    "generate_demo_answers": _l("Demo-Beiträge erzeugt"),
}

FIELDS = {
    "title": _l("Titel"),
    "slug": _l("Kurzname"),
    "central_question": _l("Zentrale Frage"),
    "intro": _l("Einleitung"),
    "published": _l("Öffentlich"),
    "featured": _l("Startseite"),
    "kind": _l("Art"),
    "starts_on": _l("Erster Tag"),
    "ends_on": _l("Letzter Tag"),
    "description": _l("Beschreibung"),
    "position": _l("Reihenfolge"),
    "text": _l("Text"),
    "plain_language_text": _l("Leichte Sprache"),
    "active": _l("Aktiv"),
    "body": _l("Text"),
    "in_footer": _l("Fußzeile"),
    "email": _l("E-Mail-Adresse"),
    "name": _l("Name"),
    "roles": _l("Rollen"),
    "password": _l("Passwort"),
    "status": _l("Status"),
    "reason": _l("Grund"),
    "redacted": _l("Geschwärzt"),
    "channel": _l("Eingangsweg"),
    "reports": _l("Meldungen"),
    "count": _l("Anzahl"),
    "label": _l("Bezeichnung"),
    "parent_id": _l("Übergeordneter Code (Nr.)"),
    "theme_field_id": _l("Themenfeld (Nr.)"),
    "merged_into": _l("Zusammengeführt in"),
    "coders": _l("Codierende"),
    "format": _l("Format"),
    "filters": _l("Filter"),
    "rows": _l("Zeilen"),
    "process_id": _l("Prozess (Nr.)"),
    "city": _l("Ort"),
    "bundesland": _l("Bundesland"),
    "venue": _l("Veranstaltungsort"),
    "address": _l("Adresse"),
    "starts_at": _l("Beginn"),
    "ends_at": _l("Ende"),
    "accessibility": _l("Barrierefreiheit"),
    "capacity": _l("Plätze"),
    "registration_opens_at": _l("Anmeldung ab"),
    "registration_closes_at": _l("Anmeldung bis"),
    "cancellation_note": _l("Hinweis zur Absage"),
    "organisation": _l("Organisation"),
    "subject": _l("Betreff"),
    "recipients": _l("Empfänger"),
    "video_url": _l("Video"),
    "video_transcript": _l("Inhalt des Videos als Text"),
    "done_at": _l("Erledigt am"),
    "done_by_id": _l("Erledigt von (Nr.)"),
    "has_contact": _l("Kontaktdaten vorhanden"),
    "file_name": _l("Datei"),
    "sha256": _l("SHA-256"),
    "theme_fields": _l("Themenfelder"),
    "note": _l("Notiz"),
    # Campaign groups (dialog.quality)
    "answers": _l("Beiträge (Nr.)"),
    "new_group": _l("Neue Gruppe (Nr.)"),
    "split_from": _l("Abgeteilt von Gruppe (Nr.)"),
    "campaign_groups": _l("Vorgeschlagene Gruppen"),
    "reviewed": _l("Geprüfte Gruppen (unverändert)"),
    "flag_empty": _l("Hinweis „möglicherweise leer“"),
    "flag_spam": _l("Hinweis „möglicherweise Spam“"),
    "flag_abuse": _l("Hinweis „möglicherweise Beleidigung oder Angriff“"),
    # Code suggestions (dialog.coding.suggestions)
    "report_job": _l("Bericht-Entwurf (Nr.)"),
    "theme": _l("Themenvorschlag (Nr.)"),
    "suggestions": _l("Vorgeschlagen für Beiträge"),
    # Recommendations (dialog.recommendations)
    "addressee": _l("Adressat"),
    "measure": _l("Art der Maßnahme"),
    "responsible_id": _l("Verantwortlich (Nr.)"),
    "evidence": _l("Beleg"),
    "effectiveness": _l("Wirksamkeit"),
    "feasibility": _l("Machbarkeit"),
    "public_note": _l("Öffentlicher Hinweis"),
    "progress_percent": _l("Fortschritt (%)"),
    "link": _l("Link"),
    "session_label": _l("Dialoginsel oder Runde"),
    "agreement_count": _l("Zustimmung"),
    "event_id": _l("Veranstaltung (Nr.)"),
    "content_type": _l("Dateityp"),
    "file_size": _l("Dateigröße (Bytes)"),
}


def action_label(action: str, object_type: str) -> str:
    """E.g. "theme_field.update" on a ThemeField → "Themenfeld geändert"."""
    verb = action.rsplit(".", 1)[-1]
    return f"{OBJECTS.get(object_type, object_type)} {VERBS.get(verb, verb)}"


def field_label(name: str) -> str:
    return str(FIELDS.get(name, name))


def value_text(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if value is True:
        return _("ja")
    if value is False:
        return _("nein")
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {value_text(v)}" for k, v in value.items()) or "–"
    return str(value)
