"""Tenant isolation: two workspaces (and a Teams tenant) with the same channel id, team name and user ids, each with
words nobody else says. No command reply, App Home, digest, export, calendar feed, dashboard page or report of one
shows anything of another, and a manager who names another workspace's ids reaches nothing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import select

from adapters.teams.references import ConversationRef
from rituals.catalog import Catalog
from rituals.events import HomeOpened
from rituals.member_data import MemberData
from rituals.outbound import Form, Message
from storage.member_data import SqlMemberData
from storage.models import Base
from storage.slack_installations import SqlInstallationStore
from storage.teams_references import SqlConversationReferences
from tests.security.authz_world import (
    AWAY_WORDS,
    HOME_WORDS,
    MIA,
    MO,
    STRANGER,
    ZED,
    Template,
    Who,
    World,
    owned_rows_of,
    seeded,
    serving,
)
from tests.security.test_authz_dashboard import Browser, sign_in

# A Teams tenant whose ids are the very same strings as the local workspace w1's, and words of its own.
TENANT = Who("w1", "mia", "Mia Tenant", platform="teams")
TENANT_MEMBER = Who("w1", "mo", "Mo Tenant", platform="teams")
TENANT_WORDS = ("Kumquat", "Nightjar", "https://meet.example/tenant-borrel")
READS = ("/ritme standup list", "/ritme pulse list", "/ritme borrel list", "/ritme borrel history",
         "/ritme manager list", "/ritme manager audit", "/ritme coffee list", "/ritme coffee stats",
         "/ritme focus list", "/ritme core", "/ritme focus calendar", "/ritme meet-check tue 12:30 45m", "/ritme me",
         "/ritme standup failures")
PAGES = ("", "/me", "/me/data", "/me/export.json", "/teams/{team}", "/teams/{team}/standups",
         "/teams/{team}/participation", "/teams/{team}/pulse", "/teams/{team}/social", "/teams/{team}/audit")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """Both workspaces seeded once for the module."""
    return Template(tmp_path_factory.mktemp("authz-isolation"))


def words_of_others(words: Sequence[str], shown: str) -> list[str]:
    """Which of another workspace's words show up in `shown`."""
    return [word for word in words if word in shown]


def everything(messages: Sequence[Message]) -> str:
    """Every field of every message, text, forms and buttons alike."""
    return "\n".join(repr(message) for message in messages)


async def add_tenant(world: World) -> None:
    """A Teams tenant set up like w1, by people with w1's ids, in a channel with w1's id."""
    await world.say(TENANT, f'/ritme standup create at 09:00 on mon-fri digest 11:00 questions "{TENANT_WORDS[0]}?"')
    await world.say(TENANT, f'/ritme borrel create fri 16:30 45m {TENANT_WORDS[2]} theme "{TENANT_WORDS[1]}"')
    await world.join(TENANT_MEMBER)
    # 10:05, within the grace of 09:00: the timer sends the tenant's prompts now.
    form = next(m for m in await world.due() if isinstance(m, Form) and m.to == TENANT_MEMBER.address)
    await world.answer(TENANT_MEMBER, form.delivery_id, [f"{TENANT_WORDS[0]} all day"])


# Each side: who asks, their words, and everybody else's words.
SIDES = (
    (MIA, HOME_WORDS, (*AWAY_WORDS, *TENANT_WORDS, ZED.name, STRANGER.name, TENANT.name)),
    (MO, HOME_WORDS, (*AWAY_WORDS, *TENANT_WORDS, ZED.name, STRANGER.name, TENANT.name)),
    (ZED, AWAY_WORDS, (*HOME_WORDS, *TENANT_WORDS, MIA.name, MO.name, TENANT.name)),
    (STRANGER, AWAY_WORDS, (*HOME_WORDS, *TENANT_WORDS, MIA.name, MO.name, TENANT.name)),
    (TENANT, TENANT_WORDS, (*HOME_WORDS, *AWAY_WORDS, MIA.name, MO.name, ZED.name, STRANGER.name)),
)


async def test_no_reply_home_or_digest_shows_another_workspace(template: Template, tmp_path: Path) -> None:
    world = template.copy(tmp_path)
    try:
        await add_tenant(world)
        for who, own, others in SIDES:
            replies = []
            for command in READS:
                said = everything(await world.say(who, command))
                assert not words_of_others(others, said), (who, command, said)
                replies.append(said)
            [home] = await world.engine.handle(HomeOpened(event_id=f"home-{who.platform}-{who.workspace}-{who.user_id}",
                                                          actor=who.actor, received_at=world.clock.now()))
            assert not words_of_others(others, repr(home)), (who, home)
            assert [word for word in own if word in "".join(replies)], replies  # they do see their own
        # At 11:00 the timer posts every digest that is due: each with its own team's answers, in its own channel.
        world.clock.advance(timedelta(hours=1))
        seen = set()
        for message in await world.due():
            shown = repr(message)
            for who, own, others in (SIDES[0], SIDES[2], SIDES[4]):
                if f"{own[0]} all day" in shown:
                    seen.add(who)
                    assert (message.to.platform, message.to.workspace_id) == (who.platform, who.workspace)  # type: ignore[attr-defined]
                    assert not words_of_others(others, shown), shown
        assert seen == {MIA, ZED, TENANT}
    finally:
        await world.close()


