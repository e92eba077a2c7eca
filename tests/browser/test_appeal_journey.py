"""The appeal journey in a real browser, in English and Welsh, with JavaScript on and off, axe clean:
a resident reports a comment -> a moderator hides it with a statement of reasons -> the author's
email carries the statement and the appeal link -> the author appeals -> the moderator who decided
is refused the appeal -> a different moderator overturns it -> the comment reads again."""

import pytest

from tests.browser.conftest import assert_accessible, outbox_link
from tests.conftest import make_proposal, make_round, make_user

COMMENT = "The cabinet member misled us about the budget figures."
PASSWORD = "journey password 1"


async def sign_in_as(page, lang: str, email: str) -> None:
    await page.context.clear_cookies()  # the previous person is gone
    await page.goto(f"/{lang}/sign-in")
    await page.fill("#email", email)
    await page.fill("#password", PASSWORD)
    await page.click("main button[type=submit]")
    await page.wait_for_url(f"**/{lang}/")


async def submit_form(page) -> None:
    await page.click("main form[method=post] button[type=submit]")
    await page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_report_hide_appeal_overturn(page, lang):
    from pb.outbox.tables import OutboxMessage
    from pb.proposals.tables import Comment

    author = await make_user(email="author@example.org", name="Alys Author", password=PASSWORD, language=lang)
    await make_user(email="reporter@example.org", name="Rhys Reporter", password=PASSWORD, language=lang)
    await make_user(email="first@example.org", name="First Moderator", password=PASSWORD, roles={"moderator"})
    await make_user(email="second@example.org", name="Second Moderator", password=PASSWORD, roles={"moderator"})
    round_id, area_ids = await make_round()
    proposal_id = await make_proposal(round_id, area_ids[0], author, title_en="A new play area", title_cy="Ardal chwarae newydd")
    comment = Comment(proposal=proposal_id, author=author, body=COMMENT)
    await Comment.insert(comment)

    # A resident reports the comment.
    await sign_in_as(page, lang, "reporter@example.org")
    await page.goto(f"/{lang}/report/comment/{comment.id}")
    await page.check("#reason-3")  # harassment
    await submit_form(page)
    await page.wait_for_url(f"**/{lang}/proposals/{proposal_id}?reported=1")

    # The first moderator hides it with a full statement of reasons.
    await sign_in_as(page, lang, "first@example.org")
    await page.goto(f"/{lang}/moderation")
    await page.click(f"a[href='/{lang}/moderation/comment/{comment.id}']")
    await page.check("#action")  # hide
    await page.check("#ground-2")  # against the community guidelines
    await page.check("#reason-3")  # harassment
    await page.fill("#facts", "It says a named person misled residents.")
    await page.fill("#explanation", "We read this as a personal attack.")
    await assert_accessible(page, f"{lang} decide page filled in")
    last_email = await OutboxMessage.count()
    await submit_form(page)
    await page.wait_for_url(f"**/{lang}/moderation?decided=1")
    assert await page.locator(f"#comment-{comment.id}").count() == 0

    # The author's email, in their language, has the statement and the appeal link first.
    [message] = await OutboxMessage.select().where(OutboxMessage.recipient == "author@example.org")
    assert message["language"] == lang
    assert "It says a named person misled residents." in message["body"]
    appeal_path = await outbox_link("author@example.org", after_id=last_email)
    assert appeal_path.startswith(f"/{lang}/appeals/new/")

    # The author appeals.
    await sign_in_as(page, lang, "author@example.org")
    await page.goto(f"/{lang}/proposals/{proposal_id}")
    assert COMMENT not in await page.inner_text("main")
    await page.goto(appeal_path)
    assert await page.get_attribute("html", "lang") == lang
    await assert_accessible(page, f"{lang} appeal form")
    await submit_form(page)  # empty: an error beside the field
    assert await page.locator("#reason-error").count() == 1
    await assert_accessible(page, f"{lang} appeal form error state")
    await page.fill("#reason", "It criticises what an elected member said in public.")
    await submit_form(page)
    await page.wait_for_url(f"**{appeal_path}?appealed=1")
    assert await page.locator(".govuk-notification-banner--success").count() == 1
    assert await page.locator("#reason").count() == 0
    await assert_accessible(page, f"{lang} appeal sent")

    # The moderator who decided sees the appeal but cannot decide it.
    await sign_in_as(page, lang, "first@example.org")
    await page.goto(f"/{lang}/moderation")
    await page.click(f"a[href='/{lang}/moderation/appeals']")
    await assert_accessible(page, f"{lang} appeals queue")
    appeal_link = page.locator(f"main a[href^='/{lang}/moderation/appeals/']")
    appeal_url = await appeal_link.get_attribute("href")
    await page.goto(appeal_url)
    assert await page.locator("input[name=outcome]").count() == 0
    await assert_accessible(page, f"{lang} appeal page for the moderator who decided")

    # A different moderator overturns it, with a reason.
    await sign_in_as(page, lang, "second@example.org")
    await page.goto(appeal_url)
    await assert_accessible(page, f"{lang} decide an appeal")
    await page.check("#outcome-2")  # overturn
    await page.fill("#outcome_reason", "Criticism of an elected member's public statements is protected.")
    await submit_form(page)
    await page.wait_for_url(f"**/{lang}/moderation/appeals?decided=1")
    assert await page.locator(".govuk-notification-banner--success").count() == 1
    await assert_accessible(page, f"{lang} appeals queue after a decision")

    # The comment reads again, at once, for everyone.
    await page.context.clear_cookies()
    await page.goto(f"/{lang}/proposals/{proposal_id}")
    assert COMMENT in await page.inner_text(f"#comment-{comment.id}")
