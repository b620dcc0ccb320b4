"""The dashboard in a real Chromium, on a phone-sized screen (the chat on a wide one): sign in with a link from the
local chat, open the team overview, change a stand-up's time and find it in chat, edit my hours. Each page is saved
as a screenshot under tests/artifacts/ for a person to look at."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright, expect

from bot.demo import seed_demo
from bot.settings import Settings
from bot.wiring import assemble, serving
from tests.bot.test_demo_in_browser import CHROMIUM, REQUIRE_BROWSER
from tests.rituals.harness import FakeClock

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not REQUIRE_BROWSER, reason="no Chromium: apt-get install chromium to run browser tests"
)

MONDAY_0900_AMSTERDAM = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}  # the chat's own layout wants a wide screen


def _free_port() -> int:
    # The links carry Ritme's public address, so the server must listen where that address says.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def base_url(tmp_path: Path) -> AsyncIterator[str]:
    port = _free_port()
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/ritme.db",  # type: ignore[call-arg]
                        port=port, public_url=f"http://127.0.0.1:{port}")
    async with assemble(settings, FakeClock(MONDAY_0900_AMSTERDAM)) as ritme, serving(ritme, with_timer=False) as url:
        await seed_demo(ritme)
        yield url


@pytest.fixture
async def page(base_url: str) -> AsyncIterator[Page]:
    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        page = await browser.new_page(viewport=DESKTOP)
        page.set_default_timeout(10_000)
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        yield page
        outside = [url for url in requested if not url.startswith(base_url)]
        assert outside == [], "the pages asked for something outside Ritme"
        await browser.close()


async def _say(page: Page, base_url: str, user: str, text: str) -> None:
    """Type a command in the team channel of the local chat as `user`."""
    await page.set_viewport_size(DESKTOP)
    if not page.url.startswith(base_url + "/") or "/dashboard" in page.url:
        await page.goto(base_url)
    await page.get_by_test_id(f"member-{user}").click()
    await page.get_by_test_id("conv-team").click()
    await page.get_by_test_id("composer").fill(text)
    await page.get_by_test_id("composer").press("Enter")


async def _sign_in(page: Page, base_url: str, user: str) -> None:
    """Ask for a link in the chat, find it in the direct conversation, and follow it."""
    await _say(page, base_url, user, "/ritme dashboard")
    await page.get_by_test_id("conv-dm").click()
    link = page.get_by_test_id("message").filter(has_text="/dashboard/signin/").last
    await expect(link).to_be_visible()
    found = re.search(r"http://\S+/dashboard/signin/[A-Za-z0-9_-]+", await link.inner_text())
    assert found is not None
    await page.set_viewport_size(PHONE)
    await page.goto(found.group(0))
    await expect(page).to_have_url(base_url + "/dashboard")


async def _fits_the_phone(page: Page) -> None:
    """Nothing wider than the screen: one column, no sideways scrolling."""
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


async def test_a_manager_changes_a_stand_up_time_and_sees_it_in_chat(page: Page, base_url: str) -> None:
    await _sign_in(page, base_url, "anna")
    await expect(page.get_by_role("heading", name="Mijn teams", exact=True)).to_be_visible()
    await _fits_the_phone(page)
    await page.screenshot(path=ARTIFACTS / "dashboard-home.png", full_page=True)

    await page.get_by_role("link", name=re.compile("#team")).click()
    await expect(page.get_by_role("heading", name="Team #team")).to_be_visible()
    ritual = page.get_by_test_id("ritual-1")
    await expect(ritual).to_contain_text("Volgende keer: maandag 23 november om 09:30 (Europe/Amsterdam)")
    await _fits_the_phone(page)
    await page.screenshot(path=ARTIFACTS / "dashboard-team.png", full_page=True)

    # A wrong time is named, with an example, and changes nothing.
    await page.get_by_label("Tijd (UU:MM").fill("25:00")
    await page.get_by_role("button", name="Stand-up 1 opslaan").click()
    await expect(page.get_by_role("alert")).to_contain_text("25:00 is geen tijd")
    await expect(page.get_by_label("Tijd (UU:MM")).to_have_attribute("aria-invalid", "true")
    await page.screenshot(path=ARTIFACTS / "dashboard-team-refused.png", full_page=True)

    # With the keyboard only: fields, then the button.
    await page.get_by_label("Tijd (UU:MM").fill("10:15")
    await page.get_by_label("Dagen (bijvoorbeeld").fill("mon-thu")
    await page.get_by_label("Dagen (bijvoorbeeld").press("Tab")
    await expect(page.get_by_label("Tijd van het overzicht")).to_be_focused()
    await page.keyboard.press("Tab")  # the note is text, so the reminder is next, then the button
    await expect(page.get_by_label("Herinnering: uit")).to_be_focused()
    await page.keyboard.press("Tab")
    focused = await page.evaluate("document.activeElement.textContent")
    assert focused == "Stand-up 1 opslaan"
    outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_contain_text("stand-up 1 is nu op ma-do om 10:15, overzicht om 11:45")
    await page.screenshot(path=ARTIFACTS / "dashboard-team-saved.png", full_page=True)

    await _say(page, base_url, "anna", "/ritme standup list")
    await expect(page.get_by_test_id("message").filter(has_text="ma-do om 10:15, overzicht 11:45")).to_have_count(1)


async def test_a_member_edits_their_hours(page: Page, base_url: str) -> None:
    await _sign_in(page, base_url, "ben")
    await page.get_by_role("link", name="My settings").click()
    await expect(page.get_by_role("heading", name="My settings")).to_be_visible()
    await expect(page.get_by_label("Working hours")).to_have_value("00:00-23:59")
    await _fits_the_phone(page)

    await page.get_by_label("Working hours").fill("08:00-16:00")
    await page.get_by_label("Working days").fill("mon-thu")
    await page.get_by_role("button", name="Save my settings").click()
    await expect(page.get_by_role("status")).to_have_text("Your settings are saved.")
    await expect(page.get_by_label("Working hours")).to_have_value("08:00-16:00")
    await page.screenshot(path=ARTIFACTS / "dashboard-me.png", full_page=True)

    await _say(page, base_url, "ben", "/ritme me")
    await expect(page.get_by_test_id("message").filter(has_text="08:00").filter(has_text="16:00")).to_have_count(1)


async def test_a_member_is_told_a_team_page_is_for_managers(page: Page, base_url: str) -> None:
    await _sign_in(page, base_url, "ben")
    await expect(page.get_by_text("Teams you are in")).to_be_visible()
    await expect(page.get_by_role("link", name=re.compile("#team"))).to_have_count(0)
    # His rituals, though, are all there: the demo's morning stand-up, on his own clock.
    await expect(page.get_by_role("heading", name="My rituals")).to_be_visible()
    await expect(page.get_by_test_id("my-rituals-1")).to_contain_text("Stand-up")
    await expect(page.get_by_test_id("my-rituals-1")).to_contain_text("Next: ")
    await page.screenshot(path=ARTIFACTS / "dashboard-my-rituals.png", full_page=True)
    response = await page.goto(base_url + "/dashboard/teams/1")
    assert response is not None and response.status == 403
    await expect(page.get_by_role("heading", name="No access")).to_be_visible()
    await page.screenshot(path=ARTIFACTS / "dashboard-forbidden.png", full_page=True)

    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="You are signed out")).to_be_visible()
    response = await page.goto(base_url + "/dashboard")
    assert response is not None and response.status == 401
    await page.screenshot(path=ARTIFACTS / "dashboard-sign-in-needed.png", full_page=True)
