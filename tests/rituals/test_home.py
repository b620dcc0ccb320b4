"""The personal overview (Slack's App Home tab): a member's rituals and next prompt, settings, and managed teams."""

from __future__ import annotations

from datetime import timedelta

from rituals.outbound import HomeView, MemberAddress
from rituals.ports import DeliveryFailure
from tests.rituals.harness import ANNA, BEN, CHITRA, Harness, Person, forms, to

DAVE = Person("dave", "Dave", "Europe/London", "en")


def sections(view: HomeView) -> dict[str, list[str]]:
    """Each section's title with its lines, as the member reads them."""
    return {section.title: section.text.as_plain().splitlines() for section in view.sections}


async def _team(harness: Harness, *people: Person) -> None:
    await harness.command(ANNA, "standup create at 09:30 on mon-fri")
    for person in people:
        await harness.join(person)


async def test_a_member_sees_their_ritual_and_their_next_prompt_in_their_own_time(harness: Harness) -> None:
    await _team(harness, BEN, CHITRA)
    ben = await harness.home(BEN)
    assert ben.to == MemberAddress(platform="local", workspace_id="w1", user_id="ben")
    assert sections(ben)["Your rituals"] == [
        "#team — morning check-in: Mon-Fri at 09:30, digest 11:00 (Europe/Amsterdam)",
        "Your next prompt: today at 09:30, your time.",
    ]
    # It is 12:30 in Kolkata on Monday: Chitra's 09:30 has passed, so tomorrow's is next.
    assert sections(await harness.home(CHITRA))["Your rituals"][1] == "Your next prompt: tomorrow at 09:30, your time."
    # As the planner does: a later start waits for it, days away are skipped.
    await harness.command(BEN, "me hours 10:00-18:00")
    assert "today at 10:00" in sections(await harness.home(BEN))["Your rituals"][1]
    await harness.command(BEN, "me away until 2026-11-24")
    assert sections(await harness.home(BEN))["Your rituals"][1] == (
        "Your next prompt: Wednesday 25 November at 10:00, your time."
    )
    # And the prompt it announces is the one that comes, not a minute before.
    harness.clock.set(harness.clock.now() + timedelta(days=2, hours=1, minutes=59))
    assert forms(to(await harness.due(), BEN)) == []
    harness.clock.advance(timedelta(minutes=1))
    assert [form.to.user_id for form in forms(to(await harness.due(), BEN))] == ["ben"]


async def test_paused_and_unreachable_rituals_say_so(harness: Harness) -> None:
    await _team(harness, BEN)
    await harness.command(ANNA, "standup create weekstart on sat")
    await harness.command(ANNA, "standup pause 1")
    assert sections(await harness.home(BEN))["Your rituals"] == [
        "#team — morning check-in: Mon-Fri at 09:30, digest 11:00 (Europe/Amsterdam)",
        "Paused: nobody is asked until a manager resumes it.",
        "#team — Monday week start: Sat at 09:00, digest 11:00 (Europe/Amsterdam)",
        "You are not asked: it falls outside your working days or hours. `/ritme me` shows them.",
    ]


async def test_settings_are_shown_with_commands_that_change_them(harness: Harness) -> None:
    await _team(harness, BEN)
    await harness.command(BEN, "me days mon-thu")
    await harness.command(BEN, "me away until 2026-11-30")
    settings = sections(await harness.home(BEN))["Your settings"]
    assert settings[:5] == [
        "Time zone: Europe/Amsterdam",
        "Working hours: 09:00-17:30 on Mon-Thu",
        "Language: English",
        "Public holidays of NL (the default): no messages then.",
        "Away until Monday 30 November: no prompts till then.",
    ]
    assert "`/ritme me timezone Europe/Amsterdam`" in settings[5]
    assert "`/ritme me away until 2026-11-30`" in settings[5]  # an example a week ahead


async def test_a_dutch_member_reads_it_in_dutch(harness: Harness) -> None:
    await _team(harness, BEN)
    anna = sections(await harness.home(ANNA))
    assert list(anna) == ["Jouw rituelen", "Jouw instellingen", "Teams die jij beheert"]
    assert anna["Jouw rituelen"] == [
        "#team — ochtend-check-in: ma-vr om 09:30, overzicht 11:00 (Europe/Amsterdam)",
        "Je volgende vraag: vandaag om 09:30, jouw tijd.",
    ]
    assert anna["Jouw instellingen"][0] == "Tijdzone: Europe/Amsterdam"


async def test_a_manager_sees_the_teams_they_manage_with_their_failures(harness: Harness) -> None:
    await _team(harness, BEN)
    await harness.command(BEN, "standup create checkout", channel="other")
    await harness.join(DAVE, channel="other")
    now = harness.clock.now()
    harness.failures.failures += [
        DeliveryFailure(platform="local", workspace_id="w1", recipient="dave", kind="form", key="standup-form:3",
                        error="chat.postMessage refused: user_not_found", failed_at=now - timedelta(hours=1)),
        DeliveryFailure(platform="local", workspace_id="w1", recipient="anna", kind="form", key="standup-form:1",
                        error="chat.postMessage refused: x", failed_at=now - timedelta(hours=2)),
    ]
    ben = sections(await harness.home(BEN))
    assert ben["Teams you manage"] == [
        "#other",
        "2. end-of-day check-out: Mon-Fri at 16:30, digest 17:30 (Europe/Amsterdam)",
        "Not delivered in the past 7 days: 1. The latest, Monday 23 November at 07:00: stand-up prompt to Dave — "
        "chat.postMessage refused: user_not_found. `/ritme standup failures` in #other lists them.",
    ]
    # Ben is only a member of #team: its stand-up is his, but its management (and Anna's failure) is not.
    assert [line for line in ben["Your rituals"] if line.startswith("#")] == [
        "#other — end-of-day check-out: Mon-Fri at 16:30, digest 17:30 (Europe/Amsterdam)",
        "#team — morning check-in: Mon-Fri at 09:30, digest 11:00 (Europe/Amsterdam)",
    ]
    anna = sections(await harness.home(ANNA))["Teams die jij beheert"]
    assert anna[0] == "#team" and "overzicht 11:00" in anna[1]
    assert "Niet bezorgd in de afgelopen 7 dagen: 1" in anna[2] and "stand-upvraag aan Anna" in anna[2]
    assert "Teams you manage" not in sections(await harness.home(DAVE))


async def test_someone_in_no_team_is_told_how_to_start(harness: Harness) -> None:
    await _team(harness, BEN)
    view = sections(await harness.home(DAVE))
    assert view["Your rituals"] == [
        "You have no rituals yet. Start a daily stand-up by typing `/ritme standup create at 09:30 on mon-fri` in "
        "your team's channel."
    ]
    assert list(view) == ["Your rituals", "Your settings"]


async def test_names_people_chose_stay_their_own_words(harness: Harness) -> None:
    await harness.command(ANNA, "standup create", channel="<!channel>")
    view = await harness.home(ANNA)
    spans = [span for section in view.sections for line in section.text.lines for span in line]
    named = [span for span in spans if "<!channel>" in span.text]
    assert named and all(span.user for span in named)
    assert all(span.user for span in spans if "<" in span.text)
