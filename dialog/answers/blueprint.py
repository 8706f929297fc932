from flask import Blueprint

from dialog.answers import views

bp = Blueprint("answers", __name__)

bp.add_url_rule(
    "/dialog/<slug>/<theme_slug>", "answer_theme", views.answer_theme, methods=["GET", "POST"]
)
bp.add_url_rule("/antworten", "list_featured_answers", views.list_featured_answers)
bp.add_url_rule("/dialog/<slug>/antworten", "list_answers", views.list_answers)
bp.add_url_rule("/antworten/<int:answer_id>", "show_answer", views.show_answer)
bp.add_url_rule(
    "/antworten/<int:answer_id>/melden",
    "report_answer",
    views.report_answer,
    methods=["GET", "POST"],
)
bp.add_url_rule("/beitrag/<token>", "own_submission", views.own_submission, methods=["GET", "POST"])
bp.add_url_rule(
    "/beitrag/<token>/loeschen",
    "delete_submission",
    views.delete_submission,
    methods=["GET", "POST"],
)
