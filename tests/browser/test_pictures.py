"""Charts, progress bars and the proposals list in a real browser, in both languages, at a desktop width
(1280 px) and a small phone's (320 px): the results chart has a legend that does not rely on colour,
shows long project titles in full and keeps its text readable; the tracker shows its loop-closure
figure and each delivery's progress as bars with the figures in text, and what each decision decided;
a session's priorities have a bar chart beside their table; the proposals list is compact. No page
scrolls sideways, and axe-core finds nothing."""

from __future__ import annotations

import pytest

from pb.web.templating import t
from tests.browser.conftest import assert_accessible
from tests.conftest import restart_ids, seed_demo

WIDTHS = (1280, 320)
LONG_EN = "Wildflower meadows and pollinator-friendly planting along the whole of the old railway path"
LONG_CY = "Dolydd blodau gwyllt a phlannu sy'n gyfeillgar i beillwyr ar hyd holl lwybr yr hen reilffordd"
MIN_TEXT_PX = 12


async def demo() -> dict:
    """The demo (a counted round, sessions with priorities, decisions and delivery), with one project in
    the results and one in a session's priorities given a title far longer than the old chart's 26 characters."""
    from pb.deliberation.tables import OutcomeLink, SessionOutcome
    from pb.proposals.tables import Proposal
    from pb.rounds.demo import GREEN_SPACES, NEIGHBOURHOOD
    from pb.rounds.tables import Round
    from pb.voting.tables import ResultLine

    await restart_ids()
    await seed_demo("accounts", "rounds", "proposals", "voting", "deliberation", "tracker")
    counted = await Round.select(Round.id).where(Round.title_en == GREEN_SPACES[0]).first()
    neighbourhood = await Round.select(Round.id).where(Round.title_en == NEIGHBOURHOOD[0]).first()
    line = await ResultLine.select(ResultLine.proposal).where(ResultLine.funded == False).first()  # noqa: E712
    dots = (
        await SessionOutcome.select(SessionOutcome.id, SessionOutcome.session)
        .where((SessionOutcome.kind == "prioritisation") & (SessionOutcome.method == "dots"))
        .first()
    )
    ranked = await OutcomeLink.select(OutcomeLink.proposal).where(OutcomeLink.outcome == dots["id"]).first()
    for proposal in (line["proposal"], ranked["proposal"]):
        await Proposal.update({Proposal.title_en: LONG_EN, Proposal.title_cy: LONG_CY}).where(Proposal.id == proposal)
    return {"counted": counted["id"], "neighbourhood": neighbourhood["id"], "session": dots["session"]}


async def at_width(page, width: int, path: str) -> None:
    await page.set_viewport_size({"width": width, "height": 900})
    response = await page.goto(path)
    assert response.status == 200, path


async def no_sideways_scroll(page, label: str) -> None:
    widths = await page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{label} scrolls sideways: {widths}"


