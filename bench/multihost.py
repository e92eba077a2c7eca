"""Multi-host benchmark: pb on two app "hosts" behind HAProxy, one host killed and restarted mid-run.

One run (as root, on one machine):

1. two network namespaces are the app hosts, each joined to the root namespace by a veth pair;
   PostgreSQL and Redis (listening on 127.0.0.1 only, left untouched) are reached from them through
   small TCP forwarders (socat) on the root end of each veth, as a private network would carry them;
2. a fresh PostgreSQL database is made and migrated with the command of deploy/pb-migrate.service,
   and seeded as bench/load.py seeds it (a round in the voting phase, N voters with accounts);
3. each host runs deploy/pb.service's ExecStart with the settings of deploy/pb.env.example (only the
   site-specific values are replaced: database and Redis addresses, secret, trusted proxy, workers),
   and HAProxy runs deploy/haproxy.cfg (only its `bind`, `crt` and `server` addresses are rewritten),
   with TLS, health checks on /healthz and no sticky sessions;
4. the whole journey of bench/load.py (sign in, vote start, ballot, review, cast, receipt) is driven
   through HAProxy, C voters at a time, each voter from its own client address (127.x.y.z);
5. when a share of the voters have voted, every process of host 1 is killed (SIGKILL), and restarted
   after some seconds with the same command (what systemd's Restart= does). A request lost with the
   host is sent again, as a browser's user would (a repeated cast carries the review page's token);
6. sessions: a cohort of voters signed in directly on host 1 before the kill votes after it, through
   HAProxy (so on host 2), without signing in again; throttles: an address that failed to sign in 10
   times on host 1 is refused (429) through host 2 after the kill, even with the right password;
7. reports ballots per second (before, during and after the outage), p50/p95/p99 per step, every
   client error and whether its retry succeeded, CPU seconds per voter (pb, PostgreSQL, HAProxy), and
   checks the database against the receipts: no lost and no doubled ballot, one register row each.

    PYTHONPATH=. .venv/bin/python bench/multihost.py --quick     # 600 voters: a minute or two
    PYTHONPATH=. .venv/bin/python bench/multihost.py             # 20,000 voters (a Paris-sized peak hour)

See bench/README.md ("Multi-host") for the figures and deploy/README.md for the files it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import os
import random
import re
import resource
import secrets
import shlex
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402  (bench/load.py: seeding, the journey, the checks)

ROOT = load.ROOT
DEPLOY = ROOT / "deploy"
RETRYABLE_STATUS = (502, 503, 504)
BALLOT_STEPS = ("GET start", "GET ballot", "POST review", "POST cast", "GET receipt")
THROTTLE_ADDRESS = "127.0.250.1"  # the address that fails to sign in on host 1 before the kill


# --------------------------------------------------------------------------------------------------
# The deployment files: what the benchmark runs is read from them


def unit_service(path: Path) -> dict[str, list[str]]:
    """The [Service] settings of a systemd unit file: key -> values, in order (keys may repeat)."""
    settings: dict[str, list[str]] = {}
    section = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section == "Service" and "=" in line:
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def env_file(text: str) -> dict[str, str]:
    """An EnvironmentFile: KEY=value lines; blank lines and # comments skipped, quotes removed."""
    values = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def with_settings(text: str, overrides: dict[str, str]) -> str:
    """An env file with some values replaced (in place, as an operator edits it) or added."""
    done: set[str] = set()
    lines = []
    for line in text.splitlines():
        key = line.partition("=")[0].strip()
        if not line.lstrip().startswith("#") and key in overrides:
            lines.append(f"{key}={overrides[key]}")
            done.add(key)
        else:
            lines.append(line)
    lines += [f"{key}={value}" for key, value in overrides.items() if key not in done]
    return "\n".join(lines) + "\n"


def unit_command(unit: Path, env_path: Path) -> tuple[list[str], dict[str, str]]:
    """A unit's ExecStart and environment (Environment= lines, then its EnvironmentFile, read from
    `env_path` instead of the installed path). The installed `pb` executable becomes this checkout's
    `python -m pb.cli`, with the same arguments."""
    service = unit_service(unit)
    (exec_start,) = service["ExecStart"]
    argv = shlex.split(exec_start.lstrip("-@+!:"))
    if Path(argv[0]).name != "pb":
        raise RuntimeError(f"{unit.name}: ExecStart runs {argv[0]!r}, not pb")
    env: dict[str, str] = {}
    for assignment in service.get("Environment", []):
        for item in shlex.split(assignment):
            key, _, value = item.partition("=")
            env[key] = value
    if service.get("EnvironmentFile"):
        env.update(env_file(env_path.read_text()))
    return [sys.executable, "-m", "pb.cli", *argv[1:]], env


