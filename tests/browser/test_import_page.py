"""axe-core over the officers' delivery import page in both languages: the empty form, the error
state listing a file's problems by line, and the success message. Zero violations.

The page is served by a uvicorn process running pb's own app with the import page mounted
(tests/opendata/apps.py: exactly create_app() once pb/app.py mounts it itself)."""

import asyncio
import os
import sys
from datetime import date

import httpx
import pytest

from tests.browser.conftest import ROOT, assert_accessible, free_port
from tests.browser.test_accessibility_sweep import sign_in_as

HEADER = "external_ref,date,status,progress,spent,update_en,update_cy\n"


@pytest.fixture(scope="module")
async def server(database):
    port = free_port()
    env = {**os.environ, "PB_BASE_URL": f"http://127.0.0.1:{port}"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "uvicorn",
        "tests.opendata.apps:served_app",
        "--factory",
        "--port",
        str(port),
        "--no-access-log",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as http:
        for _ in range(100):
            try:
                if (await http.get(f"{base}/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
        else:
            process.kill()
            raise RuntimeError("pb did not start")
    yield base
    process.terminate()
    await process.wait()


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_the_import_page_its_errors_and_its_success_pass_axe(js_page, lang):
    from pb.tracker.tables import Delivery

    page = js_page
    await Delivery.insert(Delivery(title_en="Play area", title_cy="Ardal chwarae", external_ref="PLAY-1"))
    await sign_in_as(page, lang, f"importer-{lang}@example.org", "officer password", roles={"officer"})
    response = await page.goto(f"/{lang}/manage/delivery/import")
    assert response.status == 200
    await assert_accessible(page, "import form")

    bad = HEADER + f"PLAY-1,soon,finished,120,£x,,\nNOPE,{date.today()},in_progress,10,,a,b\n"
    await page.set_input_files("#file", files=[{"name": "updates.csv", "mimeType": "text/csv", "buffer": bad.encode()}])
    await page.click("main form button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    assert await page.locator("#problem-table tbody tr").count() == 7
    await assert_accessible(page, "import error state")

    await page.click("main form button[type=submit]")  # no file chosen
    await page.wait_for_selector("#file-error")
    await assert_accessible(page, "import with no file")

    good = HEADER + f"PLAY-1,{date.today()},in_progress,10,,Work started,Gwaith wedi dechrau\n"
    await page.set_input_files("#file", files=[{"name": "updates.csv", "mimeType": "text/csv", "buffer": good.encode()}])
    await page.click("main form button[type=submit]")
    await page.wait_for_selector(".govuk-notification-banner--success")
    assert "imported=1" in page.url
    await assert_accessible(page, "import success")
