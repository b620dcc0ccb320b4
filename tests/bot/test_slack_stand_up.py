"""A whole stand-up over Slack: the real bolt app, the real engine and database, a fake Slack Web API; and what
members and managers see of it on Ritme's Home tab and through `standup failures`.

Slack's side is played by signed requests shaped like Slack's and a recording Web API on a loopback port.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.messages import SqlMessageLog
from tests.adapters.slack.fake_slack import Call, Scripted
from tests.adapters.slack.harness import (
    block_actions,
    home_opened_event,
    member_joined,
    view_submission,
)
from tests.bot.slack_rig import SlackRig, slack_rig

MONDAY_0800_AMSTERDAM = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[SlackRig]:
    profiles = {"U1": ("Ada", "Europe/Amsterdam", "nl-NL"), "U2": ("Bram", "Europe/Amsterdam", "en-GB")}
    async with slack_rig(tmp_path, profiles, MONDAY_0800_AMSTERDAM) as rig:
        yield rig


async def _answer(rig: SlackRig, user: str, delivery_id: int, values: list[str]) -> None:
    """Press Answer on the prompt, then submit the modal Ritme opens."""
    opened = len(rig.fake.calls_to("views.open", ok=True))
    press = block_actions("ritme.answer", str(delivery_id), user_id=user, trigger_id=rig.slack.trigger_id())
    assert (await rig.slack.interaction(press)).status == 200
    view = (await rig.until(lambda: rig.fake.calls_to("views.open", ok=True), opened + 1))[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    submit = view_submission(view, values, user_id=user, trigger_id=rig.slack.trigger_id())
    assert (await rig.slack.interaction(submit)).status == 200


async def test_a_stand_up_over_slack(rig: SlackRig) -> None:
    assert (await rig.slack.event(member_joined("Ev1", user_id="U2"))).status == 200
    await rig.until_member("C1", "U2")
    response = await rig.slack.command("standup create at 09:30 on mon-fri digest 11:00", user_id="U1")
    assert response.status == 200
    ephemeral = lambda: rig.fake.calls_to("chat.postEphemeral", ok=True)  # noqa: E731
    created = await rig.until(lambda: [c for c in ephemeral() if "Stand-up 1" in c.args["text"]])
    assert "Stand-up 1 staat klaar" in created[-1].args["text"]  # Ada's Slack locale is nl-NL

    rig.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))  # 09:30 in Amsterdam
    await rig.tick()
    prompts = {c.args["channel"]: c for c in rig.posted("U1") + rig.posted("U2")}
    assert set(prompts) == {"U1", "U2"}
    delivery = {user: _delivery_id(call) for user, call in prompts.items()}

    await _answer(rig, "U2", delivery["U2"], ["<!channel> fine @here", "Docs <@U1>", "Waiting on <!here>"])
    updated = await rig.until(lambda: rig.fake.calls_to("chat.update", ok=True))
    assert "11:00" in updated[-1].args["text"]

    rig.clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))  # 11:00: the digest
    await rig.tick()
    digest = rig.posted("C1")
    assert len(digest) == 1
    text = digest[0].args["text"] + json.dumps(digest[0].args.get("blocks", ""))
    assert "Bram" in text and "Docs" in text
    assert "<!channel>" not in text and "<!here>" not in text and "<@U1>" not in text
    assert "&lt;!\u200bchannel&gt;" in text  # shown, escaped and defused

    await _answer(rig, "U1", delivery["U1"], ["Laat", "Release", "nee"])
    late = await rig.until(lambda: [c for c in rig.posted("C1") if c.args.get("thread_ts")])
    posted = await SqlMessageLog(rig.ritme.store._engine).find("slack", "T1", "standup-digest:1", "C1")
    assert posted is not None and late[-1].args["thread_ts"] == posted.message_id
    assert "Laat" in late[-1].args["text"]


def _delivery_id(call: Call) -> int:
    blocks = call.args["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == "ritme.answer":
                return int(element["value"])
    raise AssertionError(f"no Answer button in {blocks}")


def _home_text(call: Call) -> str:
    """What a published Home tab shows, block by block."""
    return "\n".join(
        block["text"]["text"] for block in call.args["view"]["blocks"] if block["type"] in ("header", "section")
    )


async def _set_up(rig: SlackRig, create: str = "standup create at 09:30 on mon-fri digest 11:00") -> None:
    """Bram joins #team (C1), then Ada sets up its stand-up and so becomes its manager."""
    assert (await rig.slack.event(member_joined("Ev1", user_id="U2"))).status == 200
    await rig.until_member("C1", "U2")
    await rig.slack.command(create, user_id="U1")
    ephemeral = lambda: rig.fake.calls_to("chat.postEphemeral", ok=True)  # noqa: E731
    await rig.until(lambda: [c for c in ephemeral() if "Stand-up 1" in c.args["text"]])


