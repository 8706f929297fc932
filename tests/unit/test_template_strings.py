"""No template shows a string that has not been marked for translation.

Every template is read twice. First Jinja's own lexer finds its constructs (`{{ … }}`,
`{% … %}`, `{# … #}`) and `{% trans %}` blocks; they are masked in the source, keeping its line
breaks, so that an HTML parser sees only the literal text around them. Its text nodes and the
attributes people see or hear (alt, title, placeholder, aria-*, value of buttons, <title>,
<option>) must then hold no letters. Second, Jinja's parser walks every expression: a string
literal that reads like language (a capitalised word, an umlaut, two words) and is not an
argument of `_()`/`gettext`/`ngettext` is reported as well. Plain-text mail templates (.txt)
have no markup: all their literal text counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

from dialog import ROOT

TEMPLATES = ROOT / "templates"
TEMPLATE_FILES = sorted(
    p for p in TEMPLATES.rglob("*") if p.is_file() and p.suffix in {".html", ".txt"}
)

# A letter of any script: text without one (punctuation, numbers, "©", "–") needs no translation.
LETTER = re.compile(r"[^\W\d_]")
# Masked Jinja constructs become this private-use character, which is no letter.
MASK = "\ue000"

# Literal text that is no language, each with the reason. Matched against the whole text node
# or attribute value after masking and collapsing white space (masks removed).
ALLOWED_TEXT: dict[str, str] = {
    "Hin.Gehört.": "the brand name of the citizen dialogues, the same in every language",
    "dialog": "the product's name",
    "BITV 2.0": "the name of a German regulation",
    "DGS": "Deutsche Gebärdensprache: the abbreviation is the sign language's name",
    "Deutsch": "language names are written in their own language (lang attribute set)",
    "English": "language names are written in their own language (lang attribute set)",
}

# Attributes whose values are shown or read aloud.
VISIBLE_ATTRIBUTES = {
    "alt",
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "aria-placeholder",
    "label",
    # Texts the character counter script shows and announces.
    "data-remaining",
    "data-over",
}
# Elements whose content is not language: scripts and styles are not shown, code and keys are
# typed as they are, in every language.
INVISIBLE_ELEMENTS = {"script", "style", "code", "kbd", "samp"}
# Functions whose string arguments are the msgids themselves.
GETTEXT_CALLS = {"_", "gettext", "ngettext", "pgettext", "npgettext", "_l", "lazy_gettext"}


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    text: str
    where: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.where} {self.text!r}"


def _environment() -> Environment:
    return Environment(
        autoescape=True, extensions=["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"]
    )


def mask_jinja(source: str) -> str:
    """The source with every Jinja construct and trans block replaced by MASK + its newlines.

    The result has the same lines as the source, so that the HTML parser's positions are the
    template's.
    """
    out: list[str] = []
    pos = 0
    trans_depth = 0
    for start, end, kind, word in jinja_constructs(source):
        text = source[pos:start]
        out.append(text if trans_depth == 0 else "\n" * text.count("\n"))
        out.append(MASK + "\n" * source.count("\n", start, end))
        pos = end
        if kind == "block" and word == "trans":
            trans_depth += 1
        elif kind == "block" and word == "endtrans":
            trans_depth -= 1
    out.append(source[pos:])
    return "".join(out)


def jinja_constructs(source: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, kind, first name) of each `{{ }}`, `{% %}`, `{# #}` in the source.

    A closing delimiter inside a string literal does not close the construct, as in Jinja's
    lexer; a `{% raw %}` block is one construct up to its `{% endraw %}`. A test checks that
    the constructs start on the lines where Jinja's lexer finds them.
    """
    opening = re.compile(r"\{\{|\{%|\{#")
    pos = 0
    while m := opening.search(source, pos):
        start = m.start()
        kind = {"{{": "variable", "{%": "block", "{#": "comment"}[m.group()]
        if kind == "comment":
            end = source.index("#}", m.end()) + 2
            yield start, end, kind, ""
            pos = end
            continue
        closing = "}}" if kind == "variable" else "%}"
        i = m.end()
        quote = None
        while quote or not source.startswith(closing, i):
            ch = source[i]
            if quote and ch == "\\":
                i += 1
            elif quote and ch == quote:
                quote = None
            elif not quote and ch in "'\"":
                quote = ch
            i += 1
        end = i + 2
        first = re.match(r"[-+]?\s*([A-Za-z_]*)", source[m.end() : i]).group(1)
        if kind == "block" and first == "raw":
            end = re.compile(r"\{%[-+]?\s*endraw\s*[-+]?%\}").search(source, end).end()
        yield start, end, kind, first
        pos = end


