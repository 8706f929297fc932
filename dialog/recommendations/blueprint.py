from flask import Blueprint

from dialog.extensions import csrf
from dialog.recommendations import documentation_views, public, public_views, views

bp = Blueprint("recommendations", __name__, url_prefix="/staff/empfehlungen")

bp.add_url_rule("", "list_recommendations", views.list_recommendations)
bp.add_url_rule("/neu", "new_recommendation", views.new_recommendation, methods=["GET", "POST"])
bp.add_url_rule("/listen", "edit_options", views.edit_options, methods=["GET", "POST"])
bp.add_url_rule("/<int:rec_id>", "show_recommendation", views.show_recommendation)
bp.add_url_rule(
    "/<int:rec_id>/bearbeiten",
    "edit_recommendation",
    views.edit_recommendation,
    methods=["GET", "POST"],
)
bp.add_url_rule("/<int:rec_id>/status", "change_status", views.change_status, methods=["POST"])
bp.add_url_rule(
    "/<int:rec_id>/bewertung", "rate_recommendation", views.rate_recommendation, methods=["POST"]
)
bp.add_url_rule("/<int:rec_id>/belege/<kind>", "add_evidence", views.add_evidence, methods=["POST"])
bp.add_url_rule(
    "/<int:rec_id>/belege/<int:evidence_id>/entfernen",
    "remove_evidence",
    views.remove_evidence,
    methods=["POST"],
)

# Event documentation: the points raised at events, citable as evidence.
bp.add_url_rule(
    "/veranstaltungen", "list_documented_events", documentation_views.list_documented_events
)
bp.add_url_rule(
    "/veranstaltungen/<int:event_id>",
    "event_documentation",
    documentation_views.event_documentation,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/veranstaltungen/<int:event_id>/abschlusskonferenz",
    "final_conference",
    documentation_views.final_conference,
    methods=["POST"],
)
bp.add_url_rule(
    "/dokumentation/<int:entry_id>",
    "edit_documentation",
    documentation_views.edit_documentation,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/dokumentation/<int:entry_id>/loeschen",
    "delete_documentation",
    documentation_views.delete_documentation,
    methods=["POST"],
)
bp.add_url_rule(
    "/dokumentation/<int:entry_id>/datei",
    "documentation_file",
    documentation_views.documentation_file,
)

# Uploads may be larger than MAX_CONTENT_LENGTH, which the global CSRF check would enforce
# before the view can raise the limit; their forms check the CSRF token themselves.
csrf.exempt(documentation_views.event_documentation)
csrf.exempt(documentation_views.edit_documentation)

# Public: the published recommendations with the results ("wir haben gehandelt"), as open
# data and as a feed of their status changes.
public_bp = Blueprint("public_recommendations", __name__, url_prefix="/dialog/<slug>/ergebnisse")

public_bp.add_url_rule(
    "/empfehlungen", "recommendation_results", public_views.recommendation_results
)
public_bp.add_url_rule(
    "/empfehlungen/<theme_slug>", "theme_results", public_views.recommendation_results
)
public_bp.add_url_rule("/empfehlungen.csv", "results_csv", public_views.results_csv)
public_bp.add_url_rule("/empfehlungen.json", "results_json", public_views.results_json)
public_bp.add_url_rule("/empfehlungen.atom", "results_feed", public_views.results_feed)


@public_bp.app_template_global()
def recommendations_public(process) -> bool:
    """Whether the published recommendations are public yet (for the process page)."""
    return public.results_shown(process)
