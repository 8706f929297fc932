"""The form that leaves an address for notifications about results."""

from __future__ import annotations

from urllib.parse import quote

from flask import current_app, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import BooleanField, EmailField
from wtforms.validators import DataRequired, Email, Length

from dialog.common import pagecache
from dialog.common.forms import DialogForm
from dialog.notifications import rules


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SubscribeForm(DialogForm):
    email = EmailField(
        _l("Ihre E-Mail-Adresse"),
        validators=[
            DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse ein.")),
            Email(
                _l("Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@example.org."),
                check_deliverability=False,
            ),
            Length(max=320, message=_l("Höchstens 320 Zeichen.")),
        ],
        filters=[_strip],
        description=_l("Wir schicken Ihnen zuerst eine Nachricht, um die Adresse zu bestätigen."),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    consent = BooleanField(
        validators=[
            DataRequired(_l("Bitte stimmen Sie zu, damit wir Sie benachrichtigen dürfen."))
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.consent.label.text = consent_label()


def consent_label() -> str:
    """The wording of the consent, whose version (rules.CONSENT_VERSION) is kept with the
    address."""
    return rules.CONSENT_TEXT % {"days": current_app.config["NOTIFICATION_RETENTION_DAYS"]}


_LINK_PLACEHOLDER = "__dialog_private_link_token__"


def blank_form(token: str) -> Markup:
    """The empty form for the private link of `token`, as HTML. It is the same for everyone
    but the link's token and the CSRF token, so it is rendered once per language and kept as
    long as cached pages; the CSRF token is a placeholder that `pagecache.personalise` fills
    in for each response."""

    def render() -> str:
        form = SubscribeForm(formdata=None)
        form.csrf_token.current_token = pagecache.CSRF_PLACEHOLDER
        return render_template(
            "notifications/_form.html", subscribe_form=form, token=_LINK_PLACEHOLDER
        )

    html = pagecache.remember(("blank_subscribe_form", str(get_locale())), render)
    filled = html.replace(_LINK_PLACEHOLDER, quote(token, safe=""))
    return Markup(filled)  # noqa: S704  # nosec B704 - our template, the token URL-quoted
