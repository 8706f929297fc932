from flask import Blueprint

from dialog.staff import views

bp = Blueprint("staff", __name__, url_prefix="/staff")

bp.add_url_rule("/", "dashboard", views.dashboard)
bp.add_url_rule("/protokoll", "audit_log", views.audit_log)
bp.add_url_rule("/postausgang", "show_outbox", views.show_outbox)
bp.add_url_rule("/postausgang/erneut-versuchen", "retry_mails", views.retry_mails, methods=["POST"])
bp.add_url_rule("/prozesse", "list_processes", views.list_processes)
bp.add_url_rule("/prozesse/neu", "new_process", views.edit_process, methods=["GET", "POST"])
bp.add_url_rule(
    "/prozesse/<int:process_id>", "edit_process", views.edit_process, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/prozesse/<int:process_id>/phasen/neu", "new_phase", views.edit_phase, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/prozesse/<int:process_id>/phasen/<int:phase_id>",
    "edit_phase",
    views.edit_phase,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/prozesse/<int:process_id>/phasen/<int:phase_id>/loeschen",
    "delete_phase",
    views.delete_phase,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/prozesse/<int:process_id>/themen/neu",
    "new_theme_field",
    views.edit_theme_field,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/prozesse/<int:process_id>/themen/<int:theme_id>",
    "edit_theme_field",
    views.edit_theme_field,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/themen/<int:theme_id>/fragen/neu",
    "new_question",
    views.edit_question,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/themen/<int:theme_id>/fragen/<int:question_id>",
    "edit_question",
    views.edit_question,
    methods=["GET", "POST"],
)
bp.add_url_rule("/seiten", "list_pages", views.list_pages)
bp.add_url_rule("/seiten/neu", "new_page", views.edit_page, methods=["GET", "POST"])
bp.add_url_rule("/seiten/<int:page_id>", "edit_page", views.edit_page, methods=["GET", "POST"])
bp.add_url_rule(
    "/seiten/<int:page_id>/loeschen", "delete_page", views.delete_page, methods=["GET", "POST"]
)
