"""Benchmark: closing a community round counted by Equal Shares with the add-one completion.

    .venv/bin/python bench/completion.py [--areas 3] [--repeat 3]

The round the city-scale issue measured: 3 areas, each with 20 projects of £5,000 to £40,000 and
200 ballots of 1 to 6 choices, £100,000 per area, money in pence. For each area it counts
(best of --repeat) the way pb does now (no stepping: pb.counting.next_change), in pounds and in
pence, and the way it did before (stepping the share one pound at a time; in pence stepping took
157-341 s per area, so it is left out), and checks that pb funds the projects stepping funds
(pence and pounds are different steps, so their winners may differ).
Prints a markdown table (paste it into bench/README.md).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "counting"))

from test_completion import community_round, stepping  # noqa: E402

from pb.counting import engine as counting  # noqa: E402


def best(repeat, fn):
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return min(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--areas", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{datetime.date.today()} · {platform.machine()} · {os.cpu_count()} cores · load {os.getloadavg()[0]:.1f}")
    print()
    print("| area | pb, £1 steps | counts | pb, 1p steps | counts | stepping £1 (before) | counts | £1: same winners |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    totals = [0.0, 0.0, 0.0]
    for area in range(args.areas):
        projects, ballots, budget = community_round(7 + area)
        row = []
        winners = []
        for i, step in enumerate((100, 1)):
            made: list = []
            original = counting._Completion.__init__

            def remember(self, *a, _made=made, _original=original):
                _original(self, *a)
                _made.append(self)

            counting._Completion.__init__ = remember  # type: ignore[method-assign]
            try:
                seconds, result = best(
                    args.repeat, partial(counting.count, projects, ballots, budget, "equalshares/add1", add1_step=step)
                )
            finally:
                counting._Completion.__init__ = original  # type: ignore[method-assign]
            totals[i] += seconds
            row += [f"{seconds:.3f} s", str(made[-1].runs)]
            winners.append(result.selected)
        seconds, (selected, _share, runs) = best(1, partial(stepping, projects, ballots, budget, "cities", "auto", 100))
        totals[2] += seconds
        row += [f"{seconds:.2f} s", str(runs)]
        print(f"| {area + 1} | " + " | ".join(row) + f" | {'yes' if winners[0] == selected else 'NO'} |")
    print(f"| all {args.areas} | {totals[0]:.3f} s | | {totals[1]:.3f} s | | {totals[2]:.2f} s | | |")


if __name__ == "__main__":
    main()
