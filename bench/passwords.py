"""Benchmark: the CPU one sign-in's password check costs, and sign-ins per second per core.

    .venv/bin/python bench/passwords.py [--checks 40]

Compares pb's argon2id parameters (OWASP's m=19 MiB, t=2, p=1: pb.accounts.passwords) with the
argon2-cffi defaults pb used before (m=64 MiB, t=3, p=4), in one run. CPU time is measured with
getrusage, so the figure survives a busy machine better than wall time.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import sys
import time
from pathlib import Path

from argon2 import PasswordHasher

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pb.accounts.passwords import _hasher  # noqa: E402


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checks", type=int, default=40)
    args = parser.parse_args()
    print(f"{datetime.date.today()} · {os.cpu_count()} cores · load {os.getloadavg()[0]:.1f}")
    print()
    print("| parameters | CPU per sign-in | wall per sign-in | sign-ins per second per core |")
    print("|---|---:|---:|---:|")
    for name, hasher in (("before: 64 MiB, t=3, p=4", PasswordHasher()), ("pb: 19 MiB, t=2, p=1", _hasher("standard"))):
        stored = hasher.hash("correct horse battery staple")
        hasher.verify(stored, "correct horse battery staple")
        started, wall = cpu(), time.perf_counter()
        for _ in range(args.checks):
            hasher.verify(stored, "correct horse battery staple")
        per = (cpu() - started) / args.checks
        print(f"| {name} | {per * 1000:.1f} ms | {(time.perf_counter() - wall) / args.checks * 1000:.1f} ms | {1 / per:.0f} |")


if __name__ == "__main__":
    main()
