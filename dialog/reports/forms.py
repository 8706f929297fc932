"""Forms of the reports area: request a draft, publish a file, move or remove one."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from dialog.common.forms import DialogForm
from dialog.reports.labels import file_size, file_type_list
from dialog.reports.rules import FileType, UploadProblem, check_upload


class DraftRequestForm(DialogForm):
    process_id = SelectField(_l("Prozess"), coerce=int)

    def __init__(self, *args, processes: Sequence = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.process_id.choices = [(p.id, p.title) for p in processes]

    def validate_process_id(self, field) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_("Bitte wählen Sie einen Prozess."))


class FilePublishForm(DialogForm):
    """Title, short description and the file; the file is checked by its content and size."""

    title = StringField(
        _l("Titel"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Titel ein.")),
            Length(max=200, message=_l("Bitte höchstens %(max)d Zeichen.")),
        ],
    )
    description = TextAreaField(
        _l("Kurzbeschreibung (optional)"),
        validators=[Length(max=500, message=_l("Bitte höchstens %(max)d Zeichen."))],
        description=_l("Ein bis zwei Sätze, was die Datei enthält; höchstens 500 Zeichen."),
    )
    upload = FileField(_l("Datei"))

    def __init__(self, *args, allowed: Sequence[FileType], max_bytes: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = tuple(allowed)
        self.max_bytes = max_bytes
        self.upload.description = _(
            "Erlaubt: %(types)s; höchstens %(size)s. Der Dateityp wird am Inhalt erkannt, "
            "nicht an der Endung.",
            types=file_type_list(self.allowed),
            size=file_size(max_bytes),
        )
        self.checked: tuple[FileType, bytes] | None = None

    def validate_upload(self, field) -> None:
        storage = field.data
        if storage is None or not getattr(storage, "filename", ""):
            raise ValidationError(_("Bitte wählen Sie eine Datei aus."))
        data = storage.stream.read(self.max_bytes + 1)
        kind, problem = check_upload(data, self.max_bytes, self.allowed)
        if problem == UploadProblem.EMPTY:
            raise ValidationError(_("Die Datei ist leer."))
        if problem == UploadProblem.TOO_LARGE:
            raise ValidationError(
                _(
                    "Die Datei ist zu groß. Erlaubt sind höchstens %(size)s.",
                    size=file_size(self.max_bytes),
                )
            )
        if problem == UploadProblem.WRONG_TYPE:
            raise ValidationError(
                _(
                    "Dieser Dateityp ist hier nicht erlaubt oder die Datei ist beschädigt. "
                    "Erlaubt: %(types)s.",
                    types=file_type_list(self.allowed),
                )
            )
        self.checked = (kind, data)


class ActionForm(DialogForm):
    """A button that changes something: only the CSRF token."""


class ThemeAdoptForm(DialogForm):
    """Take a suggested theme of a draft over as a code; one per theme, told apart by prefix."""

    label = StringField(
        _l("Bezeichnung des Codes"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine Bezeichnung ein.")),
            Length(max=120, message=_l("Höchstens 120 Zeichen.")),
        ],
        description=_l("Vorgeschlagen aus den ersten Begriffen des Themas; ändern Sie sie gern."),
    )
    description = TextAreaField(
        _l("Beschreibung (optional)"),
        validators=[Length(max=5000, message=_l("Höchstens 5000 Zeichen."))],
        description=_l("Wann der Code passt und wann nicht."),
    )


def adopt_prefix(theme_field_id: int, number: int) -> str:
    """The prefix of a theme's take-over form: its field names and ids stay unique."""
    return f"thema-{theme_field_id}-{number}"
