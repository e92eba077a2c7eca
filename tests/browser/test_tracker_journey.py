"""The loop closed in a real browser: an officer publishes a decision linked to three inputs; the
resident sees it on the proposal and in the tracker; the follower is emailed. Both languages,
JavaScript on and off."""

import pytest

from pb.outbox.tables import OutboxMessage
from pb.proposals.actions import set_following
from pb.proposals.tables import Comment
from pb.web.templating import t
from tests.browser.conftest import assert_accessible
from tests.browser.test_accessibility_sweep import sign_in_as
from tests.conftest import make_proposal, make_round, make_user


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_officer_publishes_and_residents_see_what_happened(page, lang, browser, server):
    js = "js" if page.javascript_enabled else "nojs"
    round_id, areas = await make_round(phase="shortlist")
    author = await make_user(email=f"author-{lang}-{js}@example.org")
    follower = await make_user(email=f"follower-{lang}-{js}@example.org")
    p1 = await make_proposal(round_id, areas[0], author, title_en="Play area", title_cy="Ardal chwarae")
    p2 = await make_proposal(round_id, areas[0], author, title_en="Benches", title_cy="Meinciau")
    comment = Comment(proposal=p1, author=follower, body="Add a swing for disabled children")
    await Comment.insert(comment)
    await set_following(follower, "proposal", p2, True)

    await sign_in_as(page, lang, f"officer-{lang}-{js}@example.org", "officer password", roles={"officer"})
    await page.goto(f"/{lang}/manage/decisions/new")
    fields = {
        "title_en": "Fund the play area",
        "title_cy": "Ariannu'r ardal chwarae",
        "body_en": "Funded.",
        "body_cy": "Ariannwyd.",
        "why_en": "Strong support.",
        "why_cy": "Cefnogaeth gref.",
        "decided_by_en": "Cabinet",
        "decided_by_cy": "Y Cabinet",
        "decided_on": "2027-03-12",
        # The impact assessment summary, published with the decision.
        "impact_protected_en": "Step-free access for disabled children.",
        "impact_protected_cy": "Mynediad heb risiau i blant anabl.",
        "impact_welsh_cy": "Arwyddion dwyieithog.",
    }
    await page.select_option("#round", str(round_id))
    for name, value in fields.items():
        await page.fill(f"#{name}", value)
    for goal in ("healthier", "more_equal"):
        await page.locator(f"input[name=wellbeing_goals][value={goal}]").check()
    await page.click("main form button[type=submit]")
    await page.wait_for_url("**/manage/decisions/*?saved=1")
    for kind, number, words, effect, why in (
        ("proposal", p1, "play", "adopted", None),
        ("proposal", p2, "Benches", "adapted", ("Two benches", "Dwy fainc")),
        ("comment", comment.id, "swing", "not_taken_forward", ("No space", "Dim lle")),
    ):
        # Found by a word of its title or text and its kind, then chosen: never typed as a number.
        await page.fill("#find", words)
        await page.select_option("#kind", kind)
        await page.get_by_role("button", name=t(lang, "Search")).click()
        await page.locator(f"input[name=input][value='{kind}:{number}']").check()
        await page.locator(f"input[name=effect][value={effect}]").check()
        if why:
            await page.fill("#explanation_en", why[0])
            await page.fill("#explanation_cy", why[1])
        await page.get_by_role("button", name=t(lang, "Link this input")).click()
        await page.wait_for_url("**?linked=1*")
    if page.javascript_enabled:
        await assert_accessible(page, "decision with links")
    await page.get_by_role("button", name=t(lang, "Publish decision")).click()
    await page.wait_for_url("**/decisions/*")
    if page.javascript_enabled:
        await assert_accessible(page, "published decision")
    assert (await page.locator("#impact").inner_text()).strip() == t(lang, "Impact assessment")
    impact = await page.locator("main").inner_text()
    assert ("Mynediad heb risiau i blant anabl." if lang == "cy" else "Step-free access for disabled children.") in impact
    assert "Arwyddion dwyieithog." in impact  # in Welsh only: shown on both pages, marked as Welsh
    assert await page.locator("div[lang=cy]", has_text="Arwyddion dwyieithog.").count() == (1 if lang == "en" else 0)
    for goal in ("A healthier Wales", "A more equal Wales"):
        assert t(lang, goal) in impact

    resident = await browser.new_context(base_url=server, java_script_enabled=page.javascript_enabled)
    view = await resident.new_page()
    await view.goto(f"/{lang}/proposals/{p2}")
    happened = await view.locator("#what-happened ~ .govuk-inset-text").first.inner_text()
    assert t(lang, "Adapted") in happened and ("Two benches" if lang == "en" else "Dwy fainc") in happened
    await view.goto(f"/{lang}/rounds/{round_id}/you-said-we-did")
    decisions = await view.locator("#decisions ~ .govuk-summary-card").first.inner_text()
    assert ("Ariannu'r ardal chwarae" if lang == "cy" else "Fund the play area") in decisions
    await resident.close()
    emails = await OutboxMessage.select(OutboxMessage.recipient).where(
        OutboxMessage.recipient == f"follower-{lang}-{js}@example.org"
    )
    assert len(emails) == 1  # told once, though they commented and followed
