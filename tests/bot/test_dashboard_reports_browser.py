"""The manager's report pages in a real Chromium on a phone-sized screen: sign in with a link from the local chat,
open the team overview, go to Stand-ups, filter the history by a word and a date range, and open Pulse to see a
chart. History is made first in the local chat (a pulse round, then three stand-ups). Each page is saved as a
screenshot under tests/artifacts/."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from playwright.async_api import Page, expect

from tests.bot.chromium import needs_chromium
from tests.bot.dashboard_browser import ARTIFACTS, demo_served, fits_the_phone, sign_in
from tests.bot.dashboard_http import MONDAY_0900_AMSTERDAM, Site, run_pulse_round, run_standups
from tests.bot.local_chat import PulseChat
from tests.rituals.harness import FakeClock

pytestmark = needs_chromium

WEDNESDAY = MONDAY_0900_AMSTERDAM + timedelta(days=2)


@pytest.fixture
async def base_url(tmp_path: Path) -> AsyncIterator[str]:
    """The assembled server with a closed pulse round (five answers) and stand-ups on Wednesday to Friday."""
    clock = FakeClock(MONDAY_0900_AMSTERDAM)
    async with demo_served(tmp_path, clock) as (ritme, url):
        async with aiohttp.ClientSession() as session:
            site = Site(ritme, clock, PulseChat(session, url), session)
            await run_pulse_round(site, answering=5)
            await run_standups(site, WEDNESDAY)
        yield url


async def test_a_manager_filters_stand_ups_and_sees_the_pulse_chart(page: Page, base_url: str) -> None:
    await sign_in(page, base_url, "anna")
    await page.get_by_role("link", name=re.compile("#team")).click()
    await expect(page.get_by_role("heading", name="Team #team")).to_be_visible()
    subnav = page.get_by_role("navigation", name="Teampagina's")
    await expect(subnav.get_by_role("link", name="Overzicht")).to_have_attribute("aria-current", "page")
    await fits_the_phone(page)

    await subnav.get_by_role("link", name="Stand-ups").click()
    await expect(page.get_by_role("heading", name="Stand-ups van #team")).to_be_visible()
    # Wednesday to Friday run from chat; Monday's and Tuesday's ran by the timer while the pulse was open.
    await expect(page.locator("[data-testid^=standup-]")).to_have_count(5)
    await fits_the_phone(page)
    await page.screenshot(path=ARTIFACTS / "dashboard-standups.png", full_page=True)

    # The search box, the two dates, then Tab reaches the button and Enter sends the form.
    await page.get_by_label("Woorden in de antwoorden").fill("staging")
    await page.get_by_label("Vanaf").fill("2026-11-26")
    await page.get_by_label("Tot en met").fill("2026-11-27")
    # A date field takes Tab for its own day, month and year first; a few more reach the button.
    await page.get_by_label("Tot en met").focus()
    for _ in range(4):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.textContent") == "Toon":
            break
    assert await page.evaluate("document.activeElement.textContent") == "Toon"
    assert await page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    await page.keyboard.press("Enter")

    await expect(page).to_have_url(re.compile(r"q=staging&from=2026-11-26&to=2026-11-27"))
    days = page.locator("[data-testid^=standup-]")
    await expect(days).to_have_count(1)
    friday = page.get_by_test_id("standup-2026-11-27")
    await expect(friday).to_contain_text("vrijdag 27 november")
    await expect(friday.locator("mark")).to_have_text(["Staging"])
    await expect(friday.locator(".blocker-tag")).to_have_text("Blokkade")
    await expect(friday.locator(".line.blocker dd")).to_have_text("Blokkade VPN is down")
    await fits_the_phone(page)
    await page.screenshot(path=ARTIFACTS / "dashboard-standups-filtered.png", full_page=True)

    await subnav.get_by_role("link", name="Welzijn").click()
    await expect(page.get_by_role("heading", name="Welzijnspeiling van #team")).to_be_visible()
    charts = page.locator("svg[role=img]")
    assert await charts.count() >= 1
    first = charts.first
    await expect(first.locator("g.point circle")).to_have_count(1)
    await expect(first).to_have_attribute("aria-label", re.compile("gemiddelde per ronde"))
    width = await first.evaluate("svg => svg.getBoundingClientRect().width")
    assert 300 <= width <= 390  # scaled to the phone, not its drawn 400 units
    await page.get_by_text("Dezelfde cijfers als tabel").first.click()
    await expect(page.locator("table").first.locator("tbody tr")).to_have_count(1)
    await expect(page.locator("table").first).to_contain_text("gemiddeld 3,0 uit 5 antwoorden")
    await fits_the_phone(page)
    await page.screenshot(path=ARTIFACTS / "dashboard-pulse.png", full_page=True)

    await subnav.get_by_role("link", name="Deelname").click()
    await expect(page.locator("svg[role=img].chart-bar")).to_have_count(2)  # stand-ups and the pulse
    await fits_the_phone(page)
    await page.screenshot(path=ARTIFACTS / "dashboard-participation.png", full_page=True)

    await subnav.get_by_role("link", name="Borrels & koffie").click()
    await expect(page.get_by_text("Er is nog geen borrel aangekondigd")).to_be_visible()
    await expect(subnav.get_by_role("link", name="Borrels & koffie")).to_have_attribute("aria-current", "page")
    await fits_the_phone(page)
    await page.screenshot(path=ARTIFACTS / "dashboard-social.png", full_page=True)
