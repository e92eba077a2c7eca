"""How far each voter's share can rise before an Equal Shares outcome changes: exact, no stepping.

The add-one completion raises every voter's share step by step and counts again each time. Counted
in pence, a small round takes a hundred thousand full counts. This module instead reads one run and
returns a distance `L` such that every share in [share, share + L) gives the same outcome, and `L`
is where the outcome can first change. The completion then jumps straight to the first step at or
beyond it (pb.counting.engine._add1_*), which gives exactly the outcome that stepping gives.

Why it is exact: raise every starting share by d. While the same projects win the same rounds,
every voter's money at every round is a nondecreasing function of d (those who paid in full paid a
price that can only fall, those who gave all they had stay at nothing), and continuous and
piecewise linear. So within a stretch where nobody crosses from "gives all they have" to "pays the
full price" in a winner's payment, every budget is linear in d and so is every winner's price. The
outcome can change only when, at some round, another project's price per unit of cost comes down to
the winner's (or to it and wins the tie), or when a project nobody could afford becomes affordable
after the last round. Those points are solved for exactly (Fractions). Where the linear stretch ends
first, L is its end: a valid lower bound, and the completion counts again from there.

The idea is that of ADD-OPT in "Streamlining Equal Shares" (Kraiczy, Robinson, Elkind; arXiv
2502.11797), worked out here for Equal Shares as pb counts it (those who cannot pay the full price
pay all they have), with points and pb's tie-break.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from gmpy2 import mpq

_ZERO = mpq(0)
_PIECES = 64  # a project's price is followed through at most this many linear pieces, then L is cut there

Supporters = Sequence[Sequence[tuple[int, int, int | Fraction]]]  # per project: (group, weight, points)


def next_change(
    supporters: Supporters,
    costs: Sequence[int | Fraction],
    rank: Sequence[int],
    groups: int,
    share: int | Fraction,
    selected: Sequence[int],
    *,
    enough: int | Fraction | None = None,
) -> Fraction | None:
    """The least d >= 0 at which counting with each voter's share raised by d may give another outcome
    (every share in [share, share + d) gives `selected`), or None if no raise ever changes it.

    supporters[c]: the groups of identical ballots that support project c, with their weight (voters)
    and points (1 for approval); `selected`: the projects one run at `share` bought, in order.
    enough: give up, returning 0 (a valid if useless answer), as soon as d is known to be at most
    this, before the last round: the caller would rather step that far than finish the analysis.
    Pass `prepare(supporters)` to analyse the same election more than once: it is converted once.
    """
    # gmpy2's rationals: exact like Fraction, and an order of magnitude faster on these sums.
    costs = [_q(cost) for cost in costs]
    table = supporters if isinstance(supporters, Prepared) else prepare(supporters)
    supporters = table
    cut = None if enough is None else _q(enough)
    a = [_q(share)] * groups  # each group's money at the current round when d = 0 ...
    s = [mpq(1)] * groups  # ... and how fast it grows with d
    limit: Fraction | None = None  # the least change point found so far

    def lower(d: Fraction | None) -> None:
        nonlocal limit
        if d is not None and (limit is None or d < limit):
            limit = d

    def settled() -> bool:  # the limit only falls: once it is 0, or at most `enough`, stop looking
        return limit is not None and (limit == 0 or (cut is not None and limit <= cut))

    candidates = {c for c in range(len(costs)) if costs[c] > 0 and supporters[c]}
    projects_of = table.projects_of  # (with projects that are not candidates: they are skipped below)
    # Per project: its supporters' money and how fast it grows, and the least price per unit of cost
    # it could ever have (everyone paying the same per point): kept as budgets change.
    # Every group starts with the same share: a project's money is that times its supporters.
    growth = {c: mpq(table.weights[c]) for c in candidates}
    money = {c: growth[c] * a[0] for c in candidates}
    floor = {c: 1 / table.points[c] for c in candidates}
    for c in selected:
        if c not in candidates:  # free projects are bought first, whatever the share
            continue
        candidates.discard(c)
        price, slope, events = _winner_price(supporters[c], costs[c], a, s)
        lower(events)
        if settled():
            return Fraction(0)
        rho, rho_slope = price / costs[c], slope / costs[c]
        wins = rank[c]
        for other in candidates:
            if settled():
                return Fraction(0)
            # Its price per unit of cost never falls below floor[other], and the winner's only falls.
            if floor[other] > rho or (floor[other] == rho and rank[other] > wins):
                continue
            affordable = _affordable_after(money[other], growth[other], costs[other])
            if affordable is None or (limit is not None and affordable >= limit):
                continue
            lower(_overtakes(supporters[other], costs[other], a, s, affordable, rho, rho_slope, rank[other] < wins, limit))
        for g, w, p in supporters[c]:
            old_a, old_s = a[g], s[g]
            if old_a >= p * price:  # paid the full price: keeps the rest, which grows faster than before
                a[g] = old_a - p * price
                s[g] = old_s - p * slope
            else:  # gave all it had, and still does while the stretch lasts
                a[g] = _ZERO
                s[g] = _ZERO
            da, ds = (a[g] - old_a) * w, (s[g] - old_s) * w
            for other in projects_of[g]:
                if other in candidates:
                    money[other] += da
                    growth[other] += ds
    for other in candidates:  # after the last round: a project nobody could afford becomes affordable
        lower(_affordable_after(money[other], growth[other], costs[other]))
    return None if limit is None else _fraction(limit)  # analysed to the end: the exact answer


class Prepared(list):
    """Supporters with points that mix with gmpy2 rationals, per project the supporters' weight and
    weighted points, and per group the projects it supports: what every analysis of one election
    starts from, made once."""

    weights: list[int]
    points: list[Any]
    projects_of: Sequence[Sequence[int]]


def prepare(supporters: Supporters, projects_of: Sequence[Sequence[int]] | None = None) -> Prepared:
    """projects_of[g]: the projects group g supports (its ballot), if the caller has them at hand."""
    # Int points (all of them, for approval) mix with mpq as they are; Fractions do not.
    table = Prepared(
        group if all(type(p) is int for _g, _w, p in group) else [(g, w, _q(p)) for g, w, p in group] for group in supporters
    )
    table.weights = [sum(w for _g, w, _p in group) for group in supporters]
    table.points = [_q(sum((w * p for _g, w, p in group), 0)) for group in supporters]
    if projects_of is None:
        found: list[list[int]] = [[] for _ in range(1 + max((g for group in supporters for g, _w, _p in group), default=-1))]
        for c, group in enumerate(supporters):
            for g, _w, _p in group:
                found[g].append(c)
        projects_of = found
    table.projects_of = projects_of
    return table


def _fraction(value: Any) -> Fraction:
    return Fraction(int(value.numerator), int(value.denominator))


def _q(value: int | Fraction) -> Any:
    return mpq(value.numerator, value.denominator) if isinstance(value, Fraction) else mpq(value)


def _winner_price(
    supporters: Sequence[tuple[int, int, int | Fraction]], cost: int | Fraction, a: list[Fraction], s: list[Fraction]
) -> tuple[Fraction, Fraction, Fraction | None]:
    """The winner's price per point now, how it moves with d, and where its linear stretch ends."""
    price, poor, rich_points = _price(supporters, cost, a)
    slope = -sum((w * s[g] for g, w, p in poor), _ZERO) / rich_points
    end: Fraction | None = None
    for g, _w, p in poor:
        closing = s[g] - p * slope  # how fast its money catches up with the price it cannot pay
        if closing > 0 and (a[g] or s[g]):  # (one with nothing, now or later, never catches up)
            d = (p * price - a[g]) / closing
            if end is None or d < end:
                end = d
    return price, slope, end


