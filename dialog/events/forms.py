"""Forms of the events domain: calendar filters, registration, and the staff's event editor."""

from __future__ import annotations

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from dialog.common.forms import DATE_FORMATS, DialogForm, MultiCheckboxField, choices_with_none
from dialog.common.regions import Bundesland
from dialog.events import labels
from dialog.events.applications import CompanyApplication
from dialog.events.calendar import local_to_utc, utc_to_local
from dialog.events.rules import (
    CompanySize,
    EventKind,
    EventPlan,
    EventProblem,
    EventStatus,
    StakeholderGroup,
    check_event,
)
from dialog.events.services import CalendarFilters, Registrant

# <input type="datetime-local"> sends the ISO form; a browser without it, the German one.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y, %H:%M"]
RICH_TEXT_HINT = _l(
    "Markdown oder einfaches HTML. Skripte, Stile und unbekannte Elemente werden entfernt."
)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _email_field(label, required_message, **kwargs) -> EmailField:
    """An e-mail address field; without `required_message` it may stay empty."""
    return EmailField(
        label,
        validators=[
            DataRequired(required_message) if required_message else Optional(),
            Email(
                _l("Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@example.org."),
                check_deliverability=False,
            ),
            Length(max=254),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
        **kwargs,
    )


def _enum(enum_cls, value):
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


def _bundesland_choices(none_label) -> list[SelectChoice]:
    return choices_with_none({b: b.label for b in Bundesland}, none_label)


class CalendarFilterForm(DialogForm):
    """Filters of the public calendar, read from the query string (no CSRF for GET)."""

    class Meta:
        csrf = False

    art = SelectField(
        _l("Art der Veranstaltung"),
        choices=choices_with_none(labels.KIND, _l("alle")),
        validators=[Optional()],
    )
    bundesland = SelectField(
        _l("Bundesland"), choices=_bundesland_choices(_l("alle")), validators=[Optional()]
    )
    thema = SelectField(_l("Themenfeld"), validators=[Optional()])
    von = DateField(_l("ab dem"), format=DATE_FORMATS, validators=[Optional()])
    bis = DateField(_l("bis zum"), format=DATE_FORMATS, validators=[Optional()])
    zeitraum = SelectField(
        _l("Zeitraum"),
        choices=[
            SelectChoice("kommend", _l("kommende Veranstaltungen")),
            SelectChoice("vergangen", _l("vergangene Veranstaltungen")),
        ],
        default="kommend",
        validators=[Optional()],
    )

    def __init__(self, formdata, theme_fields, **kwargs) -> None:
        super().__init__(formdata, **kwargs)
        self.theme_fields = {str(t.id): t for t in theme_fields}
        self.thema.choices = choices_with_none(
            {str(t.id): t.title for t in theme_fields}, _l("alle")
        )

    def filters(self) -> CalendarFilters:
        """The valid filters; an unknown value counts as "alle" rather than an error."""
        self.validate()
        theme = self.theme_fields.get(self.thema.data or "")
        return CalendarFilters(
            kind=_enum(EventKind, self.art.data),
            bundesland=_enum(Bundesland, self.bundesland.data),
            theme_field_id=theme.id if theme else None,
            date_from=None if self.von.errors else self.von.data,
            date_to=None if self.bis.errors else self.bis.data,
            past=self.zeitraum.data == "vergangen",
        )

    def query_args(self) -> dict[str, str]:
        """The filters in effect, as query arguments for links to further pages and the feed."""
        args = {}
        for name in ("art", "bundesland", "thema", "zeitraum"):
            if self[name].data and not self[name].errors:
                args[name] = self[name].data
        for name in ("von", "bis"):
            if self[name].data and not self[name].errors:
                args[name] = self[name].data.isoformat()
        if args.get("zeitraum") == "kommend":
            del args["zeitraum"]
        return args


class RegistrationForm(DialogForm):
    """Registration for a Bürgerdialog: only what the organisers need, with consent."""

    name = StringField(
        _l("Vor- und Nachname"),
        validators=[DataRequired(_l("Bitte geben Sie Ihren Namen ein.")), Length(max=200)],
        filters=[_strip],
        render_kw={"autocomplete": "name"},
    )
    email = _email_field(
        _l("E-Mail-Adresse"),
        _l("Bitte geben Sie Ihre E-Mail-Adresse ein."),
        description=_l("Sie erhalten einen Link, mit dem Sie Ihre Anmeldung bestätigen."),
    )
    organisation = StringField(
        _l("Organisation oder Unternehmen"),
        validators=[Optional(), Length(max=200)],
        description=_l("Freiwillig."),
        render_kw={"autocomplete": "organization"},
    )
    bundesland = SelectField(
        _l("Bundesland"),
        choices=_bundesland_choices(_l("keine Angabe")),
        validators=[Optional()],
        description=_l("Freiwillig. Wir zählen damit, woher die Teilnehmenden kommen."),
    )
    theme_field = SelectField(
        _l("An welcher Dialoginsel möchten Sie am liebsten mitdiskutieren?"),
        validators=[Optional()],
        description=_l("Freiwillig. Wir versuchen, Ihren Wunsch zu berücksichtigen."),
    )
    support_needs = TextAreaField(
        _l("Unterstützungsbedarf"),
        validators=[Optional(), Length(max=1000)],
        description=_l(
            "Freiwillig, z. B. stufenloser Zugang, Gebärdensprachdolmetschung, "
            "Schriftdolmetschung, Induktionsschleife. Wir löschen diese Angabe nach der "
            "Veranstaltung."
        ),
    )
    privacy_consent = BooleanField(
        _l(
            "Ich habe die Datenschutzerklärung gelesen und bin einverstanden, dass meine Angaben "
            "zur Organisation dieser Veranstaltung verarbeitet werden."
        ),
        validators=[
            DataRequired(
                _l(
                    "Bitte stimmen Sie der Datenschutzerklärung zu, damit wir Ihre Anmeldung "
                    "speichern dürfen."
                )
            )
        ],
    )
    # A field people never see; bots fill it in.
    website = StringField(
        _l("Bitte lassen Sie dieses Feld leer."),
        render_kw={"autocomplete": "off", "tabindex": "-1"},
    )

    def __init__(self, *args, event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event_theme_ids = {t.id for t in event.theme_fields}
        self.theme_field.choices = choices_with_none(
            {str(t.id): t.title for t in event.theme_fields}, _l("keine Präferenz")
        )

    def validate_website(self, field) -> None:
        if field.data:
            raise ValidationError(
                _("Das Feld muss leer bleiben. Bitte senden Sie das Formular ohne diesen Eintrag.")
            )

    def registrant(self) -> Registrant:
        theme_id = int(self.theme_field.data) if (self.theme_field.data or "").isdigit() else None
        return Registrant(
            name=self.name.data or "",
            email=self.email.data or "",
            organisation=self.organisation.data or "",
            bundesland=_enum(Bundesland, self.bundesland.data),
            theme_field_id=theme_id if theme_id in self.event_theme_ids else None,
            support_needs=self.support_needs.data or "",
        )


class EventEditForm(DialogForm):
    """The staff's event editor; times are German local time."""

    process_id = SelectField(_l("Beteiligungsprozess"), coerce=int)
    kind = SelectField(
        _l("Art"), choices=[SelectChoice(k.value, label) for k, label in labels.KIND.items()]
    )
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(EventStatus.DRAFT.value, labels.STATUS[EventStatus.DRAFT]),
            SelectChoice(EventStatus.PUBLISHED.value, labels.STATUS[EventStatus.PUBLISHED]),
        ],
        description=_l("Absagen können Sie eine Veranstaltung auf ihrer eigenen Seite."),
    )
    title = StringField(
        _l("Titel"),
        validators=[DataRequired(_l("Bitte geben Sie einen Titel ein.")), Length(max=200)],
    )
    city = StringField(
        _l("Ort"), validators=[DataRequired(_l("Bitte geben Sie den Ort ein.")), Length(max=120)]
    )
    bundesland = SelectField(
        _l("Bundesland"), choices=[SelectChoice(b.value, b.label) for b in Bundesland]
    )
    venue = StringField(_l("Veranstaltungsort"), validators=[Length(max=200)])
    address = StringField(_l("Adresse"), validators=[Length(max=300)])
    starts_at = DateTimeLocalField(
        _l("Beginn"),
        format=DATETIME_FORMATS,
        validators=[DataRequired(_l("Bitte geben Sie Datum und Uhrzeit des Beginns ein."))],
        description=_l("Deutsche Zeit, z. B. 14.03.2027 17:00."),
    )
    ends_at = DateTimeLocalField(
        _l("Ende"),
        format=DATETIME_FORMATS,
        validators=[DataRequired(_l("Bitte geben Sie Datum und Uhrzeit des Endes ein."))],
    )
    description = TextAreaField(
        _l("Beschreibung"), validators=[Length(max=50_000)], description=RICH_TEXT_HINT
    )
    accessibility = TextAreaField(
        _l("Informationen zur Barrierefreiheit"),
        validators=[Length(max=5000)],
        description=_l("Zugang, Toiletten, Induktionsschleife, Dolmetschung …"),
    )
    capacity = IntegerField(
        _l("Plätze"),
        validators=[Optional(), NumberRange(0, 100_000)],
        description=_l("Für Veranstaltungen mit Anmeldung; leer bei reinen Informationsterminen."),
    )
    registration_opens_at = DateTimeLocalField(
        _l("Anmeldung ab"),
        format=DATETIME_FORMATS,
        validators=[Optional()],
        description=_l("Leer: ab Veröffentlichung."),
    )
    registration_closes_at = DateTimeLocalField(
        _l("Anmeldung bis"),
        format=DATETIME_FORMATS,
        validators=[Optional()],
        description=_l("Leer: bis zum Beginn."),
    )
    theme_fields = MultiCheckboxField(_l("Dialoginseln (Themenfelder)"), coerce=int)

    def __init__(self, *args, processes, seats_taken: int = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seats_taken = seats_taken
        self.process_id.choices = [SelectChoice(p.id, p.title) for p in processes]
        self.theme_fields.choices = [
            SelectChoice(t.id, f"{t.title} ({p.title})") for p in processes for t in p.theme_fields
        ]

    def fill_from(self, event) -> None:
        """Show a stored event's times in German local time."""
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            value = getattr(event, name)
            self[name].data = utc_to_local(value) if value else None
        self.theme_fields.data = [t.id for t in event.theme_fields]

    def values(self) -> dict:
        """The entered values, times in UTC, ready for `services.save_event`."""
        values = {
            name: self[name].data
            for name in ("process_id", "title", "city", "venue", "address", "capacity")
        }
        values["kind"] = EventKind(self.kind.data)
        values["status"] = EventStatus(self.status.data)
        values["bundesland"] = Bundesland(self.bundesland.data)
        values["title"] = values["title"].strip()
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            values[name] = local_to_utc(self[name].data) if self[name].data else None
        return values

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        values = self.values()
        problems = check_event(
            EventPlan(
                kind=values["kind"],
                starts_at=values["starts_at"],
                ends_at=values["ends_at"],
                opens_at=values["registration_opens_at"],
                closes_at=values["registration_closes_at"],
                capacity=values["capacity"],
                seats_taken=self.seats_taken,
            )
        )
        for problem in problems:
            field, message = _problem_message(problem, self.seats_taken)
            self[field].errors.append(message)
        return not problems


def _problem_message(problem: EventProblem, seats_taken: int) -> tuple[str, str]:
    return {
        EventProblem.ENDS_BEFORE_START: ("ends_at", _("Das Ende muss nach dem Beginn liegen.")),
        EventProblem.CLOSES_BEFORE_OPENING: (
            "registration_closes_at",
            _("Das Ende der Anmeldung muss nach ihrem Beginn liegen."),
        ),
        EventProblem.CLOSES_AFTER_START: (
            "registration_closes_at",
            _("Die Anmeldung muss spätestens mit dem Beginn der Veranstaltung enden."),
        ),
        EventProblem.CAPACITY_MISSING: (
            "capacity",
            _("Veranstaltungen mit Anmeldung brauchen eine Zahl von Plätzen."),
        ),
        EventProblem.CAPACITY_BELOW_TAKEN: (
            "capacity",
            ngettext(
                "Es ist bereits %(n)s Platz vergeben oder reserviert. Weniger Plätze sind nur "
                "möglich, wenn sich die Person abmeldet.",
                "Es sind bereits %(n)s Plätze vergeben oder reserviert. Weniger Plätze sind nur "
                "möglich, wenn sich Personen abmelden.",
                seats_taken,
                n=format_decimal(seats_taken),
            ),
        ),
    }[problem]


class EventCancelForm(DialogForm):
    note = TextAreaField(
        _l("Nachricht an die Angemeldeten"),
        validators=[
            DataRequired(_l("Bitte erklären Sie kurz, warum die Veranstaltung abgesagt wird.")),
            Length(max=5000),
        ],
        description=_l(
            "Sie steht in der E-Mail an alle Angemeldeten und auf der Veranstaltungsseite."
        ),
    )
    confirm = BooleanField(
        _l("Ja, absagen und alle Angemeldeten benachrichtigen."),
        validators=[DataRequired(_l("Bitte bestätigen Sie die Absage."))],
    )


class RegistrationStatusFilterForm(DialogForm):
    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=choices_with_none(labels.REGISTRATION_STATUS, _l("alle")),
        validators=[Optional()],
    )


