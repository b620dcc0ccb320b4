"""The dashboard on the assembled server over real HTTP: a link from the local chat signs in once, sessions and
CSRF tokens guard every page and form, managers alone see their team, and a change from the page shows in chat."""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path

import aiohttp

from bot.dashboard.site import COOKIE
from bot.demo import seed_demo
from bot.settings import Settings
from bot.wiring import assemble, serving
from rituals.model import RitualKind, Role, StandupSettings
from rituals.ports import MemberDefaults, NewRitual
from tests.bot.dashboard_http import CSRF, LINK, MONDAY_0900_AMSTERDAM, Site, press_sign_in, session_cookie
from tests.bot.local_chat import PulseChat, text_of
from tests.rituals.harness import FakeClock


async def test_a_link_signs_in_once_with_a_guarded_cookie(site: Site) -> None:
    path = await site.link("ben")
    messages = await site.chat.history("ben")
    # The link itself came in Ben's direct conversation; in the channel only a private note.
    [link_message] = [m for m in messages if LINK.search(text_of(m))]
    assert link_message["conversation"] == "dm:ben"
    assert any("direct message" in text_of(m) and m["only_for"] == "ben" for m in messages)

    # A link checker's HEAD request, or a preview's or scanner's GET, does not spend the link: only its button does.
    async with site.session.head(f"{site.chat.base}{path}", allow_redirects=False) as response:
        assert response.status == 405 and "Set-Cookie" not in response.headers
    for _ in range(2):
        status, headers, body = await site.get(path)
        assert status == 200 and COOKIE not in headers["Set-Cookie"]
        assert "This link signs you in as Ben Carter, once." in body and 'data-testid="sign-in"' in body
    # Another site's form posting the link, without the page's check, would sign this browser in as Ben: refused,
    # and the link is kept for him.
    for form in ({}, {"check": "guessed"}):
        status, headers, _ = await site.post(path, form)
        assert status == 403 and "Set-Cookie" not in headers

    status, headers, _ = await site.press_sign_in(path)
    assert status == 303 and headers["Location"] == "/dashboard"
    session = session_cookie(headers)
    assert session["httponly"] and session["samesite"] == "Lax" and session["path"] == "/dashboard"
    assert session["secure"] and session["max-age"] == "28800"
    cookie = session.value
    for name, value in (("Content-Security-Policy", "default-src 'self'"), ("X-Frame-Options", "DENY"),
                        ("Referrer-Policy", "no-referrer"), ("Cache-Control", "no-store")):
        assert value in headers[name]

    status, headers, body = await site.get("/dashboard", cookie)
    assert status == 200 and "Teams you are in" in body and "#team" in body and "Signed in as Ben Carter" in body
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "<script" not in body and "style=" not in body  # nothing inline the policy would have to allow

    status, headers, body = await site.get(path)  # the same link again
    assert status == 410 and "Set-Cookie" not in headers
    assert "This link was used already" in body and "<code>/ritme dashboard</code>" in body


async def test_an_expired_or_unknown_link_is_refused_and_says_how_to_get_one(site: Site) -> None:
    path = await site.link("anna")
    site.clock.advance(timedelta(minutes=5))
    status, headers, body = await site.get(path)
    assert status == 410 and "Set-Cookie" not in headers
    assert "This link has expired: a sign-in link works for 5 minutes." in body
    # Without a session the page speaks the browser's language, if Ritme speaks it.
    status, headers, body = await site.get(path, **{"Accept-Language": "de-DE,nl-NL;q=0.9"})
    assert "Deze link is verlopen: een inloglink werkt 5 minuten." in body and '<html lang="nl">' in body
    status, _, body = await site.get("/dashboard/signin/" + "A" * 43)
    assert status == 403 and "Ritme does not know this link" in body
    assert "<code>/ritme dashboard</code>" in body


async def test_without_a_session_every_page_asks_to_sign_in(site: Site) -> None:
    for path in ("/dashboard", "/dashboard/me", f"/dashboard/teams/{await site.team_id()}"):
        status, headers, body = await site.get(path, **{"Accept-Language": "nl"})
        assert status == 401, path
        assert "Log eerst in" in body and "<code>/ritme dashboard</code>" in body
        assert headers["Cache-Control"] == "no-store"
    status, _, body = await site.get("/dashboard", "not-a-session")
    assert status == 401 and "Please sign in" in body
    status, _, _ = await site.post("/dashboard/me", {"timezone": "UTC"})
    assert status == 401


