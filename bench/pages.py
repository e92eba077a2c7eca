"""Page benchmark: every public page and every page of the voting journey, as a fraction of a minimal
Litestar + Jinja page measured in the same run.

One run:

1. serves a minimal Litestar app with one Jinja template of about the size of pb's pages (a layout,
   a heading, a list of 20 links, no database, no middleware) and measures it;
2. builds pb (production settings, one process) on a fresh database (SQLite file, or a scratch
   PostgreSQL database dropped at the end), runs the migrations, loads `pb demo`, adds a round in
   the voting phase with a signed-in voter, and (with --city) a city-sized input for the tracker:
   16,000 proposals and 80,000 comments in one round, bulk-inserted, some answered by published
   decisions;
3. measures each page the same way: sequential requests through an in-process ASGI client
   (httpx.AsyncClient + ASGITransport, no sockets), CPU time of this process (time.process_time:
   pb, Litestar, Jinja, the client and, on SQLite, the database driver's thread) and wall time.

The ratio is the minimal page's CPU per request divided by the page's: the share of the
framework's pace the page reaches (1.0 = as cheap as the minimal page). On PostgreSQL the server's
own CPU is not in the figure (it is another process); on SQLite the queries are.

    .venv/bin/python bench/pages.py                    # SQLite, demo data
    .venv/bin/python bench/pages.py --engine postgres  # a scratch database on 127.0.0.1:5432
    .venv/bin/python bench/pages.py --city             # and the city-sized tracker
    .venv/bin/python bench/pages.py --json             # figures as JSON

See bench/README.md ("Pages") for the last measured figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import random
import re
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from litestar import Litestar, get
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

TMP = Path(tempfile.mkdtemp(prefix="pb-bench-pages-"))
PG_SERVER = os.environ.get("PB_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
VOTER = ("Val Voter", "voter@bench.example.org", "bench voter password 2026")

MINIMAL_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/static/app.css"></head>
<body class="govuk-template__body"><a href="#main" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-header"><div class="govuk-header__container govuk-width-container">{{ council }}</div></header>
<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main">
<h1 class="govuk-heading-xl">{{ title }}</h1>
<ul class="govuk-list">
{% for item in items %}<li class="govuk-summary-card"><h2 class="govuk-summary-card__title"><a class="govuk-link" href="/en/proposals/{{ item.id }}">{{ item.title }}</a></h2>
<p class="govuk-body">{{ item.summary }}</p></li>
{% endfor %}</ul>
{{ padding }}
</main></div><footer class="govuk-footer">{{ council }}</footer></body></html>
"""


def minimal_app():
    """Litestar + Jinja and nothing else: the pace pb's pages are measured against."""
    folder = TMP / "minimal"
    folder.mkdir()
    (folder / "page.html").write_text(MINIMAL_TEMPLATE)
    items = [{"id": n, "title": f"Project number {n}", "summary": "Swings and a slide for under-tens. " * 3} for n in range(20)]
    padding = "<p class='govuk-body'>" + "Text of about the size of a page of pb. " * 200 + "</p>"

    @get("/en/minimal")
    async def minimal() -> Template:
        context = {"lang": "en", "title": "A page", "council": "Demo County Council", "items": items, "padding": padding}
        return Template(template_name="page.html", context=context)

    return Litestar(
        route_handlers=[minimal],
        template_config=TemplateConfig(directory=folder, engine=JinjaTemplateEngine),
    )


def set_environment(engine: str) -> str:
    if engine == "postgres":
        url = f"{PG_SERVER}/pb_bench_{uuid.uuid4().hex[:10]}"
    else:
        url = f"sqlite:///{TMP / 'bench.sqlite'}"
    os.environ.update(
        {
            "PB_ENV": "production",
            "PB_DATABASE_URL": url,
            "PB_SECRET_KEY": "bench-secret-key-that-is-long-enough-1234567890",
            "PB_ARGON2_PROFILE": "standard",
            "PB_BASE_URL": "https://testserver",
            "PB_SMTP_HOST": "localhost",  # never used: the app is built without the outbox task
            "PB_MAIL_FROM": "bench@example.org",
            "PB_MEDIA_DIR": str(TMP / "media"),
            "PB_SECRET_FILE": str(TMP / "secret"),
        }
    )
    os.environ.pop("PB_REDIS_URL", None)
    return url


