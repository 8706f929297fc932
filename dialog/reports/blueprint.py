from flask import Blueprint

from dialog.common import pagecache
from dialog.extensions import csrf
from dialog.reports import services, views

bp = Blueprint("reports", __name__)

# Staff: drafts (analysts and admins) and publication (admins).
bp.add_url_rule("/staff/berichte", "staff_reports", views.staff_reports)
bp.add_url_rule("/staff/berichte/entwurf", "request_draft", views.request_draft, methods=["POST"])
bp.add_url_rule(
    "/staff/berichte/entwuerfe/<int:job_id>/bericht-entwurf.zip",
    "download_draft",
    views.download_draft,
)
bp.add_url_rule("/staff/berichte/entwuerfe/<int:job_id>", "show_draft", views.show_draft)
bp.add_url_rule(
    "/staff/berichte/entwuerfe/<int:job_id>/themen/<int:theme_id>/<int:number>/code",
    "adopt_theme",
    views.adopt_theme,
    methods=["POST"],
)
bp.add_url_rule("/staff/berichte/<int:process_id>/veroeffentlichung", "publish", views.publish)
bp.add_url_rule(
    "/staff/berichte/<int:process_id>/bericht",
    "publish_report",
    views.publish_report,
    methods=["POST"],
)
bp.add_url_rule(
    "/staff/berichte/<int:process_id>/downloads",
    "add_download",
    views.add_download,
    methods=["POST"],
)
bp.add_url_rule(
    "/staff/berichte/<int:process_id>/dateien/<int:file_id>/verschieben",
    "move_file",
    views.move_file,
    methods=["POST"],
)
bp.add_url_rule(
    "/staff/berichte/<int:process_id>/dateien/<int:file_id>/entfernen",
    "remove_file",
    views.remove_file,
    methods=["POST"],
)

# Public: the results page and its files at stable addresses.
bp.add_url_rule("/dialog/<slug>/ergebnisse", "results", views.results)
bp.add_url_rule(
    "/dialog/<slug>/ergebnisse/dateien/<int:file_id>/<filename>",
    "download_file",
    views.download_file,
)

# Uploads may be larger than MAX_CONTENT_LENGTH, which the global CSRF check would enforce
# before the view can raise the limit; their forms check the CSRF token themselves.
csrf.exempt(views.publish_report)
csrf.exempt(views.add_download)


@bp.app_template_global()
def results_available(process_id: int) -> bool:
    """Whether the process's results are published (for the process and private-link pages);
    kept as long as cached pages (publishing and withdrawing the report empty that cache)."""
    return pagecache.remember(
        ("results_available", process_id), lambda: services.results_published(process_id)
    )