async def test_ids_of_another_workspace_reach_nothing(template: Template, tmp_path: Path) -> None:
    world = template.copy(tmp_path)
    try:
        home = await world.home_snapshot()
        ids = world.ids
        # Zed manages the channel with the same id in w2; w1's ritual ids are unknown there, and nothing of w1 moves.
        for command in (f"/ritme standup pause {ids['standup:w1']}", f"/ritme standup delete {ids['standup:w1']}",
                        f"/ritme pulse delete {ids['pulse:w1']}", f"/ritme borrel delete {ids['borrel:w1']}",
                        f"/ritme borrel cancel {ids['borrel:w1']}", f"/ritme focus remove {ids['focus:w1']}",
                        f"/ritme standup run {ids['standup:w1']}", f"/ritme standup digest {ids['standup:w1']}"):
            said = everything(await world.say(ZED, command))
            assert not words_of_others((*HOME_WORDS, MIA.name, MO.name), said), (command, said)
        assert await world.home_snapshot() == home
    finally:
        await world.close()


async def test_exports_feeds_and_pages_show_only_their_own_workspace(template: Template, tmp_path: Path) -> None:
    world = template.copy(tmp_path)
    try:
        await add_tenant(world)
        exports = MemberData(store=SqlMemberData(world.store.engine), catalog=Catalog(), clock=world.clock)
        async with serving(world) as base, aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
            for who, own, others in SIDES:
                member = await world.store.find_members(who.platform, who.workspace, who.name)
                exported = json.dumps(await exports.export(member[0].id), ensure_ascii=False)
                assert not words_of_others(others, exported), (who, exported)
                browser: Browser = await sign_in(session, base, world, who)
                team = await world.store.find_team(who.platform, who.workspace, "team")
                assert team is not None
                for page in PAGES:
                    status, body = await browser.request("GET", "/dashboard" + page.format(team=team.id))
                    assert status in (200, 403), (page, status)
                    assert not words_of_others(others, body), (who, page, body)
                    if page == "/teams/{team}/standups" and who in (MIA, ZED, TENANT):
                        assert status == 200 and f"{own[0]} all day" in body, body  # the page shows its own
            # Each calendar feed: its own team's windows and rituals, nobody else's.
            for key, own, others in (("w1", HOME_WORDS, (*AWAY_WORDS, *TENANT_WORDS)),
                                     ("w2", AWAY_WORDS, (*HOME_WORDS, *TENANT_WORDS))):
                async with session.get(f"{base}/calendar/{world.tokens[f'token:{key}']}.ics") as response:
                    feed = await response.text()
                assert response.status == 200 and own[0] in feed, feed
                assert not words_of_others(others, feed), feed
    finally:
        await world.close()


async def platform_rows(world: World, workspace: str, user_id: str) -> tuple[list[Any], list[Any]]:
    """The Slack user grants and Teams conversations kept for that user id in that workspace or tenant."""
    tokens_table = Base.metadata.tables["slack_user_tokens"]
    chats_table = Base.metadata.tables["teams_conversations"]
    async with world.store.engine.connect() as connection:
        tokens = (await connection.execute(select(tokens_table).where(
            tokens_table.c.team_id == workspace, tokens_table.c.user_id == user_id))).all()
        chats = (await connection.execute(select(chats_table).where(
            chats_table.c.tenant_id == workspace, chats_table.c.user_id == user_id))).all()
    return list(tokens), list(chats)


async def test_erasing_a_member_leaves_the_same_id_in_another_workspace_alone(database_url: str) -> None:
    # On both backends (tests/conftest.py's database_url): the erase is SQL that SQLite and PostgreSQL read alike.
    world = await seeded(database_url)
    try:
        # Zed's answer mentions his colleague by id, the way Slack writes a mention: `mia` of w2, not of w1.
        await world.answer(ZED, world.ids["delivery:w2:zed"], [f"{AWAY_WORDS[0]} with <@{STRANGER.user_id}>"])
        installs = SqlInstallationStore(world.store.engine)
        references = SqlConversationReferences(world.store.engine)
        for workspace in ("w1", "w2"):
            await installs.async_save(Installation(
                app_id="A1", team_id=workspace, team_name=workspace, bot_token=f"xoxb-{workspace}", bot_id="B1",
                bot_user_id="UBOT", bot_scopes=["commands"], user_id="mia", user_token=f"xoxp-{workspace}",
                user_scopes=["users.profile:write"], installed_at=world.clock.now().timestamp()))
            await references.remember(ConversationRef(
                tenant_id=workspace, conversation_id=f"a:1mia-{workspace}", service_url="https://smba.example/",
                bot_id="28:app", kind="personal", user_id="mia", updated_at=world.clock.now()))
        away = owned_rows_of(await world.snapshot_tables(), "w2")
        kept = await platform_rows(world, "w2", "mia")
        assert all(kept)
        data = SqlMemberData(world.store.engine)
        [mia] = await world.store.find_members("local", "w1", MIA.name)

        assert await data.erase(mia.id) is True

        assert owned_rows_of(await world.snapshot_tables(), "w2") == away
        assert await platform_rows(world, "w2", "mia") == kept
        assert await platform_rows(world, "w1", "mia") == ([], [])
    finally:
        await world.close()
