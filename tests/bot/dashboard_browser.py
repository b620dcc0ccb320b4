"""The dashboard in a real Chromium: what its browser tests share. The assembled server with the demo's team on a
free port that its public address names, a page that fails the test if it asks for anything outside Ritme, and
signing in with a link from the local chat. Screenshots go to tests/artifacts/ for a person to look at.

`base_url` and `page` are registered in tests/bot/conftest.py; a test module that needs other data behind the
pages overrides `base_url` (and `page` follows it).
"""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from playwright.async_api import Page, ViewportSize, expect

from bot.demo import seed_demo
from bot.settings import Settings
from bot.wiring import Ritme, assemble, serving
from tests.bot.chromium import launched
from tests.bot.dashboard_http import MONDAY_0900_AMSTERDAM
from tests.rituals.harness import FakeClock

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}  # the chat's own layout wants a wide screen


def _free_port() -> int:
    # The links carry Ritme's public address, so the server must listen where that address says.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def demo_served(tmp_path: Path, clock: FakeClock) -> AsyncIterator[tuple[Ritme, str]]:
    """The assembled server on SQLite with the demo's team, listening where its public address says; and its URL."""
    port = _free_port()
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/ritme.db",  # type: ignore[call-arg]
                        port=port, public_url=f"http://127.0.0.1:{port}")
    async with assemble(settings, clock) as ritme, serving(ritme, with_timer=False) as url:
        await seed_demo(ritme)
        yield ritme, url


@pytest.fixture
async def base_url(tmp_path: Path) -> AsyncIterator[str]:
    """The URL of the demo's team served on Monday 23 November 2026, 09:00 in Amsterdam."""
    async with demo_served(tmp_path, FakeClock(MONDAY_0900_AMSTERDAM)) as (_, url):
        yield url


@pytest.fixture
async def page(base_url: str) -> AsyncIterator[Page]:
    """A page in Chromium on a wide screen; afterwards, the test fails if any request went outside Ritme."""
    ARTIFACTS.mkdir(exist_ok=True)
    async with launched() as browser:
        context = await browser.new_context(viewport=DESKTOP, accept_downloads=True)
        page = await context.new_page()
        page.set_default_timeout(10_000)
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        yield page
        outside = [url for url in requested if not url.startswith(base_url)]
        assert outside == [], "the pages asked for something outside Ritme"


async def say(page: Page, base_url: str, user: str, text: str) -> None:
    """Type a command in the team channel of the local chat as `user`."""
    await page.set_viewport_size(DESKTOP)
    if not page.url.startswith(base_url + "/") or "/dashboard" in page.url:
        await page.goto(base_url)
    await page.get_by_test_id(f"member-{user}").click()
    await page.get_by_test_id("conv-team").click()
    await page.get_by_test_id("composer").fill(text)
    await page.get_by_test_id("composer").press("Enter")


async def sign_in(page: Page, base_url: str, user: str) -> None:
    """Ask for a link in the chat, find it in the direct conversation, and follow it."""
    await say(page, base_url, user, "/ritme dashboard")
    await page.get_by_test_id("conv-dm").click()
    link = page.get_by_test_id("message").filter(has_text="/dashboard/signin/").last
    await expect(link).to_be_visible()
    found = re.search(r"http://\S+/dashboard/signin/[A-Za-z0-9_-]+", await link.inner_text())
    assert found is not None
    await page.set_viewport_size(PHONE)
    await page.goto(found.group(0))
    await page.get_by_test_id("sign-in").click()
    await expect(page).to_have_url(base_url + "/dashboard")


async def fits_the_phone(page: Page) -> None:
    """Nothing wider than the screen: one column, no sideways scrolling."""
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
