"""The dashboard's audit-log and "my data" pages on the assembled server over real HTTP: the audit log is for
managers, an export holds only the viewer's own data, and erasing needs the CSRF token and a confirmation and
then leaves no session and no sign-in link behind."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from http.cookies import SimpleCookie

from bot.dashboard import COOKIE
from rituals.dashboard import AUDIT_PAGE
from tests.bot.dashboard_http import CSRF, Site

ENTRY = re.compile(r'data-testid="audit-entry"')


async def _answer_the_stand_up(site: Site, answers: dict[str, list[str]]) -> None:
    """Run the demo's stand-up now and give each member's answers in the chat."""
    await site.chat.say("anna", "/ritme standup run 1")
    for user, values in answers.items():
        forms = [m for m in await site.chat.history(user) if m.get("form")]
        assert forms, f"{user} got no form"
        await site.chat.answer(user, forms[-1]["form"]["delivery_id"], values)


async def test_the_audit_page_is_for_managers_and_shows_changes_from_chat_and_the_page(site: Site) -> None:
    team_id = await site.team_id()
    await site.chat.say("anna", "/ritme standup pause 1")
    await site.chat.say("anna", "/ritme standup resume 1")
    anna = await site.sign_in("anna")
    status, _, page = await site.get(f"/dashboard/teams/{team_id}", anna)
    assert status == 200 and f'href="/dashboard/teams/{team_id}/audit"' in page
    csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
    status, _, _ = await site.post(f"/dashboard/teams/{team_id}/rituals/1",
                                   {"csrf": csrf, "at": "10:00", "days": "mon-fri"}, anna)
    assert status == 303

    status, _, body = await site.get(f"/dashboard/teams/{team_id}/audit", anna)
    assert status == 200 and "Auditlog van #team" in body and "Tijden staan in Europe/Amsterdam" in body
    assert len(ENTRY.findall(body)) == 3
    web, resume, pause = body.split('data-testid="audit-entry"')[1:]
    assert "dashboard" in web and "Anna de Vries" in web and "tijd 09:30 → 10:00, dagen ma-vr" in web
    assert "maandag 23 november 2026, 09:00" in web  # the fake clock's Monday 08:00 UTC, in Anna's zone
    assert "Tijd van de stand-up gewijzigd" in web
    assert "chat" in resume and "Stand-up hervat" in resume and "/ritme standup resume 1" in resume
    assert "Stand-up gepauzeerd" in pause
    assert "Oudere wijzigingen" not in body  # one page holds them all

    ben = await site.sign_in("ben")  # in the team, not its manager
    status, _, body = await site.get(f"/dashboard/teams/{team_id}/audit", ben)
    assert status == 403 and "Only the managers of a team" in body and "gepauzeerd" not in body
    status, _, _ = await site.get(f"/dashboard/teams/{team_id}/audit")
    assert status == 401
    for path in (f"/dashboard/teams/{team_id}/audit?older=abc", "/dashboard/teams/x/audit"):
        status, _, _ = await site.get(path, anna)
        assert status == 404, path


async def test_the_export_is_the_viewers_own_data_and_nobody_elses(site: Site) -> None:
    await _answer_the_stand_up(site, {"anna": ["Goed", "Anna's roadmap", "nee"],
                                      "ben": ["Fine", "Ben's own docs", "Waiting for the API key"]})
    ben = await site.sign_in("ben")
    status, _, page = await site.get("/dashboard/me", ben)
    assert status == 200 and 'href="/dashboard/me/data"' in page
    status, _, page = await site.get("/dashboard/me/data", ben)
    assert status == 200 and "your stand-up answers, with their date and questions: 1" in page
    assert 'href="/dashboard/me/export.json"' in page
    assert "anonymous pulse answers, because nothing links them to you" in page

    status, headers, body = await site.get("/dashboard/me/export.json", ben)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert headers["Content-Disposition"] == 'attachment; filename="ritme-my-data-2026-11-23.json"'
    assert headers["Cache-Control"] == "no-store"
    data = json.loads(body)
    assert data["profile"]["user_id"] == "ben" and data["profile"]["display_name"] == "Ben Carter"
    [answer] = data["standup_answers"]
    assert answer["answers"] == ["Fine", "Ben's own docs", "Waiting for the API key"]
    # Nothing about Anna (her answers, her name), and no secret of the session the export was asked with.
    assert "Anna's roadmap" not in body and "Anna de Vries" not in body and '"anna"' not in body
    assert ben not in body and CSRF.search(page).group(1) not in body  # type: ignore[union-attr]
    assert [row["member_id"] for row in data["other"]["dashboard_sessions"]] == [data["profile"]["id"]]

    anna = await site.sign_in("anna")  # Anna's export is hers, asked with her own session
    status, _, body = await site.get("/dashboard/me/export.json", anna)
    assert status == 200 and "Anna's roadmap" in body and "Ben's own docs" not in body
    status, _, _ = await site.get("/dashboard/me/export.json")
    assert status == 401


async def test_erasing_needs_the_csrf_token_and_a_confirmation(site: Site) -> None:
    store, workspace = site.ritme.store, site.ritme.local.workspace_id
    ben = await site.sign_in("ben")
    csrf = await site.csrf("/dashboard/me/data", ben)

    for data in ({"confirm": "yes"}, {"csrf": "forged", "confirm": "yes"}):
        status, _, body = await site.post("/dashboard/me/erase", data, ben)
        assert status == 403 and "nothing was changed" in body
    status, _, body = await site.post("/dashboard/me/erase", {"csrf": csrf}, ben)
    assert status == 400 and 'role="alert"' in body
    assert "Nothing was erased: tick the box that you understand, then press Erase me." in body
    assert 'aria-invalid="true"' in body
    assert await store.find_members("local", workspace, "ben") != []
    status, _, _ = await site.get("/dashboard", ben)
    assert status == 200


async def test_after_erasing_the_session_and_every_sign_in_link_are_gone(site: Site) -> None:
    store, workspace = site.ritme.store, site.ritme.local.workspace_id
    await _answer_the_stand_up(site, {"ben": ["Fine", "Docs", "nothing"]})
    ben = await site.sign_in("ben")
    other_browser = await site.sign_in("ben")
    unused_link = await site.link("ben")
    csrf = await site.csrf("/dashboard/me/data", ben)

    status, headers, body = await site.post("/dashboard/me/erase", {"csrf": csrf, "confirm": "yes"}, ben)
    assert status == 200 and "You are erased" in body and "Anonymous pulse answers stay" in body
    assert "Signed in as" not in body  # the page is shown signed out
    cleared = SimpleCookie(headers["Set-Cookie"])[COOKIE]
    assert cleared.value == "" and cleared["path"] == "/dashboard" and cleared["max-age"] == "0"
    assert await store.find_members("local", workspace, "ben") == []

    for cookie in (ben, other_browser):
        status, _, body = await site.get("/dashboard", cookie)
        assert status == 401 and "Please sign in" in body
    status, _, body = await site.get(unused_link)
    assert status == 403 and "Ritme does not know this link" in body
    # Anna, who made the stand-up, still has her account, and the team its stand-up.
    assert await store.find_members("local", workspace, "anna") != []
    assert "1. ochtend-check-in: ma-vr om 09:30" in await site.standup_list("anna")


async def test_older_changes_are_a_link_away_and_the_newest_one_back(site: Site) -> None:
    team_id = await site.team_id()
    audit = site.ritme.audit
    assert audit is not None
    for n in range(AUDIT_PAGE + 2):
        await audit.record(team_id=team_id, actor_member_id=None, source="chat", action="standup.pause",
                           detail=f"change {n:02d}", at=site.clock.now() + timedelta(seconds=n))
    anna = await site.sign_in("anna")
    status, _, body = await site.get(f"/dashboard/teams/{team_id}/audit", anna)
    assert status == 200 and len(ENTRY.findall(body)) == AUDIT_PAGE
    assert f"change {AUDIT_PAGE + 1:02d}" in body and "change 01" not in body
    assert "een inmiddels gewist lid" in body  # no actor: shown as an erased member, never as nobody
    older = re.search(r'href="(/dashboard/teams/\d+/audit\?older=\d+)" rel="next">Oudere wijzigingen', body)
    assert older is not None and "Terug naar de nieuwste wijzigingen" not in body
    status, _, body = await site.get(older.group(1), anna)
    assert status == 200 and ENTRY.findall(body) and "change 01" in body and "change 00" in body
    assert f"change {AUDIT_PAGE + 1:02d}" not in body and "change 02" not in body
    assert "Oudere wijzigingen" not in body and "Terug naar de nieuwste wijzigingen" in body
