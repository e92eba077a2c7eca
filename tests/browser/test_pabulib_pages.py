"""A round imported from a real Pabulib file in a real browser: its results page (with the chart and the
download link), its published ballots and the open-data page pass axe in both languages, and the
download link serves the Pabulib file."""

import pytest

from pb.counting.pabulib import parse_pabulib, read_pabulib
from pb.voting import pabulib_io
from pb.web.templating import t
from tests.browser.conftest import assert_accessible
from tests.voting.test_pabulib_import_export import SMALL, WIELICZKA


async def imported_round():
    source = read_pabulib(WIELICZKA) if WIELICZKA.exists() else parse_pabulib(SMALL)
    return await pabulib_io.import_pabulib(
        source, title_en="Wieliczka Green Budget 2023", title_cy="Cyllideb Werdd Wieliczka 2023"
    )


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_imported_round_pages_and_the_download_link(js_page, lang):
    imported = await imported_round()
    page = js_page
    await page.goto(f"/{lang}/rounds/{imported.round_id}/results")
    assert await page.locator("figure.pb-chart .pb-chart__row").count() == imported.projects
    await assert_accessible(page, f"imported results ({lang})")

    link = page.get_by_role("link", name=t(lang, "Download the votes in Pabulib format (.pb)"))
    assert await link.count() == 1
    href = await link.get_attribute("href")
    assert href == f"/api/rounds/{imported.round_id}/areas/{imported.area_id}/votes.pb"
    response = await page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "text/plain; charset=utf-8"
    parsed = parse_pabulib(await response.text())
    assert int(parsed.meta["num_votes"]) == imported.ballots

    await page.goto(f"/{lang}/rounds/{imported.round_id}/ballots?after=M")  # a middle page: both links
    await assert_accessible(page, f"imported ballots ({lang})")
    await page.goto(f"/{lang}/rounds/{imported.round_id}")
    await assert_accessible(page, f"imported round ({lang})")

    await page.goto(f"/{lang}/open-data")
    await assert_accessible(page, f"open data with Pabulib downloads ({lang})")
    assert await page.locator(f"a[href='{href}']").count() == 1
