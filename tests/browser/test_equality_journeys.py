"""The equality questions in a real browser, both languages, JavaScript on and off, axe clean:
answering some after voting online; declining after voting with a code; staff entering paper
slips; the public report after the close, at 320 px."""

import datetime as dt

import pytest

from pb.equality import actions, answers, invitations
from pb.equality.tables import Answers, SealedAnswers
from pb.rounds.actions import change_phase
from pb.web.templating import t
from tests.browser.conftest import assert_accessible
from tests.browser.reflow import reflow_problems
from tests.browser.test_accessibility_sweep import sign_in_as
from tests.browser.test_voting import voting_round
from tests.browser.test_voting_codes import some_codes


async def _cast(page, lang, round_id, project):
    await page.get_by_label("Glan yr Afon" if lang == "cy" else "Riverside").check()
    await page.locator("input[name=age]").check()
    await page.get_by_role("button", name=t(lang, "Continue to the ballot")).click()
    await page.wait_for_url("**/vote/ballot?*")
    await page.locator(f"#choice-{project}").check()
    await page.get_by_role("button", name=t(lang, "Check my choices")).click()
    await page.wait_for_selector("text=" + t(lang, "Check your choices"))
    await page.get_by_role("button", name=t(lang, "Cast my vote")).click()
    await page.wait_for_url("**/vote/done")


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_answer_some_questions_after_voting_online(page, lang):
    round_id, area, projects = await voting_round()
    js = "js" if page.javascript_enabled else "nojs"
    await sign_in_as(page, lang, f"eq-voter-{lang}-{js}@example.org", "voter password 1")
    await page.goto(f"/{lang}/rounds/{round_id}/vote")
    await _cast(page, lang, round_id, projects[1])
    if page.javascript_enabled:
        await assert_accessible(page, f"{lang} receipt with the equality invitation")
    await page.get_by_role("button", name=t(lang, "Answer equality questions")).click()
    await page.wait_for_selector("#want")
    if page.javascript_enabled:
        await assert_accessible(page, f"{lang} equality start")
    await page.get_by_role("button", name=t(lang, "Continue")).click()  # nothing chosen: asked again
    await page.wait_for_selector(".govuk-error-summary")
    if page.javascript_enabled:
        await assert_accessible(page, f"{lang} equality start error")
    await page.locator("input[name=want][value=yes]").check()
    await page.get_by_role("button", name=t(lang, "Continue")).click()
    await page.wait_for_selector("input[name=age]")
    if page.javascript_enabled:
        await assert_accessible(page, f"{lang} equality age")
    await page.locator("input[name=age][value='65_74']").check()
    await page.get_by_role("button", name=t(lang, "Continue")).click()
    await page.wait_for_selector("input[name=sex]")
    if page.javascript_enabled:
        await assert_accessible(page, f"{lang} equality questions")
        await page.set_viewport_size({"width": 320, "height": 800})
        assert await reflow_problems(page) == []
    await page.locator("input[name=sex][value=female]").check()
    await page.locator("input[name=welsh][value=speak]").check()
    await page.locator("input[name=religion][value=not_say]").check()
    await page.get_by_role("button", name=t(lang, "Send answers")).click()
    await page.wait_for_selector(".govuk-panel--confirmation")
    if page.javascript_enabled:
        await assert_accessible(page, f"{lang} equality thanks")
    assert await SealedAnswers.count() == 1
    await change_phase(0, round_id, "results")
    [row] = await answers.answers_of(round_id)
    assert row["route"] == "online" and row["answers"] == {
        "age": ("65_74",),
        "sex": ("female",),
        "welsh": ("speak",),
        "religion": ("not_say",),
    }


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_decline_after_voting_with_a_code(page, lang):
    round_id, area, projects = await voting_round()
    printed = await some_codes(round_id)
    await page.goto(f"/{lang}/rounds/{round_id}/vote/code")
    await page.fill("#code", printed[0])
    await page.get_by_role("button", name=t(lang, "Continue")).click()
    await page.wait_for_url(f"**/rounds/{round_id}/vote")
    await _cast(page, lang, round_id, projects[1])
    await page.get_by_role("button", name=t(lang, "Answer equality questions")).click()
    await page.locator("input[name=want][value=no]").check()
    await page.get_by_role("button", name=t(lang, "Continue")).click()
    await page.wait_for_selector("text=" + t(lang, "No equality answers were recorded"))
    if page.javascript_enabled:
        await assert_accessible(page, f"{lang} equality declined")
    assert await SealedAnswers.count() == 0


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_staff_enter_paper_slips(page, lang):
    round_id, area, projects = await voting_round()
    js = "js" if page.javascript_enabled else "nojs"
    await sign_in_as(page, lang, f"eq-facilitator-{lang}-{js}@example.org", "facilitator password 1", roles={"facilitator"})
    await page.goto(f"/{lang}/manage/rounds/{round_id}/paper")
    await page.click(f"main a[href='/{lang}/manage/rounds/{round_id}/equality-slips']")
    await page.wait_for_selector("#area")
    if page.javascript_enabled:
        await assert_accessible(page, f"{lang} equality slips")
    await page.locator("input[name=sex][value=male]").check()
    await page.get_by_role("button", name=t(lang, "Enter slip")).click()
    await page.wait_for_selector("#area-error")
    assert await page.locator("input[name=sex][value=male]").is_checked()  # kept
    if page.javascript_enabled:
        await assert_accessible(page, f"{lang} equality slips error")
    await page.select_option("#area", str(area))
    await page.get_by_role("button", name=t(lang, "Enter slip")).click()
    await page.wait_for_selector(".govuk-notification-banner--success")
    assert await page.input_value("#area") == str(area)  # the next slip is likely from the same box
    assert await SealedAnswers.count() == 1


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_the_public_report_after_the_close(js_page, lang):
    page = js_page
    round_id, area, projects = await voting_round()
    today = dt.date.today()
    for i in range(45):
        invitation = invitations.read(invitations.invite(round_id, area, "paper" if i % 4 == 0 else "online", today), today)
        given = {"age": ("75_plus",) if i % 4 == 0 else ("25_34",), "ethnic_group": ("asian",) if i < 3 else ("white",)}
        await answers.send_answers(invitation, given)
    await actions.replace_baseline(
        None, round_id, [(area, "age", "25_34", 800), (area, "age", "75_plus", 1200)], "Census 2021", "Cyfrifiad 2021"
    )
    await change_phase(0, round_id, "results")
    assert await Answers.count() == 45
    await page.goto(f"/{lang}/rounds/{round_id}")
    await page.click(f"main a[href='/{lang}/rounds/{round_id}/participation']")
    await page.wait_for_selector("svg.pb-share-bar")
    await assert_accessible(page, f"{lang} participation report")
    summary = await page.locator("main ul.govuk-list--bullet").first.inner_text()
    assert ("75 neu hŷn" if lang == "cy" else "75 or over") in summary
    for details in await page.locator("details").all():
        await details.locator("summary").click()
    await assert_accessible(page, f"{lang} participation report, details open")
    await page.set_viewport_size({"width": 320, "height": 800})
    assert await reflow_problems(page) == []


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_answer_after_voting_with_a_code(page, lang):
    round_id, area, projects = await voting_round()
    printed = await some_codes(round_id)
    await page.goto(f"/{lang}/rounds/{round_id}/vote/code")
    await page.fill("#code", printed[1])
    await page.get_by_role("button", name=t(lang, "Continue")).click()
    await page.wait_for_url(f"**/rounds/{round_id}/vote")
    await _cast(page, lang, round_id, projects[2])
    await page.get_by_role("button", name=t(lang, "Answer equality questions")).click()
    await page.locator("input[name=want][value=yes]").check()
    await page.get_by_role("button", name=t(lang, "Continue")).click()
    await page.locator("input[name=age][value='under_16']").check()  # the 16-and-over questions are not asked
    await page.get_by_role("button", name=t(lang, "Continue")).click()
    await page.wait_for_selector("input[name=ethnic_group]")
    assert await page.locator("input[name=sexual_orientation]").count() == 0
    await page.locator("input[name=ethnic_group][value=mixed]").check()
    await page.get_by_role("button", name=t(lang, "Send answers")).click()
    await page.wait_for_selector(".govuk-panel--confirmation")
    await change_phase(0, round_id, "results")
    [row] = await answers.answers_of(round_id)
    assert row["route"] == "code" and row["answers"] == {"age": ("under_16",), "ethnic_group": ("mixed",)}
