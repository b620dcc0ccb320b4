"""The local chat page in a real headless Chromium, against the real server on loopback.

Skipped where no Chromium is installed (Debian's `chromium` package gives /usr/bin/chromium), unless
RITME_REQUIRE_BROWSER=1 says a browser must be there.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Locator, Page, async_playwright, expect

from adapters.local import LocalPlatform, LocalUser, mount_local
from rituals.events import AnswerSubmitted, ButtonClicked, CommandInvoked, InboundEvent
from rituals.outbound import (
    Button,
    ChannelAddress,
    ChannelPost,
    Choice,
    Field,
    Form,
    MemberAddress,
    Prompt,
    Span,
    Text,
    ThreadReply,
    Update,
)

# CI sets RITME_REQUIRE_BROWSER=1 so that a missing browser fails the run instead of quietly skipping it.
REQUIRE_BROWSER = os.environ.get("RITME_REQUIRE_BROWSER") == "1"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None and not REQUIRE_BROWSER, reason="no Chromium installed")

TEAM = ChannelAddress(platform="local", workspace_id="local", channel_id="team")
ZWSP = "\u200b"
HOSTILE = "<img src=x onerror=alert(1)> @here"
TIMEOUT_MS = 5000
FEELINGS = ("1 – very bad", "2 – bad", "3 – okay", "4 – good", "5 – very good")
SCALE = tuple(Choice(value=str(n), label=label) for n, label in enumerate(FEELINGS, 1))


def pulse_form(member: MemberAddress, *, feeling: str = "") -> Form:
    """A pulse: a required question on a scale, an optional one, and an optional comment."""
    return Form(
        to=member,
        text=Text.plain("How was your week?"),
        delivery_id=9,
        fields=(
            Field(label="How are you feeling this week?", choices=SCALE, optional=False, value=feeling),
            Field(label="How manageable is your workload?", choices=SCALE),
            Field(label="Anything to add?"),
        ),
        submit_label="Send",
        open_label="Answer",
        key="pulse:9",
    )


class FixedClock:
    def now(self) -> datetime:
        return datetime(2025, 3, 10, 8, 30, tzinfo=UTC)


@dataclass
class StandupEngine:
    """A tiny stand-in for the engine: help replies, a stand-up form, and a thanks that replaces it."""

    platform: LocalPlatform
    events: list[InboundEvent] = field(default_factory=list)
    fail_answers: bool = False

    async def __call__(self, event: InboundEvent) -> None:
        if self.fail_answers and isinstance(event, AnswerSubmitted):
            raise RuntimeError("the database is down")
        self.events.append(event)
        member = MemberAddress(platform="local", workspace_id="local", user_id=event.actor.user_id)
        if isinstance(event, CommandInvoked) and event.text == "/ritme standup run":
            await self.platform.send(
                [
                    ChannelPost(to=TEAM, text=Text.plain("Stand-up of today"), key="standup"),
                    Form(
                        to=member,
                        text=Text.plain("Good morning! Your stand-up:"),
                        delivery_id=7,
                        fields=(Field(label="Yesterday", value="Reviews"), Field(label="Today", multiline=False)),
                        submit_label="Send answers",
                        open_label="Answer",
                        key="standup:7",
                    ),
                ]
            )
        elif isinstance(event, CommandInvoked) and event.text == "/ritme pulse run":
            await self.platform.send([pulse_form(member)])
        elif isinstance(event, CommandInvoked):
            context = ChannelAddress(platform="local", workspace_id="local", channel_id=event.channel_id)
            await self.platform.send([Prompt(to=member, text=Text.plain(f"You said {event.text}"), context=context)])
        elif isinstance(event, AnswerSubmitted) and event.delivery_id == 9:
            await self.platform.send([Update(to=member, text=Text.plain("Thanks for answering."), key="pulse:9")])
        elif isinstance(event, AnswerSubmitted):
            name = Span(text=f"{event.actor.display_name}: ", bold=True)
            answer = Text(((name, Span(text=event.values[1], user=True)),))
            await self.platform.send(
                [
                    Update(
                        to=member,
                        text=Text.plain("Thanks, saved."),
                        buttons=(Button(label="Edit", action="standup.edit", value="7"),),
                        key="standup:7",
                    ),
                    ThreadReply(to=TEAM, thread_key="standup", text=answer),
                ]
            )


@dataclass
class Browser:
    page: Page
    platform: LocalPlatform
    engine: StandupEngine
    url: str
    dialogs: list[str]


ADA = LocalUser(user_id="u1", display_name="Ada", timezone="Europe/Amsterdam", locale="en")
BRAM = LocalUser(user_id="u2", display_name="Bram", timezone="America/New_York", locale="nl")


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Browser]:
    async with open_chat([ADA, BRAM]) as opened:
        yield opened


@asynccontextmanager
async def open_chat(users: list[LocalUser], *, browser_locale: str = "en-US") -> AsyncIterator[Browser]:
    """The chat page in Chromium; `browser_locale` is the language the browser asks for (its Accept-Language)."""
    platform = LocalPlatform(users=users)
    engine = StandupEngine(platform)
    app = web.Application()
    mount_local(app, platform, engine, FixedClock())
    async with TestServer(app, host="127.0.0.1") as server, async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = await chromium.new_page(locale=browser_locale)
        page.set_default_timeout(TIMEOUT_MS)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        await page.goto(str(server.make_url("/")))
        yield Browser(page=page, platform=platform, engine=engine, url=str(server.make_url("/")), dialogs=dialogs)
        await chromium.close()


def messages(page: Page) -> Locator:
    return page.get_by_test_id("messages").get_by_test_id("message")


@pytest.mark.asyncio
async def test_type_a_command_and_see_the_private_reply(browser: Browser) -> None:
    page = browser.page
    await page.get_by_test_id("member-u1").click()
    await page.get_by_test_id("conv-team").click()

    await page.get_by_test_id("composer").fill("/ritme help")
    await page.get_by_test_id("composer").press("Enter")

    reply = messages(page).filter(has_text="You said /ritme help")
    await expect(reply).to_have_count(1)
    await expect(reply.get_by_test_id("only-you")).to_have_text("Only visible to you")
    await expect(messages(page).first.get_by_test_id("message-author")).to_have_text("Ada")
    await expect(page.get_by_test_id("composer")).to_have_value("")

    # Bram sees Ada's command in the channel, but not the reply meant for her.
    await page.get_by_test_id("member-u2").click()
    await expect(messages(page).filter(has_text="/ritme help")).to_have_count(1)
    await expect(messages(page).filter(has_text="You said")).to_have_count(0)


@pytest.mark.asyncio
async def test_run_a_standup_answer_the_form_and_see_it_replaced_live(browser: Browser) -> None:
    page = browser.page
    await page.get_by_test_id("member-u1").click()
    await page.get_by_test_id("conv-team").click()

    await page.get_by_test_id("run-standup").click()
    await expect(messages(page).filter(has_text="Stand-up of today")).to_have_count(1)

    await page.get_by_test_id("conv-dm").click()
    fields = page.get_by_test_id("answer-field")
    await expect(fields).to_have_count(2)
    await expect(fields.nth(0)).to_have_value("Reviews")
    await fields.nth(1).fill(HOSTILE)
    await page.get_by_test_id("answer-submit").click()

    form_message = messages(page).filter(has_text="Thanks, saved.")
    await expect(form_message).to_have_count(1)
    await expect(page.get_by_test_id("answer-form")).to_have_count(0)
    async with page.expect_response("**/api/button") as pressed:
        await form_message.get_by_test_id("message-button").click()
    assert (await pressed.value).status == 202

    await page.get_by_test_id("conv-team").click()
    reply = page.get_by_test_id("thread").get_by_test_id("message")
    await expect(reply).to_have_count(1)
    # Shown as the very text typed (defused), never as an image tag that runs script.
    await expect(reply.get_by_test_id("message-body")).to_have_text(f"Ada: <img src=x onerror=alert(1)> @{ZWSP}here")
    await expect(page.locator("img")).to_have_count(0)
    assert browser.dialogs == []
    submitted = [e for e in browser.engine.events if isinstance(e, AnswerSubmitted)]
    assert [(e.delivery_id, e.values) for e in submitted] == [(7, ("Reviews", HOSTILE))]
    assert any(isinstance(e, ButtonClicked) and e.action == "standup.edit" for e in browser.engine.events)


@pytest.mark.asyncio
async def test_answer_a_pulse_with_one_tap_the_keyboard_and_a_comment(browser: Browser) -> None:
    page = browser.page
    await page.get_by_test_id("member-u1").click()
    await page.get_by_test_id("conv-dm").click()
    await page.get_by_test_id("composer").fill("/ritme pulse run")
    await page.get_by_test_id("composer").press("Enter")

    feeling = page.get_by_role("group", name="How are you feeling this week?")
    await expect(feeling.get_by_role("radio")).to_have_count(5)
    await expect(feeling.get_by_role("radio", name="1 – very bad")).not_to_be_checked()

    # The question must be answered: sending without a pick is refused by the browser and reaches no one.
    await page.get_by_test_id("answer-submit").click()
    # One tap on an option's words picks it; then the arrow keys move the pick along the scale.
    await feeling.get_by_text("2 – bad").click()
    await expect(feeling.get_by_role("radio", name="2 – bad")).to_be_checked()
    await page.keyboard.press("ArrowRight")
    await expect(feeling.get_by_role("radio", name="3 – okay")).to_be_checked()
    await expect(feeling.get_by_role("radio", name="2 – bad")).not_to_be_checked()
    await page.get_by_role("textbox", name="Anything to add?").fill(HOSTILE)
    await page.get_by_test_id("answer-submit").click()

    await expect(messages(page).filter(has_text="Thanks for answering.")).to_have_count(1)
    await expect(page.get_by_test_id("answer-form")).to_have_count(0)
    submitted = [e for e in browser.engine.events if isinstance(e, AnswerSubmitted)]
    # The workload question was left open: it goes back as "", in its place.
    assert [(e.delivery_id, e.values) for e in submitted] == [(9, ("3", "", HOSTILE))]
    assert browser.dialogs == []


@pytest.mark.asyncio
async def test_a_pulse_shows_the_earlier_pick_and_its_options_are_big_enough_to_tap_on_a_phone(
    browser: Browser,
) -> None:
    page = browser.page
    await page.set_viewport_size({"width": 390, "height": 800})
    await page.get_by_test_id("toggle-sidebar").click()
    await page.get_by_test_id("member-u1").click()
    await page.get_by_test_id("toggle-sidebar").click()
    await page.get_by_test_id("conv-dm").click()

    member = MemberAddress(platform="local", workspace_id="local", user_id="u1")
    await browser.platform.send([pulse_form(member, feeling="4")])

    feeling = page.get_by_role("group", name="How are you feeling this week?")
    await expect(feeling.get_by_role("radio", name="4 – good")).to_be_checked()
    for option in await page.get_by_test_id("answer-choice").all():
        box = await option.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 300
    await page.get_by_test_id("answer-submit").click()
    await expect(messages(page).filter(has_text="Thanks for answering.")).to_have_count(1)
    submitted = [e for e in browser.engine.events if isinstance(e, AnswerSubmitted)]
    assert [e.values for e in submitted] == [("4", "", "")]


@pytest.mark.asyncio
async def test_messages_pushed_by_the_engine_appear_without_reloading(browser: Browser) -> None:
    page = browser.page
    await page.get_by_test_id("member-u2").click()
    await page.get_by_test_id("conv-team").click()
    await expect(page.get_by_test_id("empty")).to_be_visible()

    await browser.platform.send([ChannelPost(to=TEAM, text=Text.plain("Borrel at 17:00"))])

    await expect(messages(page).filter(has_text="Borrel at 17:00")).to_have_count(1)


@pytest.mark.asyncio
async def test_add_a_person_and_become_them(browser: Browser) -> None:
    page = browser.page
    await page.get_by_test_id("add-person-toggle").click()
    await page.get_by_test_id("add-person-name").fill("Chidi")
    await page.get_by_test_id("add-person-timezone").fill("Mars/Base")
    await page.get_by_test_id("add-person-submit").click()
    await expect(page.get_by_test_id("add-person-error")).to_contain_text("timezone")

    await page.get_by_test_id("add-person-timezone").fill("Africa/Lagos")
    await page.get_by_test_id("add-person-locale").select_option("nl")
    await page.get_by_test_id("add-person-submit").click()

    # The click returns before the server has added Chidi: wait for him, as the page does.
    for _ in range(250):
        if added := [user for user in browser.platform.users() if user.display_name == "Chidi"]:
            break
        await asyncio.sleep(0.02)
    [chidi] = added
    member = page.get_by_test_id(f"member-{chidi.user_id}")
    await expect(member).to_have_attribute("aria-pressed", "true")
    await expect(member).to_contain_text("Africa/Lagos")


@pytest.mark.asyncio
async def test_on_a_phone_the_members_open_from_a_menu(browser: Browser) -> None:
    page = browser.page
    await page.set_viewport_size({"width": 390, "height": 800})

    await expect(page.get_by_test_id("member-u2")).not_to_be_in_viewport()
    await page.get_by_test_id("toggle-sidebar").click()
    await page.get_by_test_id("member-u2").click()

    await expect(page.get_by_test_id("member-u2")).not_to_be_in_viewport()
    await expect(page.get_by_test_id("composer")).to_be_visible()
    await expect(page.get_by_test_id("run-standup")).to_be_visible()


# The page speaks the chosen member's language


@pytest.mark.asyncio
async def test_the_page_follows_the_chosen_members_language(browser: Browser) -> None:
    page = browser.page
    await page.get_by_test_id("member-u2").click()
    await page.get_by_test_id("conv-team").click()

    await expect(page.locator("html")).to_have_attribute("lang", "nl")
    await expect(page.get_by_test_id("run-standup")).to_have_text("Stand-up nu starten")
    await expect(page.get_by_test_id("post-digest")).to_have_text("Overzicht nu plaatsen")
    await expect(page.get_by_test_id("people-heading")).to_have_text("Jij bent")
    await expect(page.get_by_test_id("conversations-heading")).to_have_text("Gesprekken")
    await expect(page.get_by_test_id("conv-dm")).to_have_text("Privéberichten met Ritme")
    await expect(page.get_by_test_id("send")).to_have_text("Versturen")
    await expect(page.get_by_test_id("add-person-toggle")).to_have_text("Persoon toevoegen")
    await expect(page.get_by_test_id("composer")).to_have_attribute(
        "placeholder", "Bericht in # team — probeer /ritme help"
    )
    await expect(page.get_by_test_id("empty")).to_have_text("Nog geen berichten. Probeer /ritme help.")
    await expect(page).to_have_title("Ritme — lokale chat")

    await page.get_by_test_id("composer").fill("/ritme help")
    await page.get_by_test_id("composer").press("Enter")
    reply = messages(page).filter(has_text="You said /ritme help")
    await expect(reply.get_by_test_id("only-you")).to_have_text("Alleen zichtbaar voor jou")

    # Back to Ada, and back to English.
    await page.get_by_test_id("member-u1").click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_test_id("run-standup")).to_have_text("Run stand-up now")
    await expect(page.get_by_test_id("post-digest")).to_have_text("Post digest now")
    await expect(page.get_by_test_id("people-heading")).to_have_text("You are")
    await expect(page.get_by_test_id("conv-dm")).to_have_text("Direct messages with Ritme")
    await expect(page.get_by_test_id("send")).to_have_text("Send")
    await expect(page).to_have_title("Ritme — local chat")


@pytest.mark.asyncio
async def test_a_failed_answer_is_told_in_the_members_language(browser: Browser) -> None:
    page = browser.page
    await page.get_by_test_id("member-u2").click()
    await page.get_by_test_id("conv-team").click()
    await page.get_by_test_id("run-standup").click()
    await page.get_by_test_id("conv-dm").click()
    browser.engine.fail_answers = True

    await page.get_by_test_id("answer-field").nth(1).fill("Tests")
    await page.get_by_test_id("answer-submit").click()

    status = page.get_by_test_id("answer-status")
    await expect(status).to_have_text("Ritme kon dat niet verwerken; probeer het opnieuw.")


@pytest.mark.asyncio
async def test_adding_a_person_is_in_the_pages_language_and_so_are_its_errors(browser: Browser) -> None:
    page = browser.page
    await page.get_by_test_id("member-u2").click()
    await page.get_by_test_id("add-person-toggle").click()

    await expect(page.get_by_test_id("add-person-name-label")).to_have_text("Naam")
    await expect(page.get_by_test_id("add-person-name")).to_have_attribute("placeholder", "bijvoorbeeld Ada Lovelace")
    await expect(page.get_by_test_id("add-person-submit")).to_have_text("Toevoegen")
    await expect(page.get_by_test_id("add-person-locale").locator("option")).to_have_text(["Engels", "Nederlands"])
    await expect(page.get_by_test_id("add-person-locale")).to_have_value("nl")

    await page.get_by_test_id("add-person-name").fill("Chidi")
    await page.get_by_test_id("add-person-timezone").fill("Mars/Base")
    await page.get_by_test_id("add-person-submit").click()
    await expect(page.get_by_test_id("add-person-error")).to_have_text(
        'timezone: gebruik de IANA-naam van een tijdzone, bijvoorbeeld "Europe/Amsterdam"'
    )


@pytest.mark.parametrize(
    ("browser_locale", "heading", "placeholder", "toggle"),
    [
        ("nl-NL", "Jij bent", "Voeg een persoon toe om te beginnen", "Persoon toevoegen"),
        ("en-GB", "You are", "Add a person to start", "Add person"),
    ],
)
@pytest.mark.asyncio
async def test_before_anyone_is_picked_the_page_speaks_the_browsers_language(
    browser_locale: str, heading: str, placeholder: str, toggle: str
) -> None:
    async with open_chat([], browser_locale=browser_locale) as opened:
        page = opened.page
        await expect(page.get_by_test_id("people-heading")).to_have_text(heading)
        await expect(page.get_by_test_id("add-person-toggle")).to_have_text(toggle)
        await expect(page.get_by_test_id("composer")).to_have_attribute("placeholder", placeholder)
        await expect(page.locator("html")).to_have_attribute("lang", browser_locale[:2])


# Who wrote it


@pytest.mark.asyncio
async def test_a_member_called_ritme_is_not_styled_as_the_bot(browser: Browser) -> None:
    page = browser.page
    browser.platform.add_user(LocalUser(user_id="u3", display_name="Ritme", timezone="UTC", locale="en"))
    await page.reload()
    await page.get_by_test_id("member-u3").click()
    await page.get_by_test_id("conv-team").click()

    await page.get_by_test_id("composer").fill("/ritme help")
    await page.get_by_test_id("composer").press("Enter")

    typed = messages(page).filter(has_text="/ritme help").filter(has_not_text="You said")
    answer = messages(page).filter(has_text="You said /ritme help")
    await expect(typed.get_by_test_id("message-author")).to_have_text("Ritme")
    await expect(answer.get_by_test_id("message-author")).to_have_text("Ritme")
    await expect(typed).not_to_have_class(re.compile(r"\bfrom-bot\b"))
    await expect(answer).to_have_class(re.compile(r"\bfrom-bot\b"))
