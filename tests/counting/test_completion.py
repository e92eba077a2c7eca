"""The add-one completion without stepping: the same outcome as raising shares one step at a time.

The reference below is the completion as the cities ran it (and as pb counted it before): raise
each voter's share by one step, count again, until the outcome no longer fits. pb now jumps to the
next share at which the outcome can change (pb.counting.next_change); these tests try to catch a
jump that skips a change: random small elections (approval and points, tie-heavy costs, several
step sizes, both add-one flavours, both engines), hand-made ties, and a round the size of a
community round counted in pence.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest

from pb.counting import engine as counting
from pb.counting.engine import Project, TieBreak, count
from pb.counting.next_change import next_change

pytestmark = pytest.mark.pure

ENGINES = ["exact", "fast"] if counting._load_numpy() is not None else ["exact"]


def stepping(projects, ballots, budget, flavour, engine, step=1, tie_break=None):
    """The add-one completion by stepping (selected ids, final share, runs counted)."""
    el = counting._prepare(projects, ballots, budget, approval_only=False)
    mes = counting._engine(el, counting._ranks(el, tie_break or TieBreak()), engine)
    runs = 1
    if flavour == "cities":
        share = math.floor(Fraction(el.budget) / (el.voters * step)) * step
        run = mes.run(share)
        while not counting._all_supported_chosen(el, run.selected):
            following = mes.run(share + step)
            runs += 1
            if counting._cost_of(el, following.selected) > el.budget:
                break
            run, share = following, share + step
    else:
        share = Fraction(el.budget) / el.voters
        previous = None
        while True:
            run = mes.run(share)
            if counting._cost_of(el, run.selected) > el.budget:
                run = previous if previous is not None else counting._MesRun(share, [])
                break
            if counting._exhaustive(el, run.selected):
                break
            previous, share = run, share + step
            runs += 1
    return tuple(el.ids[c] for c in run.selected), run.share, runs


def random_election(rng: random.Random, points: bool):
    m = rng.randint(1, 8)
    costs = [rng.choice([0, 10, 20, 30, rng.randint(1, 60), rng.randint(1, 60)]) for _ in range(m)]
    projects = [Project(str(i), cost) for i, cost in enumerate(costs)]
    ballots: list = []
    for _ in range(rng.randint(1, 12)):
        chosen = rng.sample(range(m), rng.randint(1, m))
        if points:
            ballots.append({str(c): rng.randint(1, 3) for c in chosen})
        else:
            ballots.append(frozenset(str(c) for c in chosen))
    return projects, ballots, rng.randint(1, 150)


@pytest.mark.parametrize("seed", range(4))
def test_jumping_gives_what_stepping_gives_on_random_elections(seed, monkeypatch):
    monkeypatch.setattr(counting._Completion, "analyse_always", True)
    rng = random.Random(seed)
    for _ in range(150):
        points = rng.random() < 0.3
        projects, ballots, budget = random_election(rng, points)
        step = rng.choice([1, 1, 2, 5])
        for flavour in ("cities", "pabutools"):
            for engine in ["exact"] if points else ENGINES:
                selected, share, _ = stepping(projects, ballots, budget, flavour, engine, step)
                result = count(projects, ballots, budget, "equalshares/add1", add1=flavour, add1_step=step, engine=engine)
                assert (result.selected, result.voter_share) == (selected, share), (projects, ballots, budget, flavour, step)


@pytest.mark.parametrize("engine", ENGINES)
def test_ties_that_persist_as_shares_rise_do_not_stop_the_jumps(engine, monkeypatch):
    monkeypatch.setattr(counting._Completion, "analyse_always", True)
    # Two identical halves: their projects tie at every share; the tie-break must hold throughout.
    projects = [Project(name, cost) for name, cost in (("a1", 30), ("b1", 30), ("a2", 45), ("b2", 45), ("ab", 80))]
    ballots = [{"a1", "a2", "ab"}] * 5 + [{"b1", "b2", "ab"}] * 5
    for budget in (100, 137, 160, 199):
        for lot in (("a1", "b1", "a2", "b2"), ("b2", "b1", "a2", "a1")):
            tie_break = TieBreak(lot=lot)
            selected, share, _ = stepping(projects, ballots, budget, "cities", engine, tie_break=tie_break)
            result = count(projects, ballots, budget, "equalshares/add1", tie_break=tie_break, engine=engine)
            assert (result.selected, result.voter_share) == (selected, share)


def community_round(seed: int):
    """20 projects of £5,000 to £40,000 (in pence), 200 ballots of 1 to 6 choices, £100,000."""
    rng = random.Random(seed)
    projects = [Project(f"p{i}", rng.randint(50, 400) * 10_000 + rng.randint(0, 99)) for i in range(20)]
    popularity = [rng.random() ** 2 for _ in projects]
    ballots = [frozenset(rng.choices([p.id for p in projects], weights=popularity, k=rng.randint(1, 6))) for _ in range(200)]
    return projects, ballots, 10_000_000


@pytest.mark.parametrize("step", [100, 1])
def test_a_community_round_in_pence_needs_a_few_dozen_counts_not_thousands(step, monkeypatch):
    projects, ballots, budget = community_round(7)
    selected, share, steps = stepping(projects, ballots, budget, "cities", "fast", step)
    counts: list[counting._Completion] = []
    original = counting._Completion.__init__

    def remembered(self, *args):
        original(self, *args)
        counts.append(self)

    monkeypatch.setattr(counting._Completion, "__init__", remembered)
    monkeypatch.setattr(counting._Completion, "analyse_always", True)
    result = count(projects, ballots, budget, "equalshares/add1", add1_step=step, engine="fast")
    assert (result.selected, result.voter_share) == (selected, share)
    assert steps > 300  # stepping counts this round hundreds (in pounds) or tens of thousands (in pence) of times
    assert counts[0].runs <= 40, (counts[0].runs, steps)
    print(f"step {step}: {counts[0].runs} counts and {counts[0].analyses} analyses instead of {steps} counts")


def test_next_change_is_where_the_outcome_changes():
    # Three voters for "big" (cost 90), one for "small" (cost 40): at a share of 10, nothing is
    # affordable; "small" becomes affordable at a share of 40 (30 more), "big" at 30 (20 more).
    el = counting._prepare([Project("big", 90), Project("small", 40)], [{"big"}] * 3 + [{"small"}], 40, False)
    supporters = counting._supporters(el)
    rank = counting._ranks(el, TieBreak())
    assert next_change(supporters, el.costs, rank, len(el.groups), 10, []) == 20
    assert next_change(supporters, el.costs, rank, len(el.groups), 30, [0]) == 10
    assert next_change(supporters, el.costs, rank, len(el.groups), 40, [0, 1]) is None