def haproxy_config(text: str, https_port: int, pem: Path, servers: list[str]) -> str:
    """deploy/haproxy.cfg with the addresses of this machine: the HTTPS front end on 127.0.0.1, the
    plain-HTTP one on a free port, the certificate path, and the app hosts (in order)."""
    lines, next_server = [], iter(servers)
    for line in text.splitlines():
        stripped = line.strip()
        indent = line[: len(line) - len(line.lstrip())]
        if stripped.startswith("bind ") and " ssl " in stripped:
            line = indent + re.sub(r"^bind \S+", f"bind 127.0.0.1:{https_port}", stripped)
            line = re.sub(r"crt \S+", f"crt {pem}", line)
        elif stripped.startswith("bind "):
            line = indent + re.sub(r"^bind \S+", f"bind 127.0.0.1:{load.free_port()}", stripped)
        elif stripped.startswith("log /dev/log"):
            line = indent + "log stderr format short local0 notice"
        elif stripped.startswith("server "):
            parts = stripped.split()
            parts[2] = next(next_server)
            line = indent + " ".join(parts)
        lines.append(line)
    if next(next_server, None) is not None:
        raise RuntimeError("deploy/haproxy.cfg lists fewer servers than the benchmark's hosts")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------
# The machine: namespaces, forwarders, processes


