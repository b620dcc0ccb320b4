"""The demo in a real Chromium: configure a stand-up, run it, answer as two members, read the digest."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Page, expect

from tests.bot.chromium import launched, needs_chromium

pytestmark = needs_chromium


@pytest.fixture
async def page(demo_url: str) -> AsyncIterator[Page]:
    async with launched() as browser:
        page = await browser.new_page()
        page.set_default_timeout(10_000)
        await page.goto(demo_url)
        yield page


async def _as(page: Page, user: str, conversation: str) -> None:
    await page.get_by_test_id(f"member-{user}").click()
    await page.get_by_test_id(conversation).click()


async def _type(page: Page, text: str) -> None:
    await page.get_by_test_id("composer").fill(text)
    await page.get_by_test_id("composer").press("Enter")


async def test_a_newcomer_runs_a_stand_up_in_the_browser(page: Page) -> None:
    messages = page.get_by_test_id("messages").get_by_test_id("message")
    await _as(page, "ben", "conv-team")
    await expect(messages.filter(has_text="Welcome to the Ritme demo")).to_have_count(1)

    # Configure: next to the demo's morning stand-up, an end-of-day check-out with its own questions.
    await _as(page, "anna", "conv-team")
    await _type(page, '/ritme standup create checkout remind off questions "Hoe ging het?" | "Zit je ergens mee vast?"')
    await expect(messages.filter(has_text="Stand-up 2 staat klaar")).to_have_count(1)

    await page.get_by_test_id("run-standup").click()  # the buttons mean the newest stand-up
    await expect(messages.filter(has_text="Stand-up 2 loopt nu")).to_have_count(1)

    for user, answers in (("anna", ["Prima dag", "nee"]), ("ben", ["Shipped it <!channel>", "Waiting on @here"])):
        await _as(page, user, "conv-dm")
        fields = page.get_by_test_id("answer-field")
        await expect(fields).to_have_count(2)
        for index, answer in enumerate(answers):
            await fields.nth(index).fill(answer)
        await page.get_by_test_id("answer-submit").click()
        await expect(messages.filter(has_text="Dank je" if user == "anna" else "Thanks")).to_have_count(1)

    await _as(page, "anna", "conv-team")
    await page.get_by_test_id("post-digest").click()
    digest = messages.filter(has_text="Stand-up van #team")
    await expect(digest).to_have_count(1)
    await expect(digest).to_contain_text("Prima dag")
    await expect(digest).to_contain_text("Shipped it <!\u200bchannel>")
    await expect(digest).to_contain_text("Blokkades")
    await expect(digest).to_contain_text("Waiting on @\u200bhere")
    if shot := os.environ.get("RITME_SCREENSHOT"):  # a picture of the page, for a person to look at
        await page.screenshot(path=shot, full_page=True)
