"""The dashboard and the local chat over real HTTP on the assembled server: sign-in starts a fresh session and ends
any the browser held, a link signs in once, another site cannot post to either, no redirect leaves Ritme, and every
response carries the security headers (a Content-Security-Policy without 'unsafe-inline')."""

from __future__ import annotations

import asyncio
from http.cookies import SimpleCookie

import aiohttp
from multidict import CIMultiDictProxy

from bot.dashboard.site import COOKIE, SIGN_IN_CHECK
from tests.bot.dashboard_http import CHECK, PUBLIC, Site, press_sign_in, session_cookie
from tests.bot.dashboard_http import site as site  # the fixture: the demo on the assembled server

EVIL = "https://evil.example"


async def press_with_cookie(site: Site, path: str, planted: str) -> tuple[int, str]:
    """Open a sign-in link and press its button in a browser that already holds `planted` as its session cookie;
    the status and the Location the button's answer sends the browser to."""
    url = f"{site.chat.base}{path}"
    cookie = {"Cookie": f"{COOKIE}={planted}"}
    async with site.session.get(url, headers=cookie, allow_redirects=False) as page:
        body = await page.text()
        kept = SimpleCookie(page.headers["Set-Cookie"])[SIGN_IN_CHECK].value
    check = CHECK.search(body)
    assert check is not None
    headers = {"Cookie": f"{COOKIE}={planted}; {SIGN_IN_CHECK}={kept}"}
    async with site.session.post(url, data={"check": check.group(1)}, headers=headers,
                                 allow_redirects=False) as response:
        return response.status, session_cookie(response.headers).value


async def test_sign_in_issues_a_fresh_session_and_ends_the_one_the_browser_had(site: Site) -> None:
    # An id an attacker made up and put in Ben's browser: never accepted, and not the one he gets.
    status, fresh = await press_with_cookie(site, await site.link("ben"), "chosen-by-the-attacker")
    assert status == 303 and fresh != "chosen-by-the-attacker"
    assert (await site.get("/dashboard", "chosen-by-the-attacker"))[0] == 401
    assert (await site.get("/dashboard", fresh))[0] == 200

    # A real session (the attacker's own, planted in Anna's browser) is not kept either: it ends when she signs in.
    attackers = await site.sign_in("ben")
    status, annas = await press_with_cookie(site, await site.link("anna"), attackers)
    assert status == 303 and annas not in (attackers, fresh)
    assert (await site.get("/dashboard", attackers))[0] == 401
    status, _, body = await site.get("/dashboard", annas)
    assert status == 200 and "Anna" in body


async def test_a_link_works_once_even_pressed_twice_at_once(site: Site) -> None:
    url = f"{site.chat.base}{await site.link('ben')}"
    # The link's page opened in two tabs, then both buttons pressed at the same moment: one session, one refusal.
    presses = []
    for _ in range(2):
        async with site.session.get(url, allow_redirects=False) as page:
            check = CHECK.search(await page.text())
            assert check is not None
            kept = SimpleCookie(page.headers["Set-Cookie"])[SIGN_IN_CHECK].value
        presses.append(site.session.post(url, data={"check": check.group(1)},
                                         headers={"Cookie": f"{SIGN_IN_CHECK}={kept}"}, allow_redirects=False))
    answers = await asyncio.gather(*presses)
    bodies = {response.status: await response.text() for response in answers}
    assert sorted(bodies) == [303, 410]
    assert "This link was used already" in bodies[410] and "<code>/ritme dashboard</code>" in bodies[410]
    sessions = [cookie for response in answers for cookie in response.headers.getall("Set-Cookie", [])
                if cookie.startswith(f"{COOKIE}=")]
    assert len(sessions) == 1


