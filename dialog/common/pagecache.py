"""A microcache of rendered public pages for anonymous visitors, per server process.

On deadline day thousands of people open the same few pages; rendering each of them once per
`PAGE_CACHE_SECONDS` instead of once per visitor keeps the site fast. Only GET requests of
visitors who are not logged in and have no pending messages are served from the cache, keyed
by address and language, so content edits and newly published answers show up within that
time. Per-visitor values (the CSRF token, the answer form's nonce) are rendered as
placeholders and filled in for every response, cached or not.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

CSRF_PLACEHOLDER = "__dialog_csrf_token__"
MAX_ENTRIES = 2000

# Placeholder → function giving the value for one response; domains register their own.
personalisers: dict[str, Callable[[], str]] = {CSRF_PLACEHOLDER: generate_csrf}


class _Store:
    def __init__(self) -> None:
        self._entries: OrderedDict[tuple, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] < time.monotonic():
                return None
            return entry[1]

    def put(self, key: tuple, value: Any, ttl: float) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


store = _Store()


def _cache_key() -> tuple | None:
    if request.method != "GET" or "_flashes" in session or current_user.is_authenticated:
        return None
    return ("page", request.full_path, str(get_locale()))


def remember(key: tuple, compute: Callable[[], Any]) -> Any:
    """A value that is expensive to compute and may be as old as the cached pages."""
    ttl = current_app.config["PAGE_CACHE_SECONDS"]
    if ttl <= 0:
        return compute()
    value = store.get(("value", *key))
    if value is None:
        value = compute()
        store.put(("value", *key), value, ttl)
    return value


def personalise(html: str) -> str:
    for placeholder, make in personalisers.items():
        if placeholder in html:
            html = html.replace(placeholder, make())
    return html


def cached(view: Callable) -> Callable:
    """Serve the view's HTML from the microcache where that is safe (see module docstring)."""
    return _serve_cached(view, None)


def cached_until_changed(version: Callable[..., Any]) -> Callable[[Callable], Callable]:
    """Like `cached`, for pages that must show a change at once (a deleted answer, a new
    status): the key also holds `version(**view_kwargs)`, a cheap value that changes with
    every change the page shows, so a cached page is never older than its data."""
    return lambda view: _serve_cached(view, version)


def _serve_cached(view: Callable, version: Callable[..., Any] | None) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        ttl = current_app.config["PAGE_CACHE_SECONDS"]
        key = _cache_key() if ttl > 0 else None
        if key and version is not None:
            key = (*key, version(**kwargs))
        html = store.get(key) if key else None
        if html is None:
            result = view(*args, **kwargs)
            if not isinstance(result, str):
                return result
            html = result
            if key:
                store.put(key, html, ttl)
        return personalise(html)

    return wrapper
