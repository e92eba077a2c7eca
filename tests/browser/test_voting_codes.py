"""Voting codes and assisted voting in a real browser, with axe on every page in both languages:
an officer makes codes and opens the printable letters; a visitor with no account votes with a
code (with JavaScript and without); a facilitator runs an assisted vote at a kiosk."""

import pytest

from pb.voting.codes import actions as code_actions
from pb.voting.tables import VoterRegister
from pb.web.templating import t
from tests.browser.conftest import assert_accessible
from tests.browser.test_accessibility_sweep import sign_in_as
from tests.browser.test_voting import voting_round
from tests.voting.sealed import ballots_cast


async def some_codes(round_id, count=3):
    batch_id = await code_actions.generate_batch(1, round_id, None, "Letters", count)
    return await code_actions.batch_codes(1, batch_id, 0, count, "print")


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_an_officer_makes_codes_and_opens_the_letters(js_page, lang):
    page = js_page
    round_id, area, projects = await voting_round()
    await sign_in_as(page, lang, f"codes-officer-{lang}@example.org", "officer password 1", roles={"officer"})
    await page.goto(f"/{lang}/manage/rounds/{round_id}")
    await page.get_by_role("link", name=t(lang, "Voting codes"), exact=True).click()
    await page.wait_for_url(f"**/manage/rounds/{round_id}/codes")
    await assert_accessible(page, "codes page")
    await page.fill("#count", "0")
    await page.get_by_role("button", name=t(lang, "Make codes")).click()
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "codes page error state")
    await page.fill("#count", "120")
    await page.fill("#label", "Letters to Riverside households")
    await page.get_by_role("button", name=t(lang, "Make codes")).click()
    await page.wait_for_url("**/codes?made=*")
    await assert_accessible(page, "codes page with a batch")
    await page.get_by_role("link", name=t(lang, "Print letters")).click()
    await page.wait_for_url("**/sheet")
    assert await page.locator(".pb-letter").count() == 100  # a page of letters, not the whole batch
    await assert_accessible(page, "printable letters")
    await page.get_by_role("link", name=t(lang, "Show bilingual letters (Welsh and English)")).click()
    await page.wait_for_url("**/sheet?bilingual=1*")
    await assert_accessible(page, "bilingual letters")
    await page.emulate_media(media="print")
    assert not await page.locator(".govuk-service-navigation").is_visible()
    await page.emulate_media(media="screen")
    await page.get_by_role("link", name=t(lang, "Next page")).first.click()
    await page.wait_for_url("**/sheet?bilingual=1&page=2")
    assert await page.locator(".pb-letter").count() == 20
    await page.goto(f"/{lang}/manage/rounds/{round_id}/codes/void")
    await assert_accessible(page, "cancel codes page")
    await page.fill("#codes", "not a code")
    await page.fill("#reason", "Returned")
    await page.get_by_role("button", name=t(lang, "Cancel these codes")).click()
    await page.wait_for_selector("tbody tr")
    await assert_accessible(page, "cancel codes results")


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_a_visitor_votes_with_a_code_without_an_account(page, lang):
    round_id, area, projects = await voting_round()
    printed = await some_codes(round_id)
    await page.goto(f"/{lang}/rounds/{round_id}/vote")
    await page.get_by_role("link", name=t(lang, "Vote with a voting code from your letter")).click()
    await page.wait_for_url("**/vote/code")
    if page.javascript_enabled:
        await assert_accessible(page, "code entry")
    await page.fill("#code", "K7QF-9M2P-XW4T")
    await page.get_by_role("button", name=t(lang, "Continue")).click()
    await page.wait_for_selector(".govuk-error-summary")
    assert await page.input_value("#code") == "K7QF-9M2P-XW4T"
    if page.javascript_enabled:
        await assert_accessible(page, "code entry error state")
        # From the QR code: the code arrives in the fragment and is copied into the field.
        await page.goto(f"/{lang}/rounds/{round_id}/vote")
        await page.goto(f"/{lang}/rounds/{round_id}/vote/code#{printed[0]}")
        assert await page.input_value("#code") == printed[0]
        assert "#" not in page.url
    else:
        await page.fill("#code", printed[0].lower().replace("-", " "))
    await page.get_by_role("button", name=t(lang, "Continue")).click()
    await page.wait_for_url(f"**/rounds/{round_id}/vote")
    if page.javascript_enabled:
        await assert_accessible(page, "vote start with a code")
    await page.get_by_label("Glan yr Afon" if lang == "cy" else "Riverside").check()
    await page.locator("input[name=age]").check()
    await page.get_by_role("button", name=t(lang, "Continue to the ballot")).click()
    await page.wait_for_url("**/vote/ballot?*")
    if page.javascript_enabled:
        await assert_accessible(page, "ballot with a code")
    await page.locator(f"#choice-{projects[1]}").check()
    await page.get_by_role("button", name=t(lang, "Check my choices")).click()
    await page.wait_for_selector("text=" + t(lang, "Check your choices"))
    if page.javascript_enabled:
        await assert_accessible(page, "review with a code")
    await page.get_by_role("button", name=t(lang, "Cast my vote")).click()
    await page.wait_for_url("**/vote/done")
    if page.javascript_enabled:
        await assert_accessible(page, "receipt with a code")
    receipt = (await page.locator(".govuk-panel__body strong").inner_text()).strip()
    assert [b.channel for b in await ballots_cast() if b.receipt == receipt] == ["code"]


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_a_facilitator_runs_an_assisted_vote(js_page, lang):
    page = js_page
    round_id, area, projects = await voting_round()
    printed = await some_codes(round_id, count=1)
    await sign_in_as(page, lang, f"kiosk-facilitator-{lang}@example.org", "facilitator password 1", roles={"facilitator"})
    await page.goto(f"/{lang}/rounds/{round_id}/vote")
    await page.get_by_role("link", name=t(lang, "Assisted voting: help someone vote on this device")).click()
    await page.wait_for_url("**/vote/assisted")
    await assert_accessible(page, "assisted voting")
    await page.get_by_role("button", name=t(lang, "Start voting for this person")).click()
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "assisted voting error state")
    await page.fill("#code", printed[0])
    await page.get_by_label("Glan yr Afon" if lang == "cy" else "Riverside").check()
    await page.locator("input[name=age]").check()
    await page.get_by_role("button", name=t(lang, "Start voting for this person")).click()
    await page.wait_for_url(f"**/rounds/{round_id}/vote")
    banner = page.locator(".govuk-notification-banner")
    assert "Sam Jones" in await banner.inner_text()
    assert await page.locator(".govuk-service-navigation a[href$='/account']").count() == 0
    await assert_accessible(page, "kiosk start")
    await page.get_by_role("button", name=t(lang, "Continue to the ballot")).click()
    await page.wait_for_url("**/vote/ballot?*")
    await assert_accessible(page, "kiosk ballot")
    await page.locator(f"#choice-{projects[2]}").check()
    await page.get_by_role("button", name=t(lang, "Check my choices")).click()
    await page.get_by_role("button", name=t(lang, "Cast my vote")).click()
    await page.wait_for_url("**/vote/done")
    await assert_accessible(page, "kiosk receipt")
    await page.get_by_role("button", name=t(lang, "Finish and start the next person")).click()
    await page.wait_for_url("**/vote/assisted")
    register = await VoterRegister.select(VoterRegister.channel).where(VoterRegister.round == round_id).first()
    assert register["channel"] == "assisted"
