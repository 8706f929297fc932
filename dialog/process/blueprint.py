from flask import Blueprint

from dialog.process import views

bp = Blueprint("process", __name__)

bp.add_url_rule("/", "home", views.home)
bp.add_url_rule("/dialog/<slug>", "show_process", views.show_process)
