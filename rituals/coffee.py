"""The coffee machine and coffee pairing: planned chance meetings for a remote team.

- The coffee machine posts a room's link to the team channel on its days at its time ("open until 10:30"), once
  a day: the post is claimed in the CoffeeStore first.
- Coffee pairing forms a round on its day and time (every one or two weeks) with rituals.pairing.match, stores
  it once, and introduces each group privately with an icebreaker. Nobody is messaged outside their working
  hours: a group's introduction, and a week later its "did you meet?", wait until every member of the group is
  working. A member nobody could be matched with gets a kind note instead, in their own hours.

Cross-team preference: a member's team label is the name of the first other team (by name) they belong to in
Ritme, else this channel's name. So in a company-wide #coffee channel, people from #design and #backend count
as different teams, and in a channel whose members are in no other team everyone counts as one team.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime, timedelta
from itertools import combinations

from rituals import pairing
from rituals.boundaries import Boundaries
from rituals.catalog import Catalog
from rituals.coffee_commands import (
    CREATE_EXAMPLE,
    MACHINE_EXAMPLE,
    MANAGER_COFFEE_COMMANDS,
    CoffeeAction,
    CoffeeCommand,
    CoffeeCreate,
    CoffeeMachine,
    CoffeeMachineOff,
    CoffeeMember,
)
from rituals.commands import CommandError
from rituals.events import CommandInvoked
from rituals.model import (
    COFFEE_MEMORY_WEEKS,
    CoffeeMachineSettings,
    CoffeeSettings,
    Member,
    Ritual,
    RitualKind,
    Team,
)
from rituals.outbound import Button, ChannelPost, GroupPrompt, Message, Prompt, Span, Text
from rituals.ports import Clock, CoffeeGroup, CoffeeStats, CoffeeStore, NewCoffeeGroup, NewRitual, Store
from rituals.replies import Reply, address_of, channel_of, join_channel_team
from rituals.schedule import local_date, local_instant, local_time

MET_ACTION = "coffee.met"
ICEBREAKERS = 10
# Once a round's time has passed by more than this (the bot was down), that round is skipped, not held late.
ROUND_GRACE = timedelta(hours=12)

Window = tuple[datetime, datetime]


def follow_up_key(group_id: int) -> str:
    """The key of a group's "did you meet?" message."""
    return f"coffee-follow-up:{group_id}"


def common_windows(windows: Sequence[Sequence[Window]]) -> list[Window]:
    """The intervals inside every member's windows (each sorted and non-overlapping)."""
    if not windows:
        return []
    shared = list(windows[0])
    for other in windows[1:]:
        out: list[Window] = []
        i = j = 0
        while i < len(shared) and j < len(other):
            begin, end = max(shared[i][0], other[j][0]), min(shared[i][1], other[j][1])
            if begin < end:
                out.append((begin, end))
            if shared[i][1] < other[j][1]:
                i += 1
            else:
                j += 1
        shared = out
    return shared


def first_moment(windows: Sequence[Window], after: datetime) -> datetime | None:
    """The first instant at or after `after` inside the windows, None when there is none."""
    for begin, end in windows:
        if end > after:
            return max(begin, after)
    return None


def next_together(members: Sequence[Member], after: datetime, boundaries: Boundaries) -> datetime | None:
    """The first moment from `after`, within about two weeks, when every member is reachable (rituals/boundaries.py).

    Each member's next reachable moment is a lower bound for all; taking the latest and asking again converges on
    a moment all share, or passes the horizon.
    """
    horizon = after + timedelta(days=14)
    at = after
    while at < horizon:
        found = [boundaries.next_reachable(m, at, until=horizon) for m in members]
        if any(moment is None for moment in found):
            return None
        latest = max(moment for moment in found if moment is not None)
        if latest == at:
            return at
        at = latest
    return None


def round_seed(ritual_id: int, day: date) -> int:
    """The matching's seed: the same ritual and round date always give the same groups."""
    return ritual_id * 1_000_003 + day.toordinal()


