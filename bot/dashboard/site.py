"""The dashboard's HTTP side: routes under /dashboard that read the request, call rituals/dashboard.py and render.

Mounted as an aiohttp sub-application, so its middleware (the session, CSRF and security headers) touches only
/dashboard. A session is the `ritme_session` cookie (HttpOnly, SameSite=Lax, Path=/dashboard, Secure behind
https); every POST carries the session's CSRF token in a hidden `csrf` field or is refused before its handler runs.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape
from multidict import MultiDictProxy

from bot.dashboard.data_pages import DataPages
from bot.dashboard.report_pages import ReportPages
from rituals.catalog import LOCALES, Catalog, supported
from rituals.commands import CommandError
from rituals.dashboard import (
    LINK_LIFETIME,
    MAX_FORM_FIELD_LENGTH,
    PAUSABLE,
    Dashboard,
    FormRefused,
    MeForm,
    NotAllowed,
    NotFound,
    Refusal,
    SignedIn,
    Viewer,
    days_value,
    new_secret,
    remind_value,
)
from rituals.model import WEEKDAYS, Ritual, RitualKind
from rituals.ports import Clock
from rituals.reports import Reports

COOKIE = "ritme_session"
SIGN_IN_CHECK = "ritme_signin"
HERE = Path(__file__).parent
# The sign-in URL holds a token, so no page may leak it onward (Referer) or be kept in a cache or a frame.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}
PUBLIC_ROUTES = frozenset({"signin", "signin_confirmed", "static"})
# The signed-in member of a request, or None: set by the middleware before any page runs.
VIEWER: web.RequestKey[Viewer | None] = web.RequestKey("viewer")
_CODE = re.compile(r"`([^`]+)`")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Form = MultiDictProxy[str | bytes | bytearray | web.FileField]
RitualChange = Callable[[Viewer, int, int, Form], Awaitable[None]]


def _code(text: str) -> Markup:
    """Catalog text with its `commands` as <code>, everything else escaped."""
    return Markup(_CODE.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(text))))


class DashboardSite:
    """The dashboard's pages for one Dashboard, in each viewer's language."""

    def __init__(self, dashboard: Dashboard, catalog: Catalog, *, secure: bool, default_locale: str,
                 reports: Reports, clock: Clock) -> None:
        """`secure` marks the cookie Secure (public_url is https); `default_locale` serves visitors without a session
        whose browser asks for no language Ritme speaks; `reports` feeds the manager's report pages."""
        self._dashboard = dashboard
        self._reports = reports
        self._clock = clock
        self._catalog = catalog
        self._secure = secure
        self._default_locale = default_locale
        self._templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
        self._templates.filters["code"] = _code

    def app(self) -> web.Application:
        """The sub-application to mount at /dashboard."""
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("", self._home, name="home")
        app.router.add_get("/", self._home)
        # Following the link only shows a button: link previews and mail scanners fetch links, and must not spend
        # them. The button's POST signs in.
        app.router.add_get("/signin/{token}", self._sign_in_page, name="signin", allow_head=False)
        app.router.add_post("/signin/{token}", self._sign_in, name="signin_confirmed")
        app.router.add_post("/signout", self._sign_out)
        app.router.add_get("/teams/{team_id}", self._team)
        app.router.add_post("/teams/{team_id}/rituals/{ritual_id}", self._change_ritual)
        app.router.add_post("/teams/{team_id}/rituals/{ritual_id}/{action:pause|resume}", self._pause_ritual)
        app.router.add_post("/teams/{team_id}/pulses/{ritual_id}", self._change_pulse)
        app.router.add_get("/me", self._me)
        ReportPages(dashboard=self._dashboard, reports=self._reports, catalog=self._catalog, clock=self._clock,
                    render=self._render, notice=self._notice).add_routes(app)
        app.router.add_post("/me", self._change_me)
        DataPages(self, self._dashboard).register(app)  # the audit log and "my data" (bot/dashboard/data_pages.py)
        app.router.add_static("/static", HERE / "static", name="static")
        return app

    # Every request ------------------------------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await self._guarded(request, handler)
        except web.HTTPException as error:
            error.headers.update(SECURITY_HEADERS)
            raise
        response.headers.update(SECURITY_HEADERS)
        return response

    async def _guarded(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """The signed-in member in request[VIEWER]; a page that needs one without it is a 401, and a POST whose
        CSRF token is missing or wrong a 403, before the handler can change anything."""
        token = request.cookies.get(COOKIE, "")
        viewer = await self._dashboard.viewer(token) if token else None
        request[VIEWER] = viewer
        # A path or method no route has is the router's own 404 or 405, signed in or not.
        if request.match_info.http_exception is not None or request.match_info.route.name in PUBLIC_ROUTES:
            return await handler(request)
        if viewer is None:
            return self._notice(request, "web.signin.needed_title", ["web.signin.needed", "web.signin.how"], 401)
        if request.method == "POST":
            form = await request.post()
            sent = form.get("csrf")
            if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), viewer.csrf_token.encode()):
                return self._notice(request, "web.csrf_title", ["web.csrf"], 403)
        return await handler(request)

    # Signing in and out -------------------------------------------------------------------------------------

    async def _sign_in_page(self, request: web.Request) -> web.StreamResponse:
        owner = await self._dashboard.link_owner(request.match_info["token"])
        if isinstance(owner, Refusal):
            return self._refused_link(request, owner)
        # The button's form carries a secret that this browser also holds as a SameSite=Strict cookie: another
        # site's form posting someone's link cannot have both, so it cannot sign this browser in (login CSRF).
        check = new_secret()
        response = self._render(request, "signin.html", page="signin", name=owner.display_name,
                                locale=owner.locale, check=check)
        response.set_cookie(SIGN_IN_CHECK, check, max_age=int(LINK_LIFETIME.total_seconds()),
                            path="/dashboard/signin", httponly=True, samesite="Strict", secure=self._secure)
        return response

    async def _sign_in(self, request: web.Request) -> web.StreamResponse:
        sent = (await request.post()).get("check")
        kept = request.cookies.get(SIGN_IN_CHECK, "")
        if not isinstance(sent, str) or not kept or not hmac.compare_digest(sent.encode(), kept.encode()):
            return self._notice(request, "web.csrf_title", ["web.csrf"], 403)
        result = await self._dashboard.sign_in(request.match_info["token"])
        if not isinstance(result, SignedIn):
            return self._refused_link(request, result)
        earlier = request[VIEWER]
        if earlier is not None:
            # Whatever session this browser held before (maybe one someone else planted in it) ends here; the
            # member goes on in the fresh one below, so no id known before sign-in is ever worth anything after.
            await self._dashboard.sign_out(earlier)
        response = web.Response(status=303, headers={"Location": "/dashboard"})
        response.del_cookie(SIGN_IN_CHECK, path="/dashboard/signin")
        response.set_cookie(
            COOKIE, result.session_token, max_age=int(self._dashboard.session_lifetime.total_seconds()),
            path="/dashboard", httponly=True, samesite="Lax", secure=self._secure,
        )
        return response

    def _refused_link(self, request: web.Request, refusal: Refusal) -> web.Response:
        reason = {Refusal.UNKNOWN: "web.signin.unknown", Refusal.USED: "web.signin.used",
                  Refusal.EXPIRED: "web.signin.expired"}[refusal]
        # 410 for a link that was real but is spent; 403 for one Ritme never gave out.
        status = 403 if refusal is Refusal.UNKNOWN else 410
        return self._notice(request, "web.signin.refused_title", [reason, "web.signin.how"], status)

    async def _sign_out(self, request: web.Request) -> web.StreamResponse:
        viewer = self._viewer(request)
        await self._dashboard.sign_out(viewer)
        request[VIEWER] = None
        response = self._notice(request, "web.signed_out_title", ["web.signed_out", "web.signin.how"], 200,
                                locale=viewer.member.locale)
        response.del_cookie(COOKIE, path="/dashboard")
        return response

    # Pages --------------------------------------------------------------------------------------------------

    async def _home(self, request: web.Request) -> web.StreamResponse:
        viewer = self._viewer(request)
        teams = await self._dashboard.my_teams(viewer)
        rituals = await self._dashboard.my_rituals(viewer)
        return self._render(request, "home.html", page="home", teams=teams, my_rituals=rituals)

    async def _team(self, request: web.Request, forms: Mapping[int, dict[str, Any]] | None = None,
                    status: int = 200) -> web.StreamResponse:
        viewer = self._viewer(request)
        team_id = _number(request.match_info["team_id"])
        try:
            if team_id is None:
                raise NotFound(request.match_info["team_id"])
            overview = await self._dashboard.team_overview(viewer, team_id)
        except NotAllowed:
            return self._notice(request, "web.forbidden_title", ["web.forbidden"], 403)
        except NotFound:
            return self._notice(request, "web.not_found_title", ["web.not_found"], 404)
        locale = viewer.member.locale
        shown: dict[int, dict[str, Any]] = {}
        saved = ""
        saved_id = _number(request.query.get("saved", ""))
        state_id = _number(request.query.get("state", ""))
        for line in overview.rituals:
            ritual = line.ritual
            if ritual.id == state_id and ritual.kind in PAUSABLE:
                saved = self._catalog.text(locale, "web.ritual.paused" if ritual.paused else "web.ritual.resumed",
                                           kind=line.kind, id=ritual.id)
            if ritual.kind is RitualKind.PULSE:
                shown[ritual.id] = {"day": WEEKDAYS[ritual.days[0]] if ritual.days else "",
                                    "at": self._catalog.time(ritual.at), "errors": {}}
                if ritual.id == saved_id:
                    saved = self._catalog.text(locale, "web.pulse.saved", id=ritual.id,
                                               day=self._catalog.days(locale, ritual.days),
                                               at=self._catalog.time(ritual.at))
            if ritual.kind is RitualKind.STANDUP:
                settings = ritual.standup
                shown[ritual.id] = {"at": self._catalog.time(ritual.at), "days": days_value(ritual.days),
                                    "digest": self._catalog.time(settings.digest_at),
                                    "remind": remind_value(settings.remind_after_minutes), "errors": {},
                                    "gap": _gap(ritual)}
                if ritual.id == saved_id:
                    saved = " ".join((
                        self._catalog.text(locale, "web.standup.saved", id=ritual.id,
                                           days=self._catalog.days(locale, ritual.days),
                                           at=self._catalog.time(ritual.at),
                                           digest=self._catalog.time(settings.digest_at)),
                        self._catalog.text(locale, "web.standup.saved_remind", remind=self._dashboard.remind_words(
                            locale, settings.remind_after_minutes)),
                    ))
            if forms and ritual.id in forms and ritual.id in shown:
                shown[ritual.id].update(forms[ritual.id])
        managers = self._catalog.names(locale, [m.display_name for m in overview.managers])
        members = self._catalog.names(locale, [m.display_name for m in overview.members])
        return self._render(request, "team.html", page="team", overview=overview, forms=shown, saved=saved,
                            managers=managers, members=members, status=status,
                            pausable={kind.value for kind in PAUSABLE})

    async def _change_ritual(self, request: web.Request) -> web.StreamResponse:
        async def change(viewer: Viewer, team_id: int, ritual_id: int, form: Form) -> None:
            sent = _standup_form(form)
            await self._dashboard.change_standup(viewer, team_id, ritual_id, at=sent["at"], days=sent["days"],
                                                 digest=sent["digest"], remind=sent.get("remind"))

        return await self._ritual_form(request, change, shown=_standup_form)

    async def _change_pulse(self, request: web.Request) -> web.StreamResponse:
        async def change(viewer: Viewer, team_id: int, ritual_id: int, form: Form) -> None:
            sent = _pulse_form(form)
            await self._dashboard.change_pulse_time(viewer, team_id, ritual_id, day=sent["day"], at=sent["at"])

        return await self._ritual_form(request, change, shown=_pulse_form)

    async def _pause_ritual(self, request: web.Request) -> web.StreamResponse:
        async def change(viewer: Viewer, team_id: int, ritual_id: int, _form: Form) -> None:
            await self._dashboard.set_paused(viewer, team_id, ritual_id,
                                             paused=request.match_info["action"] == "pause")

        return await self._ritual_form(request, change, shown=lambda _form: {}, query="state")

    async def _ritual_form(self, request: web.Request, change: RitualChange, *,
                           shown: Callable[[Form], dict[str, str]], query: str = "saved") -> web.StreamResponse:
        """What every ritual form on a team's overview shares: the ids from the path, the change, then back to the
        ritual on the overview; a refused form shows the page again with what was typed and why."""
        viewer = self._viewer(request)
        team_id = _number(request.match_info["team_id"])
        ritual_id = _number(request.match_info["ritual_id"])
        if team_id is None or ritual_id is None:
            return self._notice(request, "web.not_found_title", ["web.not_found"], 404)
        form = await request.post()
        try:
            await change(viewer, team_id, ritual_id, form)
        except NotAllowed:
            return self._notice(request, "web.forbidden_title", ["web.forbidden"], 403)
        except NotFound:
            return self._notice(request, "web.not_found_title", ["web.not_found"], 404)
        except FormRefused as refused:
            sent: dict[str, Any] = {**_echoed(shown(form)), "errors": self._messages(viewer, refused.errors)}
            return await self._team(request, {ritual_id: sent}, status=400)
        return web.Response(status=303, headers={
            "Location": f"/dashboard/teams/{team_id}?{query}={ritual_id}#ritual-{ritual_id}"})

    async def _me(self, request: web.Request) -> web.StreamResponse:
        viewer = self._viewer(request)
        form = self._dashboard.my_settings(viewer)
        return self._render_me(request, viewer, asdict(form), {}, saved=request.query.get("saved") == "1")

    async def _change_me(self, request: web.Request) -> web.StreamResponse:
        viewer = self._viewer(request)
        posted = await request.post()
        values = {name: str(posted.get(name, "")) for name in MeForm.__dataclass_fields__}
        try:
            await self._dashboard.change_me(viewer, MeForm(**values))
        except FormRefused as refused:
            return self._render_me(request, viewer, _echoed(values), self._messages(viewer, refused.errors),
                                   status=400)
        return web.Response(status=303, headers={"Location": "/dashboard/me?saved=1"})

    def _render_me(self, request: web.Request, viewer: Viewer, form: Mapping[str, str], errors: Mapping[str, str],
                   *, saved: bool = False, status: int = 200) -> web.Response:
        return self._render(request, "me.html", page="me", form=form, errors=errors, saved=saved, locales=LOCALES,
                            default_country=self._dashboard.default_country(viewer), status=status)

    # Rendering ----------------------------------------------------------------------------------------------

    @staticmethod
    def _viewer(request: web.Request) -> Viewer:
        viewer = request[VIEWER]
        assert isinstance(viewer, Viewer)  # the middleware let only signed-in requests through to here
        return viewer

    def _messages(self, viewer: Viewer, errors: Mapping[str, CommandError]) -> dict[str, str]:
        """Each refused field's message in the viewer's language."""
        return {field: self._catalog.text(viewer.member.locale, error.key, **error.params)
                for field, error in errors.items()}

    def _locale(self, request: web.Request) -> str:
        viewer = request.get(VIEWER)
        if isinstance(viewer, Viewer):
            return viewer.member.locale
        # Without a session: the browser's first language Ritme speaks (Accept-Language: nl-NL,nl;q=0.9,en;q=0.8).
        for part in request.headers.get("Accept-Language", "").split(","):
            tag = part.split(";")[0].strip()
            if tag and supported(tag) == tag.split("-")[0].lower():
                return supported(tag)
        return self._default_locale

    def _render(self, request: web.Request, template: str, *, status: int = 200, locale: str | None = None,
                **context: Any) -> web.Response:
        locale = locale or self._locale(request)

        def t(key: str, **params: Any) -> str:
            return self._catalog.text(locale, key, **params)

        body = self._templates.get_template(template).render(
            t=t, locale=locale, viewer=request.get(VIEWER), **context
        )
        return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")

    def _notice(self, request: web.Request, title_key: str, keys: list[str], status: int,
                locale: str | None = None) -> web.Response:
        lang = locale or self._locale(request)
        minutes = int(LINK_LIFETIME.total_seconds() // 60)
        lines = [self._catalog.text(lang, key, minutes=minutes) if key == "web.signin.expired"
                 else self._catalog.text(lang, key) for key in keys]
        return self._render(request, "notice.html", status=status, locale=lang, page="notice", title_key=title_key,
                            lines=lines)


def _standup_form(form: Form) -> dict[str, str]:
    """A stand-up form's fields as typed."""
    sent = {name: str(form.get(name, "")) for name in ("at", "days", "digest")}
    if "remind" in form:  # a form without it (an older page still open) leaves the reminder as it is
        sent["remind"] = str(form["remind"])
    return sent


def _pulse_form(form: Form) -> dict[str, str]:
    """A pulse form's fields as typed."""
    return {name: str(form.get(name, "")) for name in ("day", "at")}


def _echoed(values: Mapping[str, str]) -> dict[str, str]:
    """Refused values as the form shows them again: cut to the fields' limit, so a 100 kB paste is not sent back."""
    return {name: value[:MAX_FORM_FIELD_LENGTH] for name, value in values.items()}


def _number(text: str) -> int | None:
    """A path or query id, or None when it is not one."""
    return int(text) if text.isdigit() and len(text) < 19 else None


def _gap(ritual: Ritual) -> int:
    """Minutes from a stand-up's start to its digest."""
    digest = ritual.standup.digest_at
    return (digest.hour * 60 + digest.minute) - (ritual.at.hour * 60 + ritual.at.minute)


def mount_dashboard(app: web.Application, dashboard: Dashboard, catalog: Catalog, *, public_url: str,
                    default_locale: str, reports: Reports, clock: Clock) -> None:
    """Serve the dashboard under /dashboard; its cookie is Secure when Ritme's public address is https."""
    site = DashboardSite(dashboard, catalog, secure=public_url.startswith("https://"), default_locale=default_locale,
                         reports=reports, clock=clock)
    app.add_subapp("/dashboard", site.app())