async def smallest_text(page, selector: str) -> float:
    """The smallest computed font size (px) of the text in the elements matching `selector`."""
    sizes = await page.eval_on_selector_all(
        selector,
        "els => els.flatMap(e => [e, ...e.querySelectorAll('*')])"
        ".filter(e => e.textContent.trim()).map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert sizes, f"nothing matches {selector}"
    return min(sizes)


async def check_page(page, path: str, lang: str, label: str, chart: str) -> None:
    """At each width: axe clean, no sideways scroll, the chart's text readable."""
    for width in WIDTHS:
        await at_width(page, width, path)
        await assert_accessible(page, f"{label} ({lang}, {width} px)")
        await no_sideways_scroll(page, f"{label} ({lang}, {width} px)")
        assert await smallest_text(page, chart) >= MIN_TEXT_PX, f"{label} ({lang}, {width} px)"


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_results_chart_has_a_legend_full_labels_and_readable_text(js_page, lang):
    ids = await demo()
    page = js_page
    path = f"/{lang}/rounds/{ids['counted']}/results"
    await check_page(page, path, lang, "results", ".pb-chart")
    for width in WIDTHS:
        await at_width(page, width, path)
        legend = page.locator(".pb-chart__legend").first
        assert await legend.is_visible()
        assert await legend.inner_text() == f"{t(lang, 'Funded')}\n{t(lang, 'Not funded')}"
        # Funded and not funded differ in pattern as well as colour, and each bar says which it is.
        keys = await page.eval_on_selector_all(
            ".pb-chart__legend .pb-chart__key", "els => els.map(e => getComputedStyle(e).backgroundImage)"
        )
        assert keys[0] == "none" and "gradient" in keys[1]
        long_title = LONG_CY if lang == "cy" else LONG_EN
        label = page.locator(".pb-chart__label", has_text=long_title)
        assert await label.count() == 1 and await label.inner_text() == long_title
        box = await label.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width  # wrapped, not cut or overflowing
        rows = page.locator(".pb-chart__row")
        tables = page.locator(f"table:has(th:text-is('{t(lang, 'Votes')}')) tbody tr")
        assert await rows.count() == await tables.count()
        for row in await rows.all():
            note = await row.locator(".pb-chart__note").inner_text()
            assert note in (t(lang, "Funded"), t(lang, "Not funded"))
            assert (await row.locator(".pb-chart__figure").inner_text()).replace(",", "").isdigit()
        widest = await page.eval_on_selector_all(
            ".pb-chart__row .pb-bar", "els => Math.max(...els.map(e => e.getBoundingClientRect().width))"
        )
        assert widest > 40  # the bars are drawn, even at 320 px
        assert await page.locator("svg").count() == 0


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_tracker_bars_and_decision_outcomes(js_page, lang):
    from pb.tracker.tables import Decision, Delivery

    ids = await demo()
    page = js_page
    decisions = await Decision.select().where(Decision.status == "published")
    deliveries = await Delivery.select()
    assert decisions and deliveries
    for path, label in (
        (f"/{lang}/you-said-we-did", "council-wide tracker"),
        (f"/{lang}/rounds/{ids['neighbourhood']}/you-said-we-did", "round tracker"),
    ):
        await check_page(
            page, path, lang, label, "#loop-heading ~ .govuk-grid-row, #delivery ~ .pb-table-scroll, #delivery ~ table"
        )
        for width in WIDTHS:
            await at_width(page, width, path)
            # The share answered: a bar as long as the share, with the figure in text beside it.
            percent = int(
                (await page.locator("#loop-heading ~ .govuk-grid-row .govuk-heading-xl").first.inner_text()).rstrip("%")
            )
            meter = page.locator("#loop-meter")
            track = await meter.bounding_box()
            fill = await meter.locator(".pb-bar").bounding_box()
            assert abs(fill["width"] / (track["width"] - 2) * 100 - percent) <= 1.5
            # Each delivery's progress: a bar beside its figure.
            cells = page.locator("#delivery ~ * td:has(.pb-meter), #delivery ~ table td:has(.pb-meter)")
            assert await cells.count() >= 1
            for cell in await cells.all():
                text = await cell.inner_text()
                assert text.strip().endswith("%")
            # Decision cards say what was decided, not only who decided and when.
            cards = page.locator("#decisions ~ .govuk-summary-card")
            texts = "\n".join(await cards.all_inner_texts())
            assert t(lang, "What was decided") in texts
            for decision in decisions:
                if decision["title_" + lang] in texts:
                    assert decision["body_" + lang] in texts
    # A delivery's own page: its progress as a bar beside the figure.
    delivery = deliveries[0]
    path = f"/{lang}/delivery/{delivery['id']}"
    await check_page(page, path, lang, "delivery", ".pb-meter__row")
    for width in WIDTHS:
        await at_width(page, width, path)
        row = page.locator(".pb-meter__row")
        assert (await row.inner_text()).strip() == f"{delivery['progress']}%"
        track = await row.locator(".pb-meter").bounding_box()
        fill = await row.locator(".pb-bar").bounding_box()
        assert abs(fill["width"] / (track["width"] - 2) * 100 - delivery["progress"]) <= 1.5


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_session_priorities_have_a_bar_chart_beside_the_table(js_page, lang):
    ids = await demo()
    page = js_page
    path = f"/{lang}/sessions/{ids['session']}"
    await check_page(page, path, lang, "session with priorities", ".pb-chart")
    for width in WIDTHS:
        await at_width(page, width, path)
        chart = page.locator("#outcomes ~ div .pb-chart").first
        rows = chart.locator(".pb-chart__row")
        table_rows = page.locator("#outcomes ~ div .pb-chart + * tbody tr, #outcomes ~ div .pb-chart + table tbody tr")
        assert await rows.count() == await table_rows.count() >= 2
        long_title = LONG_CY if lang == "cy" else LONG_EN
        assert await chart.locator(".pb-chart__label", has_text=long_title).inner_text() == long_title
        figures = [int(f) for f in await chart.locator(".pb-chart__figure").all_inner_texts()]
        assert figures == sorted(figures, reverse=True)  # in rank order
        bars = [(await bar.bounding_box())["width"] for bar in await chart.locator(".pb-bar").all()]
        assert bars == sorted(bars, reverse=True) and bars[0] > 0


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_proposals_list_is_compact_and_filters(js_page, lang):
    ids = await demo()
    page = js_page
    path = f"/{lang}/rounds/{ids['neighbourhood']}/proposals?status=all"
    await check_page(page, path, lang, "proposals list", "#results")
    await at_width(page, 1280, path)
    cards = page.locator("#results .pb-card")
    count = await cards.count()
    assert count >= 10
    height = await page.evaluate("document.documentElement.scrollHeight")
    assert height < 2500, f"the list of {count} proposals is {height} px tall"
    # Every fact is still there for each proposal: title link, status, area, cost, supporters.
    for card in await cards.all():
        assert await card.locator("h2 a").count() == 1
        assert await card.locator(".govuk-tag").count() == 1
        facts = await card.locator("dt").all_inner_texts()
        assert facts[:3] == [f"{t(lang, name)}:" for name in ("Area", "Cost", "Supporters")]
    # Filtering by area still replaces the list in place.
    await page.select_option("#area", index=1)
    await page.wait_for_url("**area=*")
    for _ in range(50):
        if await cards.count() < count:
            break
        await page.wait_for_timeout(100)
    assert 0 < await cards.count() < count
    await assert_accessible(page, f"filtered proposals ({lang})")
