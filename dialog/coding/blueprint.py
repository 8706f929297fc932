from flask import Blueprint

from dialog.coding import views

bp = Blueprint("coding", __name__, url_prefix="/staff/analyse")

bp.add_url_rule("/codebuch", "codebook", views.codebook, methods=["GET", "POST"])
bp.add_url_rule("/codebuch/<int:code_id>", "edit_code", views.edit_code, methods=["GET", "POST"])
bp.add_url_rule(
    "/codebuch/<int:code_id>/stilllegen", "retire_code", views.retire_code, methods=["POST"]
)
bp.add_url_rule(
    "/codebuch/<int:code_id>/reaktivieren",
    "reactivate_code",
    views.reactivate_code,
    methods=["POST"],
)
bp.add_url_rule(
    "/codebuch/<int:code_id>/zusammenfuehren", "merge_code", views.merge_code, methods=["POST"]
)
bp.add_url_rule("/beitraege", "list_answers", views.list_answers)
bp.add_url_rule(
    "/beitraege/sammelzuordnung", "bulk_assign", views.bulk_assign, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/beitraege/<int:answer_id>", "code_answer", views.code_answer, methods=["GET", "POST"]
)
bp.add_url_rule("/stichproben", "list_samples", views.list_samples)
bp.add_url_rule("/stichproben/neu", "new_sample", views.new_sample, methods=["GET", "POST"])
