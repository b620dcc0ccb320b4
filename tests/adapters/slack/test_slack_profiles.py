"""Members' profiles from users.info: what is read, how long it is kept, what happens when Slack fails."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from adapters.slack import slack_client
from adapters.slack.profiles import Profile, SlackProfiles, profile_from_user, with_profile
from rituals.events import Actor
from tests.adapters.slack.fake_slack import FakeSlack, Scripted
from tests.adapters.slack.harness import ManualClock

ADA = Actor(platform="slack", workspace_id="T1", user_id="U1", display_name="ada")


def profiles(fake: FakeSlack, clock: ManualClock, **options: object) -> SlackProfiles:
    return SlackProfiles(slack_client("xoxb-test-token", api_url=fake.url), clock=clock, **options)  # type: ignore[arg-type]


def test_the_name_people_see_comes_first() -> None:
    user = {
        "name": "ada",
        "real_name": "Ada L",
        "tz": "Europe/Amsterdam",
        "locale": "nl-NL",
        "profile": {"display_name": " ", "real_name": "Ada Lovelace"},
    }
    assert profile_from_user(user) == Profile(display_name="Ada Lovelace", timezone="Europe/Amsterdam", locale="nl-NL")
    assert profile_from_user({"name": "bot"}) == Profile(display_name="bot")


def test_the_profile_fills_in_the_actor() -> None:
    actor = with_profile(ADA, Profile(display_name="Ada", timezone="Europe/Amsterdam", locale="nl-NL"))
    assert (actor.display_name, actor.timezone, actor.locale) == ("Ada", "Europe/Amsterdam", "nl-NL")
    assert with_profile(ADA, Profile()).display_name == "ada"
    assert with_profile(ADA, None) == ADA


async def test_a_profile_is_fetched_once_and_kept_until_it_expires(fake_slack: FakeSlack) -> None:
    fake_slack.profiles["U1"] = {"id": "U1", "name": "ada", "tz": "Asia/Tokyo", "locale": "en-GB", "profile": {}}
    clock = ManualClock()
    cache = profiles(fake_slack, clock, ttl=timedelta(hours=12))
    actor = await cache.actor(ADA)
    assert (actor.timezone, actor.locale) == ("Asia/Tokyo", "en-GB")
    await cache.actor(ADA)
    clock.advance(timedelta(hours=11))
    await cache.actor(ADA)
    assert len(fake_slack.calls_to("users.info")) == 1
    clock.advance(timedelta(hours=2))
    await cache.actor(ADA)
    assert len(fake_slack.calls_to("users.info")) == 2


async def test_concurrent_lookups_share_one_call(fake_slack: FakeSlack) -> None:
    fake_slack.profiles["U1"] = {"id": "U1", "name": "ada", "profile": {}}
    cache = profiles(fake_slack, ManualClock())
    results = await asyncio.gather(*(cache.profile("T1", "U1") for _ in range(20)))
    assert {result for result in results} == {Profile(display_name="ada")}
    assert len(fake_slack.calls_to("users.info")) == 1


async def test_the_cache_is_bounded(fake_slack: FakeSlack) -> None:
    for n in range(5):
        fake_slack.profiles[f"U{n}"] = {"id": f"U{n}", "name": f"m{n}", "profile": {}}
    cache = profiles(fake_slack, ManualClock(), max_entries=3)
    for n in range(5):
        await cache.profile("T1", f"U{n}")
    await cache.profile("T1", "U4")  # still cached
    await cache.profile("T1", "U0")  # evicted, fetched again
    assert len(fake_slack.calls_to("users.info")) == 6


async def test_when_slack_cannot_tell_the_actor_keeps_the_payloads_name(fake_slack: FakeSlack) -> None:
    fake_slack.script("users.info", Scripted(status=500))
    clock = ManualClock()
    cache = profiles(fake_slack, clock, failure_ttl=timedelta(minutes=1))
    assert await cache.actor(ADA) == ADA
    # Not asked again right away, so an outage does not cost a call per event...
    assert await cache.actor(ADA) == ADA
    assert len(fake_slack.calls_to("users.info")) == 1
    # ...but soon after.
    clock.advance(timedelta(minutes=2))
    assert (await cache.actor(ADA)).display_name == "Ada"


async def test_a_slow_lookup_gives_up(fake_slack: FakeSlack) -> None:
    fake_slack.script("users.info", Scripted(hang=True))
    cache = profiles(fake_slack, ManualClock(), timeout_seconds=0.1)
    assert await cache.profile("T1", "U1") is None
