"""Slack payloads -> the engine's events, and the ids that make retries recognisable."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import pytest

from adapters.slack.protocol import ANSWER_ACTION, button_action_id
from adapters.slack.render import form_modal
from adapters.slack.translate import (
    MalformedPayload,
    action_event_id,
    answer_submitted,
    button_clicked,
    callback_event_id,
    command_event_id,
    command_invoked,
    home_opened,
    is_direct,
    member_seen,
    submission_event_id,
)
from rituals.outbound import Choice, Field, Form, MemberAddress, Text
from rituals.standup import EDIT_ACTION
from tests.adapters.slack.harness import block_actions, home_opened_event, member_joined, view_submission

NOW = datetime(2025, 3, 10, 8, 30, tzinfo=UTC)


def command(**overrides: str) -> dict[str, str]:
    body = dict(
        parse_qsl(
            "token=t&team_id=T1&team_domain=ritme&channel_id=C1&channel_name=team&user_id=U1&user_name=ada"
            "&command=%2Fritme&text=++standup+list++&api_app_id=A1&response_url=https%3A%2F%2Fhooks&trigger_id=1.2.3"
        )
    )
    body.update(overrides)
    return body


def modal_view() -> dict[str, object]:
    form = Form(
        key="standup-form:42",
        to=MemberAddress(platform="slack", workspace_id="T1", user_id="U1"),
        text=Text.plain("Stand-up"),
        delivery_id=42,
        fields=(Field(label="One"), Field(label="Two"), Field(label="Three")),
        submit_label="Send",
        open_label="Answer",
    )
    return form_modal(form)


def test_a_slash_command() -> None:
    event = command_invoked(command(), received_at=NOW)
    assert event.text == "standup list"
    assert event.event_id == "cmd:T1:1.2.3"
    assert (event.channel_id, event.channel_name, event.direct) == ("C1", "team", False)
    assert (event.actor.platform, event.actor.workspace_id, event.actor.user_id) == ("slack", "T1", "U1")
    assert event.actor.display_name == "ada"
    assert event.received_at == NOW


def test_a_slash_commands_escapes_are_undone() -> None:
    typed = command(text='focus add wed 13:00-17:00 "R&amp;D &lt;quiet&gt;" and &amp;lt; as typed')
    assert command_invoked(typed, received_at=NOW).text == 'focus add wed 13:00-17:00 "R&D <quiet>" and &lt; as typed'


@pytest.mark.parametrize(
    ("channel_id", "channel_name", "direct"),
    [
        ("D1", "directmessage", True),
        ("D1", "", True),
        ("C1", "directmessage", True),
        ("C1", "team", False),
        ("G1", "privategroup", False),
    ],
)
def test_direct_messages_are_told_apart(channel_id: str, channel_name: str, direct: bool) -> None:
    assert is_direct(channel_id, channel_name) is direct


def test_ids_are_stable_for_one_delivery_and_distinct_for_two() -> None:
    assert command_event_id(command()) == command_event_id(command())
    assert command_event_id(command()) != command_event_id(command(trigger_id="1.2.4"))
    # The same command in another workspace is another event.
    assert command_event_id(command()) != command_event_id(command(team_id="T2"))
    press = block_actions(ANSWER_ACTION, "42", trigger_id="9.9.9")
    assert action_event_id(press) == "act:T1:9.9.9:1700000002.123456"
    assert action_event_id(press) != action_event_id(block_actions(ANSWER_ACTION, "42", trigger_id="9.9.8"))
    submitted = view_submission(modal_view(), ["a", "b", "c"], trigger_id="7.7.7")
    assert submission_event_id(submitted) == "sub:T1:V42:7.7.7"
    assert callback_event_id(member_joined("Ev1")) == "evt:A1:T1:Ev1"
    assert callback_event_id(member_joined("Ev1")) != callback_event_id(member_joined("Ev2"))


def test_the_answer_button_asks_for_the_form() -> None:
    event = button_clicked(block_actions(ANSWER_ACTION, "42"), received_at=NOW)
    assert (event.action, event.value) == (EDIT_ACTION, "42")
    assert event.actor.user_id == "U1"


def test_ritmes_other_buttons_carry_their_action_and_value() -> None:
    value = json.dumps({"action": "pulse.answer", "value": "4"})
    event = button_clicked(block_actions(button_action_id(3), value), received_at=NOW)
    assert (event.action, event.value) == ("pulse.answer", "4")


@pytest.mark.parametrize(
    ("action_id", "value"),
    [
        (ANSWER_ACTION, "forty-two"),
        (button_action_id(0), "not json"),
        (button_action_id(0), json.dumps(["pulse.answer", "4"])),
        ("another.app", "x"),
    ],
)
def test_buttons_ritme_did_not_send_are_malformed(action_id: str, value: str) -> None:
    with pytest.raises(MalformedPayload):
        button_clicked(block_actions(action_id, value), received_at=NOW)


def test_a_modal_submission_keeps_the_questions_order() -> None:
    event = answer_submitted(view_submission(modal_view(), ["first", None, "third"]), received_at=NOW)
    assert event.delivery_id == 42
    assert event.values == ("first", "", "third")


def test_a_modal_submission_reads_the_options_picked() -> None:
    scale = tuple(Choice(value=str(n), label=f"{n} of 5") for n in range(1, 6))
    menu = tuple(Choice(value=f"v{n}", label=f"option {n}") for n in range(12))
    form = Form(
        key="pulse:9",
        to=MemberAddress(platform="slack", workspace_id="T1", user_id="U1"),
        text=Text.plain("Pulse"),
        delivery_id=9,
        fields=(
            Field(label="Feeling?", choices=scale, optional=False),
            Field(label="Workload?", choices=scale),
            Field(label="Longer list", choices=menu),
            Field(label="Anything to add?"),
        ),
        submit_label="Send",
        open_label="Answer",
    )
    event = answer_submitted(view_submission(form_modal(form), ["4", None, "v11", "Busy week"]), received_at=NOW)
    # The picked option's value, and "" for the question left open, in the questions' order.
    assert event.values == ("4", "", "v11", "Busy week")


def test_a_modal_without_our_metadata_is_malformed() -> None:
    payload = view_submission(modal_view(), ["a", "b", "c"])
    payload["view"]["private_metadata"] = "{}"
    with pytest.raises(MalformedPayload):
        answer_submitted(payload, received_at=NOW)
    payload["view"]["private_metadata"] = json.dumps({"delivery_id": "42"})
    with pytest.raises(MalformedPayload):
        answer_submitted(payload, received_at=NOW)


def test_interactions_of_org_wide_installs_use_the_members_workspace() -> None:
    payload = block_actions(ANSWER_ACTION, "42")
    payload["team"] = None
    event = button_clicked(payload, received_at=NOW)
    assert event.actor.workspace_id == "T1"


def test_a_member_joining_a_channel() -> None:
    event = member_seen(member_joined("Ev7", user_id="U2", channel_id="C9"), received_at=NOW)
    assert (event.channel_id, event.channel_name) == ("C9", "")
    assert (event.actor.workspace_id, event.actor.user_id) == ("T1", "U2")
    assert event.event_id == "evt:A1:T1:Ev7"


def test_a_command_without_a_trigger_is_malformed() -> None:
    body = command()
    del body["trigger_id"]
    with pytest.raises(MalformedPayload):
        command_invoked(body, received_at=NOW)


def test_opening_the_home_tab() -> None:
    event = home_opened(home_opened_event("Ev8", user_id="U2"), received_at=NOW)
    assert (event.actor.platform, event.actor.workspace_id, event.actor.user_id) == ("slack", "T1", "U2")
    assert event.event_id == "evt:A1:T1:Ev8"
    assert event.received_at == NOW


def test_opening_the_messages_tab_is_no_overview() -> None:
    with pytest.raises(MalformedPayload):
        home_opened(home_opened_event("Ev8", tab="messages"), received_at=NOW)
    with pytest.raises(MalformedPayload):
        home_opened(member_joined("Ev9"), received_at=NOW)