class _TextCollector(HTMLParser):
    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.findings: list[Finding] = []
        self.stack: list[str] = []

    def _check(self, text: str, line: int, where: str) -> None:
        text = " ".join(text.replace(MASK, " ").split())
        if not LETTER.search(text) or text in ALLOWED_TEXT:
            return
        self.findings.append(Finding(self.path, line, text, where))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            # A <button>'s value is only sent, its content is shown; an input button shows it.
            visible = name in VISIBLE_ATTRIBUTES or (
                name == "value"
                and tag == "input"
                and values.get("type") in {"submit", "button", "reset"}
            )
            if visible:
                self._check(value, line, f"<{tag} {name}>")
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col"}:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if any(t in INVISIBLE_ELEMENTS for t in self.stack):
            return
        line = self.getpos()[0]
        # The line of the first non-blank character, not of the text node's start.
        stripped = data.lstrip()
        line += data[: len(data) - len(stripped)].count("\n")
        where = f"<{self.stack[-1]}> text" if self.stack else "text"
        self._check(data, line, where)


def html_findings(path: Path, source: str) -> list[Finding]:
    collector = _TextCollector(path)
    # A construct as a tag's name (`<{{ heading }}>`) stays a tag for the parser.
    collector.feed(re.sub(f"(</?){MASK}", r"\1jinja-tag", mask_jinja(source)))
    collector.close()
    return collector.findings


def text_findings(path: Path, source: str) -> list[Finding]:
    findings = []
    for number, line in enumerate(mask_jinja(source).splitlines(), start=1):
        text = " ".join(line.replace(MASK, " ").split())
        if LETTER.search(text) and text not in ALLOWED_TEXT:
            findings.append(Finding(path, number, text, "text"))
    return findings


# A string literal in an expression reads like language when it has a capitalised word of two
# letters or more, a German letter, or two words of letters. Tokens with characters that words
# do not have (CSS classes, endpoints, paths, field types like "BooleanField") are left out.
LANGUAGE_LIKE = re.compile(r"\b[A-ZÄÖÜ][a-zäöüß]+\b|[äöüÄÖÜß]|\b[^\W\d_]{2,}\s+[^\W\d_]{2,}\b")
IDENTIFIER_TOKEN = re.compile(r"\S*(?:[-_./=:#@]|[a-z][A-Z])\S*")


def reads_like_language(value: str) -> bool:
    return bool(LANGUAGE_LIKE.search(IDENTIFIER_TOKEN.sub(" ", value)))


def literal_findings(path: Path, source: str, env: Environment) -> list[Finding]:
    tree = env.parse(source, name=str(path))
    findings: list[Finding] = []

    def walk(node: nodes.Node, in_gettext: bool) -> None:
        if isinstance(node, nodes.Call):
            name = node.node.name if isinstance(node.node, nodes.Name) else None
            if name in GETTEXT_CALLS:
                in_gettext = True
        if isinstance(node, nodes.Const) and isinstance(node.value, str) and not in_gettext:
            value = node.value
            if reads_like_language(value) and value.strip() not in ALLOWED_TEXT:
                findings.append(Finding(path, node.lineno, value, "literal"))
        for child in node.iter_child_nodes():
            walk(child, in_gettext)

    walk(tree, False)
    return findings


def findings_for_source(path: Path, source: str) -> list[Finding]:
    structural = text_findings if path.suffix == ".txt" else html_findings
    return structural(path, source) + literal_findings(path, source, _environment())


