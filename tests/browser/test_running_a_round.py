"""A council runs a round with nothing done by hand, in a real browser, in both languages, with
JavaScript on and off (axe in the JavaScript pass): a funded project's delivery record is linked by
itself and an update reaches its followers; a postcode decides the area; the printed ballot paper
and results summary read at 320 px; reminders and digests wait in the outbox in each person's
language; the council's own details reach the accessibility statement, letters and emails; an
officer's translation reaches the Welsh ballot; a round's and a session's picture show with their
description. (The decision linked to inputs chosen from a list is test_tracker_journey.py; a
proposal's picture and its thumbnail, test_proposal_images.py.)"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pb.web.templating import t
from tests.browser.conftest import assert_accessible
from tests.browser.reflow import NARROW, reflow_problems
from tests.conftest import make_proposal, make_round, make_user

LANGS = ["en", "cy"]


async def _sign_in(page, lang: str, email: str, password: str = "correct horse battery") -> None:
    await page.goto(f"/{lang}/sign-in")
    await page.get_by_label(t(lang, "Email address")).fill(email)
    await page.get_by_label(t(lang, "Password")).fill(password)
    await page.get_by_role("button", name=t(lang, "Sign in")).click()
    await page.wait_for_url(f"**/{lang}/")


async def _messages_to(email: str) -> list[dict]:
    from pb.outbox.tables import OutboxMessage

    return await OutboxMessage.select().where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)


@pytest.mark.parametrize("lang", LANGS)
async def test_a_funded_project_gets_its_delivery_record_and_an_update_reaches_its_followers(page, lang):
    from pb.proposals.actions import set_following
    from pb.tracker.tables import Delivery
    from tests.tracker.test_delivery_loop import _closed_round

    round_id, _, (play, _, _) = await _closed_round()  # frozen results: the play area is funded
    follower = await make_user(email="follower@example.org", language=lang)
    await set_following(follower, "proposal", play, True)
    record = await Delivery.select().where(Delivery.proposal == play).first()
    assert record["status"] == "not_started" and record["allocated_pence"] == 5_500_00

    await _sign_in(page, lang, "officer@example.org")
    await page.goto(f"/{lang}/proposals/{play}")
    what_happened = await page.locator("main").inner_text()
    assert t(lang, "Not started") in what_happened
    await page.get_by_role("link", name=t(lang, "Post a delivery update")).click()
    await page.wait_for_url(f"**/{lang}/manage/delivery/{record['id']}")
    await assert_accessible(page, "delivery update form")
    await page.locator("input[name=status][value=in_progress]").check()
    await page.fill("#progress", "40")
    await page.fill("#body_en", "Ground works have started by the river.")
    await page.fill("#body_cy", "Mae'r gwaith tir wedi dechrau ger yr afon.")
    await page.get_by_role("button", name=t(lang, "Publish update")).click()
    await page.wait_for_url(f"**/{lang}/delivery/{record['id']}")
    await assert_accessible(page, "delivery page")
    shown = await page.locator("main").inner_text()
    update = "Mae'r gwaith tir wedi dechrau ger yr afon." if lang == "cy" else "Ground works have started by the river."
    assert update in shown and t(lang, "In progress") in shown

    await page.goto(f"/{lang}/proposals/{play}")
    assert t(lang, "In progress") in await page.locator("main").inner_text()
    told = await _messages_to("follower@example.org")
    assert told and told[-1]["language"] == lang
    assert f"/{lang}/delivery/{record['id']}" in told[-1]["body"]
    assert ("There is a new update on" in told[-1]["body"]) == (lang == "en")


@pytest.mark.parametrize("lang", LANGS)
async def test_a_postcode_decides_the_area_of_the_ballot(page, lang):
    from pb.rounds.actions import replace_postcodes
    from pb.rounds.tables import Area
    from tests.voting.test_voting import voting_round

    round_id, riverside, _ = await voting_round()
    hillside = Area(round=round_id, name_en="Hillside", name_cy="Ochr y Bryn", budget_pence=5_000_00)
    await Area.insert(hillside)
    await replace_postcodes(None, round_id, [("CF10 1AA", riverside), ("LL55 1SH", hillside.id)])
    await make_user(email="voter@example.org", language=lang)
    await _sign_in(page, lang, "voter@example.org")

    await page.goto(f"/{lang}/rounds/{round_id}/vote")
    assert await page.locator("input[name=area]").count() == 0  # no list to pick from
    await page.get_by_label(t(lang, "What is your postcode?")).fill("SA1 1AA")
    await page.locator("input[name=age][value=yes]").check()
    await page.get_by_role("button", name=t(lang, "Continue to the ballot")).click()
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "postcode not in any area")
    assert await page.get_by_label(t(lang, "What is your postcode?")).input_value() == "SA1 1AA"  # kept

    await page.get_by_label(t(lang, "What is your postcode?")).fill("ll55 1sh")
    if not await page.locator("input[name=age][value=yes]").is_checked():
        await page.locator("input[name=age][value=yes]").check()
    await page.get_by_role("button", name=t(lang, "Continue to the ballot")).click()
    await page.wait_for_url(f"**/{lang}/rounds/{round_id}/vote/ballot*")
    await assert_accessible(page, "ballot for the postcode's area")
    assert await page.locator("input[name=area]").get_attribute("value") == str(hillside.id)
    assert ("Ochr y Bryn" if lang == "cy" else "Hillside") in await page.locator("main").inner_text()
    assert await page.locator("input[name=choice]").count() == 0  # Hillside has no projects on this ballot


async def _printed_at_320px(page, label: str) -> None:
    """The page as printed (a screenshot of print media, checked by axe) and at 320 px wide."""
    await page.emulate_media(media="print")
    assert len(await page.screenshot(full_page=True)) > 10_000
    await assert_accessible(page, f"{label} printed")
    await page.emulate_media(media="screen")
    await page.set_viewport_size(NARROW)
    assert await reflow_problems(page) == []
    await assert_accessible(page, f"{label} at 320 px")
    await page.set_viewport_size({"width": 1280, "height": 800})


@pytest.mark.parametrize("lang", LANGS)
async def test_the_printed_ballot_paper_reads_welsh_first_and_at_320px(js_page, lang):
    from tests.voting.test_voting import voting_round

    page = js_page
    round_id, area, _ = await voting_round()
    await _sign_in(page, lang, "author@example.org")  # voting_round's author: a resident
    assert (await page.goto(f"/{lang}/manage/rounds/{round_id}/paper/ballot/{area}")).status == 403
    await make_user(email="paper-officer@example.org", roles={"officer"})
    await _sign_in(page, lang, "paper-officer@example.org")
    await page.goto(f"/{lang}/manage/rounds/{round_id}/paper")
    await page.get_by_role(
        "link", name=t(lang, "Ballot paper for %(area)s") % {"area": "Glan yr Afon" if lang == "cy" else "Riverside"}
    ).first.click()
    await page.wait_for_url(f"**/{lang}/manage/rounds/{round_id}/paper/ballot/{area}")
    text = await page.locator("main").inner_text()
    assert "Play area" in text and "£6,000" in text
    assert 0 <= text.index(t("cy", "How to vote")) < text.index("How to vote")  # Welsh first, whoever prints it
    await _printed_at_320px(page, "ballot paper")


@pytest.mark.parametrize("lang", LANGS)
async def test_the_printed_results_summary_reads_at_320px(js_page, lang):
    from pb.rounds.tables import Area
    from tests.tracker.test_delivery_loop import _closed_round

    page = js_page
    round_id, _, _ = await _closed_round()
    area = (await Area.select(Area.id).where(Area.round == round_id).first())["id"]
    await page.goto(f"/{lang}/rounds/{round_id}/results")
    await page.get_by_role("link", name=t(lang, "A one-page summary to print for a noticeboard")).first.click()
    await page.wait_for_url(f"**/{lang}/rounds/{round_id}/results/{area}/notice")
    notice = await page.locator("main").inner_text()
    assert "Play area" in notice
    await _printed_at_320px(page, "results summary")


@pytest.mark.parametrize("lang", LANGS)
async def test_reminders_and_digests_wait_in_the_outbox_in_each_persons_language(page, lang):
    from pb.accounts import notifications
    from pb.proposals import actions as proposal_actions
    from pb.proposals.actions import set_following
    from pb.rounds.tables import Round
    from pb.voting import reminders
    from tests.voting.test_voting import voting_round

    round_id, area, projects = await voting_round()
    welsh = await make_user(email="darllenydd@example.org", language="cy")
    english = await make_user(email="reader@example.org", language="en")
    for person in (welsh, english):
        await set_following(person, "round", round_id, True)
    await Round.update({Round.results_from: date.today() + timedelta(days=2)}).where(Round.id == round_id)
    assert await reminders.send_closing_reminders(date.today()) == 2

    # A proposal's author chose a daily digest: the change to their proposal waits for the morning's email.
    review_round, review_areas = await make_round(phase="review")
    officer = await make_user(email="digest-officer@example.org", roles={"officer"})
    author = await make_user(email="digest-author@example.org", language=lang)
    proposal = await make_proposal(review_round, review_areas[0], author, status="submitted", title_cy="Ardal chwarae newydd")
    await notifications.set_preferences(author, {"my_proposals": "daily"})
    await proposal_actions.change_status(officer, proposal, "under_review")
    assert not await _messages_to("digest-author@example.org")  # held
    assert await notifications.send_digests(date.today()) == 1

    await make_user(email="outbox-admin@example.org", roles={"admin"})
    await _sign_in(page, lang, "outbox-admin@example.org")
    await page.goto(f"/{lang}/admin/outbox")
    await assert_accessible(page, "outbox")
    outbox = await page.locator("main").inner_text()
    assert "Mae'r bleidlais yn cau cyn bo hir" in outbox and "Voting closes soon" in outbox
    digest_subject = t(lang, "Your daily summary of news")
    assert digest_subject in outbox
    digest = await _messages_to("digest-author@example.org")
    assert len(digest) == 1 and digest[0]["subject"] == digest_subject and digest[0]["language"] == lang
    assert f"/{lang}/proposals/{proposal}" in digest[0]["body"]


SITE = {
    "council_name_en": "Gwynedd Council",
    "council_name_cy": "Cyngor Gwynedd",
    "contact_email": "cyfranogi@gwynedd.example",
    "phone": "01766 771000",
    "address_en": "Council Offices\nCaernarfon",
    "address_cy": "Swyddfeydd y Cyngor\nCaernarfon",
    "opening_hours_en": "Monday to Friday, 9am to 5pm",
    "opening_hours_cy": "Dydd Llun i ddydd Gwener, 9am i 5pm",
}


@pytest.mark.parametrize("lang", LANGS)
async def test_the_councils_details_reach_the_statement_letters_and_emails(page, lang):
    from pb.outbox.actions import queue_email
    from pb.site import actions as site_actions
    from tests.voting.test_voting import voting_round

    await make_user(email="site-admin@example.org", roles={"admin", "officer"})
    await _sign_in(page, lang, "site-admin@example.org")
    await page.goto(f"/{lang}/admin/site")
    await assert_accessible(page, "site settings")
    for name, value in SITE.items():
        await page.fill(f"#{name}", value)
    await page.fill("#phone", "call us")  # bad input: the message beside the field, the rest kept
    await page.locator("main form button[type=submit]").first.click()
    await page.wait_for_selector("#phone-error")
    await assert_accessible(page, "site settings with an error")
    assert await page.locator("#council_name_cy").input_value() == "Cyngor Gwynedd"
    await page.fill("#phone", SITE["phone"])
    await page.locator("main form button[type=submit]").first.click()
    await page.wait_for_url(f"**/{lang}/admin/site?saved=1")

    await page.goto(f"/{lang}/accessibility")
    statement = " ".join((await page.locator("main").inner_text()).split())
    assert "01766 771000" in statement and ("Swyddfeydd y Cyngor" if lang == "cy" else "Council Offices") in statement
    footer = await page.locator("footer").inner_text()
    assert "cyfranogi@gwynedd.example" in footer

    round_id, area, _ = await voting_round()
    await page.goto(f"/{lang}/manage/rounds/{round_id}/paper/ballot/{area}")
    paper = await page.locator("main").inner_text()
    assert "Ffoniwch 01766 771000" in paper and "Phone 01766 771000" in paper

    await site_actions.refresh()  # this test's process keeps its own copy, as every app process does
    await queue_email(
        "someone@example.org",
        lang,
        "Voting closes soon",
        "emails/vote_closing.txt",
        name="A",
        title="T",
        closes="",
        url="u",
        unsubscribe="x",
    )
    body = (await _messages_to("someone@example.org"))[-1]["body"]
    assert ("Cyngor Gwynedd" if lang == "cy" else "Gwynedd Council") in body and "01766 771000" in body


@pytest.mark.parametrize("lang", LANGS)
async def test_an_officers_translation_reaches_the_welsh_ballot(page, lang):
    from tests.voting.test_voting import voting_round

    round_id, area, projects = await voting_round()  # English titles only
    await make_user(email="translator@example.org", roles={"officer"})
    await make_user(email="pleidleisiwr@example.org", language="cy")
    await _sign_in(page, "cy", "pleidleisiwr@example.org")
    await page.goto(f"/cy/rounds/{round_id}/vote/ballot?area={area}&age=yes")
    label = page.locator(f"label[for=choice-{projects[1]}]")
    assert "Saesneg yn unig" in await label.inner_text()

    officer = await page.context.browser.new_context(
        base_url=page.url.split("/cy/")[0], java_script_enabled=page.javascript_enabled
    )
    desk = await officer.new_page()
    desk.javascript_enabled = page.javascript_enabled
    await _sign_in(desk, lang, "translator@example.org")
    await desk.goto(f"/{lang}/manage/translations")
    await assert_accessible(desk, "translation queue")
    await desk.get_by_role("link", name="Benches").click()
    await desk.wait_for_url(f"**/{lang}/manage/proposals/{projects[1]}/translate")
    await desk.fill("#title_cy", "Meinciau")
    await desk.get_by_role("button", name=t(lang, "Save the translation")).click()
    await desk.wait_for_selector("#summary_cy-error")  # the summary too: said beside it, the title kept
    await assert_accessible(desk, "translation with an error")
    assert await desk.locator("#title_cy").input_value() == "Meinciau"
    await desk.fill("#summary_cy", "Meinciau ar lan yr afon")
    await desk.fill("#description_cy", "Pum mainc bren ar hyd llwybr yr afon.")
    await desk.get_by_role("button", name=t(lang, "Save the translation")).click()
    await desk.wait_for_url("**")
    await officer.close()

    await page.reload()
    label = page.locator(f"label[for=choice-{projects[1]}]")
    assert "Meinciau" in await label.inner_text() and "Saesneg yn unig" not in await label.inner_text()
    await assert_accessible(page, "Welsh ballot after the translation")


@pytest.mark.parametrize("lang", LANGS)
async def test_a_round_and_a_session_show_their_pictures(js_page, lang):
    from datetime import UTC, datetime

    from pb.deliberation.tables import DeliberationSession
    from pb.demo import load_demo
    from tests.conftest import restart_ids

    page = js_page
    await restart_ids()
    await load_demo()
    await page.goto(f"/{lang}/rounds")
    thumb = page.locator("img.pb-card__thumb").first
    alt = await thumb.get_attribute("alt")
    assert alt.startswith("Stryd o dai teras" if lang == "cy" else "A drawn street of terraced houses")
    assert await thumb.evaluate("img => img.complete && img.naturalWidth === 400")
    await assert_accessible(page, "rounds with a picture")
    await page.set_viewport_size(NARROW)
    assert await reflow_problems(page) == []
    session = await DeliberationSession.select().where(DeliberationSession.picture_full != "").first()
    when = "upcoming" if session["starts_at"] > datetime.now(UTC) else "past"
    described = "Neuadd gyfarfod" if lang == "cy" else "A drawn meeting hall"
    await page.goto(f"/{lang}/sessions?when={when}")
    session_thumb = page.locator("img.pb-card__thumb").first
    assert (await session_thumb.get_attribute("alt")).startswith(described)
    assert await reflow_problems(page) == []
    await assert_accessible(page, "sessions with a picture at 320 px")
    await page.goto(f"/{lang}/sessions/{session['id']}")
    full = page.locator("img.pb-picture__image")
    assert (await full.get_attribute("alt")).startswith(described)
    assert await full.evaluate("img => img.complete && img.naturalWidth === 1200")
    assert await reflow_problems(page) == []
