"""Forms of the analysts' workspace: filters, codebook, coding, bulk assignment, samples."""

from __future__ import annotations

import decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from dialog.answers import labels as answer_labels
from dialog.answers.rules import AnswerStatus, Channel, Perspective
from dialog.coding import labels, rules
from dialog.coding.models import Code
from dialog.coding.rules import SuggestionStatus
from dialog.coding.services import CodingFilters
from dialog.coding.suggestions import SuggestionFilters
from dialog.common.forms import DialogForm, MultiCheckboxField, choices_with_none
from dialog.common.regions import Bundesland
from dialog.quality import labels as quality_labels
from dialog.quality.rules import DECISIONS, CampaignStatus, SplitAction

ALL = _l("alle")
NOT_IN_LIST = _l("Diese Auswahl gibt es nicht. Bitte wählen Sie einen Eintrag aus der Liste.")


class ListSelectField(SelectField):
    """A select whose unknown values get a German message (not WTForms' generic one)."""

    def pre_validate(self, form) -> None:
        if self.data not in {str(c[0]) for c in self.iter_choices()}:
            raise ValidationError(str(NOT_IN_LIST))


class CodeCheckboxes(MultiCheckboxField):
    def pre_validate(self, form) -> None:
        allowed = {str(value) for value, *_rest in self.iter_choices()}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(
                _("Ein gewählter Code ist nicht (mehr) verfügbar. Bitte laden Sie die Seite neu.")
            )


def code_label(code: Code, by_id: dict[int, Code]) -> str:
    parent = by_id.get(code.parent_id) if code.parent_id else None
    return f"{parent.label} › {code.label}" if parent else code.label


def code_choices(codes: list[Code], none_label, *, active_only: bool) -> list[SelectChoice]:
    by_id = {c.id: c for c in codes}
    usable = [c for c in codes if c.merged_into_id is None and (c.active or not active_only)]
    usable.sort(key=lambda c: code_label(c, by_id).casefold())
    choices = [SelectChoice("", none_label)] if none_label is not None else []
    return choices + [SelectChoice(str(c.id), code_label(c, by_id)) for c in usable]


def _enum(enum_cls, value):
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() and len(str(value)) <= 10 else None


