"""Load benchmark of the voting journey: many voters casting ballots at once through pb's real pages.

One run:

1. creates a fresh PostgreSQL database on the server (dropped at the end), runs pb's migrations on
   it, and seeds a round in the voting phase (a few areas, projects on the ballot) and N confirmed
   voters, all sharing ONE password hash made with the production argon2 profile (hashing is not
   what is measured, so it is done once);
2. starts pb itself, `pb run --workers W`, in production mode on that database;
3. drives the journey a browser without JavaScript makes, with C voters at a time, over HTTP:
   - sign-in phase: GET the sign-in form (CSRF token), POST the credentials (with `--channel code`:
     an officer makes N voting codes on pb's codes page, and each voter enters one instead);
   - ballot phase: GET the vote start page, GET the ballot (area and age declared), POST review,
     POST cast, follow the redirect to the receipt page;
4. reports ballots per second, latency percentiles per request type and for the cast step (POST
   cast + the receipt page), errors, and checks the database against what clients were told: one
   ballot per receipt acknowledged (same receipts, same choices) and one register row per voter;
5. measures the raw single-row INSERT rate of the same PostgreSQL server at the same concurrency
   (C asyncpg connections, autocommit, into a scratch table shaped and indexed like pb_ballot).

    .venv/bin/python bench/load.py                      # defaults: a few minutes
    .venv/bin/python bench/load.py --voters 3000 --concurrency 32 --workers 3 --json
    .venv/bin/python bench/load.py --channel code

See bench/README.md ("Load") for what the figures mean and the last measured ones.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import csv
import hashlib
import hmac
import io
import json
import math
import os
import platform
import random
import re
import resource
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from http.cookiejar import CookiePolicy
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = os.environ.get("PB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
PASSWORD = "bench voter password 2027"
OFFICER = "officer@bench.invalid"
LANG = "en"

# Three areas, six projects each (cost in pence): voters pick projects that fit the area's budget.
AREAS = [
    ("Riverside", "Glan yr Afon", 60_000_00),
    ("Hillside", "Ochr y Bryn", 45_000_00),
    ("Town centre", "Canol y dref", 80_000_00),
]
PROJECT_COSTS = [4_500_00, 8_000_00, 12_500_00, 15_000_00, 20_000_00, 27_500_00]

CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')
CAST_TOKEN_FIELD = re.compile(r'name="cast_token" value="([^"]+)"')
RECEIPT = re.compile(r'class="pb-nowrap">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<')


# --------------------------------------------------------------------------------------------------
# Set-up: database, seed data, pb itself


def production_hash(password: str) -> str:
    """One argon2id hash with pb's production profile (the 'standard' one pb refuses to run without)."""
    from pb.accounts.passwords import _hasher

    return _hasher("standard").hash(password)


