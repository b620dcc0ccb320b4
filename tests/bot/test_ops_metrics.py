"""GET /metrics on the served app: Prometheus' text format, and counts that go up with what really happened.

Slack's side is the signed-request rig against the fake Web API; the database failures are real ones (a table gone
from under the running server); Teams' 429s come from the fake Bot Connector over HTTP.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from microsoft_agents.hosting.core.authorization import AnonymousTokenProvider
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from adapters.teams.client import BotConnectorClient
from bot.dispatcher import Timer
from bot.metrics import Metrics, is_database_error
from storage.database import create_engine
from tests.adapters.slack.fake_slack import Scripted
from tests.adapters.slack.harness import member_joined
from tests.adapters.teams.fake_connector import FakeConnector
from tests.adapters.teams.fake_connector import Scripted as TeamsScripted
from tests.adapters.teams.test_teams_client import MESSAGE, personal
from tests.bot.slack_rig import SlackRig, slack_rig

MONDAY_0800_AMSTERDAM = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[SlackRig]:
    profiles = {"U1": ("Ada", "Europe/Amsterdam", "en-GB"), "U2": ("Bram", "Europe/Amsterdam", "en-GB")}
    async with slack_rig(tmp_path, profiles, MONDAY_0800_AMSTERDAM) as rig:
        yield rig


def _parse(exposition: str) -> Samples:
    """Every sample by name and labels, as Prometheus' own parser reads the text."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


async def _exposition(rig: SlackRig) -> str:
    """GET /metrics from the running server, as Prometheus scrapes it."""
    base = rig.slack.url.removesuffix("/slack/events")
    async with aiohttp.ClientSession() as session, session.get(base + "/metrics") as response:
        assert response.status == 200
        assert response.content_type == "text/plain"
        return await response.text()


async def _scrape(rig: SlackRig) -> Samples:
    return _parse(await _exposition(rig))


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_a_repeated_slack_event_counts_once_and_once_as_a_duplicate_and_a_429_counts(rig: SlackRig) -> None:
    exposition = await _exposition(rig)
    assert _value(_parse(exposition), "ritme_inbound_events_total", platform="slack") == 0
    # Every metric is there with its help text from the first scrape, before anything happened.
    families = {family.name: family for family in text_string_to_metric_families(exposition)}
    assert {
        "ritme_prompts_due", "ritme_prompts_sent", "ritme_prompts_deferred", "ritme_prompts_retried",
        "ritme_prompts_skipped", "ritme_delivery_failures", "ritme_dispatch_lag_seconds", "ritme_inbound_events",
        "ritme_inbound_duplicates", "ritme_platform_rate_limited", "ritme_database_errors",
    } <= set(families)
    assert all(family.documentation for family in families.values())

    joined = member_joined("Ev1", user_id="U1")
    assert (await rig.slack.event(joined)).status == 200
    assert (await rig.slack.event(joined, retry_num=1)).status == 200  # Slack's retry of the same event
    await rig.until_member("C1", "U1")

    # Slack answers the reply to a command with 429 once; the transport waits it out and the reply still arrives.
    rig.fake.script("chat.postEphemeral", Scripted(status=429, retry_after="0"))
    assert (await rig.slack.command("help", user_id="U1")).status == 200
    await rig.until(lambda: rig.fake.calls_to("chat.postEphemeral", ok=True))

    after = await _scrape(rig)
    assert _value(after, "ritme_inbound_events_total", platform="slack") == 2  # the join and the command
    assert _value(after, "ritme_inbound_duplicates_total", platform="slack") == 1
    assert _value(after, "ritme_platform_rate_limited_total", platform="slack") == 1
    assert _value(after, "ritme_database_errors_total", operation="inbound_record") == 0


