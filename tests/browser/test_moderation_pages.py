"""axe-core over the moderation pages in both languages: the report form and its error state, the
moderators' queue (empty, full and after a decision), the decide page and its error state, and
the public transparency log. Zero violations."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.conftest import make_proposal, make_round, make_user


async def reported_items() -> dict:
    """A proposal and a comment on it by one author, both reported by two residents."""
    from pb.moderation.actions import report
    from pb.proposals.tables import Comment

    author_id = await make_user(email="author@example.org", name="Alys Author", language="cy")
    round_id, area_ids = await make_round()
    proposal_id = await make_proposal(
        round_id, area_ids[0], author_id, title_en="A new play area", title_cy="Ardal chwarae newydd"
    )
    comment = Comment(proposal=proposal_id, author=author_id, body="A comment that\nspans two lines <b>with markup</b>.")
    await Comment.insert(comment)
    for number, reason in enumerate(("spam", "hate")):
        reporter = await make_user(email=f"reporter{number}@example.org")
        await report(reporter, "proposal", proposal_id, reason, "Details of the report.")
        await report(reporter, "comment", comment.id, "harassment", "")
    return {"author": author_id, "proposal": proposal_id, "comment": comment.id}


async def sign_in_through_the_form(page, lang: str, email: str, password: str) -> None:
    await page.goto(f"/{lang}/sign-in")
    await page.fill("#email", email)
    await page.fill("#password", password)
    await page.click("main button[type=submit]")
    await page.wait_for_url(f"**/{lang}/")


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("kind", ["proposal", "comment"])
async def test_the_report_form_and_its_error_state_pass_axe(js_page, lang, kind):
    items = await reported_items()
    await make_user(email="resident@example.org", password="resident password 1")
    page = js_page
    await sign_in_through_the_form(page, lang, "resident@example.org", "resident password 1")

    await page.goto(f"/{lang}/report/{kind}/{items[kind]}")
    assert await page.get_attribute("html", "lang") == lang
    assert await page.locator("input[name=reason]").count() == 7  # the guidelines, off topic included
    await assert_accessible(page, f"{lang} report {kind} form")

    await page.fill("#details", "x" * 1001)
    await page.click("main form[method=post] button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    assert await page.locator("#reason-error").count() == 1
    assert await page.locator("#details-error").count() == 1
    assert await page.input_value("#details") == "x" * 1001
    await assert_accessible(page, f"{lang} report {kind} form error state")


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_the_queue_and_the_decide_page_pass_axe(js_page, lang):
    await make_user(email="moderator@example.org", password="moderator password 1", roles={"moderator"})
    page = js_page
    await sign_in_through_the_form(page, lang, "moderator@example.org", "moderator password 1")

    await page.goto(f"/{lang}/moderation")
    assert await page.locator("main table").count() == 0
    await assert_accessible(page, f"{lang} empty moderation queue")

    items = await reported_items()
    await page.goto(f"/{lang}/moderation")
    assert await page.locator("main table tbody tr").count() == 2
    await assert_accessible(page, f"{lang} moderation queue")

    # The decide page, and its error state when nothing is chosen.
    await page.goto(f"/{lang}/moderation/proposal/{items['proposal']}")
    assert await page.locator("input[name=action]").count() == 3
    await assert_accessible(page, f"{lang} decide page")
    await page.click("label[for=action]")  # hide, with the preselected guideline, but no explanation
    await page.click("main form[method=post] button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    assert await page.locator("#explanation-error").count() == 1
    await assert_accessible(page, f"{lang} decide page error state")

    # A decision, then the queue with its success banner, then the item's page with its history.
    await page.fill("#explanation", "It is an advert for a business.")
    await page.check("#ground-2")  # against the community guidelines
    await page.fill("#facts", "It gives a shop's prices and phone number.")
    await page.click("main form[method=post] button[type=submit]")
    await page.wait_for_url(f"**/{lang}/moderation?decided=1")
    assert await page.locator(".govuk-notification-banner--success").count() == 1
    assert await page.locator("main table tbody tr").count() == 1
    await assert_accessible(page, f"{lang} moderation queue after a decision")
    await page.goto(f"/{lang}/moderation/proposal/{items['proposal']}")
    await assert_accessible(page, f"{lang} decide page with a past decision")

    # The comment's decide page: content over several lines.
    await page.goto(f"/{lang}/moderation/comment/{items['comment']}")
    await assert_accessible(page, f"{lang} decide page for a comment")


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_the_decide_page_for_a_moderator_who_reported_passes_axe(js_page, lang):
    from pb.moderation.actions import report

    items = await reported_items()
    moderator_id = await make_user(email="moderator@example.org", password="moderator password 1", roles={"moderator"})
    await report(moderator_id, "comment", items["comment"], "threats", "")
    page = js_page
    await sign_in_through_the_form(page, lang, "moderator@example.org", "moderator password 1")
    await page.goto(f"/{lang}/moderation/comment/{items['comment']}")
    assert await page.locator("input[name=action]").count() == 0
    await assert_accessible(page, f"{lang} decide page without the form")


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_the_transparency_log_passes_axe(js_page, lang):
    from pb.moderation.actions import decide

    page = js_page
    await page.goto(f"/{lang}/moderation/log")
    await assert_accessible(page, f"{lang} empty transparency log")

    items = await reported_items()
    moderator_id = await make_user(email="moderator@example.org", roles={"moderator"})
    await decide(moderator_id, "proposal", items["proposal"], "hide", "spam", "An advert.", facts="Prices.")
    await decide(moderator_id, "comment", items["comment"], "keep", "", "Criticism is allowed.", facts="Criticism.")
    await page.goto(f"/{lang}/moderation/log")
    assert await page.get_attribute("html", "lang") == lang
    assert (await page.inner_text("td[data-action=hide][data-reason=spam]")).strip() == "1"
    await assert_accessible(page, f"{lang} transparency log")
