"""HTTP hardening in one place: security headers and safe redirect targets."""

from __future__ import annotations

from functools import cached_property
from urllib.parse import parse_qsl, urlsplit

from flask import Flask, Request, Response, request
from werkzeug.datastructures import MultiDict
from werkzeug.formparser import FormDataParser
from werkzeug.routing import IntegerConverter, UnicodeConverter

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Pages with personal or staff-only content: never stored by browsers or proxies.
PRIVATE_PATHS = (
    "/staff",
    "/beitrag/",
    "/anmelden",
    "/veranstaltungen/anmeldung/",
    "/veranstaltungen/einladung",
)


def install_security_headers(app: Flask) -> None:
    """Send the same strict headers with every response."""

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        if request.path.startswith(PRIVATE_PATHS):
            headers["Cache-Control"] = "no-store"
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        # Only over TLS, directly or as a trusted proxy reports it (DIALOG_PROXY_HOPS):
        # RFC 6797 forbids the header on plain HTTP, where browsers ignore it anyway.
        if app.config.get("SESSION_COOKIE_SECURE") and request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def safe_redirect_target(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, otherwise `fallback` (no open redirects)."""
    if not target:
        return fallback
    target = target.strip()
    if "\\" in target or any(ord(c) < 32 for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


class _ReplacingFormDataParser(FormDataParser):
    """Decodes url-encoded forms with U+FFFD for bytes that are not UTF-8.

    Werkzeug keeps undecodable percent-escapes as text ("%FC") and drops a body with raw
    invalid bytes entirely; with replacement characters the forms can tell the person which
    text could not be read, and keep the rest of what they typed.
    """

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        items = parse_qsl(
            stream.read().decode("utf-8", "replace"), keep_blank_values=True, errors="replace"
        )
        return stream, self.cls(items), self.cls()


def _without_nul(values: MultiDict) -> MultiDict:
    if not any("\x00" in k or "\x00" in v for k, v in values.items(multi=True)):
        return values
    return type(values)(
        (k.replace("\x00", ""), v.replace("\x00", "")) for k, v in values.items(multi=True)
    )


class DialogRequest(Request):
    """Requests whose form and query values hold no NUL character.

    Nobody types one, and PostgreSQL refuses it in text: a value with one would end in a
    database error instead of an answer.
    """

    form_data_parser_class = _ReplacingFormDataParser

    @cached_property
    def args(self) -> MultiDict:
        return _without_nul(super().args)

    def _load_form_data(self) -> None:
        # `form` and `files` are loaded together, whichever is read first.
        loaded = "form" in self.__dict__
        super()._load_form_data()
        if not loaded:
            self.__dict__["form"] = _without_nul(self.__dict__["form"])


# Ids are 32-bit integers on every database we support; larger numbers are no row of ours.
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in URLs, limited to ids the database can hold (404 instead of an error)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class PlainStringConverter(UnicodeConverter):
    """`<name>` in URLs (slugs, tokens, codes) without control characters.

    None of ours holds one, and PostgreSQL refuses NUL in text: such a URL is a 404, not an
    error from the database.
    """

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]", 1)


def id_arg(name: str) -> int | None:
    """A positive id from the query string, or None when absent or not a valid id."""
    value = request.args.get(name, "")
    if not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
