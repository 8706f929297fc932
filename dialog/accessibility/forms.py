"""The feedback form of the Erklärung zur Barrierefreiheit."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from dialog.accessibility.rules import MAX_FEEDBACK_LENGTH, needs_consent
from dialog.accessibility.services import FeedbackInput
from dialog.common.forms import DialogForm
from dialog.common.sanitize import plain_text


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class FeedbackForm(DialogForm):
    """A barrier report: only the description is required; contact data only for a reply."""

    message = TextAreaField(
        _l("Welche Barriere ist Ihnen aufgefallen?"),
        validators=[
            DataRequired(_l("Bitte beschreiben Sie die Barriere, die Ihnen aufgefallen ist.")),
            Length(
                max=MAX_FEEDBACK_LENGTH,
                message=_l("Bitte fassen Sie sich kürzer (höchstens 5.000 Zeichen)."),
            ),
        ],
        filters=[_strip],
        # No maxlength attribute: browsers would cut pasted text without saying so.
        render_kw={"maxlength": False},
        description=_l(
            "Zum Beispiel: Was wollten Sie tun? Was hat nicht funktioniert? Welches Hilfsmittel "
            "nutzen Sie (etwa einen Screenreader)? Höchstens 5.000 Zeichen."
        ),
    )
    page_url = StringField(
        _l("Auf welcher Seite?"),
        validators=[Optional(), Length(max=500, message=_l("Höchstens 500 Zeichen."))],
        filters=[_strip],
        description=_l("Freiwillig. Die Adresse oder der Name der Seite."),
    )
    name = StringField(
        _l("Ihr Name"),
        validators=[Optional(), Length(max=200, message=_l("Höchstens 200 Zeichen."))],
        filters=[_strip],
        description=_l("Freiwillig. Nur nötig, wenn Sie eine Antwort möchten."),
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("Ihre E-Mail-Adresse"),
        validators=[
            Optional(),
            Email(
                _l("Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@example.org."),
                check_deliverability=False,
            ),
            Length(max=254),
        ],
        filters=[_strip],
        description=_l("Freiwillig. Nur nötig, wenn Sie eine Antwort möchten."),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    contact_consent = BooleanField(
        _l(
            "Ich bin einverstanden, dass meine Angaben gespeichert werden, damit das Ministerium "
            "mir antworten kann."
        ),
        description=_l(
            "Nur nötig, wenn Sie Name oder E-Mail-Adresse angeben. Wir löschen beides, sobald "
            "Ihre Rückmeldung bearbeitet ist. Sie können Ihre Einwilligung jederzeit "
            "widerrufen."
        ),
    )
    # A field people never see; bots fill it in.
    website = StringField(
        _l("Bitte lassen Sie dieses Feld leer."),
        render_kw={"autocomplete": "off", "tabindex": "-1"},
    )

    def validate_contact_consent(self, field) -> None:
        if needs_consent(self.name.data or "", self.email.data or "") and not field.data:
            raise ValidationError(
                _(
                    "Bitte stimmen Sie der Speicherung zu, damit wir Ihnen antworten können – "
                    "oder lassen Sie Name und E-Mail-Adresse leer."
                )
            )

    def validate_website(self, field) -> None:
        if field.data:
            raise ValidationError(
                _("Das Feld muss leer bleiben. Bitte senden Sie das Formular ohne diesen Eintrag.")
            )

    def validate_message(self, field) -> None:
        if "\ufffd" in (field.data or ""):
            raise ValidationError(
                _(
                    "Ihre Nachricht enthält Zeichen, die nicht gelesen werden konnten (ungültige "
                    "Zeichenkodierung). Bitte prüfen Sie die mit „�“ markierten Stellen."
                )
            )
        if not plain_text(field.data):
            raise ValidationError(
                _("Bitte beschreiben Sie die Barriere, die Ihnen aufgefallen ist.")
            )

    def feedback(self) -> FeedbackInput:
        return FeedbackInput(
            name=plain_text(self.name.data),
            email=self.email.data or "",
            page_url=plain_text(self.page_url.data),
            message=plain_text(self.message.data),
        )