def sh(*argv: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(argv, check=check, capture_output=True, text=True)


@dataclass
class Host:
    name: str  # haproxy's server name
    namespace: str
    outside: str  # the root namespace's end of the veth (where the host reaches PostgreSQL and Redis)
    inside: str  # the host's own address
    veth: str
    process: subprocess.Popen | None = None
    log: Path | None = None
    pids_cpu: dict[int, float] = field(default_factory=dict)  # CPU seconds last seen per pb process


def make_hosts(tag: str, base: str) -> list[Host]:
    net = ipaddress.ip_network(base)
    subnets = list(net.subnets(new_prefix=24))[:2]
    return [
        Host(f"host{i}", f"pbbench-{tag}-host{i}", str(subnet[1]), str(subnet[2]), f"pbb{tag}h{i}")
        for i, subnet in enumerate(subnets, 1)
    ]


def network_up(host: Host) -> None:
    sh("ip", "netns", "add", host.namespace)
    sh("ip", "link", "add", host.veth, "type", "veth", "peer", "name", host.veth + "n")
    sh("ip", "link", "set", host.veth + "n", "netns", host.namespace)
    sh("ip", "addr", "add", f"{host.outside}/24", "dev", host.veth)
    sh("ip", "link", "set", host.veth, "up")
    sh("ip", "netns", "exec", host.namespace, "ip", "addr", "add", f"{host.inside}/24", "dev", host.veth + "n")
    sh("ip", "netns", "exec", host.namespace, "ip", "link", "set", host.veth + "n", "up")
    sh("ip", "netns", "exec", host.namespace, "ip", "link", "set", "lo", "up")


def network_down(host: Host) -> None:
    for pid in namespace_pids(host):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    sh("ip", "netns", "del", host.namespace, check=False)
    sh("ip", "link", "del", host.veth, check=False)


def namespace_pids(host: Host) -> list[int]:
    found = sh("ip", "netns", "pids", host.namespace, check=False)
    return [int(pid) for pid in found.stdout.split()]


def start_group(argv: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def stop_group(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


async def start_pb(host: Host, command: list[str], env: dict[str, str], workers: int, port: int) -> None:
    """pb.service's command in the host's namespace; ready when /healthz answers and every worker
    has said it started (as load.start_pb waits)."""
    assert host.log is not None
    before = host.log.read_text().count("Application startup complete") if host.log.exists() else 0
    host.process = start_group(["ip", "netns", "exec", host.namespace, *command], host.log, env)
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            if host.process.poll() is not None:
                raise RuntimeError(f"{host.name}: pb exited ({host.process.returncode}): {host.log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"http://{host.inside}:{port}/healthz", timeout=2)).status_code == 200:
                    if host.log.read_text().count("Application startup complete") - before >= workers:
                        return
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{host.name}: pb did not answer /healthz within 60 s")


def own_cpu(pid: int) -> float:
    """CPU seconds (user + system) of one process so far, 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sample_cpu(host: Host) -> None:
    """Remember the CPU seconds of every pb process of the host (kept after the host is killed)."""
    if host.process is None:
        return
    todo = [host.process.pid]
    while todo:
        pid = todo.pop()
        host.pids_cpu[pid] = max(host.pids_cpu.get(pid, 0.0), own_cpu(pid))
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ValueError):
            continue


def self_signed(directory: Path) -> tuple[Path, ssl.SSLContext]:
    """A throwaway certificate for 127.0.0.1 (HAProxy's PEM: certificate and key), and a client
    context that trusts it."""
    key, cert = directory / "key.pem", directory / "cert.pem"
    sh(
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
        "-subj", "/CN=pb-bench.invalid", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", str(key), "-out", str(cert),
    )  # fmt: skip
    pem = directory / "pb.pem"
    pem.write_text(cert.read_text() + key.read_text())
    return pem, ssl.create_default_context(cafile=str(cert))


# --------------------------------------------------------------------------------------------------
# The journey through the load balancer, with a browser user's retries


@dataclass
class LBVoter(load.Voter):
    served: list[tuple[float, str, str]] = field(default_factory=list)  # (time, request, host)
    done_at: float | None = None


@dataclass
class Retry:
    voter: int
    request: str
    problem: str
    at: float
    recovered: bool = False


class LBBrowser(load.Browser):
    """Each voter a browser with its own address (HAProxy sees 127.x.y.z and tells pb in
    X-Forwarded-For), its own cookies and its own connection. A request that fails as a dying host
    makes it fail (no answer, or HAProxy's 502/503/504) is sent again after a pause, up to 5 times,
    as its user would press the button again; the step's latency includes the retries."""

    def __init__(self, base: str, tls: ssl.SSLContext | bool, retries: list[Retry], epoch: float, via_lb: bool = True) -> None:
        super().__init__(base, https=not via_lb)  # direct to a host: the benchmark is the TLS proxy
        self.tls = tls
        self.retries = retries
        self.epoch = epoch
        self.via_lb = via_lb

    @contextlib.asynccontextmanager
    async def connection(self, voter):
        transport = httpx.AsyncHTTPTransport(
            verify=self.tls, local_address=voter.address if self.via_lb else None, limits=httpx.Limits(max_connections=1)
        )
        client = httpx.AsyncClient(base_url=self.base, timeout=60, follow_redirects=False, transport=transport)
        client.cookies.jar.set_policy(load.NoCookies())
        voter.client = client
        try:
            yield
        finally:
            voter.client = None
            await client.aclose()

    async def request(self, voter, stats, kind, method, url, data=None, expect=(200,)):
        started = time.perf_counter()
        pending: list[Retry] = []
        for attempt in range(6):
            problem = None
            try:
                response = await self._once(voter, method, url, data)
            except httpx.TransportError as error:
                problem = f"{type(error).__name__}"
            else:
                if response.status_code not in RETRYABLE_STATUS or attempt == 5:
                    break
                problem = f"HTTP {response.status_code}"
            if attempt == 5:
                raise load.JourneyError(f"{kind}: {problem}, 6 times")
            retry = Retry(voter.user_id, kind, problem, time.perf_counter() - self.epoch)
            self.retries.append(retry)
            pending.append(retry)
            await asyncio.sleep(0.5 * (attempt + 1))
        stats.add(kind, time.perf_counter() - started)
        host = response.headers.get("x-served-by", "direct")
        voter.served.append((time.perf_counter() - self.epoch, kind, host))
        for raw in response.headers.get_list("set-cookie"):
            pair, _, attributes = raw.partition(";")
            name, _, value = pair.strip().partition("=")
            if "max-age=0" in attributes.lower().replace(" ", "") or not value:
                voter.cookies.pop(name, None)
            else:
                voter.cookies[name] = value
        if response.status_code not in expect:
            raise load.JourneyError(f"{kind}: HTTP {response.status_code}")
        for retry in pending:
            retry.recovered = True
        return response

    async def _once(self, voter, method: str, url: str, data) -> httpx.Response:
        headers = {}
        if not self.via_lb:
            headers = {"x-forwarded-for": voter.address, "x-forwarded-proto": "https"}
        if voter.cookies:
            headers["cookie"] = "; ".join(f"{k}={v}" for k, v in voter.cookies.items())
        return await voter.client.request(method, url, data=data, headers=headers)


# --------------------------------------------------------------------------------------------------


def address_of(i: int) -> str:
    """The i-th voter's client address, in 127.1.0.0/16 and up (all of 127/8 is this machine's)."""
    return f"127.{1 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}"


async def run(args: argparse.Namespace) -> dict:
    load_start = os.getloadavg()
    say = (lambda *a: print(*a, file=sys.stderr, flush=True)) if not args.quiet else (lambda *a: None)
    tag = uuid.uuid4().hex[:4]
    name = f"pb_bench_mh_{tag}{uuid.uuid4().hex[:6]}"
    secret = secrets.token_urlsafe(48)
    tmp = Path(tempfile.mkdtemp(prefix="pb-multihost-"))
    hosts = make_hosts(tag, args.network)
    taken = sh("ip", "-4", "-o", "addr").stdout
    if any(f" {h.outside}/" in taken for h in hosts):
        raise RuntimeError(f"{args.network} is in use on this machine: choose another with --network")
    loop, task = asyncio.get_running_loop(), asyncio.current_task()
    for stop in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop, task.cancel)
    helpers: list[subprocess.Popen] = []
    haproxy = None
    await load.create_database(args.server, name)
    try:
        # 1. the network, and PostgreSQL and Redis on each host's private link
        for host in hosts:
            network_up(host)
            for port in (5432, 6379):
                helpers.append(
                    start_group(
                        ["socat", f"TCP-LISTEN:{port},bind={host.outside},reuseaddr,fork,backlog=512", f"TCP:127.0.0.1:{port}"],
                        tmp / "socat.log",
                    )
                )
        await asyncio.sleep(0.3)
        # 2. the settings file each host would have at /etc/pb/pb.env, and the units' commands
        example = (DEPLOY / "pb.env.example").read_text()
        port = int(env_file(example).get("PB_PORT", "8000"))
        commands = {}
        for host in hosts:
            (tmp / host.name).mkdir()
            overrides = {
                "PB_DATABASE_URL": f"postgresql://postgres@{host.outside}:5432/{name}",
                "PB_SECRET_KEY": secret,
                "PB_REDIS_URL": f"redis://{host.outside}:6379/{args.redis_db}" if args.redis_db >= 0 else "",
                "PB_TRUSTED_PROXIES": host.outside,  # the load balancer, as this host sees it
                "PB_WORKERS": str(args.workers),
                "PB_SMTP_HOST": "127.0.0.1",  # the journey sends no email; nothing listens there
                "PB_SMTP_PORT": "9",
                "PB_MEDIA_DIR": str(tmp / host.name / "media"),
                "PB_SECRET_FILE": str(tmp / host.name / "secret_key"),
            }
            (tmp / host.name / "pb.env").write_text(with_settings(example, overrides))
            base_env = {k: v for k, v in os.environ.items() if not k.startswith("PB_")}
            base_env["PYTHONPATH"] = str(ROOT)
            for unit in ("pb-migrate.service", "pb.service"):
                command, env = unit_command(DEPLOY / unit, tmp / host.name / "pb.env")
                commands[(host.name, unit)] = (command, {**base_env, **env})
            host.log = tmp / host.name / "pb.log"
        say(f"database {name}: pb-migrate.service's command on {hosts[0].name}; seeding {args.voters} voters")
        command, env = commands[(hosts[0].name, "pb-migrate.service")]
        subprocess.run(["ip", "netns", "exec", hosts[0].namespace, *command], env=env, cwd=ROOT, check=True, capture_output=True)
        url = f"{args.server}/{name}"
        seeded = await load.seed(url, args.voters, load.production_hash(load.PASSWORD))
        # 3. pb on each host, HAProxy in front
        for host in hosts:
            await start_pb(host, *commands[(host.name, "pb.service")], args.workers, port)
            say(
                f"{host.name}: `{' '.join(commands[(host.name, 'pb.service')][0][2:])}` in {host.namespace} at {host.inside}:{port}"
            )
        pem, tls = self_signed(tmp)
        https_port = load.free_port()
        config = tmp / "haproxy.cfg"
        config.write_text(
            haproxy_config((DEPLOY / "haproxy.cfg").read_text(), https_port, pem, [f"{h.inside}:{port}" for h in hosts])
        )
        sh("haproxy", "-c", "-q", "-f", str(config))
        haproxy = start_group(["haproxy", "-W", "-db", "-f", str(config)], tmp / "haproxy.log")
        base = f"https://127.0.0.1:{https_port}"
        async with httpx.AsyncClient(verify=tls) as client:
            for _ in range(100):
                if haproxy.poll() is not None:
                    raise RuntimeError(f"HAProxy exited: {(tmp / 'haproxy.log').read_text()[-2000:]}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(f"{base}/healthz", timeout=2)).status_code == 200:
                        break
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("HAProxy did not answer /healthz within 10 s")
        await asyncio.sleep(2.5)  # both hosts marked up (rise 2, inter 1s)
        say(f"HAProxy (deploy/haproxy.cfg) on {base}")

        epoch = time.perf_counter()
        retries: list[Retry] = []
        browser = LBBrowser(base, tls, retries, epoch)
        rng = random.Random(args.seed)
        people = [LBVoter(user_id, email, address_of(i)) for i, (user_id, email) in enumerate(seeded.voters, 1)]
        throttled, cohort, crowd = people[0], people[1 : 1 + args.cohort], people[1 + args.cohort :]

        # 4. before the kill: a throttle on host 1, and a cohort signed in on host 1
        direct = [LBBrowser(f"http://{h.inside}:{port}", False, retries, epoch, via_lb=False) for h in hosts]
        throttle = await throttle_before(direct[0], throttled, seeded.round_id)
        say(f"throttle: {throttle['failed_attempts_on_host1']} failed sign-ins for one account from {THROTTLE_ADDRESS} on host 1")
        pre = load.Stats()
        await load.run_phase(direct[0], cohort, 8, lambda v: load.sign_in(direct[0], v, pre, seeded.round_id), pre)
        if pre.errors:
            raise RuntimeError(f"the cohort could not sign in on host 1: {pre.errors[:3]}")
        say(f"cohort: {len(cohort)} voters signed in on host 1 (directly), to vote after it is killed")

        # 5. the run, with the kill and the restart
        stats = load.Stats()
        timeline: dict[str, float] = {}
        run_over = asyncio.Event()
        finished: list[float] = []
        target = math_ceil(len(crowd) * args.kill_at)

        async def journey(voter: LBVoter) -> None:
            await load.sign_in(browser, voter, stats, seeded.round_id)
            await load.vote(browser, voter, stats, seeded, rng)
            voter.done_at = time.perf_counter() - epoch
            finished.append(voter.done_at)

        cohort_stats = load.Stats()

        async def cohort_votes(voter: LBVoter) -> None:
            await load.vote(browser, voter, cohort_stats, seeded, rng)
            voter.done_at = time.perf_counter() - epoch

        async def chaos() -> dict:
            while len(finished) < target:
                if run_over.is_set():
                    return {}
                await asyncio.sleep(0.05)
            victim = hosts[0]
            sample_cpu(victim)
            pids = namespace_pids(victim)
            timeline["kill"] = time.perf_counter() - epoch
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            assert victim.process is not None
            await asyncio.to_thread(victim.process.wait)
            say(f"t={timeline['kill']:.1f}s: killed {victim.name} ({len(pids)} processes, SIGKILL) after {len(finished)} ballots")
            await asyncio.sleep(2.5)  # marked down by HAProxy (fall 2, inter 1s)
            after = await throttle_after(browser, throttled, seeded.round_id)
            say(f"throttle after the kill: {after}")
            cohort_task = asyncio.ensure_future(
                load.run_phase(browser, cohort, max(1, min(8, len(cohort))), cohort_votes, cohort_stats)
            )
            await asyncio.sleep(max(0.0, args.down - 2.5))
            timeline["restart"] = time.perf_counter() - epoch
            command, env = commands[(victim.name, "pb.service")]
            await start_pb(victim, command, env, args.workers, port)
            timeline["back"] = time.perf_counter() - epoch
            say(f"t={timeline['back']:.1f}s: {victim.name} restarted and answering (started at t={timeline['restart']:.1f}s)")
            await cohort_task
            return after

        async def sampler() -> None:
            while True:
                for host in hosts:
                    sample_cpu(host)
                await asyncio.sleep(1)

        for host in hosts:
            sample_cpu(host)
        pb_before = sum(sum(h.pids_cpu.values()) for h in hosts)
        pg_before = await load.postgres_cpu(url, name)
        haproxy_before = load.process_tree_cpu(haproxy.pid)
        me_before, busy_before = resource.getrusage(resource.RUSAGE_SELF), load.machine_cpu()
        sampling = asyncio.ensure_future(sampler())
        chaos_task = asyncio.ensure_future(chaos())
        say(f"run: {len(crowd)} voters through HAProxy, {args.concurrency} at a time; host 1 killed after {target} ballots")
        started = time.perf_counter()
        seconds, begun = await load.run_phase(browser, crowd, args.concurrency, journey, stats)
        run_over.set()
        if not chaos_task.done():
            say("the run ended before the kill point: raise --voters or lower --kill-at")
        throttle["after_kill"] = await chaos_task
        seconds = time.perf_counter() - started
        sampling.cancel()
        for host in hosts:
            sample_cpu(host)
        me_after, busy_after = resource.getrusage(resource.RUSAGE_SELF), load.machine_cpu()
        pb_cpu = sum(sum(h.pids_cpu.values()) for h in hosts) - pb_before
        pg_cpu = await load.postgres_cpu(url, name) - pg_before
        haproxy_cpu = load.process_tree_cpu(haproxy.pid) - haproxy_before
        generator_cpu = (me_after.ru_utime + me_after.ru_stime) - (me_before.ru_utime + me_before.ru_stime)
        load_end = os.getloadavg()

        # 6. the checks
        everyone = [throttled, *cohort, *crowd]
        checks = await load.check_database(url, seeded, everyone, secret)
        conn = await asyncpg.connect(url)
        try:
            rows = await conn.fetchval("SELECT count(*) FROM pb_sealed_ballot WHERE round = $1", seeded.round_id)
            postgres = await conn.fetchval("SHOW server_version")
        finally:
            await conn.close()
        receipts = [v.receipt for v in everyone if v.receipt]
        checks["ballot_rows"] = rows
        checks["distinct_receipts"] = len(set(receipts))
        if rows != len(receipts) or len(set(receipts)) != len(receipts):
            checks["problems"].append(f"{rows} ballot rows for {len(receipts)} receipts ({len(set(receipts))} distinct)")
            checks["ok"] = False
        result = {
            "setup": {
                "voters": args.voters,
                "crowd": len(crowd),
                "cohort": len(cohort),
                "concurrency": args.concurrency,
                "workers_per_host": args.workers,
                "hosts": len(hosts),
                "sessions": "redis" if args.redis_db >= 0 else "database",
                "kill_after_ballots": target,
                "down_seconds": args.down,
            },
            "timeline": {k: round(v, 1) for k, v in timeline.items()},
            "run": report_run(stats, crowd, begun, seconds, finished, timeline, retries, epoch),
            "cohort": {
                "signed_in_on": "host1 (directly, before the kill)",
                "voted": sum(1 for v in cohort if v.receipt),
                "of": len(cohort),
                "errors": cohort_stats.errors[:5],
                "served_by": served_count(cohort, BALLOT_STEPS),
                "every_ballot_request_after_kill": all(
                    t > timeline.get("kill", 1e9) for v in cohort for t, kind, _ in v.served if kind in BALLOT_STEPS
                ),
            },
            "sessions_moved": moved(crowd, timeline),
            "throttle": throttle,
            "cpu": {
                "pb_seconds": round(pb_cpu, 1),
                "postgres_seconds": round(pg_cpu, 1),
                "haproxy_seconds": round(haproxy_cpu, 1),
                "generator_seconds": round(generator_cpu, 1),
                "per_voter_ms": {
                    k: round(v * 1000 / max(1, len(receipts)), 1)
                    for k, v in (("pb", pb_cpu), ("postgres", pg_cpu), ("haproxy", haproxy_cpu), ("generator", generator_cpu))
                },
                "machine_busy": round((busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1]), 3),
            },
            "checks": checks,
            "machine": {**load.machine(), "postgres": postgres},
            "load_average_start": [round(x, 2) for x in load_start],
            "load_average_end": [round(x, 2) for x in load_end],
        }
    finally:
        stop_group(haproxy)
        for host in hosts:
            stop_group(host.process)
            network_down(host)
        for helper in helpers:
            stop_group(helper)
        await load.drop_database(args.server, name)
    return result


def math_ceil(x: float) -> int:
    return int(-(-x // 1))


async def throttle_before(direct: LBBrowser, voter: LBVoter, round_id: int) -> dict:
    """10 wrong passwords for one account from one address, all on host 1 (PAIR_POLICY's limit)."""
    voter.address = THROTTLE_ADDRESS
    stats, statuses = load.Stats(), []
    async with direct.connection(voter):
        for _ in range(10):
            form = await direct.request(voter, stats, "GET sign-in", "GET", f"/{load.LANG}/sign-in")
            response = await direct.request(
                voter,
                stats,
                "POST sign-in",
                "POST",
                f"/{load.LANG}/sign-in",
                expect=(422, 429),
                data={"_csrf_token": load.csrf(form.text, "GET sign-in"), "email": voter.email, "password": "wrong password 1"},
            )
            statuses.append(response.status_code)
    return {"failed_attempts_on_host1": len(statuses), "statuses_on_host1": sorted(set(statuses))}


async def throttle_after(browser: LBBrowser, voter: LBVoter, round_id: int) -> dict:
    """The right password from the same address, through HAProxy once host 1 is dead: refused
    (429) if the counter written on host 1 holds. The same from another address: let in."""
    result = {}
    for label, address in (("same_address", THROTTLE_ADDRESS), ("other_address", "127.0.250.2")):
        probe = LBVoter(voter.user_id, voter.email, address)
        async with browser.connection(probe):
            form = await browser.request(probe, load.Stats(), "GET sign-in", "GET", f"/{load.LANG}/sign-in")
            response = await browser.request(
                probe,
                load.Stats(),
                "POST sign-in",
                "POST",
                f"/{load.LANG}/sign-in",
                expect=(303, 422, 429),
                data={"_csrf_token": load.csrf(form.text, "GET sign-in"), "email": probe.email, "password": load.PASSWORD},
            )
        result[label] = {"status": response.status_code, "served_by": response.headers.get("x-served-by")}
    result["holds"] = result["same_address"]["status"] == 429 and result["other_address"]["status"] == 303
    return result


def served_count(voters: list[LBVoter], kinds: tuple[str, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for voter in voters:
        for _, kind, host in voter.served:
            if kind in kinds:
                counts[host] = counts.get(host, 0) + 1
    return counts


def moved(crowd: list[LBVoter], timeline: dict[str, float]) -> dict:
    """Voters of the run who signed in on host 1 before the kill and voted on host 2 after it."""
    kill = timeline.get("kill")
    if kill is None:
        return {}
    count = 0
    for voter in crowd:
        signed = [(t, h) for t, k, h in voter.served if k == "POST sign-in"]
        later = [h for t, k, h in voter.served if t > kill and k in ("GET start", "GET ballot", "POST review", "POST cast")]
        if signed and signed[-1][0] < kill and signed[-1][1] == "host1" and "host2" in later and voter.receipt:
            count += 1
    return {"signed_in_on_host1_before_kill_and_voted_on_host2_after": count}


def report_run(stats, crowd, begun, seconds, finished, timeline, retries: list[Retry], epoch) -> dict:
    kill, back = timeline.get("kill"), timeline.get("back")
    done = sorted(finished)
    windows = {}
    if kill is not None and back is not None and done:
        start = min(t for v in crowd for t, *_ in v.served) if crowd else 0.0
        for label, lo, hi in (("before_kill", start, kill), ("host1_down", kill, back), ("after_restart", back, done[-1])):
            n = sum(1 for t in done if lo <= t < hi or (label == "after_restart" and t == hi))
            windows[label] = {"ballots": n, "seconds": round(hi - lo, 1), "rate": round(n / (hi - lo), 1) if hi > lo else None}
    by_problem: dict[str, dict[str, int]] = {}
    for retry in retries:
        entry = by_problem.setdefault(f"{retry.request}: {retry.problem}", {"count": 0, "recovered": 0})
        entry["count"] += 1
        entry["recovered"] += retry.recovered
    served = served_count(crowd, tuple(stats.latencies))
    return {
        "started": begun,
        "voted": len(done),
        "seconds": round(seconds, 1),
        "ballots_per_second": round(len(done) / seconds, 1) if seconds else 0.0,
        "windows": windows,
        "errors": len(stats.errors),
        "error_samples": sorted(set(stats.errors))[:8],
        "retries": by_problem,
        "retry_times": [round(r.at, 1) for r in retries][:50],
        "latency": {kind: load.summary(values) for kind, values in stats.latencies.items()},
        "requests_by_host": served,
    }


def print_report(r: dict) -> None:
    m, s, run = r["machine"], r["setup"], r["run"]
    print(f"\nMachine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; PostgreSQL {m['postgres']}; Python {m['python']}")
    print(f"Load average at start: {r['load_average_start']}; at end: {r['load_average_end']}")
    print(
        f"{s['hosts']} hosts x {s['workers_per_host']} workers behind HAProxy; sessions in {s['sessions']}; "
        f"{s['voters']} voters ({s['crowd']} in the run, {s['cohort']} in the cohort, 1 throttled), {s['concurrency']} at a time"
    )
    t = r["timeline"]
    print(
        f"host 1 killed at t={t.get('kill')} s (after {s['kill_after_ballots']} ballots), restarted at {t.get('restart')} s, answering at {t.get('back')} s"
    )
    print(
        f"\nRun: {run['voted']} of {run['started']} voters voted in {run['seconds']} s = {run['ballots_per_second']} ballots/s; errors {run['errors']}"
    )
    for label, w in run["windows"].items():
        print(f"  {label:<14} {w['ballots']:>6} ballots in {w['seconds']:>7} s = {w['rate']}/s")
    print(f"  {'request':<16} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, v in run["latency"].items():
        print(f"  {kind:<16} {v['count']:>6} {v['p50_ms']:>8} {v['p95_ms']:>8} {v['p99_ms']:>8} {v['max_ms']:>8}")
    print(f"  requests by host: {run['requests_by_host']}")
    for problem, n in run["retries"].items():
        print(f"  client saw {problem} x{n['count']}, retried: {n['recovered']} succeeded on retry")
    for sample in run["error_samples"]:
        print(f"  error: {sample}")
    c = r["cohort"]
    print(
        f"\nSessions: cohort signed in on host 1 before the kill, voted after it without signing in again: {c['voted']} of {c['of']} (served by {c['served_by']}); errors {c['errors']}"
    )
    print(f"  run voters signed in on host 1 before the kill who voted on host 2 after it: {r['sessions_moved']}")
    th = r["throttle"]
    print(
        f"Throttle: {th['failed_attempts_on_host1']} failed sign-ins on host 1; after the kill, the right password from the same address: {th['after_kill']}"
    )
    cpu = r["cpu"]
    print(
        f"\nCPU seconds: pb {cpu['pb_seconds']}, PostgreSQL {cpu['postgres_seconds']}, HAProxy {cpu['haproxy_seconds']}, "
        f"load generator {cpu['generator_seconds']}; per voter (ms): {cpu['per_voter_ms']}; machine busy {cpu['machine_busy']:.0%}"
    )
    ch = r["checks"]
    print(
        f"Database: {ch['ballots_in_database']} ballots ({ch['ballot_rows']} rows), {ch['receipts_acknowledged']} receipts "
        f"({ch['distinct_receipts']} distinct), {ch['register_rows']} register rows: {'OK' if ch['ok'] else 'PROBLEMS: ' + '; '.join(ch['problems'])}"
    )


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=20000, help="voters seeded (default 20000)")
    parser.add_argument("--quick", action="store_true", help="a trial: 600 voters, host 1 down for 8 s")
    parser.add_argument("--concurrency", type=int, default=16, help="voters at a time through HAProxy (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="PB_WORKERS on each host (default 2)")
    parser.add_argument(
        "--cohort", type=int, default=100, help="voters signed in on host 1 who vote after the kill (default 100)"
    )
    parser.add_argument(
        "--kill-at", type=float, default=0.4, help="kill host 1 when this share of the run has voted (default 0.4)"
    )
    parser.add_argument("--down", type=float, default=20, help="seconds host 1 stays dead before its restart (default 20)")
    parser.add_argument("--redis-db", type=int, default=0, help="Redis database for sessions; -1: sessions in PostgreSQL")
    parser.add_argument("--network", default="10.231.0.0/16", help="private addresses for the hosts (two /24s of it)")
    parser.add_argument("--server", default=load.DEFAULT_SERVER, help=f"PostgreSQL server (default {load.DEFAULT_SERVER})")
    parser.add_argument("--seed", type=int, default=2027, help="random seed for the voters' choices")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    if args.quick:
        args.voters, args.down, args.cohort = 600, 8, 20
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if os.geteuid() != 0:
        print("bench/multihost.py makes network namespaces: run it as root", file=sys.stderr)
        return 2
    try:
        result = asyncio.run(run(args))
    except asyncio.CancelledError:
        print("stopped: processes, namespaces and the benchmark database were cleaned up", file=sys.stderr)
        return 130
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    print_report(result)
    ok = (
        result["checks"]["ok"]
        and result["throttle"]["after_kill"].get("holds")
        and result["cohort"]["voted"] == result["cohort"]["of"]
    )
    return 0 if ok and result["run"]["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
