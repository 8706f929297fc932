from flask import Blueprint

from dialog.moderation import views

bp = Blueprint("moderation", __name__, url_prefix="/staff")

bp.add_url_rule("/moderation", "queue", views.queue)
bp.add_url_rule("/moderation/sammelaktion", "bulk_moderate", views.bulk_moderate, methods=["POST"])
bp.add_url_rule(
    "/moderation/<int:answer_id>",
    "moderate_answer",
    views.moderate_answer,
    methods=["GET", "POST"],
)
bp.add_url_rule("/beitraege/neu", "choose_offline_theme", views.choose_offline_theme)
bp.add_url_rule(
    "/beitraege/neu/<int:theme_id>", "enter_offline", views.enter_offline, methods=["GET", "POST"]
)
