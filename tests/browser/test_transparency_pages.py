"""The public transparency log and the officers' tension monitoring in a real browser, in English and
Welsh: axe-core clean, and no sideways scroll at 320 CSS px (the tables scroll in their own regions).
With JavaScript on and off, choosing what to count on the tension page works (a GET form)."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.reflow import NARROW, reflow_problems
from tests.conftest import make_proposal, make_round, make_user


async def moderated_world() -> dict:
    """Decisions of each visibility with appeals, and reports rising sharply this week in one area
    whose name is one long word (the tables must still fit or scroll in their regions)."""
    from pb.moderation import measures
    from pb.moderation.tables import Appeal, CouncilNote, ModerationDecision, Report
    from pb.proposals.tables import Comment

    author = await make_user(email="author@example.org", name="Alys Author")
    moderator = await make_user(email="moderator@example.org", roles={"moderator"})
    round_id, areas = await make_round(
        areas=(("Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch", "Llanfairpwllgwyngyll", 10_000_00),)
    )
    proposal = await make_proposal(round_id, areas[0], author, title_en="A new play area", title_cy="Ardal chwarae newydd")
    comment = Comment(proposal=proposal, author=author, body="A comment")
    await Comment.insert(comment)
    now = datetime.now(UTC)
    start = measures.week_start(measures.week_of(now))
    reporters = [await make_user(email=f"reporter{n}@example.org") for n in range(6)]
    reports = [
        Report(
            target_kind="proposal", target_id=proposal, reporter=person, reason="harassment", created_at=start + (now - start) / 2
        )
        for person in reporters
    ]
    reports.append(
        Report(
            target_kind="comment",
            target_id=comment.id,
            reporter=reporters[0],
            reason="spam",
            created_at=start - timedelta(days=9),
        )
    )
    await Report.insert(*reports)
    decisions = [
        ModerationDecision(
            target_kind="comment",
            target_id=comment.id,
            moderator_id=moderator,
            action="hide",
            reason="spam",
            ground="unlawful",
            law="malicious_communications_1988",
            at=now - timedelta(days=3),
        ),
        ModerationDecision(
            target_kind="proposal",
            target_id=proposal,
            moderator_id=moderator,
            action="keep",
            reason="",
            ground="none",
            at=now - timedelta(days=2),
        ),
        ModerationDecision(
            target_kind="proposal",
            target_id=proposal,
            moderator_id=moderator,
            action="note",
            reason="misinformation",
            ground="none",
            public_note="A note",
            automated=True,
            at=now - timedelta(days=1),
        ),
    ]
    await ModerationDecision.insert(*decisions)
    await Report.update({Report.decision_id: decisions[0].id, Report.status: "decided"}).where(Report.target_kind == "comment")
    await Appeal.insert(
        Appeal(
            decision=decisions[0].id,
            appellant=author,
            role="author",
            reason="Please look again",
            status="overturned",
            decided_by=moderator,
            decided_at=now - timedelta(days=1),
            created_at=now - timedelta(days=2),
        ),
    )
    await CouncilNote.insert(
        CouncilNote(
            target_kind="proposal", target_id=proposal, body_en="Note", body_cy="Nodyn", author_id=moderator, created_at=now
        )
    )
    return {"area": areas[0]}


async def sign_in_through_the_form(page, lang: str, email: str, password: str) -> None:
    await page.goto(f"/{lang}/sign-in")
    await page.fill("#email", email)
    await page.fill("#password", password)
    await page.click("main button[type=submit]")
    await page.wait_for_url(f"**/{lang}/")


async def check(page, label: str) -> None:
    if not getattr(page, "javascript_enabled", True):
        return  # axe and the reflow measure run as scripts: checked on the JavaScript run
    await assert_accessible(page, label)
    wide = page.viewport_size
    await page.set_viewport_size(NARROW)
    assert await reflow_problems(page) == [], label
    if wide:
        await page.set_viewport_size(wide)


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_the_transparency_log(js_page, lang):
    page = js_page
    await page.goto(f"/{lang}/moderation/log")
    assert await page.get_attribute("html", "lang") == lang
    await check(page, f"{lang} empty transparency log")

    await moderated_world()
    await page.goto(f"/{lang}/moderation/log")
    assert (await page.inner_text("#moderation-laws td[data-action=hide][data-law=malicious_communications_1988]")).strip() == "1"
    assert (await page.inner_text("[data-figure=appeals-overturned]")).strip() == "1"
    assert await page.locator("main table").count() == 3
    await check(page, f"{lang} transparency log")


async def test_the_tension_page(page):
    """Both languages, with JavaScript on and off (the `page` fixture runs both)."""
    found = await moderated_world()
    await make_user(email="officer@example.org", password="officer password 1", roles={"officer"})
    for lang in ("en", "cy"):
        await sign_in_through_the_form(page, lang, "officer@example.org", "officer password 1")
        await page.goto(f"/{lang}/manage/rounds")
        await page.click(f"main a[href='/{lang}/moderation/tension']")  # linked from the officers' rounds page
        await page.wait_for_url(f"**/{lang}/moderation/tension")
        assert await page.get_attribute("html", "lang") == lang
        spike = page.locator(f"#tension-areas td[data-area='{found['area']}'][data-spike=yes]")
        assert await spike.count() == 1
        await check(page, f"{lang} tension monitoring")

        # Choose what to count: council notes (no guideline table for them).
        await page.click("label[for=measure-3]")
        await page.click("main form button")
        await page.wait_for_url("**measure=notes")
        assert await page.locator("#tension-categories").count() == 0
        assert await page.locator(f"#tension-areas td[data-area='{found['area']}']").count() > 0
        await check(page, f"{lang} tension monitoring, council notes")
        await page.context.clear_cookies()
