"""The export form: filters of the selection and the file format."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from dialog.answers import labels
from dialog.answers.rules import AnswerStatus, Channel, Perspective
from dialog.common.forms import DATE_FORMATS, DialogForm, MultiCheckboxField
from dialog.common.regions import BUNDESLAND_LABELS, Bundesland
from dialog.export.services import ExportFilters, ExportFormat

FORMAT_LABELS = {
    ExportFormat.PARQUET: _l("Parquet (empfohlen für die Auswertung, auch große Datenmengen)"),
    ExportFormat.CSV: _l("CSV (UTF-8, Komma, nach RFC 4180)"),
    ExportFormat.CSV_EXCEL: _l("CSV für Excel (UTF-8 mit BOM, Semikolon)"),
    ExportFormat.XLSX: _l("Excel-Arbeitsmappe (XLSX, höchstens 1.048.575 Zeilen je Tabelle)"),
    ExportFormat.JSONL: _l("JSON Lines (eine Zeile je Datensatz)"),
}


def _choices(mapping) -> list[SelectChoice]:
    return [SelectChoice(getattr(k, "value", k), str(v)) for k, v in mapping.items()]


class ExportForm(DialogForm):
    fmt = RadioField(
        _l("Dateiformat"),
        choices=_choices(FORMAT_LABELS),
        default=ExportFormat.PARQUET.value,
        validators=[InputRequired(_l("Bitte wählen Sie ein Dateiformat."))],
    )
    process_id = SelectField(_l("Prozess"), validators=[Optional()])
    theme_fields = MultiCheckboxField(_l("Themenfelder"), coerce=int, validators=[Optional()])
    statuses = MultiCheckboxField(
        _l("Status"), choices=_choices(labels.STATUS), validators=[Optional()]
    )
    channels = MultiCheckboxField(
        _l("Eingangswege"), choices=_choices(labels.CHANNEL), validators=[Optional()]
    )
    perspectives = MultiCheckboxField(
        _l("Perspektiven"), choices=_choices(labels.PERSPECTIVE), validators=[Optional()]
    )
    bundeslaender = MultiCheckboxField(
        _l("Bundesländer"), choices=_choices(BUNDESLAND_LABELS), validators=[Optional()]
    )
    events = MultiCheckboxField(
        _l("Gesammelt bei Veranstaltung"),
        coerce=int,
        validators=[Optional()],
        description=_l("Nur Offline-Beiträge, die bei diesen Veranstaltungen gesammelt wurden."),
    )
    received_from = DateField(
        _l("Eingegangen ab dem"),
        format=DATE_FORMATS,
        validators=[Optional()],
        description=_l("Zum Beispiel 2025-03-01 oder 01.03.2025."),
    )
    received_to = DateField(
        _l("Eingegangen bis einschließlich"),
        format=DATE_FORMATS,
        validators=[Optional()],
        description=_l("Zum Beispiel 2025-06-30 oder 30.06.2025."),
    )

    def __init__(self, *args, processes, events, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.process_id.choices = [SelectChoice("", _l("alle Prozesse"))] + [
            SelectChoice(str(p.id), p.title) for p in processes
        ]
        self.theme_fields.choices = [
            SelectChoice(t.id, f"{t.title} ({p.title})" if len(processes) > 1 else t.title)
            for p in processes
            for t in p.theme_fields
        ]
        self.events.choices = [
            SelectChoice(e.id, f"{e.title}, {e.city} ({format_date(e.starts_at, 'medium')})")
            for e in events
        ]

    def validate_received_to(self, field) -> None:
        start = self.received_from.data
        if field.data and start and field.data < start:
            raise ValidationError(_l("Das Ende darf nicht vor dem Beginn liegen."))

    def filters(self) -> ExportFilters:
        """The filters of a validated form."""
        return ExportFilters(
            process_id=int(self.process_id.data) if self.process_id.data else None,
            theme_field_ids=tuple(self.theme_fields.data or ()),
            statuses=tuple(AnswerStatus(s) for s in self.statuses.data or ()),
            channels=tuple(Channel(c) for c in self.channels.data or ()),
            perspectives=tuple(Perspective(p) for p in self.perspectives.data or ()),
            bundeslaender=tuple(Bundesland(b) for b in self.bundeslaender.data or ()),
            event_ids=tuple(self.events.data or ()),
            received_from=self.received_from.data,
            received_to=self.received_to.data,
        )

    @property
    def format(self) -> ExportFormat:
        return ExportFormat(self.fmt.data)
