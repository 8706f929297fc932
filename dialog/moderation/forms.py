"""Filters of the moderation queue."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from dialog.answers import labels
from dialog.answers.rules import AnswerStatus, Channel
from dialog.answers.services import QueueFilters
from dialog.common.forms import DialogForm
from dialog.quality import labels as quality_labels
from dialog.quality.rules import HintFilter


class QueueFilterForm(DialogForm):
    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("alle", _l("alle"))]
        + [SelectChoice(s.value, label) for s, label in labels.STATUS.items()],
        default=AnswerStatus.PENDING.value,
        validators=[Optional()],
    )
    thema = SelectField(_l("Themenfeld"), validators=[Optional()])
    kanal = SelectField(
        _l("Eingangsweg"),
        choices=[SelectChoice("", _l("alle"))]
        + [SelectChoice(c.value, label) for c, label in labels.CHANNEL.items()],
        validators=[Optional()],
    )
    gemeldet = BooleanField(_l("Nur gemeldete Beiträge"))
    hinweise = SelectField(
        _l("Hinweise"),
        choices=[SelectChoice("", _l("alle"))]
        + [SelectChoice(h.value, label) for h, label in quality_labels.HINT_FILTER.items()],
        validators=[Optional()],
        description=_l("Automatische Hinweise auf leere Beiträge, Spam und Beleidigungen."),
    )

    def __init__(self, formdata, themes, **kwargs) -> None:
        super().__init__(formdata, **kwargs)
        self.themes = themes
        self.thema.choices = [SelectChoice("", _l("alle"))] + [
            SelectChoice(str(t.id), t.title) for t in themes
        ]

    def filters(self) -> QueueFilters:
        self.validate()
        status = self.status.data or AnswerStatus.PENDING.value
        theme_ids = {str(t.id): t.id for t in self.themes}
        return QueueFilters(
            status=None if status == "alle" else _enum(AnswerStatus, status),
            theme_field_id=theme_ids.get(self.thema.data or ""),
            channel=_enum(Channel, self.kanal.data),
            reported=bool(self.gemeldet.data),
            hints=_enum(HintFilter, self.hinweise.data),
        )

    def query_args(self) -> dict[str, str]:
        args = {n: self[n].data for n in ("status", "thema", "kanal", "hinweise") if self[n].data}
        if self.gemeldet.data:
            args["gemeldet"] = "y"
        return args


def _enum(enum_cls, value):
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None
