"""The answer form of a theme field, the author's edit form, moderation and offline entry."""

from __future__ import annotations

import secrets
import time
from functools import cached_property, lru_cache

from flask import current_app
from flask_babel import LazyString, format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from dialog.answers import labels
from dialog.answers.rules import (
    MAX_ANSWER_LENGTH,
    AgeBand,
    AnswerProblem,
    FormProblem,
    Perspective,
    answer_problem,
    check_submission,
    editable_by_author,
)
from dialog.answers.services import Profile, PublicFilters
from dialog.common import pagecache
from dialog.common.forms import DATE_FORMATS, DialogForm, choices_with_none
from dialog.common.regions import Bundesland
from dialog.notifications.forms import consent_label
from dialog.process.models import ThemeField

NOT_SAID = _l("keine Angabe")
ANSWER_HINT = LazyString(
    lambda: _("Freiwillig. Bis zu %(n)s Zeichen.", n=format_decimal(MAX_ANSWER_LENGTH))
)


def _choices(mapping, none_label=NOT_SAID) -> list[SelectChoice]:
    return choices_with_none(mapping, none_label)


def question_field_name(question_id: int) -> str:
    return f"answer_{question_id}"


FORM_TOKEN_PLACEHOLDER = "__dialog_answer_form_token__"  # nosec B105 # noqa: S105 - not a secret


def _form_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="answer-form")


def new_form_token(nonce: str) -> str:
    """A signed token carrying the form's nonce and the time the form was handed out."""
    return _form_serializer().dumps(nonce)


pagecache.personalisers[FORM_TOKEN_PLACEHOLDER] = lambda: new_form_token(secrets.token_urlsafe(24))


def read_form_token(token: str) -> tuple[str, float] | None:
    """(nonce, seconds since the form was handed out), or None if missing or forged."""
    try:
        nonce, issued = _form_serializer().loads(token, return_timestamp=True)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(nonce, str) or not 16 <= len(nonce) <= 64:
        return None
    return nonce, time.time() - issued.timestamp()


class ProfileMixin:
    perspective = RadioField(
        _l("Aus welcher Perspektive antworten Sie?"),
        choices=_choices(labels.PERSPECTIVE),
        default="",
        coerce=str,
        validators=[Optional()],
    )
    bundesland = SelectField(
        _l("In welchem Bundesland leben oder arbeiten Sie?"),
        choices=_choices({b: b.label for b in Bundesland}),
        default="",
        validators=[Optional()],
    )
    age_band = SelectField(
        _l("Wie alt sind Sie?"),
        choices=_choices(labels.AGE_BAND),
        default="",
        validators=[Optional()],
    )

    def profile(self) -> Profile:
        """The chosen profile; "keine Angabe" and unknown values become None."""
        return Profile(
            perspective=_valid(Perspective, self.perspective.data),
            bundesland=_valid(Bundesland, self.bundesland.data),
            age_band=_valid(AgeBand, self.age_band.data),
        )


@lru_cache(maxsize=256)
def _form_class(base: type, questions: tuple[tuple[int, str], ...]) -> type:
    fields = {
        question_field_name(qid): TextAreaField(text, description=ANSWER_HINT)
        for qid, text in questions
    }
    return type(base.__name__, (base,), fields)


def _with_questions(base: type, questions) -> type:
    """A subclass of `base` with one answer field per question (made once per question set)."""
    return _form_class(base, tuple((q.id, q.text) for q in questions))


class QuestionsMixin:
    """Access to the answer fields of a form built by `_with_questions`."""

    questions: list = []  # noqa: RUF012 - replaced per instance

    def answer_fields(self):
        return [self[question_field_name(q.id)] for q in self.questions]

    def texts(self) -> dict[int, str]:
        return {q.id: self[question_field_name(q.id)].data or "" for q in self.questions}

    def check_answer_texts(self) -> bool:
        """Put a message next to every answer that is too long or badly encoded."""
        ok = True
        for field in self.answer_fields():
            problem = answer_problem(field.data or "")
            if problem:
                field.errors.append(_answer_message(problem, field.data or ""))
                ok = False
        return ok


def build_answer_form(theme, *, dialogue_open: bool, **kwargs) -> AnswerForm:
    """The form for all active guiding questions of `theme` (a ThemeField or its snapshot)."""
    form = _with_questions(AnswerForm, theme.active_questions)(**kwargs)
    form.questions = theme.active_questions
    form.dialogue_open = dialogue_open
    form.notify_consent.label.text = consent_label()
    return form


def build_edit_form(theme, answers, *, dialogue_open: bool, **kwargs) -> AnswerEditForm:
    """The author's form: the answers still awaiting moderation, and unanswered questions of
    `theme` (a ThemeField or its snapshot); without questions once the dialogue is over."""
    by_question = {a.question_id: a for a in answers}
    questions = [
        q
        for q in (theme.active_questions if dialogue_open else ())
        if q.id not in by_question
        or editable_by_author(by_question[q.id].status, dialogue_open=dialogue_open)
    ]
    current = {question_field_name(qid): a.text for qid, a in by_question.items()}
    form = _with_questions(AnswerEditForm, questions)(data=current, **kwargs)
    form.questions = questions
    return form


