"""The dashboard in a real Chromium, on a phone-sized screen (the chat on a wide one): sign in with a link from the
local chat, open the team overview, change a stand-up's time and find it in chat, edit my hours. Each page is saved
as a screenshot under tests/artifacts/ for a person to look at."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

# The tests below call the shared helpers by the names they had when they lived here.
from tests.bot.chromium import needs_chromium
from tests.bot.dashboard_browser import ARTIFACTS
from tests.bot.dashboard_browser import fits_the_phone as _fits_the_phone
from tests.bot.dashboard_browser import say as _say
from tests.bot.dashboard_browser import sign_in as _sign_in

pytestmark = needs_chromium


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
