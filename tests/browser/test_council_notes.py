"""Information from the council in a browser, in both languages, with JavaScript on and off, axe
clean: an officer adds a note beside a comment in the thread (an incomplete form is refused beside
its fields, keeping what was typed), and a resident reading the thread sees it beside the comment,
marked as the council's, in their language with its source; the public list shows it too."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_moderation_pages import sign_in_through_the_form
from tests.conftest import make_proposal, make_round, make_user

COMMENT = "The new footbridge will cost ten million pounds, more than the whole fund."
NOTE = {
    "body_en": "The published estimate for the footbridge is 2.1 million pounds.",
    "body_cy": "Yr amcangyfrif cyhoeddedig ar gyfer y bont droed yw 2.1 miliwn o bunnoedd.",
    "source_en": "Cabinet report, March 2026",
    "source_cy": "Adroddiad y Cabinet, Mawrth 2026",
    "source_url": "https://www.example.org/cabinet-report",
}
HEADING = {"en": "Information from the council", "cy": "Gwybodaeth gan y cyngor"}


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_an_officer_adds_a_note_on_a_comment_thread_and_a_resident_sees_it(page, browser, server, lang):
    from pb.moderation.tables import CouncilNote
    from pb.proposals.tables import Comment

    round_id, area_ids = await make_round()
    owner = await make_user(email="owner@example.org", name="Owen Owner")
    proposal_id = await make_proposal(round_id, area_ids[0], owner, title_en="A new footbridge", title_cy="Pont droed newydd")
    comment = Comment(proposal=proposal_id, author=owner, body=COMMENT)
    await Comment.insert(comment)
    await make_user(email="officer@example.org", password="officer password 1", roles={"officer"})
    await make_user(email="resident@example.org", password="resident password 1", name="Rhys Resident", language=lang)

    # The officer finds the way in beside the comment in the thread.
    await sign_in_through_the_form(page, lang, "officer@example.org", "officer password 1")
    await page.goto(f"/{lang}/proposals/{proposal_id}")
    await page.click(f"#comment-{comment.id} a[href='/{lang}/council-notes/new/comment/{comment.id}']")
    await page.wait_for_url(f"**/{lang}/council-notes/new/comment/{comment.id}")
    assert await page.get_attribute("html", "lang") == lang
    assert COMMENT in await page.inner_text("main")
    await assert_accessible(page, f"{lang} council note form")

    # An incomplete note is refused beside its fields, keeping what was typed.
    await page.fill("#body_en", NOTE["body_en"])
    await page.fill("#source_url", "http://www.example.org/not-secure")
    await page.click("main form[method=post] button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    for name in ("body_cy", "source_en", "source_cy", "source_url"):
        assert await page.locator(f"#{name}-error").count() == 1, name
    assert await page.locator("#body_en-error").count() == 0
    assert await page.input_value("#body_en") == NOTE["body_en"]
    await assert_accessible(page, f"{lang} council note form with errors")
    assert await CouncilNote.count() == 0

    for name, value in NOTE.items():
        await page.fill(f"#{name}", value)
    await page.click("main form[method=post] button[type=submit]")
    await page.wait_for_url(f"**/{lang}/council-notes?done=added")
    assert await page.locator(".govuk-notification-banner--success").count() == 1
    assert NOTE[f"body_{lang}"] in await page.inner_text("main")
    await assert_accessible(page, f"{lang} list of information from the council")

    # A resident reading the thread sees it beside the comment, in their language, with its source.
    context = await browser.new_context(base_url=server, java_script_enabled=page.javascript_enabled)
    resident = await context.new_page()
    resident.javascript_enabled = page.javascript_enabled
    try:
        await sign_in_through_the_form(resident, lang, "resident@example.org", "resident password 1")
        await resident.goto(f"/{lang}/proposals/{proposal_id}")
        beside = resident.locator(f"#comment-{comment.id} [data-council-note]")
        assert await beside.count() == 1
        text = await beside.inner_text()
        assert HEADING[lang] in text and NOTE[f"body_{lang}"] in text and NOTE[f"source_{lang}"] in text
        other = "cy" if lang == "en" else "en"
        assert NOTE[f"body_{other}"] not in await resident.inner_text("main")
        assert await beside.locator(f"a[href='{NOTE['source_url']}']").count() == 1
        assert COMMENT in await resident.inner_text(f"#comment-{comment.id}")  # the words stay as written
        assert await resident.locator("a[href*='/council-notes/new/']").count() == 0  # not for residents
        await assert_accessible(resident, f"{lang} proposal page with a council note beside a comment")

        # The footer leads to the public list, which links back to the comment.
        await resident.click(f"footer a[href='/{lang}/council-notes']")
        await resident.wait_for_url(f"**/{lang}/council-notes")
        await resident.click(f"main a[href='/{lang}/proposals/{proposal_id}#comment-{comment.id}']")
        await resident.wait_for_url(f"**/{lang}/proposals/{proposal_id}#comment-{comment.id}")
    finally:
        await context.close()
