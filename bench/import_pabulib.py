"""Time `pb import-pabulib` on the large real Pabulib files, on SQLite and on PostgreSQL.

Each engine gets a fresh, migrated database (a temporary SQLite file; a scratch PostgreSQL database,
dropped afterwards). Each file is imported by the real command in its own process; the figure is the
command's wall time (start-up, reading, counting, one transaction of bulk inserts), best of --repeat
runs (each run on a fresh database), then the time `pb export-pabulib` takes to write it back, and
the time the published CSV and JSON of the same ballots take to convert from that file (in this
process, as pb.voting.ballot_exports does in a worker thread on the first download).

    .venv/bin/python bench/import_pabulib.py [--data DIR] [--postgres postgresql://postgres@127.0.0.1:5432]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

FILES = ("Poland_Warszawa_2026.pb", "Poland_Wroclaw_2015_150_-_500.pb", "Poland_Katowice_2023.pb")
ROOT = Path(__file__).parent.parent


def pb(env: dict, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pb.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"pb {' '.join(args)} failed: {done.stderr}")
    return time.perf_counter() - started, done.stdout


def psql(server: str, statement: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qc", statement], check=True, capture_output=True)


def convert_seconds(exported: Path) -> float:
    """CPU seconds to convert every exported area file to CSV and to JSON (pb.voting.ballot_exports)."""
    from pb.voting import ballot_exports

    started = time.process_time()
    for source in sorted(exported.glob("*.pb")):
        for kind in ("csv", "json"):
            ballot_exports._convert(source, source.with_suffix(f".{kind}"), kind, 1, 1)
    return time.process_time() - started


def run_engine(engine: str, data: Path, server: str, repeat: int) -> list[tuple[str, float, float, float, str]]:
    rows = []
    for name in FILES:
        best_import = best_export = best_convert = float("inf")
        summary = ""
        for _ in range(repeat):
            scratch = Path(tempfile.mkdtemp(prefix="pb-bench-import-"))
            database = ""
            if engine == "sqlite":
                url = f"sqlite:///{scratch / 'pb.sqlite'}"
            else:
                database = f"pb_bench_{uuid.uuid4().hex[:8]}"
                psql(server, f'CREATE DATABASE "{database}"')
                url = f"{server}/{database}"
            env = {
                **os.environ,
                "PB_DATABASE_URL": url,
                "PB_ENV": "development",
                "PB_SECRET_KEY": "bench-secret-key-that-is-long-enough-1234567890",
            }
            try:
                pb(env, "migrate")
                took, summary = pb(env, "import-pabulib", str(data / name))
                best_import = min(best_import, took)
                took, _ = pb(env, "export-pabulib", "1", "-o", str(scratch / "out"))
                best_export = min(best_export, took)
                best_convert = min(best_convert, convert_seconds(scratch / "out"))
            finally:
                if database:
                    psql(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        rows.append((name, best_import, best_export, best_convert, summary.strip()))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "pabulib")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--engines", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    print("| file | engine | import (command, wall) | export (command, wall) | CSV + JSON (CPU) | imported |")
    print("|---|---|---:|---:|---:|---|")
    for engine in args.engines.split(","):
        for name, took, exported, converted, summary in run_engine(engine, args.data, args.postgres, args.repeat):
            print(
                f"| {name.removesuffix('.pb')} | {engine} | {took:.1f} s | {exported:.1f} s | {converted:.2f} s | {summary} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
