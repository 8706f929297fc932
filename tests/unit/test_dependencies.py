"""Every dependency in pyproject.toml, runtime and dev, has a lower and an upper version bound.

A lower bound states what the code needs; an upper bound (below the next major version, or the
next minor one for 0.x) keeps a breaking release from reaching production unreviewed. The build
backend (setuptools) is left open on purpose: capping a build backend breaks installs on
newer Pythons, and it never runs in production.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOWER = (">=", ">", "~=", "==")
UPPER = ("<", "<=", "~=", "==")


def _requirements() -> list[tuple[str, Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = [("runtime", Requirement(text)) for text in project["dependencies"]]
    for extra, texts in project.get("optional-dependencies", {}).items():
        found.extend((extra, Requirement(text)) for text in texts)
    return found


def bound_problems(requirement: Requirement) -> list[str]:
    """Why `requirement` is not bounded on both sides; empty when it is."""
    problems = []
    if any("*" in s.version for s in requirement.specifier):
        problems.append("wildcard version")
    specs = [s for s in requirement.specifier if "*" not in s.version]
    lower = [Version(s.version) for s in specs if s.operator in LOWER]
    upper = [Version(s.version) for s in specs if s.operator in UPPER]
    if not lower:
        problems.append("no lower bound")
    if not upper:
        problems.append("no upper bound")
    if lower and upper and max(lower) > min(upper):
        problems.append("lower bound above upper bound")
    return problems


REQUIREMENTS = _requirements()


def test_pyproject_lists_runtime_and_dev_dependencies():
    groups = {group for group, _ in REQUIREMENTS}
    assert {"runtime", "dev"} <= groups
    assert len(REQUIREMENTS) >= 30


@pytest.mark.parametrize(
    ("group", "requirement"),
    REQUIREMENTS,
    ids=[f"{group}-{req.name}" for group, req in REQUIREMENTS],
)
def test_dependency_is_bounded_on_both_sides(group, requirement):
    assert bound_problems(requirement) == [], f"{group}: {requirement}"


@pytest.mark.parametrize(
    ("group", "requirement"),
    REQUIREMENTS,
    ids=[f"{group}-{req.name}" for group, req in REQUIREMENTS],
)
def test_installed_version_lies_within_the_bounds(group, requirement):
    """Bounds that exclude what the tests run with would be untested promises."""
    try:
        installed = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        pytest.skip(f"{requirement.name} ({group}) is not installed: pip install -e '.[dev]'")
    assert requirement.specifier.contains(installed, prereleases=True), (
        f"{requirement.name} {installed} is installed, but pyproject.toml asks {requirement}"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("flask>=3.1,<4", []),
        ("ruff~=0.6", []),
        ("psycopg[binary]>=3.1.18,<4", []),
        ("flask>=3.1", ["no upper bound"]),
        ("flask<4", ["no lower bound"]),
        ("flask", ["no lower bound", "no upper bound"]),
        ("flask>=5,<4", ["lower bound above upper bound"]),
        ("flask==3.*", ["wildcard version", "no lower bound", "no upper bound"]),
    ],
)
def test_bound_check_itself(text, expected):
    assert bound_problems(Requirement(text)) == expected