async def create_database(server: str, name: str) -> None:
    conn = await asyncpg.connect(f"{server}/postgres")
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def drop_database(server: str, name: str) -> None:
    conn = await asyncpg.connect(f"{server}/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@dataclass
class Seeded:
    round_id: int
    areas: dict[int, int]  # area id -> budget in pence
    projects: dict[int, list[tuple[int, int]]]  # area id -> [(proposal id, cost in pence)]
    voters: list[tuple[int, str]]  # (user id, email)


async def seed(url: str, voters: int, password_hash: str, channel: str = "account") -> Seeded:
    """A round in the voting phase and `voters` confirmed residents, inserted in bulk (SQL, not pb's
    actions: creating accounts one by one would time argon2, not voting)."""
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            author = await conn.fetchval(
                "INSERT INTO pb_user (email, name, password_hash, language, email_verified_at, is_active, created_at, session_version) "
                "VALUES ('author@bench.invalid', 'Bench author', $1, 'en', now(), true, now(), 0) RETURNING id",
                password_hash,
            )
            round_id = await conn.fetchval(
                "INSERT INTO pb_round (title_en, title_cy, description_en, description_cy, phase, ballot_method, counting_rule, "
                "min_age, allow_revote, proposals_from, review_from, shortlist_from, voting_from, results_from, delivery_from, created_at) "
                "VALUES ('Load benchmark fund', 'Cronfa meincnod llwyth', 'Benchmark round.', 'Rownd meincnod.', 'voting', "
                "'approval_budget', 'greedy', 16, true, '2027-01-04', '2027-02-01', '2027-03-01', '2027-04-05', '2027-05-03', "
                "'2027-06-01', now()) RETURNING id"
            )
            areas: dict[int, int] = {}
            projects: dict[int, list[tuple[int, int]]] = {}
            for position, (name_en, name_cy, budget) in enumerate(AREAS):
                area_id = await conn.fetchval(
                    "INSERT INTO pb_area (round, name_en, name_cy, budget_pence, residents_eligible, position) "
                    "VALUES ($1, $2, $3, $4, true, $5) RETURNING id",
                    round_id,
                    name_en,
                    name_cy,
                    budget,
                    position,
                )
                areas[area_id] = budget
                projects[area_id] = []
                for number, cost in enumerate(PROJECT_COSTS, 1):
                    title = f"{name_en} project {number}"
                    proposal = await conn.fetchval(
                        "INSERT INTO pb_proposal (round, area, author, title_en, title_cy, summary_en, summary_cy, description_en, "
                        "description_cy, estimated_cost_pence, cost_reason_en, cost_reason_cy, partners, status, status_reason_en, "
                        "status_reason_cy, feasibility_notes, support_count, search_text, hidden, hidden_reason, created_at, "
                        "submitted_at, updated_at) VALUES ($1, $2, $3, $4, '', 'A project for the benchmark.', '', "
                        "'A project for the load benchmark.', '', $5, '', '', '', 'on_ballot', '', '', '', 0, $6, false, '', "
                        "now(), now(), now()) RETURNING id",
                        round_id,
                        area_id,
                        author,
                        title,
                        cost,
                        title.lower(),
                    )
                    projects[area_id].append((proposal, cost))
            # With voting codes, the voters have no accounts: an officer makes their codes (see main).
            rows = await conn.fetch(
                "INSERT INTO pb_user (email, name, password_hash, language, email_verified_at, is_active, created_at, session_version) "
                "SELECT 'voter' || g || '@bench.invalid', 'Voter ' || g, $1, 'en', now(), true, now(), 0 "
                "FROM generate_series(1, $2) AS g RETURNING id, email",
                password_hash,
                voters if channel == "account" else 0,
            )
            officer = await conn.fetchval(
                "INSERT INTO pb_user (email, name, password_hash, language, email_verified_at, is_active, created_at, session_version) "
                "VALUES ($1, 'Bench officer', $2, 'en', now(), true, now(), 0) RETURNING id",
                OFFICER,
                password_hash,
            )
            await conn.execute(
                "INSERT INTO pb_user_role (\"user\", role, granted_at) SELECT id, 'resident', now() FROM pb_user WHERE id <> $1",
                author,
            )
            await conn.execute("INSERT INTO pb_user_role (\"user\", role, granted_at) VALUES ($1, 'officer', now())", officer)
        return Seeded(round_id, areas, projects, sorted((r["id"], r["email"]) for r in rows))
    finally:
        await conn.close()


def pb_environment(database_url: str, secret_key: str, mode: str, tmp: Path) -> dict[str, str]:
    """What `pb run` needs. Production mode needs an https base URL (pb sets Secure, __Host- cookies),
    an SMTP host and a sender address: the journey queues no email, so the SMTP host is never used."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PB_")}
    env.update(
        {
            "PB_ENV": mode,
            "PB_DATABASE_URL": database_url,
            "PB_SECRET_KEY": secret_key,
            "PB_ARGON2_PROFILE": "standard",
            "PB_SECRET_FILE": str(tmp / "secret_key"),
            "PB_TRUSTED_PROXIES": "127.0.0.1",
            "PB_OUTBOX_INTERVAL": "5",
        }
    )
    if mode == "production":
        env.update(
            {
                "PB_BASE_URL": "https://pb-bench.invalid",
                "PB_SMTP_HOST": "127.0.0.1",
                "PB_SMTP_PORT": "9",
                "PB_MAIL_FROM": "bench@pb-bench.invalid",
            }
        )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def migrate(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "pb.cli", "migrate"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


async def start_pb(env: dict[str, str], workers: int, port: int, log: Path) -> subprocess.Popen:
    """`pb run` in its own process group (so stopping it stops its workers), ready when /healthz answers."""
    handle = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "pb.cli", "run", "--workers", str(workers), "--port", str(port), "--host", "127.0.0.1"],
        env=env,
        cwd=ROOT,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(f"pb run exited ({process.returncode}): {log.read_text()[-2000:]}")
            try:
                if (await client.get(f"http://127.0.0.1:{port}/healthz", timeout=2)).status_code == 200:
                    # Every worker must be up, not just the first: wait until pb has said so for each.
                    if workers == 1 or log.read_text().count("Application startup complete") >= workers:
                        return process
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("pb run did not answer /healthz within 30 s")


def stop_pb(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # the group we started: uvicorn's supervisor and its workers
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its children (pb's workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(c) for c in children)
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
    return total


async def postgres_cpu(url: str, database: str) -> float:
    """CPU seconds used so far by the PostgreSQL backends serving the benchmark's database (the server
    is local, so /proc shows them). Approximate: a backend that ends within a phase is not counted."""
    conn = await asyncpg.connect(url)
    try:
        pids = [
            row["pid"]
            for row in await conn.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", database
            )
        ]
    finally:
        await conn.close()
    return sum(process_tree_cpu(pid) for pid in pids)


def children_cpu(pid: int) -> dict[int, float]:
    """CPU seconds of each child of pb's supervisor (its workers), to see how evenly they share the load."""
    try:
        children = [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]
    except (FileNotFoundError, ValueError):
        return {}
    return {child: process_tree_cpu(child) for child in children}


def machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


# --------------------------------------------------------------------------------------------------
# The journey


class NoCookies(CookiePolicy):
    """httpx's shared cookie jar is switched off: each voter's cookies are kept apart, by hand (and
    production cookies are Secure, which a jar would not send over the plain-HTTP hop to pb)."""

    netscape = True
    rfc2965 = hide_cookie2 = False

    def set_ok(self, cookie, request):
        return False

    def return_ok(self, cookie, request):
        return False

    def domain_return_ok(self, domain, request):
        return False

    def path_return_ok(self, path, request):
        return False


class JourneyError(Exception):
    pass


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)


@dataclass
class Voter:
    user_id: int
    email: str
    address: str  # the client address pb sees (X-Forwarded-For from the trusted local proxy hop)
    cookies: dict[str, str] = field(default_factory=dict)
    receipt: str | None = None
    csrf_token: str | None = None  # the sign-in form's, for --cast-only (the CSRF cookie outlives sign-in)
    code: str | None = None  # --channel code: the voting code from their letter
    area: int | None = None
    choices: list[int] = field(default_factory=list)
    client: httpx.AsyncClient | None = None  # this voter's connection, during a phase


class Browser:
    """Each voter is a separate browser: their own cookies and their own keep-alive connection for
    the phase. (One pool shared by every voter would pin a few long-lived connections to whichever of
    pb's workers accepted them first: one worker did most of the work while the other idled.)"""

    def __init__(self, base: str, https: bool) -> None:
        self.base = base
        # pb in production sits behind a TLS proxy; the benchmark is that proxy's hop (uvicorn trusts
        # X-Forwarded-* from 127.0.0.1, PB_TRUSTED_PROXIES).
        self.https = https
        self.tls = ssl.create_default_context()  # made once: httpx would load the CA bundle per client

    @contextlib.asynccontextmanager
    async def connection(self, voter: Voter):
        client = httpx.AsyncClient(
            base_url=self.base, timeout=60, follow_redirects=False, verify=self.tls, limits=httpx.Limits(max_connections=1)
        )
        client.cookies.jar.set_policy(NoCookies())
        voter.client = client
        try:
            yield
        finally:
            voter.client = None
            await client.aclose()

    async def request(
        self, voter: Voter, stats: Stats, kind: str, method: str, url: str, data=None, expect=(200,)
    ) -> httpx.Response:
        headers = {"x-forwarded-for": voter.address}
        if self.https:
            headers["x-forwarded-proto"] = "https"
        if voter.cookies:
            headers["cookie"] = "; ".join(f"{k}={v}" for k, v in voter.cookies.items())
        started = time.perf_counter()
        response = await voter.client.request(method, url, data=data, headers=headers)
        stats.add(kind, time.perf_counter() - started)
        for raw in response.headers.get_list("set-cookie"):
            pair, _, attributes = raw.partition(";")
            name, _, value = pair.strip().partition("=")
            if "max-age=0" in attributes.lower().replace(" ", "") or not value:
                voter.cookies.pop(name, None)
            else:
                voter.cookies[name] = value
        if response.status_code not in expect:
            raise JourneyError(f"{kind}: HTTP {response.status_code}")
        return response


def csrf(html: str, kind: str) -> str:
    match = CSRF_FIELD.search(html)
    if not match:
        raise JourneyError(f"{kind}: no CSRF field")
    return match.group(1)


async def sign_in(browser: Browser, voter: Voter, stats: Stats, round_id: int) -> None:
    target = f"/{LANG}/rounds/{round_id}/vote"
    if voter.code:  # the way in with a voting code: enter it, and pb holds it in the session
        form = await browser.request(voter, stats, "GET code", "GET", f"{target}/code")
        voter.csrf_token = csrf(form.text, "GET code")
        started = time.perf_counter()
        response = await browser.request(
            voter,
            stats,
            "POST code",
            "POST",
            f"{target}/code",
            expect=(303,),
            data={"_csrf_token": voter.csrf_token, "code": voter.code},
        )
        stats.add("code step", time.perf_counter() - started)
        if response.headers.get("location") != target:
            raise JourneyError(f"POST code: redirected to {response.headers.get('location')!r}")
        return
    form = await browser.request(voter, stats, "GET sign-in", "GET", f"/{LANG}/sign-in?next={target}")
    voter.csrf_token = csrf(form.text, "GET sign-in")
    started = time.perf_counter()
    response = await browser.request(
        voter,
        stats,
        "POST sign-in",
        "POST",
        f"/{LANG}/sign-in",
        expect=(303,),
        data={"_csrf_token": voter.csrf_token, "email": voter.email, "password": PASSWORD, "next": target},
    )
    stats.add("sign-in step", time.perf_counter() - started)
    if response.headers.get("location") != target:
        raise JourneyError(f"POST sign-in: redirected to {response.headers.get('location')!r}")


