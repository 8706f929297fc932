from flask import Blueprint

from dialog.accounts import views

bp = Blueprint("accounts", __name__)

bp.add_url_rule("/anmelden", "login", views.login, methods=["GET", "POST"])
bp.add_url_rule("/abmelden", "logout", views.logout, methods=["POST"])
