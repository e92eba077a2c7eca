"""Paper ballots in a real browser: two people enter a batch (one sheet read differently), both agree
the right reading (neither can settle it alone), and the one who did not make the first entry counts
the batch; axe on every page in English and Welsh; the entry form by keyboard alone."""

import pytest

from pb.voting.paper import actions as paper_actions
from pb.voting.tables import PaperBatch
from pb.web.templating import t
from tests.browser.conftest import assert_accessible
from tests.browser.test_accessibility_sweep import sign_in_as
from tests.browser.test_voting import voting_round
from tests.conftest import make_user
from tests.voting.sealed import ballots_cast


async def new_person(browser, server, lang, email, roles):
    context = await browser.new_context(base_url=server)
    page = await context.new_page()
    await sign_in_as(page, lang, email, "paper password 1", roles=roles)
    return context, page


async def enter_sheets(page, lang, choices_by_row):
    for index, project in enumerate(choices_by_row):
        await page.check(f"input[name=choice-{index}][value='{project}']")
    await page.get_by_role("button", name=t(lang, "Save this entry")).click()
    await page.wait_for_url("**/paper/*?saved=1")


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_two_people_enter_a_batch_resolve_one_disagreement_and_count(browser, server, lang):
    round_id, area, projects = await voting_round()
    first_ctx, first = await new_person(browser, server, lang, f"paper-first-{lang}@example.org", {"facilitator"})
    second_ctx, second = await new_person(browser, server, lang, f"paper-second-{lang}@example.org", {"officer"})
    try:
        await first.goto(f"/{lang}/manage/rounds/{round_id}/paper")
        await assert_accessible(first, "paper batches")
        await first.get_by_role("button", name=t(lang, "Start the batch")).click()
        await first.wait_for_selector(".govuk-error-summary")
        await assert_accessible(first, "paper batches error state")
        await first.fill("#label", "Llanrug library box 3")
        await first.check(f"input[name=area][value='{area}']")
        await first.fill("#sheets", "2")
        await first.get_by_role("button", name=t(lang, "Start the batch")).click()
        await first.wait_for_url("**/paper/*")
        await assert_accessible(first, "new batch")
        batch_url = first.url
        await first.get_by_role("link", name=t(lang, "Make the first entry")).click()
        await first.wait_for_url("**/enter")
        await assert_accessible(first, "entry form")
        await first.fill("#sheet-1", "two")
        await first.check(f"input[name=choice-1][value='{projects[1]}']")
        await first.get_by_role("button", name=t(lang, "Save this entry")).click()
        await first.wait_for_selector(".govuk-error-summary")
        assert await first.input_value("#sheet-1") == "two"
        await assert_accessible(first, "entry form error state")
        await first.fill("#sheet-1", "2")
        await first.get_by_role("button", name=t(lang, "More sheets")).click()
        await first.wait_for_selector("#sheet-6")
        assert await first.is_checked(f"input[name=choice-1][value='{projects[1]}']")
        await enter_sheets(first, lang, [projects[0]])
        await assert_accessible(first, "batch waiting for its second entry")

        await second.goto(batch_url)
        await second.get_by_role("link", name=t(lang, "Make the second entry")).click()
        await second.wait_for_url("**/enter")
        assert await second.locator("input[type=checkbox]:checked").count() == 0  # blind
        await enter_sheets(second, lang, [projects[0], projects[2]])
        await second.wait_for_selector("table")
        await assert_accessible(second, "batch with a discrepancy")
        await second.locator("a[href$='/sheets/2']").click()
        await second.wait_for_url("**/sheets/2")
        await assert_accessible(second, "resolve a sheet")
        await second.get_by_role("button", name=t(lang, "Save the resolution")).click()
        await second.wait_for_selector(".govuk-error-summary")
        await assert_accessible(second, "resolve error state")
        await second.check("input[name=pick][value=first]")
        await second.get_by_role("button", name=t(lang, "Save the resolution")).click()
        await second.wait_for_url("**?proposed=2")  # one of the two who entered: a proposal only
        await assert_accessible(second, "batch with a reading waiting for agreement")
        assert await second.get_by_role("button", name=t(lang, "Accept and count")).count() == 0
        await first.goto(batch_url + "/sheets/2")
        await first.check("input[name=pick][value=first]")
        await first.get_by_role("button", name=t(lang, "Save the resolution")).click()
        await first.wait_for_url("**?resolved=2")  # both agree
        await assert_accessible(first, "batch ready to count, for the first enterer")
        assert await first.get_by_role("button", name=t(lang, "Accept and count")).count() == 0
        await second.goto(batch_url)
        await second.get_by_role("button", name=t(lang, "Accept and count")).click()
        await second.wait_for_url("**?counted=1")
        await assert_accessible(second, "counted batch")
    finally:
        await first_ctx.close()
        await second_ctx.close()
    batch = await PaperBatch.select().where(PaperBatch.round == round_id).first()
    assert batch["status"] == "counted"
    assert [b.channel for b in await ballots_cast(round_id)] == ["paper", "paper"]