async def test_the_home_tab_shows_a_member_their_stand_up_and_a_manager_their_team(rig: SlackRig) -> None:
    await _set_up(rig)
    opened = home_opened_event("EvHome1", user_id="U2")
    assert (await rig.slack.event(opened)).status == 200
    [bram] = await rig.until(lambda: rig.fake.calls_to("views.publish", ok=True))
    assert bram.args["user_id"] == "U2"
    text = _home_text(bram)
    assert "#team — morning check-in: Mon-Fri at 09:30, digest 11:00 (Europe/Amsterdam)" in text
    assert "Your next prompt: today at 09:30, your time." in text  # Monday 08:00 in Amsterdam
    assert "Teams you manage" not in text
    # Slack's retry of the same event publishes nothing more.
    assert (await rig.slack.event(opened, retry_num=1)).status == 200
    await asyncio.sleep(0.2)
    assert len(rig.fake.calls_to("views.publish")) == 1

    assert (await rig.slack.event(home_opened_event("EvHome2", user_id="U1"))).status == 200
    published = await rig.until(lambda: rig.fake.calls_to("views.publish", ok=True), 2)
    ada = _home_text(published[-1])
    assert published[-1].args["user_id"] == "U1"
    assert "Jouw rituelen" in ada and "Teams die jij beheert" in ada  # Ada's Slack locale is nl-NL
    assert "Alles is de afgelopen 7 dagen bezorgd." in ada


async def test_a_digest_slack_refused_is_shown_to_the_teams_manager_only(rig: SlackRig) -> None:
    await _set_up(rig, "standup create at 09:30 on mon-fri digest 11:00 remind off")
    rig.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))  # 09:30: the prompts
    await rig.tick()
    rig.clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))  # 11:00: the digest, which Slack refuses
    rig.fake.script("chat.postMessage", Scripted(error="not_in_channel"))
    await rig.tick()  # refused for good: recorded, and the tick goes on with the rest
    assert len(rig.fake.calls_to("chat.postMessage", ok=False)) == 1

    replies = lambda: rig.fake.calls_to("chat.postEphemeral", ok=True)  # noqa: E731
    seen = len(replies())
    await rig.slack.command("standup failures", user_id="U2")
    [refused] = (await rig.until(replies, seen + 1))[seen:]
    assert refused.args["user"] == "U2" and "Only a manager of #team" in refused.args["text"]
    await rig.slack.command("standup failures", user_id="U1")
    [listed] = (await rig.until(replies, seen + 2))[seen + 1 :]
    assert listed.args["user"] == "U1"
    assert "Niet bezorgd voor #team in de afgelopen 7 dagen: 1" in listed.args["text"]
    assert "maandag 23 november om 11:00: overzicht aan #team — chat.postMessage refused: not_in_channel" in (
        listed.args["text"]
    )

    await rig.slack.event(home_opened_event("EvHome3", user_id="U1"))
    [home] = await rig.until(lambda: rig.fake.calls_to("views.publish", ok=True))
    assert "Niet bezorgd in de afgelopen 7 dagen: 1. De laatste, maandag 23 november om 11:00: overzicht" in (
        _home_text(home)
    )