def _price(
    supporters: Sequence[tuple[int, int, int | Fraction]], cost: int | Fraction, budget: Any
) -> tuple[Fraction, list[tuple[int, int, int | Fraction]], Fraction]:
    """Price per point of a project its supporters can afford: who cannot pay it in full, and the
    points of those who can (pb's Equal Shares: the poor give all they have, the rich the rest)."""
    paid = _ZERO
    remaining = mpq(sum(w * p for _g, w, p in supporters))
    ordered = sorted(supporters, key=lambda item: budget[item[0]] / item[2])
    for i, (g, w, p) in enumerate(ordered):
        price = (cost - paid) / remaining
        if price * p <= budget[g]:
            return price, ordered[:i], remaining
        paid += w * budget[g]
        remaining -= w * p
    raise ValueError("the supporters cannot afford the project")  # pragma: no cover - callers check first


def _affordable_after(money: Fraction, growth: Fraction, cost: int | Fraction) -> Fraction | None:
    """The least d at which money + growth * d reaches the cost (None: never)."""
    if money >= cost:
        return _ZERO
    if growth <= 0:
        return None
    return (cost - money) / growth


def _overtakes(
    supporters: Sequence[tuple[int, int, int | Fraction]],
    cost: int | Fraction,
    a: list[Fraction],
    s: list[Fraction],
    d: Fraction,
    rho: Fraction,
    rho_slope: Fraction,
    wins_ties: bool,
    limit: Fraction | None,
) -> Fraction | None:
    """The least d (from `d`, when it becomes affordable, to `limit`) at which this project's price per
    unit of cost comes down to the winner's, rho + rho_slope * d (strictly below it unless it wins
    ties); None if not before `limit`.

    Its own price is followed piece by piece: within a piece its poor supporters stay poor, so the
    price is linear in d."""
    index = {g: i for i, (g, _w, _p) in enumerate(supporters)}
    for _ in range(_PIECES):
        budget = [a[g] + s[g] * d for g, _w, _p in supporters]
        price, poor, rich_points = _price(supporters, cost, _Budgets(budget, index))
        slope = -sum((w * s[g] for g, w, p in poor), _ZERO) / rich_points
        gap = price / cost - (rho + rho_slope * d)  # > 0: the winner is still cheaper
        gap_slope = slope / cost - rho_slope
        if gap < 0 or (gap == 0 and wins_ties):
            return d
        end: Fraction | None = None  # where this piece ends: a poor supporter can pay the full price
        for g, _w, p in poor:
            closing = s[g] - p * slope
            if closing > 0 and (a[g] or s[g]):
                e = d + (p * price - budget[index[g]]) / closing
                if end is None or e < end:
                    end = e
        if gap == 0:  # tied and losing the tie: it overtakes at once if its price falls faster
            if gap_slope < 0:
                return d
        elif gap_slope < 0:
            cross = d + gap / -gap_slope
            if end is None or cross <= end:
                return cross if limit is None or cross < limit else None
        if end is None or (limit is not None and end >= limit):
            return None
        d = end
    return d  # followed far enough: a lower bound is all that is needed


class _Budgets:
    """budget[g] for a project's supporter g, from a list in supporter order (for `_price`)."""

    __slots__ = ("values", "index")

    def __init__(self, values: list[Fraction], index: dict[int, int]):
        self.values, self.index = values, index

    def __getitem__(self, g: int) -> Fraction:
        return self.values[self.index[g]]
