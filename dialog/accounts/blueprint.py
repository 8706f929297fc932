from flask import Blueprint

from dialog.accounts import views

bp = Blueprint("accounts", __name__)

bp.add_url_rule("/anmelden", "login", views.login, methods=["GET", "POST"])
bp.add_url_rule("/abmelden", "logout", views.logout, methods=["POST"])
bp.add_url_rule(
    "/staff/passwort", "change_password", views.change_password, methods=["GET", "POST"]
)
bp.add_url_rule("/staff/konten", "list_users", views.list_users)
bp.add_url_rule("/staff/konten/neu", "new_user", views.new_user, methods=["GET", "POST"])
bp.add_url_rule(
    "/staff/konten/<int:user_id>", "edit_user", views.edit_user, methods=["GET", "POST"]
)
