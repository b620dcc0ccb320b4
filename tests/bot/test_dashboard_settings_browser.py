"""A ritual's settings on the dashboard in a real Chromium, on a phone-sized screen: pause a stand-up with its button
and find it paused in the local chat, resume it, and change its digest time and reminder and find those in chat.
Each step is saved as a screenshot under tests/artifacts/."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.bot.chromium import needs_chromium
from tests.bot.dashboard_browser import ARTIFACTS, PHONE, fits_the_phone, say, sign_in

pytestmark = needs_chromium


async def _open_team(page: Page, base_url: str) -> None:
    await page.set_viewport_size(PHONE)
    await page.goto(base_url + "/dashboard")
    await page.get_by_role("link", name=re.compile("#team")).click()
    await expect(page.get_by_role("heading", name="Team #team")).to_be_visible()


async def test_a_manager_pauses_a_stand_up_and_changes_its_digest_on_the_page(page: Page, base_url: str) -> None:
    await sign_in(page, base_url, "anna")
    await _open_team(page, base_url)
    ritual = page.get_by_test_id("ritual-1")
    await expect(ritual.locator(".state")).to_have_text("Actief")

    await page.get_by_role("button", name="Stand-up 1 pauzeren").click()
    await expect(page.get_by_role("status")).to_have_text(
        "Stand-up 1 is gepauzeerd: niemand wordt gevraagd of uitgenodigd tot je het hervat.")
    await expect(ritual.locator(".state")).to_have_text("Gepauzeerd")
    await expect(ritual).to_contain_text("Geen volgende keer zolang het gepauzeerd is")
    await fits_the_phone(page)
    await page.screenshot(path=ARTIFACTS / "dashboard-ritual-paused.png", full_page=True)

    await say(page, base_url, "anna", "/ritme standup list")
    await expect(page.get_by_test_id("message").filter(has_text="overzicht 11:00").filter(
        has_text="gepauzeerd")).to_have_count(1)

    await _open_team(page, base_url)
    # The button is a real button: the keyboard reaches and presses it.
    await page.get_by_role("button", name="Stand-up 1 hervatten").focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_have_text("Stand-up 1 loopt weer.")
    await expect(ritual.locator(".state")).to_have_text("Actief")

    # A digest before the start is named, with an example, and nothing changes.
    await page.get_by_label("Tijd van het overzicht").fill("09:00")
    await page.get_by_role("button", name="Stand-up 1 opslaan").click()
    await expect(page.get_by_role("alert")).to_contain_text("Het overzicht om 09:00 zou voor de stand-up om 09:30")
    await expect(page.get_by_label("Tijd van het overzicht")).to_have_attribute("aria-invalid", "true")
    await page.screenshot(path=ARTIFACTS / "dashboard-digest-refused.png", full_page=True)

    await page.get_by_label("Tijd van het overzicht").fill("11:30")
    await page.get_by_label("Herinnering: uit").fill("30m")
    await page.get_by_role("button", name="Stand-up 1 opslaan").click()
    await expect(page.get_by_role("status")).to_contain_text("overzicht om 11:30")
    await expect(page.get_by_role("status")).to_contain_text("Herinnering: 30 min.")
    await expect(page.get_by_label("Tijd van het overzicht")).to_have_value("11:30")
    await expect(page.get_by_label("Herinnering: uit")).to_have_value("30m")
    await fits_the_phone(page)
    await page.screenshot(path=ARTIFACTS / "dashboard-digest-saved.png", full_page=True)

    await say(page, base_url, "anna", "/ritme standup list")
    listed = page.get_by_test_id("message").filter(has_text="om 09:30, overzicht 11:30")
    await expect(listed).to_have_count(1)
    await expect(listed).not_to_contain_text("gepauzeerd")
