"""The manager's report pages on the assembled server over real HTTP, with history made in the local chat: only
managers of the team open them, the stand-up filter narrows the history or says why it cannot, and the pulse page
shows an average only from k answers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from adapters.local import LocalUser
from rituals.model import Role
from rituals.ports import MemberDefaults
from tests.bot.dashboard_http import MONDAY_0900_AMSTERDAM, Site, run_pulse_round, run_standups

PAGES = ("standups", "participation", "pulse", "social")


def days_shown(body: str) -> list[str]:
    """The dates of the stand-ups a history page lists, in its order."""
    return re.findall(r'data-testid="standup-(\d{4}-\d{2}-\d{2})"', body)


async def test_only_the_teams_managers_open_its_report_pages(site: Site) -> None:
    store = site.ritme.store
    workspace = site.ritme.local.workspace_id
    team_id = await site.team_id()
    other = await store.upsert_team("local", workspace, "design", "design")
    dana = await store.upsert_member("local", workspace, "dana", "Dana", MemberDefaults(timezone="UTC", locale="en"))
    await store.set_role(other.id, dana.id, Role.MANAGER)
    site.ritme.local.add_user(LocalUser(user_id="dana", display_name="Dana", timezone="UTC", locale="en"))

    ben = await site.sign_in("ben")  # a member of the team, not a manager
    dana_cookie = await site.sign_in("dana")  # the manager of another team
    anna = await site.sign_in("anna")
    for page in PAGES:
        for cookie, team in ((ben, team_id), (dana_cookie, team_id), (anna, other.id)):
            status, headers, body = await site.get(f"/dashboard/teams/{team}/{page}", cookie)
            assert status == 403, (page, team)
            assert "Only the managers of a team" in body or "Alleen de managers" in body
            assert headers["X-Frame-Options"] == "DENY"
        status, headers, body = await site.get(f"/dashboard/teams/{team_id}/{page}", anna)
        assert status == 200, page
        # Charts and all: nothing inline that the Content-Security-Policy would have to allow.
        assert headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "<script" not in body and "style=" not in body
        # The sub-navigation marks the page it is on, and only that one.
        assert re.findall(r'data-testid="subnav-(\w+)" aria-current="page"', body) == [page]
        status, _, _ = await site.get(f"/dashboard/teams/{team_id}/{page}")
        assert status == 401
    status, _, body = await site.get(f"/dashboard/teams/{team_id}", anna)
    assert re.findall(r'data-testid="subnav-(\w+)" aria-current="page"', body) == ["team"]
    assert f'href="/dashboard/teams/{team_id}/pulse"' in body


async def test_search_and_dates_narrow_the_stand_up_history(site: Site) -> None:
    await run_standups(site)
    team_id = await site.team_id()
    anna = await site.sign_in("anna")
    path = f"/dashboard/teams/{team_id}/standups"

    status, _, body = await site.get(path, anna)
    assert status == 200
    assert days_shown(body) == ["2026-11-25", "2026-11-24", "2026-11-23"]  # newest first
    assert "woensdag 25 november" in body and "2 van de" in body
    # Blockers are labelled in words, not only by colour; "nee" and "none" are not blockers.
    assert body.count('<span class="tag blocker-tag">Blokkade</span>') == 2
    assert "Blokkade</span> VPN is down" in body and "Blokkade</span> Waiting for the API key" in body

    status, _, body = await site.get(path + "?q=STAGING&from=&to=", anna)
    assert status == 200 and days_shown(body) == ["2026-11-25", "2026-11-23"]
    assert "<mark>Staging</mark> fix" in body and "<mark>Staging</mark> deploy" in body
    assert "Billing" not in body and 'value="STAGING"' in body

    status, _, body = await site.get(path + "?q=staging&from=2026-11-24&to=2026-11-25", anna)
    assert status == 200 and days_shown(body) == ["2026-11-25"]
    assert 'value="2026-11-24"' in body and 'value="2026-11-25"' in body

    status, _, body = await site.get(path + "?from=2026-11-24&to=2026-11-24", anna)
    assert days_shown(body) == ["2026-11-24"]

    status, _, body = await site.get(path + "?q=zeppelin", anna)
    assert status == 200 and days_shown(body) == [] and "Geen stand-up past bij dit filter" in body


async def test_a_refused_filter_says_why_and_shows_everything(site: Site) -> None:
    await run_standups(site)
    team_id = await site.team_id()
    anna = await site.sign_in("anna")
    path = f"/dashboard/teams/{team_id}/standups"

    status, _, body = await site.get(path + "?q=staging&from=2026-11-31&to=", anna)
    assert status == 400
    assert "<code>2026-11-31</code> is geen datum" in body and "bijvoorbeeld 2026-11-23" in body
    assert 'value="2026-11-31"' in body and 'value="staging"' in body  # the form as typed, to fix it
    assert days_shown(body) == ["2026-11-25", "2026-11-24", "2026-11-23"]  # nothing was filtered

    status, _, body = await site.get(path + "?from=2026-11-25&to=2026-11-23", anna)
    assert status == 400
    assert "De begindatum 2026-11-25 ligt na de einddatum 2026-11-23; er is niets gefilterd" in body
    assert days_shown(body) == ["2026-11-25", "2026-11-24", "2026-11-23"]

    status, _, body = await site.get(path + "?page=0", anna)
    assert status == 400 and "<code>0</code> is geen paginanummer" in body

    # In the viewer's own language: Ben is English, so he hears it in English (from his own team's page: he is
    # made a manager for this).
    ben = await site.ritme.store.find_members("local", site.ritme.local.workspace_id, "ben")
    await site.ritme.store.set_role(team_id, ben[0].id, Role.MANAGER)
    ben_cookie = await site.sign_in("ben")
    status, _, body = await site.get(path + "?to=tomorrow", ben_cookie)
    assert status == 400 and "<code>tomorrow</code> is not a date; write it as year-month-day" in body


async def test_the_pulse_page_withholds_a_round_of_k_minus_one_and_says_why(site: Site) -> None:
    team_id = await site.team_id()
    anna = await site.sign_in("anna")
    status, _, body = await site.get(f"/dashboard/teams/{team_id}/pulse", anna)
    assert status == 200 and "heeft nog geen welzijnscheck" in body and "<code>/ritme pulse create" in body

    await run_pulse_round(site, answering=4)
    anna = await site.sign_in("anna")  # the round took a day: a fresh session
    status, _, body = await site.get(f"/dashboard/teams/{team_id}/pulse", anna)
    assert status == 200
    assert "Peiling" in body and "cijfers vanaf 5 antwoorden" in body
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 1 and 'role="img"' in body
    assert "4 van de 5 hebben geantwoord; de uitkomst verschijnt vanaf 5 antwoorden" in body
    # No figure anywhere: no point on a line, no value in an attribute, no average in the table.
    assert 'class="point"' not in body and "data-value" not in body and "gemiddeld 2,5" not in body
    assert "<td>niet getoond</td>" in body


async def test_the_pulse_page_shows_the_average_from_k_answers(site: Site) -> None:
    team_id = await site.team_id()
    await run_pulse_round(site, answering=5)
    anna = await site.sign_in("anna")
    status, _, body = await site.get(f"/dashboard/teams/{team_id}/pulse", anna)
    assert status == 200
    assert '<g class="point" data-value="3,0">' in body  # scores 1 to 5: an average of 3
    assert "<td>3,0</td>" in body and "gemiddeld 3,0 uit 5 antwoorden" in body
    assert "niet getoond" not in body


async def test_participation_and_social_pages_show_charts_with_tables(site: Site) -> None:
    team_id = await site.team_id()
    anna = await site.sign_in("anna")
    status, _, body = await site.get(f"/dashboard/teams/{team_id}/participation", anna)
    assert status == 200 and "In deze weken is niemand iets gevraagd" in body

    await run_standups(site)
    anna = await site.sign_in("anna")
    status, _, body = await site.get(f"/dashboard/teams/{team_id}/participation", anna)
    assert status == 200 and "De laatste 12 weken" in body
    assert 'class="chart chart-bar"' in body and "Deelname per week: stand-ups" in body
    assert "<th scope=\"row\">Week 48</th>" in body

    status, _, body = await site.get(f"/dashboard/teams/{team_id}/social", anna)
    assert status == 200
    assert "Er is nog geen borrel aangekondigd" in body and "<code>/ritme borrel create" in body
    assert "Nog geen ronde koffiekoppels" in body

    # A borrel announced on Friday; two of the four say they join.
    await site.chat.say("anna", "/ritme borrel create vr 16:30 45m https://meet.example/borrel")
    site.clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))  # 10:00 in Amsterdam: the invite goes out
    await site.ritme.dispatcher.tick()
    [invite] = [m for m in await site.chat.history("ben") if m["key"].startswith("borrel-invite:")]
    for user, answer in (("ben", "join"), ("lucas", "join"), ("priya", "no")):
        [button] = [b for b in invite["buttons"] if b["value"].endswith(f":{answer}")]
        await site.chat.press(user, button["action"], button["value"])
    anna = await site.sign_in("anna")
    status, _, body = await site.get(f"/dashboard/teams/{team_id}/social", anna)
    assert status == 200 and "Er is nog geen borrel aangekondigd" not in body
    assert '<g class="bar" data-value="50%">' in body  # 2 of the 4 in the team
    assert "27 nov: 2 doen mee, 0 misschien, 1 niet, van de 4 uitgenodigd (50%)" in body


async def test_a_long_history_pages_with_newer_and_older_links_that_keep_the_filter(site: Site) -> None:
    # Twenty-two stand-ups, one a day: a page holds twenty.
    for offset in range(22):
        site.clock.set(MONDAY_0900_AMSTERDAM + timedelta(days=offset, minutes=45))
        await site.chat.say("anna", "/ritme standup run 1")
        forms = [m["form"] for m in await site.chat.history("ben") if m.get("form")]
        await site.chat.answer("ben", forms[-1]["delivery_id"], ["Fine", f"Task {offset}", "nope"])
    team_id = await site.team_id()
    anna = await site.sign_in("anna")
    path = f"/dashboard/teams/{team_id}/standups"

    status, _, body = await site.get(path + "?q=task", anna)
    assert status == 200 and len(days_shown(body)) == 20 and days_shown(body)[0] == "2026-12-14"
    assert 'data-testid="newer"' not in body
    older = re.search(r'href="([^"]+)" rel="next" data-testid="older"', body)
    assert older is not None
    status, _, body = await site.get(older.group(1).replace("&amp;", "&"), anna)
    assert status == 200 and days_shown(body) == ["2026-11-24", "2026-11-23"]
    assert "Pagina 2" in body and 'value="task"' in body and 'data-testid="older"' not in body
    newer = re.search(r'href="([^"]+)" rel="prev" data-testid="newer"', body)
    assert newer is not None and "q=task" in newer.group(1) and "page=1" in newer.group(1)