def choose(rng: random.Random, budget: int, projects: list[tuple[int, int]]) -> list[int]:
    """What a voter ticks: one to four projects, in a random order, each only if it still fits."""
    wanted = rng.randint(1, 4)
    chosen, total = [], 0
    for project, cost in rng.sample(projects, len(projects)):
        if total + cost <= budget:
            chosen.append(project)
            total += cost
        if len(chosen) == wanted:
            break
    return chosen


async def vote(browser: Browser, voter: Voter, stats: Stats, seeded: Seeded, rng: random.Random, cast_only: bool = False) -> None:
    round_id = seeded.round_id
    base = f"/{LANG}/rounds/{round_id}/vote"
    started = time.perf_counter()
    if cast_only:  # not a browser's journey: the cast alone, to see what the pages before it cost
        voter.area = rng.choice(list(seeded.areas))
        voter.choices = choose(rng, seeded.areas[voter.area], seeded.projects[voter.area])
        form = {"_csrf_token": voter.csrf_token, "area": str(voter.area), "age": "yes", "choice": [str(p) for p in voter.choices]}
        await cast(browser, voter, stats, base, form, started)
        return
    start = await browser.request(voter, stats, "GET start", "GET", base)
    if "/vote/ballot" not in start.text:
        raise JourneyError("GET start: no form to the ballot (not signed in?)")
    voter.area = rng.choice(list(seeded.areas))
    ballot = await browser.request(voter, stats, "GET ballot", "GET", f"{base}/ballot?area={voter.area}&age=yes")
    token = csrf(ballot.text, "GET ballot")
    voter.choices = choose(rng, seeded.areas[voter.area], seeded.projects[voter.area])
    for project in voter.choices:
        if f'value="{project}"' not in ballot.text:
            raise JourneyError("GET ballot: a project on the ballot is missing")
    form = {"_csrf_token": token, "area": str(voter.area), "age": "yes", "choice": [str(p) for p in voter.choices]}
    review = await browser.request(voter, stats, "POST review", "POST", f"{base}/review", data=form)
    if f"{base}/cast" not in review.text:
        raise JourneyError("POST review: no cast form (the ballot was refused)")
    form["_csrf_token"] = csrf(review.text, "POST review")
    # The review page's one-use token, sent as a browser sends the hidden field: a cast sent again
    # with it (a retry after a lost answer) shows the same receipt and writes nothing new.
    token_field = CAST_TOKEN_FIELD.search(review.text)
    if token_field:
        form["cast_token"] = token_field.group(1)
    await cast(browser, voter, stats, base, form, started)


async def cast(browser: Browser, voter: Voter, stats: Stats, base: str, form: dict, started: float) -> None:
    """POST cast, then the receipt page it redirects to (a browser follows the 303 at once)."""
    cast_started = time.perf_counter()
    response = await browser.request(voter, stats, "POST cast", "POST", f"{base}/cast", data=form, expect=(303,))
    if response.headers.get("location") != f"{base}/done":
        raise JourneyError(f"POST cast: redirected to {response.headers.get('location')!r}")
    done = await browser.request(voter, stats, "GET receipt", "GET", f"{base}/done")
    now = time.perf_counter()
    stats.add("cast step", now - cast_started)
    stats.add("ballot journey", now - started)
    match = RECEIPT.search(done.text)
    if not match:
        raise JourneyError("GET receipt: no receipt code on the page")
    voter.receipt = match.group(1)


