from flask import Blueprint

from dialog.pages import views

bp = Blueprint("pages", __name__)

bp.add_url_rule("/seite/<slug>", "show_page", views.show_page)
bp.add_url_rule("/sprache/<lang>", "switch_language", views.switch_language)