class FilterFields(DialogForm):
    """The selection of answers: used by the coding list, bulk assignment and samples."""

    FILTER_NAMES = (
        "thema", "frage", "status", "perspektive", "bundesland", "kanal", "veranstaltung", "code",
    )  # fmt: skip
    FLAG_NAMES = ("uncodiert", "kampagne")

    thema = ListSelectField(_l("Themenfeld"), validators=[Optional()])
    frage = ListSelectField(_l("Leitfrage"), validators=[Optional()])
    status = ListSelectField(
        _l("Moderationsstatus"),
        choices=choices_with_none(answer_labels.STATUS, ALL),
        validators=[Optional()],
    )
    perspektive = ListSelectField(
        _l("Perspektive"),
        choices=choices_with_none(answer_labels.PERSPECTIVE, ALL),
        validators=[Optional()],
    )
    bundesland = ListSelectField(
        _l("Bundesland"),
        choices=choices_with_none({b: b.label for b in Bundesland}, ALL),
        validators=[Optional()],
    )
    kanal = ListSelectField(
        _l("Eingangsweg"),
        choices=choices_with_none(answer_labels.CHANNEL, ALL),
        validators=[Optional()],
    )
    veranstaltung = ListSelectField(_l("Veranstaltung"), validators=[Optional()])
    code = ListSelectField(_l("Code"), validators=[Optional()])
    uncodiert = BooleanField(_l("Nur noch nicht codierte Beiträge"))
    kampagne = BooleanField(
        _l("Nur mögliche Kampagnen (Gruppen gleicher oder fast gleicher Texte)"),
        description=_l("Vorgeschlagene und bestätigte Gruppen; siehe „Kampagnen“."),
    )

    def __init__(self, *args, process, events, codes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        themes = list(process.theme_fields)
        self.thema.choices = [SelectChoice("", ALL)] + [
            SelectChoice(str(t.id), t.title) for t in themes
        ]
        self.frage.choices = [SelectChoice("", ALL)] + [
            SelectChoice(str(q.id), f"{t.title}: {_short(q.text)}")
            for t in themes
            for q in t.questions
        ]
        self.veranstaltung.choices = [SelectChoice("", ALL)] + [
            SelectChoice(str(e.id), f"{e.title}, {e.city}") for e in events
        ]
        self.code.choices = code_choices(codes, ALL, active_only=False)

    def valid_data(self, name: str) -> str:
        """A filter's value, or "" when it was not valid (its error is shown at the field)."""
        f = self[name]
        return "" if f.errors else (f.data or "")

    def filters(self) -> CodingFilters:
        return CodingFilters(
            theme_field_id=_int(self.valid_data("thema")),
            question_id=_int(self.valid_data("frage")),
            status=_enum(AnswerStatus, self.valid_data("status")),
            perspective=_enum(Perspective, self.valid_data("perspektive")),
            bundesland=_enum(Bundesland, self.valid_data("bundesland")),
            channel=_enum(Channel, self.valid_data("kanal")),
            event_id=_int(self.valid_data("veranstaltung")),
            code_id=_int(self.valid_data("code")),
            uncoded=bool(self.uncodiert.data),
            campaign=bool(self.kampagne.data),
        )

    def query_args(self) -> dict[str, str]:
        """The valid filters as query-string arguments, to keep them in links."""
        args = {n: v for n in self.FILTER_NAMES if (v := self.valid_data(n))}
        args.update({n: "y" for n in self.FLAG_NAMES if self[n].data})
        return args


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


class CodingFilterForm(FilterFields):
    class Meta:
        csrf = False


class CodeForm(DialogForm):
    label = StringField(
        _l("Bezeichnung"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine Bezeichnung ein.")),
            Length(max=120, message=_l("Höchstens 120 Zeichen.")),
        ],
    )
    description = TextAreaField(
        _l("Beschreibung"),
        validators=[Length(max=5000, message=_l("Höchstens 5000 Zeichen."))],
        description=_l("Wann der Code passt und wann nicht."),
    )
    parent = ListSelectField(
        _l("Obercode"),
        validators=[Optional()],
        description=_l("Leer lassen für einen Code der obersten Ebene."),
    )
    theme_field = ListSelectField(_l("Themenfeld (optional)"), validators=[Optional()])

    def __init__(self, *args, process, codes, editing: Code | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        top = [
            c
            for c in codes
            if c.parent_id is None and c.active and (editing is None or c.id != editing.id)
        ]
        self.parent.choices = [SelectChoice("", _l("keiner (oberste Ebene)"))] + [
            SelectChoice(str(c.id), c.label) for c in top
        ]
        self.theme_field.choices = [SelectChoice("", _l("alle Themenfelder"))] + [
            SelectChoice(str(t.id), t.title) for t in process.theme_fields
        ]

    @property
    def parent_id(self) -> int | None:
        return _int(self.parent.data)

    @property
    def theme_field_id(self) -> int | None:
        return _int(self.theme_field.data)


class MergeForm(DialogForm):
    target = ListSelectField(
        _l("Zusammenführen mit"),
        validators=[DataRequired(_l("Bitte wählen Sie den Code, der bleiben soll."))],
        description=_l(
            "Alle Zuordnungen gehen auf diesen Code über; der ursprüngliche Code bleibt in "
            "jeder Zuordnung vermerkt."
        ),
    )

    def __init__(self, *args, codes, source: Code, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.target.choices = [
            c
            for c in code_choices(codes, _l("bitte wählen"), active_only=True)
            if c.value != str(source.id)
        ]


class PercentField(DecimalField):
    """A share in percent; a German decimal comma is fine."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, places=None, **kwargs)

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = decimal.Decimal(valuelist[0].strip().replace(",", "."))
        except decimal.InvalidOperation:
            self.data = None
            raise ValueError(_("Bitte geben Sie eine Zahl ein, z. B. 10 oder 2,5.")) from None
        if not self.data.is_finite():
            self.data = None
            raise ValueError(_("Bitte geben Sie eine Zahl ein, z. B. 10 oder 2,5."))


class ConfirmForm(DialogForm):
    """A button that changes something: CSRF only."""


def rating_field(label):
    return RadioField(
        label,
        choices=[SelectChoice("", labels.NOT_RATED)]
        + [SelectChoice(str(v), text) for v, text in labels.RATING.items()],
        default="",
        validate_choice=False,
    )


def _rating_validator(form, field) -> None:
    try:
        rules.parse_rating(field.data)
    except ValueError:
        raise ValidationError(str(labels.RATING_ERROR)) from None


class CodingForm(DialogForm):
    codes = CodeCheckboxes(_l("Codes"))
    note = TextAreaField(
        _l("Notiz"),
        validators=[Length(max=5000, message=_l("Höchstens 5000 Zeichen."))],
        description=_l("Für alle Analysierenden sichtbar."),
    )
    is_proposal = BooleanField(_l("Der Beitrag enthält einen Lösungsvorschlag"))
    effectiveness = rating_field(_l("Wirksamkeit"))
    feasibility = rating_field(_l("Machbarkeit"))

    def __init__(self, *args, offered: list[Code], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.codes.choices = [SelectChoice(str(c.id), c.label) for c in offered]

    validate_effectiveness = staticmethod(_rating_validator)
    validate_feasibility = staticmethod(_rating_validator)

    def code_ids(self) -> frozenset[int]:
        return frozenset(int(v) for v in self.codes.data or [] if v.isdigit())

    def rating(self, name: str) -> int | None:
        return rules.parse_rating(self[name].data)


class BulkChooseForm(DialogForm):
    """Step 1 of a bulk assignment, on the list page (GET: nothing changes yet)."""

    class Meta:
        csrf = False

    sammelcode = ListSelectField(
        _l("Code für alle Beiträge dieser Auswahl"),
        validators=[DataRequired(_l("Bitte wählen Sie einen Code."))],
    )

    def __init__(self, *args, codes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sammelcode.choices = code_choices(codes, _l("bitte wählen"), active_only=True)


class BulkConfirmForm(DialogForm):
    sammelcode = HiddenField()


class SampleForm(FilterFields):
    name = StringField(
        _l("Name der Stichprobe"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Namen ein.")),
            Length(max=120, message=_l("Höchstens 120 Zeichen.")),
        ],
    )
    percent = PercentField(
        _l("Anteil in Prozent"),
        default=10,
        validators=[InputRequired(_l("Bitte geben Sie einen Anteil zwischen 0 und 100 ein."))],
        description=_l("Zum Beispiel 10 für 10 Prozent der Auswahl (mindestens ein Beitrag)."),
    )
    coder_a = ListSelectField(
        _l("Erste codierende Person"),
        validators=[DataRequired(_l("Bitte wählen Sie eine Person."))],
    )
    coder_b = ListSelectField(
        _l("Zweite codierende Person"),
        validators=[DataRequired(_l("Bitte wählen Sie eine Person."))],
    )

    def __init__(self, *args, coders, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [SelectChoice("", _l("bitte wählen"))] + [
            SelectChoice(str(u.id), u.display_name) for u in coders
        ]
        self.coder_a.choices = choices
        self.coder_b.choices = list(choices)

    def validate_percent(self, field) -> None:
        if field.data is not None and not 0 < field.data <= 100:
            raise ValidationError(_("Bitte geben Sie einen Anteil zwischen 0 und 100 ein."))

    def validate_coder_b(self, field) -> None:
        if field.data and field.data == self.coder_a.data:
            raise ValidationError(_("Bitte wählen Sie zwei verschiedene Personen."))


# --- Campaign groups ----------------------------------------------------------------------

NOTE_FIELD_LENGTH = 1000


class CampaignDecideForm(DialogForm):
    """An analyst's decision about a group of near-copies."""

    status = RadioField(
        _l("Entscheidung"),
        choices=[SelectChoice(s.value, quality_labels.DECISION[s]) for s in DECISIONS],
        validators=[InputRequired(_l("Bitte wählen Sie eine Entscheidung."))],
    )
    note = TextAreaField(
        _l("Notiz (optional)"),
        validators=[Length(max=NOTE_FIELD_LENGTH, message=_l("Höchstens 1000 Zeichen."))],
        description=_l("Zum Beispiel, woran Sie die Kampagne erkannt haben."),
    )

    @property
    def decision(self) -> CampaignStatus:
        return CampaignStatus(self.status.data)


class CampaignSplitForm(DialogForm):
    """Split chosen answers off a group (the checkboxes stand in the list of its answers)."""

    answer_ids = MultiCheckboxField(_l("Beiträge"), coerce=int, validate_choice=False)
    aktion = RadioField(
        _l("Die ausgewählten Beiträge"),
        choices=[SelectChoice(a.value, label) for a, label in quality_labels.SPLIT_ACTION.items()],
        validators=[InputRequired(_l("Bitte wählen Sie, was mit den Beiträgen geschieht."))],
    )
    split_note = TextAreaField(
        _l("Notiz (optional)"),
        validators=[Length(max=NOTE_FIELD_LENGTH, message=_l("Höchstens 1000 Zeichen."))],
    )

    @property
    def action(self) -> SplitAction:
        return SplitAction(self.aktion.data)

    def chosen(self) -> set[int]:
        return set(self.answer_ids.data or [])


# --- Code suggestions ---------------------------------------------------------------------

SUGGESTION_STATUS_ARGS = {"offen": "open", "angenommen": "accepted", "abgelehnt": "rejected"}
ALL_STATUSES = "alle"


class SuggestionFilterForm(DialogForm):
    """The selection of the list of code suggestions (GET)."""

    class Meta:
        csrf = False

    FILTER_NAMES = ("code", "thema", "stand")

    code = ListSelectField(_l("Code"), validators=[Optional()])
    thema = ListSelectField(_l("Themenfeld"), validators=[Optional()])
    stand = ListSelectField(
        _l("Stand"),
        choices=[
            SelectChoice(arg, labels.SUGGESTION_STATUS[SuggestionStatus(value)])
            for arg, value in SUGGESTION_STATUS_ARGS.items()
        ]
        + [SelectChoice(ALL_STATUSES, ALL)],
        default="offen",
        validators=[Optional()],
    )

    def __init__(self, *args, process, codes: list[Code], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Every suggested code, merged ones too: their suggestions stay to be decided.
        self.code.choices = [SelectChoice("", ALL)] + [
            SelectChoice(str(c.id), c.label)
            for c in sorted(codes, key=lambda c: c.label.casefold())
        ]
        self.thema.choices = [SelectChoice("", ALL)] + [
            SelectChoice(str(t.id), t.title) for t in process.theme_fields
        ]

    def valid_data(self, name: str) -> str:
        f = self[name]
        return "" if f.errors else (f.data or "")

    def filters(self) -> SuggestionFilters:
        status = SUGGESTION_STATUS_ARGS.get(self.valid_data("stand") or "offen")
        return SuggestionFilters(
            code_id=_int(self.valid_data("code")),
            theme_field_id=_int(self.valid_data("thema")),
            status=SuggestionStatus(status) if status else None,
        )

    def query_args(self) -> dict[str, str]:
        return {n: v for n in self.FILTER_NAMES if (v := self.valid_data(n))}


DECISION_ARGS = ("annehmen", "ablehnen")


class SuggestionDecisionForm(DialogForm):
    """Accept or reject one suggestion: the button pressed sends `entscheidung`."""

    entscheidung = HiddenField(validators=[AnyOf(DECISION_ARGS)])
    zurueck = HiddenField()  # "beitrag": back to the answer's coding page; else the list

    @property
    def accept(self) -> bool:
        return self.entscheidung.data == "annehmen"
