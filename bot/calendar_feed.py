"""The team calendar feed on Ritme's web server: GET /calendar/{token}.ics."""

from __future__ import annotations

from aiohttp import web

from rituals.calendar import CalendarFeedRituals

# Calendar apps fetch a subscription every few hours; a few minutes of caching spares the database a burst.
CACHE_CONTROL = "private, max-age=300"


def mount_calendar(app: web.Application, feeds: CalendarFeedRituals) -> None:
    """Serve each team's feed at its secret address; an unknown or revoked address is a bare 404."""

    async def feed(request: web.Request) -> web.Response:
        body = await feeds.feed(request.match_info["token"])
        if body is None:
            # No detail: a 404 must not tell a guesser whether a token ever existed.
            return web.Response(status=404)
        return web.Response(body=body, content_type="text/calendar", charset="utf-8",
                            headers={"Cache-Control": CACHE_CONTROL})

    app.router.add_get("/calendar/{token}.ics", feed)
