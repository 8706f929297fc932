from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from dialog.accounts.rules import MIN_PASSWORD_LENGTH
from dialog.common.forms import DialogForm, MultiCheckboxField
from dialog.common.permissions import Role

PASSWORD_HINT = _l(
    "Mindestens %(n)d Zeichen. Ein Satz aus mehreren Wörtern ist gut zu merken.",
    n=MIN_PASSWORD_LENGTH,
)


class LoginForm(DialogForm):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse ein.")), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Passwort"),
        validators=[DataRequired(_l("Bitte geben Sie Ihr Passwort ein.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


def _at_least_one_role(form, field) -> None:
    if not field.data:
        raise ValidationError(_("Bitte wählen Sie mindestens eine Rolle."))


def _roles_field():
    return MultiCheckboxField(
        _l("Rollen"),
        choices=[SelectChoice(role.value, role.label) for role in Role],
        validators=[_at_least_one_role],
        description=_l("Eine Person kann mehrere Rollen haben."),
    )


class UserCreateForm(DialogForm):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine E-Mail-Adresse ein.")),
            Email(_l("Bitte geben Sie eine gültige E-Mail-Adresse ein.")),
            Length(max=254),
        ],
    )
    name = StringField(_l("Name"), [Length(max=120)])
    roles = _roles_field()
    password = PasswordField(
        _l("Erstes Passwort"),
        validators=[DataRequired(_l("Bitte geben Sie ein Passwort ein.")), Length(max=1024)],
        description=PASSWORD_HINT,
        render_kw={"autocomplete": "new-password"},
    )


class UserEditForm(DialogForm):
    name = StringField(_l("Name"), [Length(max=120)])
    roles = _roles_field()
    active = BooleanField(_l("Konto aktiv (kann sich anmelden)"))
    password = PasswordField(
        _l("Neues Passwort"),
        validators=[Optional(), Length(max=1024)],
        description=_l("Leer lassen, um das Passwort nicht zu ändern."),
        render_kw={"autocomplete": "new-password"},
    )


class PasswordChangeForm(DialogForm):
    current = PasswordField(
        _l("Bisheriges Passwort"),
        validators=[DataRequired(_l("Bitte geben Sie Ihr bisheriges Passwort ein."))],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        _l("Neues Passwort"),
        validators=[DataRequired(_l("Bitte geben Sie ein neues Passwort ein.")), Length(max=1024)],
        description=PASSWORD_HINT,
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Neues Passwort wiederholen"),
        validators=[EqualTo("new", _l("Die beiden neuen Passwörter stimmen nicht überein."))],
        render_kw={"autocomplete": "new-password"},
    )
