"""The Slack adapter over real HTTP: signed requests to the real bolt app, replies to a fake Web API."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Mapping
from typing import Any

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from adapters.slack import SlackApp, SlackOutbox, slack_client
from adapters.slack.protocol import ANSWER_ACTION, FORM_CALLBACK, button_action_id
from rituals.events import (
    AnswerSubmitted,
    ButtonClicked,
    CommandInvoked,
    HomeOpened,
    InboundEvent,
    MemberSeen,
)
from rituals.outbound import (
    Button,
    ChannelAddress,
    ChannelPost,
    Choice,
    Field,
    Form,
    HomeView,
    MemberAddress,
    Message,
    Prompt,
    Section,
    Span,
    Text,
    ThreadReply,
    Update,
)
from rituals.standup import EDIT_ACTION, digest_key, form_key
from tests.adapters.slack.conftest import Rig
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import (
    TEAM_ID,
    ManualClock,
    MemoryMessageLog,
    RecordingInbound,
    SlackSender,
    block_actions,
    home_opened_event,
    member_joined,
    view_submission,
)

ADA = MemberAddress(platform="slack", workspace_id=TEAM_ID, user_id="U1")
TEAM = ChannelAddress(platform="slack", workspace_id=TEAM_ID, channel_id="C1")
QUESTIONS = ("How are you doing today?", "What is your focus today?", "Is anything blocking you?")


def standup_form(delivery_id: int, values: tuple[str, ...] = ("", "", "")) -> Form:
    return Form(
        key=form_key(delivery_id),
        to=ADA,
        text=Text.plain("Good morning! Time for the stand-up of #team. Answer before 11:00."),
        delivery_id=delivery_id,
        fields=tuple(Field(label=q, value=v) for q, v in zip(QUESTIONS, values, strict=True)),
        submit_label="Send answer",
        open_label="Answer",
    )


def acked_quickly(started: float) -> bool:
    return time.monotonic() - started < 3.0


async def test_url_verification_answers_the_challenge(rig: Rig) -> None:
    response = await rig.sender.event(
        {"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}
    )
    assert response.status == 200
    body = await response.json()
    assert body["challenge"] == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    assert rig.inbound.accepted == []


async def test_a_slash_command_is_acked_at_once_and_reaches_the_engine(rig: Rig) -> None:
    def reply(event: InboundEvent) -> list[Message]:
        assert isinstance(event, CommandInvoked)
        context = ChannelAddress(platform="slack", workspace_id=TEAM_ID, channel_id=event.channel_id)
        return [Prompt(to=ADA, text=Text.plain("Stand-up 1 is set up."), context=context)]

    rig.inbound.reply = reply
    started = time.monotonic()
    response = await rig.sender.command("standup create at 09:30", trigger_id="1337.1.cmd")
    assert response.status == 200
    assert acked_quickly(started)
    assert await response.text() == ""
    # The id was on record before the ack went out.
    assert rig.inbound.accepted == [f"cmd:{TEAM_ID}:1337.1.cmd"]

    [event] = await rig.inbound.wait_finished()
    assert isinstance(event, CommandInvoked)
    assert event.text == "standup create at 09:30"
    assert (event.channel_id, event.channel_name, event.direct) == ("C1", "team", False)
    assert event.event_id == f"cmd:{TEAM_ID}:1337.1.cmd"
    # The profile from users.info: the name people see, the member's zone and locale.
    assert event.actor.platform == "slack"
    assert event.actor.workspace_id == TEAM_ID
    assert (event.actor.user_id, event.actor.display_name) == ("U1", "Ada")
    assert (event.actor.timezone, event.actor.locale) == ("Europe/Amsterdam", "nl-NL")
    [lookup] = rig.fake.calls_to("users.info")
    assert lookup.args == {"user": "U1", "include_locale": "1"}

    [ephemeral] = rig.fake.calls_to("chat.postEphemeral")
    assert ephemeral.args["channel"] == "C1"
    assert ephemeral.args["user"] == "U1"
    assert ephemeral.args["text"] == "Stand-up 1 is set up."


async def test_a_command_in_a_dm_is_direct(rig: Rig) -> None:
    response = await rig.sender.command("me", channel_id="D0123", channel_name="directmessage")
    assert response.status == 200
    [event] = await rig.inbound.wait_finished()
    assert isinstance(event, CommandInvoked)
    assert event.direct
    assert event.channel_id == "D0123"


async def test_an_event_delivered_four_times_is_handled_once(rig: Rig) -> None:
    body = member_joined("Ev0697F5F7", user_id="U2")
    statuses = [(await rig.sender.event(body, retry_num=retry)).status for retry in (None, 1, 2, 3)]
    assert statuses == [200, 200, 200, 200]
    [event] = await rig.inbound.wait_finished()
    assert isinstance(event, MemberSeen)
    assert event.channel_id == "C1"
    assert event.event_id == f"evt:A1:{TEAM_ID}:Ev0697F5F7"
    assert (event.actor.user_id, event.actor.display_name, event.actor.timezone) == ("U2", "Bram", "America/New_York")
    assert rig.inbound.accepted == [event.event_id]
    assert rig.inbound.refused == [event.event_id] * 3
    await asyncio.sleep(0.05)
    assert len(rig.inbound.events) == 1


async def test_opening_the_home_tab_publishes_the_members_overview_once(rig: Rig) -> None:
    def reply(event: InboundEvent) -> list[Message]:
        assert isinstance(event, HomeOpened)
        to = MemberAddress(platform="slack", workspace_id=event.actor.workspace_id, user_id=event.actor.user_id)
        return [HomeView(to=to, sections=(Section(title="Your rituals", text=Text.plain("#team: Mon-Fri")),))]

    rig.inbound.reply = reply
    body = home_opened_event("EvHome1", user_id="U1")
    assert [(await rig.sender.event(body, retry_num=retry)).status for retry in (None, 1)] == [200, 200]
    [event] = await rig.inbound.wait_finished()
    assert isinstance(event, HomeOpened)
    assert event.event_id == f"evt:A1:{TEAM_ID}:EvHome1"
    # The profile was read after the ack, so the overview can speak the member's language in their zone.
    assert (event.actor.display_name, event.actor.timezone, event.actor.locale) == ("Ada", "Europe/Amsterdam", "nl-NL")
    [published] = rig.fake.calls_to("views.publish", ok=True)
    assert published.args["user_id"] == "U1"
    assert published.args["view"]["type"] == "home"
    assert "#team: Mon-Fri" in json.dumps(published.args["view"]["blocks"])
    assert rig.inbound.refused == [event.event_id]


async def test_opening_the_messages_tab_is_acked_and_nothing_more(rig: Rig) -> None:
    response = await rig.sender.event(home_opened_event("EvMsgTab", tab="messages"))
    assert response.status == 200
    await asyncio.sleep(0.05)
    assert rig.inbound.accepted == []
    assert rig.fake.calls_to("users.info") == [] and rig.fake.calls_to("views.publish") == []


async def test_the_same_interaction_sent_twice_is_handled_once(rig: Rig) -> None:
    payload = block_actions(button_action_id(0), json.dumps({"action": "pulse.answer", "value": "4"}))
    assert (await rig.sender.interaction(payload)).status == 200
    assert (await rig.sender.interaction(payload)).status == 200
    [event] = await rig.inbound.wait_finished()
    assert isinstance(event, ButtonClicked)
    assert (event.action, event.value) == ("pulse.answer", "4")
    assert len(rig.inbound.accepted) == 1
    assert len(rig.inbound.refused) == 1


async def test_a_bad_signature_is_refused_and_nothing_is_recorded(rig: Rig) -> None:
    body = rig.sender.command_body("standup list")
    response = await rig.sender.post(body, "application/x-www-form-urlencoded", secret="not-the-signing-secret")
    assert response.status == 401
    event = await rig.sender.event(member_joined("Ev1"), secret="not-the-signing-secret")
    assert event.status == 401
    await asyncio.sleep(0.05)
    assert rig.inbound.accepted == []
    assert rig.inbound.events == []
    assert rig.fake.calls == []


async def test_a_six_minute_old_request_is_refused(rig: Rig) -> None:
    stale = int(time.time()) - 6 * 60
    body = rig.sender.command_body("standup list")
    response = await rig.sender.post(body, "application/x-www-form-urlencoded", timestamp=stale)
    assert response.status == 401
    await asyncio.sleep(0.05)
    assert rig.inbound.accepted == []
    assert rig.inbound.events == []


async def test_the_answer_button_opens_the_form_as_a_modal(rig: Rig) -> None:
    def reply(event: InboundEvent) -> list[Message]:
        # What the engine does for the edit action: the member's own form, prefilled.
        assert isinstance(event, ButtonClicked)
        assert (event.action, event.value) == (EDIT_ACTION, "42")
        return [standup_form(42, ("Fine", "", ""))]

    rig.inbound.reply = reply
    response = await rig.sender.interaction(block_actions(ANSWER_ACTION, "42", trigger_id="1337.5.answer"))
    assert response.status == 200
    await rig.inbound.wait_finished()

    [opened] = rig.fake.calls_to("views.open", ok=True)
    assert opened.args["trigger_id"] == "1337.5.answer"
    view = opened.args["view"]
    assert view["type"] == "modal"
    assert view["callback_id"] == FORM_CALLBACK
    assert view["submit"]["text"] == "Send answer"
    assert json.loads(view["private_metadata"]) == {"delivery_id": 42, "key": form_key(42)}
    inputs = [block for block in view["blocks"] if block["type"] == "input"]
    assert [block["label"]["text"] for block in inputs] == list(QUESTIONS)
    assert inputs[0]["element"]["initial_value"] == "Fine"
    assert all(block["element"]["type"] == "plain_text_input" for block in inputs)
    # The modal replaces the DM: nothing was posted, and the trigger is spent.
    assert rig.fake.calls_to("chat.postMessage") == []


async def test_the_edit_button_after_an_answer_opens_the_modal_too(rig: Rig) -> None:
    rig.inbound.reply = lambda event: [standup_form(42, ("Fine", "Docs", "No"))]
    edit = json.dumps({"action": EDIT_ACTION, "value": "42"})
    await rig.sender.interaction(block_actions(button_action_id(0), edit, trigger_id="1337.7.edit"))
    await rig.inbound.wait_finished()
    [opened] = rig.fake.calls_to("views.open", ok=True)
    assert opened.args["trigger_id"] == "1337.7.edit"
    inputs = [block for block in opened.args["view"]["blocks"] if block["type"] == "input"]
    assert [block["element"]["initial_value"] for block in inputs] == ["Fine", "Docs", "No"]


async def test_a_form_that_is_not_the_one_asked_for_goes_out_as_a_dm(rig: Rig) -> None:
    rig.inbound.reply = lambda event: [standup_form(7)]
    await rig.sender.interaction(block_actions(ANSWER_ACTION, "42"))
    await rig.inbound.wait_finished()
    assert rig.fake.calls_to("views.open") == []
    [dm] = rig.fake.calls_to("chat.postMessage", ok=True)
    assert dm.args["channel"] == "U1"


async def test_a_submitted_modal_becomes_an_answer_in_question_order(rig: Rig) -> None:
    from adapters.slack.render import form_modal

    view = form_modal(standup_form(42))
    payload = view_submission(view, ["Tired but fine", None, "Waiting on <@U9>"], trigger_id="1337.6.submit")
    started = time.monotonic()
    response = await rig.sender.interaction(payload)
    assert response.status == 200
    assert acked_quickly(started)
    # An empty ack closes the modal.
    assert await response.text() == ""

    [event] = await rig.inbound.wait_finished()
    assert isinstance(event, AnswerSubmitted)
    assert event.delivery_id == 42
    assert event.values == ("Tired but fine", "", "Waiting on <@U9>")
    assert event.event_id == f"sub:{TEAM_ID}:V42:1337.6.submit"


async def test_a_pulse_opens_as_a_modal_with_its_scale_and_comes_back_as_the_options_picked(rig: Rig) -> None:
    from adapters.slack.render import form_modal

    scale = tuple(Choice(value=str(n), label=label) for n, label in enumerate(("1 – very bad", "2", "3", "4", "5"), 1))
    pulse = Form(
        key="pulse:9",
        to=ADA,
        text=Text.plain("How was your week?"),
        delivery_id=9,
        fields=(
            Field(label="How are you feeling this week?", choices=scale, optional=False, value="2"),
            Field(label="How manageable is your workload?", choices=scale),
            Field(label="Anything to add?"),
        ),
        submit_label="Send",
        open_label="Answer",
    )
    rig.inbound.reply = lambda event: [pulse]
    await rig.sender.interaction(block_actions(ANSWER_ACTION, "9", trigger_id="1337.9.answer"))
    await rig.inbound.wait_finished()
    [opened] = rig.fake.calls_to("views.open", ok=True)
    feeling, workload, comment = [block for block in opened.args["view"]["blocks"] if block["type"] == "input"]
    assert (feeling["element"]["type"], feeling["optional"]) == ("radio_buttons", False)
    assert feeling["element"]["initial_option"]["value"] == "2"
    assert workload["element"]["options"][0]["text"]["text"] == "1 – very bad"
    assert comment["element"]["type"] == "plain_text_input"

    rig.inbound.reply = None
    response = await rig.sender.interaction(view_submission(form_modal(pulse), ["5", None, "Busy"]))
    assert response.status == 200 and await response.text() == ""
    events = await rig.inbound.wait_finished(2)
    answers = [event for event in events if isinstance(event, AnswerSubmitted)]
    assert [(event.delivery_id, event.values) for event in answers] == [(9, ("5", "", "Busy"))]


async def test_answers_in_the_digest_ping_no_one(rig: Rig) -> None:
    from adapters.slack.render import form_modal

    def reply(event: InboundEvent) -> list[Message]:
        assert isinstance(event, AnswerSubmitted)
        lines = tuple(
            (Span(text="Ada", bold=True, user=True), Span(text=": "), Span(text=v, user=True)) for v in event.values
        )
        return [
            ChannelPost(key=digest_key(1), to=TEAM, text=Text(((Span(text="Stand-up of #team", bold=True),), *lines)))
        ]

    rig.inbound.reply = reply
    hostile = ["<!channel> look", "<!here|here> & <!everyone>", "ping <@U123> and @here, @channel"]
    await rig.sender.interaction(view_submission(form_modal(standup_form(42)), hostile))
    await rig.inbound.wait_finished()

    [post] = rig.fake.calls_to("chat.postMessage", ok=True)
    assert post.args["channel"] == "C1"
    shown = [post.args["text"]] + [block["text"]["text"] for block in post.args["blocks"] if block["type"] == "section"]
    for text in shown:
        for mention in ("<!channel>", "<!here", "<!everyone>", "<@U123>", "@here", "@channel"):
            assert mention not in text
        assert "&lt;!" in text and "&lt;@U123&gt;" in text and "&amp;" in text
    assert post.args["text"].startswith("*Stand-up of #team*\n*Ada*: ")


async def test_a_hanging_web_api_call_does_not_hold_up_other_acks(rig: Rig) -> None:
    rig.fake.hang("chat.postMessage")
    rig.inbound.reply = lambda event: [Prompt(to=ADA, text=Text.plain("on its way"))]
    first = await rig.sender.command("me")
    assert first.status == 200
    await asyncio.wait_for(rig.fake.hung.wait(), 5)

    started = time.monotonic()
    others = await asyncio.gather(
        *(rig.sender.event(member_joined(f"Ev{n}", user_id="U2")) for n in range(5)),
        *(rig.sender.command(f"standup list {n}") for n in range(5)),
    )
    assert [response.status for response in others] == [200] * 10
    assert time.monotonic() - started < 2.0
    assert len(rig.inbound.accepted) == 11


async def test_update_edits_the_remembered_dm(rig: Rig) -> None:
    replies: list[list[Message]] = [
        [standup_form(42)],
        [
            Update(
                key=form_key(42),
                to=ADA,
                text=Text.plain("Thanks, your answer is saved."),
                buttons=(Button(label="Edit answer", action=EDIT_ACTION, value="42"),),
            )
        ],
    ]
    rig.inbound.reply = lambda event: replies.pop(0)
    await rig.sender.command("standup run 1")
    await rig.inbound.wait_finished(1)
    [dm] = rig.fake.calls_to("chat.postMessage", ok=True)
    assert dm.args["channel"] == "U1"
    answer = dm.args["blocks"][-1]["elements"][0]
    assert (answer["action_id"], answer["value"], answer["text"]["text"]) == (ANSWER_ACTION, "42", "Answer")

    await rig.sender.command("me")
    await rig.inbound.wait_finished(2)
    [update] = rig.fake.calls_to("chat.update", ok=True)
    assert update.args["channel"] == "D1"  # the DM's own id, as Slack answered the post
    assert update.args["ts"] == rig.messages.posted[("slack", TEAM_ID, form_key(42), "U1")].message_id
    edit = update.args["blocks"][-1]["elements"][0]
    assert json.loads(edit["value"]) == {"action": EDIT_ACTION, "value": "42"}
    assert len(rig.fake.calls_to("chat.postMessage")) == 1


async def test_a_late_answer_goes_into_the_digest_thread(rig: Rig) -> None:
    replies: list[list[Message]] = [
        [ChannelPost(key=digest_key(3), to=TEAM, text=Text.plain("Stand-up of #team"))],
        [ThreadReply(to=TEAM, thread_key=digest_key(3), text=Text.plain("Late answer from Ada:"))],
    ]
    rig.inbound.reply = lambda event: replies.pop(0)
    await rig.sender.command("standup digest 1")
    await rig.inbound.wait_finished(1)
    await rig.sender.command("late")
    await rig.inbound.wait_finished(2)
    digest, late = rig.fake.calls_to("chat.postMessage", ok=True)
    assert "thread_ts" not in digest.args
    assert late.args["channel"] == "C1"
    assert late.args["thread_ts"] == rig.messages.posted[("slack", TEAM_ID, digest_key(3), "C1")].message_id


async def test_a_rate_limited_prompt_is_sent_once_after_waiting(rig: Rig) -> None:
    from tests.adapters.slack.fake_slack import Scripted

    rig.fake.script("chat.postMessage", Scripted(status=429, retry_after="1"))
    rig.inbound.reply = lambda event: [standup_form(42)]
    await rig.sender.command("standup run 1")
    await rig.inbound.wait_finished()
    assert rig.inbound.failures == []
    assert rig.sleeps.waits == [1.0]
    assert [call.status for call in rig.fake.calls_to("chat.postMessage")] == [429, 200]
    assert len(rig.fake.posts()) == 1


async def test_payloads_ritme_cannot_read_are_acked_and_ignored(rig: Rig) -> None:
    unknown_value = block_actions(button_action_id(0), "not json")
    other_button = block_actions("someone.else", "x")
    responses: list[Any] = [await rig.sender.interaction(unknown_value), await rig.sender.interaction(other_button)]
    unhandled = await rig.sender.event({**member_joined("Ev9"), "event": {"type": "app_mention", "user": "U1"}})
    assert [r.status for r in responses] == [200, 200]
    assert unhandled.status == 200
    await asyncio.sleep(0.05)
    assert rig.inbound.accepted == []


async def test_ritme_joining_a_channel_is_not_a_member(rig: Rig) -> None:
    response = await rig.sender.event(member_joined("Ev10", user_id="UBOT"))
    assert response.status == 200
    await asyncio.sleep(0.05)
    assert rig.inbound.accepted == []


async def test_no_ack_when_the_event_cannot_be_recorded(rig: Rig) -> None:
    rig.inbound.fail_accept = True
    response = await rig.sender.event(member_joined("Ev11"))
    # Not acked, so Slack retries later, when the database may be back.
    assert response.status == 500
    await asyncio.sleep(0.05)
    assert rig.inbound.events == []


def test_stray_bolt_environment_cannot_switch_a_single_workspace_app_to_oauth(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_CLIENT_ID", "9999.8888")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "stray")
    client = slack_client("xoxb-one", api_url="http://127.0.0.1:9/api/")
    outbox = SlackOutbox(_NoApi(), MemoryMessageLog(), clock=ManualClock())
    app = SlackApp(signing_secret="s", client=client, inbound=RecordingInbound(), outbox=outbox, clock=ManualClock())
    assert app.bolt.oauth_flow is None and app.bolt.installation_store is None
    assert [route.path for route in app.routes()] == ["/slack/events"]  # type: ignore[attr-defined]
    assert os.environ["SLACK_CLIENT_ID"] == "9999.8888"  # hidden only while bolt was built


class _NoApi:
    async def call(self, workspace_id: str, method: str, args: Mapping[str, Any]) -> Mapping[str, Any]:
        raise AssertionError("no call expected")


async def test_an_app_without_a_signing_secret_takes_no_http_request_even_mounted_by_hand(
    fake_slack: FakeSlack,
) -> None:
    # Socket Mode only: bolt checks no signatures then, so an HTTP request must never reach it.
    client = slack_client("xoxb-test-token", api_url=fake_slack.url)
    inbound = RecordingInbound()
    outbox = SlackOutbox(_NoApi(), MemoryMessageLog(), clock=ManualClock())
    slack = SlackApp(signing_secret=None, client=client, inbound=inbound, outbox=outbox, clock=ManualClock())
    assert slack.routes() == []
    app = web.Application()
    app.router.add_post("/slack/events", slack.handle)
    async with TestServer(app, host="127.0.0.1") as server, ClientSession() as session:
        sender = SlackSender(session=session, url=str(server.make_url("/slack/events")))
        response = await sender.command("standup create at 09:30")
        assert response.status == 404
    assert inbound.accepted == [] and fake_slack.calls == []
