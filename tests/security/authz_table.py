"""The authorization matrix as data: every chat command, form, button, dashboard page and POST against the five
roles. docs/security.md holds the same table; test_authz_matrix.py proves the two say the same.

A row's label is what the doc shows; `{name}` in it stands for an id of the seeded world (tests/security/
authz_world.py), e.g. `{standup}` is the stand-up of w1's channel `team`.
"""

from __future__ import annotations

from dataclasses import dataclass

ALLOWED = "allowed"
NOT_MANAGER = "refused: not a manager"
NOT_YOURS = "refused: not your prompt"
UNKNOWN_BUTTON = "refused: unknown button"
OWN_WORKSPACE = "own workspace only"
NO_ACCESS = "403 no access"
NOT_FOUND = "404 not found"
OUTCOMES = (ALLOWED, NOT_MANAGER, NOT_YOURS, UNKNOWN_BUTTON, OWN_WORKSPACE, NO_ACCESS, NOT_FOUND)

# member, manager of this team, manager of another team, workspace admin, someone from another workspace
ROLE_COLUMNS = ("member", "manager", "other_manager", "admin", "other_workspace")


@dataclass(frozen=True)
class Row:
    """One line of the matrix: what is done, and the outcome for each role in ROLE_COLUMNS."""

    label: str
    cells: tuple[str, str, str, str, str]
    # Commands run before the cell is measured: by "self" (whoever the cell is about) or by the "manager".
    setup: tuple[tuple[str, str], ...] = ()


def everyone(label: str, *setup: tuple[str, str]) -> Row:
    """Anyone may: people of another workspace see and change only their own workspace."""
    return Row(label, (ALLOWED, ALLOWED, ALLOWED, ALLOWED, OWN_WORKSPACE), setup)


def managers(label: str, *setup: tuple[str, str]) -> Row:
    """The team's managers and the workspace's admins only."""
    return Row(label, (NOT_MANAGER, ALLOWED, NOT_MANAGER, ALLOWED, OWN_WORKSPACE), setup)


CHAT = (
    everyone("/ritme help"),
    everyone("/ritme help coffee"),
    everyone("/ritme dashboard"),
    everyone("/ritme me"),
    everyone("/ritme me timezone Europe/Lisbon"),
    everyone("/ritme me hours 08:30-17:00"),
    everyone("/ritme me days mon-thu"),
    everyone("/ritme me away until 2026-12-24"),
    everyone("/ritme me away off"),
    everyone("/ritme me country BE"),
    everyone("/ritme me language nl"),
    everyone("/ritme standup list"),
    managers("/ritme standup create at 10:00 on mon-fri"),
    managers("/ritme standup pause {standup}"),
    managers("/ritme standup resume {standup}"),
    managers("/ritme standup run {standup}"),
    managers("/ritme standup digest {standup}"),
    managers("/ritme standup failures"),
    managers("/ritme standup delete {standup}"),
    everyone("/ritme pulse list"),
    everyone("/ritme pulse questions"),
    managers("/ritme pulse create weekly thu 15:00"),
    managers("/ritme pulse pause {pulse}"),
    managers("/ritme pulse resume {pulse}"),
    managers("/ritme pulse delete {pulse}"),
    everyone("/ritme manager list"),
    managers("/ritme manager add Mo Zonnebloem"),
    managers("/ritme manager audit"),
    everyone("/ritme borrel list"),
    everyone("/ritme borrel history"),
    managers("/ritme borrel create fri 17:00 45m https://meet.example/friday"),
    managers("/ritme borrel cancel {borrel}"),
    managers("/ritme borrel move {borrel} thu 17:00"),
    managers("/ritme borrel pause {borrel}"),
    managers("/ritme borrel resume {borrel}"),
    managers("/ritme borrel delete {borrel}"),
    everyone("/ritme coffee join"),
    everyone("/ritme coffee leave"),
    everyone("/ritme coffee skip (after /ritme coffee join)", ("self", "/ritme coffee join")),
    everyone("/ritme coffee list"),
    everyone("/ritme coffee stats"),
    everyone("/ritme coffee why"),
    managers("/ritme coffee machine https://meet.example/koffie at 09:30 until 10:30 on mon-fri"),
    managers("/ritme coffee machine off"),
    managers("/ritme coffee create weekly tue 10:00 (after the manager's /ritme coffee delete)",
             ("manager", "/ritme coffee delete")),
    managers("/ritme coffee pause"),
    managers("/ritme coffee resume"),
    managers("/ritme coffee delete"),
    everyone("/ritme focus list"),
    managers('/ritme focus add thu 09:00-12:00 "deep work"'),
    managers("/ritme focus remove {focus}"),
    everyone("/ritme focus calendar"),
    managers("/ritme focus calendar revoke"),
    everyone("/ritme core"),
    managers("/ritme core 09:00-11:00"),
    managers("/ritme core off"),
    everyone("/ritme meet-check tue 12:30 45m"),
    # Forms and buttons name a prompt or an invite by id; the engine checks whose it is.
    Row("answer Mo's stand-up form {delivery}", (ALLOWED, NOT_YOURS, NOT_YOURS, NOT_YOURS, NOT_YOURS)),
    Row("press Edit on Mo's stand-up answer {delivery}",
        (ALLOWED, UNKNOWN_BUTTON, UNKNOWN_BUTTON, UNKNOWN_BUTTON, UNKNOWN_BUTTON)),
    Row("press Join on the team's borrel invite {borrel_occurrence}",
        (ALLOWED, ALLOWED, ALLOWED, ALLOWED, UNKNOWN_BUTTON)),
)

