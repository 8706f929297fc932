from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from dialog.accounts import services
from dialog.accounts.forms import LoginForm, PasswordChangeForm, UserCreateForm, UserEditForm
from dialog.accounts.models import User
from dialog.common.http import safe_redirect_target
from dialog.common.permissions import Role, roles_required
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
        db.session.commit()  # failed attempts are audit-logged too
        if user is not None:
            _fresh_session()  # no fixation of a session that existed before login
            login_user(user)
            flash(_("Sie sind angemeldet."), "success")
            return redirect(safe_redirect_target(form.next.data, url_for("staff.dashboard")))
        form.form_errors.append(
            _("E-Mail-Adresse oder Passwort sind nicht korrekt. Bitte versuchen Sie es erneut.")
        )
    return render_template("accounts/login.html", form=form)


@login_required
def logout():
    services.log_out(current_user)
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("Sie sind abgemeldet – auf allen Geräten, auf denen Sie angemeldet waren."), "success")
    return redirect(url_for("process.home"))


def _fresh_session() -> None:
    """Drop everything in the session except the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


@roles_required()
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_own_password(current_user, form.current.data, form.new.data)
        except services.PasswordRejected as error:
            form.new.errors.extend(error.messages)
        except services.AccountError as error:
            form.current.errors.append(str(error))
        else:
            db.session.commit()
            login_user(current_user)  # the session token changed: keep this session alive
            flash(_("Ihr Passwort wurde geändert. Andere Sitzungen wurden beendet."), "success")
            return redirect(url_for("staff.dashboard"))
    return render_template("accounts/password.html", form=form)


@roles_required(Role.ADMIN)
def list_users():
    return render_template("accounts/users.html", users=services.all_users())


@roles_required(Role.ADMIN)
def new_user():
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            services.create_user(
                current_user,
                form.email.data,
                form.password.data,
                {Role(r) for r in form.roles.data},
                name=form.name.data or "",
            )
        except services.PasswordRejected as error:
            form.password.errors.extend(error.messages)
        except services.AccountError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Das Konto wurde angelegt."), "success")
            return redirect(url_for("accounts.list_users"))
    return render_template("accounts/user_edit.html", form=form, user=None)


@roles_required(Role.ADMIN)
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserEditForm(
        data={"name": user.name, "roles": sorted(user.role_set), "active": user.active}
    )
    if form.validate_on_submit():
        try:
            services.update_user(
                current_user,
                user,
                name=form.name.data or "",
                roles={Role(r) for r in form.roles.data},
                active=form.active.data,
                password=form.password.data or "",
            )
        except services.PasswordRejected as error:
            db.session.rollback()
            form.password.errors.extend(error.messages)
        except services.AccountError as error:
            db.session.rollback()
            form.roles.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Das Konto wurde gespeichert."), "success")
            return redirect(url_for("accounts.list_users"))
    return render_template("accounts/user_edit.html", form=form, user=user)
