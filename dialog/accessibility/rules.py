"""Pure rules for the accessibility pages: self-hosted videos and how long feedback is kept."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

MAX_FEEDBACK_LENGTH = 5000
VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg"}


class FeedbackStatus(StrEnum):
    OPEN = "open"  # waiting for staff
    DONE = "done"  # dealt with; name and e-mail address are deleted


class VideoProblem(StrEnum):
    EXTERNAL = "external"  # another site: the video would load from a third party
    NOT_A_PATH = "not_a_path"  # no usable address (a scheme such as javascript:, a bare word)


def video_problem(url: str, site_url: str) -> VideoProblem | None:
    """Why `url` cannot be the address of a video on this site (`site_url`), or None.

    Allowed are paths on this site ("/medien/dgs.mp4") and full addresses on its own host:
    the site loads nothing from third parties, and its Content-Security-Policy would block it.
    """
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc:  # "https://host/…", or "//host/…" in the page's own scheme
        if parts.scheme not in ("", "http", "https"):
            return VideoProblem.NOT_A_PATH
        if parts.netloc.lower() != urlsplit(site_url).netloc.lower():
            return VideoProblem.EXTERNAL
        return None
    if parts.scheme:  # javascript:, data: …
        return VideoProblem.NOT_A_PATH
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return VideoProblem.NOT_A_PATH
    return None


def video_type(url: str) -> str | None:
    """The MIME type a browser needs to pick the video, from its file name; None if unknown."""
    path = urlsplit(url.strip()).path.lower()
    return next((mime for ext, mime in VIDEO_TYPES.items() if path.endswith(ext)), None)


def retention_cutoff(now: datetime, retention_days: int) -> datetime:
    """Feedback received before this moment is deleted by `flask purge`."""
    return now - timedelta(days=retention_days)


def needs_consent(name: str, email: str) -> bool:
    """Consent is asked for only when someone leaves a name or address for a reply."""
    return bool(name.strip() or email.strip())
