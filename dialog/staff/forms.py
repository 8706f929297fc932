"""Forms of the staff area for editing content."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Regexp,
    ValidationError,
)

from dialog.accessibility.rules import VideoProblem, video_problem
from dialog.common.forms import DATE_FORMATS, DialogForm
from dialog.pages.models import Page
from dialog.process.models import Process, ThemeField
from dialog.process.rules import PhaseKind
from dialog.process.services import slug_taken

RICH_TEXT_HINT = _l(
    "Markdown oder einfaches HTML. Skripte, Stile und unbekannte Elemente werden entfernt."
)
SLUG_HINT = _l("Teil der Adresse: Kleinbuchstaben, Ziffern und Bindestriche, z. B. gute-arbeit.")


def _required(what: str):
    return DataRequired(_l("Bitte geben Sie %(what)s ein.", what=what))


def _slug_validators():
    return [
        _required(_l("einen Kurznamen")),
        Length(max=80),
        Regexp(
            r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
            message=_l("Nur Kleinbuchstaben (ohne Umlaute), Ziffern und einzelne Bindestriche."),
        ),
    ]


def _position_field():
    return IntegerField(
        _l("Reihenfolge"),
        validators=[InputRequired(_l("Bitte geben Sie eine Zahl ein.")), NumberRange(0, 10_000)],
        default=0,
        description=_l("Kleinere Zahlen stehen weiter vorn."),
    )


class _SlugUniqueMixin:
    """Checks that the slug is unused; the view sets `editing_id` and `slug_scope`."""

    slug_model: type
    editing_id: int | None = None
    slug_scope: dict = {}  # noqa: RUF012 - replaced per instance, never mutated

    def validate_slug(self, field) -> None:
        if slug_taken(self.slug_model, field.data, self.editing_id, **self.slug_scope):
            raise ValidationError(_("Dieser Kurzname wird bereits verwendet."))


class ProcessEditForm(_SlugUniqueMixin, DialogForm):
    slug_model = Process

    title = StringField(_l("Titel"), [_required(_l("einen Titel")), Length(max=200)])
    slug = StringField(_l("Kurzname"), _slug_validators(), description=SLUG_HINT)
    central_question = TextAreaField(
        _l("Zentrale Frage"), [_required(_l("die zentrale Frage")), Length(max=2000)]
    )
    intro = TextAreaField(_l("Einleitung"), [Length(max=50_000)], description=RICH_TEXT_HINT)
    published = BooleanField(_l("Öffentlich sichtbar"))
    featured = BooleanField(_l("Auf der Startseite zeigen"))


class PhaseEditForm(DialogForm):
    kind = SelectField(
        _l("Art der Phase"),
        choices=[
            SelectChoice(PhaseKind.ANALYSIS.value, _l("Analysephase")),
            SelectChoice(PhaseKind.DIALOGUE.value, _l("Dialogphase")),
            SelectChoice(PhaseKind.RESULTS.value, _l("Veröffentlichung der Ergebnisse")),
        ],
        coerce=PhaseKind,
    )
    title = StringField(_l("Titel"), [_required(_l("einen Titel")), Length(max=200)])
    starts_on = DateField(
        _l("Erster Tag"),
        [InputRequired(_l("Bitte geben Sie ein Datum ein."))],
        description=_l("Zum Beispiel 01.09.2023."),
        format=DATE_FORMATS,
    )
    ends_on = DateField(
        _l("Letzter Tag"),
        [InputRequired(_l("Bitte geben Sie ein Datum ein."))],
        description=_l("Zum Beispiel 31.07.2024. Der Tag gehört noch zur Phase."),
        format=DATE_FORMATS,
    )
    description = TextAreaField(
        _l("Beschreibung"), [Length(max=20_000)], description=RICH_TEXT_HINT
    )

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_("Der letzte Tag darf nicht vor dem ersten Tag liegen."))


class ThemeFieldEditForm(_SlugUniqueMixin, DialogForm):
    slug_model = ThemeField

    title = StringField(_l("Titel"), [_required(_l("einen Titel")), Length(max=200)])
    slug = StringField(_l("Kurzname"), _slug_validators(), description=SLUG_HINT)
    description = TextAreaField(
        _l("Beschreibung"), [Length(max=20_000)], description=RICH_TEXT_HINT
    )
    position = _position_field()


class GuidingQuestionEditForm(DialogForm):
    text = TextAreaField(_l("Leitfrage"), [_required(_l("die Leitfrage")), Length(max=1000)])
    plain_language_text = TextAreaField(
        _l("Leitfrage in Leichter Sprache"),
        [Length(max=2000)],
        description=_l("Optional. Wird zusätzlich zur Leitfrage angezeigt."),
    )
    position = _position_field()
    active = BooleanField(_l("Aktiv (wird öffentlich angezeigt)"), default=True)


class PageEditForm(_SlugUniqueMixin, DialogForm):
    slug_model = Page

    title = StringField(_l("Titel"), [_required(_l("einen Titel")), Length(max=200)])
    slug = StringField(_l("Kurzname"), _slug_validators(), description=SLUG_HINT)
    body = TextAreaField(_l("Text"), [Length(max=200_000)], description=RICH_TEXT_HINT)
    in_footer = BooleanField(_l("In der Fußzeile verlinken"))
    position = _position_field()
    video_url = StringField(
        _l("Video (Adresse auf dieser Website)"),
        [Length(max=500)],
        description=_l(
            "Optional, z. B. das Video in Deutscher Gebärdensprache: Legen Sie die Datei (MP4 "
            "oder WebM) auf dem Webserver dieser Website ab und tragen Sie ihre Adresse ein, "
            "z. B. /medien/gebaerdensprache.mp4. Videos anderer Websites werden nicht "
            "eingebunden."
        ),
    )
    video_transcript = TextAreaField(
        _l("Inhalt des Videos als Text"),
        [Length(max=200_000)],
        description=_l(
            "Für alle, die das Video nicht sehen können: was im Video gesagt oder gebärdet "
            "wird. Markdown oder einfaches HTML."
        ),
    )

    def validate_video_url(self, field) -> None:
        problem = video_problem(field.data or "", current_app.config["PUBLIC_URL"])
        if problem is VideoProblem.EXTERNAL:
            raise ValidationError(
                _(
                    "Bitte verwenden Sie ein Video auf dieser Website. Videos anderer Websites "
                    "werden nicht eingebunden, weil sie Daten an Dritte übermitteln würden."
                )
            )
        if problem is VideoProblem.NOT_A_PATH:
            raise ValidationError(
                _("Bitte geben Sie eine Adresse auf dieser Website ein, z. B. /medien/video.mp4.")
            )
