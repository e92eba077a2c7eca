"""What secret ballots cost: sealing each ballot as it is cast, and mixing a round's ballots at the
close, on SQLite and on PostgreSQL.

    .venv/bin/python bench/secret_ballots.py [--ballots 100000] [--casts 2000] [--postgres postgresql://postgres@127.0.0.1:5432]

For each engine: a fresh, migrated database; a round in voting with one area of 10 projects.
- "seal": sealing one ballot (AES-GCM under the round's key), in process, best of 5 x 10,000.
- "cast": `cast_ballot` end to end (register row + sealed box, one transaction), --casts voters one
  after another; the figure is the mean per ballot.
- "close": `mix_ballots` for a round of --ballots sealed ballots (boxes written directly, as
  --ballots voters would have left them): open, shuffle, write readable ballots, delete the boxes,
  in one transaction.
Prints a markdown table (paste it into the README's benchmark figures)."""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PB_SECRET_KEY", "bench-secret-key-that-is-long-enough-1234567890")
os.environ.setdefault("PB_ENV", "development")

from pb import db  # noqa: E402
from pb.piccolo_app import configure_database  # noqa: E402
from pb.voting import actions, sealing  # noqa: E402


def psql(server: str, statement: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qc", statement], check=True, capture_output=True)


async def _round() -> tuple[int, int, list[int]]:
    from pb.accounts.tables import User
    from pb.proposals.tables import Proposal
    from pb.rounds.tables import Area, Round

    day = date(2027, 1, 1)
    dates = {f: day for f in ("proposals_from", "review_from", "shortlist_from", "voting_from", "results_from", "delivery_from")}
    row = Round(title_en="Bench", title_cy="Mainc", description_en="", description_cy="", phase="voting", **dates)
    await Round.insert(row)
    area = Area(round=row.id, name_en="Area", name_cy="Ardal", budget_pence=100_000_00)
    await Area.insert(area)
    user = User(name="Bench", email="bench@example.org", password_hash="x", language="en")
    await User.insert(user)
    projects = []
    for i in range(10):
        project = Proposal(
            round=row.id,
            area=area.id,
            author=user.id,
            title_en=f"P{i}",
            title_cy=f"P{i}",
            summary_en="",
            summary_cy="",
            description_en="",
            description_cy="",
            estimated_cost_pence=5_000_00,
            status="on_ballot",
        )
        await Proposal.insert(project)
        projects.append(project.id)
    return row.id, area.id, projects


async def measure(url: str, ballots: int, casts: int) -> dict[str, float]:
    configure_database(url)
    await db.start(pool_size=4)
    try:
        await db.migrate()
        round_id, area_id, projects = await _round()
        chance = random.Random(1)

        def choices() -> dict[int, int]:
            return {p: 1 for p in chance.sample(projects, 3)}

        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            for _i in range(10_000):
                sealing.seal(
                    round_id, sealing.Contents(area=area_id, receipt="ABCD-EFGH-JKLM", channel="online", choices=choices())
                )
            best = min(best, (time.perf_counter() - started) / 10_000)
        started = time.perf_counter()
        for i in range(casts):
            await actions.cast_ballot(round_id, area_id, f"bench-voter-{i}", choices(), "online", False)
        per_cast = (time.perf_counter() - started) / casts
        boxes = [
            (
                round_id,
                None,
                sealing.seal(round_id, sealing.Contents(area_id, f"BENCH-{i:08d}", "online", choices())),
            )
            for i in range(casts, ballots)
        ]
        async with db.transaction():
            await db.bulk_insert("pb_sealed_ballot", ("round", "revote_key", "sealed"), boxes)
        started = time.perf_counter()
        async with db.transaction():
            mixed = await actions.mix_ballots(round_id)
        close = time.perf_counter() - started
        assert mixed == ballots, (mixed, ballots)
        return {"seal": best, "cast": per_cast, "close": close}
    finally:
        await db.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--casts", type=int, default=2_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    rows = []
    scratch = Path(tempfile.mkdtemp(prefix="pb-bench-secret-"))
    database = f"pb_bench_{uuid.uuid4().hex[:8]}"
    psql(args.postgres, f'CREATE DATABASE "{database}"')
    try:
        for engine, url in (("SQLite", f"sqlite:///{scratch / 'pb.sqlite'}"), ("PostgreSQL", f"{args.postgres}/{database}")):
            figures = asyncio.run(measure(url, args.ballots, args.casts))
            rows.append(
                f"| {engine} | {figures['seal'] * 1e6:.0f} µs | {figures['cast'] * 1e3:.1f} ms | "
                f"{figures['close']:.1f} s ({figures['close'] / args.ballots * 1e6:.0f} µs per ballot) |"
            )
    finally:
        psql(args.postgres, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    print(
        f"\n{platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, Python {platform.python_version()}"
    )
    print(f"| engine | seal one ballot | cast one ballot (register + sealed box) | close: mix {args.ballots:,} ballots |")
    print("|---|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
