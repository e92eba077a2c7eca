"""Deliberative sessions in a real browser, in both languages, with JavaScript on and off: a
facilitator schedules a session, a resident registers, the facilitator runs it (attendance, points
raised, priorities, summary) and publishes, and the outcome appears on the proposal's page. Then
axe-core over every session page and every form's error state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pb.deliberation.tables import DeliberationSession, OutcomeLink, Registration, SessionOutcome
from pb.web.templating import t
from tests.browser.conftest import assert_accessible
from tests.browser.test_accessibility_sweep import sign_in_as
from tests.conftest import make_proposal, make_round, make_user, seed_demo


async def check(page, label: str) -> None:
    """axe-core on the page: it runs as a script, so only with JavaScript on (the HTML is the same without)."""
    if page.javascript_enabled:
        await assert_accessible(page, label)


def suffix(page, lang: str) -> str:
    return f"{lang}-{'js' if page.javascript_enabled else 'nojs'}"


async def second_page(browser, server, page):
    context = await browser.new_context(base_url=server, java_script_enabled=page.javascript_enabled)
    other = await context.new_page()
    other.javascript_enabled = page.javascript_enabled
    return context, other


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_facilitator_schedules_resident_registers_facilitator_records_and_publishes(page, browser, server, lang):
    tag = suffix(page, lang)
    round_id, areas = await make_round(phase="shortlist", title_en=f"Fund {tag}")
    author = await make_user(email=f"author-{tag}@example.org")
    proposal = await make_proposal(
        round_id, areas[0], author, status="shortlisted", title_en=f"Play area {tag}", title_cy=f"Ardal chwarae {tag}"
    )
    await sign_in_as(page, lang, f"facilitator-{tag}@example.org", "facilitator password", roles={"facilitator"})

    # Schedule.
    await page.goto(f"/{lang}/manage/sessions")
    await page.get_by_role("link", name=t(lang, "Schedule a session")).click()
    await check(page, "schedule form")
    await page.get_by_label(t(lang, "Title in English")).fill(f"Riverside evening {tag}")
    await page.get_by_label(t(lang, "Title in Welsh")).fill(f"Noson glan yr afon {tag}")
    await page.get_by_label(t(lang, "Description in English")).fill("Talk through the proposals.")
    await page.get_by_label(t(lang, "Description in Welsh")).fill("Trafod y cynigion.")
    await page.get_by_label(t(lang, "Round"), exact=True).select_option(str(round_id))
    await page.fill("#date", (datetime.now(UTC) + timedelta(days=7)).date().isoformat())
    await page.fill("#start_time", "18:30")
    await page.fill("#end_time", "20:00")
    await page.get_by_label(t(lang, "In person"), exact=True).check()
    await page.get_by_label(t(lang, "Place"), exact=True).fill("Neuadd y Dref / Town Hall")
    await page.get_by_label(t(lang, "How many people can come?")).fill("12")
    await page.get_by_label(t(lang, "Welsh-medium"), exact=True).check()
    await page.get_by_label(t(lang, "Hearing loop")).check()
    await page.get_by_role("button", name=t(lang, "Schedule the session")).click()
    await page.wait_for_url("**/manage/sessions/*?saved=created")
    await check(page, "the session's page for the day")
    session = await DeliberationSession.select().where(DeliberationSession.title_en == f"Riverside evening {tag}").first()
    assert session["capacity"] == 12 and session["hearing_loop"] and session["language_mode"] == "cy"

    # The agenda.
    await page.get_by_role("link", name=t(lang, "Choose the proposals to discuss")).click()
    await page.locator(f"input[name=proposals][value='{proposal}']").check()
    await page.get_by_role("button", name=t(lang, "Save the agenda")).click()
    await page.wait_for_url("**?saved=agenda*")

    # A resident finds it with the accessibility filter and registers.
    context, resident = await second_page(browser, server, page)
    try:
        await sign_in_as(resident, lang, f"resident-{tag}@example.org", "resident password")
        await resident.goto(f"/{lang}/sessions")
        await resident.get_by_label(t(lang, "Hearing loop")).check()
        if not resident.javascript_enabled:
            await resident.get_by_role("button", name=t(lang, "Apply filters")).click()
        await resident.wait_for_url("**access=hearing_loop**")
        await resident.get_by_role(
            "link", name=f"Noson glan yr afon {tag}" if lang == "cy" else f"Riverside evening {tag}"
        ).click()
        await check(resident, "public session page")
        await resident.get_by_role("link", name=t(lang, "Register for this session")).click()
        await check(resident, "register form")
        await resident.get_by_label(t(lang, "Me"), exact=True).check()
        await resident.get_by_label(t(lang, "A hearing loop")).check()
        await resident.get_by_role("button", name=t(lang, "Register")).click()
        await resident.wait_for_url("**?registered=registered*")
        await check(resident, "registered")
        registration = await Registration.select().where(Registration.session == session["id"]).first()
        assert registration["status"] == "registered" and registration["access_needs"] == "hearing_loop"
    finally:
        await context.close()

    # The day comes.
    now = datetime.now(UTC)
    await DeliberationSession.update(
        {DeliberationSession.starts_at: now - timedelta(hours=1), DeliberationSession.ends_at: now + timedelta(hours=1)}
    ).where(DeliberationSession.id == session["id"])

    await page.goto(f"/{lang}/manage/sessions/{session['id']}")
    await page.get_by_role("link", name=t(lang, "Record attendance")).click()
    await page.locator(f"input[name=attended][value='{registration['id']}']").check()
    await page.get_by_label(t(lang, "How many people came in all?")).fill("4")
    await page.get_by_role("button", name=t(lang, "Save attendance")).click()
    await page.wait_for_url("**?saved=attendance*")

    await page.get_by_role("link", name=t(lang, "Add a theme or point")).click()
    await page.get_by_label(t(lang, "In English"), exact=True).fill(f"Children need safe places to play {tag}")
    await page.locator(f"input[name=proposals][value='{proposal}']").check()
    await page.get_by_role("button", name=t(lang, "Save"), exact=True).click()
    await page.wait_for_url("**?saved=outcome*")

    await page.get_by_role("link", name=t(lang, "Record priorities")).click()
    await page.locator(f"#tally-{proposal}").fill("11")
    await page.get_by_role("button", name=t(lang, "Save priorities")).click()
    await page.wait_for_url("**?saved=outcome*")

    await page.get_by_role("link", name=t(lang, "Write the summary")).click()
    await page.get_by_label(t(lang, "Summary in English")).fill("Four people talked about play.")
    await page.get_by_label(t(lang, "Summary in Welsh")).fill("Bu pedwar o bobl yn trafod chwarae.")
    await page.get_by_role("button", name=t(lang, "Save the summary")).click()
    await page.wait_for_url("**?saved=summary*")
    await check(page, "the page for the day with outcomes")

    await page.get_by_role("link", name=t(lang, "Check and publish the outcomes")).click()
    await check(page, "publish preview")
    await page.locator("#confirm").check()
    await page.get_by_role("button", name=t(lang, "Publish the outcomes")).click()
    await page.wait_for_url("**?saved=published")
    assert (await DeliberationSession.select().where(DeliberationSession.id == session["id"]).first())["outcomes_published_at"]
    kinds = {row["kind"] for row in await SessionOutcome.select().where(SessionOutcome.session == session["id"])}
    assert kinds == {"theme", "prioritisation", "summary"}
    assert await OutcomeLink.count().where(OutcomeLink.proposal == proposal) == 2

    # The outcome appears on the proposal's page.
    await page.goto(f"/{lang}/proposals/{proposal}")
    assert await page.get_by_role("heading", name=t(lang, "From community sessions")).is_visible()
    assert await page.get_by_text(f"Children need safe places to play {tag}").is_visible()
    await check(page, "proposal page with session outcomes")


async def demo_data(lang: str, tag: str):
    from pb.deliberation.demo import load_demo_sessions
    from pb.rounds.tables import Round

    await seed_demo("accounts", "rounds", "proposals")
    round_id = (await Round.select(Round.id).where(Round.title_en != "Youth Fund 2027").first())["id"]
    facilitator = await make_user(
        email=f"sweep-{tag}@example.org", password="sweep facilitator password", roles={"facilitator", "admin"}
    )
    await load_demo_sessions(facilitator, round_id)
    # One session whose day has come, with outcomes recorded but not yet published.
    now = datetime.now(UTC)
    today = DeliberationSession(
        facilitator=facilitator,
        round=round_id,
        title_en="Today's session",
        title_cy="Sesiwn heddiw",
        description_en="Today.",
        description_cy="Heddiw.",
        venue="Hall",
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=1),
        capacity=5,
    )
    await DeliberationSession.insert(today)
    outcome = SessionOutcome(session=today.id, kind="theme", body_en="Parking is hard near the hall.", body_cy="")
    await SessionOutcome.insert(outcome)
    return facilitator, today.id, outcome.id


async def check_error_state(page, label: str) -> None:
    await page.click("main form[method=post] button[type=submit] >> nth=0")
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, f"{label} error state")


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_every_session_page_and_error_state_passes_axe(page, lang):
    if not page.javascript_enabled:
        pytest.skip("axe-core runs as a script; the pages are the same HTML with JavaScript off (see the journeys)")
    tag = suffix(page, lang)
    facilitator, today_id, outcome_id = await demo_data(lang, tag)
    sessions = await DeliberationSession.select().order_by(DeliberationSession.id)
    now = datetime.now(UTC)
    published = next(s for s in sessions if s["outcomes_published_at"])
    upcoming = next(s for s in sessions if s["starts_at"] > now and s["status"] == "scheduled")
    public = [
        f"/{lang}/sessions",
        f"/{lang}/sessions?when=past",
        f"/{lang}/sessions?access=step_free&access=welsh&format=in_person",
        f"/{lang}/sessions/{published['id']}",
        f"/{lang}/sessions/{upcoming['id']}",
    ]
    for path in public:
        await page.goto(path)
        await assert_accessible(page, path)
    proposal = (await OutcomeLink.select(OutcomeLink.proposal).first())["proposal"]
    await page.goto(f"/{lang}/proposals/{proposal}")
    await assert_accessible(page, "proposal page")

    await page.goto(f"/{lang}/sign-in")
    await page.fill("#email", f"sweep-{tag}@example.org")
    await page.fill("#password", "sweep facilitator password")
    await page.click("main button[type=submit]")
    await page.wait_for_url(f"**/{lang}/")

    # A resident's pages (the admin registers too).
    await page.goto(f"/{lang}/sessions/{upcoming['id']}/register")
    await assert_accessible(page, "register form")
    await page.get_by_label(t(lang, "Someone I care for")).check()
    await check_error_state(page, "register form")
    await page.get_by_label(t(lang, "Me"), exact=True).check()
    await page.click("main form[method=post] button[type=submit]")
    await page.wait_for_url("**?registered=*")
    await assert_accessible(page, "session page with a place")
    mine = (
        await Registration.select()
        .where(Registration.session == upcoming["id"])
        .order_by(Registration.id, ascending=False)
        .first()
    )
    for path in (
        f"/{lang}/your-sessions",
        f"/{lang}/registrations/{mine['id']}/cancel",
        f"/{lang}/sessions/{published['id']}/register",
    ):
        await page.goto(path)
        await assert_accessible(page, path)

    # A facilitator's pages.
    for path in (
        f"/{lang}/manage/sessions",
        f"/{lang}/manage/sessions/{published['id']}",
        f"/{lang}/manage/sessions/{upcoming['id']}",
        f"/{lang}/manage/sessions/{upcoming['id']}/registrations",
        f"/{lang}/manage/sessions/{upcoming['id']}/pack",
        f"/{lang}/manage/sessions/{published['id']}/pack",
        f"/{lang}/manage/sessions/{today_id}",
        f"/{lang}/manage/sessions/{today_id}/publish",
        f"/{lang}/manage/sessions/{today_id}/outcomes/{outcome_id}/delete",
        f"/{lang}/manage/sessions/{upcoming['id']}/attendance",
        f"/{lang}/manage/sessions/{today_id}/prioritisation/new",
    ):
        await page.goto(path)
        await assert_accessible(page, path)
    forms = [
        (f"/{lang}/manage/sessions/new", "schedule form"),
        (f"/{lang}/manage/sessions/{upcoming['id']}/edit", "edit form"),
        (f"/{lang}/manage/sessions/{upcoming['id']}/cancel", "cancel form"),
        (f"/{lang}/manage/sessions/{today_id}/attendance", "attendance form"),
        (f"/{lang}/manage/sessions/{today_id}/outcomes/new?kind=theme", "outcome form"),
        (f"/{lang}/manage/sessions/{today_id}/summary", "summary form"),
    ]
    for path, label in forms:
        await page.goto(path)
        await assert_accessible(page, label)
        if label == "edit form":
            await page.fill("#title_en", "")
        if label == "attendance form":
            await page.fill("#attendance_count", "many")
        await check_error_state(page, label)
    # The agenda, priorities and publishing, with and without what they need.
    await page.goto(f"/{lang}/manage/sessions/{today_id}/agenda")
    await assert_accessible(page, "agenda form")
    await page.locator("input[name=proposals]").first.check()
    await page.click("main form[method=post] button[type=submit]")
    await page.wait_for_url("**?saved=agenda*")
    await page.goto(f"/{lang}/manage/sessions/{today_id}/prioritisation/new")
    await assert_accessible(page, "priorities form")
    await check_error_state(page, "priorities form")
    await page.goto(f"/{lang}/manage/sessions/{today_id}/outcomes/{outcome_id}/edit")
    await assert_accessible(page, "outcome edit form")
    await DeliberationSession.update({DeliberationSession.attendance_count: 3}).where(DeliberationSession.id == today_id)
    await page.goto(f"/{lang}/manage/sessions/{today_id}/summary")
    await page.fill("#summary_en", "We met.")
    await page.fill("#summary_cy", "Cwrddon ni.")
    await page.click("main form[method=post] button[type=submit]")
    await page.wait_for_url("**?saved=summary*")
    await page.goto(f"/{lang}/manage/sessions/{today_id}/publish")
    await assert_accessible(page, "publish form")
    await check_error_state(page, "publish form")
    # Pages that say something cannot be done now.
    await page.goto(f"/{lang}/manage/sessions/{published['id']}/summary")
    await assert_accessible(page, "409 page")
