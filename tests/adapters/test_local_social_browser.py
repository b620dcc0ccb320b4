"""The borrel's RSVP buttons and a coffee pair's group conversation in the local chat, in a real headless Chromium
against the real server on loopback. Skipped where no Chromium is installed, unless RITME_REQUIRE_BROWSER=1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Locator, Page, async_playwright, expect

from adapters.local import LocalPlatform, LocalUser, mount_local
from rituals.events import ButtonClicked, InboundEvent
from rituals.outbound import (
    Button,
    ChannelAddress,
    ChannelPost,
    ChannelUpdate,
    GroupPrompt,
    MemberAddress,
    Text,
)
from tests.adapters.test_local_browser import CHROMIUM, REQUIRE_BROWSER, TIMEOUT_MS, FixedClock

pytestmark = pytest.mark.skipif(CHROMIUM is None and not REQUIRE_BROWSER, reason="no Chromium installed")

TEAM = ChannelAddress(platform="local", workspace_id="local", channel_id="team")
USERS = [
    LocalUser(user_id="u1", display_name="Ada", timezone="Europe/Amsterdam", locale="en"),
    LocalUser(user_id="u2", display_name="Bram", timezone="Europe/Amsterdam", locale="nl"),
    LocalUser(user_id="u3", display_name="Carla", timezone="Europe/Lisbon", locale="en"),
]
RSVP = (
    Button(label="I'll join", action="borrel.rsvp", value="7:yes"),
    Button(label="Maybe", action="borrel.rsvp", value="7:maybe"),
    Button(label="Not this time", action="borrel.rsvp", value="7:no"),
)


def address(user_id: str) -> MemberAddress:
    return MemberAddress(platform="local", workspace_id="local", user_id=user_id)


@dataclass
class BorrelEngine:
    """A stand-in for the engine: each RSVP click updates the invitation's live count of who joins."""

    platform: LocalPlatform
    joining: list[str] = field(default_factory=list)
    clicks: list[ButtonClicked] = field(default_factory=list)

    async def __call__(self, event: InboundEvent) -> None:
        if isinstance(event, ButtonClicked) and event.action == "borrel.rsvp":
            self.clicks.append(event)
            if event.value == "7:yes":
                self.joining.append(event.actor.display_name)
            names = ", ".join(self.joining)
            text = Text.plain(f"Borrel on Friday at 16:00\n{len(self.joining)} joining: {names}")
            await self.platform.send([ChannelUpdate(key="borrel:7", to=TEAM, text=text, buttons=RSVP)])


@dataclass
class Chat:
    page: Page
    platform: LocalPlatform
    engine: BorrelEngine


@pytest_asyncio.fixture
async def chat() -> AsyncIterator[Chat]:
    platform = LocalPlatform(users=USERS)
    engine = BorrelEngine(platform)
    app = web.Application()
    mount_local(app, platform, engine, FixedClock())
    async with TestServer(app, host="127.0.0.1") as server, async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        page = await chromium.new_page(locale="en-US")
        page.set_default_timeout(TIMEOUT_MS)
        await page.goto(str(server.make_url("/")))
        yield Chat(page=page, platform=platform, engine=engine)
        await chromium.close()


def messages(page: Page) -> Locator:
    return page.get_by_test_id("messages").get_by_test_id("message")


@pytest.mark.asyncio
async def test_members_press_the_channel_rsvp_and_see_the_count_change_in_place(chat: Chat) -> None:
    page = chat.page
    await page.get_by_test_id("member-u2").click()
    await page.get_by_test_id("conv-team").click()
    await chat.platform.send(
        [ChannelPost(key="borrel:7", to=TEAM, text=Text.plain("Borrel on Friday at 16:00\n0 joining"), buttons=RSVP)]
    )
    invitation = messages(page).filter(has_text="Borrel on Friday")
    await expect(invitation.get_by_test_id("message-button")).to_have_text(["I'll join", "Maybe", "Not this time"])

    await invitation.get_by_role("button", name="I'll join").click()
    await expect(invitation).to_contain_text("1 joining: Bram")
    await expect(messages(page)).to_have_count(1)  # replaced, not posted again

    # Carla presses too, from her own seat: the same message changes for her.
    await page.get_by_test_id("member-u3").click()
    await invitation.get_by_role("button", name="I'll join").click()
    await expect(invitation).to_contain_text("2 joining: Bram, Carla")
    await expect(messages(page)).to_have_count(1)
    assert [(click.actor.user_id, click.value) for click in chat.engine.clicks] == [("u2", "7:yes"), ("u3", "7:yes")]


@pytest.mark.asyncio
async def test_a_coffee_pair_meets_in_a_group_conversation_nobody_else_sees(chat: Chat) -> None:
    page = chat.page
    await page.get_by_test_id("member-u1").click()
    await chat.platform.send(
        [
            GroupPrompt(
                key="coffee:3",
                to=(address("u2"), address("u1")),
                text=Text.plain("You two are this week's coffee pair."),
                buttons=(Button(label="Not this week", action="borrel.rsvp", value="7:no"),),
            )
        ]
    )
    group = page.get_by_test_id("conv-group-u1-u2")
    await expect(group).to_have_text("Ada, Bram")
    await group.click()
    await expect(page.get_by_test_id("conversation-title")).to_have_text("Ada, Bram")
    await expect(messages(page).filter(has_text="coffee pair")).to_have_count(1)
    await expect(messages(page).get_by_test_id("message-button")).to_have_text(["Not this week"])

    # The pair plan among themselves; it is talk, not a command.
    await page.get_by_test_id("composer").fill("Thursday at 10?")
    await page.get_by_test_id("composer").press("Enter")
    await expect(messages(page).filter(has_text="Thursday at 10?")).to_have_count(1)

    await page.get_by_test_id("member-u2").click()
    await page.get_by_test_id("conv-group-u1-u2").click()
    await expect(messages(page)).to_have_count(2)

    # Carla has no such conversation, and reading along lands her in her own DMs.
    await page.get_by_test_id("member-u3").click()
    await expect(page.get_by_test_id("conv-group-u1-u2")).to_have_count(0)
    await expect(messages(page).filter(has_text="coffee pair")).to_have_count(0)
    await expect(messages(page).filter(has_text="Thursday")).to_have_count(0)
