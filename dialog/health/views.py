"""Probes for load balancers: short JSON, never cached, no session, no rate limit."""

from __future__ import annotations

from flask import jsonify

from dialog.health import rules, services


def _reply(code: int, **body: str):
    response = jsonify(body)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


def show_liveness():
    """The process answers requests; the database is not asked (see /readyz)."""
    return _reply(200, status="ok")


def show_readiness():
    """The database answers and its schema is at the head of the deployed migrations."""
    reason = rules.unready_reason(services.database_revisions(), services.migration_heads())
    if reason:
        return _reply(503, status="unavailable", reason=reason)
    return _reply(200, status="ok")
