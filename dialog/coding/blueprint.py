from flask import Blueprint

from dialog.coding import campaign_views, suggestion_views, views

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

# Possible campaigns: groups of near-copies, their review, and recomputing them with the flags.
bp.add_url_rule("/kampagnen", "list_campaigns", campaign_views.list_campaigns)
bp.add_url_rule(
    "/kampagnen/berechnen", "detect_campaigns", campaign_views.detect_campaigns, methods=["POST"]
)
bp.add_url_rule(
    "/kampagnen/<int:group_id>", "show_campaign_group", campaign_views.show_campaign_group
)
bp.add_url_rule(
    "/kampagnen/<int:group_id>/entscheidung",
    "decide_campaign_group",
    campaign_views.decide_campaign_group,
    methods=["POST"],
)
bp.add_url_rule(
    "/kampagnen/<int:group_id>/aufteilen",
    "split_campaign_group",
    campaign_views.split_campaign_group,
    methods=["POST"],
)

# Code suggestions from themes of a draft report: the list to review, and each decision.
bp.add_url_rule("/vorschlaege", "list_suggestions", suggestion_views.list_suggestions)
bp.add_url_rule(
    "/vorschlaege/<int:suggestion_id>/entscheidung",
    "decide_suggestion",
    suggestion_views.decide_suggestion,
    methods=["POST"],
)
bp.add_app_template_global(suggestion_views.answer_suggestions, "open_code_suggestions")
