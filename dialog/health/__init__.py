"""Health endpoints for load balancers: /healthz (liveness) and /readyz (readiness)."""