async def create_pg(url: str, drop: bool = False) -> None:
    import asyncpg

    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(f"{PG_SERVER}/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' if drop else f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def seed_voting_round() -> tuple[int, int]:
    """A round in the voting phase (re-voting allowed, so the journey can be repeated), with a
    ballot of eight projects in one area, and the bench's voter."""
    from pb.accounts.actions import create_user
    from pb.accounts.tables import User
    from pb.proposals.tables import Proposal, ProposalTheme
    from pb.rounds.tables import Area, Round

    row = Round(
        title_en="Bench Fund",
        title_cy="Cronfa Mainc",
        description_en="Decide how to spend money in your area.",
        description_cy="Penderfynwch sut i wario arian yn eich ardal.",
        phase="voting",
        allow_revote=True,
        proposals_from=date(2026, 1, 4),
        review_from=date(2026, 2, 1),
        shortlist_from=date(2026, 3, 1),
        voting_from=date(2026, 4, 5),
        results_from=date(2027, 5, 3),
        delivery_from=date(2027, 6, 1),
    )
    await Round.insert(row)
    area = Area(round=row.id, name_en="Riverside", name_cy="Glan yr Afon", budget_pence=100_000_00, position=0)
    await Area.insert(area)
    await create_user(*VOTER, "en", {"resident"}, verified=True)
    author = (await User.select(User.id).where(User.email == VOTER[1]).first())["id"]
    for n in range(8):
        p = Proposal(
            round=row.id,
            area=area.id,
            author=author,
            title_en=f"Project {n}",
            title_cy=f"Prosiect {n}",
            summary_en="Swings and a slide for under-tens.",
            summary_cy="Siglenni a llithren i blant dan ddeg.",
            description_en="A fenced play area by the river.",
            description_cy="Ardal chwarae wedi'i ffensio ger yr afon.",
            estimated_cost_pence=10_000_00,
            status="on_ballot",
            search_text=f"project {n}",
            submitted_at=datetime.now(UTC),
        )
        await Proposal.insert(p)
        await ProposalTheme.insert(ProposalTheme(proposal=p.id, theme="young_people"))
    return row.id, area.id


async def seed_city(url: str, round_id: int, proposals: int = 16_000, comments: int = 80_000) -> float:
    """City-sized input for the tracker in one round, bulk-inserted (seconds taken returned)."""
    from pb.accounts.tables import User
    from pb.rounds.tables import Area
    from pb.tracker.tables import Decision, DecisionLink

    started = time.perf_counter()
    rng = random.Random(2026)
    authors = [r["id"] for r in await User.select(User.id)]
    areas = [r["id"] for r in await Area.select(Area.id).where(Area.round == round_id)]
    now = datetime.now(UTC)
    statuses = ["submitted", "feasible", "shortlisted", "on_ballot", "not_feasible"]
    proposal_rows = []
    for n in range(proposals):
        at = now - timedelta(days=rng.uniform(1, 400))
        proposal_rows.append(
            (round_id, rng.choice(areas), rng.choice(authors), f"City project {n}", f"Prosiect dinas {n}", rng.choice(statuses),
             f"city project {n} prosiect dinas {n}", at, at, at)
        )  # fmt: skip
    columns = "round, area, author, title_en, title_cy, status, search_text, created_at, submitted_at, updated_at"
    defaults = {
        "summary_en": "", "summary_cy": "", "description_en": "", "description_cy": "", "estimated_cost_pence": 1_000_00,
        "cost_reason_en": "", "cost_reason_cy": "", "partners": "", "status_reason_en": "", "status_reason_cy": "",
        "feasibility_notes": "", "support_count": 0, "hidden": False, "hidden_reason": "",
    }  # fmt: skip
    all_columns = columns + ", " + ", ".join(defaults)
    proposal_rows = [(*row, *defaults.values()) for row in proposal_rows]
    comment_columns = "proposal, author, body, created_at, hidden, hidden_reason, language"
    if url.startswith("sqlite:///"):
        import sqlite3

        path = url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as conn:
            iso = [tuple(v.isoformat() if isinstance(v, datetime) else v for v in row) for row in proposal_rows]
            first = conn.execute("SELECT COALESCE(MAX(id), 0) FROM pb_proposal").fetchone()[0] + 1
            conn.executemany(
                f"INSERT INTO pb_proposal ({all_columns}) VALUES ({', '.join('?' * len(iso[0]))})",
                iso,
            )
            ids = list(range(first, first + proposals))
            comment_rows = [
                (rng.choice(ids), rng.choice(authors), f"Comment {n}: " + "I agree with this. " * rng.randint(1, 8),
                 (now - timedelta(days=rng.uniform(0, 300))).isoformat(), rng.random() < 0.03, "", "en")
                for n in range(comments)
            ]  # fmt: skip
            conn.executemany(f"INSERT INTO pb_comment ({comment_columns}) VALUES (?, ?, ?, ?, ?, ?, ?)", comment_rows)
            comment_ids = [r[0] for r in conn.execute("SELECT id FROM pb_comment ORDER BY id DESC LIMIT ?", (comments,))]
    else:
        import asyncpg

        conn = await asyncpg.connect(url)
        try:
            await conn.copy_records_to_table(
                "pb_proposal", records=proposal_rows, columns=[c.strip() for c in all_columns.split(",")]
            )
            ids = [r["id"] for r in await conn.fetch("SELECT id FROM pb_proposal WHERE round = $1 ORDER BY id", round_id)]
            comment_rows = [
                (rng.choice(ids), rng.choice(authors), f"Comment {n}: " + "I agree with this. " * rng.randint(1, 8),
                 now - timedelta(days=rng.uniform(0, 300)), rng.random() < 0.03, "", "en")
                for n in range(comments)
            ]  # fmt: skip
            await conn.copy_records_to_table(
                "pb_comment", records=comment_rows, columns=[c.strip() for c in comment_columns.split(",")]
            )
            comment_ids = [r["id"] for r in await conn.fetch("SELECT id FROM pb_comment ORDER BY id DESC LIMIT $1", comments)]
        finally:
            await conn.close()
    # Some inputs answered by published decisions (a few hundred links), as a council's would be.
    for n in range(20):
        decision = Decision(
            round=round_id,
            title_en=f"Decision {n}",
            title_cy=f"Penderfyniad {n}",
            decided_on=date(2026, 6, 1),
            status="published",
            published_at=now - timedelta(days=rng.uniform(0, 100)),
        )
        await Decision.insert(decision)
        links = [
            DecisionLink(decision=decision.id, input_kind=kind, input_id=input_id, effect="adopted")
            for kind, pool in (("proposal", ids), ("comment", comment_ids))
            for input_id in rng.sample(pool, 10)
        ]
        await DecisionLink.insert(*links)
    return time.perf_counter() - started


async def measure(client, method: str, path: str, count: int, form=None, between=None) -> dict:
    """CPU and wall time of `count` sequential requests (after a few to warm up)."""

    async def one():
        if between is not None:
            data = await between()
        else:
            data = form
        t_cpu, t_wall = time.process_time(), time.perf_counter()
        answer = await (client.post(path, data=data) if method == "POST" else client.get(path))
        if method == "POST" and answer.status_code == 303:  # the cast: its receipt page is part of it
            answer = await client.get(answer.headers["location"])
        return answer, time.process_time() - t_cpu, time.perf_counter() - t_wall

    for _ in range(3):
        answer, _, _ = await one()
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    cpu = wall = 0.0
    size = len(answer.content)
    for _ in range(count):
        answer, c, w = await one()
        assert answer.status_code == 200, (path, answer.status_code)
        cpu += c
        wall += w
    return {"cpu_ms": 1000 * cpu / count, "per_second": count / wall, "bytes": size}


CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


def review_form_of(ballot_html: str, area_id: int) -> dict:
    """What a browser sends from the ballot page: its CSRF token, the area and three choices."""
    choices = re.findall(r'name="choice" type="checkbox" value="(\d+)"|name="choice" value="(\d+)"', ballot_html)
    chosen = [a or b for a, b in choices][:3] or re.findall(r'id="choice-(\d+)"', ballot_html)[:3]
    return {"_csrf_token": CSRF.search(ballot_html)[1], "area": str(area_id), "age": "yes", "choice": chosen}


async def cast_form(client, round_id: int, review_form: dict) -> dict:
    """Review the choices, then read the cast form's hidden fields (with its one-use cast token)."""
    page = await client.post(f"/en/rounds/{round_id}/vote/review", data=review_form)
    found = re.search(r'<form[^>]+action="[^"]*/vote/cast".*?</form>', page.text, re.S)
    assert found, page.text[:300]
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', found.group(0)):
        fields.setdefault(name, []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in fields.items()}


async def run(args) -> dict:
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    url = set_environment(args.engine)
    results: dict[str, dict] = {}
    minimal = minimal_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=minimal), base_url="https://testserver") as client:
        results["minimal Litestar + Jinja page"] = await measure(client, "GET", "/en/minimal", args.requests)

    if args.engine == "postgres":
        await create_pg(url)
    try:
        from pb import db
        from pb.app import create_app
        from pb.config import load_settings, set_settings
        from pb.demo import load_demo
        from pb.proposals.tables import Proposal
        from pb.rounds.tables import Round

        set_settings(load_settings())
        app = create_app(run_outbox=False)
        with contextlib.redirect_stdout(sys.stderr):  # Piccolo reports each migration
            await db.migrate()
        await db.start()
        await load_demo()
        round_id, area_id = await seed_voting_round()
        demo_round = (await Round.select(Round.id).where(Round.title_en != "Bench Fund").order_by(Round.id).first())["id"]
        proposal = (await Proposal.select(Proposal.id).where(Proposal.round == demo_round).order_by(Proposal.id).first())["id"]
        seeded = None
        if args.city:
            seeded = await seed_city(url, demo_round)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as client:
            public = {
                "home": "/en/",
                "rounds list": "/en/rounds",
                "round page": f"/en/rounds/{demo_round}",
                "proposals list": f"/en/rounds/{demo_round}/proposals",
                "a proposal": f"/en/proposals/{proposal}",
                "results": f"/en/rounds/{round_id}/results",
                "published ballots": f"/en/rounds/{round_id}/ballots",
                "tracker, round": f"/en/rounds/{demo_round}/you-said-we-did",
                "tracker, council-wide": "/en/you-said-we-did",
                "open data page": "/en/open-data",
                "open data API index": "/api/",
                "open data API proposals": f"/api/rounds/{demo_round}/proposals",
                "sessions": "/en/sessions",
                "accessibility": "/en/accessibility",
                "privacy": "/en/privacy",
            }
            count = args.requests
            for name, path in public.items():
                slow = name.startswith("tracker") and args.city
                try:
                    results[name] = await measure(client, "GET", path, max(3, count // 20) if slow else count)
                except AssertionError as problem:  # a page this data cannot show (for example no results yet)
                    results[name] = {"error": str(problem)[:200]}
            # The voting journey, signed in.
            form = await client.get("/en/sign-in")
            signed = await client.post(
                "/en/sign-in", data={"_csrf_token": CSRF.search(form.text)[1], "email": VOTER[1], "password": VOTER[2]}
            )
            assert signed.status_code == 303, signed.text[:300]
            ballot_path = f"/en/rounds/{round_id}/vote/ballot?area={area_id}&age=yes"
            results["vote start (signed in)"] = await measure(client, "GET", f"/en/rounds/{round_id}/vote", count)
            results["ballot"] = await measure(client, "GET", ballot_path, count)
            review_form = review_form_of((await client.get(ballot_path)).text, area_id)
            results["review"] = await measure(client, "POST", f"/en/rounds/{round_id}/vote/review", count, form=review_form)

            reviewed = functools.partial(cast_form, client, round_id, review_form)
            results["cast + receipt"] = await measure(
                client, "POST", f"/en/rounds/{round_id}/vote/cast", max(3, count // 4), between=reviewed
            )
    finally:
        try:
            from pb import db

            await db.stop()
        except Exception:  # noqa: BLE001
            pass
        if args.engine == "postgres":
            await create_pg(url, drop=True)
    base = results["minimal Litestar + Jinja page"]["cpu_ms"]
    for figures in results.values():
        if "cpu_ms" in figures:
            figures["ratio"] = base / figures["cpu_ms"]
    return {
        "engine": args.engine,
        "city": bool(args.city),
        "city_seed_seconds": seeded,
        "requests": args.requests,
        "load_average": os.getloadavg(),
        "python": sys.version.split()[0],
        "pages": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page (tracker pages at city size: 1/20)")
    parser.add_argument("--city", action="store_true", help="16,000 proposals and 80,000 comments in one round, for the tracker")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = asyncio.run(run(args))
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"engine {report['engine']}, city {report['city']}, load average before/after {report['load_average']}")
    print(f"{'page':34} {'CPU ms/req':>10} {'req/s':>8} {'ratio':>7} {'KB':>6}")
    for name, figures in report["pages"].items():
        if "error" in figures:
            print(f"{name:34} {figures['error']}")
            continue
        print(
            f"{name:34} {figures['cpu_ms']:10.2f} {figures['per_second']:8.0f} {figures['ratio']:7.0%} {figures['bytes'] / 1024:6.1f}"
        )


if __name__ == "__main__":
    main()