WEB = (
    Row("GET /dashboard", (ALLOWED, ALLOWED, ALLOWED, ALLOWED, OWN_WORKSPACE)),
    Row("GET /dashboard/me", (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED)),
    Row("POST /dashboard/me", (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED)),
    Row("GET /dashboard/me/data", (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED)),
    Row("GET /dashboard/me/export.json", (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED)),
    Row("POST /dashboard/me/erase", (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED)),
    Row("POST /dashboard/signout", (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED)),
    Row("GET /dashboard/teams/{team}", (NO_ACCESS, ALLOWED, NO_ACCESS, ALLOWED, NO_ACCESS)),
    Row("GET /dashboard/teams/{team}/standups", (NO_ACCESS, ALLOWED, NO_ACCESS, ALLOWED, NO_ACCESS)),
    Row("GET /dashboard/teams/{team}/participation", (NO_ACCESS, ALLOWED, NO_ACCESS, ALLOWED, NO_ACCESS)),
    Row("GET /dashboard/teams/{team}/pulse", (NO_ACCESS, ALLOWED, NO_ACCESS, ALLOWED, NO_ACCESS)),
    Row("GET /dashboard/teams/{team}/social", (NO_ACCESS, ALLOWED, NO_ACCESS, ALLOWED, NO_ACCESS)),
    Row("GET /dashboard/teams/{team}/audit", (NO_ACCESS, ALLOWED, NO_ACCESS, ALLOWED, NO_ACCESS)),
    Row("POST /dashboard/teams/{team}/rituals/{standup}", (NO_ACCESS, ALLOWED, NO_ACCESS, ALLOWED, NO_ACCESS)),
    Row("POST /dashboard/teams/{team}/rituals/{standup}/pause", (NO_ACCESS, ALLOWED, NO_ACCESS, ALLOWED, NO_ACCESS)),
    Row("POST /dashboard/teams/{team}/rituals/{standup}/resume",
        (NO_ACCESS, ALLOWED, NO_ACCESS, ALLOWED, NO_ACCESS)),
    Row("POST /dashboard/teams/{team}/pulses/{pulse}", (NO_ACCESS, ALLOWED, NO_ACCESS, ALLOWED, NO_ACCESS)),
    Row("GET /calendar/{token}.ics", (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED)),
    Row("GET /calendar/{revoked}.ics", (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
)
