from flask import Blueprint

from dialog.demo import views

bp = Blueprint("demo", __name__, url_prefix="/staff/demo")

bp.add_url_rule("/phase", "switch_phase", views.switch_phase, methods=["POST"])
