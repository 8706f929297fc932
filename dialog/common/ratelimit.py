"""Rate limits counted inside a view, for forms whose view answers a limit with the form kept.

The limits share Flask-Limiter's storage (memory or Redis, RATELIMIT_STORAGE_URI), so that
they are reset, configured and scaled out like the decorator limits. While that storage cannot
be reached, they are counted in this process's memory, as Flask-Limiter does for its own.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache

from flask import current_app
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from dialog.extensions import client_address, limiter

log = logging.getLogger(__name__)
RETRY_STORAGE_AFTER = 30.0  # seconds of counting in memory before the shared storage is tried
_fallback = FixedWindowRateLimiter(MemoryStorage())
_storage_down_until = 0.0


@lru_cache(maxsize=32)
def _items(spec: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(spec))


def hit(scope: str, spec: str) -> bool:
    """Count one request of this client against `spec` ("20 per minute; 300 per hour").

    Returns False when one of the limits is exceeded.
    """
    if not limiter.enabled:
        return True
    global _storage_down_until
    # Prefixed like Flask-Limiter's own keys, so that several sites can share one Redis.
    keys = (current_app.config.get("RATELIMIT_KEY_PREFIX", ""), scope, client_address())
    if time.monotonic() >= _storage_down_until:
        try:
            return all(limiter.limiter.hit(item, *keys) for item in _items(spec))
        except Exception:  # Redis raises its own errors, not limits' StorageError
            log.warning("rate-limit storage unreachable: counting in memory for a while")
            _storage_down_until = time.monotonic() + RETRY_STORAGE_AFTER
    return all(_fallback.hit(item, *keys) for item in _items(spec))
