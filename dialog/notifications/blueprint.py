from flask import Blueprint

from dialog.extensions import csrf
from dialog.notifications import views

bp = Blueprint("notifications", __name__)

bp.add_url_rule("/beitrag/<token>/benachrichtigung", "subscribe", views.subscribe, methods=["POST"])
bp.add_url_rule(
    "/benachrichtigung/<token>/bestaetigen", "confirm", views.confirm, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/benachrichtigung/<token>/abmelden", "unsubscribe", views.unsubscribe, methods=["GET", "POST"]
)
# One-click unsubscribing (RFC 8058): mail programs POST without a CSRF token; the unguessable
# token in the address is the authorisation, and the GET page asks before anything happens.
csrf.exempt(views.unsubscribe)
