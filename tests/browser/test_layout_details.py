"""Layout details from the accessibility audit, in both languages: the ballot's running total (a
permanent live region, updated in place, in view at 320 px without hiding what has focus), back links
inside landmarks, the link-input error title, the admin's navigation on one row, and the language of
what the outbox and audit log show."""

import re

import pytest

from pb.web.templating import t
from tests.browser.test_accessibility_sweep import sign_in_as
from tests.browser.test_voting import voting_round
from tests.conftest import make_proposal, make_round, make_user, seed_demo, sign_in, submit

# --- The ballot's running total -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_running_total_is_updated_in_place(page, lang):
    round_id, area, projects = await voting_round()
    js = "js" if page.javascript_enabled else "nojs"
    await sign_in_as(page, lang, f"total-{lang}-{js}@example.org", "voter password 1")
    await page.goto(f"/{lang}/rounds/{round_id}/vote/ballot?area={area}&age=yes")
    total = page.locator("#running-total")
    assert await total.get_attribute("aria-live") == "polite"
    assert "0" in await total.inner_text()
    if page.javascript_enabled:
        # The region the page loaded with is the one that changes: a replaced region is often not read.
        await page.evaluate("window.loadedTotal = document.getElementById('running-total')")
        await page.locator(f"#choice-{projects[1]}").check()
        await page.locator("#running-total", has_text="3,000").wait_for()
        await page.locator(f"#choice-{projects[0]}").check()
        await page.locator("#running-total", has_text="9,000").wait_for()
        assert await page.evaluate("window.loadedTotal === document.getElementById('running-total')")
        assert await page.evaluate("window.loadedTotal.isConnected")
        assert await page.locator("#running-total").count() == 1
        assert await total.get_attribute("aria-live") == "polite"
        assert await page.locator("#running-total #running-total").count() == 0
    else:
        # Without JavaScript the form posts: over budget, the ballot comes back with the total.
        for checkbox in await page.locator("input[name=choice]").all():
            await checkbox.check()
        await page.get_by_role("button", name=t(lang, "Check my choices")).click()
        await page.wait_for_selector(".govuk-error-summary")
        assert "11,000" in await page.locator("#running-total").inner_text()
        assert await page.locator("#running-total").get_attribute("aria-live") == "polite"
        assert (await page.title()).startswith(t(lang, "Error:"))
        await page.locator(f"#choice-{projects[0]}").uncheck()
        await page.get_by_role("button", name=t(lang, "Check my choices")).click()
        await page.wait_for_selector("text=" + t(lang, "Check your choices"))
        assert "5,000" in await page.locator("main table").inner_text()


async def test_running_total_answer_is_only_what_the_region_says(client):
    """The htmx answer is the region's content, not a second region to nest inside the first."""
    round_id, area, projects = await voting_round()
    await make_user(email="fragment@example.org")
    await sign_in(client, email="fragment@example.org")
    ballot = f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes"
    response = await submit(
        client, ballot, {"area": area, "age": "yes", "choice": str(projects[1])}, f"/en/rounds/{round_id}/vote/total"
    )
    assert response.status_code == 200
    assert "running-total" not in response.text
    assert "aria-live" not in response.text
    assert "3,000" in response.text


async def many_projects_round() -> tuple[int, int, list[int]]:
    round_id, areas = await make_round(phase="voting", areas=(("Riverside", "Glan yr Afon", 10_000_00),))
    author = await make_user(email=f"many-{round_id}@example.org")
    projects = [
        await make_proposal(
            round_id,
            areas[0],
            author,
            status="on_ballot",
            title_en=f"Project number {n}",
            title_cy=f"Prosiect rhif {n}",
            cost_pence=1_000_00 + n,
        )
        for n in range(1, 9)
    ]
    return round_id, areas[0], projects


