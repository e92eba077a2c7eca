"""Rounds and proposals in a real browser, in both languages, with JavaScript on and off:
a resident proposes, supports, comments and reports; an officer reviews and shortlists."""

import pytest

from pb.moderation.tables import Report
from pb.proposals.tables import Comment, Proposal, Support
from pb.rounds.tables import Round
from pb.web.templating import t
from tests.browser.test_accessibility_sweep import sign_in_as
from tests.conftest import make_proposal, make_round, make_user


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_resident_proposes_supports_comments_and_reports(page, lang):
    round_id, areas = await make_round()
    other = await make_proposal(
        round_id, areas[1], await make_user(email=f"other-{lang}@example.org"), title_en="Hillside benches"
    )
    await sign_in_as(page, lang, f"proposer-{lang}-{str(page.javascript_enabled).lower()}@example.org", "proposer password")

    await page.goto(f"/{lang}/rounds/{round_id}")
    await page.get_by_role("link", name=t(lang, "Propose a project")).first.click()
    await page.get_by_label("English", exact=True).check()
    await page.get_by_label(t(lang, "Title (English)")).fill("Riverside wildflowers")
    await page.get_by_label(t(lang, "Summary (English)")).fill("Wildflowers on the verges.")
    await page.get_by_label(t(lang, "Description (English)")).fill("Sow native seed instead of mowing.")
    await page.get_by_label(t(lang, "Area"), exact=True).select_option(str(areas[0]))
    await page.get_by_label(t(lang, "Estimated cost in pounds")).fill("4,500")
    await page.get_by_label(t(lang, "Parks and green spaces")).check()
    await page.get_by_role("button", name=t(lang, "Submit proposal")).click()
    await page.wait_for_url("**/proposals/*?saved=submitted")
    assert await page.get_by_role("heading", level=1).inner_text() == "Riverside wildflowers"
    row = await Proposal.select().where(Proposal.title_en == "Riverside wildflowers").first()
    assert row["status"] == "submitted" and row["estimated_cost_pence"] == 450_000

    await page.goto(f"/{lang}/proposals/{other}")
    await page.get_by_role("button", name=t(lang, "Support this proposal")).click()
    await page.wait_for_url(f"**/proposals/{other}*")
    assert await page.get_by_role("button", name=t(lang, "Stop supporting")).is_visible()
    assert await Support.count().where(Support.proposal == other) == 1

    await page.get_by_label(t(lang, "Add a comment")).fill("Lovely idea for the hill.")
    await page.get_by_role("button", name=t(lang, "Post comment")).click()
    await page.wait_for_url(f"**/proposals/{other}#comment-*")
    assert await page.get_by_text("Lovely idea for the hill.").is_visible()
    assert await Comment.count().where(Comment.proposal == other) == 1

    await page.get_by_role("link", name=t(lang, "Report this proposal")).click()
    await page.locator("input[name=reason]").first.check()
    await page.get_by_role("button", name=t(lang, "Send report")).click()
    await page.wait_for_url(f"**/proposals/{other}?reported=1")
    assert await Report.count().where(Report.target_id == other) == 1


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_listing_filters_work_with_and_without_javascript(page, lang):
    round_id, areas = await make_round()
    author = await make_user(email=f"lister-{lang}-{str(page.javascript_enabled).lower()}@example.org")
    await make_proposal(round_id, areas[0], author, title_en="Skate park", themes=("sport",))
    await make_proposal(round_id, areas[1], author, title_en="Hill benches", themes=("green_spaces",))
    await page.goto(f"/{lang}/rounds/{round_id}/proposals")
    await page.get_by_label(t(lang, "Theme")).select_option("sport")
    if not page.javascript_enabled:
        await page.get_by_role("button", name=t(lang, "Apply filters")).click()
    await page.wait_for_url("**theme=sport**")
    await page.locator("#results h2 a").first.wait_for()
    for _ in range(50):
        if await page.locator("#results h2 a").count() == 1:
            break
        await page.wait_for_timeout(100)
    assert await page.locator("#results h2 a").inner_text() == "Skate park"
    # The URL carries the filters, so reloading (or sharing) shows the same list.
    await page.reload()
    assert await page.locator("#results h2 a").inner_text() == "Skate park"


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_officer_reviews_then_shortlists(page, lang):
    round_id, areas = await make_round(phase="review")
    proposal = await make_proposal(
        round_id, areas[0], await make_user(email=f"author-{lang}-{str(page.javascript_enabled).lower()}@example.org")
    )
    await sign_in_as(
        page, lang, f"officer-{lang}-{str(page.javascript_enabled).lower()}@example.org", "officer password", roles={"officer"}
    )

    await page.goto(f"/{lang}/manage/rounds/{round_id}/proposals")
    await page.locator(f"a[href='/{lang}/manage/proposals/{proposal}']").click()
    await page.get_by_label(t(lang, "Eligible"), exact=True).check()
    await page.get_by_role("button", name=t(lang, "Save decision")).click()
    await page.wait_for_url("**?saved=status")
    assert (await Proposal.select(Proposal.status).where(Proposal.id == proposal).first())["status"] == "eligible"

    await page.goto(f"/{lang}/manage/rounds/{round_id}")
    await page.get_by_role("link", name=t(lang, "Move to: %(phase)s", phase=t(lang, "Deliberation and shortlist"))).click()
    await page.locator("input[name=confirm]").check()
    await page.get_by_role("button", name=t(lang, "Change the phase")).click()
    await page.wait_for_url("**?phase_changed=1")
    assert (await Round.select(Round.phase).where(Round.id == round_id).first())["phase"] == "shortlist"

    await page.goto(f"/{lang}/manage/proposals/{proposal}")
    await page.get_by_label(t(lang, "Shortlisted"), exact=True).check()
    await page.get_by_role("button", name=t(lang, "Save decision")).click()
    await page.wait_for_url("**?saved=status")
    assert (await Proposal.select(Proposal.status).where(Proposal.id == proposal).first())["status"] == "shortlisted"
