"""The reports read what the real engine wrote: a stand-up run in chat shows up in history as its digest told it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from rituals.catalog import Catalog
from rituals.reports import Reports, StandupFilter
from storage.reports import SqlReportStore
from tests.rituals.harness import ANNA, BEN, Harness, Person, forms, posts, to

DIRK = Person("dirk", "Dirk")


async def test_history_and_participation_match_the_digest_of_a_stand_up_run_in_chat(harness: Harness) -> None:
    await harness.command(ANNA, "standup create at 09:30 on mon-fri")
    await harness.join(BEN)
    await harness.join(DIRK)
    harness.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))
    sent = await harness.due()
    anna, ben = forms(to(sent, ANNA))[0], forms(to(sent, BEN))[0]
    await harness.answer(ANNA, anna.delivery_id, ["Goed", "De release", "Wacht op review van Ben"])
    await harness.answer(BEN, ben.delivery_id, ["Fine", "Docs", "nope, all good"])
    harness.clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    [digest] = posts(await harness.due())
    await harness.answer(DIRK, forms(to(sent, DIRK))[0].delivery_id, ["Late", "Billing", "VPN is down"])

    team = await harness.store.find_team("local", "w1", "team")
    assert team is not None
    reports = Reports(store=SqlReportStore(harness.store.engine), catalog=Catalog())
    page = await reports.standup_history(team.id, StandupFilter(), "en")
    [day] = page.days
    assert day.local_date == date(2026, 11, 23) and (day.prompted, day.answered) == (3, 3)
    flagged = {m.display_name: m.has_blocker for m in day.members}
    assert flagged == {"Anna": True, "Ben": False, "Dirk": True}
    # The digest, posted before Chitra's late answer, highlighted exactly Anna's.
    bullets = [line for line in digest.text.as_plain().splitlines() if line.startswith("• ")]
    assert bullets == ["• Anna: Wacht op review van Ben"]
    assert [m.late for m in day.members] == [False, False, True]
    found = await reports.standup_history(team.id, StandupFilter(search="vpn"), "en")
    assert [m.display_name for d in found.days for m in d.members] == ["Dirk"]
    found = await reports.participation(team.id, date(2026, 11, 23), date(2026, 11, 29))
    turnouts, weeks = found.occurrences, found.weeks
    assert [(t.kind, t.prompted, t.answered, t.rate) for t in turnouts] == [("standup", 3, 3, 1.0)]
    assert [(w.week, w.rate) for w in weeks] == [(48, 1.0)]
