"""The member's data: everything Ritme stores about one member, exported as JSON or erased.

Export: their profile and hours, memberships and roles, the rituals they set up, their stand-up answers with the
date and the questions asked, their delivery records, the open pulse rounds they responded to (never a score: no
score is linked to anyone), borrel RSVPs, coffee participation and groups (how many others, not who), daily message
counts, a Slack user grant (that it exists and its scopes, never the token), audit entries they made, and rows of
any newer member-linked table (dashboard sessions) without their secrets. Nothing about anyone else.

Erase: the profile, stand-up answers, delivery records and every row that names them, by id or platform user id,
go. What stays: anonymous pulse answers and tallies (nothing links them to anyone, so they cannot be found, let
alone removed), and audit entries, which keep what changed and when but lose who (actor NULL, and their id or name
in a command someone typed about them becomes ERASED).

Erasing the last manager of a team: the team keeps its rituals, which run on as before (their creator becomes the
workspace's placeholder for erased members). The team then has no manager: workspace admins can still change its
rituals, and the next member who sets up a stand-up, pulse or borrel in its channel becomes its manager, as in a
new channel.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from rituals import standup
from rituals.catalog import Catalog
from rituals.ports import Clock

ERASED = "[erased]"
"""What stands where an erased member's id or name was, in text kept for others (audit details, mentions)."""
FORMAT = "ritme-member-export/1"


class MemberDataStore(Protocol):
    """Reads and removes everything about one member; storage/member_data.py does it in SQL."""

    async def export(self, member_id: int) -> dict[str, Any] | None:
        """Everything stored about the member as JSON-ready data (see this module); None when unknown."""
        ...

    async def erase(self, member_id: int) -> bool:
        """Remove the member and every row that names them; False when unknown."""
        ...


class MemberData:
    """The member's data rights, for the dashboard's "my data" page (and anything else that asks)."""

    def __init__(self, *, store: MemberDataStore, catalog: Catalog, clock: Clock) -> None:
        """Read and erase through `store`; questions are written out in the member's language from `catalog`."""
        self._store = store
        self._catalog = catalog
        self._clock = clock

    async def export(self, member_id: int) -> dict[str, Any] | None:
        """Everything Ritme stores about the member, JSON-serialisable; None for an unknown member."""
        data = await self._store.export(member_id)
        if data is None:
            return None
        locale = data["profile"]["language"]
        for answer in data["standup_answers"]:
            answer["questions"] = self._questions(locale, answer.pop("template"), answer.pop("custom_questions"))
        return {"format": FORMAT, "exported_at": self._clock.now().isoformat(), **data}

    def _questions(self, locale: str, template: str | None, custom: list[str]) -> list[str]:
        """The questions the answers were given to: custom ones as written, a template's in the member's language."""
        if custom:
            return custom
        if template is None or template not in standup.TEMPLATES:
            return []
        return [self._catalog.text(locale, f"q.{template}.{n}") for n in (1, 2, 3)]

    async def erase(self, member_id: int) -> bool:
        """Erase the member (see this module for what stays and why); False for an unknown member."""
        return await self._store.erase(member_id)

    def now(self) -> datetime:
        """When an export is made, by the service's clock."""
        return self._clock.now()
