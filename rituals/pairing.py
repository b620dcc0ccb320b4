"""Coffee pairing: who meets whom this round. Pure: candidates, history and a seed in; groups out.

The research behind Ritme: what remote people miss most is spontaneous contact, and across teams most of all.
So a round pairs people who have not met lately, from different teams where it can, who share enough working
time to actually have that coffee.

How a round is matched (and why):
1. People whose working windows are identical form a class; overlap is computed per pair of classes, so 10,000
   people in a few dozen time-zone/hours classes cost a few hundred interval merges, not fifty million.
2. A fast greedy pass, most constrained first, pairs almost everyone with someone new, cross-team when it can.
3. Greedy can strand people a different choice would have covered, so Edmonds' blossom algorithm augments the
   matching on the graph of "enough shared time and not met within memory": if a repeat-free matching covering
   everyone exists, the result is one (the issue's promise).
4. Only then, as a last resort for whoever is still alone, pairs that met within memory are allowed.
5. Same-team pairs swap partners with other pairs where that makes both pairs fresh and cross-team.
6. When someone is left over (an odd count), they join a pair as the one trio. If nobody can, the matching is
   rebuilt around some fitting trio so that, when a repeat-free cover with a trio exists, it is found
   (exhaustively up to 16 people, within a budget above).
Rounds above 2,000 people give their augmenting searches a budget (see _EXACT_UP_TO): a round that has no full
cover can otherwise cost a walk over millions of edges to prove it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from rituals.model import Member
from rituals.schedule import local_instant

Window = tuple[datetime, datetime]
Windows = tuple[Window, ...]

# Up to this many people, augmenting searches run to the end, so a repeat-free cover is always found when one
# exists. Above it, searches share a budget of neighbour looks: in a big round that has no full cover, proving
# it (a failing search) can mean walking millions of edges, and the 2 s target matters more than the last pair.
_EXACT_UP_TO = 2_000
_LOOKS_BUDGET = 1_000_000
_SEARCH_LOOKS = 200_000
# Greedy takes this many random looks at a class, then reads a run this long when they found nobody ideal...
_SAMPLES = 6
_SCAN = 48
# ...and visits this many classes before settling for a partner from the same team or one met long ago.
_CLASS_VISITS = 6
# An exposed person is tested against every other exposed person directly while there are at most this many.
_DIRECT_TARGETS = 48
# Pairs a same-team pair may swap partners with, looked at at random (all of them in a small round).
_SWAP_TRIES = 200
# Rebuilding around a trio: every fitting trio on a round this small; otherwise at most this many trios tried,
# this many triples looked at to find them, and this many search steps spent on them.
_EXHAUSTIVE_TRIOS = 16
_TRIO_BUDGET = 400
_TRIO_LOOKS = 200_000
_REBUILD_LOOKS = 600_000


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """One person taking part in a round: their home team and their working windows (UTC) during it."""

    member_id: int
    team: str  # home team label; different labels = cross-team
    windows: Windows  # working intervals in UTC (aware) during the round
    joined_round: int = 0  # optional; not required for matching


@dataclass(frozen=True, kw_only=True)
class Group:
    """A pair, or the round's one trio.

    shared_minutes is the time ALL members share: a pair's overlap, or for a trio the common intersection of the
    three (never a pairwise minimum, which could promise a slot that does not exist for all three at once).
    """

    members: tuple[int, ...]  # 2, or 3 when the count is odd
    shared_minutes: int
    cross_team: bool  # members come from at least two teams
    repeat: bool  # some two of them met within memory
    last_met: int | None  # rounds ago the closest pair last met (None = never)


@dataclass(frozen=True, kw_only=True)
class Matching:
    """A round's groups and who could not be matched."""

    groups: tuple[Group, ...]
    unmatched: tuple[int, ...]  # member ids left out (no one with enough shared time; or a lone person)

    @property
    def repeats(self) -> int:
        """How many groups hold two people who met within memory."""
        return sum(1 for group in self.groups if group.repeat)