class MessageForm(DialogForm):
    """A message from the organisers to everyone registered for an event."""

    subject = StringField(
        _l("Betreff"),
        validators=[DataRequired(_l("Bitte geben Sie einen Betreff ein.")), Length(max=200)],
    )
    body = TextAreaField(
        _l("Nachricht"),
        validators=[DataRequired(_l("Bitte geben Sie eine Nachricht ein.")), Length(max=10_000)],
        description=_l("Anrede, Angaben zur Veranstaltung und Abmeldelink fügen wir hinzu."),
    )
    include_waitlist = BooleanField(_l("Auch an die Personen auf der Warteliste senden"))


class ApplicationForm(DialogForm):
    """A company applies for a Praxiswerkstatt."""

    company = StringField(
        _l("Unternehmen"),
        validators=[
            DataRequired(_l("Bitte geben Sie den Namen des Unternehmens ein.")),
            Length(max=200),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "organization"},
    )
    sector = StringField(
        _l("Branche"),
        validators=[DataRequired(_l("Bitte geben Sie die Branche ein.")), Length(max=200)],
        filters=[_strip],
        description=_l("Zum Beispiel Pflege, Handwerk, Logistik, IT."),
    )
    size = SelectField(
        _l("Größe des Unternehmens"),
        choices=[SelectChoice(k.value, label) for k, label in labels.COMPANY_SIZE.items()],
        validators=[DataRequired(_l("Bitte wählen Sie die Größe des Unternehmens."))],
    )
    bundesland = SelectField(
        _l("Region (Bundesland)"),
        choices=[SelectChoice(b.value, b.label) for b in Bundesland],
        validators=[DataRequired(_l("Bitte wählen Sie ein Bundesland."))],
    )
    contact_name = StringField(
        _l("Ansprechperson"),
        validators=[DataRequired(_l("Bitte geben Sie eine Ansprechperson an.")), Length(max=200)],
        filters=[_strip],
        render_kw={"autocomplete": "name"},
    )
    contact_email = _email_field(
        _l("E-Mail-Adresse der Ansprechperson"), _l("Bitte geben Sie eine E-Mail-Adresse ein.")
    )
    motivation = TextAreaField(
        _l("Warum möchte Ihr Unternehmen teilnehmen?"),
        validators=[
            DataRequired(_l("Bitte beschreiben Sie kurz Ihre Motivation.")),
            Length(max=3000),
        ],
        description=_l("Bis zu 3.000 Zeichen: Welche Erfahrungen und Fragen bringen Sie mit?"),
    )
    privacy_consent = BooleanField(
        _l(
            "Ich habe die Datenschutzerklärung gelesen und bin einverstanden, dass die Angaben "
            "zur Auswahl und Organisation der Praxiswerkstatt verarbeitet werden."
        ),
        validators=[
            DataRequired(
                _l(
                    "Bitte stimmen Sie der Datenschutzerklärung zu, damit wir die Bewerbung "
                    "speichern dürfen."
                )
            )
        ],
    )
    website = StringField(
        _l("Bitte lassen Sie dieses Feld leer."),
        render_kw={"autocomplete": "off", "tabindex": "-1"},
    )

    def validate_website(self, field) -> None:
        if field.data:
            raise ValidationError(
                _("Das Feld muss leer bleiben. Bitte senden Sie das Formular ohne diesen Eintrag.")
            )

    def application(self) -> CompanyApplication:
        return CompanyApplication(
            company=self.company.data,
            sector=self.sector.data,
            size=CompanySize(self.size.data),
            bundesland=Bundesland(self.bundesland.data),
            contact_name=self.contact_name.data,
            contact_email=self.contact_email.data,
            motivation=self.motivation.data or "",
        )


