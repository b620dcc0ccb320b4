"""The assembled application: migrations at start-up, inbound retries, and the timer that sends due work."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.demo import seed_demo
from bot.settings import Settings
from bot.wiring import SchemaNotCurrent, assemble, serving
from rituals.events import Actor, AnswerSubmitted, CommandInvoked
from storage.database import is_sqlite, pending_migrations
from tests.rituals.harness import FakeClock

MONDAY_0900_AMSTERDAM = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _settings(database_url: str) -> Settings:
    return Settings(_env_file=None, database_url=database_url, port=0, dispatch_interval_seconds=0.5)  # type: ignore[call-arg]


async def test_a_new_sqlite_file_is_migrated_at_start_up(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/new/ritme.db"
    async with assemble(_settings(url)):
        pass
    assert await pending_migrations(url) == []


async def test_a_platform_retry_has_no_second_effect(tmp_path: Path) -> None:
    clock = FakeClock(MONDAY_0900_AMSTERDAM)
    async with assemble(_settings(f"sqlite+aiosqlite:///{tmp_path}/ritme.db"), clock) as ritme:
        await seed_demo(ritme)
        event = CommandInvoked(
            event_id="retry-me",
            actor=Actor(platform="local", workspace_id="local", user_id="anna", display_name="Anna de Vries"),
            received_at=clock.now(),
            channel_id="team",
            channel_name="team",
            text="/ritme standup create checkout",
        )
        await ritme.inbound(event)
        await ritme.inbound(event)
        team = await ritme.store.upsert_team("local", "local", "team", "team")
        assert len(await ritme.store.rituals(team.id)) == 2  # the demo's and this one, once
        replies = [view for view in ritme.local.history("anna") if "staat klaar" in str(view.to_json())]
        assert len(replies) == 1


async def test_the_timer_sends_prompts_when_they_come_due(tmp_path: Path) -> None:
    clock = FakeClock(MONDAY_0900_AMSTERDAM)
    async with assemble(_settings(f"sqlite+aiosqlite:///{tmp_path}/ritme.db"), clock) as ritme:
        await seed_demo(ritme)
        async with serving(ritme):  # entering runs one plan and one tick at once
            assert not [view for view in ritme.local.history("anna") if view.to_json().get("form")]
            clock.advance(timedelta(minutes=30))  # 09:30 for Anna in Amsterdam: the demo's stand-up
            for _ in range(50):
                forms = [view for view in ritme.local.history("anna") if view.to_json().get("form")]
                if forms:
                    break
                await asyncio.sleep(0.1)
            assert len(forms) == 1


async def test_postgresql_must_be_migrated_on_purpose_when_start_up_may_not(database_url: str, tmp_path: Path) -> None:
    if is_sqlite(database_url):
        pytest.skip("SQLite files are migrated at start-up; covered above")
    from sqlalchemy import text

    from storage.database import create_engine

    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM alembic_version"))
    await engine.dispose()
    settings = _settings(database_url).model_copy(update={"migrate_on_start": False})
    with pytest.raises(SchemaNotCurrent, match="ritme migrate"):
        async with assemble(settings):
            pass


async def test_open_forms_come_back_after_a_restart_of_the_local_chat(tmp_path: Path) -> None:
    clock = FakeClock(MONDAY_0900_AMSTERDAM)
    settings = _settings(f"sqlite+aiosqlite:///{tmp_path}/ritme.db")
    run = CommandInvoked(
        event_id="run", actor=Actor(platform="local", workspace_id="local", user_id="anna"),
        received_at=clock.now(), channel_id="team", channel_name="team", text="/ritme standup run",
    )
    async with assemble(settings, clock) as ritme:
        await seed_demo(ritme)
        await ritme.inbound(run)
        forms = [view.to_json()["form"] for view in ritme.local.history("ben") if view.to_json().get("form")]
        assert len(forms) == 1
        await ritme.inbound(AnswerSubmitted(
            event_id="answer", actor=Actor(platform="local", workspace_id="local", user_id="ben"),
            received_at=clock.now(), delivery_id=forms[0]["delivery_id"], values=("Fine", "Docs", "no"),
        ))
    async with assemble(settings, clock) as restarted:
        again = [view.to_json()["form"] for view in restarted.local.history("ben") if view.to_json().get("form")]
        assert [form["delivery_id"] for form in again] == [forms[0]["delivery_id"]]
        assert [field["value"] for field in again[0]["fields"]] == ["Fine", "Docs", "no"]


async def test_acknowledgements_arriving_together_share_a_write_and_repeats_stay_repeats(tmp_path: Path) -> None:
    clock = FakeClock(MONDAY_0900_AMSTERDAM)
    async with assemble(_settings(f"sqlite+aiosqlite:///{tmp_path}/ritme.db"), clock) as ritme:
        ids = [f"e{n % 10}" for n in range(30)]  # each id three times, as a platform's fast retries would
        accepted = await asyncio.gather(*(ritme.inbound.accept(_help(event_id, clock)) for event_id in ids))
        assert sum(accepted) == 10
        assert sorted(event_id for event_id, new in zip(ids, accepted, strict=True) if new) == sorted(set(ids))
        assert not await ritme.inbound.accept(_help("e3", clock))
        assert await ritme.inbound.accept(_help("e3", clock, platform="slack"))  # another platform's id space


def _help(event_id: str, clock: FakeClock, *, platform: str = "local") -> CommandInvoked:
    return CommandInvoked(
        event_id=event_id, actor=Actor(platform=platform, workspace_id="local", user_id="anna"),
        received_at=clock.now(), channel_id="team", channel_name="team", text="/ritme help",
    )


@pytest.mark.parametrize(
    ("platform", "local_chat", "served"),
    [
        ({}, None, True),  # the demo and a trial: nothing else to talk to
        ({"slack_bot_token": "xoxb-test", "slack_signing_secret": "s3cret"}, None, False),
        ({"teams_app_id": "00000000-0000-0000-0000-000000000001", "teams_app_password": "pw"}, None, False),
        ({"slack_bot_token": "xoxb-test", "slack_signing_secret": "s3cret"}, True, True),
        ({}, False, False),
    ],
)
async def test_the_local_chat_without_sign_in_is_served_only_while_no_platform_is_configured(
    tmp_path: Path, platform: dict[str, str], local_chat: bool | None, served: bool
) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/ritme.db", port=0,  # type: ignore[call-arg]
                        local_chat=local_chat, **platform)
    async with assemble(settings) as ritme, serving(ritme, with_timer=False) as url, aiohttp.ClientSession() as http:
        async with http.get(f"{url}/") as page, http.post(f"{url}/api/command", json={}) as command:
            assert (page.status == 200) is served
            assert (command.status != 404) is served
