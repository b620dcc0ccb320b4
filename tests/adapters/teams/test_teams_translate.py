"""Teams activities -> the engine's events, the ids that make redeliveries recognisable, and conversation refs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.teams.protocol import ANSWER, BUTTON, DATA_KEY, FIELD_COUNT, field_id
from adapters.teams.translate import (
    MAX_EVENT_ID,
    MalformedActivity,
    conversation_ref,
    event_id,
    events,
    is_installation,
    is_removal,
    is_roster_trigger,
    roster_member_seen,
)
from rituals.events import AnswerSubmitted, ButtonClicked, CommandInvoked, MemberSeen
from tests.adapters.teams.activities import (
    ADA,
    BOT_ID,
    BRAM,
    CHANNEL_ID,
    PERSONAL_ADA,
    SERVICE_URL,
    TEAM_ID,
    TENANT_ID,
    card_execute,
    card_submit,
    channel_mention,
    installed_in_team,
    installed_personally,
    members_added,
    personal_message,
    typing,
)

NOW = datetime(2026, 11, 23, 8, 1, tzinfo=UTC)


def only(activity: dict[str, object]) -> object:
    [event] = events(activity, received_at=NOW)
    return event


def test_a_command_in_a_personal_chat() -> None:
    event = only(personal_message("  standup list "))
    assert isinstance(event, CommandInvoked)
    assert event.text == "standup list"
    assert event.direct is True
    assert event.channel_id == PERSONAL_ADA
    assert event.event_id == f"{PERSONAL_ADA}:1732348872345"
    assert event.received_at == NOW
    actor = event.actor
    assert (actor.platform, actor.workspace_id, actor.user_id) == ("teams", TENANT_ID, ADA)
    assert (actor.display_name, actor.locale, actor.timezone) == ("Ada Lovelace", "nl-NL", "Europe/Amsterdam")


def test_a_mention_in_a_channel_is_a_command_without_the_mention() -> None:
    event = only(channel_mention("standup create at 09:30 on mon-fri"))
    assert isinstance(event, CommandInvoked)
    assert event.text == "standup create at 09:30 on mon-fri"
    assert event.direct is False
    # The thread of the message is not a channel of its own.
    assert (event.channel_id, event.channel_name) == (CHANNEL_ID, "stand-up")


@pytest.mark.parametrize(
    "text",
    ["<at>Ritme</at> standup list", "standup list", "/ritme standup list", "<at>Ritme</at> ritme standup list",
     "<at>Ritme</at>&nbsp;standup list\n", "Ritme: standup list"],
)
def test_the_three_ways_to_say_a_command_agree(text: str) -> None:
    activity = channel_mention("x")
    activity["text"] = text
    event = only(activity)
    assert isinstance(event, CommandInvoked) and event.text == "standup list"


def test_only_ritmes_own_mention_is_cut_other_people_keep_their_names() -> None:
    activity = channel_mention("manager add <at>Sam Jansen</at>")
    activity["entities"].append(
        {"type": "mention", "text": "<at>Sam Jansen</at>", "mentioned": {"id": BRAM, "name": "Sam Jansen"}}
    )
    event = only(activity)
    assert isinstance(event, CommandInvoked) and event.text == "manager add Sam Jansen"


def test_a_mention_of_the_bot_alone_asks_for_help() -> None:
    event = only(channel_mention(""))
    assert isinstance(event, CommandInvoked) and event.text == ""


def test_the_general_channel_is_named_after_its_team() -> None:
    event = only(channel_mention("standup list", channel_id=TEAM_ID, channel_name=None))
    assert isinstance(event, CommandInvoked)
    assert (event.channel_id, event.channel_name) == (TEAM_ID, "Platform team")


def test_without_client_info_the_time_zone_is_unknown() -> None:
    event = only(personal_message("me", zone=None))
    assert isinstance(event, CommandInvoked) and event.actor.timezone is None


def test_an_action_submit_of_a_form_is_an_answer_in_field_order() -> None:
    value = {DATA_KEY: ANSWER, "delivery": 42, field_id(1): "Docs", field_id(0): "Fine", field_id(2): ""}
    event = only(card_submit(value))
    assert isinstance(event, AnswerSubmitted)
    assert (event.delivery_id, event.values) == (42, ("Fine", "Docs", ""))
    assert event.actor.user_id == ADA and event.event_id == f"{PERSONAL_ADA}:1732348873111"


def test_a_field_teams_left_out_is_an_empty_answer_and_a_delivery_may_come_back_as_text() -> None:
    event = only(card_submit({DATA_KEY: ANSWER, "delivery": "7", field_id(0): "Fine", field_id(2): "No"}))
    assert isinstance(event, AnswerSubmitted) and (event.delivery_id, event.values) == (7, ("Fine", "", "No"))


def test_empty_last_fields_teams_left_out_still_count_as_answers() -> None:
    event = only(card_submit({DATA_KEY: ANSWER, "delivery": 7, FIELD_COUNT: 3, field_id(0): "Fine"}))
    assert isinstance(event, AnswerSubmitted) and event.values == ("Fine", "", "")


def test_the_options_picked_on_a_pulse_card_are_its_answers() -> None:
    # An expanded Input.ChoiceSet sends the picked choice's value as the input's value; one left open is left out.
    value = {DATA_KEY: ANSWER, "delivery": 9, FIELD_COUNT: 3, field_id(0): "4", field_id(2): "Busy week"}
    event = only(card_submit(value))
    assert isinstance(event, AnswerSubmitted) and (event.delivery_id, event.values) == (9, ("4", "", "Busy week"))
    event = only(card_execute({**value, field_id(1): ""}))
    assert isinstance(event, AnswerSubmitted) and event.values == ("4", "", "Busy week")


def test_an_action_execute_is_read_from_the_invoke() -> None:
    event = only(card_execute({DATA_KEY: ANSWER, "delivery": 42, field_id(0): "Fine", field_id(1): "Docs"}))
    assert isinstance(event, AnswerSubmitted) and event.values == ("Fine", "Docs")
    assert event.event_id.endswith(":f:8a7c3e15-4b2d-4c9a-b1e6-0d5f7a9c2e84")


def test_a_button_is_a_click() -> None:
    event = only(card_execute({DATA_KEY: BUTTON, "action": "standup.edit", "value": "42"}))
    assert isinstance(event, ButtonClicked) and (event.action, event.value) == ("standup.edit", "42")
    event = only(card_submit({DATA_KEY: BUTTON, "action": "standup.edit", "value": "42"}))
    assert isinstance(event, ButtonClicked) and (event.action, event.value) == ("standup.edit", "42")


@pytest.mark.parametrize(
    "value",
    [
        {"action": "x"},  # not Ritme's card
        {DATA_KEY: "poll"},
        {DATA_KEY: ANSWER, field_id(0): "no delivery"},
        {DATA_KEY: ANSWER, "delivery": "seven"},
        {DATA_KEY: BUTTON, "value": "no action"},
        {DATA_KEY: ANSWER, "delivery": 1, field_id(0): {"nested": True}},
    ],
)
def test_card_data_ritme_did_not_write_is_malformed(value: dict[str, object]) -> None:
    with pytest.raises(MalformedActivity):
        events(card_submit(value), received_at=NOW)


def test_an_invoke_that_is_no_action_execute_is_malformed() -> None:
    activity = card_execute({DATA_KEY: ANSWER, "delivery": 1})
    activity["value"]["action"]["type"] = "Action.Submit"
    with pytest.raises(MalformedActivity):
        events(activity, received_at=NOW)


def test_activities_ritme_does_not_act_on_mean_no_events() -> None:
    assert events(typing(), received_at=NOW) == []
    reaction = personal_message("")
    reaction.update(type="messageReaction", reactionsAdded=[{"type": "like"}])
    assert events(reaction, received_at=NOW) == []
    other_invoke = card_execute({})
    other_invoke["name"] = "task/fetch"
    assert events(other_invoke, received_at=NOW) == []
    file_only = personal_message("")
    del file_only["text"]
    assert events(file_only, received_at=NOW) == []


def test_an_activity_without_ids_is_malformed() -> None:
    for missing in ("id", "from", "conversation"):
        activity = personal_message("standup list")
        del activity[missing]
        with pytest.raises(MalformedActivity):
            events(activity, received_at=NOW)


def test_ritme_added_to_a_team_asks_for_its_roster() -> None:
    activity = installed_in_team()
    assert is_installation(activity) and not is_removal(activity)
    [trigger] = events(activity, received_at=NOW)
    assert isinstance(trigger, MemberSeen) and is_roster_trigger(trigger)
    assert (trigger.actor.user_id, trigger.channel_id, trigger.channel_name) == (ADA, TEAM_ID, "Platform team")
    member = roster_member_seen(trigger, BRAM, "Bram de Vries", "en-GB")
    assert not is_roster_trigger(member)
    assert (member.actor.user_id, member.actor.display_name, member.actor.locale) == (BRAM, "Bram de Vries", "en-GB")
    assert (member.channel_id, member.actor.workspace_id) == (TEAM_ID, TENANT_ID)
    # The same roster read again (after a restart) gives the same ids.
    assert member.event_id == roster_member_seen(trigger, BRAM, "Bram").event_id != trigger.event_id


def test_members_added_to_a_team_are_seen_but_the_bot_is_not_a_member() -> None:
    seen = events(members_added(BRAM, BOT_ID), received_at=NOW)
    assert [type(event) for event in seen] == [MemberSeen, MemberSeen]
    trigger, bram = seen
    # The bot among membersAdded is Ritme being added: a roster trigger for whoever added it.
    assert is_roster_trigger(trigger) and trigger.actor.user_id == ADA
    assert isinstance(bram, MemberSeen) and not is_roster_trigger(bram)
    assert (bram.actor.user_id, bram.channel_id, bram.actor.workspace_id) == (BRAM, TEAM_ID, TENANT_ID)
    assert len({event.event_id for event in seen}) == 2


def test_a_member_added_is_no_installation() -> None:
    activity = members_added(BRAM)
    assert not is_installation(activity)
    [bram] = events(activity, received_at=NOW)
    assert isinstance(bram, MemberSeen) and not is_roster_trigger(bram)


def test_a_personal_install_is_no_team_and_removal_is_told() -> None:
    assert events(installed_personally(), received_at=NOW) == []
    removed = installed_in_team(action="remove")
    assert is_removal(removed) and not is_installation(removed) and events(removed, received_at=NOW) == []
    upgraded = installed_in_team(action="add-upgrade")
    assert not is_installation(upgraded) and not is_removal(upgraded)


def test_ids_stay_within_the_ledgers_limit_and_apart() -> None:
    long_one = personal_message("standup list", activity_id="1:" + "x" * 300)
    other = personal_message("standup list", activity_id="1:" + "x" * 299 + "y")
    assert len(event_id(long_one)) == MAX_EVENT_ID
    assert event_id(long_one) != event_id(other)
    assert event_id(long_one) == event_id(personal_message("standup list", activity_id="1:" + "x" * 300))
    trigger = installed_in_team(activity_id="f:" + "z" * 300)
    [seen] = events(trigger, received_at=NOW)
    assert len(seen.event_id) <= MAX_EVENT_ID and is_roster_trigger(seen)
    assert isinstance(seen, MemberSeen) and len(roster_member_seen(seen, BRAM, "Bram").event_id) <= MAX_EVENT_ID


def test_a_channel_reference() -> None:
    ref = conversation_ref(channel_mention("standup list"), updated_at=NOW)
    assert (ref.tenant_id, ref.conversation_id, ref.kind) == (TENANT_ID, CHANNEL_ID, "channel")
    assert (ref.service_url, ref.bot_id, ref.user_id) == (SERVICE_URL, BOT_ID, None)
    assert (ref.team_id, ref.team_name, ref.channel_name, ref.updated_at) == (TEAM_ID, "Platform team", "stand-up", NOW)


def test_a_personal_reference() -> None:
    ref = conversation_ref(personal_message("me"), updated_at=NOW)
    assert (ref.conversation_id, ref.kind, ref.user_id, ref.team_id) == (PERSONAL_ADA, "personal", ADA, None)


def test_a_group_chat_reference_and_command() -> None:
    activity = channel_mention("standup list")
    activity["conversation"] = {"isGroup": True, "conversationType": "groupChat", "tenantId": TENANT_ID,
                                "id": "19:meeting_chat_4b2d@thread.v2", "name": "Launch crew"}
    activity["channelData"] = {"tenant": {"id": TENANT_ID}}
    ref = conversation_ref(activity, updated_at=NOW)
    assert (ref.kind, ref.conversation_id, ref.channel_name, ref.team_id) == (
        "groupChat", "19:meeting_chat_4b2d@thread.v2", "Launch crew", None)
    event = only(activity)
    assert isinstance(event, CommandInvoked) and event.direct is False and event.channel_name == "Launch crew"


def test_a_conversation_update_about_another_channel_does_not_rename_this_one() -> None:
    activity = members_added(event_type="channelCreated")
    activity["channelData"]["channel"] = {"id": CHANNEL_ID, "name": "new-channel"}
    ref = conversation_ref(activity, updated_at=NOW)
    assert (ref.conversation_id, ref.channel_name) == (TEAM_ID, "Platform team")


def test_the_tenant_comes_from_the_conversation_when_channel_data_lacks_it() -> None:
    activity = personal_message("me")
    activity["channelData"] = {}
    assert conversation_ref(activity, updated_at=NOW).tenant_id == TENANT_ID
    del activity["conversation"]["tenantId"]
    with pytest.raises(MalformedActivity):
        conversation_ref(activity, updated_at=NOW)