async def test_due_prompts_are_counted_with_how_late_they_went_out(rig: SlackRig) -> None:
    assert (await rig.slack.event(member_joined("Ev1", user_id="U2"))).status == 200
    await rig.until_member("C1", "U2")
    assert (await rig.slack.command("standup create at 09:30 on mon-fri", user_id="U1")).status == 200
    await rig.until(lambda: [c for c in rig.fake.calls_to("chat.postEphemeral", ok=True) if "Stand-up 1" in
                             c.args["text"]])
    # Slack refuses the first of the two prompts for good; the other goes out 90 s after its 09:30 due time.
    rig.fake.script("chat.postMessage", Scripted(error="channel_not_found"))
    rig.clock.set(datetime(2026, 11, 23, 8, 31, 30, tzinfo=UTC))
    await rig.tick()
    assert len(rig.fake.calls_to("chat.postMessage", ok=True)) == 1

    samples = await _scrape(rig)
    assert _value(samples, "ritme_prompts_due_total") == 2
    assert _value(samples, "ritme_prompts_sent_total") == 1
    assert _value(samples, "ritme_prompts_skipped_total") == 1
    assert _value(samples, "ritme_prompts_deferred_total") == 0
    assert _value(samples, "ritme_delivery_failures_total", platform="slack", kind="form") == 1
    assert _value(samples, "ritme_dispatch_lag_seconds_count") == 1
    assert _value(samples, "ritme_dispatch_lag_seconds_sum") == 90
    assert _value(samples, "ritme_dispatch_lag_seconds_bucket", le="60.0") == 0
    assert _value(samples, "ritme_dispatch_lag_seconds_bucket", le="300.0") == 1


async def test_database_failures_are_counted_by_operation(rig: SlackRig) -> None:
    # The schema loses a table under the running server: planning, dispatching and recording events now fail.
    async with rig.ritme.store.engine.begin() as connection:
        await connection.execute(text("ALTER TABLE inbound_events RENAME TO inbound_events_gone"))
        await connection.execute(text("ALTER TABLE deliveries RENAME TO deliveries_gone"))
        await connection.execute(text("ALTER TABLE rituals RENAME TO rituals_gone"))
    timer = Timer(rig.ritme.dispatcher, rig.ritme.inbound, tick_every=timedelta(hours=1),
                  plan_every=timedelta(hours=1), metrics=rig.ritme.metrics)
    async with timer:  # starting runs recovery, planning and one tick at once
        pass
    assert (await rig.slack.event(member_joined("Ev2", user_id="U1"))).status == 500  # not acked: Slack retries

    samples = await _scrape(rig)
    for operation in ("inbound_recover", "plan", "dispatch", "inbound_record"):
        assert _value(samples, "ritme_database_errors_total", operation=operation) == 1, operation
    assert _value(samples, "ritme_inbound_events_total", platform="slack") == 0


async def test_only_failures_from_the_database_count_as_database_errors() -> None:
    unreachable = create_engine("postgresql://ritme:secret@127.0.0.1:1/ritme")  # nothing listens on port 1
    try:
        with pytest.raises(OSError) as from_database:
            async with unreachable.connect():
                pass
    finally:
        await unreachable.dispose()
    with pytest.raises(aiohttp.ClientConnectorError) as from_platform:
        async with aiohttp.ClientSession() as session, session.get("http://127.0.0.1:1/api/chat.postMessage"):
            pass
    assert is_database_error(from_database.value)
    assert not is_database_error(from_platform.value)


async def test_teams_429s_are_counted() -> None:
    metrics = Metrics()
    count = metrics.on_rate_limited("teams")
    no_wait = lambda _seconds: asyncio.sleep(0)  # noqa: E731
    async with FakeConnector() as fake, BotConnectorClient(
        AnonymousTokenProvider(), sleep=no_wait, on_rate_limited=count
    ) as client:
        fake.script("send", TeamsScripted(status=429, retry_after="1"), TeamsScripted(status=429))
        await client.send(personal(fake), MESSAGE)
        assert [call.status for call in fake.calls] == [429, 429, 201]
    samples = _parse(metrics.exposition().decode())
    assert _value(samples, "ritme_platform_rate_limited_total", platform="teams") == 2
    assert _value(samples, "ritme_platform_rate_limited_total", platform="slack") == 0
