from flask import Blueprint

from dialog.accessibility import views

bp = Blueprint("accessibility", __name__)

# The pages keep their /seite/<slug> addresses (footer, staff's "Öffentliche Ansicht"): these
# rules win over the generic page rule because they have no variable part.
bp.add_url_rule("/seite/leichte-sprache", "easy_language", views.easy_language)
bp.add_url_rule("/seite/gebaerdensprache", "sign_language", views.sign_language)
bp.add_url_rule("/seite/barrierefreiheit", "statement", views.statement, methods=["GET", "POST"])
bp.add_url_rule("/seite/barrierefreiheit/danke", "feedback_sent", views.feedback_sent)
for short, endpoint in (
    ("/leichte-sprache", "accessibility.easy_language"),
    ("/gebaerdensprache", "accessibility.sign_language"),
    ("/barrierefreiheit", "accessibility.statement"),
):
    bp.add_url_rule(
        short,
        f"short_{endpoint.rsplit('.', 1)[-1]}",
        views.short_address,
        defaults={"endpoint": endpoint},
    )

bp.add_url_rule("/staff/barrierefreiheit", "staff_feedback", views.staff_feedback)
bp.add_url_rule(
    "/staff/barrierefreiheit/<int:feedback_id>/erledigt",
    "mark_feedback_done",
    views.mark_feedback_done,
    methods=["POST"],
)
bp.add_url_rule(
    "/staff/barrierefreiheit/<int:feedback_id>/loeschen",
    "delete_feedback",
    views.delete_feedback,
    methods=["GET", "POST"],
)
