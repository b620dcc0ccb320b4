"""Hostile values through the assembled server over real HTTP: typed in the local chat, stored, and shown again on
the dashboard's pages, escaped; hostile and oversized values in the dashboard's forms and the chat's API refused
with a message naming the problem, nothing changed, nothing stored, never a 500."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

from hypothesis import given, settings
from markupsafe import Markup

from bot.dashboard.report_pages import marked
from rituals.dashboard import MAX_FORM_FIELD_LENGTH
from rituals.standup import MAX_ANSWER_LENGTH
from tests.bot.dashboard_http import CSRF, MONDAY_0900_AMSTERDAM, Site
from tests.bot.dashboard_http import site as site  # the fixture: the demo on the assembled server
from tests.bot.local_chat import text_of
from tests.security.hostile_strategies import hostile_text

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(2)>'
# A tag a browser would run or load, as it would appear unescaped in the served HTML.
_ACTIVE = re.compile(r"<script>alert|<img src=x|<svg onload", re.IGNORECASE)


async def _stand_up_form(site: Site, user: str) -> dict[str, object]:
    forms = [m["form"] for m in await site.chat.history(user)
             if m.get("form") and not any(field.get("choices") for field in m["form"]["fields"])]
    return forms[-1]


async def test_hostile_answers_and_names_are_shown_escaped_on_the_dashboard(site: Site) -> None:
    hostile_name = f"{SCRIPT[:20]}x"
    await site.chat.add(hostile_name)
    store = site.ritme.store
    team_id = await site.team_id()
    [standup] = await store.rituals(team_id)
    site.clock.set(MONDAY_0900_AMSTERDAM + timedelta(minutes=45))
    await site.chat.say("anna", "/ritme standup run 1")
    form = await _stand_up_form(site, "ben")
    answers = [SCRIPT, IMAGE, "<!channel> @here </textarea><svg onload=alert(3)>"]

    # An answer over the engine's limit (the chat's API takes up to 4,000 characters, see below): refused in the
    # member's words, and nothing of it stored.
    await site.chat.answer("ben", int(str(form["delivery_id"])), ["x" * 2_500, "ok", "ok"])
    refusal = text_of((await site.chat.history("ben"))[-1])
    assert f"{MAX_ANSWER_LENGTH}" in refusal and "2500" in refusal, refusal
    # A NUL or a right-to-left override in an answer: refused, naming the character, nothing stored.
    await site.chat.answer("ben", int(str(form["delivery_id"])), ["fine\x00", "ok", "ok \u202egnp.exe"])
    refusal = text_of((await site.chat.history("ben"))[-1])
    assert "U+0000" in refusal and "nothing was saved" in refusal, refusal
    await site.chat.answer("ben", int(str(form["delivery_id"])), answers)
    await site.chat.say("anna", "/ritme standup digest 1")

    anna = await site.sign_in("anna")
    for path in (f"/dashboard/teams/{team_id}", f"/dashboard/teams/{team_id}/standups",
                 f"/dashboard/teams/{team_id}/standups?q=%3Cscript%3E", f"/dashboard/teams/{team_id}/participation",
                 f"/dashboard/teams/{team_id}/audit"):
        status, headers, body = await site.get(path, anna)
        assert status == 200, (path, body[:500])
        assert not _ACTIVE.search(body), path
        assert "unsafe-inline" not in headers["Content-Security-Policy"]  # so even a missed escape would not run
    status, _, body = await site.get(f"/dashboard/teams/{team_id}/standups", anna)
    assert html.escape(SCRIPT, quote=False) in body and "&lt;img src=x onerror=alert(2)&gt;" in body
    assert "x" * 2_500 not in body  # the refused answer was not kept
    status, _, body = await site.get(f"/dashboard/teams/{team_id}/standups?q=%3Cscript%3E", anna)
    assert "<mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt;" in body
    status, _, body = await site.get(f"/dashboard/teams/{team_id}", anna)
    assert html.escape(hostile_name, quote=False) in body or html.escape(hostile_name) in body
    assert (await store.rituals(team_id))[0] == standup


async def test_hostile_and_oversized_dashboard_form_values_are_refused_by_field_and_change_nothing(site: Site) -> None:
    store = site.ritme.store
    team_id = await site.team_id()
    [ritual] = await store.rituals(team_id)
    anna = await site.sign_in("anna")
    status, _, page = await site.get(f"/dashboard/teams/{team_id}", anna)
    csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
    path = f"/dashboard/teams/{team_id}/rituals/{ritual.id}"

    status, _, body = await site.post(path, {"csrf": csrf, "at": SCRIPT, "days": IMAGE, "digest": "\x00",
                                             "remind": "\u202e30m"}, anna)
    assert status == 400 and not _ACTIVE.search(body)
    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code> is geen tijd" in body
    assert 'value="&#34;&gt;&lt;img src=x onerror=alert(2)&gt;"' in body or 'value="&quot;&gt;&lt;img' in body

    status, _, body = await site.post(path, {"csrf": csrf, "at": "9" * 100_000, "days": "mon-fri"}, anna)
    assert status == 400 and len(body) < 100_000
    assert f"Dat zijn 100000 tekens; dit veld neemt er hooguit {MAX_FORM_FIELD_LENGTH}" in body
    assert "<code>09:30</code>" in body  # a value that fits
    assert (await store.rituals(team_id))[0] == ritual

    [before] = await store.find_members("local", site.ritme.local.workspace_id, "ben")
    ben = await site.sign_in("ben")
    status, _, page = await site.get("/dashboard/me", ben)
    me_csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
    form = {"csrf": me_csrf, "timezone": "../../../etc/passwd", "hours": "08:00-16:30\x00", "days": SCRIPT,
            "language": "nl", "country": "x" * 10_000, "away_until": ""}
    status, _, body = await site.post("/dashboard/me", form, ben)
    assert status == 400 and not _ACTIVE.search(body) and "Nothing was changed" in body
    assert "at most 64" in body and "<code>NL</code>" in body  # the country field, by its limit
    assert await store.find_members("local", site.ritme.local.workspace_id, "ben") == [before]


async def test_the_chats_api_answers_hostile_bodies_with_a_message_never_a_500(site: Site) -> None:
    session, base = site.chat.session, site.chat.base
    bodies: list[object] = [
        {"user": "anna", "conversation": "channel:team", "text": "x" * 100_000, "event_id": "e1"},
        {"user": "../anna", "conversation": "channel:team", "text": "/ritme help", "event_id": "e2"},
        {"user": "anna\x00", "conversation": "channel:team", "text": "/ritme help", "event_id": "e3"},
        {"user": "anna", "conversation": "channel:../../team", "text": "/ritme help", "event_id": "e4"},
        {"user": "anna", "conversation": "channel:team", "text": ["/ritme help"], "event_id": "e5"},
        {"user": "anna", "conversation": "channel:team", "text": "/ritme help", "event_id": "e" * 10_000},
        {"user": {"$ne": None}, "text": "/ritme help"},
        [1, 2, 3], "\u202e", None, 1e308,
    ]
    for body in bodies:
        async with session.post(f"{base}/api/command", data=json.dumps(body),
                                headers={"Content-Type": "application/json"}) as response:
            answer = await response.json()
            assert response.status in (400, 404, 413), (body, response.status, answer)
            assert isinstance(answer["error"], str) and answer["error"].strip(), answer
    for name in ("x" * 100_000, "Ada\x00", "Ada\u202e", "", "\n"):
        async with session.post(f"{base}/api/users", json={"display_name": name, "timezone": "Europe/Amsterdam",
                                                           "locale": "en"}) as response:
            assert response.status == 400 and (await response.json())["error"].strip()
    async with session.post(f"{base}/api/answer", json={"user": "anna", "delivery_id": 1, "event_id": "a1",
                                                         "values": ["x" * 100_000]}) as response:
        assert response.status == 400 and "4000" in (await response.json())["error"]
    async with session.post(f"{base}/api/command", data="{" * 100_000,
                            headers={"Content-Type": "application/json"}) as response:
        assert response.status == 400 and "/ritme help" in (await response.json())["error"]
    # Past aiohttp's 1 MiB the body is not read at all; the refusal still speaks the member's language.
    async with session.post(f"{base}/api/command", data=b'{"text": "' + b"x" * 2_000_000 + b'"}',
                            headers={"Content-Type": "application/json", "Accept-Language": "nl"}) as response:
        assert response.status == 413 and "1048576 bytes" in (await response.json())["error"]
    names = [user["display_name"] for user in (await (await session.get(f"{base}/api/directory")).json())["users"]]
    assert not any("\x00" in name or len(name) > 80 for name in names)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(answer=hostile_text(300), search=hostile_text(30))
def test_a_searched_answer_is_escaped_with_only_mark_tags_added(answer: str, search: str) -> None:
    shown = marked(answer, search)
    assert isinstance(shown, Markup)
    bare = str(shown).replace("<mark>", "").replace("</mark>", "")
    assert "<" not in bare and ">" not in bare
    assert html.unescape(bare) == answer