def build_offline_form(theme: ThemeField, events=(), **kwargs) -> OfflineEntryForm:
    """The offline form for `theme`; `events` are offered as where the contribution came from."""
    form = _with_questions(OfflineEntryForm, theme.active_questions)(**kwargs)
    form.questions = theme.active_questions
    form.event.choices = choices_with_none(
        {
            str(event.id): ", ".join(
                [event.title]
                + ([] if event.city in event.title else [event.city])
                + [format_date(event.starts_at, "medium")]
            )
            for event in events
        },
        _l("keine / nicht in der Liste"),
    )
    return form


class AnswerForm(QuestionsMixin, ProfileMixin, DialogForm):
    """Answers to any subset of a theme field's questions, with an optional profile."""

    privacy_consent = BooleanField(
        _l(
            "Ich habe die Datenschutzerklärung gelesen und bin mit der Verarbeitung meiner "
            "Antworten einverstanden."
        ),
        validators=[
            DataRequired(
                _l(
                    "Bitte stimmen Sie der Datenschutzerklärung zu, damit wir "
                    "Ihre Antworten speichern dürfen."
                )
            )
        ],
    )
    publication_consent = BooleanField(
        _l("Meine Antworten dürfen nach Prüfung anonym auf dieser Website veröffentlicht werden."),
        description=_l(
            "Freiwillig. Auch ohne diese Zustimmung fließen Ihre Antworten in die Auswertung ein."
        ),
    )
    # Optional: an address to be told about the results (dialog/notifications), with consent.
    notify_email = EmailField(
        _l("Ihre E-Mail-Adresse"),
        validators=[
            Optional(),
            Email(
                _l("Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@example.org."),
                check_deliverability=False,
            ),
            Length(max=320, message=_l("Höchstens 320 Zeichen.")),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        description=_l(
            "Freiwillig. Wir schicken Ihnen zuerst eine Nachricht, um die Adresse zu bestätigen; "
            "Ihre Antworten bleiben davon getrennt anonym."
        ),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    notify_consent = BooleanField()  # its label: notifications.forms.consent_label()
    # A field people never see; bots fill it in.
    website = StringField(
        _l("Bitte lassen Sie dieses Feld leer."),
        render_kw={"autocomplete": "off", "tabindex": "-1"},
    )
    form_token = HiddenField()

    dialogue_open = True

    @cached_property
    def token(self) -> tuple[str, float] | None:
        """The nonce and age of the sent form token; None if missing or forged."""
        return read_form_token(self.form_token.data or "")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        token = self.token
        check = check_submission(
            self.texts(),
            dialogue_open=self.dialogue_open,
            seconds_taken=token[1] if token else None,
            min_seconds=current_app.config["ANSWER_MIN_FILL_SECONDS"],
            honeypot=self.website.data or "",
        )
        for question_id, problem in check.answer_problems.items():
            field = self[question_field_name(question_id)]
            field.errors.append(_answer_message(problem, field.data or ""))
        for problem in check.form_problems:
            self.form_errors.append(_form_message(problem))
        return self._notification_valid() and valid and check.ok

    def _notification_valid(self) -> bool:
        """An address needs the consent, and the consent an address."""
        if self.notify_email.data and not self.notify_consent.data:
            self.notify_consent.errors = [
                *self.notify_consent.errors,
                _("Bitte stimmen Sie zu, damit wir Sie benachrichtigen dürfen."),
            ]
            return False
        if self.notify_consent.data and not self.notify_email.data and not self.notify_email.errors:
            self.notify_email.errors = [
                *self.notify_email.errors,
                _("Bitte geben Sie die E-Mail-Adresse an, an die wir schreiben sollen."),
            ]
            return False
        return True


def _answer_message(problem: AnswerProblem, text: str) -> str:
    if problem is AnswerProblem.TOO_LONG:
        return _(
            "Ihre Antwort hat %(n)s Zeichen. Bitte kürzen Sie sie auf höchstens %(max)s Zeichen.",
            n=format_decimal(len(text.strip())),
            max=format_decimal(MAX_ANSWER_LENGTH),
        )
    return _(
        "Ihre Antwort enthält Zeichen, die nicht gelesen werden konnten (ungültige "
        "Zeichenkodierung). Bitte prüfen Sie die mit „�“ markierten Stellen."
    )


def _form_message(problem: FormProblem) -> str:
    return {
        FormProblem.NO_ANSWER: _("Bitte beantworten Sie mindestens eine Leitfrage."),
        FormProblem.DIALOGUE_CLOSED: _(
            "Die Dialogphase ist nicht geöffnet. Derzeit können keine Antworten gespeichert werden."
        ),
        FormProblem.TOO_FAST: _(
            "Das Formular wurde ungewöhnlich schnell abgeschickt. Bitte prüfen Sie Ihre Angaben "
            "und senden Sie das Formular in einigen Sekunden erneut."
        ),
        FormProblem.HONEYPOT: _(
            "Das Formular enthält ein Feld, das leer bleiben muss. Bitte senden Sie es ohne "
            "diesen Eintrag erneut."
        ),
    }[problem]


class AnswerEditForm(QuestionsMixin, DialogForm):
    """The author changes answers that no moderator has looked at yet."""

    def validate(self, extra_validators=None) -> bool:
        return super().validate(extra_validators) and self.check_answer_texts()


class AnswerReportForm(DialogForm):
    reason = TextAreaField(
        _l("Warum verstößt dieser Beitrag gegen die Netiquette?"),
        validators=[
            Length(max=1000, message=_l("Bitte fassen Sie sich kürzer (höchstens 1.000 Zeichen)."))
        ],
        # No maxlength attribute: browsers would cut pasted text without saying so.
        render_kw={"maxlength": False},
        description=_l(
            "Freiwillig, höchstens 1.000 Zeichen. Bitte nennen Sie keine Namen oder Kontaktdaten."
        ),
    )


class ModerationForm(DialogForm):
    redacted_text = TextAreaField(
        _l("Veröffentlichter Text"),
        description=_l("Zum Schwärzen hier ändern; die Analyse behält den ursprünglichen Text."),
    )
    reason = SelectField(
        _l("Grund nach der Netiquette"),
        choices=_choices(labels.REJECTION_REASON, none_label=_l("Bitte wählen")),
        default="",
    )


class BulkModerationForm(DialogForm):
    reason = SelectField(
        _l("Grund für Ablehnen oder Verbergen"),
        choices=_choices(labels.REJECTION_REASON, none_label=_l("Bitte wählen")),
        default="",
    )


class OfflineEntryForm(QuestionsMixin, ProfileMixin, DialogForm):
    channel = SelectField(
        _l("Eingangsweg"),
        choices=[
            SelectChoice(c.value, label)
            for c, label in labels.CHANNEL.items()
            if c.value != "online"
        ],
    )
    received_on = DateField(
        _l("Eingangsdatum"),
        validators=[InputRequired(_l("Bitte geben Sie ein Datum ein."))],
        description=_l("Zum Beispiel 12.03.2024."),
        format=DATE_FORMATS,
    )
    event = SelectField(
        _l("Veranstaltung"),
        validators=[Optional()],
        description=_l("Wo der Beitrag entstand, z. B. an einer Dialoginsel."),
    )
    event_note = StringField(
        _l("Weitere Angaben zur Herkunft"),
        validators=[Length(max=200)],
        description=_l("Optional, z. B. eine Veranstaltung, die nicht in der Liste steht."),
    )
    publication_consent = BooleanField(_l("Die Person hat der Veröffentlichung zugestimmt."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators) and self.check_answer_texts()
        if not any(text.strip() for text in self.texts().values()):
            self.form_errors.append(_("Bitte geben Sie mindestens eine Antwort ein."))
            valid = False
        return valid


class AnswerFilterForm(DialogForm):
    """Filters of the public answer list, read from the query string (no CSRF for GET)."""

    class Meta:
        csrf = False

    thema = SelectField(_l("Themenfeld"), validators=[Optional()])
    frage = SelectField(_l("Leitfrage"), validators=[Optional()])
    perspektive = SelectField(
        _l("Perspektive"),
        choices=_choices(labels.PERSPECTIVE, none_label=_l("alle")),
        validators=[Optional()],
    )
    bundesland = SelectField(
        _l("Bundesland"),
        choices=_choices({b: b.label for b in Bundesland}, _l("alle")),
        validators=[Optional()],
    )
    suche = StringField(_l("Suchbegriffe"), validators=[Optional(), Length(max=200)])

    def __init__(self, formdata, process, **kwargs) -> None:
        super().__init__(formdata, **kwargs)
        self.process = process
        self.thema.choices = [SelectChoice("", _l("alle"))] + [
            SelectChoice(t.slug, t.title) for t in process.theme_fields
        ]
        self.frage.choices = [SelectChoice("", _l("alle"))] + [
            SelectChoice(str(q.id), q.text)
            for t in process.theme_fields
            for q in t.active_questions
        ]

    def query_args(self) -> dict[str, str]:
        """The filters in effect, as query arguments for links to further pages."""
        return {
            name: self[name].data
            for name in ("suche", "thema", "frage", "perspektive", "bundesland")
            if self[name].data and not self[name].errors
        }

    def filters(self):
        """The valid filters; an unknown value counts as "alle" rather than an error."""
        self.validate()
        themes = {t.slug: t for t in self.process.theme_fields}
        theme = themes.get(self.thema.data or "")
        questions = {str(q.id): q for t in self.process.theme_fields for q in t.active_questions}
        question = questions.get(self.frage.data or "")
        if theme is not None and question is not None and question.theme_field_id != theme.id:
            question = None
        return PublicFilters(
            theme_field_id=theme.id if theme else None,
            question_id=question.id if question else None,
            perspective=_valid(Perspective, self.perspektive.data),
            bundesland=_valid(Bundesland, self.bundesland.data),
            query=(self.suche.data or "").strip()[:200] if not self.suche.errors else "",
        )


def _valid(enum_cls, value):
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None