async def test_the_entry_form_by_keyboard_alone(js_page):
    page = js_page
    round_id, area, projects = await voting_round()
    await sign_in_as(page, "en", "paper-keyboard@example.org", "paper password 1", roles={"facilitator"})
    from pb.accounts.tables import User

    user = await User.select(User.id).where(User.email == "paper-keyboard@example.org").first()
    batch = await paper_actions.create_batch(user["id"], round_id, area, "Keyboard box", 1)
    await page.goto(f"/en/manage/rounds/{round_id}/paper/{batch}/enter")
    await page.focus("#sheet-0")
    await page.keyboard.press("Tab")  # to the code
    assert await page.evaluate("document.activeElement.id") == "code-0"
    await page.keyboard.type("K7QF 9M2P XW4T")
    await page.keyboard.press("Tab")  # to the first project
    await page.keyboard.press("Space")
    assert await page.is_checked("#choice-0")
    for _ in range(10):
        await page.keyboard.press("Tab")
        if (await page.evaluate("document.activeElement.textContent.trim()")) == "Save this entry":
            break
    await page.keyboard.press("Enter")
    await page.wait_for_url("**?saved=1")
    assert (await PaperBatch.select(PaperBatch.status).where(PaperBatch.id == batch).first())["status"] == "open"


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_an_officer_accepts_a_difference_in_sheets_or_cancels_a_box_axe_and_errors(js_page, lang):
    """The officer's decisions on a box, with their forms' error states, pass axe in both languages."""
    page = js_page
    round_id, area, projects = await voting_round()
    anna = await make_user(email=f"paper-anna-{lang}@example.org", roles={"facilitator"})
    bryn = await make_user(email=f"paper-bryn-{lang}@example.org", roles={"facilitator"})
    box = await paper_actions.create_batch(anna, round_id, area, "Box labelled 3", 3)
    entry = {1: {"code": "", "choices": {projects[0]: 1}, "spoilt": False}}
    await paper_actions.save_entry(anna, box, entry)
    await paper_actions.save_entry(bryn, box, entry)
    await sign_in_as(page, lang, f"paper-officer-{lang}@example.org", "paper password 1", roles={"officer"})
    await page.goto(f"/{lang}/manage/rounds/{round_id}/paper/{box}")
    await assert_accessible(page, "a box whose sheets differ from the number declared")
    await page.get_by_role("button", name=t(lang, "Accept the difference")).click()
    await page.wait_for_selector("#accepted-reason-error")
    await assert_accessible(page, "accepting a difference without a reason")
    await page.get_by_role("button", name=t(lang, "Cancel this batch")).click()
    await page.wait_for_selector("#cancelled-reason-error")
    await assert_accessible(page, "cancelling without a reason")
    await page.fill("#cancelled-reason", "Started by mistake")
    await page.get_by_role("button", name=t(lang, "Cancel this batch")).click()
    await page.wait_for_url("**?cancelled=1")
    await assert_accessible(page, "a cancelled box")
    assert (await paper_actions.get_batch(box))["status"] == "cancelled"
