"""Chromium as the browser tests launch it: where it is, whether it must be there, and how it starts."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from playwright.async_api import Browser, async_playwright

# CI sets RITME_REQUIRE_BROWSER=1 so that a missing browser fails the run instead of quietly skipping it.
REQUIRE_BROWSER = os.environ.get("RITME_REQUIRE_BROWSER") == "1"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not REQUIRE_BROWSER, reason="no Chromium: apt-get install chromium to run browser tests"
)
# Nothing that calls home, so that the requests a test sees are only the page's; no sandbox, which CI containers lack.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@asynccontextmanager
async def launched() -> AsyncIterator[Browser]:
    """The installed Chromium, headless, closed again afterwards."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        await browser.close()