async def test_a_member_gets_403_on_a_manager_page_and_on_another_teams(site: Site) -> None:
    store = site.ritme.store
    workspace = site.ritme.local.workspace_id
    other = await store.upsert_team("local", workspace, "design", "design")
    dana = await store.upsert_member("local", workspace, "dana", "Dana", MemberDefaults(timezone="UTC", locale="en"))
    await store.set_role(other.id, dana.id, Role.MANAGER)
    team_id = await site.team_id()
    [ritual] = await store.rituals(team_id)

    ben = await site.sign_in("ben")
    for path in (f"/dashboard/teams/{team_id}", f"/dashboard/teams/{other.id}", f"/dashboard/teams/{other.id + 50}"):
        status, _, body = await site.get(path, ben)
        assert status == 403, path
        assert "Only the managers of a team can open its page" in body
    csrf = await site.csrf("/dashboard", ben)
    before = await site.standup_list("ben")
    status, _, _ = await site.post(f"/dashboard/teams/{team_id}/rituals/{ritual.id}",
                                   {"csrf": csrf, "at": "06:00", "days": "sat"}, ben)
    assert status == 403
    assert await site.standup_list("ben") == before

    anna = await site.sign_in("anna")  # the demo team's manager: her team opens, another team's does not
    status, _, body = await site.get(f"/dashboard/teams/{team_id}", anna)
    assert status == 200 and "Team #team" in body
    status, _, body = await site.get(f"/dashboard/teams/{other.id}", anna)
    assert status == 403 and "Alleen de managers" in body
    status, _, _ = await site.get("/dashboard/teams/abc", anna)
    assert status == 404


async def test_a_post_without_the_csrf_token_changes_nothing(site: Site) -> None:
    team_id = await site.team_id()
    [ritual] = await site.ritme.store.rituals(team_id)
    anna = await site.sign_in("anna")
    before = await site.standup_list("anna")
    path = f"/dashboard/teams/{team_id}/rituals/{ritual.id}"
    for data in ({"at": "10:15", "days": "mon-fri"}, {"csrf": "forged", "at": "10:15", "days": "mon-fri"}):
        status, headers, body = await site.post(path, data, anna)
        assert status == 403 and "er is niets gewijzigd" in body and headers["X-Frame-Options"] == "DENY"
    status, _, _ = await site.post("/dashboard/me", {"timezone": "UTC", "hours": "08:00-16:00", "days": "mon",
                                                     "language": "en", "country": "", "away_until": ""}, anna)
    assert status == 403
    status, _, _ = await site.post("/dashboard/signout", {}, anna)
    assert status == 403
    assert await site.standup_list("anna") == before
    assert (await site.ritme.store.rituals(team_id))[0] == ritual
    status, _, _ = await site.get("/dashboard", anna)
    assert status == 200  # the refused sign-out did not sign her out either


async def test_a_manager_changes_a_stand_up_time_and_chat_shows_it(site: Site) -> None:
    team_id = await site.team_id()
    [ritual] = await site.ritme.store.rituals(team_id)
    anna = await site.sign_in("anna")
    status, _, page = await site.get(f"/dashboard/teams/{team_id}", anna)
    assert status == 200
    assert "Stand-up" in page and "Actief" in page and "Volgende keer: maandag 23 november om 09:30" in page
    assert 'value="09:30"' in page and 'value="mon-fri"' in page
    csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
    path = f"/dashboard/teams/{team_id}/rituals/{ritual.id}"

    status, _, body = await site.post(path, {"csrf": csrf, "at": "9h30", "days": "weekend"}, anna)
    assert status == 400
    assert "Er is niets gewijzigd" in body and "<code>9h30</code> is geen tijd" in body
    assert "<code>weekend</code> is geen reeks dagen" in body and 'value="9h30"' in body
    assert (await site.ritme.store.rituals(team_id))[0] == ritual

    status, headers, _ = await site.post(path, {"csrf": csrf, "at": "10:15", "days": "mon-thu"}, anna)
    assert status == 303 and headers["Location"].startswith(f"/dashboard/teams/{team_id}?saved={ritual.id}")
    status, _, body = await site.get(headers["Location"].split("#")[0], anna)
    assert "Opgeslagen: stand-up 1 is nu op ma-do om 10:15, overzicht om 11:45" in body
    assert "ma-do om 10:15, overzicht 11:45" in await site.standup_list("anna")
    [changed] = await site.ritme.store.rituals(team_id)
    assert (changed.at, changed.days, changed.standup.digest_at) == (time(10, 15), (0, 1, 2, 3), time(11, 45))


