"""The container tests' marker: `install` tests build wheels and a fresh virtual environment (PyPI, about a minute)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Register the `install` marker (the suite runs with --strict-markers); select with -m install or skip with
    -m 'not install'."""
    config.addinivalue_line(
        "markers", "install: repeats the Dockerfile's install steps in a fresh virtual environment (needs PyPI)"
    )
