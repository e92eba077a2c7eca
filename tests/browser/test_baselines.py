"""An officer uploads a population baseline in a real browser, in both languages, with and without
JavaScript: a file with problems is refused with each problem, by line, beside the file field; then a
good file is kept. axe-core finds nothing on any state of the page."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_accessibility_sweep import sign_in_as
from tests.conftest import make_round

BAD = (
    "area,measure,group,people\nRiverside,age,65_74,612\nAtlantis,age,65_74,3\nHillside,age,75_plus,１２\nHillside,sex,other,4\n"
)
GOOD = "area,measure,group,people\nRiverside,age,65_74,612\nOchr y Bryn,age,65_74,480\nHillside,age,75_plus,1301\n"


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_an_officer_uploads_a_baseline_with_problems_then_a_good_one(page, lang):
    round_id, _ = await make_round(phase="shortlist")
    mode = "js" if page.javascript_enabled else "nojs"
    await sign_in_as(page, lang, f"baseline-{lang}-{mode}@example.org", "officer password", roles={"officer"})
    await page.goto(f"/{lang}/manage/rounds/{round_id}")
    await page.click(f"a[href='/{lang}/manage/rounds/{round_id}/baseline']")
    await page.wait_for_url(f"**/{lang}/manage/rounds/{round_id}/baseline")
    assert await page.locator("#measures-caption").count() == 1
    await assert_accessible(page, "baseline form")

    await page.set_input_files("#file", files=[{"name": "baseline.csv", "mimeType": "text/csv", "buffer": BAD.encode()}])
    await page.click("main form button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    beside = page.locator(".govuk-form-group--error:has(#file) #problem-table tbody tr")
    assert await beside.count() == 3
    lines = [(await beside.nth(index).locator("td").first.inner_text()).strip() for index in range(3)]
    assert lines == ["3", "4", "5"]
    assert "１２" in await beside.nth(1).inner_text()
    if lang == "cy":
        assert "Nid yw “Atlantis” yn un o ardaloedd y rownd hon" in await beside.nth(0).inner_text()
    await assert_accessible(page, "baseline error state")

    await page.set_input_files("#file", files=[{"name": "baseline.csv", "mimeType": "text/csv", "buffer": GOOD.encode()}])
    await page.fill("#source_en", "Census 2021, table TS007A")
    await page.fill("#source_cy", "Cyfrifiad 2021, tabl TS007A")
    await page.click("main form button[type=submit]")
    await page.wait_for_selector(".govuk-notification-banner--success")
    assert "saved=1" in page.url
    totals = await page.locator("table:has(#totals-caption)").inner_text()
    assert "1,781" in totals and "612" in totals
    assert await page.locator("#problem-table").count() == 0
    await assert_accessible(page, "baseline saved")
