"""The watch list in a browser, in both languages, with JavaScript on and off, axe clean: a moderator
adds a term, a resident's comment containing it is held and the resident is told at once (on the
page and by email in their language), the public sees only a placeholder, and a moderator's "keep"
publishes it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_moderation_pages import sign_in_through_the_form
from tests.conftest import make_proposal, make_round, make_user

COMMENT = "Meet me on Heol Fawr after the meeting"


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_a_term_holds_a_comment_until_a_moderator_keeps_it(page, browser, server, lang):
    from pb.outbox.tables import OutboxMessage
    from pb.proposals.tables import Comment

    round_id, area_ids = await make_round()
    owner = await make_user(email="owner@example.org", name="Owen Owner")
    proposal_id = await make_proposal(round_id, area_ids[0], owner, title_en="A new play area", title_cy="Ardal chwarae newydd")
    await make_user(email="moderator@example.org", password="moderator password 1", roles={"moderator"})
    await make_user(email="resident@example.org", password="resident password 1", name="Rhys Resident", language=lang)

    # A moderator adds a term; an empty one is refused beside the field.
    await sign_in_through_the_form(page, lang, "moderator@example.org", "moderator password 1")
    await page.goto(f"/{lang}/moderation")
    await page.click(f"main a[href='/{lang}/moderation/watch-list']")
    assert await page.get_attribute("html", "lang") == lang
    await assert_accessible(page, f"{lang} empty watch list")
    await page.click("main form[method=post] button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    assert await page.locator("#term-error").count() == 1
    await assert_accessible(page, f"{lang} watch list error state")
    await page.fill("#term", "Heol  FAWR")
    await page.click("main form[method=post] button[type=submit] >> nth=0")
    await page.wait_for_url(f"**/{lang}/moderation/watch-list?done=added")
    assert await page.locator(".govuk-notification-banner--success").count() == 1
    assert "heol fawr" in await page.inner_text("main table")
    await assert_accessible(page, f"{lang} watch list with a term")

    # A resident's comment containing it is held, and they are told at once.
    resident_context = await browser.new_context(base_url=server, java_script_enabled=page.javascript_enabled)
    resident = await resident_context.new_page()
    resident.javascript_enabled = page.javascript_enabled
    try:
        await sign_in_through_the_form(resident, lang, "resident@example.org", "resident password 1")
        await resident.goto(f"/{lang}/proposals/{proposal_id}")
        await resident.fill("#body", COMMENT)
        await resident.click("form:has(#body) button[type=submit]")
        await resident.wait_for_url(f"**/{lang}/proposals/{proposal_id}#comment-*")
        row = await Comment.select().where(Comment.body == COMMENT).first()
        assert (row["hidden"], row["hidden_reason"]) == (True, "held")
        held_box = resident.locator(f"#comment-{row['id']}")
        assert COMMENT in await held_box.inner_text()
        assert await held_box.locator(".govuk-tag").count() == 1
        await assert_accessible(resident, f"{lang} proposal page with the author's held comment")
        [mail] = await OutboxMessage.select().where(OutboxMessage.recipient == "resident@example.org")
        assert mail["language"] == lang and f"/{lang}/proposals/{proposal_id}" in mail["body"]

        # Everyone else sees a placeholder (here: nobody signed in).
        public_context = await browser.new_context(base_url=server, java_script_enabled=page.javascript_enabled)
        public = await public_context.new_page()
        public.javascript_enabled = page.javascript_enabled
        await public.goto(f"/{lang}/proposals/{proposal_id}")
        assert "Heol Fawr" not in await public.content()
        await assert_accessible(public, f"{lang} proposal page with a held comment")

        # The moderator finds it in the queue, marked as held, and keeps it.
        await page.goto(f"/{lang}/moderation")
        assert await page.locator("main table .govuk-tag").count() == 1
        await assert_accessible(page, f"{lang} queue with a held comment")
        await page.click(f"main a[href='/{lang}/moderation/comment/{row['id']}']")
        await page.wait_for_url(f"**/{lang}/moderation/comment/{row['id']}")
        assert await page.locator("main .govuk-inset-text .govuk-tag").count() >= 1
        await assert_accessible(page, f"{lang} decide page for a held comment")
        await page.check("input[name=action][value=keep]")
        await page.check("input[name=ground][value=none]")
        await page.fill("#facts", "It names a street, nothing more.")
        await page.fill("#explanation", "Naming a street breaks no guideline.")
        await page.click("main form[method=post] button[type=submit]")
        await page.wait_for_url(f"**/{lang}/moderation?decided=1")

        await public.goto(f"/{lang}/proposals/{proposal_id}")
        assert COMMENT in await public.inner_text(f"#comment-{row['id']}")
        await public_context.close()
    finally:
        await resident_context.close()
