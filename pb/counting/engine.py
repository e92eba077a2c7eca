"""Counting the votes of a participatory budget: pure functions of plain data, on exact numbers.

`count(projects, ballots, budget, rule, ...)` returns a `CountResult`: the selected projects in
selection order, their total cost, votes and points per project, and for every project why it was or
was not funded. There is no I/O and no database here.

Rules (the names Pabulib files use in META `rule`):

- ``greedy``: projects by votes (points, for cumulative ballots); each is funded if it still fits in
  the money left, otherwise skipped.
- ``greedy-no-skip``: the same, but counting stops at the first project that does not fit.
- ``greedy-threshold``: greedy over the projects whose score reaches `min_project_score_threshold`.
- ``equalshares``: the Method of Equal Shares with cost utilities. The budget is split equally
  between the voters; a project is bought when its supporters can pay for it from their shares, the
  cheapest-per-supporter first (the smallest "rho": the most any supporter pays, per unit of cost).
- ``equalshares/add1``: Equal Shares completed by raising each voter's share one unit at a time
  while the outcome still fits in the budget, as the cities that use it did: start at
  floor(budget / voters), raise by 1 without stopping at the first exhaustive outcome, keep the
  largest share whose outcome still fits (``add1="cities"``; pabutools' flavour is
  ``add1="pabutools"``).
- ``equalshares/add1-comparison``: then the comparison step Wieliczka used: the Equal Shares outcome
  is replaced by the greedy one if more voters prefer greedy's (they support more of its projects).

Any Equal Shares rule can be followed by utilitarian completion (``completion="utilitarian"``): the
projects left are taken by votes while they fit.

Ballots are sets of project ids (approval, choose-1) or {project id: points} (cumulative). Points
count as votes' weight: greedy orders by points, Equal Shares gives a supporter utility
points x cost (so one who gave 2 points pays twice what one who gave 1 point pays).

Ties are broken by `TieBreak`: by default lower cost, then more votes, then a lot order fixed and
published before counting. ``compat="pabutools"`` reproduces the conventions of pabutools (the
reference implementation) for cross-checking: ties by project id compared as strings, every listed
project counted once (cumulative ballots as approval), its add-one completion (start at
budget / voters, stop at the first exhaustive outcome), and greedy funding projects nobody voted for
when money is left.

Arithmetic is exact: ints and Fractions decide every outcome. For approval ballots a numpy engine
(`_FastEqualShares`) runs Equal Shares on floats but only acts on a float when a rigorous error bound
proves the exact comparison goes the same way; anything closer (ties, near-ties) is settled with
Fractions. Without numpy, or with points, the pure-Fraction engine (`_ExactEqualShares`) runs.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

from pb.counting.next_change import Prepared, next_change, prepare

_np: Any = None  # numpy, once loaded: it makes Equal Shares fast; counting is exact without it, only slower
_NUMPY_TRIED = False


def _load_numpy() -> Any:
    """numpy, or None where it is not installed (imported on first use: `pb` starts faster)."""
    global _np, _NUMPY_TRIED
    if not _NUMPY_TRIED:
        _NUMPY_TRIED = True
        try:
            import numpy

            _np = numpy
        except ImportError:  # pragma: no cover - exercised only where numpy is missing
            _np = None
    return _np


Number = int | Fraction

GREEDY = "greedy"
GREEDY_NO_SKIP = "greedy-no-skip"
GREEDY_THRESHOLD = "greedy-threshold"
EQUAL_SHARES = "equalshares"
EQUAL_SHARES_ADD1 = "equalshares/add1"
EQUAL_SHARES_ADD1_COMPARISON = "equalshares/add1-comparison"
RULES = (GREEDY, GREEDY_NO_SKIP, GREEDY_THRESHOLD, EQUAL_SHARES, EQUAL_SHARES_ADD1, EQUAL_SHARES_ADD1_COMPARISON)
GREEDY_RULES = (GREEDY, GREEDY_NO_SKIP, GREEDY_THRESHOLD)
EQUAL_SHARES_RULES = (EQUAL_SHARES, EQUAL_SHARES_ADD1, EQUAL_SHARES_ADD1_COMPARISON)

COMPAT_PB = "pb"
COMPAT_PABUTOOLS = "pabutools"
COMPLETIONS = (None, "utilitarian")
ADD1_CITIES = "cities"  # start at floor(budget / voters), raise while the outcome fits (Assen, Świecie, Wieliczka)
ADD1_PABUTOOLS = "pabutools"  # start at budget / voters, stop at the first exhaustive outcome
ADD1_FLAVOURS = (ADD1_CITIES, ADD1_PABUTOOLS)
ENGINES = ("auto", "exact", "fast")

TIE_BREAK_CRITERIA = ("min-cost", "max-cost", "max-votes", "max-points", "id", "lot")

# Reasons given for each project (ProjectOutcome.reason).
FUNDED = "funded"  # greedy: it fitted in the money left
DID_NOT_FIT = "did-not-fit"  # greedy: its cost was more than the money left
NOT_REACHED = "not-reached"  # greedy-no-skip: counting stopped at an earlier project that did not fit
BELOW_THRESHOLD = "below-threshold"  # greedy-threshold: its score was below the threshold
NO_VOTES = "no-votes"  # nobody voted for it
BOUGHT = "bought"  # equal shares: its supporters paid for it in a round
NOT_ENOUGH_MONEY = "not-enough-money"  # equal shares: its supporters' remaining shares were not enough
COMPLETED = "completed"  # utilitarian completion funded it from the money left


class CountingError(ValueError):
    """The input cannot be counted (unknown rule or project, inexact number...)."""


@dataclass(frozen=True)
class Project:
    id: str
    cost: Number


@dataclass(frozen=True)
class TieBreak:
    """How ties are broken: criteria in order, then the lot order, then the order projects were given.

    Criteria: "min-cost" (cheaper first), "max-cost", "max-votes" (more voters first), "max-points",
    "id" (project id compared as a string, pabutools' convention) and "lot" (the position in `lot`,
    the lot order drawn and published before counting; projects it does not list come after it in
    the order they were given, so with an empty `lot` that order must be the published one).
    """

    criteria: tuple[str, ...] = ("min-cost", "max-votes", "lot")
    lot: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "criteria", tuple(self.criteria))
        object.__setattr__(self, "lot", tuple(self.lot))
        for criterion in self.criteria:
            if criterion not in TIE_BREAK_CRITERIA:
                raise CountingError(f"unknown tie-break criterion {criterion!r} (known: {', '.join(TIE_BREAK_CRITERIA)})")

    @classmethod
    def pabutools(cls) -> TieBreak:
        return cls(criteria=("id",))


@dataclass(frozen=True)
class ProjectOutcome:
    """Why one project was or was not funded. Money is exact (int or Fraction)."""

    project_id: str
    cost: Number
    votes: int
    points: Number
    selected: bool
    reason: str
    position: int | None = None  # 1-based place in the selection order
    money_left: Number | None = None  # greedy and completion: money left when it was considered
    round: int | None = None  # equal shares: the round it was bought in (1-based)
    price_per_supporter: Fraction | None = None  # equal shares: most a supporter paid (per point)
    money_behind: Fraction | None = None  # equal shares, not bought: its supporters' money at the end
    threshold: Number | None = None  # greedy-threshold: the threshold it was below

    def to_dict(self) -> dict[str, Any]:
        data = {
            "project_id": self.project_id,
            "cost": json_number(self.cost),
            "votes": self.votes,
            "points": json_number(self.points),
            "selected": self.selected,
            "reason": self.reason,
        }
        for name in ("position", "money_left", "round", "price_per_supporter", "money_behind", "threshold"):
            value = getattr(self, name)
            if value is not None:
                data[name] = json_number(value)
        return data


@dataclass(frozen=True)
class Comparison:
    """The comparison step of equalshares/add1-comparison."""

    equal_shares: tuple[str, ...]
    greedy: tuple[str, ...]
    prefer_equal_shares: int  # voters who support more of Equal Shares' projects (more points, if cumulative)
    prefer_greedy: int
    chose: str  # "equalshares" or "greedy"


@dataclass(frozen=True)
class CountResult:
    rule: str
    compat: str
    budget: Number
    selected: tuple[str, ...]  # in selection order
    total_cost: Number
    votes: dict[str, int]
    points: dict[str, Number]
    outcomes: dict[str, ProjectOutcome]  # in the order the projects were given
    tie_break: TieBreak
    voters: int
    completion: str | None = None
    add1: str | None = None  # equalshares/add1*: "cities" or "pabutools"
    voter_share: Number | None = None  # equal shares: each voter's share in the (last) run
    comparison: Comparison | None = None
    threshold: Number | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "compat": self.compat,
            "budget": json_number(self.budget),
            "selected": list(self.selected),
            "total_cost": json_number(self.total_cost),
            "voters": self.voters,
            "tie_break": {"criteria": list(self.tie_break.criteria), "lot": list(self.tie_break.lot)},
        }
        if self.completion:
            data["completion"] = self.completion
        if self.add1:
            data["add1"] = self.add1
        if self.threshold is not None:
            data["min_project_score_threshold"] = json_number(self.threshold)
        if self.voter_share is not None:
            data["voter_share"] = json_number(self.voter_share)
        if self.comparison is not None:
            c = self.comparison
            data["comparison"] = {
                "equalshares": list(c.equal_shares),
                "greedy": list(c.greedy),
                "prefer_equalshares": c.prefer_equal_shares,
                "prefer_greedy": c.prefer_greedy,
                "chose": c.chose,
            }
        data["projects"] = [outcome.to_dict() for outcome in self.outcomes.values()]
        return data


def json_number(value: Number) -> int | str:
    """An exact number for JSON: ints stay ints; other values become text ("12.5", or "1/3")."""
    if isinstance(value, int):
        return value
    value = Fraction(value)
    if value.denominator == 1:
        return value.numerator
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:
        return format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return f"{value.numerator}/{value.denominator}"


def exact(value: Any, what: str = "number") -> Number:
    """An int or Fraction from an int, Fraction or Decimal; floats are refused (they are not exact)."""
    if isinstance(value, bool):
        raise CountingError(f"{what} must be a number, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, (Fraction, Decimal)):
        result = Fraction(value)
        return result.numerator if result.denominator == 1 else result
    raise CountingError(f"{what} must be an int, Fraction or Decimal (exact), not {type(value).__name__}")


# --------------------------------------------------------------------------------------------------
# Input


@dataclass
class _Election:
    ids: list[str]
    costs: list[Number]
    budget: Number
    voters: int
    groups: list[tuple[int, ...]]  # distinct ballots: project indices
    points: list[tuple[Number, ...]] | None  # points per project index of each group (None: all 1)
    weights: list[int]  # voters casting each distinct ballot
    votes: list[int]
    total_points: list[Number]
    cumulative: bool

    @property
    def scores(self) -> list[Number]:
        return self.total_points if self.cumulative else cast(list[Number], self.votes)


def _prepare(projects: Iterable, ballots: Iterable, budget: Any, approval_only: bool) -> _Election:
    ids: list[str] = []
    costs: list[Number] = []
    for project in projects:
        if isinstance(project, Project):
            project_id, cost = project.id, project.cost
        elif isinstance(project, Mapping):
            project_id, cost = project["id"], project["cost"]
        else:
            project_id, cost = project
        project_id = str(project_id)
        cost = exact(cost, f"the cost of project {project_id!r}")
        if cost < 0:
            raise CountingError(f"project {project_id!r} has a negative cost")
        ids.append(project_id)
        costs.append(cost)
    index = {project_id: i for i, project_id in enumerate(ids)}
    if len(index) != len(ids):
        raise CountingError("two projects have the same id")
    budget = exact(budget, "the budget")
    if budget < 0:
        raise CountingError("the budget is negative")

    def idx(project_id: Any) -> int:
        try:
            return index[str(project_id)]
        except KeyError:
            raise CountingError(f"a ballot names unknown project {project_id!r}") from None

    # Count identical ballots first (hashing is cheap), then read each distinct ballot once.
    ballots = ballots if isinstance(ballots, list) else list(ballots)
    sets: Counter = Counter()
    maps: Counter = Counter()
    if all(type(ballot) is frozenset for ballot in ballots):
        sets = Counter(ballots)
        ballots = []
    for ballot in ballots:
        kind = type(ballot)
        if kind is frozenset:
            sets[ballot] += 1
        elif kind is dict or isinstance(ballot, Mapping):
            maps[frozenset(ballot.items())] += 1
        elif isinstance(ballot, (str, bytes)):
            raise CountingError("a ballot must be a collection of project ids, not a string")
        else:
            sets[frozenset(ballot)] += 1
    kinds = {name for name, found in (("approval", sets), ("points", maps)) if found}
    tally: dict = {}  # approval: sorted tuple of project indices; points: frozenset of (index, points)
    key: Any
    lookup = index.__getitem__
    for content, weight in sets.items():
        try:
            key = tuple(sorted(map(lookup, content)))
        except KeyError:
            key = tuple(sorted(set(map(idx, content))))
        tally[key] = tally.get(key, 0) + weight
    for content, weight in maps.items():
        if approval_only:
            key = tuple(sorted({idx(p) for p, _ in content}))
        else:
            items: dict[int, Number] = {}
            for project_id, value in content:
                value = exact(value, "points")
                if value < 0:
                    raise CountingError("points cannot be negative")
                if value:
                    i = idx(project_id)
                    items[i] = items.get(i, 0) + value
            key = frozenset(items.items())
        tally[key] = tally.get(key, 0) + weight
    if len(kinds) > 1:
        raise CountingError("ballots mix approval sets and points")
    cumulative = kinds == {"points"} and not approval_only

    m = len(ids)
    groups: list[tuple[int, ...]] = []
    point_groups: list[tuple[Number, ...]] = []
    weights: list[int] = []
    votes = [0] * m
    total_points: list[Number] = [0] * m
    uniform = True
    for key, weight in tally.items():
        if cumulative:
            pairs = sorted(key)
            group = tuple(i for i, _ in pairs)
            pts = tuple(p for _, p in pairs)
            point_groups.append(pts)
            uniform = uniform and all(p == 1 for p in pts)
            for i, p in pairs:
                votes[i] += weight
                total_points[i] += weight * p
        else:
            group = key
            for i in group:
                votes[i] += weight
                total_points[i] += weight
        groups.append(group)
        weights.append(weight)
    # Points that are all 1 count as approval (None), which the rules handle faster.
    points = point_groups if cumulative and not uniform else None
    voters = sum(weights)
    return _Election(ids, costs, budget, voters, groups, points, weights, votes, total_points, cumulative)


def _ranks(el: _Election, tie_break: TieBreak) -> list[int]:
    """rank[c]: the place of project c in the tie-break order (0 wins every tie)."""
    lot_position = {project_id: i for i, project_id in enumerate(tie_break.lot)}
    unlisted = len(lot_position)

    def key(c: int) -> tuple:
        parts: list[Any] = []
        for criterion in tie_break.criteria:
            if criterion == "min-cost":
                parts.append(el.costs[c])
            elif criterion == "max-cost":
                parts.append(-el.costs[c])
            elif criterion == "max-votes":
                parts.append(-el.votes[c])
            elif criterion == "max-points":
                parts.append(-el.total_points[c])
            elif criterion == "id":
                parts.append(el.ids[c])
            else:
                parts.append(lot_position.get(el.ids[c], unlisted))
        parts.append(lot_position.get(el.ids[c], unlisted))
        parts.append(c)
        return tuple(parts)

    order = sorted(range(len(el.ids)), key=key)
    rank = [0] * len(order)
    for place, c in enumerate(order):
        rank[c] = place
    return rank


# --------------------------------------------------------------------------------------------------
# Greedy


def _greedy(
    el: _Election,
    rank: list[int],
    money: Number,
    *,
    skip: bool = True,
    threshold: Number | None = None,
    fund_unvoted: bool = False,
    exclude: Iterable[int] = (),
    stage: str = "greedy",
) -> tuple[list[int], dict[int, dict[str, Any]]]:
    """Greedy by score (votes, or points); returns the funded projects in order and a note per project."""
    scores = el.scores
    excluded = set(exclude)
    order = sorted((c for c in range(len(el.ids)) if c not in excluded), key=lambda c: (-scores[c], rank[c]))
    funded: list[int] = []
    notes: dict[int, dict[str, Any]] = {}
    stopped = False
    for c in order:
        cost = el.costs[c]
        if el.votes[c] == 0 and not fund_unvoted:
            notes[c] = {"reason": NO_VOTES}
        elif threshold is not None and scores[c] < threshold:
            notes[c] = {"reason": BELOW_THRESHOLD, "threshold": threshold}
        elif stopped:
            notes[c] = {"reason": NOT_REACHED}
        elif cost <= money:
            notes[c] = {"reason": COMPLETED if stage == "completion" else FUNDED, "money_left": money}
            funded.append(c)
            money -= cost
        else:
            notes[c] = {"reason": DID_NOT_FIT, "money_left": money}
            if not skip:
                stopped = True
    return funded, notes


# --------------------------------------------------------------------------------------------------
# Equal Shares: the exact engine (Fractions; any points)


@dataclass
class _MesRun:
    share: Number  # each voter's starting share
    selected: list[int]
    state: Any = None  # the engine's data, to explain the run afterwards


class _ExactEqualShares:
    """Equal Shares with Fractions, voters grouped by identical ballots (the equalshares.net algorithm)."""

    fund_free = True  # a supported project costing nothing is bought first (pabutools never buys one)

    def __init__(self, el: _Election, rank: list[int]):
        self.el = el
        self.rank = rank
        m = len(el.ids)
        self.supporters: list[list[tuple[int, int, Number]]] = [[] for _ in range(m)]
        for g, group in enumerate(el.groups):
            pts = el.points[g] if el.points is not None else (1,) * len(group)
            for c, p in zip(group, pts, strict=True):
                self.supporters[c].append((g, el.weights[g], p))
        self.weighted_points = [sum(w * p for _, w, p in sup) for sup in self.supporters]

    def run(self, share: Number) -> _MesRun:
        el, rank = self.el, self.rank
        start = Fraction(share)
        budget = [start] * len(el.groups)
        selected: list[int] = []
        prices: list[Fraction] = []
        free = sorted(
            (c for c in range(len(el.ids)) if el.costs[c] == 0 and self.weighted_points[c] > 0 and self.fund_free),
            key=rank.__getitem__,
        )
        for c in free:
            selected.append(c)
            prices.append(Fraction(0))
        bound = {
            c: Fraction(1, 1) / self.weighted_points[c]
            for c in range(len(el.ids))
            if el.costs[c] > 0 and self.weighted_points[c] > 0
        }
        while bound:
            best: Fraction | None = None
            tied: list[tuple[int, Fraction]] = []
            for c in sorted(bound, key=lambda c: (bound[c], rank[c])):
                if best is not None and bound[c] > best:
                    break
                found = self._price(c, budget)
                if found is None:
                    del bound[c]
                    continue
                rho, price = found
                bound[c] = rho
                if best is None or rho < best:
                    best, tied = rho, [(c, price)]
                elif rho == best:
                    tied.append((c, price))
            if not tied:
                break
            c, price = min(tied, key=lambda item: rank[item[0]])
            for g, _, p in self.supporters[c]:
                pay = price * p
                budget[g] = budget[g] - pay if budget[g] > pay else Fraction(0)
            selected.append(c)
            prices.append(price)
            del bound[c]
        return _MesRun(share, selected, (prices, budget))

    def _price(self, c: int, budget: list[Fraction]) -> tuple[Fraction, Fraction] | None:
        """(rho, price per point) of project c now, or None if its supporters cannot pay for it."""
        supporters = self.supporters[c]
        cost = self.el.costs[c]
        if sum(w * budget[g] for g, w, _ in supporters) < cost:
            return None
        paid: Fraction = Fraction(0)
        remaining = self.weighted_points[c]
        for g, w, p in sorted(supporters, key=lambda item: budget[item[0]] / item[2]):
            price = (cost - paid) / remaining
            if price * p <= budget[g]:
                return price / cost, price
            paid += w * budget[g]
            remaining -= w * p
        return None  # pragma: no cover - unreachable when the supporters have the money

    def explain(self, run: _MesRun) -> tuple[list[Fraction], dict[int, Fraction]]:
        prices, budget = run.state
        chosen = set(run.selected)
        behind = {
            c: sum((w * budget[g] for g, w, _ in self.supporters[c]), Fraction(0))
            for c in range(len(self.el.ids))
            if c not in chosen
        }
        return list(prices), behind


# --------------------------------------------------------------------------------------------------
# Equal Shares: the fast engine (numpy floats to search, exact integers to decide)

_EPS = 2.0**-53  # unit roundoff of IEEE doubles
_ETA = 1e-9  # relative half-width of the interval a float price is certified in
_TINY = 5e-324  # a positive float, for budgets that are exactly positive but round to nothing


class _Eval:
    """One project's price now: exact (`rho` and `q` set) or certified to lie in [q_lo, q_hi]."""

    __slots__ = ("c", "lo", "hi", "rho", "q", "q_lo", "q_hi", "poor", "fv")

    def __init__(self, c, lo, hi, rho=None, q=None, q_lo=None, q_hi=None, poor=None, fv=None):
        self.c, self.lo, self.hi, self.rho, self.q, self.q_lo, self.q_hi = c, lo, hi, rho, q, q_lo, q_hi
        self.poor = poor
        self.fv = fv  # the supporters' budgets (floats) it was evaluated on  # exact evaluations: per supporter, 1 if it cannot pay q in full, 2 if it has exactly q