async def test_other_rituals_show_in_words_with_their_next_run(site: Site) -> None:
    store = site.ritme.store
    team_id = await site.team_id()
    [standup] = await store.rituals(team_id)
    await store.add_ritual(NewRitual(team_id=team_id, kind=RitualKind.STANDUP, at=time(16, 0), days=(4,),
                                     timezone="Europe/Amsterdam", locale="en",
                                     settings=StandupSettings(template="checkout", digest_at=time(17, 0)),
                                     created_by=standup.created_by))
    await store.set_paused(standup.id, True)
    anna = await site.sign_in("anna")
    status, _, body = await site.get(f"/dashboard/teams/{team_id}", anna)
    assert status == 200
    assert "Gepauzeerd" in body and "Geen volgende keer zolang het gepauzeerd is" in body
    assert "Volgende keer: vrijdag 27 november om 16:00 (Europe/Amsterdam)" in body


async def test_my_settings_are_edited_on_the_page(site: Site) -> None:
    ben = await site.sign_in("ben")
    status, _, page = await site.get("/dashboard/me", ben)
    assert status == 200 and 'value="Europe/London"' in page and '<label for="hours">' in page
    csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
    form = {"csrf": csrf, "timezone": "Europe/Lisbon", "hours": "08:00-16:30", "days": "mon-thu", "language": "nl",
            "country": "pt", "away_until": ""}
    status, _, body = await site.post("/dashboard/me", {**form, "hours": "17:00-08:00", "timezone": "Lisbon"}, ben)
    assert status == 400 and "Nothing was changed" in body
    assert "<code>Lisbon</code> is not a time zone I know" in body and "the end is not after the start" in body
    assert (await site.ritme.store.find_members("local", site.ritme.local.workspace_id, "ben"))[0].timezone == (
        "Europe/London")

    status, headers, _ = await site.post("/dashboard/me", form, ben)
    assert status == 303 and headers["Location"] == "/dashboard/me?saved=1"
    status, _, page = await site.get("/dashboard/me?saved=1", ben)
    assert "Je instellingen zijn opgeslagen." in page and 'value="08:00-16:30"' in page  # now in Dutch
    await site.chat.say("ben", "/ritme me")
    shown = text_of((await site.chat.history("ben"))[-1])
    assert "Europe/Lisbon" in shown and "08:00" in shown and "16:30" in shown


async def test_signing_out_ends_the_session(site: Site) -> None:
    ben = await site.sign_in("ben")
    csrf = await site.csrf("/dashboard", ben)
    status, headers, body = await site.post("/dashboard/signout", {"csrf": csrf}, ben)
    assert status == 200 and "You are signed out" in body
    assert session_cookie(headers)["path"] == "/dashboard" and session_cookie(headers).value == ""
    status, _, _ = await site.get("/dashboard", ben)
    assert status == 401


async def test_the_stylesheet_is_served_by_ritme(site: Site) -> None:
    status, headers, body = await site.get("/dashboard/static/dashboard.css")
    assert status == 200 and "text/css" in headers["Content-Type"] and ":focus-visible" in body
    assert "http" not in body  # no font, image or anything else from elsewhere


async def test_a_http_public_url_leaves_the_cookie_without_secure(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/ritme.db", port=0)  # type: ignore[call-arg]
    async with assemble(settings, FakeClock(MONDAY_0900_AMSTERDAM)) as ritme, serving(ritme, with_timer=False) as url:
        await seed_demo(ritme)
        async with aiohttp.ClientSession() as session:
            chat = PulseChat(session, url)
            await chat.say("ben", "/ritme dashboard")
            found = re.search(r"(/dashboard/signin/[A-Za-z0-9_-]+)", text_of((await chat.history("ben"))[-2]))
            assert found is not None
            status, headers, _ = await press_sign_in(session, url + found.group(1))
            assert status == 303
            kept = session_cookie(headers)
            assert kept["httponly"] and not kept["secure"]
