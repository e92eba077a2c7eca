"""The ballot in a real browser: both languages, JavaScript on and off, by keyboard, at 320 px,
with axe over every step and the error state."""

import pytest

from pb.web.templating import t
from tests.browser.conftest import assert_accessible
from tests.browser.test_accessibility_sweep import sign_in_as
from tests.conftest import make_proposal, make_round, make_user
from tests.voting.sealed import ballots_cast


async def voting_round():
    round_id, areas = await make_round(
        phase="voting", areas=(("Riverside", "Glan yr Afon", 10_000_00), ("Hillside", "Ochr y Bryn", 5_000_00))
    )
    author = await make_user(email=f"author-{round_id}@example.org")
    projects = [
        await make_proposal(round_id, areas[0], author, status="on_ballot", title_en=title, title_cy=title_cy, cost_pence=cost)
        for title, title_cy, cost in (
            ("Play area", "Ardal chwarae", 6_000_00),
            ("Benches", "Meinciau", 3_000_00),
            ("Bins", "Biniau", 2_000_00),
        )
    ]
    return round_id, areas[0], projects


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_vote_with_a_budget_check_review_and_receipt(page, lang):
    round_id, area, projects = await voting_round()
    js = "js" if page.javascript_enabled else "nojs"
    await sign_in_as(page, lang, f"voter-{lang}-{js}@example.org", "voter password 1")
    await page.goto(f"/{lang}/rounds/{round_id}")
    await page.get_by_role("link", name=t(lang, "Vote now")).click()
    if page.javascript_enabled:
        await assert_accessible(page, "vote start")
    await page.get_by_label("Glan yr Afon" if lang == "cy" else "Riverside").check()
    await page.locator("input[name=age]").check()
    await page.get_by_role("button", name=t(lang, "Continue to the ballot")).click()
    await page.wait_for_url("**/vote/ballot?*")
    if page.javascript_enabled:
        await assert_accessible(page, "ballot")
    for checkbox in await page.locator("input[name=choice]").all():
        await checkbox.check()
    if page.javascript_enabled:  # the running total says it is over budget before submitting
        await page.locator("#running-total", has_text="11,000").wait_for()
    await page.get_by_role("button", name=t(lang, "Check my choices")).click()
    await page.wait_for_selector(".govuk-error-summary")
    assert "11,000" in await page.locator(".govuk-error-summary").inner_text()
    if page.javascript_enabled:
        await assert_accessible(page, "ballot error state")
    await page.locator(f"#choice-{projects[0]}").uncheck()
    await page.get_by_role("button", name=t(lang, "Check my choices")).click()
    await page.wait_for_selector("text=" + t(lang, "Check your choices"))
    if page.javascript_enabled:
        await assert_accessible(page, "review")
    await page.get_by_role("button", name=t(lang, "Cast my vote")).click()
    await page.wait_for_url("**/vote/done")
    receipt = (await page.locator(".govuk-panel__body strong").inner_text()).strip()
    if page.javascript_enabled:
        await assert_accessible(page, "receipt")
    assert receipt in [b.receipt for b in await ballots_cast(round_id)]


async def test_ballot_by_keyboard_at_320px(js_page):
    page = js_page
    await page.set_viewport_size({"width": 320, "height": 800})
    round_id, area, projects = await voting_round()
    await sign_in_as(page, "en", "keyboard-voter@example.org", "voter password 1")
    await page.goto(f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes")
    overflow = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    await page.focus(f"#choice-{projects[1]}")
    await page.keyboard.press("Space")
    for _ in range(15):
        await page.keyboard.press("Tab")
        if (await page.evaluate("document.activeElement.textContent.trim()")) == "Check my choices":
            break
    await page.keyboard.press("Enter")
    await page.wait_for_selector("text=Check your choices")
    for _ in range(15):
        await page.keyboard.press("Tab")
        if (await page.evaluate("document.activeElement.textContent.trim()")) == "Cast my vote":
            break
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/vote/done")
    await assert_accessible(page, "receipt at 320px")