def is_round_day(ritual: Ritual, day: date) -> bool:
    """True when a round of the pairing falls on that team-local date."""
    settings = ritual.coffee
    return day.weekday() in ritual.days and ((day - settings.anchor).days // 7) % settings.every_weeks == 0


def next_round(ritual: Ritual, now: datetime, latest: date | None) -> date:
    """The team-local date of the next round not held yet whose time has not long passed."""
    day = local_date(now, ritual.timezone)
    while True:
        held = latest is not None and day <= latest
        late = local_instant(day, ritual.at, ritual.timezone) + ROUND_GRACE <= now
        if is_round_day(ritual, day) and not held and not late:
            return day
        day += timedelta(days=1)


def list_item(catalog: Catalog, locale: str, ritual: Ritual) -> str:
    """A coffee machine or pairing in one line, as a manager's overview lists a team's rituals."""
    paused = catalog.text(locale, "coffee.paused_note") if ritual.paused else ""
    days, at = catalog.days(locale, ritual.days), catalog.time(ritual.at)
    if ritual.kind is RitualKind.COFFEE_MACHINE:
        return catalog.text(locale, "coffee.machine_item", id=ritual.id, days=days, at=at, zone=ritual.timezone,
                            until=catalog.time(ritual.coffee_machine.until), paused=paused)
    frequency = catalog.text(locale, "coffee.weekly" if ritual.coffee.every_weeks == 1 else "coffee.biweekly")
    return catalog.text(locale, "coffee.pairing_item", id=ritual.id, frequency=frequency, days=days, at=at,
                        zone=ritual.timezone, paused=paused)


class CoffeeRituals:
    """Commands, rounds and messages of the coffee machine and coffee pairing; the Engine hands them over."""

    def __init__(self, *, store: Store, coffee: CoffeeStore, catalog: Catalog, clock: Clock,
                 batch_size: int = 500, boundaries: Boundaries | None = None) -> None:
        self._store = store
        # Introductions, notes and follow-ups wait until every member of the group may be messaged.
        self._boundaries = boundaries or Boundaries()
        self._coffee = coffee
        self._catalog = catalog
        self._clock = clock
        self._batch_size = batch_size

    # Commands ----------------------------------------------------------------------------------------------

    async def run(
        self, command: CoffeeCommand, member: Member, event: CommandInvoked, team: Team | None,
        managers: Sequence[Member], reply: Reply, now: datetime,
    ) -> list[Message]:
        """Carry out a coffee command in a channel; nothing is written before every check has passed."""
        name = team.name if team else (event.channel_name or event.channel_id)
        if isinstance(command, MANAGER_COFFEE_COMMANDS):
            # The first person to set a channel up becomes its manager, as with stand-ups.
            first = isinstance(command, (CoffeeCreate, CoffeeMachine)) and not managers
            if not first and not member.is_admin and not any(m.id == member.id for m in managers):
                who = self._catalog.names(member.locale, [m.display_name for m in managers])
                raise CommandError("error.not_manager", team=name,
                                   managers=who or self._catalog.text(member.locale, "role.admin"))
            if isinstance(command, CoffeeMachine):
                return await self._machine_on(command, member, event, first, reply)
            if isinstance(command, CoffeeCreate):
                return await self._create(command, member, event, team, first, reply, now)
        rituals = await self._store.rituals(team.id) if team else []
        if isinstance(command, CoffeeMachineOff):
            machines = [r for r in rituals if r.kind is RitualKind.COFFEE_MACHINE]
            if not machines:
                raise CommandError("error.no_coffee_machine", team=name, example=MACHINE_EXAMPLE)
            for machine in machines:
                await self._store.delete_ritual(machine.id)
            return [reply("coffee.machine_off", team=name)]
        pairings = [r for r in rituals if r.kind is RitualKind.COFFEE]
        if team is None or not pairings:
            raise CommandError("error.no_coffee", team=name, example=CREATE_EXAMPLE)
        ritual = pairings[0]
        if isinstance(command, CoffeeAction):
            return [await self._manage(command, ritual, name, reply)]
        return [await self._member_action(command, ritual, team, member, reply, now)]

    async def _machine_on(
        self, command: CoffeeMachine, member: Member, event: CommandInvoked, first: bool, reply: Reply
    ) -> list[Message]:
        settings = CoffeeMachineSettings(link=command.link, until=command.until)
        team, replies = await join_channel_team(self._store, member, event, first=first, reply=reply)
        # A channel has one coffee machine: setting it again replaces its link and hours.
        for ritual in await self._store.rituals(team.id):
            if ritual.kind is RitualKind.COFFEE_MACHINE:
                await self._store.delete_ritual(ritual.id)
        ritual = await self._store.add_ritual(NewRitual(
            team_id=team.id, kind=RitualKind.COFFEE_MACHINE, at=command.at, days=command.days,
            timezone=member.timezone, locale=member.locale, settings=settings, created_by=member.id,
        ))
        replies.append(reply(
            "coffee.machine_set", team=team.name, days=self._catalog.days(member.locale, ritual.days),
            at=self._catalog.time(ritual.at), until=self._catalog.time(command.until), zone=ritual.timezone,
        ))
        return replies

    async def _create(
        self, command: CoffeeCreate, member: Member, event: CommandInvoked, team: Team | None, first: bool,
        reply: Reply, now: datetime,
    ) -> list[Message]:
        if team is not None and any(r.kind is RitualKind.COFFEE for r in await self._store.rituals(team.id)):
            raise CommandError("error.coffee_exists", team=team.name, example=CREATE_EXAMPLE)
        today = local_date(now, member.timezone)
        memory = command.memory_rounds
        if memory is None:
            memory = COFFEE_MEMORY_WEEKS // command.every_weeks  # about twelve weeks either way
        settings = CoffeeSettings(
            every_weeks=command.every_weeks, anchor=today - timedelta(days=today.weekday()), enrol=command.enrol,
            memory_rounds=memory, follow_up_days=command.follow_up_days,
            min_overlap_minutes=command.min_overlap_minutes,
        )
        created, replies = await join_channel_team(self._store, member, event, first=first, reply=reply)
        ritual = await self._store.add_ritual(NewRitual(
            team_id=created.id, kind=RitualKind.COFFEE, at=command.at, days=(command.day,),
            timezone=member.timezone, locale=member.locale, settings=settings, created_by=member.id,
        ))
        if command.enrol == "optin":
            await self._coffee.set_joined(ritual.id, member.id, True)  # whoever starts it takes part
        locale = member.locale
        replies.append(reply(
            "coffee.created", team=created.name, **self._describe(ritual, locale),
            enrol=self._catalog.text(locale, f"coffee.enrol_{settings.enrol}"), memory=settings.memory_rounds,
            overlap=self._hours(locale, settings.min_overlap_minutes), follow_up=settings.follow_up_days,
            next=self._catalog.date(locale, next_round(ritual, now, None)),
        ))
        return replies

    def _describe(self, ritual: Ritual, locale: str) -> dict[str, str]:
        frequency = "coffee.weekly" if ritual.coffee.every_weeks == 1 else "coffee.biweekly"
        return {
            "frequency": self._catalog.text(locale, frequency),
            "day": self._catalog.days(locale, ritual.days),
            "at": self._catalog.time(ritual.at),
            "zone": ritual.timezone,
        }

    async def _manage(self, command: CoffeeAction, ritual: Ritual, name: str, reply: Reply) -> Prompt:
        if command.action == "delete":
            await self._store.delete_ritual(ritual.id)
        else:
            await self._store.set_paused(ritual.id, command.action == "pause")
        return reply(f"coffee.{command.action}d", team=name)

    async def _participants(self, ritual: Ritual, team: Team) -> tuple[list[Member], set[int]]:
        """Who takes part (by name) and who of them skips the next round."""
        said = await self._coffee.participations(ritual.id)
        everyone = ritual.coffee.enrol == "all"
        taking_part = []
        for member in await self._store.team_members(team.id):
            choice = said.get(member.id)
            joined = choice.joined if choice else None
            if joined or (everyone and joined is not False):
                taking_part.append(member)
        return taking_part, {m for m, choice in said.items() if choice.skip_next}

    async def _member_action(
        self, command: CoffeeMember, ritual: Ritual, team: Team, member: Member, reply: Reply, now: datetime
    ) -> Prompt:
        locale = member.locale
        upcoming = self._catalog.date(locale, next_round(ritual, now, await self._coffee.latest_round(ritual.id)))
        if command.action == "join":
            await self._store.join_team(team.id, member.id)  # whoever types in a channel is in it
            await self._coffee.set_joined(ritual.id, member.id, True)
            return reply("coffee.joined", team=team.name, next=upcoming)
        if command.action == "leave":
            await self._coffee.set_joined(ritual.id, member.id, False)
            return reply("coffee.left", team=team.name)
        if command.action == "skip":
            taking_part, _ = await self._participants(ritual, team)
            if not any(m.id == member.id for m in taking_part):
                raise CommandError("error.coffee_not_in", team=team.name)
            await self._coffee.set_skip(ritual.id, member.id, True)
            return reply("coffee.skipping", team=team.name, next=upcoming)
        if command.action == "list":
            return await self._list(ritual, team, reply, upcoming)
        if command.action == "stats":
            return self._stats(await self._coffee.stats(ritual.id), team, reply, upcoming)
        return await self._why(ritual, team, member, reply)

    async def _list(self, ritual: Ritual, team: Team, reply: Reply, upcoming: str) -> Prompt:
        locale = reply.member.locale
        taking_part, skipping = await self._participants(ritual, team)
        lines = [self._catalog.text(
            locale, "coffee.list", team=team.name, next=upcoming, **self._describe(ritual, locale),
            paused=self._catalog.text(locale, "coffee.paused_note") if ritual.paused else "",
        )]
        if not taking_part:
            lines.append(self._catalog.text(locale, "coffee.list_nobody"))
        else:
            names = [m.display_name for m in taking_part]
            lines.append(self._catalog.text(locale, "coffee.list_members", count=len(names),
                                            names=self._catalog.names(locale, names)))
        resting = [m.display_name for m in taking_part if m.id in skipping]
        if resting:
            lines.append(self._catalog.text(locale, "coffee.list_skipping",
                                            names=self._catalog.names(locale, resting)))
        return reply.plain("\n".join(lines))

    def _stats(self, stats: CoffeeStats, team: Team, reply: Reply, upcoming: str) -> Prompt:
        if not stats.rounds:
            return reply("coffee.stats_none", team=team.name, next=upcoming)
        rate = f"{round(100 * stats.met / stats.asked)}%" if stats.asked else "—"
        return reply("coffee.stats", team=team.name, rounds=stats.rounds, groups=stats.groups, met=stats.met,
                     asked=stats.asked, rate=rate, cross=stats.cross_team, cross_met=stats.cross_team_met)

    async def _why(self, ritual: Ritual, team: Team, member: Member, reply: Reply) -> Prompt:
        group = await self._coffee.member_group(ritual.id, member.id)
        locale = member.locale
        if group is None:
            return reply("coffee.why_none", team=team.name)
        day = self._catalog.date(locale, group.local_date)
        if group.reason:
            return reply("coffee.why_alone", date=day, reason=self._reason(locale, group.reason, ritual))
        others = [m for m in await self._store.team_members(team.id) if m.id in group.members and m.id != member.id]
        return reply("coffee.why", date=day, names=self._catalog.names(locale, [m.display_name for m in others]),
                     reasons=self.explanation(locale, group))

    def explanation(self, locale: str, group: CoffeeGroup | NewCoffeeGroup) -> str:
        """Why a group was formed: "never met, 3 h shared working time, different teams"."""
        if group.last_met is None:
            met = self._catalog.text(locale, "coffee.why.never")
        elif group.last_met == 1:
            met = self._catalog.text(locale, "coffee.why.last_round")
        else:
            met = self._catalog.text(locale, "coffee.why.last_met", rounds=group.last_met)
        shared = self._catalog.text(locale, "coffee.why.shared", hours=self._hours(locale, group.shared_minutes))
        teams = self._catalog.text(locale, "coffee.why.cross" if group.cross_team else "coffee.why.same")
        return f"{met}, {shared}, {teams}"

    def _hours(self, locale: str, minutes: int) -> str:
        """Minutes as hours the way people say them: 3 h, 1.5 h / 3 uur, 1,5 uur; under an hour in minutes."""
        if minutes < 60:
            return self._catalog.text(locale, "coffee.minutes", minutes=minutes)
        hours = minutes / 60
        text = str(int(hours)) if hours == int(hours) else self._catalog.decimal(locale, hours)
        return self._catalog.text(locale, "coffee.hours", hours=text)

    def _reason(self, locale: str, reason: str, ritual: Ritual) -> str:
        overlap = self._hours(locale, ritual.coffee.min_overlap_minutes)
        return self._catalog.text(locale, f"coffee.reason.{reason}", overlap=overlap)

    # Time --------------------------------------------------------------------------------------------------

    async def due(self, now: datetime) -> AsyncIterator[list[Message]]:
        """Machine posts, new rounds, then introductions and follow-ups that are due, each claimed once."""
        running = await self._coffee.running()
        posts: list[Message] = []
        for ritual, team in running:
            if ritual.kind is RitualKind.COFFEE_MACHINE:
                posts.extend(await self._machine_post(ritual, team, now))
            else:
                await self._rounds(ritual, team, now)
        if posts:
            yield posts
        teams = {ritual.id: (ritual, team) for ritual, team in running}
        intros = await self._intros(teams, now)
        if intros:
            yield intros
        follow_ups = await self._follow_ups(teams, now)
        if follow_ups:
            yield follow_ups

    async def _machine_post(self, ritual: Ritual, team: Team, now: datetime) -> list[Message]:
        settings = ritual.coffee_machine
        today = local_date(now, ritual.timezone)
        if today.weekday() not in ritual.days or not ritual.at <= local_time(now, ritual.timezone) < settings.until:
            return []
        if not await self._coffee.claim_machine_post(ritual.id, today, now):
            return []
        pieces = self._catalog.pieces(ritual.locale, "coffee.machine_open", {"link": settings.link},
                                      until=self._catalog.time(settings.until))
        text = Text((tuple(Span(text=piece, user=typed) for piece, typed in pieces),))
        return [ChannelPost(key=f"coffee-machine:{ritual.id}:{today.isoformat()}", to=channel_of(team), text=text,
                            expires_at=local_instant(today, settings.until, ritual.timezone))]

    async def _rounds(self, ritual: Ritual, team: Team, now: datetime) -> None:
        today = local_date(now, ritual.timezone)
        latest = await self._coffee.latest_round(ritual.id)
        for day in (today - timedelta(days=1), today):
            starts = local_instant(day, ritual.at, ritual.timezone)
            if not is_round_day(ritual, day) or not starts <= now < starts + ROUND_GRACE:
                continue
            if latest is not None and latest >= day:
                continue
            await self._coffee.start_round(ritual.id, day, now, await self._form_groups(ritual, team, day, starts))

    async def _form_groups(self, ritual: Ritual, team: Team, day: date, starts: datetime) -> list[NewCoffeeGroup]:
        """Match the round's candidates; who cannot be matched gets a group of one with the reason."""
        settings = ritual.coffee
        taking_part, skipping = await self._participants(ritual, team)
        candidates: list[pairing.Candidate] = []
        by_id: dict[int, pairing.Candidate] = {}
        homes = await self._store.other_team_names([member.id for member in taking_part], team.id)
        for member in taking_part:
            their_day = local_date(starts, member.timezone)
            if member.id in skipping or member.is_away_on(their_day):
                continue
            candidate = pairing.Candidate(
                member_id=member.id, team=homes.get(member.id, team.name),
                windows=pairing.working_windows(member, their_day, 7, self._boundaries.holidays(member, their_day, 7)),
            )
            candidates.append(candidate)
            by_id[member.id] = candidate
        history: dict[frozenset[int], int] = {}
        recent = await self._coffee.recent_groups(ritual.id, day, settings.memory_rounds)
        for ago, groups in enumerate(recent, start=1):
            for members in groups:
                for pair in combinations(members, 2):
                    history.setdefault(frozenset(pair), ago)
        matching = pairing.match(candidates, history=history, memory=settings.memory_rounds,
                                 min_overlap_minutes=settings.min_overlap_minutes, seed=round_seed(ritual.id, day))
        formed: list[NewCoffeeGroup] = []
        for group in matching.groups:
            shared = common_windows([by_id[m].windows for m in group.members])
            formed.append(NewCoffeeGroup(
                members=group.members, shared_minutes=group.shared_minutes, cross_team=group.cross_team,
                last_met=group.last_met, intro_due_at=first_moment(shared, starts) or starts,
            ))
        for member_id in matching.unmatched:
            alone = by_id[member_id]
            if len(candidates) == 1:
                reason = "alone"
            elif all(pairing.shared_minutes(alone, other) < settings.min_overlap_minutes
                     for other in candidates if other is not alone):
                reason = "overlap"
            else:
                reason = "odd"
            formed.append(NewCoffeeGroup(
                members=(member_id,), shared_minutes=0, cross_team=False, last_met=None, reason=reason,
                intro_due_at=first_moment(alone.windows, starts) or starts,
            ))
        return formed

    async def _people(
        self, teams: dict[int, tuple[Ritual, Team]], known: dict[int, dict[int, Member]], group: CoffeeGroup
    ) -> tuple[Ritual, Team, list[Member]] | None:
        """The group's ritual, team and members who are still in it; `known` caches each team's members."""
        found = teams.get(group.ritual_id)
        if found is None:
            return None
        ritual, team = found
        if team.id not in known:
            known[team.id] = {m.id: m for m in await self._store.team_members(team.id)}
        members = [known[team.id][m] for m in group.members if m in known[team.id]]
        return (ritual, team, members) if members else None

    def _when_all_work(self, members: list[Member], now: datetime) -> datetime | None:
        """None when everyone is reachable now; otherwise the moment to try again (the next one they all are)."""
        if all(self._boundaries.reachable(m, now) for m in members):
            return None
        return next_together(members, now + timedelta(minutes=1), self._boundaries) or now + timedelta(days=1)

    async def _intros(self, teams: dict[int, tuple[Ritual, Team]], now: datetime) -> list[Message]:
        messages: list[Message] = []
        known: dict[int, dict[int, Member]] = {}
        for group in await self._coffee.due_intros(now, self._batch_size):
            found = await self._people(teams, known, group)
            if found is None:
                continue
            ritual, team, members = found
            later = self._when_all_work(members, now)
            if later is not None:
                await self._coffee.postpone(group.id, intro_due_at=later)
                continue
            follow_up = None if group.reason or len(members) < 2 else now + timedelta(
                days=ritual.coffee.follow_up_days)
            if not await self._coffee.claim_intro(group.id, now, follow_up):
                continue
            messages.append(self._intro(ritual, team, group, members))
        return messages

    def _intro(self, ritual: Ritual, team: Team, group: CoffeeGroup, members: list[Member]) -> Message:
        if group.reason or len(members) < 2:
            member = members[0]
            reason = self._reason(member.locale, group.reason or "odd", ritual)
            text = self._catalog.text(member.locale, "coffee.unmatched", team=team.name, reason=reason)
            return Prompt(key=f"coffee-intro:{group.id}", to=address_of(member), text=Text.plain(text))
        locale = self._group_locale(ritual, members)
        icebreaker = self._catalog.text(locale, f"coffee.icebreaker.{group.id % ICEBREAKERS + 1}")
        names = self._catalog.names(locale, [m.display_name for m in members])
        text = self._catalog.text(
            locale, "coffee.intro", team=team.name, names=names,
            shared=self._hours(locale, group.shared_minutes), icebreaker=icebreaker,
            reasons=self.explanation(locale, group),
        )
        return GroupPrompt(key=f"coffee-intro:{group.id}", to=tuple(address_of(m) for m in members),
                           text=Text.plain(text))

    def _group_locale(self, ritual: Ritual, members: list[Member]) -> str:
        """The group's own language when they all share it, else the team's."""
        locales = {m.locale for m in members}
        return locales.pop() if len(locales) == 1 else ritual.locale

    async def _follow_ups(self, teams: dict[int, tuple[Ritual, Team]], now: datetime) -> list[Message]:
        messages: list[Message] = []
        known: dict[int, dict[int, Member]] = {}
        for group in await self._coffee.due_follow_ups(now, self._batch_size):
            found = await self._people(teams, known, group)
            if found is None or len(found[2]) < 2:
                continue
            ritual, team, members = found
            later = self._when_all_work(members, now)
            if later is not None:
                await self._coffee.postpone(group.id, follow_up_due_at=later)
                continue
            if not await self._coffee.claim_follow_up(group.id, now):
                continue
            locale = self._group_locale(ritual, members)
            text = self._catalog.text(locale, "coffee.follow_up", team=team.name,
                                      names=self._catalog.names(locale, [m.display_name for m in members]))
            buttons = (
                Button(label=self._catalog.text(locale, "coffee.met_yes"), action=MET_ACTION, value=f"{group.id}:yes"),
                Button(label=self._catalog.text(locale, "coffee.met_no"), action=MET_ACTION, value=f"{group.id}:no"),
            )
            messages.append(GroupPrompt(key=follow_up_key(group.id), to=tuple(address_of(m) for m in members),
                                        text=Text.plain(text), buttons=buttons))
        return messages

    # Buttons -----------------------------------------------------------------------------------------------

    async def on_button(self, member: Member, action: str, value: str) -> list[Message]:
        """"Did you meet?" answered by a member of the group: recorded for the group, thanked privately."""
        group_text, _, answer = value.partition(":")
        group = await self._coffee.group(int(group_text)) if action == MET_ACTION and group_text.isdigit() else None
        if group is None or member.id not in group.members or answer not in ("yes", "no") \
                or group.follow_up_sent_at is None:
            return [Prompt(to=address_of(member),
                           text=Text.plain(self._catalog.text(member.locale, "error.unknown_button")))]
        await self._coffee.record_met(group.id, answer == "yes", self._clock.now())
        text = self._catalog.text(member.locale, f"coffee.met_thanks_{answer}")
        return [Prompt(key=f"{follow_up_key(group.id)}:answer", to=address_of(member), text=Text.plain(text))]
