"""`standup failures`: a team's managers see what could not be delivered to their channel or its members."""

from __future__ import annotations

from datetime import timedelta

from rituals.ports import DeliveryFailure
from tests.rituals.harness import ANNA, BEN, CHITRA, Harness, Person

DAVE = Person("dave", "Dave", "Europe/London", "en")


def failure(
    harness: Harness, recipient: str, *, ago: timedelta, kind: str = "form", key: str = "standup-form:1",
    error: str = "chat.postMessage refused: channel_not_found", workspace: str = "w1",
) -> DeliveryFailure:
    return DeliveryFailure(platform="local", workspace_id=workspace, recipient=recipient, kind=kind, key=key,
                           error=error, failed_at=harness.clock.now() - ago)


async def _two_teams(harness: Harness) -> None:
    """#team: Anna (manager, Dutch) and Ben; #other: Chitra (manager, Kolkata) and Dave."""
    await harness.command(ANNA, "standup create at 09:30 on mon-fri")
    await harness.join(BEN)
    await harness.command(CHITRA, "standup create", channel="other")
    await harness.join(DAVE, channel="other")


async def test_a_manager_sees_the_failures_of_their_team_newest_first_in_their_own_time(harness: Harness) -> None:
    await _two_teams(harness)
    harness.failures.failures += [
        failure(harness, "ben", ago=timedelta(hours=3)),  # 05:00 in Amsterdam
        failure(harness, "team", ago=timedelta(hours=1), kind="channel_post", key="standup-digest:4",
                error="chat.postMessage refused: not_in_channel"),
        failure(harness, "ben", ago=timedelta(minutes=30), kind="prompt", key="standup-reminder:9",
                error="chat.postMessage failed after 4 attempts: HTTP 503"),
        # Not this team's: the other channel, a member of the other team only, another workspace, last month.
        failure(harness, "other", ago=timedelta(hours=2), kind="channel_post"),
        failure(harness, "dave", ago=timedelta(hours=2)),
        failure(harness, "ben", ago=timedelta(hours=2), workspace="w2"),
        failure(harness, "ben", ago=timedelta(days=8)),
    ]
    reply = await harness.reply_text(ANNA, "standup failures")
    assert reply.splitlines() == [
        "Niet bezorgd voor #team in de afgelopen 7 dagen: 3. De nieuwste eerst:",
        "• maandag 23 november om 07:30: herinnering aan Ben — chat.postMessage failed after 4 attempts: HTTP 503",
        "• maandag 23 november om 07:00: overzicht aan #team — chat.postMessage refused: not_in_channel",
        "• maandag 23 november om 05:00: stand-upvraag aan Ben — chat.postMessage refused: channel_not_found",
    ]
    # Chitra sees her own team's, at the time it was in Kolkata.
    other = await harness.reply_text(CHITRA, "standup failures", channel="other")
    assert "Dave" in other and "Monday 23 November at 10:30" in other and "Ben" not in other


async def test_at_most_ten_are_listed_and_the_rest_are_counted(harness: Harness) -> None:
    await _two_teams(harness)
    harness.failures.failures += [failure(harness, "ben", ago=timedelta(minutes=n)) for n in range(1, 14)]
    lines = (await harness.reply_text(ANNA, "standup failures")).splitlines()
    assert lines[0].endswith("7 dagen: 13. De nieuwste eerst:")
    assert len(lines) == 1 + 10 + 1
    assert "om 07:59" in lines[1] and "om 07:50" in lines[10]
    assert lines[-1] == "…en nog 3 oudere."


async def test_a_manager_without_failures_hears_that_everything_was_delivered(harness: Harness) -> None:
    await _two_teams(harness)
    harness.failures.failures.append(failure(harness, "ben", ago=timedelta(hours=1)))
    assert await harness.reply_text(CHITRA, "standup failures", channel="other") == (
        "Everything for #other was delivered in the past 7 days."
    )


async def test_members_who_are_not_managers_are_refused_and_nothing_changes(harness: Harness) -> None:
    await _two_teams(harness)
    harness.failures.failures.append(failure(harness, "ben", ago=timedelta(hours=1)))
    before = await harness.snapshot()
    reply = await harness.reply_text(BEN, "standup failures")
    assert "Only a manager of #team can do that" in reply and "Anna" in reply
    assert "channel_not_found" not in reply
    # A manager of another team is no manager here.
    assert "Only a manager of #team" in await harness.reply_text(CHITRA, "standup failures")
    assert await harness.snapshot() == before


async def test_words_after_the_command_are_refused_with_the_command_that_works(harness: Harness) -> None:
    await _two_teams(harness)
    reply = await harness.reply_text(ANNA, "standup failures 3")
    assert "`3` kan weg" in reply and "`/ritme standup failures`" in reply
    assert "standup failures" in await harness.reply_text(BEN, "help standup")
