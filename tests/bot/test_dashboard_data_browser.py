"""The audit log and "my data" pages in a real Chromium: a manager changes a stand-up's time on the page and finds
that change and an earlier one from chat on the audit page; a member downloads their data and erases themselves,
after which their id is in no table. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from bot.wiring import Ritme
from tests.bot.chromium import needs_chromium
from tests.bot.dashboard_browser import ARTIFACTS, demo_served, fits_the_phone, say, sign_in
from tests.bot.dashboard_http import MONDAY_0900_AMSTERDAM
from tests.rituals.harness import FakeClock
from tests.rituals.test_member_rights import dump_tables, traces

pytestmark = needs_chromium


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[Ritme, str]]:
    async with demo_served(tmp_path, FakeClock(MONDAY_0900_AMSTERDAM)) as served:
        yield served


@pytest.fixture
def base_url(served: tuple[Ritme, str]) -> str:
    """The pages of the same server the test reaches into (it checks the tables after an erasure)."""
    return served[1]


async def _answer(page: Page, base_url: str, user: str, answers: list[str]) -> None:
    """Answer the stand-up's form in the member's direct conversation of the local chat."""
    await say(page, base_url, user, "/ritme help")  # opens the chat as the member
    await page.get_by_test_id("conv-dm").click()
    fields = page.get_by_test_id("answer-field")
    await expect(fields).to_have_count(len(answers))
    for index, answer in enumerate(answers):
        await fields.nth(index).fill(answer)
    await page.get_by_test_id("answer-submit").click()
    await expect(page.get_by_test_id("answer-field")).to_have_count(0)


async def test_a_change_from_chat_and_one_from_the_page_show_on_the_audit_page(
    page: Page, served: tuple[Ritme, str]
) -> None:
    _, base_url = served
    await say(page, base_url, "anna", "/ritme standup pause 1")
    await expect(page.get_by_test_id("message").filter(has_text="gepauzeerd")).not_to_have_count(0)
    await sign_in(page, base_url, "anna")
    await page.get_by_role("link", name=re.compile("#team")).click()
    await page.get_by_label("Tijd (UU:MM").fill("10:00")
    await page.get_by_role("button", name="Stand-up 1 opslaan").click()
    await expect(page.get_by_role("status")).to_contain_text("10:00")

    await page.get_by_test_id("subnav-audit").click()
    await expect(page.get_by_role("heading", name="Auditlog van #team")).to_be_visible()
    entries = page.get_by_test_id("audit-entry")
    await expect(entries).to_have_count(2)
    await expect(entries.nth(0)).to_contain_text("Anna de Vries")
    await expect(entries.nth(0)).to_contain_text("dashboard")
    await expect(entries.nth(0)).to_contain_text("tijd 09:30 → 10:00, dagen ma-vr")
    await expect(entries.nth(0)).to_contain_text("maandag 23 november 2026, 09:00")
    await expect(entries.nth(1)).to_contain_text("chat")
    await expect(entries.nth(1)).to_contain_text("Stand-up gepauzeerd")
    await expect(entries.nth(1)).to_contain_text("/ritme standup pause 1")
    await fits_the_phone(page)
    await page.screenshot(path=ARTIFACTS / "dashboard-audit.png", full_page=True)


async def test_a_member_downloads_their_data_and_erases_themselves(page: Page, served: tuple[Ritme, str]) -> None:
    ritme, base_url = served
    await say(page, base_url, "anna", "/ritme standup run 1")
    await _answer(page, base_url, "anna", ["Goed", "De roadmap", "nee"])
    await _answer(page, base_url, "ben", ["Fine", "Writing the onboarding docs", "nothing"])
    [ben] = await ritme.store.find_members("local", ritme.local.workspace_id, "ben")

    await sign_in(page, base_url, "ben")
    await page.get_by_role("link", name="My settings").click()
    await page.get_by_role("link", name=re.compile("^My data")).click()
    await expect(page.get_by_role("heading", name="My data", exact=True)).to_be_visible()
    await expect(page.get_by_test_id("kept")).to_contain_text("your stand-up answers, with their date and questions: 1")
    await fits_the_phone(page)
    await page.screenshot(path=ARTIFACTS / "dashboard-my-data.png", full_page=True)

    async with page.expect_download() as info:
        await page.get_by_role("link", name="Download my data (JSON)").click()
    download = await info.value
    assert download.suggested_filename == "ritme-my-data-2026-11-23.json"
    saved = ARTIFACTS / "dashboard-my-data-export.json"
    await download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["profile"]["display_name"] == "Ben Carter"
    assert [a["answers"] for a in data["standup_answers"]] == [["Fine", "Writing the onboarding docs", "nothing"]]
    assert "De roadmap" not in saved.read_text(encoding="utf-8")

    # Without the confirmation nothing goes; with it (from the keyboard), Ben is erased and signed out.
    await page.get_by_role("button", name="Erase me").click()
    await expect(page.get_by_role("alert")).to_contain_text("Nothing was erased: tick the box")
    assert await ritme.store.find_members("local", ritme.local.workspace_id, "ben") != []
    await page.screenshot(path=ARTIFACTS / "dashboard-erase-refused.png", full_page=True)
    await page.get_by_label(re.compile("I understand that this erases my data")).focus()
    await page.keyboard.press("Space")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="You are erased")).to_be_visible()
    await expect(page.get_by_text("Anonymous pulse answers stay")).to_be_visible()
    await expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    await page.screenshot(path=ARTIFACTS / "dashboard-erased.png", full_page=True)
    assert [c for c in await page.context.cookies() if c["name"] == "ritme_session"] == []
    response = await page.goto(base_url + "/dashboard/me/data")
    assert response is not None and response.status == 401

    dump = await dump_tables(ritme.store.engine)
    assert traces(dump, ben.id, re.compile(r"\bben\b|Ben Carter")) == []
    assert any(row["display_name"] == "Anna de Vries" for row in dump["members"])
    assert [row["values"] for row in dump["answers"]] == [["Goed", "De roadmap", "nee"]]
