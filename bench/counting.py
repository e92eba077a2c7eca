"""Benchmark: pb's counting next to pabutools (the reference implementation), in one run.

    .venv/bin/python bench/counting.py [--timeout 300] [--repeat 3] [--data ../shared/data/pabulib]

For each case pb reads the Pabulib file and counts it (best of --repeat runs, in this process);
pabutools does the same (parse_pabulib, then its rule) in a subprocess killed after --timeout
seconds, reported as ">N s". Both read ordinal ballots as approval and break ties pabutools' way
(`--compat pabutools`), so the winners must be identical: the last column checks it. Prints a
markdown table (paste it into bench/README.md).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pb.counting.engine import count  # noqa: E402
from pb.counting.pabulib import election_from_pabulib, read_pabulib  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "pabulib"

# (file, pb rule, pb compat, pabutools rule, note)
CASES = [
    ("Poland_Krakow_2024.pb", "equalshares/add1", "pabutools", "add1", ""),
    ("Poland_Warszawa_2026.pb", "equalshares/add1", "pabutools", "add1", ""),
    ("Poland_Warszawa_2026.pb", "equalshares/add1", "pb", None, "the cities' add-one, pb's ties"),
    ("Poland_Wroclaw_2015_150_-_500.pb", "greedy", "pabutools", "greedy", "largest file (most voters)"),
    ("Poland_Krakow_2024.pb", "greedy", "pabutools", "greedy", "largest file (most bytes)"),
    ("Poland_Warszawa_2026.pb", "greedy", "pabutools", "greedy", ""),
]

PABUTOOLS_SCRIPT = r"""
import json, sys, time
from pabutools.election import parse_pabulib, Cost_Sat
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
path, rule = sys.argv[1], sys.argv[2]
start = time.perf_counter()
instance, profile = parse_pabulib(path)
parsed = time.perf_counter()
if rule == "greedy":
    outcome = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
elif rule == "equalshares":
    outcome = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
else:
    outcome = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
done = time.perf_counter()
print(json.dumps({"parse": parsed - start, "rule": done - parsed, "selected": [p.name for p in outcome]}))
"""


def time_pb(path: Path, rule: str, compat: str, repeat: int) -> tuple[float, float, list[str], int]:
    best_parse = best_total = float("inf")
    selected: list[str] = []
    voters = 0
    for _ in range(repeat):
        start = time.perf_counter()
        election = election_from_pabulib(read_pabulib(path), ordinal_as_approval=compat == "pabutools")
        parsed = time.perf_counter()
        result = count(
            election.projects,
            election.ballots,
            election.budget,
            rule,
            compat=compat,
            min_project_score_threshold=election.min_project_score_threshold,
        )
        done = time.perf_counter()
        best_parse = min(best_parse, parsed - start)
        best_total = min(best_total, done - start)
        selected, voters = list(result.selected), result.voters
    return best_parse, best_total, selected, voters


def time_pabutools(path: Path, rule: str, timeout: float) -> dict | None:
    try:
        done = subprocess.run(
            [sys.executable, "-c", PABUTOOLS_SCRIPT, str(path), rule], capture_output=True, text=True, timeout=timeout, check=True
        )
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        load = f", load average {os.getloadavg()[0]:.2f} when it started"
    except OSError:
        load = ""
    return f"{cpu}, {cores} cores{load}; Python {platform.python_version()}"


def versions() -> str:
    found = []
    for name in ("numpy", "pabutools"):
        try:
            from importlib.metadata import version

            found.append(f"{name} {version(name)}")
        except Exception:  # noqa: BLE001 - only for the report
            found.append(f"{name} missing")
    return ", ".join(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=300, help="seconds pabutools gets per case (default 300)")
    parser.add_argument("--repeat", type=int, default=3, help="pb runs per case; the best is reported (default 3)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of Pabulib files")
    parser.add_argument("--no-pabutools", action="store_true", help="time pb only")
    args = parser.parse_args()

    started = datetime.datetime.now().astimezone()
    where = f"{machine()}; {versions()}"
    print(f"Measured {started:%Y-%m-%d %H:%M %Z} on {where}.", file=sys.stderr)
    rows = []
    for name, rule, compat, pabu_rule, note in CASES:  # pb first, on a quiet machine
        path = args.data / name
        parse, total, selected, voters = time_pb(path, rule, compat, args.repeat)
        rows.append([name, rule, compat, pabu_rule, note, voters, parse, total, selected])
        print(f"pb {name} {rule} ({compat}): {total:.2f} s", file=sys.stderr)
    results = []
    pabutools_cache: dict = {}
    for name, rule, compat, pabu_rule, note, voters, parse, total, selected in rows:
        reference = None
        if pabu_rule and not args.no_pabutools:
            key = (name, pabu_rule)
            if key not in pabutools_cache:
                pabutools_cache[key] = time_pabutools(args.data / name, pabu_rule, args.timeout)
                outcome = pabutools_cache[key]
                shown = "cut off" if outcome is None else f"{outcome['parse'] + outcome['rule']:.1f} s"
                print(f"pabutools {name} {pabu_rule}: {shown}", file=sys.stderr)
            reference = pabutools_cache[key]
        results.append((name, rule, compat, pabu_rule, note, voters, parse, total, selected, reference))

    print(
        f"Measured {started:%Y-%m-%d %H:%M %Z} on {where}. pb: best of {args.repeat}; "
        f"pabutools: one run, cut off after {args.timeout:.0f} s.\n"
    )
    print("| file | voters | rule | pb: read + count | pabutools: read + count | pb faster by | same winners |")
    print("|---|---:|---|---:|---:|---:|---|")
    for name, rule, compat, pabu_rule, note, voters, parse, total, selected, reference in results:
        label = f"{rule}" + (" (--compat pabutools)" if compat == "pabutools" else "") + (f"; {note}" if note else "")
        pb_cell = f"{total:.2f} s ({parse:.2f} + {total - parse:.2f})"
        if not pabu_rule or args.no_pabutools:
            pabu_cell, faster, same = "—", "—", "—"
        elif reference is None:
            pabu_cell, faster, same = f">{args.timeout:.0f} s", f">{args.timeout / total:.0f}×", "not known (cut off)"
        else:
            spent = reference["parse"] + reference["rule"]
            pabu_cell = f"{spent:.1f} s ({reference['parse']:.1f} + {reference['rule']:.1f})"
            faster = f"{spent / total:.0f}×"
            same = "yes" if reference["selected"] == selected else "NO"
        print(f"| {name.removesuffix('.pb')} | {voters:,} | {label} | {pb_cell} | {pabu_cell} | {faster} | {same} |")


if __name__ == "__main__":
    main()
