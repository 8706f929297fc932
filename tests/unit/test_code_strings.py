"""No Python code hands people a string that has not been marked for translation.

The code under dialog/ is read with `ast`. Wherever a value reaches people – flash messages,
validation errors, form field labels and descriptions, validator messages, choice labels, mail
subjects, label tables – a string literal with letters (also an f-string, a `"…" % x`, a
`"…".format()` or a concatenation) must be the argument of `_()`/`_l()`/`ngettext()`.
Names and other expressions are not followed: what they hold is checked where it is written.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from dialog import ROOT

PACKAGE = ROOT / "dialog"
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "translations" not in p.parts)

GETTEXT = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext"}
LETTER = re.compile(r"[^\W\d_]")

# Calls whose first argument is shown: flash(message), ValidationError(message), …
FIRST_ARGUMENT_SHOWN = {"flash", "ValidationError", "StopValidation"}
# Keyword arguments that are shown wherever they are passed (WTForms fields and validators,
# choices helpers, mail).
KEYWORDS_SHOWN = {"label", "description", "message", "subject", "none_label", "placeholder"}
# render_kw keys that become visible attributes.
RENDER_KW_SHOWN = {"placeholder", "title", "aria-label", "aria-description"}
# Modules whose dictionaries are the labels of enums and codes.
LABEL_MODULES = {"labels.py", "audit_labels.py"}

# (file relative to dialog/, literal) → why it is no language or needs no translation.
ALLOWED: dict[tuple[str, str], str] = {
    ("coding/generate.py", "Generierter Code für {…}."): (
        "synthetic codebook of `flask generate-codings` for benchmarks: content, like what "
        "analysts type, not interface text"
    ),
}


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    text: str
    where: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.where}: {self.text!r}"


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def unmarked_text(node: ast.expr | None) -> list[tuple[int, str]]:
    """(line, text) of literal language in an expression that is not inside a gettext call."""
    if node is None:
        return []
    if isinstance(node, ast.Call):
        name = _name(node.func)
        if name in GETTEXT:
            return []
        if name == "format" and isinstance(node.func, ast.Attribute):
            return unmarked_text(node.func.value)
        if name == "str" and node.args:
            return unmarked_text(node.args[0])
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.lineno, node.value)] if LETTER.search(node.value) else []
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) else "{…}" for v in node.values)
        return [(node.lineno, text)] if LETTER.search(text.replace("{…}", "")) else []
    if isinstance(node, ast.BinOp):
        return unmarked_text(node.left) + unmarked_text(node.right)
    if isinstance(node, ast.IfExp):
        return unmarked_text(node.body) + unmarked_text(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [f for v in node.values for f in unmarked_text(v)]
    return []


def _choice_labels(node: ast.expr) -> list[ast.expr]:
    """The labels of a literal list of choices: the second item of each pair.

    SelectChoice(value, label) is checked wherever it is called.
    """
    if not isinstance(node, ast.List | ast.Tuple):
        return []
    labels = []
    for item in node.elts:
        if isinstance(item, ast.Tuple) and len(item.elts) >= 2:
            labels.append(item.elts[1])
    return labels


def _subject_positions(trees: dict[Path, ast.Module]) -> dict[str, int]:
    """Functions of the package that take a mail subject, with its positional index."""
    positions = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                if "subject" in names:
                    offset = 1 if names and names[0] in {"self", "cls"} else 0
                    positions[node.name] = names.index("subject") - offset
    return positions


def findings_in(path: Path, tree: ast.Module, subject_at: dict[str, int]) -> list[Finding]:
    shown: list[tuple[ast.expr, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func) or ""
            if name in FIRST_ARGUMENT_SHOWN and node.args:
                shown.append((node.args[0], f"{name}()"))
            if name.endswith("Field") and name[:1].isupper() and node.args:
                shown.append((node.args[0], f"{name} label"))
            if name in subject_at and len(node.args) > subject_at[name]:
                shown.append((node.args[subject_at[name]], f"{name}() subject"))
            if name == "SelectChoice":
                shown.extend((label, "choice label") for label in node.args[1:2])
            for keyword in node.keywords:
                if keyword.arg in KEYWORDS_SHOWN:
                    shown.append((keyword.value, f"{name}({keyword.arg}=)"))
                elif keyword.arg == "choices":
                    shown.extend((label, "choice label") for label in _choice_labels(keyword.value))
                elif keyword.arg == "render_kw" and isinstance(keyword.value, ast.Dict):
                    for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                        if isinstance(key, ast.Constant) and key.value in RENDER_KW_SHOWN:
                            shown.append((value, f"render_kw {key.value}"))
        elif isinstance(node, ast.Assign) and any(
            _name(t) == "choices" for t in node.targets if isinstance(t, ast.Attribute)
        ):
            shown.extend((label, "choice label") for label in _choice_labels(node.value))
        elif isinstance(node, ast.Dict) and path.name in LABEL_MODULES:
            shown.extend((value, "label table") for value in node.values)
    relative = str(path.relative_to(PACKAGE))
    return [
        Finding(path, line, text, where)
        for expr, where in shown
        for line, text in unmarked_text(expr)
        if (relative, text) not in ALLOWED
    ]


def _trees() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in SOURCES}


def test_code_hands_people_only_marked_strings() -> None:
    trees = _trees()
    subject_at = _subject_positions(trees)
    assert subject_at, "no function with a `subject` parameter found: the mail check is blind"
    findings = [f for path, tree in trees.items() for f in findings_in(path, tree, subject_at)]
    assert not findings, "unmarked user-visible strings (wrap in _() or _l()):\n" + "\n".join(
        map(str, findings)
    )


PLANTED = [
    ('flash("Gespeichert.", "success")', "Gespeichert."),
    ('flash(f"{n} Antworten gespeichert")', "{…} Antworten gespeichert"),
    ('raise ValidationError("Bitte eine Zahl angeben.")', "Bitte eine Zahl angeben."),
    ('name = StringField("Name", validators=[DataRequired()])', "Name"),
    ('name = StringField(_l("Name"), description="Wie Sie heißen")', "Wie Sie heißen"),
    ('x = IntegerField(_l("Zahl"), validators=[NumberRange(message="Zu groß")])', "Zu groß"),
    ('s = SelectField(_l("Art"), choices=[("a", "Alle"), ("b", _l("Beide"))])', "Alle"),
    ('form.kind.choices = [SelectChoice("", "alle")]', "alle"),
    ('queue_mail(to, "Ihre Anmeldung", "events/held")', "Ihre Anmeldung"),
    ('queue_mail(to, subject="Anmeldung: %s" % title, template="x")', "Anmeldung: %s"),
    ('flash(_("OK") if ok else "Fehler")', "Fehler"),
    ('q = StringField(_l("Suche"), render_kw={"placeholder": "Suchbegriff"})', "Suchbegriff"),
]
CLEAN = [
    'flash(_("Gespeichert."), "success")',
    'flash(ngettext("%(num)s Antwort", "%(num)s Antworten", n, num=n))',
    "flash(message)",
    "raise ValidationError(str(labels.RATING_ERROR))",
    'queue_mail(to, _l("Warteliste: %(title)s", title=t), "events/waitlisted")',
    's = SelectField(_l("Art"), choices=[("a", _l("Alle"))], render_kw={"class": "wide"})',
    'q = StringField(_l("Suche"), validators=[Length(max=200, message=_l("Zu lang"))])',
    "flash(error.message, 'error')",
]
HEADER = "def queue_mail(to, subject, template):\n    pass\n"


def _findings_for(snippet: str) -> list[Finding]:
    tree = ast.parse(HEADER + snippet)
    path = PACKAGE / "planted.py"
    return findings_in(path, tree, _subject_positions({path: tree}))


@pytest.mark.parametrize(("snippet", "unmarked"), PLANTED)
def test_checker_reports_an_unmarked_string(snippet: str, unmarked: str) -> None:
    findings = _findings_for(snippet)
    assert [f.text for f in findings] == [unmarked]
    assert str(findings[0]).startswith("dialog/planted.py:3: ")


@pytest.mark.parametrize("snippet", CLEAN)
def test_checker_passes_marked_strings(snippet: str) -> None:
    assert _findings_for(snippet) == []


def test_label_tables_are_checked() -> None:
    tree = ast.parse('KIND = {"a": _l("Bürgerdialog"), "b": "Praxiswerkstatt"}')
    findings = findings_in(PACKAGE / "events" / "labels.py", tree, {})
    assert [f.text for f in findings] == ["Praxiswerkstatt"]
