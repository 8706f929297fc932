from flask import Blueprint

from dialog.extensions import csrf, limiter
from dialog.health import views

bp = Blueprint("health", __name__)

bp.add_url_rule("/healthz", "show_liveness", views.show_liveness)
bp.add_url_rule("/readyz", "show_readiness", views.show_readiness)

# Load balancers ask every few seconds from one address and send no session or token.
limiter.exempt(bp)
csrf.exempt(bp)