FOCUS_AND_TOTAL = """() => {
  const focused = document.activeElement.getBoundingClientRect();
  const total = document.getElementById('running-total').getBoundingClientRect();
  return {focusTop: focused.top, focusBottom: focused.bottom, totalTop: total.top, totalBottom: total.bottom,
          height: window.innerHeight, id: document.activeElement.id, tag: document.activeElement.tagName};
}"""


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_running_total_stays_in_view_at_320px_without_hiding_focus(page, lang):
    await page.set_viewport_size({"width": 320, "height": 640})
    round_id, area, projects = await many_projects_round()
    js = "js" if page.javascript_enabled else "nojs"
    await sign_in_as(page, lang, f"narrow-{lang}-{js}@example.org", "voter password 1")
    await page.goto(f"/{lang}/rounds/{round_id}/vote/ballot?area={area}&age=yes")
    assert await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    # A project near the top of the list has focus: the total is in the window, below it.
    await page.focus(f"#choice-{projects[0]}")
    await page.keyboard.press("Space")
    if page.javascript_enabled:
        await page.locator("#running-total", has_text="1,000").wait_for()
    found = await page.evaluate(FOCUS_AND_TOTAL)
    assert 0 <= found["totalTop"] < found["totalBottom"] <= found["height"], found
    assert found["focusBottom"] <= found["totalTop"], found
    # Tabbing on through the list, nothing that takes focus is hidden behind the total.
    for _ in range(40):
        await page.keyboard.press("Tab")
        found = await page.evaluate(FOCUS_AND_TOTAL)
        if found["tag"] == "BUTTON":
            break
        assert 0 <= found["totalTop"] < found["totalBottom"] <= found["height"], found
        assert found["focusBottom"] <= found["totalTop"] or found["focusTop"] >= found["totalBottom"], found
    else:
        raise AssertionError("never reached the button")


# --- Back links are inside landmarks --------------------------------------------------------------