def findings_for(path: Path) -> list[Finding]:
    return findings_for_source(path, path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_has_no_unmarked_string(path: Path) -> None:
    findings = findings_for(path)
    assert not findings, "unmarked user-visible strings (wrap in {{ _('…') }}):\n" + "\n".join(
        map(str, findings)
    )


def test_templates_are_found() -> None:
    assert len(TEMPLATE_FILES) > 50
    assert TEMPLATES / "base.html" in TEMPLATE_FILES


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_constructs_are_where_jinjas_lexer_finds_them(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    begins = {"variable_begin", "block_begin", "comment_begin", "raw_begin"}
    expected = [line for line, token, _ in _environment().lex(source) if token in begins]
    found = [source.count("\n", 0, start) + 1 for start, *_ in jinja_constructs(source)]
    assert found == expected


# The checker itself: each snippet holds exactly the one unmarked string named beside it.
PLANTED = [
    ("<p>Antworten</p>", "Antworten"),
    ("<p>{{ count }} Antworten</p>", "Antworten"),
    ('<img src="x.png" alt="Logo des Ministeriums">', "Logo des Ministeriums"),
    ('<a href="/" title="Zur Startseite">{{ _("Start") }}</a>', "Zur Startseite"),
    ('<input name="q" placeholder="Suchbegriff">', "Suchbegriff"),
    ('<nav aria-label="Hauptnavigation"></nav>', "Hauptnavigation"),
    ('<p aria-description="Pflichtfeld">{{ _("Name") }}</p>', "Pflichtfeld"),
    ('<input type="submit" value="Senden">', "Senden"),
    ("<title>Startseite</title>", "Startseite"),
    ('<select><option value="1">alle</option></select>', "alle"),
    ('<{{ tag }} class="x">Titel</{{ tag }}>', "Titel"),
    ("<p>{{ 'Ja' if answer else _('Nein') }}</p>", "Ja"),
    ("{{ box(label='Ihre Meinung') }}", "Ihre Meinung"),
    ("<p>{% trans %}Hallo{% endtrans %} Welt</p>", "Welt"),
    ('<p data-over="{n} Zeichen zu lang"></p>', "{n} Zeichen zu lang"),
]
CLEAN = [
    '<p>{{ _("Antworten") }}</p>',
    "<p>{% trans n=count %}{{ n }} Antwort{% pluralize %}{{ n }} Antworten{% endtrans %}</p>",
    '<p>{{ ngettext("%(num)s Platz", "%(num)s Plätze", n) }}</p>',
    '<p>{{ gettext("Überblick") }} – {{ 1234 | thousands }} ©</p>',
    '<button type="submit" name="aktion" value="weiter">{{ _("Weiter") }}</button>',
    '<p class="input input--answer" id="{{ f.id ~ \'-hint\' }}">{{ x }}</p>',
    "{% if f.type == 'BooleanField' %}<p>{{ url_for('process.home') }}</p>{% endif %}",
    "<p><code>flask --app dialog export</code></p><script>var a = 'Text';</script>",
    "{# Kommentar: nicht sichtbar #}<p>Hin.Gehört.</p>",
    "<p>{{ x ~ '}} a-b' }}</p>",
]


@pytest.mark.parametrize(("snippet", "unmarked"), PLANTED)
def test_checker_reports_an_unmarked_string(snippet: str, unmarked: str) -> None:
    findings = findings_for_source(Path(TEMPLATES / "planted.html"), snippet)
    assert [f.text for f in findings] == [unmarked]
    assert str(findings[0]).startswith("templates/planted.html:1: ")


@pytest.mark.parametrize("snippet", CLEAN)
def test_checker_passes_marked_and_non_language_text(snippet: str) -> None:
    assert findings_for_source(Path(TEMPLATES / "clean.html"), snippet) == []


def test_checker_names_the_line_and_reads_plain_text_mails() -> None:
    source = '{{ _("Guten Tag,") }}\n\n{% if x %}\nIhr Team\n{% endif %}\n{{ url }}\n'
    findings = findings_for_source(Path(TEMPLATES / "mail.txt"), source)
    assert [(f.line, f.text) for f in findings] == [(4, "Ihr Team")]
    html = "<div>\n  {% if x %}\n  <p>\n    Zweite Zeile\n  </p>{% endif %}\n</div>"
    findings = findings_for_source(Path(TEMPLATES / "lines.html"), html)
    assert [(f.line, f.text) for f in findings] == [(4, "Zweite Zeile")]


def test_every_template_is_extracted_for_translation() -> None:
    """A template that babel.cfg does not name keeps its strings out of the catalogue."""
    from babel.messages.frontend import parse_mapping_cfg
    from babel.util import pathmatch

    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, _options = parse_mapping_cfg(f)
    patterns = [pattern for pattern, method in method_map if method == "jinja2"]
    missed = [
        str(p.relative_to(ROOT))
        for p in TEMPLATE_FILES
        if not any(pathmatch(pattern, p.relative_to(ROOT).as_posix()) for pattern in patterns)
    ]
    assert not missed, f"add them to babel.cfg: {missed}"
