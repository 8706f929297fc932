"""Forms of recommendations: filters, create/edit, status, evidence, rating, the lists, and
event documentation entries."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from dialog.coding.forms import ListSelectField, code_choices
from dialog.common.forms import DialogForm, MultiCheckboxField
from dialog.recommendations import labels, rules
from dialog.recommendations.public import PublicFilters
from dialog.recommendations.rules import OptionList, RecommendationStatus
from dialog.reports.labels import file_size

ALL = _l("alle")
NONE = _l("keine Angabe")
MAX_ID = 2_147_483_647


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 10 else None


class ThemeCheckboxes(MultiCheckboxField):
    def pre_validate(self, form) -> None:
        allowed = {str(value) for value, *_rest in self.iter_choices()}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(
                _("Ein gewähltes Themenfeld gehört nicht zu diesem Prozess. Bitte wählen Sie neu.")
            )


class IdField(IntegerField):
    """A number typed by a person (e.g. a contribution's number): a German message when it is
    no number, never WTForms' generic one."""

    def process_formdata(self, valuelist) -> None:
        self.data = None
        self.raw = valuelist[0].strip() if valuelist else ""
        if self.raw:
            if not self.raw.isdigit() or len(self.raw) > 10 or int(self.raw) > MAX_ID:
                raise ValueError(_("Bitte geben Sie eine Nummer ein, z. B. 1234."))
            self.data = int(self.raw)


class CountField(IntegerField):
    """An optional count ≥ 0, with a German message for anything else."""

    def process_formdata(self, valuelist) -> None:
        self.data = None
        raw = valuelist[0].strip() if valuelist else ""
        if raw:
            if not raw.isdigit() or len(raw) > 9:
                raise ValueError(_("Bitte geben Sie eine ganze Zahl ab 0 ein."))
            self.data = int(raw)


class RecommendationFilterForm(DialogForm):
    class Meta:
        csrf = False

    thema = ListSelectField(_l("Themenfeld"), validators=[Optional()])
    status = ListSelectField(
        _l("Status"),
        choices=[SelectChoice("", ALL)]
        + [SelectChoice(s.value, label) for s, label in labels.STATUS.items()],
        validators=[Optional()],
    )

    def __init__(self, *args, process, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.thema.choices = [SelectChoice("", ALL)] + [
            SelectChoice(str(t.id), t.title) for t in process.theme_fields
        ]

    def theme_field_id(self) -> int | None:
        return None if self.thema.errors else _int_or_none(self.thema.data)

    def status_value(self) -> RecommendationStatus | None:
        if self.status.errors or not self.status.data:
            return None
        return RecommendationStatus(self.status.data)

    def query_args(self) -> dict[str, str]:
        args = {}
        if self.theme_field_id() is not None:
            args["thema"] = self.thema.data
        if self.status_value() is not None:
            args["status"] = self.status.data
        return args


# The statuses the public sees, in workflow order.
PUBLISHED_IN_ORDER = [s for s in RecommendationStatus if s in rules.PUBLISHED]


class PublicResultsFilterForm(DialogForm):
    """Filters of the public results, read from the query string (no CSRF for GET). An
    unknown value gets a German message at its field and counts as "alle"."""

    class Meta:
        csrf = False

    thema = ListSelectField(_l("Themenfeld"), validators=[Optional()])
    adressat = ListSelectField(_l("Adressat"), validators=[Optional()])
    status = ListSelectField(
        _l("Stand"),
        choices=[SelectChoice("", ALL)]
        + [SelectChoice(s.value, labels.STATUS[s]) for s in PUBLISHED_IN_ORDER],
        validators=[Optional()],
    )

    def __init__(self, *args, process, addressees: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.process = process
        self.thema.choices = [SelectChoice("", ALL)] + [
            SelectChoice(t.slug, t.title) for t in process.theme_fields
        ]
        self.adressat.choices = [SelectChoice("", ALL)] + [SelectChoice(a, a) for a in addressees]

    def filters(self):
        """The valid filters; validates the form (so that unknown values get their message)."""
        self.validate()
        themes = {t.slug: t for t in self.process.theme_fields}
        theme = None if self.thema.errors else themes.get(self.thema.data or "")
        addressee = None if self.adressat.errors else (self.adressat.data or None)
        status = None
        if not self.status.errors and self.status.data:
            status = RecommendationStatus(self.status.data)
        return PublicFilters(
            theme_field_id=theme.id if theme else None, addressee=addressee, status=status
        )

    def query_args(self) -> dict[str, str]:
        """The filters in effect, as query arguments for the downloads."""
        return {
            name: self[name].data
            for name in ("thema", "adressat", "status")
            if self[name].data and not self[name].errors
        }


class RecommendationForm(DialogForm):
    title = StringField(
        _l("Titel"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Titel ein.")),
            Length(max=200, message=_l("Höchstens 200 Zeichen.")),
        ],
    )
    text = TextAreaField(
        _l("Text"),
        validators=[
            DataRequired(_l("Bitte beschreiben Sie die Empfehlung.")),
            Length(max=20000, message=_l("Höchstens 20000 Zeichen.")),
        ],
        description=_l("Markdown oder einfaches HTML; Überschriften, Listen und Links möglich."),
    )
    theme_fields = ThemeCheckboxes(
        _l("Themenfelder"),
        validators=[InputRequired(_l("Bitte wählen Sie mindestens ein Themenfeld."))],
    )
    addressee = ListSelectField(_l("Adressat"), validators=[Optional()])
    measure = ListSelectField(_l("Art der Maßnahme"), validators=[Optional()])
    parent = ListSelectField(
        _l("Gehört zum Cluster"),
        validators=[Optional()],
        description=_l("Optional: die übergeordnete Empfehlung, zu der diese gehört."),
    )
    responsible = ListSelectField(_l("Verantwortlich"), validators=[Optional()])
    version = HiddenField()

    def __init__(
        self,
        *args,
        process,
        addressees: list[str],
        measures: list[str],
        others: list,
        analysts: list,
        editing=None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        current = editing
        self.theme_fields.choices = [SelectChoice(str(t.id), t.title) for t in process.theme_fields]
        self.addressee.choices = [SelectChoice("", NONE)] + [
            SelectChoice(a, a)
            for a in rules.option_choices(addressees, current.addressee if current else "")
        ]
        self.measure.choices = [SelectChoice("", NONE)] + [
            SelectChoice(m, m)
            for m in rules.option_choices(measures, current.measure if current else "")
        ]
        self.parent.choices = [SelectChoice("", _l("keiner"))] + [
            SelectChoice(str(r.id), _("%(title)s (Nr. %(id)s)", title=r.title, id=r.id))
            for r in others
            if current is None or r.id != current.id
        ]
        self.responsible.choices = [SelectChoice("", _l("noch niemand"))] + [
            SelectChoice(str(u.id), u.display_name) for u in analysts
        ]

    def theme_field_ids(self) -> list[int]:
        return [int(v) for v in self.theme_fields.data or [] if v.isdigit()]

    def parent_id(self) -> int | None:
        return _int_or_none(self.parent.data)

    def responsible_id(self) -> int | None:
        return _int_or_none(self.responsible.data)

    def version_number(self) -> int | None:
        return _int_or_none(self.version.data)


class StatusForm(DialogForm):
    status = ListSelectField(_l("Neuer Status"))
    reason = TextAreaField(
        _l("Begründung (intern)"),
        validators=[Length(max=5000, message=_l("Höchstens 5000 Zeichen."))],
        description=_l("Pflicht beim Zurückstellen."),
    )
    public_note = TextAreaField(
        _l("Öffentlicher Hinweis"),
        validators=[Length(max=5000, message=_l("Höchstens 5000 Zeichen."))],
        description=_l(
            "Pflicht nach der Veröffentlichung (geplant, in Umsetzung, umgesetzt, nicht "
            "weiterverfolgt); erscheint mit Datum bei den Ergebnissen."
        ),
    )
    progress = CountField(
        _l("Fortschritt in Prozent (optional)"),
        validators=[Optional()],
        description=_l("0 bis 100, nur nach der Veröffentlichung."),
    )
    link = StringField(
        _l("Link (optional)"),
        validators=[Length(max=500, message=_l("Höchstens 500 Zeichen."))],
        description=_l("Zum Beispiel zu einem Gesetzentwurf; beginnt mit https://."),
    )

    def __init__(self, *args, current: RecommendationStatus, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Every status is a choice, so that a step the workflow does not allow gets its own
        # message (from the rule) rather than "not in the list".
        self.allowed = rules.allowed_targets(current)
        self.status.choices = [
            SelectChoice(s.value, labels.STATUS[s]) for s in RecommendationStatus
        ]

    def offer_allowed(self) -> StatusForm:
        """Offer only the steps the workflow allows (for showing the form)."""
        self.status.choices = [SelectChoice(s.value, labels.STATUS[s]) for s in self.allowed]
        return self

    def validate_link(self, field) -> None:
        value = (field.data or "").strip()
        if value and not value.startswith(("https://", "http://")):
            raise ValidationError(
                _("Bitte geben Sie eine Webadresse an, die mit https:// beginnt.")
            )

    def target(self) -> RecommendationStatus:
        return RecommendationStatus(self.status.data)


class AnswerEvidenceForm(DialogForm):
    answer_id = IdField(
        _l("Nummer des Beitrags"),
        validators=[InputRequired(_l("Bitte geben Sie die Nummer eines Beitrags ein."))],
        description=_l("Die Nummer steht auf der Codierseite des Beitrags."),
    )


class CodeEvidenceForm(DialogForm):
    code = ListSelectField(
        _l("Code"),
        description=_l(
            "Belegt durch jeden Beitrag mit diesem Code, auch durch später codierte und nach "
            "einer Zusammenführung."
        ),
    )

    def __init__(self, *args, codes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.code.choices = code_choices(codes, _l("Bitte wählen"), active_only=False)

    def validate_code(self, field) -> None:
        if not field.data:
            raise ValidationError(_("Bitte wählen Sie einen Code."))


class DocumentationEvidenceForm(DialogForm):
    entry = ListSelectField(_l("Eintrag der Veranstaltungsdokumentation"))

    def __init__(self, *args, entries, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.entry.choices = [SelectChoice("", _l("Bitte wählen"))] + [
            SelectChoice(str(e.id), _entry_label(e)) for e in entries
        ]

    def validate_entry(self, field) -> None:
        if not field.data:
            raise ValidationError(_("Bitte wählen Sie einen Eintrag."))


def _entry_label(entry) -> str:
    text = entry.text if len(entry.text) <= 70 else entry.text[:69].rstrip() + "…"
    where = f"{entry.event.title}" + (f", {entry.session_label}" if entry.session_label else "")
    return f"{where}: {text}"


class MergeEvidenceForm(DialogForm):
    source = ListSelectField(
        _l("Empfehlung, die hierin aufgeht"),
        description=_l("Ihre Belege zählen dann auch für diese Empfehlung, jeder Beitrag einmal."),
    )

    def __init__(self, *args, others, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.source.choices = [SelectChoice("", _l("Bitte wählen"))] + [
            SelectChoice(str(r.id), _("%(title)s (Nr. %(id)s)", title=r.title, id=r.id))
            for r in others
        ]

    def validate_source(self, field) -> None:
        if not field.data:
            raise ValidationError(_("Bitte wählen Sie eine Empfehlung."))


def score_field(label):
    return RadioField(
        label,
        choices=[
            SelectChoice(str(v), str(v)) for v in range(rules.RATING_MIN, rules.RATING_MAX + 1)
        ],
        validate_choice=False,
    )


class RatingForm(DialogForm):
    effectiveness = score_field(_l("Wirksamkeit (1 = gering, 5 = sehr hoch)"))
    feasibility = score_field(_l("Machbarkeit (1 = kaum machbar, 5 = leicht machbar)"))
    reason = TextAreaField(
        _l("Kurze Begründung"),
        validators=[Length(max=1000, message=_l("Höchstens 1000 Zeichen."))],
    )

    def _score(self, field) -> None:
        value = field.data or ""
        if not (value.isdigit() and rules.valid_score(int(value))):
            raise ValidationError(str(labels.RATING_PROBLEM[rules.RatingProblem.SCALE]))

    validate_effectiveness = _score
    validate_feasibility = _score

    def score(self, name: str) -> int:
        return int(self[name].data)


class OptionsForm(DialogForm):
    addressees = TextAreaField(
        _l("Adressaten"),
        description=_l("Ein Eintrag je Zeile. Leer: die Standardliste."),
    )
    measures = TextAreaField(
        _l("Arten der Maßnahme"),
        description=_l("Ein Eintrag je Zeile. Leer: die Standardliste."),
    )

    def entries(self, kind: OptionList) -> list[str]:
        field = self.addressees if kind == OptionList.ADDRESSEE else self.measures
        return rules.parse_options(field.data or "")

    def validate_addressees(self, field) -> None:
        self._check(OptionList.ADDRESSEE)

    def validate_measures(self, field) -> None:
        self._check(OptionList.MEASURE)

    def _check(self, kind: OptionList) -> None:
        problem = rules.options_problem(self.entries(kind))
        if problem is not None:
            raise ValidationError(str(labels.OPTIONS_PROBLEM[problem]))


class DocumentationEntryForm(DialogForm):
    session_label = StringField(
        _l("Dialoginsel oder Runde (optional)"),
        validators=[Length(max=120, message=_l("Höchstens 120 Zeichen."))],
        description=_l("Zum Beispiel „Dialoginsel 2: Ausbildung“."),
    )
    text = TextAreaField(
        _l("Eingebrachter Punkt"),
        validators=[
            DataRequired(_l("Bitte geben Sie den Punkt in kurzen Worten wieder.")),
            Length(max=1000, message=_l("Höchstens 1000 Zeichen.")),
        ],
    )
    theme_field = ListSelectField(_l("Themenfeld"), validators=[Optional()])
    agreement_count = CountField(
        _l("Zustimmung (optional)"),
        validators=[Optional()],
        description=_l("Wie viele Menschen zugestimmt haben, z. B. Klebepunkte an der Pinnwand."),
    )
    upload = FileField(_l("Datei (optional)"))
    remove_file = BooleanField(_l("Gespeicherte Datei entfernen"))

    def __init__(self, *args, event, max_bytes: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.theme_field.choices = [SelectChoice("", NONE)] + [
            SelectChoice(str(t.id), t.title) for t in event.process.theme_fields
        ]
        self.max_bytes = max_bytes
        self.upload.description = _(
            "Foto der Pinnwand oder Protokoll: PDF, PNG oder JPEG, höchstens %(size)s.",
            size=file_size(max_bytes),
        )

    def theme_field_id(self) -> int | None:
        return _int_or_none(self.theme_field.data)

    def file(self):
        storage = self.upload.data
        return storage if storage is not None and getattr(storage, "filename", "") else None


class FinalConferenceForm(DialogForm):
    """Mark an event as the Abschlusskonferenz and choose the recommendations presented there.

    Any id may be sent: the service refuses unknown ones and those of another process with a
    German message (the choices only offer the process's own)."""

    is_final = BooleanField(_l("Diese Veranstaltung ist die Abschlusskonferenz des Prozesses"))
    recommendations = MultiCheckboxField(
        _l("Dort vorgestellte Handlungsempfehlungen"),
        coerce=int,
        validators=[Optional()],
        validate_choice=False,
        description=_l(
            "Auf der öffentlichen Seite der Veranstaltung erscheinen nur veröffentlichte "
            "Empfehlungen (ab „in den Ergebnisbericht aufgenommen“)."
        ),
    )

    def __init__(self, *args, recommendations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.recommendations.choices = [
            (r.id, f"{r.title} ({labels.STATUS[r.status]})") for r in recommendations
        ]
