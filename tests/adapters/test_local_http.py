"""The local adapter over real HTTP on loopback: the JSON API, the event stream and the page."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer

from adapters.local import LocalPlatform, LocalUser, mount_local
from adapters.local.http import MAX_TOKEN_LENGTH, locale_from_accept_language
from adapters.local.platform import MAX_USER_ID_LENGTH
from rituals.catalog import Catalog
from rituals.events import AnswerSubmitted, ButtonClicked, CommandInvoked, InboundEvent, MemberSeen
from rituals.outbound import ChannelAddress, ChannelPost, MemberAddress, Prompt, Text, Update

NOW = datetime(2025, 3, 10, 8, 30, tzinfo=UTC)
TEAM = ChannelAddress(platform="local", workspace_id="local", channel_id="team")
ADA = MemberAddress(platform="local", workspace_id="local", user_id="u1")
READ_TIMEOUT = 5.0


class FixedClock:
    def now(self) -> datetime:
        return NOW


@dataclass
class RecordingEngine:
    """The far side of the adapter: records events and answers commands like the engine would."""

    platform: LocalPlatform
    events: list[InboundEvent] = field(default_factory=list)
    fail: bool = False

    async def __call__(self, event: InboundEvent) -> None:
        if self.fail:
            raise RuntimeError("database is down")
        self.events.append(event)
        if isinstance(event, CommandInvoked):
            to = MemberAddress(platform="local", workspace_id="local", user_id=event.actor.user_id)
            context = ChannelAddress(platform="local", workspace_id="local", channel_id=event.channel_id)
            await self.platform.send([Prompt(to=to, text=Text.plain(f"You said {event.text}"), context=context)])


@dataclass
class Chat:
    client: TestClient[web.Request, web.Application]
    platform: LocalPlatform
    engine: RecordingEngine


@pytest_asyncio.fixture
async def chat() -> AsyncIterator[Chat]:
    platform = LocalPlatform(
        users=[
            LocalUser(user_id="u1", display_name="Ada", timezone="Europe/Amsterdam", locale="en"),
            LocalUser(user_id="u2", display_name="Bram", timezone="America/New_York", locale="nl"),
        ]
    )
    engine = RecordingEngine(platform)
    app = web.Application()
    mount_local(app, platform, engine, FixedClock(), heartbeat_seconds=0.2)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield Chat(client=client, platform=platform, engine=engine)


async def history(chat: Chat, user: str) -> list[dict[str, Any]]:
    response = await chat.client.get("/api/history", params={"user": user})
    assert response.status == 200
    body = await response.json()
    return list(body["messages"])


def plain(view: dict[str, Any]) -> str:
    return "\n".join("".join(span["text"] for span in line) for line in view["lines"])


async def next_frame(stream: ClientResponse) -> str:
    """The next Server-Sent Events block (lines up to a blank line)."""

    async def read() -> str:
        lines: list[str] = []
        while True:
            raw = await stream.content.readline()
            if not raw:
                raise EOFError("the event stream ended")
            line = raw.decode().rstrip("\n")
            if not line:
                return "\n".join(lines)
            lines.append(line)

    return await asyncio.wait_for(read(), READ_TIMEOUT)


async def next_message(stream: ClientResponse) -> dict[str, Any]:
    while True:
        frame = await next_frame(stream)
        if frame.startswith("event: message\n"):
            data = frame.split("\n", 1)[1]
            assert data.startswith("data: ")
            return dict(json.loads(data.removeprefix("data: ")))


async def open_stream(chat: Chat, user: str) -> ClientResponse:
    stream = await chat.client.get("/api/events", params={"user": user})
    assert stream.status == 200
    assert stream.headers["Content-Type"].startswith("text/event-stream")
    assert "subscribed" in await next_frame(stream)
    return stream


# Commands


@pytest.mark.asyncio
async def test_a_command_in_the_channel_reaches_the_engine_and_its_reply_shows_to_that_member(chat: Chat) -> None:
    response = await chat.client.post(
        "/api/command",
        json={"user": "u1", "conversation": "channel:team", "text": "/ritme help", "event_id": "e-1"},
    )

    assert response.status == 202
    assert await response.json() == {"ok": True}
    [event] = chat.engine.events
    assert event == CommandInvoked(
        event_id="u1:e-1",
        actor=event.actor,
        received_at=NOW,
        channel_id="team",
        channel_name="team",
        text="/ritme help",
    )
    assert (event.actor.platform, event.actor.workspace_id, event.actor.user_id) == ("local", "local", "u1")
    assert (event.actor.display_name, event.actor.locale, event.actor.timezone) == ("Ada", "en", "Europe/Amsterdam")

    adas = await history(chat, "u1")
    assert [(m["author"], plain(m), m["only_for"], m["conversation"]) for m in adas] == [
        ("Ada", "/ritme help", None, "channel:team"),
        ("Ritme", "You said /ritme help", "u1", "channel:team"),
    ]
    assert adas[0]["id"] < adas[1]["id"]
    # Others see the typed command in the channel, but not Ritme's private reply to it.
    assert [plain(m) for m in await history(chat, "u2")] == ["/ritme help"]


@pytest.mark.asyncio
async def test_a_command_in_the_dm_uses_the_dm_as_its_channel(chat: Chat) -> None:
    response = await chat.client.post("/api/command", json={"user": "u2", "conversation": "dm:u2", "text": " help "})

    assert response.status == 202
    [event] = chat.engine.events
    assert isinstance(event, CommandInvoked)
    assert (event.channel_id, event.channel_name, event.direct, event.text) == ("dm:u2", "", True, "help")
    prefix, _, made_up = event.event_id.partition(":")
    assert prefix == "u2"
    uuid.UUID(made_up)  # the adapter made one up, as the browser sent none
    assert [(m["conversation"], plain(m)) for m in await history(chat, "u2")] == [
        ("dm:u2", "help"),
        ("dm:u2", "You said help"),
    ]
    assert await history(chat, "u1") == []


@pytest.mark.asyncio
async def test_a_retried_send_shows_the_text_once_and_lets_the_engine_dedupe(chat: Chat) -> None:
    body = {"user": "u1", "conversation": "channel:team", "text": "/ritme help", "event_id": "same"}

    for _ in range(2):
        assert (await chat.client.post("/api/command", json=body)).status == 202

    assert [event.event_id for event in chat.engine.events] == ["u1:same", "u1:same"]
    assert [m["author"] for m in await history(chat, "u2")] == ["Ada"]


@pytest.mark.asyncio
async def test_the_same_event_id_from_two_members_is_two_events(chat: Chat) -> None:
    # Browsers choose event ids; the engine dedupes by id per platform, so one member's id must not shadow another's.
    for user in ("u1", "u2"):
        body = {"user": user, "conversation": "channel:team", "text": "/ritme help", "event_id": "same"}
        assert (await chat.client.post("/api/command", json=body)).status == 202

    assert [(event.actor.user_id, event.event_id) for event in chat.engine.events] == [
        ("u1", "u1:same"),
        ("u2", "u2:same"),
    ]
    assert [plain(m) for m in await history(chat, "u2")] == ["/ritme help", "/ritme help", "You said /ritme help"]
    # The longest scoped id still fits the inbound ledger's 255 characters.
    assert MAX_USER_ID_LENGTH + len(":") + MAX_TOKEN_LENGTH <= 255


@pytest.mark.asyncio
async def test_an_engine_failure_is_a_500_with_a_plain_message_and_is_logged(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    chat.engine.fail = True

    with caplog.at_level(logging.ERROR, logger="adapters.local.http"):
        response = await chat.client.post(
            "/api/command", json={"user": "u1", "conversation": "channel:team", "text": "/ritme help"}
        )
        dutch = await chat.client.post(
            "/api/command", json={"user": "u2", "conversation": "channel:team", "text": "/ritme help"}
        )

    assert response.status == 500
    assert await response.json() == {"error": "Ritme could not handle that; please try again."}
    assert dutch.status == 500
    assert await dutch.json() == {"error": "Ritme kon dat niet verwerken; probeer het opnieuw."}
    assert any(record.exc_info and "database is down" in str(record.exc_info[1]) for record in caplog.records)


# Forms, buttons and members


@pytest.mark.asyncio
async def test_answers_and_buttons_reach_the_engine(chat: Chat) -> None:
    answer = await chat.client.post(
        "/api/answer", json={"user": "u2", "delivery_id": 42, "values": ["Tests", ""], "event_id": "a-1"}
    )
    button = await chat.client.post(
        "/api/button", json={"user": "u1", "action": "pulse.answer", "value": "4", "event_id": "b-1"}
    )

    assert (answer.status, button.status) == (202, 202)
    submitted, clicked = chat.engine.events
    assert isinstance(submitted, AnswerSubmitted)
    assert (submitted.event_id, submitted.actor.user_id, submitted.delivery_id, submitted.values) == (
        "u2:a-1",
        "u2",
        42,
        ("Tests", ""),
    )
    assert isinstance(clicked, ButtonClicked)
    assert (clicked.event_id, clicked.actor.user_id, clicked.action, clicked.value) == (
        "u1:b-1",
        "u1",
        "pulse.answer",
        "4",
    )


@pytest.mark.asyncio
async def test_adding_a_person_lists_them_and_tells_the_engine_they_are_in_the_team(chat: Chat) -> None:
    response = await chat.client.post(
        "/api/users", json={"display_name": " Chidi ", "timezone": "Africa/Lagos", "locale": "nl"}
    )

    assert response.status == 201
    user = (await response.json())["user"]
    assert (user["display_name"], user["timezone"], user["locale"]) == ("Chidi", "Africa/Lagos", "nl")
    [seen] = chat.engine.events
    assert isinstance(seen, MemberSeen)
    assert (seen.channel_id, seen.channel_name, seen.actor.user_id, seen.actor.timezone) == (
        "team",
        "team",
        user["user_id"],
        "Africa/Lagos",
    )
    directory = await (await chat.client.get("/api/directory")).json()
    assert [u["display_name"] for u in directory["users"]] == ["Ada", "Bram", "Chidi"]
    assert directory["channels"] == [{"id": "team", "name": "team"}]


# The live feed


@pytest.mark.asyncio
async def test_the_stream_delivers_messages_sent_after_subscribing(chat: Chat) -> None:
    stream = await open_stream(chat, "u1")

    await chat.platform.send([ChannelPost(to=TEAM, text=Text.plain("Stand-up in 5 minutes"), key="s1")])
    posted = await next_message(stream)
    await chat.platform.send([Prompt(to=ADA, text=Text.plain("How was today?"), key="p1")])
    prompt = await next_message(stream)
    await chat.platform.send([Update(to=ADA, text=Text.plain("Thanks"), key="p1")])
    updated = await next_message(stream)

    assert (posted["conversation"], plain(posted), posted["key"]) == ("channel:team", "Stand-up in 5 minutes", "s1")
    assert (prompt["conversation"], plain(prompt)) == ("dm:u1", "How was today?")
    assert (updated["id"], plain(updated)) == (prompt["id"], "Thanks")
    stream.close()


@pytest.mark.asyncio
async def test_the_stream_only_carries_what_that_member_may_see(chat: Chat) -> None:
    stream = await open_stream(chat, "u2")

    await chat.platform.send([Prompt(to=ADA, text=Text.plain("For Ada only"), context=TEAM)])
    await chat.platform.send([ChannelPost(to=TEAM, text=Text.plain("For everyone"))])

    assert plain(await next_message(stream)) == "For everyone"
    stream.close()


@pytest.mark.asyncio
async def test_an_idle_stream_gets_heartbeats_and_is_cleaned_up_when_the_browser_leaves(chat: Chat) -> None:
    stream = await open_stream(chat, "u1")
    assert chat.platform.subscriber_count("u1") == 1

    assert await next_frame(stream) == ": heartbeat"
    stream.close()

    async def gone() -> None:
        # The server notices a vanished browser on its next write; there is no event to wait on from out here.
        while chat.platform.subscriber_count("u1"):  # noqa: ASYNC110
            await asyncio.sleep(0.02)

    await asyncio.wait_for(gone(), READ_TIMEOUT)


@pytest.mark.asyncio
async def test_closing_the_platform_ends_open_streams(chat: Chat) -> None:
    stream = await open_stream(chat, "u1")

    await chat.platform.aclose()

    with pytest.raises(EOFError):
        while True:
            await next_frame(stream)


# The page


@pytest.mark.asyncio
async def test_the_page_and_its_files_are_served_with_a_strict_policy(chat: Chat) -> None:
    page = await chat.client.get("/")
    script = await chat.client.get("/static/local/app.js")
    style = await chat.client.get("/static/local/style.css")

    assert page.status == 200 and page.content_type == "text/html"
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    html = await page.text()
    for testid in ("composer", "send", "run-standup", "messages", "members", "conversations"):
        assert f'data-testid="{testid}"' in html
    assert script.status == 200 and script.content_type == "text/javascript"
    assert "EventSource" in await script.text()
    assert style.status == 200 and style.content_type == "text/css"


# Bad input


@pytest.mark.parametrize(
    ("path", "body", "status", "names"),
    [
        ("/api/command", {"user": "u1", "conversation": "channel:team", "text": ""}, 400, "text"),
        ("/api/command", {"user": "u1", "conversation": "channel:team", "text": "   "}, 400, "text"),
        ("/api/command", {"user": "u1", "conversation": "channel:team", "text": "x" * 4001}, 400, "text"),
        ("/api/command", {"user": "u1", "conversation": "channel:team", "text": 7}, 400, "text"),
        ("/api/command", {"user": "u1", "conversation": "dm:u2", "text": "hi"}, 400, "conversation"),
        ("/api/command", {"user": "u1", "conversation": "channel:random", "text": "hi"}, 400, "conversation"),
        ("/api/command", {"conversation": "channel:team", "text": "hi"}, 400, "user"),
        ("/api/command", {"user": "ghost", "conversation": "channel:team", "text": "hi"}, 404, "user"),
        ("/api/command", {"user": "u1", "conversation": "channel:team", "text": "hi", "event_id": 5}, 400, "event_id"),
        ("/api/users", {"display_name": "", "timezone": "Europe/Amsterdam", "locale": "en"}, 400, "display_name"),
        ("/api/users", {"display_name": "x" * 81, "timezone": "UTC", "locale": "en"}, 400, "display_name"),
        ("/api/users", {"display_name": "Ada", "timezone": "Europe/Atlantis", "locale": "en"}, 400, "timezone"),
        ("/api/users", {"display_name": "Ada", "timezone": "UTC", "locale": "fr"}, 400, "locale"),
        ("/api/users", {"display_name": "Ada", "locale": "en"}, 400, "timezone"),
        ("/api/answer", {"user": "u1", "delivery_id": "42", "values": []}, 400, "delivery_id"),
        ("/api/answer", {"user": "u1", "delivery_id": True, "values": []}, 400, "delivery_id"),
        ("/api/answer", {"user": "u1", "delivery_id": 42, "values": "done"}, 400, "values"),
        ("/api/answer", {"user": "u1", "delivery_id": 42, "values": [1]}, 400, "values"),
        ("/api/answer", {"user": "ghost", "delivery_id": 42, "values": []}, 404, "user"),
        ("/api/command", {"user": "u1", "conversation": "dm:u1", "text": "hi", "event_id": "e" * 201}, 400, "event_id"),
        ("/api/users", {"display_name": "Ada", "timezone": "UTC", "locale": "fr"}, 400, "locale"),
        ("/api/users", {"display_name": "Ada\nL", "timezone": "UTC", "locale": "en"}, 400, "display_name"),
        ("/api/button", {"user": "u1", "value": "4"}, 400, "action"),
        ("/api/button", {"user": "u1", "action": "x" * 201, "value": "4"}, 400, "action"),
        ("/api/button", {"user": "u1", "action": "pulse", "value": None}, 400, "value"),
    ],
)
@pytest.mark.parametrize(
    ("as_user", "accept_language", "for_example"),
    [("u1", None, "for example"), ("u2", "nl-NL,nl;q=0.9", "bijvoorbeeld")],
    ids=["english", "dutch"],
)
@pytest.mark.asyncio
async def test_bad_input_is_refused_with_an_error_naming_the_problem_and_showing_an_example(
    chat: Chat,
    path: str,
    body: dict[str, Any],
    status: int,
    names: str,
    as_user: str,
    accept_language: str | None,
    for_example: str,
) -> None:
    # The Dutch run acts as Bram (locale nl) where a member is named, and asks for Dutch where none is.
    if as_user == "u2":
        body = json.loads(json.dumps(body).replace("u1", "@@").replace("u2", "u1").replace("@@", "u2"))
    headers = {"Accept-Language": accept_language} if accept_language else {}

    response = await chat.client.post(path, json=body, headers=headers)

    assert response.status == status
    error = (await response.json())["error"]
    assert error.startswith(f"{names}:")
    assert for_example in error
    assert chat.engine.events == []
    assert await history(chat, "u1") == []
    assert await history(chat, "u2") == []


@pytest.mark.parametrize(
    ("data", "content_type", "status", "names"),
    [
        ("{not json", "application/json", 400, "body"),
        ("[1, 2]", "application/json", 400, "body"),
        ('{"user": "u1"}', "text/plain", 415, "body"),
    ],
)
@pytest.mark.asyncio
async def test_a_body_that_is_not_a_json_object_is_refused(
    chat: Chat, data: str, content_type: str, status: int, names: str
) -> None:
    response = await chat.client.post("/api/command", data=data, headers={"Content-Type": content_type})

    assert response.status == status
    assert (await response.json())["error"].startswith(f"{names}:")


@pytest.mark.parametrize("path", ["/api/history", "/api/events"])
@pytest.mark.asyncio
async def test_reading_as_an_unknown_or_missing_member_is_refused(chat: Chat, path: str) -> None:
    unknown = await chat.client.get(path, params={"user": "ghost"})
    missing = await chat.client.get(path)

    assert unknown.status == 404
    assert (await unknown.json())["error"].startswith("user:")
    assert missing.status == 400
    assert (await missing.json())["error"].startswith("user:")


@pytest.mark.asyncio
async def test_a_known_members_language_wins_over_the_browsers(chat: Chat) -> None:
    headers = {"Accept-Language": "nl"}

    adas = await chat.client.post("/api/answer", json={"user": "u1", "delivery_id": "x", "values": []}, headers=headers)
    brams = await chat.client.post("/api/answer", json={"user": "u2", "delivery_id": "x", "values": []})

    assert (await adas.json())["error"] == "delivery_id: use the form's number, for example 42"
    assert (await brams.json())["error"] == "delivery_id: gebruik het nummer van het formulier, bijvoorbeeld 42"


@pytest.mark.asyncio
async def test_errors_about_a_new_person_follow_the_browsers_language(chat: Chat) -> None:
    bad = {"display_name": "Chidi", "timezone": "Mars/Base", "locale": "nl"}

    dutch = await chat.client.post("/api/users", json=bad, headers={"Accept-Language": "nl-BE"})
    english = await chat.client.post("/api/users", json=bad, headers={"Accept-Language": "en-GB,en;q=0.9"})

    assert (await dutch.json())["error"] == (
        'timezone: gebruik de IANA-naam van een tijdzone, bijvoorbeeld "Europe/Amsterdam"'
    )
    assert (await english.json())["error"] == 'timezone: use an IANA time zone name, for example "Europe/Amsterdam"'


@pytest.mark.asyncio
async def test_a_conversation_error_shows_places_that_member_may_write(chat: Chat) -> None:
    response = await chat.client.post("/api/command", json={"user": "u1", "conversation": "dm:u2", "text": "hi"})

    assert (await response.json())["error"] == (
        'conversation: write in a team channel or in your own direct messages, for example "channel:team" or "dm:u1"'
    )


@pytest.mark.asyncio
async def test_an_overlong_token_names_its_limit(chat: Chat) -> None:
    response = await chat.client.post(
        "/api/button", json={"user": "u1", "action": "a" * (MAX_TOKEN_LENGTH + 1), "value": "4"}
    )

    assert response.status == 400
    assert f"at most {MAX_TOKEN_LENGTH} characters" in (await response.json())["error"]


# The chat's own words


@pytest.mark.asyncio
async def test_the_ui_words_come_from_the_catalog_in_the_asked_locale(chat: Chat) -> None:
    dutch = await (await chat.client.get("/api/ui", params={"locale": "nl"})).json()
    english = await (await chat.client.get("/api/ui", params={"locale": "en"})).json()

    assert (dutch["locale"], english["locale"]) == ("nl", "en")
    assert dutch["locales"] == english["locales"] == ["en", "nl"]
    assert dutch["texts"]["ui.run_standup"] == "Stand-up nu starten"
    assert english["texts"]["ui.run_standup"] == "Run stand-up now"
    assert dutch["texts"]["language.nl"] == "Nederlands"
    catalog = Catalog()
    ui_keys = {key for key in catalog.keys() if key.startswith("ui.")}
    assert ui_keys <= set(english["texts"]) and ui_keys <= set(dutch["texts"])
    # Placeholders stay for the browser to fill in.
    assert english["texts"]["ui.composer.placeholder"] == "Message {conversation} — try /ritme help"


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        (None, "en"),
        ("nl", "nl"),
        ("nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7", "nl"),
        ("en-US,en;q=0.9,nl;q=0.8", "en"),
        ("de-DE,de;q=0.9,nl;q=0.5", "nl"),
        ("fr", "en"),
        ("en;q=0.1, nl_BE;q=0.5", "nl"),
        ("nl;q=0, en;q=0.2", "en"),
        ("nl;q=bogus", "en"),
    ],
)
@pytest.mark.asyncio
async def test_without_a_locale_the_ui_follows_accept_language(chat: Chat, header: str | None, locale: str) -> None:
    headers = {"Accept-Language": header} if header is not None else {}

    response = await chat.client.get("/api/ui", headers=headers)

    assert (await response.json())["locale"] == locale
    assert locale_from_accept_language(header) == locale
