"""Test set-up: one database engine per run, chosen by PB_TEST_DATABASE (sqlite or postgres).

The suite runs twice (see the Makefile): once on SQLite, once on PostgreSQL. The database is built
by running pb's migrations, so hand-written indexes exist exactly as in production.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from pathlib import Path

ENGINE = os.environ.get("PB_TEST_DATABASE", "sqlite")
PG_SERVER = os.environ.get("PB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
_tmp = Path(tempfile.mkdtemp(prefix="pb-test-"))

if ENGINE == "postgres":
    DB_NAME = f"pb_test_{uuid.uuid4().hex[:10]}"
    DATABASE_URL = f"{PG_SERVER}/{DB_NAME}"
else:
    DB_NAME = ""
    DATABASE_URL = f"sqlite:///{_tmp / 'test.sqlite'}"

# Settings must be chosen before pb's engine is first resolved.
os.environ.update(
    {
        "PB_ENV": "test",
        "PB_DATABASE_URL": DATABASE_URL,
        "PB_SECRET_KEY": "test-secret-key-that-is-long-enough-1234567890",
        "PB_ARGON2_PROFILE": "test",
        "PB_BASE_URL": "http://testserver",
        "PB_COUNCIL_NAME": "Test County Council",
        "PB_COUNCIL_NAME_CY": "Cyngor Sir Prawf",
        "PB_SECRET_FILE": str(_tmp / "secret"),
        "PB_MEDIA_DIR": str(_tmp / "media"),
    }
)
os.environ.pop("PB_REDIS_URL", None)
os.environ.pop("PB_SMTP_HOST", None)

from datetime import UTC

import httpx  # noqa: E402
import pytest  # noqa: E402

from pb.config import load_settings, set_settings  # noqa: E402

set_settings(load_settings())


def _tables_children_first() -> list[str]:
    """Every table of the Piccolo app (so of every capability), children before parents, so that
    clearing them in this order never trips a foreign key."""
    from piccolo.table import sort_table_classes

    from pb.piccolo_app import APP_CONFIG

    return [table._meta.tablename for table in reversed(sort_table_classes(list(APP_CONFIG.table_classes)))]


TABLES = _tables_children_first()


async def _create_postgres_database() -> None:
    import asyncpg

    conn = await asyncpg.connect(f"{PG_SERVER}/postgres")
    try:
        await conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    finally:
        await conn.close()


async def _drop_postgres_database() -> None:
    import asyncpg

    conn = await asyncpg.connect(f"{PG_SERVER}/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session", autouse=True)
async def database():
    from pb import db, registry
    from pb.capabilities import manifests
    from pb.piccolo_app import configure_database

    configure_database(DATABASE_URL)
    registry.install(manifests())
    if ENGINE == "postgres":
        await _create_postgres_database()
    await db.migrate()
    await db.start()
    yield
    await db.stop()
    if ENGINE == "postgres":
        await _drop_postgres_database()


@pytest.fixture(autouse=True)
async def clean_tables(request, database):
    from pb.db import engine

    if request.node.get_closest_marker("pure"):  # rules tested directly touch no database
        yield
        return
    for table in TABLES:
        await engine().run_ddl(f"DELETE FROM {table}")
    from pb.web import site

    site.forget()  # the site settings each process keeps in memory go with the rows
    yield


async def restart_ids() -> None:
    """Number new rows from 1 again, as a fresh database would. SQLite does after DELETE; PostgreSQL's
    sequences keep counting, so a test that relies on the demo's ids (1, 2 …) calls this first."""
    from pb.db import engine

    if ENGINE == "postgres":
        for table in TABLES:
            await engine().run_ddl(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1, false)")


@pytest.fixture
def app():
    from pb.app import create_app

    return create_app(run_outbox=False)


@pytest.fixture
async def client(app):
    # Lifespan is run by the session fixture's db.start(); the app shares that engine and loop.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        yield http


CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


async def submit(client: httpx.AsyncClient, form_url: str, data: dict, action: str | None = None) -> httpx.Response:
    """Open a page, take the CSRF token of its form, and post the form as a browser would."""
    page = await client.get(form_url)
    assert page.status_code == 200, (form_url, page.status_code)
    payload = {"_csrf_token": csrf_from(page.text), **data}
    return await client.post(action or form_url, data=payload)


async def make_user(
    email="sam@example.org", password="correct horse battery", name="Sam Jones", language="en", roles=frozenset(), verified=True
) -> int:
    from pb.accounts.actions import create_user

    return await create_user(name, email, password, language, set(roles), verified=verified)


