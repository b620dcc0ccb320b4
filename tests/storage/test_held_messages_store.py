"""Held messages on both databases: every kind of message comes back as it went in, claims are exclusive and
leased, and a message handed back waits for its time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from rituals.outbound import (
    Button,
    ChannelAddress,
    ChannelPost,
    ChannelUpdate,
    Choice,
    Field,
    Form,
    GroupPrompt,
    HomeView,
    MemberAddress,
    Message,
    Prompt,
    Section,
    Span,
    StatusUpdate,
    Text,
    ThreadReply,
    Update,
)
from storage.database import create_engine
from storage.held_messages import SqlHeldMessages, decode, encode

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
ADA = MemberAddress(platform="slack", workspace_id="T1", user_id="U1")
BRAM = MemberAddress(platform="slack", workspace_id="T1", user_id="U2")
TEAM = ChannelAddress(platform="slack", workspace_id="T1", channel_id="C1")
WORDS = Text(((Span(text="Borrel van #team ", bold=True), Span(text="<!channel> 🍻 \u00e9\u00e9n", user=True)),
              (Span(text=""),)))
EVERY_KIND: list[Message] = [
    Prompt(key="borrel-reminder:4", to=ADA, text=WORDS, buttons=(Button(label="Ja", action="a.b", value="4:yes"),),
           context=TEAM, expires_at=NOW + timedelta(minutes=10)),
    Form(key="standup-form:9", to=ADA, text=WORDS, delivery_id=9, submit_label="Send", open_label="Open",
         fields=(Field(label="Yesterday?"), Field(label="Mood", multiline=False, optional=False,
                                                  choices=(Choice(value="1", label="low"),)))),
    ChannelPost(key="standup-digest:3", to=TEAM, text=WORDS),
    ThreadReply(to=TEAM, thread_key="standup-digest:3", text=WORDS),
    Update(key="standup-form:9", to=ADA, text=WORDS),
    ChannelUpdate(key="borrel-invite:4", to=TEAM, text=WORDS, buttons=()),
    GroupPrompt(key="coffee-intro:2", to=(ADA, BRAM), text=WORDS),
    HomeView(to=ADA, sections=(Section(title="Today", text=WORDS),)),
    StatusUpdate(key="focus-status:1:2026-11-23", to=ADA, text="Focus", emoji=":headphones:",
                 until=NOW + timedelta(hours=2)),
]


@pytest.fixture
async def held(database_url: str) -> AsyncIterator[SqlHeldMessages]:
    engine = create_engine(database_url)
    try:
        yield SqlHeldMessages(engine)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("message", EVERY_KIND, ids=lambda message: type(message).__name__)
def test_every_kind_of_message_comes_back_equal(message: Message) -> None:
    assert decode(encode(message)) == message


async def test_a_held_message_waits_for_its_time_and_comes_back_whole(held: SqlHeldMessages) -> None:
    await held.hold(EVERY_KIND, NOW + timedelta(seconds=30), NOW)
    assert await held.claim_due(NOW + timedelta(seconds=29), timedelta(minutes=2), 100) == []
    claimed = await held.claim_due(NOW + timedelta(seconds=30), timedelta(minutes=2), 100)
    assert [h.message for h in claimed] == EVERY_KIND
    assert {(h.held_since, h.attempts) for h in claimed} == {(NOW, 1)}


async def test_a_claim_is_exclusive_until_its_lease_runs_out(held: SqlHeldMessages) -> None:
    await held.hold(EVERY_KIND[:3], NOW, NOW)
    first = await held.claim_due(NOW, timedelta(minutes=2), 2)
    second = await held.claim_due(NOW, timedelta(minutes=2), 100)
    assert len(first) == 2 and len(second) == 1 and not {h.id for h in first} & {h.id for h in second}
    assert await held.claim_due(NOW + timedelta(minutes=1), timedelta(minutes=2), 100) == []
    # A worker that died holding them: after the lease they are anyone's again.
    assert len(await held.claim_due(NOW + timedelta(minutes=2), timedelta(minutes=2), 100)) == 3


async def test_concurrent_claimers_never_get_the_same_message(held: SqlHeldMessages) -> None:
    await held.hold([Prompt(key=f"standup-reminder:{n}", to=ADA, text=WORDS) for n in range(60)], NOW, NOW)
    claims = await asyncio.gather(*(held.claim_due(NOW, timedelta(minutes=2), 7) for _ in range(12)))
    ids = [h.id for claim in claims for h in claim]
    assert len(ids) == len(set(ids)) == 60


async def test_handed_back_messages_wait_again_and_count_only_real_attempts(held: SqlHeldMessages) -> None:
    await held.hold(EVERY_KIND[:2], NOW, NOW)
    tried, waiting = await held.claim_due(NOW, timedelta(minutes=2), 100)
    await held.retry_later([(tried.id, NOW + timedelta(minutes=1))], tried=True)
    await held.retry_later([(waiting.id, NOW + timedelta(hours=1))], tried=False)  # its reader was off work
    [again] = await held.claim_due(NOW + timedelta(minutes=1), timedelta(minutes=2), 100)
    assert again.id == tried.id and again.attempts == 2
    await held.forget([again.id])  # delivered this time
    [later] = await held.claim_due(NOW + timedelta(hours=1), timedelta(minutes=2), 100)
    assert later.id == waiting.id and later.attempts == 1
    await held.forget([later.id])
    assert await held.claim_due(NOW + timedelta(days=1), timedelta(minutes=2), 100) == []
