"""The demo as a newcomer starts it: the installed `ritme demo` command in its own process."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

# The dashboard's tests share their server: `site` over HTTP, `base_url` and `page` in Chromium. A module that needs
# more behind the pages overrides `site` or `base_url`.
from tests.bot.dashboard_browser import base_url as base_url
from tests.bot.dashboard_browser import page as page
from tests.bot.dashboard_http import site as site

REPO_ROOT = str(Path(__file__).resolve().parents[2])


def ritme_command() -> list[str]:
    """The installed `ritme` script next to this Python, or the module when running from a bare checkout."""
    script = Path(sys.executable).parent / "ritme"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


@pytest.fixture
async def demo_url(tmp_path: Path) -> AsyncIterator[str]:
    """Start `ritme demo` on a free port with its own database; yields its URL, stops it with Ctrl+C."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("RITME_")}
    env["PYTHONPATH"] = REPO_ROOT  # for a checkout that is not installed
    log_path = tmp_path / "demo.log"
    with log_path.open("wb") as log:
        # Output goes to a file: a pipe nobody reads would stall the server once its buffer fills.
        process = await asyncio.create_subprocess_exec(
            *ritme_command(), "demo", "--port", "0", "--database-url", f"sqlite+aiosqlite:///{tmp_path}/demo.db",
            cwd=tmp_path, env=env, stdout=log, stderr=asyncio.subprocess.STDOUT,
        )
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while not (match := re.search(r"running at (http://\S+)", log_path.read_text())):
            if process.returncode is not None or loop.time() > deadline:
                raise AssertionError("the demo did not start:\n" + log_path.read_text())
            await asyncio.sleep(0.1)
        yield match.group(1)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(process.wait(), timeout=15)
            except TimeoutError:
                process.kill()
                await process.wait()
                raise AssertionError("the demo did not stop on Ctrl+C:\n" + log_path.read_text()) from None