async def run_phase(
    browser: Browser, voters: list[Voter], concurrency: int, action, stats: Stats, deadline: float | None = None
) -> tuple[float, int]:
    """Run `action(voter)` for every voter, `concurrency` at a time. Returns (seconds, voters started)."""
    queue: asyncio.Queue[Voter] = asyncio.Queue()
    for voter in voters:
        queue.put_nowait(voter)
    started_count = 0

    async def worker() -> None:
        nonlocal started_count
        while not queue.empty():
            if deadline is not None and time.perf_counter() > deadline:
                return
            voter = queue.get_nowait()
            started_count += 1
            try:
                async with browser.connection(voter):
                    await action(voter)
            except Exception as problem:  # counted, not fatal: every failed voter is an error in the report
                stats.errors.append(f"{type(problem).__name__}: {problem}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, started_count


# --------------------------------------------------------------------------------------------------
# The raw INSERT rate, and the checks


RAW_TABLE = """CREATE TABLE bench_raw_ballot (
    id serial PRIMARY KEY, round integer NOT NULL, revote_key varchar(64), sealed text NOT NULL)"""
RAW_INDEXES = [  # as on pb_sealed_ballot (m0021), where a cast writes its ballot
    "CREATE UNIQUE INDEX bench_raw_revote ON bench_raw_ballot (revote_key) WHERE revote_key IS NOT NULL",
    "CREATE INDEX bench_raw_round ON bench_raw_ballot (round)",
]


async def raw_insert_rate(url: str, concurrency: int, seconds: float) -> dict:
    """C connections, each inserting one row per statement (autocommit: one commit per row)."""
    setup = await asyncpg.connect(url)
    await setup.execute(RAW_TABLE)
    for statement in RAW_INDEXES:
        await setup.execute(statement)
    connections = [await asyncpg.connect(url) for _ in range(concurrency)]
    backends = [conn.get_server_pid() for conn in connections]
    postgres_before = sum(process_tree_cpu(pid) for pid in backends)
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def inserter(conn: asyncpg.Connection) -> None:
        nonlocal errors
        statement = await conn.prepare("INSERT INTO bench_raw_ballot (round, revote_key, sealed) VALUES ($1, $2, $3)")
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                await statement.fetch(1, secrets.token_hex(32), secrets.token_urlsafe(96))
            except asyncpg.PostgresError:
                errors += 1
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(inserter(conn) for conn in connections))
    elapsed = time.perf_counter() - started
    client_after = resource.getrusage(resource.RUSAGE_SELF)
    postgres_cpu_seconds = sum(process_tree_cpu(pid) for pid in backends) - postgres_before
    client_cpu_seconds = (client_after.ru_utime + client_after.ru_stime) - (client_before.ru_utime + client_before.ru_stime)
    rows = await setup.fetchval("SELECT count(*) FROM bench_raw_ballot")
    for conn in connections:
        await conn.close()
    await setup.execute("DROP TABLE bench_raw_ballot")
    await setup.close()
    return {
        "rows": rows,
        "seconds": elapsed,
        "rate": rows / elapsed,
        "errors": errors,
        "latency": summary(latencies),
        "postgres_cpu_ms_per_row": postgres_cpu_seconds * 1000 / max(rows, 1),
        "client_cpu_ms_per_row": client_cpu_seconds * 1000 / max(rows, 1),
    }


def open_sealed(secret: str, round_id: int, sealed: str) -> dict:
    """A sealed ballot opened as pb.voting.sealing does (AES-GCM under HMAC(secret, "ballot-seal:<round>")),
    recomputed here with the run's secret: while voting is open this is the only record of a ballot."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    raw = base64.b64decode(sealed)
    key = hmac.new(secret.encode(), f"ballot-seal:{round_id}".encode(), hashlib.sha256).digest()
    data = json.loads(AESGCM(key).decrypt(raw[:12], raw[12:], f"round:{round_id}".encode()))
    return {"receipt": data["r"], "area": data["a"], "choices": sorted(int(project) for project, _ in data["v"])}


def voter_key(secret: str, round_id: int, user_id: int) -> str:
    """pb's register key for an online voter: keyed_hash("voter", "<round>:user:<id>") as in
    pb/security.py and pb.voting.actions.voter_key_for_user, recomputed here with the run's secret."""
    key = hashlib.sha256(f"voter:{secret}".encode()).digest()
    return hmac.new(key, f"{round_id}:user:{user_id}".encode(), hashlib.sha256).hexdigest()


async def make_codes(browser: Browser, round_id: int, count: int) -> list[str]:
    """--channel code: an officer signs in, generates `count` codes for any area and downloads them
    as the CSV for the mail merge, through pb's own pages (codes are derived under pb's secret)."""
    officer, stats = Voter(0, OFFICER, "10.255.255.254"), Stats()
    base = f"/{LANG}/manage/rounds/{round_id}/codes"
    async with browser.connection(officer):
        await sign_in(browser, officer, stats, round_id)
        form = await browser.request(officer, stats, "GET codes", "GET", base)
        made = await browser.request(
            officer,
            stats,
            "POST codes",
            "POST",
            base,
            expect=(303,),
            data={"_csrf_token": csrf(form.text, "GET codes"), "count": str(count), "label": "Load benchmark", "area": "any"},
        )
        batch = made.headers.get("location", "").partition("made=")[2]
        if not batch.isdigit():
            raise JourneyError(f"POST codes: redirected to {made.headers.get('location')!r}")
        sheet = await browser.request(officer, stats, "GET codes CSV", "GET", f"{base}/{batch}/csv")
    rows = list(csv.reader(io.StringIO(sheet.text.lstrip("\ufeff"))))
    return [row[0] for row in rows[1:] if row]


