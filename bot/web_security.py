"""What every HTTP response and every state-changing request of Ritme's one web server goes through.

Installed once, on the application bot/wiring.py builds, so the dashboard, the local chat, the calendar feeds and
the platform endpoints all get it without each having to remember:

- Security headers on every response (set just before the headers go out, so static files, errors and event streams
  carry them too): a Content-Security-Policy that allows only Ritme's own files (no inline script or style, no
  framing), X-Frame-Options, Referrer-Policy and X-Content-Type-Options. A part that sets a stricter value of its own
  (the dashboard's Cache-Control: no-store) keeps it.
- A cross-site check: a POST, PUT, PATCH or DELETE whose browser says it came from another site (Sec-Fetch-Site,
  or where a browser does not send that, the Origin header) is refused before any handler reads it. Slack and the
  Bot Connector send neither; they prove who they are with signatures and tokens. Browsers send one of the two on
  such requests, so the dashboard's per-session CSRF token and this check guard its forms twice.
- A bound on request bodies (MAX_REQUEST_BYTES, aiohttp's client_max_size): a larger body is a 413 before anything
  parses it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware

from adapters.local.http import locale_from_accept_language
from rituals.catalog import Catalog

# Slack's largest payloads (a modal's view state) are tens of kB; Teams' activities smaller. 1 MiB leaves room.
MAX_REQUEST_BYTES = 1024 * 1024
SECURITY_HEADERS = {
    # No 'unsafe-inline' anywhere: every script and style is a file of Ritme's own.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def secure_web(app: web.Application, *, public_url: str, catalog: Catalog) -> None:
    """Give `app` the security headers and the cross-site check described above."""
    app.middlewares.append(same_site_only(public_url=public_url, catalog=catalog))
    app.on_response_prepare.append(_add_security_headers)


def web_application() -> web.Application:
    """The one aiohttp application every part of Ritme mounts its routes on, with its body size bound."""
    return web.Application(client_max_size=MAX_REQUEST_BYTES)


def same_site_only(*, public_url: str, catalog: Catalog) -> Middleware:
    """A middleware refusing state-changing requests a browser sent from another site (403), and bodies over
    MAX_REQUEST_BYTES (413), with a message in the browser's language."""
    public = _origin(public_url)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method not in _SAFE_METHODS and not _same_site(request, public):
            return _refusal(request, catalog, 403, "web.cross_site", example=public or "http://localhost:8080")
        try:
            return await handler(request)
        except web.HTTPRequestEntityTooLarge:
            return _refusal(request, catalog, 413, "web.too_large", limit=MAX_REQUEST_BYTES // 1024)

    return middleware


def _same_site(request: web.Request, public: str | None) -> bool:
    """True when the browser says the request came from Ritme's own pages, or it came from no browser at all."""
    # Sec-Fetch-Site is set by the browser itself and no page can change it; it says "same-origin" for Ritme's own
    # forms even where Origin says "null" (a page with Referrer-Policy: no-referrer, like the dashboard's, makes
    # Chromium send that on every form post).
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site.lower() in ("same-origin", "none")
    # Browsers without Sec-Fetch-Site: the Origin header.
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser: Slack, the Bot Connector, scripts; they prove who they are otherwise
    # "null" is what a sandboxed frame or a privacy-minded redirect sends: nobody Ritme can vouch for.
    sent = _origin(origin)
    if sent is None:
        return False
    return sent == public or urlsplit(sent).netloc.lower() == request.host.lower()


def _origin(url: str) -> str | None:
    """scheme://host[:port] of a URL, lower-cased, or None when it has none."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def _refusal(request: web.Request, catalog: Catalog, status: int, key: str, **params: object) -> web.Response:
    locale = locale_from_accept_language(request.headers.get("Accept-Language"))
    return web.Response(status=status, text=catalog.text(locale, key, **params), charset="utf-8")


async def _add_security_headers(_request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
