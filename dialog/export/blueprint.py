from flask import Blueprint

from dialog.export import views

bp = Blueprint("export", __name__, url_prefix="/staff")

bp.add_url_rule("/export", "export_dataset", views.export_dataset, methods=["GET", "POST"])