async def check_database(url: str, seeded: Seeded, voters: list[Voter], secret: str) -> dict:
    """The database against what clients were told: the same receipts, each with the voter's area and
    choices, and exactly one register row per voter who got a receipt."""
    conn = await asyncpg.connect(url)
    try:
        # Voting is still open, so every ballot is sealed (pb.voting.sealing); none is readable yet.
        ballots = [
            open_sealed(secret, seeded.round_id, row["sealed"])
            for row in await conn.fetch("SELECT sealed FROM pb_sealed_ballot WHERE round = $1", seeded.round_id)
        ]
        ballots += await conn.fetch(
            "SELECT b.receipt, b.area, array_agg(c.proposal ORDER BY c.proposal) AS choices FROM pb_ballot b "
            "LEFT JOIN pb_ballot_choice c ON c.ballot = b.id WHERE b.round = $1 GROUP BY b.id",
            seeded.round_id,
        )
        register = await conn.fetch("SELECT voter_key FROM pb_voter_register WHERE round = $1", seeded.round_id)
        code_keys = (
            {
                row["voter_key"]
                for row in await conn.fetch("SELECT voter_key FROM pb_voting_code WHERE round = $1", seeded.round_id)
            }
            if any(v.code for v in voters)
            else set()
        )
    finally:
        await conn.close()
    acknowledged = {v.receipt: v for v in voters if v.receipt}
    stored = {row["receipt"]: row for row in ballots}
    mismatched = sum(
        1
        for receipt, voter in acknowledged.items()
        if receipt in stored
        and (stored[receipt]["area"] != voter.area or list(stored[receipt]["choices"]) != sorted(voter.choices))
    )
    keys = [row["voter_key"] for row in register]
    expected_keys = {voter_key(secret, seeded.round_id, v.user_id) for v in voters if v.receipt and not v.code}
    if code_keys:  # a code's register key is pb's keyed hash of the code's hash: each must be a code of this round
        expected_keys = set(keys) & code_keys if len(set(keys) & code_keys) == len(acknowledged) else set()
    problems = []
    if len(stored) != len(acknowledged):
        problems.append(f"{len(stored)} ballots in the database, {len(acknowledged)} receipts acknowledged")
    if set(stored) != set(acknowledged):
        problems.append(
            f"{len(set(acknowledged) - set(stored))} acknowledged receipts missing, {len(set(stored) - set(acknowledged))} unknown"
        )
    if mismatched:
        problems.append(f"{mismatched} ballots differ from what their voter cast")
    if len(keys) != len(set(keys)) or set(keys) != expected_keys:
        problems.append(
            f"the register has {len(keys)} rows ({len(set(keys))} voters) for {len(expected_keys)} voters with a receipt"
        )
    return {
        "ballots_in_database": len(stored),
        "receipts_acknowledged": len(acknowledged),
        "register_rows": len(keys),
        "mismatched_ballots": mismatched,
        "problems": problems,
        "ok": not problems,
    }


# --------------------------------------------------------------------------------------------------
# Reporting


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "count": len(ordered),
        **{name: round(percentile(ordered, q) * 1000, 1) for name, q in (("p50_ms", 0.50), ("p95_ms", 0.95), ("p99_ms", 0.99))},
        "max_ms": round(ordered[-1] * 1000, 1) if ordered else None,
    }


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        None,
    )
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": memory, "python": platform.python_version()}


