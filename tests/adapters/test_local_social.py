"""The borrel's and coffee's messages in the local chat, over real HTTP on loopback: channel buttons anyone may
press, a channel post replaced in place, and a group conversation only its members see."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.local import LocalPlatform, LocalUser, UndeliverableMessage, mount_local
from rituals.events import ButtonClicked, CommandInvoked
from rituals.outbound import (
    Button,
    ChannelAddress,
    ChannelPost,
    ChannelUpdate,
    GroupPrompt,
    MemberAddress,
    Span,
    Text,
)
from tests.adapters.test_local_http import (
    Chat,
    FixedClock,
    RecordingEngine,
    history,
    next_message,
    open_stream,
    plain,
)

TEAM = ChannelAddress(platform="local", workspace_id="local", channel_id="team")
ADA = MemberAddress(platform="local", workspace_id="local", user_id="u1")
BRAM = MemberAddress(platform="local", workspace_id="local", user_id="u2")
CARLA = MemberAddress(platform="local", workspace_id="local", user_id="u3")
RSVP = (
    Button(label="I'll join", action="borrel.rsvp", value="7:yes"),
    Button(label="Maybe", action="borrel.rsvp", value="7:maybe"),
    Button(label="Not this time", action="borrel.rsvp", value="7:no"),
)


def invitation(count: int) -> Text:
    return Text(
        ((Span(text="Borrel at 16:00 — "), Span(text="@channel cheese", user=True)), (Span(text=f"{count} joining"),))
    )


@pytest_asyncio.fixture
async def chat() -> AsyncIterator[Chat]:
    platform = LocalPlatform(
        users=[
            LocalUser(user_id="u1", display_name="Ada", timezone="Europe/Amsterdam", locale="en"),
            LocalUser(user_id="u2", display_name="Bram", timezone="America/New_York", locale="nl"),
            LocalUser(user_id="u3", display_name="Carla", timezone="Europe/Lisbon", locale="en"),
        ]
    )
    engine = RecordingEngine(platform)
    app = web.Application()
    mount_local(app, platform, engine, FixedClock(), heartbeat_seconds=0.2)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield Chat(client=client, platform=platform, engine=engine)


@pytest.mark.asyncio
async def test_a_channel_post_shows_its_buttons_to_everyone_and_a_click_names_who_pressed(chat: Chat) -> None:
    await chat.platform.send([ChannelPost(key="borrel:7", to=TEAM, text=invitation(0), buttons=RSVP)])
    for user in ("u1", "u2", "u3"):
        [post] = await history(chat, user)
        assert post["conversation"] == "channel:team"
        assert [(b["label"], b["action"], b["value"]) for b in post["buttons"]] == [
            ("I'll join", "borrel.rsvp", "7:yes"),
            ("Maybe", "borrel.rsvp", "7:maybe"),
            ("Not this time", "borrel.rsvp", "7:no"),
        ]
    # What a member typed is defused: it pings no one if copied on.
    assert "@\u200bchannel cheese" in plain(post)

    pressed = await chat.client.post(
        "/api/button", json={"user": "u3", "action": "borrel.rsvp", "value": "7:maybe", "event_id": "rsvp-1"}
    )
    assert pressed.status == 202
    [clicked] = chat.engine.events
    assert isinstance(clicked, ButtonClicked)
    assert (clicked.actor.user_id, clicked.action, clicked.value) == ("u3", "borrel.rsvp", "7:maybe")


@pytest.mark.asyncio
async def test_a_channel_update_replaces_the_post_in_place_for_everyone_watching(chat: Chat) -> None:
    await chat.platform.send([ChannelPost(key="borrel:7", to=TEAM, text=invitation(0), buttons=RSVP)])
    [post] = await history(chat, "u2")
    stream = await open_stream(chat, "u2")
    await chat.platform.send([ChannelUpdate(key="borrel:7", to=TEAM, text=invitation(1), buttons=RSVP)])
    updated = await next_message(stream)
    stream.close()
    assert updated["id"] == post["id"]
    assert plain(updated).endswith("1 joining")
    assert [b["value"] for b in updated["buttons"]] == ["7:yes", "7:maybe", "7:no"]
    [shown] = await history(chat, "u1")
    assert (shown["id"], plain(shown)) == (post["id"], plain(updated))


@pytest.mark.asyncio
async def test_a_channel_update_of_an_unknown_post_is_posted_and_replaced_next_time(chat: Chat) -> None:
    await chat.platform.send([ChannelUpdate(key="borrel:8", to=TEAM, text=invitation(2), buttons=RSVP)])
    [first] = await history(chat, "u1")
    assert plain(first).endswith("2 joining") and len(first["buttons"]) == 3
    await chat.platform.send([ChannelUpdate(key="borrel:8", to=TEAM, text=invitation(3))])
    [second] = await history(chat, "u1")
    assert second["id"] == first["id"] and plain(second).endswith("3 joining") and second["buttons"] == []


@pytest.mark.asyncio
async def test_a_group_prompt_is_a_conversation_only_its_members_see(chat: Chat) -> None:
    carla = await open_stream(chat, "u3")
    bram = await open_stream(chat, "u2")
    pair = GroupPrompt(
        key="coffee:3",
        to=(BRAM, ADA),
        text=Text.plain("Jullie zijn deze week het koffiestel."),
        buttons=(Button(label="We spraken elkaar", action="coffee.met", value="3"),),
    )
    await chat.platform.send([pair])
    shown = await next_message(bram)
    assert shown["conversation"] == "group:u1:u2"
    assert plain(shown) == "Jullie zijn deze week het koffiestel."
    assert [(b["label"], b["value"]) for b in shown["buttons"]] == [("We spraken elkaar", "3")]
    assert [view["conversation"] for view in await history(chat, "u1")] == ["group:u1:u2"]
    assert await history(chat, "u3") == []
    # Carla's stream carries the next channel post, and never saw the pair's message before it.
    await chat.platform.send([ChannelPost(to=TEAM, text=Text.plain("For everyone"))])
    assert plain(await next_message(carla)) == "For everyone"
    carla.close()
    bram.close()


@pytest.mark.asyncio
async def test_members_talk_in_their_group_without_commanding_ritme_and_outsiders_cannot(chat: Chat) -> None:
    await chat.platform.send([GroupPrompt(key="coffee:3", to=(ADA, BRAM), text=Text.plain("Coffee pair!"))])
    said = await chat.client.post(
        "/api/command", json={"user": "u2", "conversation": "group:u1:u2", "text": "Donderdag om 10?"}
    )
    assert said.status == 202
    assert [plain(view) for view in await history(chat, "u1")] == ["Coffee pair!", "Donderdag om 10?"]
    assert not any(isinstance(event, CommandInvoked) for event in chat.engine.events)

    outsider = await chat.client.post(
        "/api/command", json={"user": "u3", "conversation": "group:u1:u2", "text": "Can I join?"}
    )
    assert outsider.status == 400
    assert len(await history(chat, "u1")) == 2


@pytest.mark.asyncio
async def test_a_later_group_message_with_the_same_key_replaces_it(chat: Chat) -> None:
    await chat.platform.send([GroupPrompt(key="coffee:3", to=(ADA, BRAM), text=Text.plain("Coffee pair!"))])
    await chat.platform.send([GroupPrompt(key="coffee:3", to=(BRAM, ADA), text=Text.plain("Met already? Nice."))])
    [view] = await history(chat, "u2")
    assert plain(view) == "Met already? Nice."


@pytest.mark.asyncio
async def test_a_group_with_someone_unknown_is_refused_before_anything_shows(chat: Chat) -> None:
    stranger = MemberAddress(platform="local", workspace_id="local", user_id="nobody")
    with pytest.raises(UndeliverableMessage):
        await chat.platform.send(
            [
                ChannelPost(to=TEAM, text=Text.plain("first")),
                GroupPrompt(key="coffee:4", to=(ADA, stranger), text=Text.plain("Coffee?")),
            ]
        )
    assert await history(chat, "u1") == []
