"""A ritual's settings from the dashboard over real HTTP: the pause button and the pulse's form are guarded by the
CSRF token and by who manages the team; a manager's pause shows in chat and on the page; bad values are named."""

from __future__ import annotations

from datetime import time

from tests.bot.dashboard_http import CSRF, Site
from tests.bot.local_chat import text_of


async def _pulse_id(browser: Site) -> int:
    """Anna sets up a Monday pulse in chat; its id."""
    await browser.chat.say("anna", "/ritme pulse create weekly mon 10:00")
    rituals = await browser.ritme.store.rituals(await browser.team_id())
    [pulse] = [r for r in rituals if r.kind.value == "pulse"]
    return pulse.id


async def test_a_pause_without_the_csrf_token_or_by_a_member_changes_nothing(site: Site) -> None:
    team_id = await site.team_id()
    [ritual] = await site.ritme.store.rituals(team_id)
    anna = await site.sign_in("anna")
    ben = await site.sign_in("ben")
    path = f"/dashboard/teams/{team_id}/rituals/{ritual.id}/pause"
    for data in ({}, {"csrf": "forged"}):
        status, headers, body = await site.post(path, data, anna)
        assert status == 403 and "er is niets gewijzigd" in body and headers["X-Frame-Options"] == "DENY"
    # Ben is in the team but manages nothing: with his own valid token he is still refused.
    ben_csrf = await site.csrf("/dashboard/me", ben)
    status, _, body = await site.post(path, {"csrf": ben_csrf}, ben)
    assert status == 403 and "Only the managers" in body
    pulse_id = await _pulse_id(site)
    status, _, _ = await site.post(f"/dashboard/teams/{team_id}/pulses/{pulse_id}",
                                   {"csrf": ben_csrf, "day": "fri", "at": "14:00"}, ben)
    assert status == 403
    status, _, _ = await site.post(f"/dashboard/teams/{team_id}/pulses/{pulse_id}",
                                   {"day": "fri", "at": "14:00"}, anna)
    assert status == 403
    rituals = await site.ritme.store.rituals(team_id)
    assert rituals[0] == ritual and not any(r.paused for r in rituals)
    assert "gepauzeerd" not in await site.standup_list("anna")


async def test_a_manager_pauses_and_resumes_with_one_button_and_chat_agrees(site: Site) -> None:
    team_id = await site.team_id()
    [ritual] = await site.ritme.store.rituals(team_id)
    anna = await site.sign_in("anna")
    status, _, page = await site.get(f"/dashboard/teams/{team_id}", anna)
    assert status == 200 and "Stand-up 1 pauzeren" in page and "hervatten" not in page
    csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]

    status, headers, _ = await site.post(f"/dashboard/teams/{team_id}/rituals/{ritual.id}/pause", {"csrf": csrf}, anna)
    assert status == 303 and headers["Location"] == f"/dashboard/teams/{team_id}?state={ritual.id}#ritual-{ritual.id}"
    status, _, page = await site.get(headers["Location"].split("#")[0], anna)
    assert "Stand-up 1 is gepauzeerd: niemand wordt gevraagd" in page
    assert "Stand-up 1 hervatten" in page and "Gepauzeerd" in page
    assert "gepauzeerd" in await site.standup_list("anna")

    status, headers, _ = await site.post(f"/dashboard/teams/{team_id}/rituals/{ritual.id}/resume", {"csrf": csrf},
                                         anna)
    assert status == 303
    status, _, page = await site.get(headers["Location"].split("#")[0], anna)
    assert "Stand-up 1 loopt weer." in page and "Stand-up 1 pauzeren" in page
    assert "gepauzeerd" not in await site.standup_list("anna")
    status, _, audit = await site.get(f"/dashboard/teams/{team_id}/audit", anna)
    assert "Stand-up 1 gepauzeerd" in audit and "Stand-up 1 hervat" in audit


async def test_the_stand_up_form_changes_digest_and_reminder_or_names_what_is_wrong(site: Site) -> None:
    team_id = await site.team_id()
    [ritual] = await site.ritme.store.rituals(team_id)
    anna = await site.sign_in("anna")
    status, _, page = await site.get(f"/dashboard/teams/{team_id}", anna)
    assert 'value="11:00"' in page and 'value="1h"' in page
    csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
    path = f"/dashboard/teams/{team_id}/rituals/{ritual.id}"

    status, _, body = await site.post(path, {"csrf": csrf, "at": "09:30", "days": "mon-fri", "digest": "9:00",
                                             "remind": "soon"}, anna)
    assert status == 400
    assert "Het overzicht om 09:00 zou voor de stand-up om 09:30 komen" in body
    assert "<code>soon</code> is geen wachttijd voor een herinnering" in body
    assert 'value="soon"' in body and 'value="9:00"' in body
    assert (await site.ritme.store.rituals(team_id))[0] == ritual

    status, headers, _ = await site.post(path, {"csrf": csrf, "at": "09:30", "days": "mon-fri", "digest": "11:30",
                                                "remind": "off"}, anna)
    assert status == 303
    status, _, body = await site.get(headers["Location"].split("#")[0], anna)
    assert "overzicht om 11:30" in body and "Herinnering: uit." in body
    assert "om 09:30, overzicht 11:30" in await site.standup_list("anna")
    [changed] = await site.ritme.store.rituals(team_id)
    assert (changed.standup.digest_at, changed.standup.remind_after_minutes) == (time(11, 30), None)


async def test_the_pulse_form_moves_its_day_and_time_as_chat_would(site: Site) -> None:
    team_id = await site.team_id()
    pulse_id = await _pulse_id(site)
    anna = await site.sign_in("anna")
    status, _, page = await site.get(f"/dashboard/teams/{team_id}", anna)
    assert 'value="mon"' in page and 'value="10:00"' in page and "Peiling" in page
    csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
    path = f"/dashboard/teams/{team_id}/pulses/{pulse_id}"

    status, _, body = await site.post(path, {"csrf": csrf, "day": "vrijdag", "at": "14:00"}, anna)
    assert status == 400 and "<code>vrijdag</code> is geen dag van de week" in body
    assert "<code>/ritme pulse create weekly fri 14:00</code>" in body

    status, headers, _ = await site.post(path, {"csrf": csrf, "day": "fri", "at": "14:00"}, anna)
    assert status == 303
    status, _, body = await site.get(headers["Location"].split("#")[0], anna)
    assert "Opgeslagen: peiling" in body and "om 14:00" in body
    await site.chat.say("anna", "/ritme pulse list")
    listed = text_of((await site.chat.history("anna"))[-1])
    # Opens Friday 14:00 and, as a new pulse would, closes at that hour three days on.
    assert "op vr om 14:00 tot ma 14:00" in listed
