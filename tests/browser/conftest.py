"""Browser tests: pb served by a real `pb run` process on this run's database, driven by Playwright
in Debian's Chromium, with axe-core (from npm, pinned) injected into each page."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from tests.conftest import free_port, start_pb

ROOT = Path(__file__).parent.parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

missing = []
if not Path(CHROMIUM).exists():
    missing.append("Debian's chromium is not installed (apt-get install chromium)")
if not AXE.exists():
    missing.append("axe-core is not installed (npm ci)")
try:
    import playwright.async_api  # noqa: F401
except ImportError:
    missing.append("the playwright package is not installed (pip install -e '.[test]')")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(pytest.mark.skip(reason="browser tests skipped: " + "; ".join(missing)))


@pytest.fixture(scope="session")
async def server(database):
    port = free_port()
    process = await start_pb(port)
    yield f"http://127.0.0.1:{port}"  # the server renders its own emails, with links to itself
    process.terminate()
    await process.wait()


@pytest.fixture(scope="session")
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        await launched.close()


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
async def page(request, browser, server):
    context = await browser.new_context(base_url=server, java_script_enabled=request.param)
    new_page = await context.new_page()
    new_page.javascript_enabled = request.param
    yield new_page
    await context.close()


@pytest.fixture
async def js_page(browser, server):
    context = await browser.new_context(base_url=server)
    new_page = await context.new_page()
    yield new_page
    await context.close()


async def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.2 AA tags) on the page; works under pb's strict CSP via evaluate."""
    await page.evaluate(AXE.read_text())
    result = await page.evaluate(
        "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }",
        WCAG_TAGS,
    )
    return result


async def assert_accessible(page, label: str = "") -> None:
    """axe over the page. axe is a script: with JavaScript off (the `page` fixture's "nojs" pass, or
    any page given `javascript_enabled = False`) there is nothing to run it with, and an evaluate
    would wait for ever, so the check belongs to the "js" pass of the same journey."""
    if getattr(page, "javascript_enabled", True) is False:
        return
    violations = await asyncio.wait_for(axe_violations(page), 120)
    assert violations == [], f"axe violations on {label or page.url}: {violations}"


async def outbox_link(email: str, after_id: int = 0) -> str:
    """The path of the first link in the newest email to `email`."""
    import re

    from pb.outbox.tables import OutboxMessage
    from tests.conftest import LINK

    for _ in range(50):
        row = (
            await OutboxMessage.select()
            .where((OutboxMessage.recipient == email) & (OutboxMessage.id > after_id))
            .order_by(OutboxMessage.id, ascending=False)
            .first()
        )
        if row:
            match = re.search(r"http://127\.0\.0\.1:\d+(/(?:en|cy)/\S+)", row["body"]) or LINK.search(row["body"])
            assert match, row["body"]
            return match.group(1)
        await asyncio.sleep(0.1)
    raise AssertionError(f"no email to {email}")
