"""Replicas and faults on real PostgreSQL: separate `ritme run` processes fan out 3,000 stand-up prompts to a fake
Slack, and every member gets theirs exactly once whatever happens to a replica, the database or Slack (issue 9).

Each test starts real replicas with a short claim lease (tests/bot/replica_rig.py), then seeds 3,000 members (300
teams of 10) whose stand-up was due a minute ago, so all 3,000 prompts fall due at once while the replicas run. It
does something unkind mid-fan-out and waits until the database says every prompt was sent; then it counts, per
member, the posts Slack received carrying that member's prompt.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.database import pending_migrations
from tests.bot.replica_rig import DRAIN_SECONDS, LEASE_SECONDS, MEMBERS, ReplicaRig, http_status, replica_rig
from tests.conftest import POSTGRES_ENV

pytestmark = pytest.mark.postgres

# Sending 3,000 prompts takes a replica at least 30 s at Slack's cap; a taken-over claim waits out the lease too.
FAN_OUT_TIMEOUT = 90 + LEASE_SECONDS


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[ReplicaRig]:
    """A throwaway migrated database and the fake Slack; no replica and no member yet."""
    server_url = os.environ.get(POSTGRES_ENV)
    if not server_url:
        pytest.skip(f"set {POSTGRES_ENV} to run the PostgreSQL suite")
    async with replica_rig(server_url, tmp_path) as rig:
        yield rig


async def test_three_replicas_send_3000_prompts_each_exactly_once(rig: ReplicaRig) -> None:
    replicas = await rig.start(3)
    await rig.seed()

    await rig.until_all_sent(FAN_OUT_TIMEOUT)

    outcome = await rig.outcome()
    assert outcome.exactly_once, outcome.describe()
    assert len(outcome.posts_per_member) == MEMBERS
    # The work was shared: each replica claimed and sent prompts of its own.
    assert all(outcome.by_replica[replica.name] > 0 for replica in replicas), outcome.describe()
    assert all(replica.alive for replica in replicas), rig.logs()


async def test_a_replica_killed_mid_fan_out_leaves_its_prompts_to_the_others_after_the_lease(rig: ReplicaRig) -> None:
    replicas = await rig.start(3)
    await rig.seed()
    # Kill the first replica seen halfway through its batch: it has posted some prompts, but not recorded them.
    await rig.until(lambda: any(100 <= len(rig.prompt_posts(by=r)) < 900 for r in replicas), "a replica mid-batch",
                    within=90)
    victim = next(r for r in replicas if 100 <= len(rig.prompt_posts(by=r)) < 900)
    victim.signal(signal.SIGKILL)
    assert await victim.exit_code(5) == -signal.SIGKILL
    posted_by_victim = len(rig.prompt_posts(by=victim))
    assert (await rig.statuses()).get("sent", 0) < MEMBERS, "the fan-out was over before the kill"

    await rig.until_all_sent(FAN_OUT_TIMEOUT)

    outcome = await rig.outcome()
    survivors = [r for r in replicas if r is not victim]
    assert all(r.alive for r in survivors), rig.logs()
    # The survivors sent everything the victim did not: its unfinished claim came free when the lease ran out.
    assert sum(outcome.by_replica[r.name] for r in survivors) >= MEMBERS - posted_by_victim, outcome.describe()
    described = f"after SIGKILL of {victim.name} ({posted_by_victim} posted): {outcome.describe()}"
    assert not outcome.lost and not outcome.strays and outcome.statuses == {"sent": MEMBERS}, described
    # The one window a hard crash leaves (README, "How replicas share the work"): the prompt Slack accepted just before
    # the kill, whose message id the victim had not written yet, may go out once more. None of the others it sent may.
    in_flight = rig.prompt_posts(by=victim)[-1].args["channel"]
    assert set(outcome.duplicated) <= {in_flight} and set(outcome.duplicated.values()) <= {2}, described


async def test_terminating_every_database_connection_mid_run_loses_and_repeats_nothing(rig: ReplicaRig) -> None:
    replicas = await rig.start(3)
    await rig.seed()
    terminated = []
    for posts in (300, 1200, 2100):
        await rig.until_posted(posts, within=90)
        terminated.append(await rig.terminate_backends())
    assert terminated[0] > 0, "no Ritme connection was open to terminate"

    await rig.until_all_sent(FAN_OUT_TIMEOUT)

    outcome = await rig.outcome()
    assert outcome.exactly_once, f"after terminating {terminated} connections: {outcome.describe()}"
    assert all(replica.alive for replica in replicas), rig.logs()
    for replica in replicas:
        assert await http_status(f"{await replica.url()}/healthz") == 200, rig.logs()
        assert await http_status(f"{await replica.url()}/readyz") == 200, rig.logs()


async def test_slack_answering_503_for_30_seconds_delays_prompts_without_losing_or_repeating_any(
    rig: ReplicaRig,
) -> None:
    rig.fake.outage(30)
    replicas = await rig.start(3)
    await rig.seed()

    await rig.until_all_sent(FAN_OUT_TIMEOUT + 30)

    outcome = await rig.outcome()
    refused = [call for call in rig.fake.calls_to("chat.postMessage") if call.status == 503]
    assert refused, "Slack's outage never met a post"
    assert outcome.exactly_once, f"after {len(refused)} answers 503: {outcome.describe()}"
    assert all(replica.alive for replica in replicas), rig.logs()


async def test_sigterm_mid_fan_out_exits_within_the_drain_limit_and_a_restart_sends_the_rest(rig: ReplicaRig) -> None:
    (first,) = await rig.start(1)
    await rig.seed()
    await rig.until_posted(300, within=90)
    loop = asyncio.get_running_loop()
    stopped_at = loop.time()
    first.signal(signal.SIGTERM)
    exit_code = await first.exit_code(DRAIN_SECONDS + 5)
    took = loop.time() - stopped_at
    if exit_code is None:
        first.signal(signal.SIGKILL)  # so the restart below still shows whether the rest gets delivered
        await first.process.wait()
    posted_before = len(rig.prompt_posts())
    assert posted_before < MEMBERS, "the fan-out was over before SIGTERM"

    await rig.start(1, wait=False)  # its first tick, before it says it runs, may send all the rest
    await rig.until_all_sent(FAN_OUT_TIMEOUT)

    outcome = await rig.outcome()
    problems = []
    if exit_code != 0:
        problems.append(f"SIGTERM: exit code {exit_code} after {took:.1f} s (expected 0 within "
                        f"{DRAIN_SECONDS + 5} s)")
    if not outcome.exactly_once:
        problems.append(f"after the restart ({posted_before} posted before): {outcome.describe()}")
    assert not problems, "; ".join(problems) + "\n" + rig.logs()


async def test_three_replicas_starting_together_on_an_empty_database_migrate_it_once(tmp_path: Path) -> None:
    server_url = os.environ.get(POSTGRES_ENV)
    if not server_url:
        pytest.skip(f"set {POSTGRES_ENV} to run the PostgreSQL suite")
    async with replica_rig(server_url, tmp_path, migrated=False) as rig:
        replicas = await rig.start(3)  # each waits until it says it is running

        urls = [await replica.url() for replica in replicas]

        assert [await http_status(f"{url}/readyz") for url in urls] == [200, 200, 200], rig.logs()
        # The first revision ran in exactly one replica; the others waited on the lock and found nothing to do.
        upgrades = [len(re.findall(r"Running upgrade\s+-> 0001\b", replica.log())) for replica in replicas]
        assert sorted(upgrades) == [0, 0, 1], rig.logs()
        assert await pending_migrations(rig.database_url) == []
