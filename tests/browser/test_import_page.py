"""axe-core over the officers' delivery import page in both languages: the empty form, the error
state listing a file's problems by line, and the success message. Zero violations."""

from datetime import date

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_accessibility_sweep import sign_in_as

HEADER = "external_ref,date,status,progress,spent,update_en,update_cy\n"


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