def working_windows(member: Member, start: date, days: int = 7, holidays: frozenset[date] = frozenset()) -> Windows:
    """The member's working intervals in UTC on their working days from local date `start` for `days` days.

    Away days and the given public holidays are left out; overnight hours (22:00-06:00) end the next local day.
    """
    return _working_windows(
        member.timezone, member.work_days, member.work_start, member.work_end, member.away_until, start, days,
        holidays,
    )


# Most people share their zone and hours with many others, so a round of 10,000 computes a few hundred of these.
@lru_cache(maxsize=4096)
def _working_windows(
    timezone: str, work_days: tuple[int, ...], work_start: time, work_end: time, away_until: date | None,
    start: date, days: int, holidays: frozenset[date],
) -> Windows:
    windows: list[Window] = []
    if work_start == work_end:
        return ()
    for offset in range(days):
        day = start + timedelta(days=offset)
        if day.weekday() not in work_days or (away_until is not None and day <= away_until) or day in holidays:
            continue
        begin = local_instant(day, work_start, timezone)
        end_day = day if work_end > work_start else day + timedelta(days=1)
        end = local_instant(end_day, work_end, timezone)
        if end > begin:
            windows.append((begin.astimezone(UTC), end.astimezone(UTC)))
    return _merged(windows)


def _merged(windows: list[Window]) -> Windows:
    merged: list[Window] = []
    for begin, end in sorted(windows):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return tuple(merged)


# Inside the matcher windows are (start, end) in POSIX seconds: merging floats is several times faster than
# merging datetimes, and a 10,000-person round merges a few thousand class pairs.
Spans = tuple[tuple[float, float], ...]


def _spans(windows: Windows) -> Spans:
    return tuple((begin.timestamp(), end.timestamp()) for begin, end in windows)


