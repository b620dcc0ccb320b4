"""A stand-up from configuration to digest, driven through the engine with a hand-moved clock."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import rituals
from rituals.outbound import Form
from rituals.standup import EDIT_ACTION, is_blocker
from tests.rituals.harness import (
    ANNA,
    BEN,
    CHITRA,
    Harness,
    Person,
    forms,
    make_engine,
    posts,
    prompts,
    threads,
    to,
    updates,
)


async def _team(harness: Harness, *people: Person, create: str = "standup create at 09:30 on mon-fri") -> None:
    await harness.command(ANNA, create)
    for person in people:
        await harness.join(person)


async def test_a_stand_up_from_prompt_to_digest(harness: Harness) -> None:
    await _team(harness, BEN)
    assert await harness.due() == []

    harness.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))  # 09:30 in Amsterdam
    sent = await harness.due()
    anna_form, ben_form = forms(to(sent, ANNA))[0], forms(to(sent, BEN))[0]
    assert [f.label for f in ben_form.fields] == [
        "How are you doing today?", "What is your focus today?", "Is anything blocking you?"
    ]
    assert next(f.label for f in anna_form.fields) == "Hoe gaat het vandaag met je?"
    assert "11:00" in ben_form.text.as_plain()

    harness.clock.advance(timedelta(minutes=5))
    saved = await harness.answer(ANNA, anna_form.delivery_id, ["Goed", "De release", "Wacht op review van Ben"])
    assert updates(saved)[0].key == anna_form.key
    assert "11:00" in updates(saved)[0].text.as_plain()
    # Editing before the deadline replaces the answer.
    again = await harness.click(ANNA, EDIT_ACTION, str(anna_form.delivery_id))
    assert forms(again)[0].fields[1].value == "De release"
    await harness.answer(ANNA, anna_form.delivery_id, ["Goed", "De release, deel 2", "Wacht op review van Ben"])

    harness.clock.set(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))  # 10:30: one reminder, only to Ben
    reminders = await harness.due()
    assert [m.to.user_id for m in prompts(reminders)] == ["ben"]
    harness.clock.advance(timedelta(minutes=10))
    assert await harness.due() == []

    harness.clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))  # 11:00: the digest
    digest = posts(await harness.due())
    assert len(digest) == 1 and digest[0].to.channel_id == "team"
    text = digest[0].text.as_plain()
    assert "De release, deel 2" in text
    # The digest speaks the language of the manager who set the stand-up up.
    assert "Blokkades" in text and "Anna: Wacht op review van Ben" in text
    assert "(Nog) geen antwoord: Ben" in text
    assert text.index("Blokkades") < text.index("De release")

    late = await harness.answer(BEN, ben_form.delivery_id, ["Fine", "Docs", "no"])
    assert threads(late)[0].thread_key == digest[0].key
    assert "Fine" in threads(late)[0].text.as_plain()
    closed = await harness.answer(BEN, ben_form.delivery_id, ["Better", "Docs", "no"])
    assert "can't be changed" in prompts(closed)[0].text.as_plain()
    assert not threads(closed)
    assert await harness.due() == []


async def test_each_member_is_prompted_at_their_own_local_time_once_per_date(harness: Harness) -> None:
    await _team(harness, CHITRA, create="standup create at 09:30 on mon-fri digest 12:00")
    harness.clock.set(datetime(2026, 11, 23, 4, 0, tzinfo=UTC))  # 09:30 in Kolkata (UTC+05:30)
    sent = await harness.due()
    assert [m.to.user_id for m in forms(sent)] == ["chitra"]
    harness.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))
    assert [m.to.user_id for m in forms(await harness.due())] == ["anna"]
    # Planning and dispatching again, or a manager's run-now, never prompts anyone twice that date.
    await harness.engine.plan(harness.clock.now())
    run = await harness.command(ANNA, "standup run")
    assert forms(run) == []
    assert "0 gevraagd" in prompts(run)[0].text.as_plain()


async def test_away_and_non_working_days_are_not_prompted(harness: Harness) -> None:
    await _team(harness, BEN, create="standup create at 09:30 on daily")
    await harness.command(BEN, "me away until 2026-11-24")
    harness.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))
    assert [m.to.user_id for m in forms(await harness.due())] == ["anna"]
    harness.clock.set(datetime(2026, 11, 24, 8, 30, tzinfo=UTC))
    assert [m.to.user_id for m in forms(await harness.due())] == ["anna"]
    harness.clock.set(datetime(2026, 11, 25, 8, 30, tzinfo=UTC))  # back on Wednesday
    assert sorted(m.to.user_id for m in forms(await harness.due())) == ["anna", "ben"]
    harness.clock.set(datetime(2026, 11, 28, 8, 30, tzinfo=UTC))  # Saturday is nobody's working day
    assert forms(await harness.due()) == []


async def test_prompts_wait_for_working_hours_and_skip_when_the_day_is_over(harness: Harness) -> None:
    await _team(harness, BEN, create="standup create at 08:00 on mon-fri digest 12:00")
    await harness.command(BEN, "me hours 10:00-18:00")
    harness.clock.set(datetime(2026, 11, 23, 7, 0, tzinfo=UTC))  # 08:00: Anna starts at 09:00 by default
    assert forms(await harness.due()) == []
    harness.clock.set(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    assert [m.to.user_id for m in forms(await harness.due())] == ["anna"]
    harness.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    assert [m.to.user_id for m in forms(await harness.due())] == ["ben"]


async def test_missed_prompts_after_a_restart_follow_the_grace_period(harness: Harness) -> None:
    await _team(harness, BEN)
    await harness.due()  # planned at 08:00, then the process stops
    # Back 75 minutes after the prompt time: within the 2 h grace, so the prompts go out late, and the reminder
    # counts from then, so it does not arrive in the same breath (it would fall after the digest: none at all).
    harness.clock.set(datetime(2026, 11, 23, 9, 45, tzinfo=UTC))
    restarted = Harness(make_engine(harness.store, harness.clock), harness.clock, harness.store,
                        harness.database_url)
    late = await restarted.due()
    assert sorted(m.to.user_id for m in late) == ["anna", "ben"]
    assert len(forms(late)) == 2
    harness.clock.set(datetime(2026, 11, 23, 9, 59, tzinfo=UTC))
    assert await restarted.due() == []

    # Tomorrow the process is down for three hours past the prompt: recorded as missed, never sent in a burst.
    harness.clock.set(datetime(2026, 11, 24, 7, 0, tzinfo=UTC))
    await harness.due()
    harness.clock.set(datetime(2026, 11, 24, 11, 31, tzinfo=UTC))
    restarted = Harness(make_engine(harness.store, harness.clock), harness.clock, harness.store,
                        harness.database_url)
    assert await restarted.due() == []  # no burst of stale prompts, and no empty digest either
    assert (await harness.statuses())["missed"] == 2


async def test_only_managers_configure(harness: Harness) -> None:
    await _team(harness, BEN)
    before = await harness.snapshot()
    for text in ("standup create at 10:00", "standup create at 10:00 digest 09:00", "standup pause",
                 "standup delete 1", "standup run", "standup digest", "manager add Ben"):
        reply = await harness.reply_text(BEN, text)
        assert "Only a manager of #team can do that" in reply and "Anna" in reply
    assert await harness.snapshot() == before
    assert "Anna" in await harness.reply_text(BEN, "manager list")
    assert "Ben" in await harness.reply_text(ANNA, "manager add ben")
    assert "paused" in await harness.reply_text(BEN, "standup pause")


async def test_a_refused_or_idle_command_in_a_new_channel_changes_nothing(harness: Harness) -> None:
    await harness.command(BEN, "help")  # Ben is met here; from now on nothing may change
    before = await harness.snapshot()
    for text in ("help", "dance", "standup list", "manager list", "standup create at 10:00 digest 09:00",
                 "standup run"):
        await harness.command(BEN, text, channel="fresh")
    assert await harness.snapshot() == before  # no team, no membership, no manager


async def test_the_first_to_configure_a_team_becomes_its_manager(harness: Harness) -> None:
    replies = await harness.reply_text(BEN, "standup create", channel="other")
    assert "you are now its manager" in replies
    assert "Ben" in await harness.reply_text(ANNA, "manager list", channel="other")


async def test_pause_resume_delete_and_list(harness: Harness) -> None:
    await _team(harness, BEN)
    await harness.command(ANNA, "standup create checkout")
    listing = await harness.reply_text(ANNA, "standup list")
    assert "ochtend-check-in" in listing and "check-out" in listing
    assert "meerdere stand-ups" in await harness.reply_text(ANNA, "standup pause")
    await harness.command(ANNA, "standup pause 1")
    harness.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))
    assert forms(await harness.due()) == []
    await harness.command(ANNA, "standup resume 1")
    harness.clock.set(datetime(2026, 11, 24, 8, 30, tzinfo=UTC))
    assert len(forms(await harness.due())) == 2
    await harness.command(ANNA, "standup delete 1")
    assert "gepauzeerd" not in (listing := await harness.reply_text(ANNA, "standup list"))
    assert "ochtend" not in listing
    assert "geen stand-up 9" in await harness.reply_text(ANNA, "standup run 9")


async def test_run_now_then_post_the_digest(harness: Harness) -> None:
    await _team(harness, BEN, CHITRA)
    harness.clock.set(datetime(2026, 11, 23, 14, 0, tzinfo=UTC))  # 15:00 in Amsterdam, 19:30 in Kolkata
    assert "nog niemand gevraagd" in await harness.reply_text(ANNA, "standup digest")
    run = await harness.command(ANNA, "standup run")
    notes = "\n".join(p.text.as_plain() for p in prompts(run))
    assert "2 gevraagd" in notes and "Chitra" in notes  # outside her hours, so not pinged
    sent = await harness.due()  # the dispatcher sends what the run made due
    assert sorted(f.to.user_id for f in forms(sent)) == ["anna", "ben"]
    await harness.answer(BEN, forms(to(sent, BEN))[0].delivery_id, ["Good", "Tests", "none"])
    digest = await harness.command(ANNA, "standup digest")
    text = posts(digest)[0].text.as_plain()
    assert "Good" in text and "Blokkades" not in text
    assert "al geweest" in await harness.reply_text(ANNA, "standup run")
    assert "staat er vandaag al" in await harness.reply_text(ANNA, "standup digest")


async def test_answers_are_checked_and_belong_to_their_member(harness: Harness) -> None:
    await _team(harness, BEN)
    harness.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))
    ben_form: Form = forms(to(await harness.due(), BEN))[0]
    before = await harness.snapshot()
    assert "can't find" in prompts(await harness.answer(Person("eve", "Eve"), ben_form.delivery_id,
                                                         ["a", "b", "c"]))[0].text.as_plain()
    assert "expected" in prompts(await harness.answer(BEN, ben_form.delivery_id, ["a"]))[0].text.as_plain()
    assert "empty" in prompts(await harness.answer(BEN, ben_form.delivery_id, [" ", "", ""]))[0].text.as_plain()
    too_long = prompts(await harness.answer(BEN, ben_form.delivery_id, ["a" * 2001, "", ""]))
    assert "limit is 2000" in too_long[0].text.as_plain()
    assert "can't find" in prompts(await harness.answer(BEN, 999999, ["a", "b", "c"]))[0].text.as_plain()
    snapshot = await harness.snapshot()
    snapshot.pop("members", None)
    before.pop("members", None)  # Eve was met for the first time; nothing else may change
    assert snapshot == before


async def test_member_text_is_marked_as_theirs_in_the_digest(harness: Harness) -> None:
    await _team(harness, BEN)
    harness.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))
    form = forms(to(await harness.due(), BEN))[0]
    await harness.answer(BEN, form.delivery_id, ["<!channel> hi @here", "<b>bold</b>", "*waiting*"])
    harness.clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    digest = posts(await harness.due())[0]
    spans = [span for line in digest.text.lines for span in line]
    typed = [span for span in spans if "<!channel>" in span.text or "<b>" in span.text or "waiting" in span.text]
    assert len(typed) == 4 and all(span.user for span in typed)  # the blocker shows twice: highlighted, and in place
    assert not any("<" in span.text for span in spans if not span.user)


async def test_custom_questions_are_re_posted_as_typed_words(harness: Harness) -> None:
    await _team(harness, BEN, create='standup create questions "<!here> how are you?" | "@channel blockers?"')
    harness.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))
    form = forms(to(await harness.due(), BEN))[0]
    await harness.answer(BEN, form.delivery_id, ["ok", "Stuck on CI"])
    digest = posts(await harness.command(ANNA, "standup digest"))[0]
    labels = [span for line in digest.text.lines for span in line if "<!here>" in span.text or "@channel" in span.text]
    assert len(labels) == 2 and all(span.user for span in labels)
    assert "Stuck on CI" in digest.text.as_plain()


async def test_members_whose_morning_comes_after_the_digest_are_not_asked(harness: Harness) -> None:
    lucas = Person("lucas", "Lucas", "America/Sao_Paulo", "en")
    await _team(harness, BEN, lucas)
    harness.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))
    assert sorted(f.to.user_id for f in forms(await harness.due())) == ["anna", "ben"]
    harness.clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    digest = posts(await harness.due())[0].text.as_plain()
    assert "Lucas" not in digest
    harness.clock.set(datetime(2026, 11, 23, 12, 30, tzinfo=UTC))  # 09:30 in São Paulo, after the digest
    assert forms(await harness.due()) == []


async def test_run_now_leaves_alone_a_member_whose_own_date_is_already_tomorrow(harness: Harness) -> None:
    kiri = Person("kiri", "Kiri", "Pacific/Auckland", "en")
    await _team(harness, kiri, create="standup create at 09:30 on mon-fri digest 23:30")
    await harness.command(ANNA, "me hours 00:00-23:59")
    harness.clock.set(datetime(2026, 11, 23, 20, 30, tzinfo=UTC))  # Tuesday 09:30 in Auckland
    assert [f.to.user_id for f in forms(await harness.due())] == ["kiri"]
    harness.clock.set(datetime(2026, 11, 23, 22, 0, tzinfo=UTC))  # Monday 23:00 in Amsterdam
    run = await harness.reply_text(ANNA, "standup run")
    assert "Kiri" in run
    assert forms(await harness.due()) == []  # and Anna's 09:30 prompt was missed hours ago: missed stays missed


async def test_dutch_and_english_side_by_side(harness: Harness) -> None:
    await _team(harness, BEN)
    assert "Gedaan" in await harness.reply_text(ANNA, "me hours 08:00-16:00")
    assert "I only message you between 08:00 and 16:00" in await harness.reply_text(BEN, "me hours 08:00-16:00")
    assert "I'll speak English" in await harness.reply_text(ANNA, "me language en")
    harness.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))
    sent = await harness.due()
    assert forms(to(sent, ANNA))[0].fields[0].label == "How are you doing today?"
    # The digest speaks the language of the manager who set the stand-up up: Dutch.
    harness.clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    digest = posts(await harness.due())[0].text.as_plain()
    assert "Stand-up van #team, maandag 23 november" in digest


async def test_personal_commands_work_in_a_direct_message_and_team_ones_explain_where(harness: Harness) -> None:
    assert "Asia/Kolkata" in await harness.reply_text(BEN, "me timezone Asia/Kolkata", channel="dm:ben", direct=True)
    before = await harness.snapshot()
    reply = await harness.reply_text(BEN, "standup create", channel="dm:ben", direct=True)
    assert "team's channel" in reply
    assert await harness.snapshot() == before  # no team was made of the DM


def test_engine_imports_no_platform_sql_or_outer_layer() -> None:
    banned = {"sqlalchemy", "aiohttp", "slack_bolt", "slack_sdk", "microsoft_agents", "storage", "adapters", "bot"}
    for path in Path(rituals.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in banned, f"{path.name} imports {name}"


def test_only_real_blockers_are_highlighted() -> None:
    for calm in ("No", "no blockers", "Geen blokkades hoor", "niks", "All good", "nope, all good", "-", "n/a",
                 "None so far, thanks!"):
        assert not is_blocker(calm), calm
    for real in ("No access to staging", "Waiting on review", "Geen toegang tot de server", "CI is red"):
        assert is_blocker(real), real


async def test_an_event_without_a_name_keeps_the_name_a_member_is_known_by(harness: Harness) -> None:
    await _team(harness, BEN)
    nameless = Person(user_id=BEN.user_id, name="")  # Teams announces members added to a team without names
    await harness.join(nameless)
    assert "Ben" in await harness.reply_text(ANNA, "manager add " + BEN.user_id)