def print_report(result: dict) -> None:
    m, setup = result["machine"], result["setup"]
    print(f"\nMachine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; PostgreSQL {m['postgres']}; Python {m['python']}")
    print(
        f"Load average at start: {' '.join(f'{v:.2f}' for v in result['load_average_start'])}; "
        f"at end: {' '.join(f'{v:.2f}' for v in result['load_average_end'])}"
    )
    print(
        f"pb: {setup['workers']} workers, PB_ENV={setup['mode']}; {setup['voters']} voters with "
        f"{'voting codes' if setup['channel'] == 'code' else 'accounts'}, {setup['concurrency']} at a time"
        + ("; --cast-only: the ballot phase is POST cast + receipt page only" if setup["cast_only"] else "")
    )
    for phase in ("sign_in", "ballot"):
        p = result[phase]
        name = "code entry" if phase == "sign_in" and setup["channel"] == "code" else phase.replace("_", "-")
        print(
            f"\n{name} phase: {p['completed']} of {p['started']} voters in {p['seconds']:.1f} s "
            f"= {p['rate']:.1f}/s; errors {p['errors']}; machine CPU busy {p['machine_cpu_busy']:.0%}; "
            f"CPU seconds: pb {p['pb_cpu_seconds']:.1f}, PostgreSQL {p['postgres_cpu_seconds']:.1f}, "
            f"load generator {p['generator_cpu_seconds']:.1f}"
        )
        print(f"  {'request':<16} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
        for kind, s in p["latency"].items():
            print(f"  {kind:<16} {s['count']:>6} {s['p50_ms']:>8} {s['p95_ms']:>8} {s['p99_ms']:>8} {s['max_ms']:>8}")
        if p["completed"]:
            per = {k: p[f"{k}_cpu_seconds"] * 1000 / p["completed"] for k in ("pb", "postgres", "generator")}
            each = (
                f"; CPU seconds of pb's processes: {', '.join(str(c) for c in p['pb_process_cpu_seconds'])}"
                if p["pb_process_cpu_seconds"]
                else ""
            )
            print(
                f"  CPU per voter: pb {per['pb']:.1f} ms, PostgreSQL {per['postgres']:.1f} ms, load generator {per['generator']:.1f} ms{each}"
            )
        for error in p["error_samples"]:
            print(f"  error: {error}")
    raw = result["raw_insert"]
    print(
        f"\nRaw single-row INSERT, {setup['concurrency']} connections, autocommit: {raw['rate']:.0f} rows/s "
        f"(p50 {raw['latency']['p50_ms']} ms, p99 {raw['latency']['p99_ms']} ms; errors {raw['errors']}); CPU per row: "
        f"PostgreSQL {raw['postgres_cpu_ms_per_row']:.2f} ms, client {raw['client_cpu_ms_per_row']:.2f} ms"
    )
    c = result["checks"]
    print(
        f"\nDatabase: {c['ballots_in_database']} ballots, {c['receipts_acknowledged']} receipts acknowledged, "
        f"{c['register_rows']} register rows: {'OK' if c['ok'] else 'PROBLEMS: ' + '; '.join(c['problems'])}"
    )
    t = result["targets"]
    print(
        f"Targets: ballots/s >= half the raw rate: {result['ballot']['rate']:.1f} vs {raw['rate'] / 2:.0f} "
        f"({t['ratio_to_raw']:.1%} of raw) {'met' if t['rate_met'] else 'MISSED'}; "
        f"cast step p99 < 300 ms: {result['ballot']['latency']['cast step']['p99_ms']} ms {'met' if t['p99_met'] else 'MISSED'}; "
        f"zero errors: {'met' if t['errors_met'] else 'MISSED'}; database = receipts: {'met' if c['ok'] else 'MISSED'}"
    )


# --------------------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> dict:
    load_start = os.getloadavg()
    name = f"pb_bench_{uuid.uuid4().hex[:10]}"
    url = f"{args.server}/{name}"
    secret = secrets.token_urlsafe(48)
    tmp = Path(tempfile.mkdtemp(prefix="pb-bench-"))
    env = pb_environment(url, secret, args.env, tmp)
    say = (lambda *a: print(*a, file=sys.stderr, flush=True)) if not args.quiet else (lambda *a: None)
    # Stopped by a signal, it still stops pb and drops its database (the `finally` below). Installed
    # explicitly: a shell starts background jobs with SIGINT ignored, and SIGTERM would skip `finally`.
    loop, task = asyncio.get_running_loop(), asyncio.current_task()
    for stop in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop, task.cancel)
    await create_database(args.server, name)
    process = None
    try:
        say(f"database {name}: migrating and seeding {args.voters} voters")
        migrate(env)
        seeded = await seed(url, args.voters, production_hash(PASSWORD), args.channel)
        port = free_port()
        process = await start_pb(env, args.workers, port, tmp / "pb.log")
        say(f"pb run --workers {args.workers} on port {port} (log: {tmp / 'pb.log'})")
        rng = random.Random(args.seed)
        browser = Browser(f"http://127.0.0.1:{port}", https=args.env == "production")
        if args.channel == "code":
            say(f"an officer makes {args.voters} voting codes")
            people = [(0, "", code) for code in await make_codes(browser, seeded.round_id, args.voters)]
        else:
            people = [(user_id, email, None) for user_id, email in seeded.voters]
        voters = [
            Voter(user_id, email, f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}", code=code)
            for i, (user_id, email, code) in enumerate(people, 1)
        ]
        result: dict = {
            "setup": {
                "channel": args.channel,
                "cast_only": args.cast_only,
                "voters": args.voters,
                "concurrency": args.concurrency,
                "workers": args.workers,
                "mode": args.env,
                "areas": len(AREAS),
                "projects": len(AREAS) * len(PROJECT_COSTS),
            }
        }
        for phase, action, todo in (
            # `stats` is bound late on purpose: each phase counts into its own, made below.
            ("sign_in", lambda v: sign_in(browser, v, stats, seeded.round_id), voters),  # noqa: B023
            ("ballot", lambda v: vote(browser, v, stats, seeded, rng, args.cast_only), None),  # noqa: B023
        ):
            if todo is None:  # only voters who signed in go on to vote
                todo = [v for v in voters if any(k.endswith("pb_session") for k in v.cookies)]
            say(f"{phase} phase: {len(todo)} voters, {args.concurrency} at a time")
            stats = Stats()
            pg_before = await postgres_cpu(url, name)
            cpu_before, busy_before, pb_before = (
                resource.getrusage(resource.RUSAGE_SELF),
                machine_cpu(),
                process_tree_cpu(process.pid),
            )
            each_before = children_cpu(process.pid)
            deadline = time.perf_counter() + args.duration if args.duration and phase == "ballot" else None
            seconds, started = await run_phase(browser, todo, args.concurrency, action, stats, deadline)
            cpu_after, busy_after = resource.getrusage(resource.RUSAGE_SELF), machine_cpu()
            completed = started - len(stats.errors)
            result[phase] = {
                "started": started,
                "completed": completed,
                "seconds": seconds,
                "rate": completed / seconds if seconds else 0.0,
                "errors": len(stats.errors),
                "error_samples": sorted(set(stats.errors))[:5],
                "latency": {kind: summary(values) for kind, values in stats.latencies.items()},
                "machine_cpu_busy": (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1]),
                "pb_cpu_seconds": process_tree_cpu(process.pid) - pb_before,
                "pb_process_cpu_seconds": sorted(
                    (round(cpu - each_before.get(child, 0.0), 1) for child, cpu in children_cpu(process.pid).items()),
                    reverse=True,
                ),
                "generator_cpu_seconds": (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime),
                "postgres_cpu_seconds": await postgres_cpu(url, name) - pg_before,
            }
        result["ballot"]["receipts"] = sum(1 for v in voters if v.receipt)
        say(f"raw INSERT rate: {args.concurrency} connections for {args.raw_seconds} s")
        result["raw_insert"] = await raw_insert_rate(url, args.concurrency, args.raw_seconds)
        result["checks"] = await check_database(url, seeded, voters, secret)
        conn = await asyncpg.connect(url)
        try:
            postgres = await conn.fetchval("SHOW server_version")
        finally:
            await conn.close()
    finally:
        if process is not None:
            stop_pb(process)
        await drop_database(args.server, name)
    raw_rate = result["raw_insert"]["rate"]
    errors = result["sign_in"]["errors"] + result["ballot"]["errors"]
    result["machine"] = {**machine(), "postgres": postgres}
    result["load_average_start"] = list(load_start)
    result["load_average_end"] = list(os.getloadavg())
    result["targets"] = {
        "ratio_to_raw": result["ballot"]["rate"] / raw_rate if raw_rate else 0.0,
        "rate_met": result["ballot"]["rate"] >= raw_rate / 2,
        "p99_met": result["ballot"]["latency"].get("cast step", {}).get("p99_ms", 1e9) < 300,
        "errors_met": errors == 0,
        "database_met": result["checks"]["ok"],
    }
    return result


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=800, help="voters seeded, signed in and voting (default 800)")
    parser.add_argument("--concurrency", type=int, default=8, help="voters at a time, and raw-insert connections (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="pb run --workers (default 2)")
    parser.add_argument(
        "--duration",
        type=float,
        default=None,
        help="stop starting new ballots after this many seconds (default: every voter votes)",
    )
    parser.add_argument("--raw-seconds", type=float, default=15, help="how long to measure raw inserts (default 15)")
    parser.add_argument(
        "--channel",
        choices=("account", "code"),
        default="account",
        help="how voters get in: sign in to an account (default), or enter a voting code an officer made",
    )
    parser.add_argument(
        "--cast-only",
        action="store_true",
        help="ballot phase: only POST cast and the receipt page (not a browser's journey; shows what the pages before it cost)",
    )
    parser.add_argument(
        "--env", choices=("production", "development"), default="production", help="PB_ENV for pb run (default production)"
    )
    parser.add_argument("--server", default=DEFAULT_SERVER, help=f"PostgreSQL server (default {DEFAULT_SERVER})")
    parser.add_argument("--seed", type=int, default=2027, help="random seed for the voters' choices")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    sys.path.insert(0, str(ROOT))
    try:
        result = asyncio.run(run(args))
    except asyncio.CancelledError:
        print("stopped: pb was stopped and the benchmark database dropped", file=sys.stderr)
        return 130
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)
    return 0 if result["targets"]["errors_met"] and result["targets"]["database_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