async def sign_in(client: httpx.AsyncClient, email="sam@example.org", password="correct horse battery", lang="en"):
    response = await submit(client, f"/{lang}/sign-in", {"email": email, "password": password})
    assert response.status_code == 303, response.text[:500]
    return response


async def seed_demo(*capabilities: str) -> None:
    """The demo data of these capabilities (and only these), in the order `pb demo` loads them."""
    from pb.capabilities import manifests

    for capability in manifests():
        if capability.name in capabilities and capability.demo is not None:
            await capability.demo()


async def outbox_messages():
    from pb.outbox.tables import OutboxMessage

    return await OutboxMessage.select().order_by(OutboxMessage.id)


LINK = re.compile(r"http://testserver(/(?:en|cy)/[^\s]+)")


def link_in(body: str) -> str:
    match = LINK.search(body)
    assert match, body
    return match.group(1)


async def make_round(
    phase="proposals", areas=(("Riverside", "Glan yr Afon", 50_000_00), ("Hillside", "Ochr y Bryn", 30_000_00)), **fields
) -> tuple[int, list[int]]:
    """A round in the given phase with areas (name_en, name_cy, budget in pence). Returns (round id, area ids)."""
    from datetime import date

    from pb.rounds.tables import Area, Round

    row = Round(
        title_en=fields.pop("title_en", "Our Neighbourhood Fund 2027"),
        title_cy=fields.pop("title_cy", "Cronfa ein Cymdogaeth 2027"),
        description_en="Decide how to spend money in your area.",
        description_cy="Penderfynwch sut i wario arian yn eich ardal.",
        phase=phase,
        proposals_from=date(2027, 1, 4),
        review_from=date(2027, 2, 1),
        shortlist_from=date(2027, 3, 1),
        voting_from=date(2027, 4, 5),
        results_from=date(2027, 5, 3),
        delivery_from=date(2027, 6, 1),
        **fields,
    )
    await Round.insert(row)
    area_ids = []
    for position, (name_en, name_cy, budget) in enumerate(areas):
        area = Area(round=row.id, name_en=name_en, name_cy=name_cy, budget_pence=budget, position=position)
        await Area.insert(area)
        area_ids.append(area.id)
    return row.id, area_ids


async def make_proposal(
    round_id: int,
    area_id: int,
    author_id: int,
    status="submitted",
    title_en="A new play area",
    title_cy="",
    cost_pence=12_000_00,
    themes=("young_people",),
    **fields,
) -> int:
    """A proposal inserted directly (no phase checks), for tests that need one in a given state."""
    from datetime import datetime

    from pb.proposals.tables import Proposal, ProposalTheme

    row = Proposal(
        round=round_id,
        area=area_id,
        author=author_id,
        title_en=title_en,
        title_cy=title_cy,
        summary_en=fields.pop("summary_en", "Swings and a slide for under-tens." if title_en else ""),
        summary_cy=fields.pop("summary_cy", "Siglenni a llithren i blant dan ddeg." if title_cy else ""),
        description_en=fields.pop("description_en", "A fenced play area by the river." if title_en else ""),
        description_cy=fields.pop("description_cy", "Ardal chwarae wedi'i ffensio ger yr afon." if title_cy else ""),
        estimated_cost_pence=cost_pence,
        status=status,
        search_text=f"{title_en} {title_cy}".lower(),
        submitted_at=None if status == "draft" else datetime.now(UTC),
        **fields,
    )
    await Proposal.insert(row)
    for theme in themes:
        await ProposalTheme.insert(ProposalTheme(proposal=row.id, theme=theme))
    return row.id


# --- pb as a real process, on this run's database ----------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def start_pb(port: int):
    """`pb run` on this run's database (no outbox sender), once it answers /healthz: the process."""
    import asyncio
    import sys

    env = {**os.environ, "PB_OUTBOX_INTERVAL": "0", "PB_BASE_URL": f"http://127.0.0.1:{port}"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "pb.cli",
        "run",
        "--port",
        str(port),
        env=env,
        cwd=Path(__file__).parent.parent,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    async with httpx.AsyncClient() as http:
        for _ in range(150):
            try:
                if (await http.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return process
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    process.kill()
    raise RuntimeError("pb did not start")


async def run_pb_command(*args: str):
    """A `pb` command in its own process, on this run's database: the finished process (text output)."""
    import asyncio
    import subprocess
    import sys

    command = [sys.executable, "-c", f"from pb.cli import main; main({list(args)!r})"]
    return await asyncio.to_thread(subprocess.run, command, env=os.environ.copy(), capture_output=True, text=True, timeout=60)
