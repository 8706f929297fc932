"""The only module that imports bleach: every piece of user or staff text passes through here.

Staff write rich text as Markdown or limited HTML; it is rendered and cleaned to an allow-list.
Citizen text is plain: HTML is stripped, Unicode normalised, control characters removed.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import bleach
from bleach.linkifier import Linker
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i",
        "li", "ol", "p", "pre", "strong", "ul", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "lang", "hreflang"],
    "abbr": ["title"],
    "th": ["scope"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})

_H1 = re.compile(r"<(/?)h1>")
# Elements whose content is code, not text: removed with their content, not just untagged.
_CODE_ELEMENTS = re.compile(
    r"<(script|style|template|noscript)\b[^>]*>.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL
)
_markdown = MarkdownIt("commonmark", {"html": True}).enable("table")
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)
_linker = Linker(parse_email=True)
# Control characters (C0/C1 except tab and newline) and bidirectional overrides that can
# disguise text (e.g. U+202E RIGHT-TO-LEFT OVERRIDE).
_UNSAFE_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


@lru_cache(maxsize=1024)
def _render(source: str) -> str:
    # Each page has exactly one h1, its title, so headings in staff text start at h2.
    rendered = _H1.sub(r"<\1h2>", _CODE_ELEMENTS.sub("", _markdown.render(source)))
    return _linker.linkify(_cleaner.clean(rendered))


def rich_text(source: str | None) -> Markup:
    """Render staff-written Markdown/limited HTML to safe HTML."""
    if not source:
        return Markup("")
    return Markup(_render(source))  # nosec B704 # noqa: S704 - HTML just cleaned to an allow-list


def clean_rich_text(source: str | None) -> str:
    """Normalise staff-written source before it is stored (line endings, NFC, control chars)."""
    if source is None:
        return ""
    text = unicodedata.normalize("NFC", source.replace("\r\n", "\n").replace("\r", "\n"))
    return _UNSAFE_CHARS.sub("", text).strip()


def plain_text(value: str | None) -> str:
    """Citizen text as typed, minus HTML tags, normalised to NFC, without control characters."""
    if value is None:
        return ""
    text = _UNSAFE_CHARS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if "<" not in text:  # no tag can be there: skip the HTML parser (most answers)
        return unicodedata.normalize("NFC", text).strip()
    # Ampersands are escaped first so that typed entities ("&lt;") stay text; bleach escapes
    # the text it keeps, which is unescaped again: stored plain, escaped when rendered.
    stripped = html.unescape(
        bleach.clean(
            text.replace("&", "&amp;"), tags=set(), attributes={}, strip=True, strip_comments=True
        )
    )
    return unicodedata.normalize("NFC", stripped).strip()