class DecisionForm(DialogForm):
    note = TextAreaField(
        _l("Nachricht an das Unternehmen"),
        validators=[Optional(), Length(max=3000)],
        description=_l("Freiwillig; steht in der E-Mail mit der Entscheidung."),
    )


class InvitationCodeForm(DialogForm):
    code = StringField(
        _l("Einladungscode"),
        validators=[DataRequired(_l("Bitte geben Sie Ihren Einladungscode ein.")), Length(max=64)],
        filters=[_strip],
        description=_l("Er steht in Ihrer Einladung, z. B. ABCD-EFGH-JKMN-PQRS."),
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )


class InviteForm(DialogForm):
    """Staff invite an organisation to a Stakeholder-Hearing."""

    organisation = StringField(
        _l("Organisation"),
        validators=[DataRequired(_l("Bitte geben Sie die Organisation ein.")), Length(max=200)],
        filters=[_strip],
    )
    group = SelectField(
        _l("Gruppe"),
        choices=[SelectChoice(g.value, label) for g, label in labels.STAKEHOLDER_GROUP.items()],
    )
    email = _email_field(
        _l("E-Mail-Adresse (freiwillig)"),
        None,
        description=_l(
            "Mit Adresse schicken wir den persönlichen Link per E-Mail. Ohne Adresse geben Sie "
            "den Code selbst weiter, z. B. im Brief."
        ),
    )
    expires_on = DateField(
        _l("Gültig bis einschließlich"),
        format=DATE_FORMATS,
        validators=[Optional()],
        description=_l("Leer: bis zum Beginn der Veranstaltung."),
    )


class QuotaForm(DialogForm):
    """Seats reserved per stakeholder group (fields are made per group)."""

    def __init__(self, *args, current: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            for group in StakeholderGroup:
                self[f"quota_{group.value}"].data = current.get(group)

    def seats(self) -> dict:
        return {group: self[f"quota_{group.value}"].data for group in StakeholderGroup}


for _group, _label in labels.STAKEHOLDER_GROUP.items():
    setattr(
        QuotaForm,
        f"quota_{_group.value}",
        IntegerField(_label, validators=[Optional(), NumberRange(0, 100_000)]),
    )
