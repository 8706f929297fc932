"""Rate limits counted inside a view, for forms whose view answers a limit with the form kept.

The limits share Flask-Limiter's storage (memory or Redis, RATELIMIT_STORAGE_URI), so that
they are reset, configured and scaled out like the decorator limits.
"""

from __future__ import annotations

from functools import lru_cache

from limits import RateLimitItem, parse_many

from dialog.extensions import client_address, limiter


@lru_cache(maxsize=32)
def _items(spec: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(spec))


def hit(scope: str, spec: str) -> bool:
    """Count one request of this client against `spec` ("20 per minute; 300 per hour").

    Returns False when one of the limits is exceeded.
    """
    if not limiter.enabled:
        return True
    key = client_address()
    return all(limiter.limiter.hit(item, scope, key) for item in _items(spec))
