"""bandit, the security linter, finds nothing in the application, the analysis or the config.

Findings that are fine are marked at their line (`# nosec BXXX` beside ruff's `# noqa: SXXX -
reason`); the few checks skipped wholesale are listed with their reason in pyproject.toml.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tokenize
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ("dialog", "analysis", "config.py")
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)", re.IGNORECASE)
TEST_ID = re.compile(r"^:?\s*B\d{3}\b")


def _python_files() -> list[Path]:
    files: list[Path] = []
    for target in TARGETS:
        path = ROOT / target
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def test_bandit_finds_nothing(tmp_path):
    pytest.importorskip("bandit", reason="bandit is not installed: pip install -e '.[dev]'")
    out = tmp_path / "bandit.json"  # stdout carries a progress bar
    command = ["-c", "pyproject.toml", "-r", *TARGETS, "-f", "json", "-o", str(out)]
    completed = subprocess.run(
        [sys.executable, "-m", "bandit", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    findings = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in report["results"]
    ]
    assert findings == [], "bandit findings (fix, or justify with `# nosec BXXX`):\n" + "\n".join(
        findings
    )
    assert report["errors"] == [], f"bandit could not scan: {report['errors']}"
    assert completed.returncode == 0, completed.stderr[-2000:]
    scanned = {Path(name).as_posix() for name in report["metrics"] if name != "_totals"}
    assert "dialog/__init__.py" in scanned and "config.py" in scanned, "bandit scanned too little"


def test_every_nosec_names_the_check_it_silences():
    """A bare `# nosec` would hide every check on that line, including future ones."""
    bare = []
    for path in _python_files():
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        for token in tokens:
            if token.type != tokenize.COMMENT:
                continue
            match = NOSEC.search(token.string)
            if match and not TEST_ID.match(match.group("rest").strip()):
                bare.append(f"{path.relative_to(ROOT)}:{token.start[0]}: {token.string}")
    assert bare == [], "name the check, e.g. `# nosec B603`:\n" + "\n".join(bare)


def test_checks_skipped_wholesale_each_have_a_reason():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    skips = tomllib.loads(pyproject).get("tool", {}).get("bandit", {}).get("skips", [])
    section = pyproject.split("[tool.bandit]", 1)[1].split("\n[", 1)[0]
    for test_id in skips:
        line = next(line for line in section.splitlines() if f'"{test_id}"' in line)
        assert re.search(r"#\s*\S.{10,}", line), f"{test_id} is skipped without a reason: {line}"