class _FastState:
    """One run. Money is exact as integers over the common denominator `den`: the share is
    share_num / den and the price of round r is price_num[r] / den; a group's budget is
    (share_num - the prices it paid) / den, or 0 once it could not pay a full price."""

    __slots__ = (
        "share",
        "share_f",
        "f",
        "delta",
        "den",
        "share_num",
        "price_num",
        "prices",
        "paid",
        "paid_flat",
        "selected",
        "live",
        "start",
        "evaluations",
    )

    def __init__(self, share: Fraction, groups: int, width: int, projects: int):
        np = _np
        self.share = share
        self.share_f = float(share)
        self.f = np.full(groups, self.share_f)  # remaining budgets, each within `delta` of the exact one
        self.delta = 0.0 if self.share_f == share else 2 * _EPS * self.share_f
        self.den = share.denominator
        self.share_num = share.numerator
        self.price_num: list[int] = []
        self.prices: list[Fraction] = []
        self.paid = np.full((groups, width), -1, dtype=np.int32)  # per vote cast: the round it was paid in
        self.paid_flat = self.paid.ravel()
        self.live: dict[int, tuple] = {}  # per project: its supporters, dropping (now and then) those with nothing left
        self.start: dict[int, float] = {}  # per project: a price it is known not to go below (prices only rise)
        self.evaluations: dict[int, int] = {}
        self.selected: list[int] = []

    def add_price(self, q: Fraction) -> None:
        factor = q.denominator // math.gcd(self.den, q.denominator)
        if factor != 1:
            self.den *= factor
            self.share_num *= factor
            self.price_num = [n * factor for n in self.price_num]
        self.price_num.append(q.numerator * (self.den // q.denominator))
        self.prices.append(q)


class _FastEqualShares:
    """Equal Shares for approval ballots on numpy arrays, with exact outcomes.

    Invariants: `f[g]` is within `delta` of group g's exact budget, and `f[g] == 0` exactly when that
    budget is exactly 0. Every price paid is exact (a Fraction, computed from who could not pay in
    full and what they had paid before), so `delta` only grows by rounding. Each project evaluated
    gets either its exact rho or an interval proven to contain it: F(t) = sum of w * min(budget, t)
    is nondecreasing and F(price) = cost, so F(t) < cost proves t < price, and a float evaluation of F
    is trusted only beyond a bound on its error (budgets off by at most delta, summation rounding).
    Projects are compared through these intervals; when intervals overlap, or a supporter's budget is
    too close to a price to say whether it pays in full, the exact values decide.
    """

    fund_free = True  # as in _ExactEqualShares

    def __init__(self, el: _Election, rank: list[int]):
        np = _np
        self.el = el
        self.rank = rank
        m = self.m = len(el.ids)
        groups = len(el.groups)
        lengths = np.array([len(g) for g in el.groups], dtype=np.int64)
        self.width = max(1, int(lengths.max()) if groups else 1)
        entries = int(lengths.sum())
        entry_project = np.fromiter((c for g in el.groups for c in g), dtype=np.int64, count=entries)
        entry_group = np.repeat(np.arange(groups, dtype=np.int64), lengths)
        entry_pos = np.arange(entries, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        self.w = np.array(el.weights, dtype=np.int64)
        self.wf = self.w.astype(np.float64)
        order = np.argsort(entry_project, kind="stable")
        bounds = np.cumsum(np.bincount(entry_project, minlength=m))[:-1]
        sup = np.split(entry_group[order], bounds) if m else []  # supporter groups of each project
        # where each supporter's vote for the project is in the groups x width table of paid rounds
        vote = np.split(entry_group[order] * self.width + entry_pos[order], bounds) if m else []
        self.sup = sup
        self.W = [int(self.w[s].sum()) for s in sup]
        # (groups, their weights, their votes, total weight) per project
        self.supporters = [(s, self.wf[s], v, float(W)) for s, v, W in zip(sup, vote, self.W, strict=True)]
        self.cost = [Fraction(c) for c in el.costs]
        self.cost_f = [float(c) for c in el.costs]

    def run(self, share: Number) -> _MesRun:
        el, rank = self.el, self.rank
        st = _FastState(Fraction(share), len(el.groups), self.width, self.m)
        for c in sorted(
            (c for c in range(self.m) if el.costs[c] == 0 and self.W[c] > 0 and self.fund_free), key=rank.__getitem__
        ):
            fv = st.f[self.sup[c]]
            self._record(st, c, fv, fv > 0, Fraction(0))
        bound = {c: (1.0 / self.W[c]) * (1 - 4 * _EPS) for c in range(self.m) if el.costs[c] > 0 and self.W[c] > 0}
        while bound:
            best_hi = math.inf
            evals: list[_Eval] = []
            for c in sorted(bound, key=bound.__getitem__):
                if bound[c] > best_hi:
                    break
                e = self._evaluate(st, c, best_hi)
                if e is None:
                    del bound[c]
                    continue
                bound[c] = e.lo
                evals.append(e)
                if e.hi < best_hi:
                    best_hi = e.hi
            contenders = [e for e in evals if e.lo <= best_hi]
            if not contenders:
                break
            if len(contenders) > 1:
                settled = []
                for e in contenders:  # overlapping intervals: compare exactly
                    exact_e = e if e.rho is not None else self._exact_eval(st, e.c)
                    if exact_e is None:  # pragma: no cover - the float checks proved it affordable
                        del bound[e.c]
                    else:
                        settled.append(exact_e)
                if not settled:  # pragma: no cover
                    continue
                best_rho = min(e.rho for e in settled)
                winner = min((e for e in settled if e.rho == best_rho), key=lambda e: rank[e.c])
            else:
                winner = contenders[0]
            self._buy(st, winner)
            del bound[winner.c]
        return _MesRun(share, list(st.selected), st)

    def _live(self, st: _FastState, c: int):
        """Project c's supporters, without (most of) those with nothing left, and their budgets."""
        live = st.live.get(c) or self.supporters[c]
        return live, st.f[live[0]]

    def _evaluate(self, st: _FastState, c: int, best_hi: float) -> _Eval | None:
        np = _np
        (s, ws, vote, wf), fv = self._live(st, c)
        cost_f = self.cost_f[c]
        delta = st.delta
        gamma = (len(fv) + 4) * _EPS * 1.01  # bound on the relative error of a float sum of len(fv) terms
        slack = wf * delta + cost_f * 8 * _EPS  # budgets are off by at most delta, the cost by rounding
        money = float(fv @ ws)
        if money * (1 + gamma) + slack < cost_f:  # its supporters have less than it costs
            return None
        if money * (1 - gamma) - slack < cost_f:
            return self._exact_eval(st, c)
        start = st.start.get(c)
        w_nz = None
        evaluations = st.evaluations[c] = st.evaluations.get(c, 0) + 1
        if start is None or evaluations % 4 == 0:  # now and then: how many have money left?
            positive = fv > 0
            w_nz = float(np.dot(ws, positive))
            if w_nz < 0.7 * wf:  # drop those with nothing left: they pay nothing for anything any more
                keep = np.flatnonzero(positive)
                s, ws, vote, fv = s[keep], ws[keep], vote[keep], fv[keep]
                wf = w_nz
                st.live[c] = (s, ws, vote, wf)
                gamma = (len(fv) + 4) * _EPS * 1.01
                slack = wf * delta + cost_f * 8 * _EPS
        if start is None:
            assert w_nz is not None  # counted just above whenever there is no start
            # If every supporter with money left has at least cost / (their number), that is the price.
            q = cost_f / w_nz
            if float(np.dot(ws, fv >= (q * (1 + 4 * _EPS) + delta) / (1 - 4 * _EPS))) == w_nz:
                r = 1.0 / w_nz
                return _Eval(
                    c, r * (1 - 4 * _EPS), r * (1 + 4 * _EPS), rho=Fraction(1, int(w_nz)), q=self.cost[c] / int(w_nz), fv=fv
                )
        else:  # some could not pay cost / (their number): start from the last price found (prices only rise)
            q = start if w_nz is None else max(start, cost_f / w_nz)
        # Newton's method from below on the concave F: the poor pay what they have, the rich the rest.
        t_hi = None
        for _ in range(len(fv) + 2):
            rich_w = float(np.dot(ws, fv >= q))
            if rich_w <= 0:
                return self._exact_eval(st, c)
            q_next = q + (cost_f - float(np.minimum(fv, q) @ ws)) / rich_w
            if q_next <= q:
                break
            q = q_next
            t_hi = q * (1 + _ETA)
            if float(np.minimum(fv, t_hi) @ ws) * (1 - gamma) - slack > cost_f:  # F(t_hi) > cost: price < t_hi
                break
            t_hi = None
        else:  # pragma: no cover - Newton's method ends after at most one step per supporter
            return self._exact_eval(st, c)
        t_lo = q * (1 - _ETA)
        if not float(np.minimum(fv, t_lo) @ ws) * (1 + gamma) + slack < cost_f:  # F(t_lo) < cost: price > t_lo
            return self._exact_eval(st, c)
        st.start[c] = t_lo
        lo = t_lo / cost_f * (1 - 4 * _EPS)
        if lo > best_hi:
            return _Eval(c, lo, math.inf)
        if t_hi is None:
            t_hi = q * (1 + _ETA)
            if not float(np.minimum(fv, t_hi) @ ws) * (1 - gamma) - slack > cost_f:
                return self._exact_eval(st, c)
        return _Eval(c, lo, t_hi / cost_f * (1 + 4 * _EPS), q_lo=t_lo, q_hi=t_hi, fv=fv)

    def _buy(self, st: _FastState, e: _Eval) -> None:
        np = _np
        c = e.c
        (s, ws, vote, wf), fv = self._live(st, c) if e.fv is None else (st.live.get(c) or self.supporters[c], e.fv)
        if e.poor is not None:  # an exact split: 1 cannot pay in full, 2 is left with exactly nothing
            self._record(st, c, fv, (e.poor != 1) & (fv > 0), e.q, rich_zero=s[np.flatnonzero(e.poor == 2)])
            return
        positive = fv > 0
        if e.rho is not None:  # everyone with money left pays the same exact price
            self._record(st, c, fv, positive, e.q)
            return
        poor = positive & (fv < (e.q_lo - st.delta) / (1 + 4 * _EPS))
        rich = fv > (e.q_hi + st.delta) / (1 - 4 * _EPS)
        if np.count_nonzero(positive) != np.count_nonzero(poor) + np.count_nonzero(rich):
            exact = self._exact_eval(st, c)  # a budget too close to the price: settle it exactly
            if exact is None:  # the float bounds chose it, so exact arithmetic must find it affordable
                raise CountingError("Equal Shares: a chosen project is not affordable in exact arithmetic")
            self._buy(st, exact)
            return
        poor_groups = s[np.flatnonzero(poor)]
        spent = self._spent(st, poor_groups)  # what they paid before, times den
        w_poor = int(np.dot(ws, poor))
        w_rich = int(np.dot(ws, rich))
        q = (self.cost[c] * st.den - st.share_num * w_poor + spent) / (st.den * w_rich)
        self._record(st, c, fv, rich, q)

    def _record(self, st: _FastState, c: int, fv, rich, q: Fraction, rich_zero=None) -> None:
        """A round: the supporters marked `rich` pay exactly q (`rich_zero`: those left with exactly
        nothing), the others pay all they have, and c is bought."""
        np = _np
        s, _, vote, _ = st.live.get(c) or self.supporters[c]
        st.f[s] = np.where(rich, np.maximum(fv - float(q), _TINY), 0.0)
        if rich_zero is not None and len(rich_zero):
            st.f[rich_zero] = 0.0
        st.paid_flat[vote[np.flatnonzero(rich)]] = len(st.prices)
        st.delta += 4 * _EPS * st.share_f + _TINY  # the price is exact: only rounding is added
        st.add_price(q)
        st.selected.append(c)

    def _spent(self, st: _FastState, groups) -> int:
        """sum over `groups` of weight x (the prices they paid), times den: an exact integer."""
        np = _np
        if len(groups) == 0 or not st.price_num:
            return 0
        counts = np.bincount(
            st.paid[groups].ravel() + 1, weights=np.repeat(self.wf[groups], self.width), minlength=len(st.price_num) + 1
        )
        return sum(n * int(k) for n, k in zip(st.price_num, counts[1:].tolist(), strict=True) if k)

    def _exact_budgets(self, st: _FastState, groups) -> list[int]:
        """Exact budgets of `groups` (with money left), times den."""
        values = [st.share_num] * len(groups)
        if st.price_num and len(groups):
            price_num = st.price_num
            for i, row in enumerate(st.paid[groups].tolist()):
                for r in row:
                    if r >= 0:
                        values[i] -= price_num[r]
        return values

    def _exact_eval(self, st: _FastState, c: int) -> _Eval | None:
        np = _np
        (s, ws, vote, wf), fv = self._live(st, c)
        nz_at = np.flatnonzero(fv > 0)
        if len(nz_at) == 0:
            return None
        budgets = self._exact_budgets(st, s[nz_at])  # times den
        weight: dict[int, int] = {}
        for value, w in zip(budgets, self.w[s[nz_at]].tolist(), strict=True):
            weight[value] = weight.get(value, 0) + w
        cost = self.cost[c]
        target = cost * st.den  # the cost, times den
        if sum(v * w for v, w in weight.items()) < target:
            return None
        paid = 0  # times den
        remaining = sum(weight.values())
        for value in sorted(weight):
            if target - paid <= value * remaining:  # the price (target - paid) / remaining fits this budget
                break
            paid += value * weight[value]
            remaining -= weight[value]
        q_scaled = Fraction(target - paid) / remaining  # the price, times den
        q = q_scaled / st.den
        poor = np.zeros(len(s), dtype=np.int8)
        poor[nz_at] = np.fromiter(
            (1 if v < q_scaled else 2 if v == q_scaled else 0 for v in budgets), dtype=np.int8, count=len(budgets)
        )
        rho = q / cost
        r = float(rho)
        return _Eval(c, r * (1 - 4 * _EPS), r * (1 + 4 * _EPS), rho=rho, q=q, poor=poor, fv=fv)

    def explain(self, run: _MesRun) -> tuple[list[Fraction], dict[int, Fraction]]:
        """Exact price of each round and, for each project not bought, its supporters' money at the end."""
        st: _FastState = run.state
        chosen = set(st.selected)
        behind: dict[int, Fraction] = {}
        for c in range(self.m):
            if c not in chosen:
                s = self.sup[c]
                nz = s[st.f[s] > 0]
                behind[c] = Fraction(st.share_num * int(self.w[nz].sum()) - self._spent(st, nz), st.den)
        return list(st.prices), behind


# --------------------------------------------------------------------------------------------------
# Counting


def _engine(el: _Election, rank: list[int], engine: str):
    if engine not in ENGINES:
        raise CountingError(f"unknown engine {engine!r}")
    if engine != "exact":
        _load_numpy()
    if engine == "fast":
        if _np is None:
            raise CountingError("the fast engine needs numpy")
        if el.points is not None:
            raise CountingError("the fast engine counts approval ballots only")
        return _FastEqualShares(el, rank)
    if engine == "auto" and _np is not None and el.points is None:
        return _FastEqualShares(el, rank)
    return _ExactEqualShares(el, rank)


def _cost_of(el: _Election, chosen: Iterable[int]) -> Number:
    return sum((el.costs[c] for c in chosen), 0)


def _all_supported_chosen(el: _Election, chosen: Sequence[int], fund_free: bool = True) -> bool:
    """Every project with votes is bought (but one costing nothing where it never is: pabutools')."""
    done = set(chosen)
    return all(c in done for c in range(len(el.ids)) if el.votes[c] > 0 and (fund_free or el.costs[c] > 0))


def _exhaustive(el: _Election, chosen: Sequence[int]) -> bool:
    """pabutools' test: no supported project with a positive cost left out would still fit."""
    done = set(chosen)
    spent = _cost_of(el, chosen)
    return not any(
        c not in done and el.votes[c] > 0 and el.costs[c] > 0 and spent + el.costs[c] <= el.budget for c in range(len(el.ids))
    )


def _without(el: _Election, excluded: set[int]) -> _Election:
    """The election with nobody supporting the `excluded` projects (below the threshold): every voter
    keeps their share of the budget, but those projects cannot be bought."""
    groups: list[tuple[int, ...]] = []
    points: list[tuple[Number, ...]] | None = [] if el.points is not None else None
    for g, group in enumerate(el.groups):
        if excluded.isdisjoint(group):  # most ballots: kept as they are, without rebuilding them
            groups.append(group)
            if points is not None and el.points is not None:
                points.append(el.points[g])
            continue
        keep = [i for i, c in enumerate(group) if c not in excluded]
        groups.append(tuple(group[i] for i in keep))
        if points is not None and el.points is not None:
            points.append(tuple(el.points[g][i] for i in keep))
    votes = [0 if c in excluded else v for c, v in enumerate(el.votes)]
    total_points = [0 if c in excluded else v for c, v in enumerate(el.total_points)]
    return _Election(el.ids, el.costs, el.budget, el.voters, groups, points, el.weights, votes, total_points, el.cumulative)


def _supporters(el: _Election) -> list[list[tuple[int, int, Number]]]:
    """Per project: (group, weight, points) of each group of identical ballots that supports it."""
    supporters: list[list[tuple[int, int, Number]]] = [[] for _ in el.ids]
    for g, group in enumerate(el.groups):
        pts = el.points[g] if el.points is not None else (1,) * len(group)
        for c, p in zip(group, pts, strict=True):
            supporters[c].append((g, el.weights[g], p))
    return supporters


class _Completion:
    """The add-one completion without stepping: from a run, the next share (a whole number of steps
    on) at which the outcome can differ, found exactly by `next_change`. Every share skipped gives
    the outcome already in hand, so the result is the one stepping by `step` gives.

    On very large votes (tens of thousands of distinct ballots) that analysis, in exact Python
    arithmetic, can cost more than the steps it saves (someone's money is always about to cross a
    price, so it proves only short jumps). It is done only when it should cost no more than the
    counting done since the last one; otherwise the share rises one step. And it gives up as soon
    as it finds it cannot prove a jump longer than the steps its cost would pay for. Both ways give
    the same outcome: only the time differs."""

    _SECONDS_PER_UNIT = 3e-7  # an analysis's first estimate per (supporter x round); then measured
    analyse_always = False  # tests: analyse before every step, whatever it costs

    def __init__(self, engine, el: _Election, rank: list[int], step: Number):
        self.engine, self.el, self.rank, self.step = engine, el, rank, step
        self._supporters: Prepared | None = None  # for next_change, made on its first use
        self.entries = sum(len(group) for group in el.groups)
        self.per_unit = self._SECONDS_PER_UNIT
        # CPU seconds (not wall-clock: another process's load must not change when pb analyses)
        self.unpaid = 0.0  # seconds spent counting since the last analysis
        self.counting = 0.0  # seconds spent counting in all
        self.runs = 0
        self.analyses = 0

    def run(self, share: Number) -> _MesRun:
        started = time.process_time()
        self.runs += 1
        run = self.engine.run(share)
        spent = time.process_time() - started
        self.unpaid += spent
        self.counting += spent
        return run

    def next_share(self, run: _MesRun) -> Number | None:
        el = self.el
        units = max(1, self.entries * len(run.selected))
        expected = units * self.per_unit
        if expected > self.unpaid and not self.analyse_always:
            return run.share + self.step
        started = time.process_time()
        self.analyses += 1
        if self._supporters is None:
            self._supporters = prepare(_supporters(el), el.groups)
        # A jump of fewer steps than the analysis costs in counts is not worth the rest of it.
        per_run = max(self.counting / max(1, self.runs), 1e-9)  # (a clock may not see a tiny count)
        worth = 1 if self.analyse_always else max(1, int(expected / per_run))
        enough = worth * self.step
        d = next_change(self._supporters, el.costs, self.rank, len(el.groups), run.share, run.selected, enough=enough)
        self.unpaid = 0.0
        if d == 0:  # gave up (or the outcome changes at once): step
            return run.share + self.step
        self.per_unit = (time.process_time() - started) / units
        if d is None:
            return None
        return run.share + max(1, math.ceil(d / self.step)) * self.step

    def same_at(self, run: _MesRun, share: Number) -> _MesRun:
        """The run at `share`, known to buy what `run` bought (counted again for its prices)."""
        return run if share == run.share else self.run(share)


def _add1_cities(completion: _Completion) -> _MesRun:
    """The cities' add-one: shares from floor(budget / voters) up a step at a time while the outcome fits."""
    el, step = completion.el, completion.step
    run = completion.run(math.floor(Fraction(el.budget) / (el.voters * step)) * step)
    while not _all_supported_chosen(el, run.selected, completion.engine.fund_free):
        share = completion.next_share(run)
        if share is None:  # pragma: no cover - raising shares always ends by buying every supported project
            break
        following = completion.run(share)
        if _cost_of(el, following.selected) > el.budget:
            return completion.same_at(run, share - step)
        run = following
    return run


def _add1_pabutools(completion: _Completion) -> _MesRun:
    """pabutools' add-one: shares from budget / voters up a step at a time until exhaustive; the last that fits."""
    el, step = completion.el, completion.step
    share: Number = Fraction(el.budget) / el.voters
    previous: _MesRun | None = None
    while True:
        run = completion.run(share)
        if _cost_of(el, run.selected) > el.budget:
            return completion.same_at(previous, share - step) if previous is not None else _MesRun(share, [])
        if _exhaustive(el, run.selected):
            return run
        following = completion.next_share(run)
        if following is None:  # pragma: no cover - raising shares always ends exhaustive or over the budget
            return run
        previous, share = run, following


def _satisfaction(el: _Election, chosen: Iterable[int], by_points: bool) -> list[Number]:
    chosen_set = set(chosen)
    result: list[Number] = []
    for g, group in enumerate(el.groups):
        if by_points and el.points is not None:
            result.append(sum((p for c, p in zip(group, el.points[g], strict=True) if c in chosen_set), 0))
        else:
            result.append(sum(1 for c in group if c in chosen_set))
    return result


def count(
    projects: Iterable,
    ballots: Iterable,
    budget: Any,
    rule: str,
    *,
    tie_break: TieBreak | None = None,
    min_project_score_threshold: Any = None,
    completion: str | None = None,
    compat: str = COMPAT_PB,
    add1: str | None = None,
    add1_step: Any = 1,
    engine: str = "auto",
) -> CountResult:
    """Count `ballots` for `projects` within `budget` by `rule` (one of RULES).

    projects: `Project`s (or (id, cost) pairs), costs as ints (or Fractions/Decimals).
    ballots: one per voter, a collection of project ids (approval, choose-1) or {project id: points}.
    tie_break: defaults to `TieBreak()` (lower cost, more votes, lot order), or to pabutools'
    project-id order with ``compat="pabutools"``.
    min_project_score_threshold: required by greedy-threshold.
    completion: None, or "utilitarian" to fill what Equal Shares leaves by votes.
    add1: the add-one completion of equalshares/add1*: "cities" (the default) or "pabutools" (the
    default with ``compat="pabutools"``).
    add1_step: how much each voter's share rises at a time in the add-one completion, in the units
    of the costs (1; a native round counted in pence steps by 100, a pound).
    engine: "auto" (the numpy engine for large approval elections), "exact" or "fast"; all give the
    same result.
    """
    if rule not in RULES:
        raise CountingError(f"unknown rule {rule!r} (pb counts: {', '.join(RULES)})")
    if compat not in (COMPAT_PB, COMPAT_PABUTOOLS):
        raise CountingError(f"unknown compat {compat!r}")
    if completion not in COMPLETIONS:
        raise CountingError(f"unknown completion {completion!r}")
    if completion and rule not in EQUAL_SHARES_RULES:
        raise CountingError("completion applies to the Equal Shares rules only")
    pabutools = compat == COMPAT_PABUTOOLS
    if add1 is None:
        add1 = ADD1_PABUTOOLS if pabutools else ADD1_CITIES
    if add1 not in ADD1_FLAVOURS:
        raise CountingError(f"unknown add1 flavour {add1!r} (known: {', '.join(ADD1_FLAVOURS)})")
    add1_step = exact(add1_step, "add1_step")
    if add1_step <= 0:
        raise CountingError("add1_step must be positive")
    if tie_break is None:
        tie_break = TieBreak.pabutools() if pabutools else TieBreak()
    threshold = None
    if rule == GREEDY_THRESHOLD and min_project_score_threshold is None:
        raise CountingError("greedy-threshold needs min_project_score_threshold")
    # Pabulib's convention: a threshold in META applies to every project, whatever the rule
    # (pabutools applies it to greedy-threshold only).
    if min_project_score_threshold is not None and (rule == GREEDY_THRESHOLD or not pabutools):
        threshold = exact(min_project_score_threshold, "min_project_score_threshold")
    el = _prepare(projects, ballots, budget, approval_only=pabutools)
    rank = _ranks(el, tie_break)
    m = len(el.ids)
    notes: dict[int, dict[str, Any]] = {}
    selected: list[int]
    voter_share = None
    comparison = None

    below = set() if threshold is None else {c for c in range(m) if el.scores[c] < threshold}
    if rule in GREEDY_RULES:
        selected, notes = _greedy(el, rank, el.budget, skip=rule != GREEDY_NO_SKIP, threshold=threshold, fund_unvoted=pabutools)
    else:
        for c in below:
            notes[c] = {"reason": BELOW_THRESHOLD, "threshold": threshold}
        if el.voters == 0:
            run = _MesRun(0, [])
            prices, behind = [], {c: Fraction(0) for c in range(m)}
        else:
            counted = _without(el, below) if below else el
            mes = _engine(counted, rank, engine)
            mes.fund_free = not pabutools
            if rule == EQUAL_SHARES:
                run = mes.run(Fraction(el.budget) / el.voters)
            elif add1 == ADD1_PABUTOOLS:
                run = _add1_pabutools(_Completion(mes, counted, rank, add1_step))
            else:
                run = _add1_cities(_Completion(mes, counted, rank, add1_step))
            prices, behind = mes.explain(run) if run.state is not None else ([], {c: Fraction(0) for c in range(m)})
            voter_share = run.share
        selected = list(run.selected)
        for place, c in enumerate(selected):
            notes[c] = {"reason": BOUGHT, "round": place + 1, "price_per_supporter": prices[place]}
        for c in range(m):
            if c not in notes:
                notes[c] = (
                    {"reason": NO_VOTES}
                    if el.votes[c] == 0
                    else {"reason": NOT_ENOUGH_MONEY, "money_behind": behind.get(c, Fraction(0))}
                )
        if completion == "utilitarian":
            added, extra = _greedy(
                el,
                rank,
                el.budget - _cost_of(el, selected),
                fund_unvoted=pabutools,
                exclude=set(selected) | below,
                stage="completion",
            )
            for c in added:
                notes[c] = extra[c]
            selected += added
        if rule == EQUAL_SHARES_ADD1_COMPARISON:
            greedy_selected, greedy_notes = _greedy(el, rank, el.budget, threshold=threshold, fund_unvoted=pabutools)
            by_points = not pabutools
            mine = _satisfaction(el, selected, by_points)
            theirs = _satisfaction(el, greedy_selected, by_points)
            prefer_mes = sum(w for w, a, b in zip(el.weights, mine, theirs, strict=True) if a > b)
            prefer_greedy = sum(w for w, a, b in zip(el.weights, mine, theirs, strict=True) if b > a)
            chose = "greedy" if prefer_greedy > prefer_mes else "equalshares"
            comparison = Comparison(
                tuple(el.ids[c] for c in selected), tuple(el.ids[c] for c in greedy_selected), prefer_mes, prefer_greedy, chose
            )
            if chose == "greedy":
                selected, notes = greedy_selected, greedy_notes

    positions = {c: place + 1 for place, c in enumerate(selected)}
    outcomes: dict[str, ProjectOutcome] = {}
    for c in range(m):
        note = notes.get(c, {"reason": NO_VOTES})
        outcomes[el.ids[c]] = ProjectOutcome(
            project_id=el.ids[c],
            cost=el.costs[c],
            votes=el.votes[c],
            points=el.total_points[c],
            selected=c in positions,
            reason=note["reason"],
            position=positions.get(c),
            money_left=note.get("money_left"),
            round=note.get("round"),
            price_per_supporter=note.get("price_per_supporter"),
            money_behind=note.get("money_behind"),
            threshold=note.get("threshold"),
        )
    return CountResult(
        rule=rule,
        compat=compat,
        budget=el.budget,
        selected=tuple(el.ids[c] for c in selected),
        total_cost=_cost_of(el, selected),
        votes=dict(zip(el.ids, el.votes, strict=True)),
        points=dict(zip(el.ids, el.total_points, strict=True)),
        outcomes=outcomes,
        tie_break=tie_break,
        voters=el.voters,
        completion=completion,
        add1=add1 if rule in (EQUAL_SHARES_ADD1, EQUAL_SHARES_ADD1_COMPARISON) else None,
        voter_share=voter_share,
        comparison=comparison,
        threshold=threshold,
    )
