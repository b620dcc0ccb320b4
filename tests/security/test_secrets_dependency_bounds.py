"""Every dependency Ritme declares has an upper bound, so a new major release (or a hijacked one) is never taken
without someone choosing it."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _declared() -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    requirements = list(project["build-system"]["requires"]) + list(project["project"]["dependencies"])
    for extra in project["project"].get("optional-dependencies", {}).values():
        requirements.extend(extra)
    return requirements


def test_every_dependency_has_an_upper_bound() -> None:
    declared = _declared()
    assert any(Requirement(text).name == "cryptography" for text in declared)
    unbounded = [
        text
        for text in declared
        if not any(spec.operator in ("<", "<=", "==", "~=", "===") for spec in Requirement(text).specifier)
    ]
    assert unbounded == [], f"give these an upper bound, e.g. 'ruff>=0.6,<0.18': {unbounded}"
