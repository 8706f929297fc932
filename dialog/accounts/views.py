from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from dialog.accounts import services
from dialog.accounts.forms import LoginForm
from dialog.common.http import safe_redirect_target
from dialog.extensions import db, limiter


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _submitted_account() -> str:
    return "login-account:" + services.normalise_email(request.form.get("email", ""))


def _failed(response) -> bool:
    # Only failed attempts count towards the limits; a successful login redirects.
    return response.status_code != 302


@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, methods=["POST"], key_func=_submitted_account, deduct_when=_failed)
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("staff.dashboard"))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            _fresh_session()  # no fixation of a session that existed before login
            login_user(user)
            db.session.commit()
            flash(_("Sie sind angemeldet."), "success")
            return redirect(safe_redirect_target(form.next.data, url_for("staff.dashboard")))
        form.form_errors.append(
            _("E-Mail-Adresse oder Passwort sind nicht korrekt. Bitte versuchen Sie es erneut.")
        )
    return render_template("accounts/login.html", form=form)


@login_required
def logout():
    services.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("Sie sind abgemeldet."), "success")
    return redirect(url_for("process.home"))


def _fresh_session() -> None:
    """Drop everything in the session except the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