BACK_LINKS_OUTSIDE = """() => [...document.querySelectorAll('.govuk-back-link')]
  .filter(a => !a.closest('main, nav, header, footer, aside, [role=main], [role=navigation], [role=banner],'
                          + ' [role=contentinfo], [role=complementary], [role=region], section[aria-label]'))
  .map(a => a.textContent.trim())"""


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_every_back_link_is_inside_a_landmark(js_page, lang):
    from pb.deliberation.tables import DeliberationSession, SessionOutcome
    from pb.proposals.tables import Proposal

    page = js_page
    await seed_demo("accounts", "rounds", "proposals", "deliberation")
    await sign_in_as(page, lang, f"landmarks-{lang}@example.org", "landmarks password", roles={"admin"})
    sessions = await DeliberationSession.select(DeliberationSession.id).order_by(DeliberationSession.id)
    proposal = (await Proposal.select(Proposal.id).where(Proposal.status != "draft").first())["id"]
    outcomes = await SessionOutcome.select(SessionOutcome.id, SessionOutcome.session)
    paths = ["/sessions", "/manage/sessions", "/manage/sessions/new", "/moderation", "/moderation/log"]
    for row in sessions:
        session = row["id"]
        paths += [f"/sessions/{session}", f"/sessions/{session}/register"]
        paths += [
            f"/manage/sessions/{session}{tail}"
            for tail in (
                "",
                "/edit",
                "/cancel",
                "/registrations",
                "/agenda",
                "/attendance",
                "/outcomes/new",
                "/prioritisation/new",
                "/summary",
                "/publish",
            )
        ]
    for outcome in outcomes:
        paths += [
            f"/manage/sessions/{outcome['session']}/outcomes/{outcome['id']}/edit",
            f"/manage/sessions/{outcome['session']}/outcomes/{outcome['id']}/delete",
        ]
    paths += [f"/report/proposal/{proposal}", f"/moderation/proposal/{proposal}", f"/proposals/{proposal}"]
    checked = set()
    for path in paths:
        response = await page.goto(f"/{lang}{path}")
        if response.status >= 400:  # a page this session's state does not offer (say, publishing too soon)
            continue
        if await page.locator(".govuk-back-link").count():
            checked.add(re.sub(r"/\d+", "/{id}", path))
        assert await page.evaluate(BACK_LINKS_OUTSIDE) == [], path
    # Each kind of page that had its back link outside <main> was seen.
    for shape in (
        "/sessions/{id}",
        "/sessions/{id}/register",
        "/manage/sessions/new",
        "/manage/sessions/{id}",
        "/manage/sessions/{id}/edit",
        "/manage/sessions/{id}/registrations",
        "/manage/sessions/{id}/agenda",
        "/report/proposal/{id}",
        "/moderation/proposal/{id}",
    ):
        assert shape in checked, (shape, sorted(checked))
    # A report's error state and a moderator's decision error state keep theirs inside too.
    await page.goto(f"/{lang}/report/proposal/{proposal}")
    await page.click("main form button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    assert await page.locator("main .govuk-back-link").count() == 1


async def test_back_links_are_inside_main_in_html(client):
    """Without a browser: pages that put their back link in `before_content` render it in <main>."""
    from pb.deliberation.tables import DeliberationSession

    await seed_demo("accounts", "rounds", "proposals", "deliberation")
    await make_user(email="facilitating-admin@example.org", roles={"admin"})
    await sign_in(client, email="facilitating-admin@example.org")
    session = (await DeliberationSession.select(DeliberationSession.id).first())["id"]
    for path in (f"/cy/sessions/{session}", f"/en/manage/sessions/{session}", f"/en/manage/sessions/{session}/registrations"):
        html = (await client.get(path)).text
        assert 'class="govuk-back-link"' in html, path
        assert html.index("<main") < html.index('class="govuk-back-link"') < html.index("</main>"), path


# --- The link-input error title -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_link_input_error_title_starts_with_error(client, lang):
    from datetime import date

    from pb.tracker.tables import Decision

    await make_user(email="linking-officer@example.org", roles={"officer"})
    await sign_in(client, email="linking-officer@example.org", lang=lang)
    row = Decision(title_en="Play areas", title_cy="Ardaloedd chwarae", decided_on=date(2027, 6, 1))
    await Decision.insert(row)
    form = f"/{lang}/manage/decisions/{row.id}"
    assert "<title>" + t(lang, "Error:") not in (await client.get(form)).text
    response = await submit(client, form, {"input": ""}, f"{form}/links")
    assert response.status_code == 422
    title = re.search(r"<title>(.*?)</title>", response.text, re.S).group(1).strip()
    assert title.startswith(t(lang, "Error:") + " "), title
    assert title.startswith("Gwall:" if lang == "cy" else "Error:"), title


# --- The signed-in navigation ---------------------------------------------------------------------

NAV = """() => {
  const rows = sel => [...document.querySelectorAll(sel)].map(i => ({top: i.offsetTop, text: i.textContent.trim()}));
  const link = document.querySelector('.pb-header__item a.pb-header__link');
  const button = document.querySelector('.pb-header__item button');
  const style = el => { const s = getComputedStyle(el); return {size: s.fontSize, colour: s.color,
    weight: s.fontWeight, family: s.fontFamily, decoration: s.textDecorationLine, lineHeight: s.lineHeight}; };
  return {header: rows('.pb-header__item'), menu: rows('section.govuk-service-navigation .govuk-service-navigation__item'),
          work: rows('.pb-work-navigation .govuk-service-navigation__item'),
          council: document.querySelector('.pb-header__council').getBoundingClientRect().top,
          account: document.querySelector('.pb-header__navigation').getBoundingClientRect().top,
          link: style(link), button: style(button), width: document.documentElement.scrollWidth};
}"""

FOCUS_STYLE = "() => { const s = getComputedStyle(document.activeElement); return [s.backgroundColor, s.color, s.boxShadow]; }"
DECORATION = "sel => getComputedStyle(document.querySelector(sel)).textDecorationLine"


@pytest.mark.parametrize("lang", ["cy", "en"])
async def test_admin_navigation_is_one_row_at_1280px(js_page, lang):
    page = js_page
    await page.set_viewport_size({"width": 1280, "height": 800})
    await sign_in_as(page, lang, f"nav-admin-{lang}@example.org", "nav admin password", roles={"admin"})
    await page.goto(f"/{lang}/")
    nav = await page.evaluate(NAV)
    # Every link an admin has, and each navigation on one line.
    assert len(nav["header"]) + len(nav["menu"]) + len(nav["work"]) == 13, nav
    for name in ("header", "menu", "work"):
        assert len({item["top"] for item in nav[name]}) == 1, (name, nav)
    assert nav["width"] <= 1280, nav
    # Sign-out is a button (a POST) but looks like the links beside it.
    assert nav["button"] == nav["link"], nav
    # Its hover and focus states are the links' too.
    link, button = ".pb-header__item a.pb-header__link", ".pb-header__item button"
    await page.hover(link)
    hovered = await page.evaluate(DECORATION, link)
    await page.hover(button)
    assert await page.evaluate(DECORATION, button) == hovered == "underline"
    await page.mouse.move(0, 600)
    await page.focus(link)
    link_focus = await page.evaluate(FOCUS_STYLE)
    await page.focus(button)
    assert await page.evaluate(FOCUS_STYLE) == link_focus


async def test_sign_out_still_works_without_javascript(browser, server):
    context = await browser.new_context(base_url=server, java_script_enabled=False)
    page = await context.new_page()
    try:
        await sign_in_as(page, "cy", "nojs-signout@example.org", "nojs signout password", roles={"admin"})
        await page.get_by_role("button", name=t("cy", "Sign out")).click()
        await page.get_by_role("link", name=t("cy", "Sign in")).first.wait_for()
    finally:
        await context.close()


# --- The language of what the outbox and the audit log show ---------------------------------------


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_outbox_messages_carry_their_language(js_page, lang):
    from pb.outbox.actions import queue_email

    page = js_page
    await queue_email("cymraeg@example.org", "cy", "Reset your password", "emails/reset.txt", name="Ann", url="http://x/y")
    await queue_email("english@example.org", "en", "Reset your password", "emails/reset.txt", name="Bob", url="http://x/z")
    await sign_in_as(page, lang, f"outbox-admin-{lang}@example.org", "outbox admin password", roles={"admin"})
    await page.goto(f"/{lang}/admin/outbox")
    cards = await page.evaluate(
        """() => [...document.querySelectorAll('.govuk-summary-card')].map(card => ({
             to: card.querySelector('.govuk-summary-list__value').textContent.trim(),
             title: card.querySelector('.govuk-summary-card__title').closest('[lang]').lang,
             body: card.querySelector('.pb-pre-wrap').closest('[lang]').lang,
             subject: card.querySelector('.govuk-summary-card__title').textContent.trim()}))"""
    )
    by_recipient = {card["to"]: card for card in cards}
    assert by_recipient["cymraeg@example.org"]["title"] == "cy"
    assert by_recipient["cymraeg@example.org"]["body"] == "cy"
    assert by_recipient["cymraeg@example.org"]["subject"] == t("cy", "Reset your password")
    assert by_recipient["english@example.org"]["title"] == "en"
    assert by_recipient["english@example.org"]["body"] == "en"


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_audit_log_shows_words_in_the_page_language(client, lang):
    from pb.audit.actions import record

    await make_user(email="audit-admin@example.org", roles={"admin"})
    await sign_in(client, email="audit-admin@example.org", lang=lang)
    await record(1, "moderation.hidden", "comment:3", reason="spam", decision_id=4, restored=False)
    await record(1, "round.created", "round:2", title="Our Neighbourhood Fund", budget_pence=10_000_00)
    await record(1, "session.outcome_added", "session:5", outcome=6, kind="recommendation", proposals=[7, 8])
    await record(1, "session.updated", "session:5", changed=["capacity", "venue"], promoted=0)
    await record(1, "paper_batch.cancelled", "paper_batch:9", round=2, reason="Wrong box")
    html = (await client.get(f"/{lang}/admin/audit")).text
    assert t(lang, "Spam or advertising") in html
    assert '<span lang="en">Our Neighbourhood Fund</span>' in html
    assert t(lang, "Recommendation") in html
    assert f"{t(lang, 'Places')}, {t(lang, 'Place')}" in html  # which fields changed, named in the page's language
    assert "7, 8" in html
    assert "Wrong box" in html  # typed by an officer, shown as written
    for action in ("Session outcome added", "Session plan changed", "Content hidden by a moderator"):
        assert t(lang, action) in html
    assert "<code" not in html  # every recorded action has a name