async def test_a_cross_site_post_is_refused_and_changes_nothing(site: Site) -> None:
    team_id = await site.team_id()
    [ritual] = await site.ritme.store.rituals(team_id)
    anna = await site.sign_in("anna")
    csrf = await site.csrf(f"/dashboard/teams/{team_id}", anna)
    path = f"{site.chat.base}/dashboard/teams/{team_id}/rituals/{ritual.id}"
    form = {"csrf": csrf, "at": "06:00", "days": "sat", "digest": "07:00"}
    # Even with the session's own token (say, leaked): a post another site's page makes is refused.
    # What a browser says of a post another site's page makes: Sec-Fetch-Site, or (older browsers) just Origin.
    cross_site = [{"Sec-Fetch-Site": "cross-site", "Origin": EVIL}, {"Sec-Fetch-Site": "same-site"},
                  {"Origin": EVIL}, {"Origin": "null"}, {"Origin": "https://ritme.example.com.evil.example"}]
    for said in cross_site:
        headers = {"Cookie": f"{COOKIE}={anna}", "Accept-Language": "nl", **said}
        async with site.session.post(path, data=form, headers=headers, allow_redirects=False) as response:
            body = await response.text()
            assert response.status == 403, said
            assert "kwam van een andere website" in body and PUBLIC in body
            assert response.headers["X-Frame-Options"] == "DENY"
    assert (await site.ritme.store.rituals(team_id))[0] == ritual
    # The local chat's writes too: nobody's command runs from another site's page.
    before = await site.chat.history("ben")
    async with site.session.post(f"{site.chat.base}/api/command", headers={"Origin": EVIL},
                                 json={"user": "ben", "conversation": "channel:team", "text": "/ritme standup list",
                                       "event_id": "4e2b8c1e-7d4a-4b8e-9c1f-2a6d5e8b0c47"}) as response:
        assert response.status == 403
    assert await site.chat.history("ben") == before
    # The control: the same form from Ritme's own page (its public address, or the address it was opened at).
    # Chromium sends Origin: null from a page with Referrer-Policy: no-referrer, and Sec-Fetch-Site: same-origin.
    own_page = [{"Origin": PUBLIC}, {"Origin": site.chat.base}, {"Sec-Fetch-Site": "same-origin", "Origin": "null"}]
    for said in own_page:
        headers = {"Cookie": f"{COOKIE}={anna}", **said}
        async with site.session.post(path, data=form, headers=headers, allow_redirects=False) as response:
            assert response.status == 303, (said, await response.text())


async def test_no_redirect_leaves_ritme(site: Site) -> None:
    for target in ("//evil.example", EVIL, "https:evil.example", "/\\evil.example"):
        path = await site.link("ben")
        status, headers, _ = await press_sign_in_to(site, f"{path}?next={target}")
        assert status == 303 and headers["Location"] == "/dashboard", target
        session = session_cookie(headers).value
        status, headers, _ = await site.get(f"/dashboard?next={target}", session)
        assert status == 200 and "Location" not in headers
    # Paths that look like another host are Ritme's own 404s, not redirects.
    for path in ("//evil.example", "//evil.example/dashboard", "/dashboard//evil.example"):
        async with site.session.get(f"{site.chat.base}{path}", allow_redirects=False) as response:
            assert response.status == 404 and "Location" not in response.headers, path


async def press_sign_in_to(site: Site, path: str) -> tuple[int, CIMultiDictProxy[str], str]:
    """Press a link's button, the link carrying a query; status, headers and body."""
    return await press_sign_in(site.session, f"{site.chat.base}{path}")


async def test_every_page_of_the_dashboard_and_the_local_chat_carries_the_security_headers(site: Site) -> None:
    team_id = await site.team_id()
    anna = await site.sign_in("anna")
    signed_in = [
        "/dashboard", "/dashboard/me", f"/dashboard/teams/{team_id}", "/dashboard/no-such-page",
        "/dashboard/static/dashboard.css",
    ]
    public = [
        "/", "/static/local/app.js", "/static/local/style.css", "/api/ui", "/api/history?user=ben",
        "/api/directory", "/no-such-page", "/healthz", await site.link("ben"), "/dashboard",
    ]
    for path, cookie in [(p, anna) for p in signed_in] + [(p, "") for p in public]:
        _status, headers, _ = await site.get(path, cookie)
        policy = headers.get("Content-Security-Policy", "")
        # The local chat's own policy is stricter still (default-src 'none'); either way nothing from elsewhere.
        assert ("default-src 'self'" in policy or "default-src 'none'" in policy), path
        assert "frame-ancestors 'none'" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        assert headers.get("X-Frame-Options") == "DENY", path
        assert headers.get("Referrer-Policy") in ("no-referrer", "same-origin"), path
        assert headers.get("X-Content-Type-Options") == "nosniff", path
    # The chat's event stream too, whose headers go out before its first event.
    async with site.session.get(f"{site.chat.base}/api/events?user=ben",
                                timeout=aiohttp.ClientTimeout(total=5)) as stream:
        assert stream.headers["X-Frame-Options"] == "DENY"
        assert "unsafe-inline" not in stream.headers["Content-Security-Policy"]
