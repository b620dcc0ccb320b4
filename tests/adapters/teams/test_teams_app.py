"""POST /api/messages as Teams calls it, through the SDK's CloudAdapter and token check, into a recording pipeline."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest

from adapters.teams.app import TeamsApp, TeamsNotConfigured
from adapters.teams.connector import RosterMember
from adapters.teams.protocol import ANSWER, BUTTON, DATA_KEY, field_id
from adapters.teams.references import MemoryReferences
from adapters.teams.translate import is_roster_trigger, roster_trigger
from rituals.events import AnswerSubmitted, ButtonClicked, CommandInvoked, MemberSeen
from rituals.outbound import MemberAddress
from rituals.ports import SystemClock
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
    personal_message,
    typing,
)
from tests.adapters.teams.conftest import Rig, serve_rig
from tests.adapters.teams.harness import FakeConnector, Jwks, RecordingInbound, SigningKey

CARLA = "29:1Qd8nC5fV0rTt4Ck2hLzX9wPjBs6YmEo3uRa7Gi1KeN_lFvWcHqD0bZxSy2Mt8PpUa4Oj6Ln9Rd5Ek3Vc7Bh1Xf"
TEAM_ROSTER = [
    RosterMember(user_id=ADA, name="Ada Lovelace", aad_object_id="aad-ada", locale="nl-NL"),
    RosterMember(user_id=BRAM, name="Bram de Vries", aad_object_id="aad-bram", locale="en-GB"),
    RosterMember(user_id=CARLA, name="Carla Mendes", aad_object_id="aad-carla"),
]


async def test_a_command_in_a_personal_chat_is_recorded_before_teams_hears_back(rig: Rig) -> None:
    response = await rig.sender.post(personal_message("standup list"))
    assert response.status == 202
    # Recorded before the answer; handled after it.
    assert rig.inbound.accepted == [f"{PERSONAL_ADA}:1732348872345"]
    [event] = await rig.inbound.wait_processed()
    assert isinstance(event, CommandInvoked)
    assert (event.text, event.direct, event.actor.user_id, event.actor.timezone) == (
        "standup list", True, ADA, "Europe/Amsterdam")
    ref = await rig.references.personal(TENANT_ID, ADA)
    assert ref is not None and (ref.conversation_id, ref.service_url, ref.bot_id) == (PERSONAL_ADA, SERVICE_URL, BOT_ID)


async def test_a_mention_in_a_channel_is_a_clean_command_whose_reply_can_go_to_its_thread(rig: Rig) -> None:
    rig.connector.rosters[CHANNEL_ID] = TEAM_ROSTER
    response = await rig.sender.post(channel_mention("standup create at 09:30 on mon-fri"))
    assert response.status == 202
    events = await rig.inbound.wait_processed(3)  # the command, then the channel's roster (Bram, Carla)
    command = events[0]
    assert isinstance(command, CommandInvoked)
    assert (command.text, command.direct, command.channel_id, command.channel_name) == (
        "standup create at 09:30 on mon-fri", False, CHANNEL_ID, "stand-up")
    member = MemberAddress(platform="teams", workspace_id=TENANT_ID, user_id=ADA)
    assert rig.hints == [(member, f"{CHANNEL_ID};messageid=1732348872999", "1732348872999")]


async def test_the_same_activity_twice_has_one_effect(rig: Rig) -> None:
    activity = personal_message("me timezone Europe/Lisbon")
    assert (await rig.sender.post(activity)).status == 202
    await rig.inbound.wait_processed()
    assert (await rig.sender.post(activity)).status == 202
    await asyncio.sleep(0.1)
    assert len(rig.inbound.accepted) == 1 and rig.inbound.refused == rig.inbound.accepted
    assert len(rig.inbound.events) == 1


async def test_a_card_submit_is_an_answer(rig: Rig) -> None:
    value = {DATA_KEY: ANSWER, "delivery": 42, field_id(0): "Fine", field_id(1): "Docs", field_id(2): ""}
    assert (await rig.sender.post(card_submit(value))).status == 202
    [event] = await rig.inbound.wait_processed()
    assert isinstance(event, AnswerSubmitted) and (event.delivery_id, event.values) == (42, ("Fine", "Docs", ""))
    assert rig.hints == []  # only commands get a reply context


async def test_an_action_execute_gets_the_invoke_response_teams_waits_for(rig: Rig) -> None:
    response = await rig.sender.post(card_execute({DATA_KEY: BUTTON, "action": "standup.edit", "value": "42"}))
    assert response.status == 200
    assert await response.json() == {"statusCode": 200}
    [event] = await rig.inbound.wait_processed()
    assert isinstance(event, ButtonClicked) and (event.action, event.value) == ("standup.edit", "42")
    # Pressed twice in a hurry (or delivered twice): the same answer, one effect.
    response = await rig.sender.post(card_execute({DATA_KEY: BUTTON, "action": "standup.edit", "value": "42"}))
    assert (response.status, await response.json()) == (200, {"statusCode": 200})
    assert len(rig.inbound.accepted) == 1


async def test_a_card_action_ritme_cannot_read_is_answered_and_changes_nothing(rig: Rig) -> None:
    response = await rig.sender.post(card_execute({"action": "someone else's card"}))
    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 400 and body["type"] == "application/vnd.microsoft.error"
    response = await rig.sender.post(card_submit({DATA_KEY: ANSWER, "delivery": "seven"}))
    assert response.status == 202
    assert rig.inbound.accepted == []


async def test_installed_in_a_team_the_reference_is_kept_and_every_member_is_seen(rig: Rig) -> None:
    rig.connector.rosters[TEAM_ID] = TEAM_ROSTER
    assert (await rig.sender.post(installed_in_team())).status == 202
    ref = await rig.references.conversation(TENANT_ID, TEAM_ID)
    assert ref is not None
    assert (ref.kind, ref.team_id, ref.team_name, ref.service_url, ref.bot_id) == (
        "channel", TEAM_ID, "Platform team", SERVICE_URL, BOT_ID)
    events = await rig.inbound.wait_processed(3)
    assert all(isinstance(event, MemberSeen) and event.channel_id == TEAM_ID for event in events)
    assert {event.actor.user_id for event in events} == {ADA, BRAM, CARLA}
    names = {event.actor.user_id: event.actor.display_name for event in events}
    # Teams names nobody in an installationUpdate; the roster names everyone, the installer too.
    assert names == {ADA: "Ada Lovelace", BRAM: "Bram de Vries", CARLA: "Carla Mendes"}
    assert rig.connector.asked == [ref]
    # The installer's own event (which asked for the roster) is handled last, after the roster is on record.
    assert is_roster_trigger(events[-1])


async def test_uninstalling_forgets_the_reference(rig: Rig) -> None:
    await rig.sender.post(installed_in_team())
    await rig.inbound.wait_processed()
    assert await rig.references.conversation(TENANT_ID, TEAM_ID) is not None
    assert (await rig.sender.post(installed_in_team("f:removed-1", action="remove"))).status == 202
    assert await rig.references.conversation(TENANT_ID, TEAM_ID) is None


async def test_a_channel_met_before_is_not_read_again(rig: Rig) -> None:
    rig.connector.rosters[CHANNEL_ID] = TEAM_ROSTER
    await rig.sender.post(channel_mention("standup list", "1732348870001"))
    await rig.inbound.wait_processed(3)
    await rig.sender.post(channel_mention("standup run", "1732348870002"))
    events = await rig.inbound.wait_processed(4)
    assert isinstance(events[-1], CommandInvoked) and events[-1].text == "standup run"
    assert len(rig.connector.asked) == 1


async def test_a_roster_teams_cannot_give_still_lets_the_installer_in(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    rig.connector.fail = True
    await rig.sender.post(installed_in_team())
    [event] = await rig.inbound.wait_processed()
    assert isinstance(event, MemberSeen) and event.actor.user_id == ADA
    assert "could not read the members of Teams conversation" in caplog.text


async def test_a_recovered_roster_trigger_reads_the_roster_again_and_skips_who_is_on_record(rig: Rig) -> None:
    rig.connector.rosters[TEAM_ID] = TEAM_ROSTER
    await rig.sender.post(installed_in_team())
    await rig.inbound.wait_processed(3)
    trigger = roster_trigger(installed_in_team(), received_at=datetime.now(UTC))
    await rig.app.resume(trigger)
    assert len(rig.connector.asked) == 2
    assert len(rig.inbound.accepted) == 3  # nobody twice
    handled = rig.inbound.events[-1]
    assert handled.event_id == trigger.event_id and handled.actor.display_name == "Ada Lovelace"


async def test_activities_without_meaning_are_answered_and_refresh_the_reference(rig: Rig) -> None:
    assert (await rig.sender.post(typing())).status == 202
    assert rig.inbound.accepted == []
    assert await rig.references.personal(TENANT_ID, ADA) is not None


async def test_an_activity_ritme_cannot_read_is_answered_and_recorded_nowhere(rig: Rig) -> None:
    activity = personal_message("standup list")
    del activity["from"]
    assert (await rig.sender.post(activity)).status == 202
    assert rig.inbound.accepted == [] and rig.references.refs == {}


async def test_a_body_that_is_no_activity_is_a_bad_request(rig: Rig) -> None:
    response = await rig.sender.session.post(
        rig.sender.url, data="not json", headers={"Authorization": f"Bearer {rig.key.token()}"}
    )
    assert response.status == 400
    no_conversation = personal_message("x")
    del no_conversation["conversation"]
    assert (await rig.sender.post(no_conversation)).status == 400
    assert rig.inbound.accepted == []


async def test_when_recording_fails_teams_is_told_to_try_again(rig: Rig) -> None:
    rig.inbound.fail_accept = True
    activity = personal_message("standup list")
    assert (await rig.sender.post(activity)).status == 500
    rig.inbound.fail_accept = False
    assert (await rig.sender.post(activity)).status == 202
    [event] = await rig.inbound.wait_processed()
    assert isinstance(event, CommandInvoked)


async def test_shutdown_lets_work_in_progress_finish(rig: Rig) -> None:
    await rig.sender.post(personal_message("standup list"))
    await rig.app.aclose()
    assert len(rig.inbound.events) == 1


def test_without_an_app_id_teams_refuses_to_start_and_says_what_to_set() -> None:
    with pytest.raises(TeamsNotConfigured) as refused:
        TeamsApp(app_id=None, inbound=RecordingInbound(), references=MemoryReferences(), connector=FakeConnector(),
                 clock=SystemClock())
    assert "RITME_TEAMS_APP_ID" in str(refused.value) and "RITME_TEAMS_ALLOW_ANONYMOUS" in str(refused.value)


async def test_anonymous_mode_takes_activities_without_a_token_and_says_so_loudly(
    jwks: Jwks, signing_key: SigningKey, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        async for rig in serve_rig(jwks, signing_key, app_id=None, allow_anonymous=True):
            assert "accepts activities from ANYONE" in caplog.text
            assert (await rig.sender.post(personal_message("standup list"), authorization="")).status == 202
            [event] = await rig.inbound.wait_processed()
            assert isinstance(event, CommandInvoked)


async def test_with_an_app_id_the_anonymous_flag_opens_nothing(jwks: Jwks, signing_key: SigningKey) -> None:
    async for rig in serve_rig(jwks, signing_key, app_id="4f2a8c1e-7d3b-4e59-9a61-2c8b5e0d7f13", allow_anonymous=True):
        assert (await rig.sender.post(personal_message("standup list"), authorization="")).status == 401
        assert rig.inbound.accepted == []
