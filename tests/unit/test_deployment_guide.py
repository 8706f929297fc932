"""docs/deployment.md stays true: its commands and options exist, it names every setting.

Operators copy these commands on the worst possible day; a renamed option would fail there.
"""

from __future__ import annotations

import ast
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
from flask.cli import FlaskGroup, ScriptInfo

import config
from dialog import create_app

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deployment.md"
FLASK_COMMAND = re.compile(r"flask --app dialog ([a-z][^`\n|]*)")


def _guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def _environment_variables() -> set[str]:
    """Every NAME in `env.get("NAME", …)` in config.py."""
    tree = ast.parse((ROOT / "config.py").read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "env"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def test_the_readme_links_the_guide():
    assert "docs/deployment.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_guide():
    names = _environment_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "DIALOG_PROXY_HOPS", "DIALOG_MAIL_SENDER"} <= names
    missing = sorted(name for name in names if f"`{name}`" not in _guide())
    assert missing == [], f"settings read in config.py but missing in the guide: {missing}"


def _flask_commands() -> list[list[str]]:
    commands = []
    for match in FLASK_COMMAND.finditer(_guide()):
        text = match.group(1).split("#", 1)[0].strip().rstrip("\\").strip()
        commands.append(shlex.split(text.replace("<", "'<").replace(">", ">'")))
    return commands


def test_the_guide_uses_the_operational_commands():
    used = {words[0] for words in _flask_commands()}
    assert {"db", "send-mail", "run-reports", "purge", "expire-holds", "create-user"} <= used


def test_every_flask_command_and_option_in_the_guide_exists():
    app = create_app(config.TestConfig({"TEST_DATABASE_URL": "sqlite://"}))
    group = FlaskGroup(create_app=lambda: app)
    context = click.Context(group, obj=ScriptInfo(create_app=lambda: app))
    problems = []
    for words in _flask_commands():
        command = group.get_command(context, words[0])
        rest = words[1:]
        if isinstance(command, click.Group) and rest:
            command, rest = command.get_command(context, rest[0]), rest[1:]
        if command is None:
            problems.append(f"unknown command: flask {' '.join(words)}")
            continue
        options = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
        unknown = [
            w.split("=")[0] for w in rest if w.startswith("-") and w.split("=")[0] not in options
        ]
        if unknown:
            problems.append(f"flask {' '.join(words)}: unknown option(s) {unknown}")
    assert problems == []


def _options_in(pattern: str) -> set[str]:
    """The --options of every guide line (and its continuations) that runs `pattern`."""
    options: set[str] = set()
    lines = _guide().splitlines()
    for number, line in enumerate(lines):
        if pattern in line:
            block = line
            while block.rstrip().endswith("\\") and number + 1 < len(lines):
                number += 1
                block = block.rstrip()[:-1] + " " + lines[number]
            options.update(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", block.split(pattern, 1)[1]))
    return options


@pytest.mark.parametrize(
    ("pattern", "help_command"),
    [
        ("bin/gunicorn ", [str(Path(sys.executable).with_name("gunicorn")), "--help"]),
        ("python -m benchmarks ", [sys.executable, "-m", "benchmarks", "--help"]),
        ("pybabel compile ", [str(Path(sys.executable).with_name("pybabel")), "compile", "--help"]),
    ],
    ids=["gunicorn", "benchmarks", "pybabel"],
)
def test_every_option_of_the_guide_s_tools_exists(pattern, help_command):
    options = _options_in(pattern)
    assert options, f"the guide no longer runs {pattern.strip()}"
    if not Path(help_command[0]).exists():
        pytest.skip(f"{help_command[0]} is not installed")
    completed = subprocess.run(
        help_command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    missing = sorted(o for o in options if not re.search(rf"{o}\b", completed.stdout))
    assert missing == [], f"{pattern.strip()} has no {missing}"
