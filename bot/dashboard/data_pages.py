"""The dashboard's audit-log and "my data" pages: a team's changes for its managers, and the member's own export and
erasure.

Part of DashboardSite (registered by one line in its `app()`), so its middleware has already checked the session,
and the CSRF token of every POST, before a handler here runs; these handlers only read the request, call
rituals/dashboard.py and render. The site module is imported as a module, not by name, because it imports this one.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.dashboard import site as site_module
from rituals.dashboard import Dashboard, FormRefused, NotAllowed, NotFound

EXPORT_TYPE = "application/json"


class DataPages:
    """The routes /teams/{team_id}/audit, /me/data, /me/export.json and /me/erase of one DashboardSite."""

    def __init__(self, site: site_module.DashboardSite, dashboard: Dashboard) -> None:
        """Render through `site` (its templates, language and notices); read and erase through `dashboard`."""
        self._site = site
        self._dashboard = dashboard

    def register(self, app: web.Application) -> None:
        """Add the pages to the dashboard's sub-application."""
        app.router.add_get("/teams/{team_id}/audit", self._audit)
        app.router.add_get("/me/data", self._data)
        app.router.add_get("/me/export.json", self._export)
        app.router.add_post("/me/erase", self._erase)

    async def _audit(self, request: web.Request) -> web.StreamResponse:
        viewer = self._site._viewer(request)
        team_id = site_module._number(request.match_info["team_id"])
        older = request.query.get("older")
        older_than = site_module._number(older) if older is not None else None
        try:
            if team_id is None or (older is not None and older_than is None):
                raise NotFound(request.match_info["team_id"])
            page = await self._dashboard.audit_page(viewer, team_id, older_than)
        except NotAllowed:
            return self._site._notice(request, "web.forbidden_title", ["web.forbidden"], 403)
        except NotFound:
            return self._site._notice(request, "web.not_found_title", ["web.not_found"], 404)
        return self._site._render(request, "audit.html", page="audit", audit=page)

    async def _data(self, request: web.Request) -> web.StreamResponse:
        return await self._render_data(request, {})

    async def _render_data(self, request: web.Request, errors: dict[str, str], status: int = 200) -> web.Response:
        viewer = self._site._viewer(request)
        data = await self._dashboard.my_data(viewer)
        counts = {"teams": len(data["memberships"]), "answers": len(data["standup_answers"]),
                  "deliveries": len(data["deliveries"]), "audit": len(data["audit_entries"])}
        return self._site._render(request, "data.html", page="data", counts=counts, errors=errors, status=status)

    async def _export(self, request: web.Request) -> web.StreamResponse:
        viewer = self._site._viewer(request)
        data: dict[str, Any] = await self._dashboard.my_data(viewer)
        name = f"ritme-my-data-{self._dashboard.exported_on(viewer).isoformat()}.json"
        return web.Response(
            text=json.dumps(data, ensure_ascii=False, indent=2), content_type=EXPORT_TYPE, charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    async def _erase(self, request: web.Request) -> web.StreamResponse:
        viewer = self._site._viewer(request)
        posted = await request.post()
        try:
            await self._dashboard.erase_me(viewer, confirmed=posted.get("confirm") == "yes")
        except FormRefused as refused:
            return await self._render_data(request, self._site._messages(viewer, refused.errors), status=400)
        # The session went with the member; the page that says so is in their language, but signed out.
        request[site_module.VIEWER] = None
        response = self._site._notice(request, "web.data.erased_title", ["web.data.erased", "web.data.erased_stays"],
                                      200, locale=viewer.member.locale)
        response.del_cookie(site_module.COOKIE, path="/dashboard")
        return response
