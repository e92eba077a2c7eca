"""The load benchmark (bench/load.py) run small, so it keeps working as pb changes.

It asserts correctness only, never timings: a handful of voters sign in (or enter voting codes) and
vote through pb's real pages against `pb run` on PostgreSQL, with no errors, and the database holds
exactly the ballots whose receipts the voters were shown, with one register row each."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest

from tests.conftest import ENGINE, PG_SERVER

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    ENGINE != "postgres",
    reason="the load benchmark runs `pb run` with workers on a fresh PostgreSQL database (PB_TEST_DATABASE=postgres)",
)


async def _run_benchmark(*extra: str, voters: int = 4) -> dict:
    """bench/load.py in its own process (it starts `pb run` and makes its own database), as `make
    bench-load` runs it; its JSON result."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bench" / "load.py"),
        "--voters",
        str(voters),
        "--concurrency",
        "2",
        "--workers",
        "1",
        "--raw-seconds",
        "0.5",
        "--server",
        PG_SERVER,
        "--json",
        "--quiet",
        *extra,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, stderr.decode()[-3000:] + stdout.decode()[-3000:]
    return json.loads(stdout)


async def test_the_load_benchmark_journey_records_every_acknowledged_ballot():
    result = await _run_benchmark(voters=6)

    assert result["sign_in"]["errors"] == 0, result["sign_in"]["error_samples"]
    assert result["ballot"]["errors"] == 0, result["ballot"]["error_samples"]
    assert result["ballot"]["completed"] == 6
    checks = result["checks"]
    assert checks["ok"], checks["problems"]
    assert checks["ballots_in_database"] == checks["receipts_acknowledged"] == checks["register_rows"] == 6
    assert checks["mismatched_ballots"] == 0
    assert result["raw_insert"]["errors"] == 0 and result["raw_insert"]["rows"] > 0


async def test_the_load_benchmark_journey_with_voting_codes():
    result = await _run_benchmark("--channel", "code")
    assert result["sign_in"]["errors"] == 0, result["sign_in"]["error_samples"]
    assert result["ballot"]["errors"] == 0, result["ballot"]["error_samples"]
    checks = result["checks"]
    assert checks["ok"], checks["problems"]
    assert checks["ballots_in_database"] == checks["receipts_acknowledged"] == checks["register_rows"] == 4