def _intersection(a: Spans, b: Spans) -> Spans:
    out: list[tuple[float, float]] = []
    i = j = 0
    while i < len(a) and j < len(b):
        begin = a[i][0] if a[i][0] > b[j][0] else b[j][0]
        end = a[i][1] if a[i][1] < b[j][1] else b[j][1]
        if begin < end:
            out.append((begin, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def _minutes(spans: Spans) -> int:
    return int(sum(end - begin for begin, end in spans) // 60)


def shared_minutes(a: Candidate, b: Candidate) -> int:
    """Total overlap of two candidates' working windows, in minutes."""
    return _minutes(_intersection(_spans(a.windows), _spans(b.windows)))


def match(
    candidates: Sequence[Candidate],
    *,
    history: Mapping[frozenset[int], int],
    memory: int,
    min_overlap_minutes: int,
    seed: int,
) -> Matching:
    """Pairs (and one trio when the count is odd) for a round.

    history maps a pair of member ids to how many rounds ago they last met (1 = last round); a pair that met
    `memory` or fewer rounds ago is a repeat, used only to cover someone who would otherwise be left out.
    Nobody is ever grouped with someone they share fewer than `min_overlap_minutes` (and at least one) minutes
    of working time with. The same candidates, history and seed give the same matching, in any input order.
    """
    return _Matcher(candidates, history, memory, min_overlap_minutes, seed).run()


class _OutOfLooks(Exception):
    """A big round's search budget is spent; the matching so far stands."""


class _Matcher:
    """The state of one round's matching; people are indices 0..n-1 in member-id order."""

    def __init__(
        self,
        candidates: Sequence[Candidate],
        history: Mapping[frozenset[int], int],
        memory: int,
        min_overlap_minutes: int,
        seed: int,
    ) -> None:
        self.people = sorted(candidates, key=lambda candidate: candidate.member_id)
        ids = [person.member_id for person in self.people]
        if len(set(ids)) != len(ids):
            raise ValueError("a member takes part twice in one round")
        self.n = len(self.people)
        self.need = max(min_overlap_minutes, 1)
        self.memory = memory
        self.rng = random.Random(seed)
        self.team = [person.team for person in self.people]
        self.mixed = len(set(self.team)) > 1
        # The best a partner can be: someone never met, from another team when there is another team.
        self.ideal = (0, 0, 0) if self.mixed else (1, 0, 0)
        index = {member_id: i for i, member_id in enumerate(ids)}
        self.met: list[dict[int, int]] = [{} for _ in range(self.n)]
        self.recent: list[set[int]] = [set() for _ in range(self.n)]
        for pair, ago in history.items():
            if len(pair) != 2:
                continue
            a, b = pair
            i, j = index.get(a), index.get(b)
            if i is None or j is None:
                continue
            self.met[i][j] = ago
            self.met[j][i] = ago
            if ago <= memory:
                self.recent[i].add(j)
                self.recent[j].add(i)
        self._classify()
        self.mate = [-1] * self.n
        self.trio: tuple[int, int, int] | None = None
        self.looks_left: int | None = None if self.n <= _EXACT_UP_TO else _LOOKS_BUDGET
        self._failed_tree: list[int] = []

    def _classify(self) -> None:
        class_of: dict[Windows, int] = {}
        self.cls = []
        for person in self.people:
            self.cls.append(class_of.setdefault(person.windows, len(class_of)))
        self.class_windows = [_spans(windows) for windows in class_of]
        k = len(self.class_windows)
        self.class_members: list[list[int]] = [[] for _ in range(k)]
        for i, c in enumerate(self.cls):
            self.class_members[c].append(i)
        self.overlap = [[0] * k for _ in range(k)]
        for c in range(k):
            for d in range(c, k):
                minutes = _minutes(_intersection(self.class_windows[c], self.class_windows[d]))
                self.overlap[c][d] = self.overlap[d][c] = minutes
        self.feasible_classes = [[d for d in range(k) if self.overlap[c][d] >= self.need] for c in range(k)]
        self.feasible = [set(classes) for classes in self.feasible_classes]
        # Components of the class graph: an augmenting path never leaves one, so a component with a single
        # exposed person needs no search (the costly case: an odd count in one big, dense component).
        parent = list(range(k))

        def find(c: int) -> int:
            while parent[c] != c:
                parent[c] = parent[parent[c]]
                c = parent[c]
            return c

        for c in range(k):
            for d in self.feasible_classes[c]:
                parent[find(c)] = find(d)
        self.component = [find(self.cls[i]) for i in range(self.n)]

    # The graphs: "fits" needs only shared time; "fresh" also excludes pairs met within memory.

    def fits(self, i: int, j: int) -> bool:
        return i != j and self.cls[j] in self.feasible[self.cls[i]]

    def fresh(self, i: int, j: int) -> bool:
        return self.fits(i, j) and j not in self.recent[i]

    def neighbours(self, i: int, allow_repeats: bool) -> Iterator[int]:
        recent = self.recent[i]
        for c in self.feasible_classes[self.cls[i]]:
            for j in self.class_members[c]:
                if j != i and (allow_repeats or j not in recent):
                    yield j

    def _preference(self, i: int, j: int) -> tuple[int, int, int]:
        """Lower is better: cross-team first, then never met, then met longest ago."""
        ago = self.met[i].get(j)
        return (int(self.team[i] == self.team[j]), 0 if ago is None else 1, 0 if ago is None else -ago)

    def run(self) -> Matching:
        if self.n >= 2:
            self._greedy()
            self._augment(allow_repeats=False)
            self._pair_leftovers_with_repeats()
            self._augment(allow_repeats=True)
            self._mix_teams()
            self._form_trio()
        return self._result()

    # 1. Greedy

    def _greedy(self) -> None:
        capacity = [sum(len(self.class_members[d]) for d in self.feasible_classes[c]) for c in
                    range(len(self.class_members))]
        order = list(range(self.n))
        self.rng.shuffle(order)
        order.sort(key=lambda i: capacity[self.cls[i]])
        # Per class, the people still unpaired, with O(1) removal by swapping with the last.
        pool = [list(members) for members in self.class_members]
        for members in pool:
            self.rng.shuffle(members)
        position = [0] * self.n
        for members in pool:
            for at, i in enumerate(members):
                position[i] = at

        # ...and how many of them each team has, so a class holding only one's own team is not searched in vain.
        teams_in_pool: list[dict[str, int]] = [{} for _ in pool]
        for i in range(self.n):
            counts = teams_in_pool[self.cls[i]]
            counts[self.team[i]] = counts.get(self.team[i], 0) + 1

        def take(i: int) -> None:
            members = pool[self.cls[i]]
            at, last = position[i], members[-1]
            members[at] = last
            position[last] = at
            members.pop()
            teams_in_pool[self.cls[i]][self.team[i]] -= 1

        for i in order:
            if self.mate[i] != -1:
                continue
            take(i)
            partner = self._greedy_partner(i, pool, teams_in_pool)
            if partner != -1:
                take(partner)
                self.mate[i], self.mate[partner] = partner, i

    def _greedy_partner(self, i: int, pool: list[list[int]], teams_in_pool: list[dict[str, int]]) -> int:
        classes = self.feasible_classes[self.cls[i]]
        if not classes:
            return -1
        best, best_key = -1, (2, 2, 0)
        rand = self.rng.random
        start = int(rand() * len(classes))
        visits = 0
        for step in range(len(classes)):
            c = classes[(start + step) % len(classes)]
            members = pool[c]
            if not members:
                continue
            size = len(members)
            others = size - teams_in_pool[c].get(self.team[i], 0)
            if others == 0 and best != -1 and self.mixed:
                continue  # only i's own team here, and a same-team partner is already in hand
            visits += 1
            for look in range(2 if size > _SAMPLES and others > 0 else 1):
                if size <= _SAMPLES:
                    seen: Sequence[int] = members
                elif look == 0:
                    seen = [members[int(rand() * size)] for _ in range(_SAMPLES)]
                else:
                    # A few random looks usually find someone new from another team; when they do not (a class
                    # of mostly one team, or of people met lately), a longer run of the shuffled pool is read.
                    offset = int(rand() * size)
                    seen = members[offset:offset + _SCAN] + members[:max(0, offset + _SCAN - size)]
                for j in seen:
                    if j in self.recent[i]:
                        continue
                    key = self._preference(i, j)
                    if key < best_key:
                        best, best_key = j, key
                if best_key <= self.ideal:
                    return best
            if best != -1 and visits >= _CLASS_VISITS:
                break
        return best

    # 2. Edmonds' blossom augmentation

    def _augment(self, *, allow_repeats: bool) -> None:
        edge = self.fits if allow_repeats else self.fresh
        exposed_by_component: dict[int, list[int]] = {}
        for i in range(self.n):
            if self.mate[i] == -1 and self.feasible_classes[self.cls[i]]:
                exposed_by_component.setdefault(self.component[i], []).append(i)
        dead: set[int] = set()
        for component in sorted(exposed_by_component):
            exposed = exposed_by_component[component]
            # Edmonds: a root without an augmenting path never gets one later, so each root is searched once.
            for root in list(exposed):
                open_ = [i for i in exposed if self.mate[i] == -1]
                if len(open_) < 2:
                    break
                if self.mate[root] != -1:
                    continue
                try:
                    end = self._search(root, edge, allow_repeats, open_, banned=dead)
                except _OutOfLooks:
                    # Too long for one search: leave this one alone (unpruned) and go on while budget remains.
                    exposed.remove(root)
                    if not self.looks_left:
                        return
                    continue
                exposed.remove(root)
                if end == -1:
                    # A failed search's tree (a Hungarian tree) holds no augmenting path now or after later
                    # augmentations, so later searches skip it: a round pays for each dead end once.
                    dead.update(self._failed_tree)
                elif end in exposed:
                    exposed.remove(end)

    def _search(
        self,
        root: int,
        edge: Callable[[int, int], bool],
        allow_repeats: bool,
        targets: list[int],
        banned: AbstractSet[int],
    ) -> int:
        """One augmenting-path search from an exposed root (Edmonds); augments and returns the far end, or -1.

        State lives in dicts so a search costs what it visits, not n; `banned` people are left out of the graph.
        On a big round every neighbour looked at counts against the round's budget (_OutOfLooks when spent).
        """
        mate = self.mate
        base: dict[int, int] = {}
        parent: dict[int, int] = {}
        even: set[int] = {root}
        tree: list[int] = [root]
        queue: list[int] = [root]
        direct = [t for t in targets if t != root and t not in banned] if len(targets) <= _DIRECT_TARGETS else []

        def base_of(v: int) -> int:
            return base.get(v, v)

        def common_base(a: int, b: int) -> int:
            seen: set[int] = set()
            while True:
                a = base_of(a)
                seen.add(a)
                if mate[a] == -1:
                    break
                a = parent[mate[a]]
            while True:
                b = base_of(b)
                if b in seen:
                    return b
                b = parent[mate[b]]

        def mark(v: int, stop: int, child: int, blossom: set[int]) -> None:
            while base_of(v) != stop:
                blossom.add(base_of(v))
                blossom.add(base_of(mate[v]))
                parent[v] = child
                child = mate[v]
                v = parent[mate[v]]

        def augment(end: int) -> int:
            if self.looks_left is not None:
                self.looks_left = max(0, self.looks_left - looks)
            v = end
            while v != -1:
                pv = parent[v]
                ppv = mate[pv]
                mate[v], mate[pv] = pv, v
                v = ppv
            return end

        def reach_target(v: int) -> int:
            # Looking at the few exposed people first finds most paths after one step instead of a full scan.
            for t in direct:
                if mate[t] == -1 and t not in parent and base_of(v) != base_of(t) and edge(v, t):
                    parent[t] = v
                    return t
            return -1

        budget = None if self.looks_left is None else min(self.looks_left, _SEARCH_LOOKS)
        inside: dict[int, list[int]] = {}  # a blossom's base -> everyone whose base it is
        looks = 0
        head = 0
        while head < len(queue):
            v = queue[head]
            head += 1
            for to in self.neighbours(v, allow_repeats):
                looks += 1
                if budget is not None and looks > budget:
                    self.looks_left = max(0, (self.looks_left or 0) - looks)
                    raise _OutOfLooks
                if to in banned or base_of(v) == base_of(to) or mate[v] == to:
                    continue
                if to == root or (mate[to] != -1 and mate[to] in parent):
                    stop = common_base(v, to)
                    blossom: set[int] = set()
                    mark(v, stop, to, blossom)
                    mark(to, stop, v, blossom)
                    # Every person of the blossom's sub-blossoms takes its base: found through `inside`, not by
                    # walking the whole tree per blossom (which made a dense round's failing search quadratic).
                    merged = inside.setdefault(stop, [stop])
                    for old_base in blossom:
                        if old_base == stop:
                            continue
                        moved = inside.pop(old_base, [old_base])
                        looks += len(moved)
                        merged.extend(moved)
                        for u in moved:
                            base[u] = stop
                            if u not in even:
                                even.add(u)
                                queue.append(u)
                                found = reach_target(u)
                                if found != -1:
                                    return augment(found)
                elif to not in parent:
                    parent[to] = v
                    tree.append(to)
                    if mate[to] == -1:
                        return augment(to)
                    nxt = mate[to]
                    even.add(nxt)
                    tree.append(nxt)
                    queue.append(nxt)
                    found = reach_target(nxt)
                    if found != -1:
                        return augment(found)
        if self.looks_left is not None:
            self.looks_left = max(0, self.looks_left - looks)
        self._failed_tree = tree
        return -1

    # 3. Last resort: repeats

    def _pair_leftovers_with_repeats(self) -> None:
        leftovers = [i for i in range(self.n) if self.mate[i] == -1 and self.feasible_classes[self.cls[i]]]
        if len(leftovers) < 2:
            return
        by_class: dict[int, list[int]] = {}
        for i in leftovers:
            by_class.setdefault(self.cls[i], []).append(i)
        for i in leftovers:
            if self.mate[i] != -1:
                continue
            best, best_key = -1, (2, 2, 0)
            for c in self.feasible_classes[self.cls[i]]:
                for j in by_class.get(c, ()):
                    if j != i and self.mate[j] == -1:
                        key = self._preference(i, j)
                        if key < best_key:
                            best, best_key = j, key
            if best != -1:
                self.mate[i], self.mate[best] = best, i

    # 4. Mixing teams

    def _mix_teams(self) -> None:
        """Turn same-team pairs into cross-team ones by swapping partners with another pair, where both new
        pairs are fresh and cross-team: greedy's late picks have little choice left, a swap gives them some."""
        if not self.mixed:
            return
        paired = [i for i in range(self.n) if self.mate[i] != -1]
        same_team = [i for i in paired if i < self.mate[i] and self.team[i] == self.team[self.mate[i]]]
        everyone = len(paired) <= _SWAP_TRIES
        for a in same_team:
            b = self.mate[a]
            tries = paired if everyone else [paired[int(self.rng.random() * len(paired))] for _ in range(_SWAP_TRIES)]
            for c in tries:
                d = self.mate[c]
                if c in (a, b) or d in (a, b):
                    continue
                if self._swap_fits(a, c) and self._swap_fits(b, d):
                    self.mate[a], self.mate[c], self.mate[b], self.mate[d] = c, a, d, b
                    break
                if self._swap_fits(a, d) and self._swap_fits(b, c):
                    self.mate[a], self.mate[d], self.mate[b], self.mate[c] = d, a, c, b
                    break

    def _swap_fits(self, i: int, j: int) -> bool:
        return self.team[i] != self.team[j] and self.fresh(i, j)

    # 5. The one trio

    def _trio_fits(self, a: int, b: int, c: int, *, allow_repeats: bool) -> bool:
        edge = self.fits if allow_repeats else self.fresh
        if not (edge(a, b) and edge(a, c) and edge(b, c)):
            return False
        windows = self.class_windows
        return _minutes(_intersection(_intersection(windows[self.cls[a]], windows[self.cls[b]]),
                                      windows[self.cls[c]])) >= self.need

    def _form_trio(self) -> None:
        left = [i for i in range(self.n) if self.mate[i] == -1 and self.feasible_classes[self.cls[i]]]
        if not left:
            return
        self.rng.shuffle(left)
        for allow_repeats in (False, True):
            for x in left:
                if self._join_a_pair(x, allow_repeats=allow_repeats):
                    return
            if not allow_repeats and len(left) == 1 and self._rebuild_around_a_trio(left[0]):
                return

    def _join_a_pair(self, x: int, *, allow_repeats: bool) -> bool:
        best: tuple[int, int] | None = None
        best_key: tuple[int, int, int, int] | None = None
        for a in self.neighbours(x, allow_repeats):
            b = self.mate[a]
            if b == -1 or a > b or not self._trio_fits(x, a, b, allow_repeats=allow_repeats):
                continue
            teams = {self.team[x], self.team[a], self.team[b]}
            agos = [ago for ago in (self.met[x].get(a), self.met[x].get(b)) if ago is not None]
            key = (int(len(teams) == 1), len(agos), -min(agos, default=0), 0)
            if best_key is None or key < best_key:
                best, best_key = (a, b), key
                if key[:2] == (0, 0):
                    break
        if best is None:
            return False
        self.trio = (x, *best)
        return True

    def _rebuild_around_a_trio(self, x: int) -> bool:
        """Find a fresh trio T such that everyone else can still be paired without repeats, and rebuild around it.

        Nobody left over could join an existing pair, yet a different matching might leave someone over who can:
        a perfect cover with one trio exists exactly when, for some fitting trio T, the rest has a perfect
        matching. Each T is tested by repairing the current matching with at most three augmenting searches.
        """
        tried = 0
        exhaustive = self.n <= _EXHAUSTIVE_TRIOS
        if not exhaustive:
            # Each try may be a failing search over the whole round: the tries share a budget of their own.
            self.looks_left = min(_REBUILD_LOOKS, _REBUILD_LOOKS if self.looks_left is None else self.looks_left)
        for a, b, c in self._fresh_trios(x, None if exhaustive else _TRIO_LOOKS):
            if not exhaustive and tried >= _TRIO_BUDGET:
                return False
            tried += 1
            saved = list(self.mate)
            banned = frozenset((a, b, c))
            # Everyone paired now, and the one left over, must be paired again; anyone more is a bonus.
            required = [i for i in range(self.n) if i not in banned and (saved[i] != -1 or i == x)]
            for v in banned:
                if self.mate[v] != -1:
                    self.mate[self.mate[v]] = -1
                self.mate[v] = -1
            open_ = [i for i in range(self.n) if self.mate[i] == -1 and i not in banned]
            ok = True
            try:
                for root in required:
                    if self.mate[root] != -1:
                        continue
                    if self._search(root, self.fresh, False, open_, banned) == -1:
                        ok = False
                        break
            except _OutOfLooks:
                self.mate = saved
                if not self.looks_left:
                    return False
                continue
            if ok:
                self.mate[b], self.mate[c] = c, b
                self.trio = (a, b, c)
                return True
            self.mate = saved
        return False

    def _fresh_trios(self, x: int, looks: int | None) -> Iterator[tuple[int, int, int]]:
        """Fitting repeat-free trios, those holding the left-over person first; (a, b, c) with b < c.

        `looks` caps the triples examined (None: all of them), so a big round cannot spend minutes here.
        """
        firsts = [x] + [i for i in range(self.n) if i != x]
        seen: set[frozenset[int]] = set()
        for a in firsts:
            others = sorted(self.neighbours(a, False))
            for bi, b in enumerate(others):
                for c in others[bi + 1:]:
                    if looks is not None:
                        looks -= 1
                        if looks < 0:
                            return
                    key = frozenset((a, b, c))
                    if key in seen or not self._trio_fits(a, b, c, allow_repeats=False):
                        continue
                    seen.add(key)
                    yield a, b, c

    # The answer

    def _result(self) -> Matching:
        groups: list[tuple[int, ...]] = []
        in_trio = set(self.trio or ())
        if self.trio is not None:
            groups.append(self.trio)
        for i in range(self.n):
            j = self.mate[i]
            if j > i and i not in in_trio:
                groups.append((i, j))
        grouped = {i for group in groups for i in group}
        unmatched = tuple(self.people[i].member_id for i in range(self.n) if i not in grouped)
        built = sorted((self._group(group) for group in groups), key=lambda group: group.members)
        return Matching(groups=tuple(built), unmatched=unmatched)

    def _group(self, indices: tuple[int, ...]) -> Group:
        if len(indices) == 2:
            shared = self.overlap[self.cls[indices[0]]][self.cls[indices[1]]]
        else:
            spans = self.class_windows[self.cls[indices[0]]]
            for i in indices[1:]:
                spans = _intersection(spans, self.class_windows[self.cls[i]])
            shared = _minutes(spans)
        agos = [self.met[i][j] for n, i in enumerate(indices) for j in indices[n + 1:] if j in self.met[i]]
        return Group(
            members=tuple(sorted(self.people[i].member_id for i in indices)),
            shared_minutes=shared,
            cross_team=len({self.team[i] for i in indices}) >= 2,
            repeat=any(ago <= self.memory for ago in agos),
            last_met=min(agos, default=None),
        )
