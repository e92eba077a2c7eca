"""axe-core over every page reachable from the home page, and every form's error state, in both
languages, for a visitor and for a signed-in admin (who can reach every page). Zero violations."""

import re
from urllib.parse import urlsplit

import pytest

from pb.web.templating import t
from tests.browser.conftest import assert_accessible, axe_violations, outbox_link
from tests.browser.reflow import EVERY_ROUND, NARROW, reflow_problems, seed_everything
from tests.conftest import make_user

MAX_PAGES = 200
PER_PATTERN = 2  # pages of one shape (say /proposals/{id}) checked; the rest share their template


def pattern(path: str) -> str:
    return re.sub(r"/\d+", "/{id}", path.split("?")[0]) + ("?" if "?" in path else "")


async def crawl(page, start: str, lang: str, reflow: dict | None = None) -> dict[str, list]:
    """Breadth-first over same-site links under /{lang}/; returns axe violations per page. With a
    `reflow` dict, each page is also laid out at 320 CSS px and its reflow problems put there."""
    seen, queue, results, shapes = set(), [start], {}, {}
    while queue and len(results) < MAX_PAGES:
        path = queue.pop(0)
        shape = pattern(path)
        if path in seen or "/sign-out" in path or shapes.get(shape, 0) >= _limit(shape):
            continue  # pages of a shape already read share their template: they do not count
        seen.add(path)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = await page.goto(path)
        assert response.status < 500, f"{path} answered {response.status}"
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        results[path] = await axe_violations(page)
        if reflow is not None:
            wide = page.viewport_size
            await page.set_viewport_size(NARROW)
            reflow[path] = await reflow_problems(page)
            await page.set_viewport_size(wide)
        for href in await page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            parts = urlsplit(href)
            if (
                parts.netloc
                or not parts.path.startswith(f"/{lang}/")
                or "." in parts.path.rsplit("/", 1)[-1]
                or parts.path.endswith("/csv")
            ):
                continue  # another site, another language, or a file to download (calendar, CSV)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen and shapes.get(pattern(target), 0) < _limit(pattern(target)):
                queue.append(target)
    return results


def _limit(shape: str) -> int:
    return EVERY_ROUND if "/rounds/{id}" in shape else PER_PATTERN


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_every_public_page_passes_axe_and_reflows_at_320px(js_page, lang):
    await seed_everything()
    reflow: dict[str, list] = {}
    results = await crawl(js_page, f"/{lang}/", lang, reflow)
    for shape in ("/rounds/{id}/results", "/rounds/{id}/ballots", "/rounds/{id}/results/{id}/notice"):
        assert any(pattern(p) == f"/{lang}{shape}" for p in results), (shape, sorted(results))
    assert not {path: found for path, found in reflow.items() if found}
    assert any(pattern(p) == f"/{lang}/proposals/{{id}}" for p in results), results.keys()
    assert any(pattern(p) == f"/{lang}/rounds/{{id}}/proposals" for p in results), results.keys()
    for shape in ("/you-said-we-did", "/decisions/{id}", "/delivery/{id}", "/rounds/{id}/you-said-we-did"):
        assert any(pattern(p) == f"/{lang}{shape}" for p in results), (shape, sorted(results))
    expected = {
        f"/{lang}/{p}" for p in ("", "sign-in", "register", "accessibility", "privacy", "community-guidelines", "password-reset")
    }
    assert expected <= results.keys(), results.keys()
    failing = {path: found for path, found in results.items() if found}
    assert not failing, failing


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_every_page_an_admin_reaches_passes_axe_and_reflows_at_320px(js_page, lang):
    await make_user(email="sweep-admin@example.org", password="sweep admin password", roles={"admin"})
    page = js_page
    await page.goto(f"/{lang}/sign-in")
    await page.fill("#email", "sweep-admin@example.org")
    await page.fill("#password", "sweep admin password")
    await page.click("main button[type=submit]")
    await page.wait_for_url(f"**/{lang}/")
    await seed_everything()
    # Some mail in the outbox, so the outbox page shows messages.
    from pb.outbox.actions import queue_email

    await queue_email("someone@example.org", lang, "Reset your password", "emails/reset.txt", name="A", url="http://x/y")
    reflow: dict[str, list] = {}
    results = await crawl(page, f"/{lang}/", lang, reflow)
    assert not {path: found for path, found in reflow.items() if found}
    assert any("/admin/users/" in path for path in results), results.keys()
    assert f"/{lang}/account/password" in results
    shapes = {pattern(p) for p in results}
    for expected in (
        "/admin/audit",
        "/admin/users",
        "/manage/rounds/{id}/codes/{id}/sheet",
        "/manage/sessions/{id}/pack",
        "/moderation",
        "/moderation/log",
        "/manage/rounds",
        "/manage/rounds/{id}",
        "/manage/rounds/{id}/proposals",
        "/manage/proposals/{id}",
        "/manage/rounds/{id}/edit",
        "/manage/rounds/{id}/participation",
        "/manage/rounds/new",
        "/manage/rounds/{id}/phase?",
        "/manage/decisions",
        "/manage/decisions/{id}",
        "/manage/decisions/new",
        "/manage/delivery/{id}",
        "/manage/delivery/new",
    ):
        assert f"/{lang}{expected}" in shapes, (expected, sorted(shapes))
    failing = {path: found for path, found in results.items() if found}
    assert not failing, failing


ERROR_FORMS = [
    ("/register", {}),
    ("/register", {"#email": "not an email", "#password": "short"}),
    ("/sign-in", {}),
    ("/sign-in", {"#email": "nobody@example.org", "#password": "wrong password"}),
    ("/password-reset", {"#email": "bad"}),
]


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize(("path", "fields"), ERROR_FORMS)
async def test_form_error_states_pass_axe(js_page, lang, path, fields):
    page = js_page
    await page.goto(f"/{lang}{path}")
    for selector, value in fields.items():
        await page.fill(selector, value)
    await page.click("main form[method=post] button[type=submit] >> nth=0")
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, f"{lang}{path} error state")


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_pages_behind_email_links_and_their_errors_pass_axe(js_page, lang):
    await make_user(email="links@example.org", password="links password 1", language=lang, verified=False)
    page = js_page
    # The reset form and its error state.
    await page.goto(f"/{lang}/password-reset")
    await page.fill("#email", "links@example.org")
    await page.click("main button[type=submit]")
    link = await outbox_link("links@example.org")
    await page.goto(link)
    await assert_accessible(page, "reset form")
    await page.fill("#password", "short")
    await page.click("main button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "reset form error state")
    # The change-password error state and the invalid-link pages.
    await page.goto(f"/{lang}/confirm-email/not-a-token")
    await assert_accessible(page, "invalid link page")
    await page.goto(f"/{lang}/no-such-page")
    await assert_accessible(page, "404 page")


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_signed_in_form_error_states_pass_axe(js_page, lang):
    await make_user(email="forms@example.org", password="forms password 1")
    page = js_page
    await page.goto(f"/{lang}/sign-in")
    await page.fill("#email", "forms@example.org")
    await page.fill("#password", "forms password 1")
    await page.click("main button[type=submit]")
    await page.wait_for_url(f"**/{lang}/")
    await page.goto(f"/{lang}/account/password")
    await page.click("main form[method=post] button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "change password error state")
    # 403 page for a resident.
    await page.goto(f"/{lang}/admin")
    await assert_accessible(page, "403 page")


async def sign_in_as(page, lang, email, password, roles=frozenset()):
    await make_user(email=email, password=password, roles=roles)
    await page.goto(f"/{lang}/sign-in")
    await page.fill("#email", email)
    await page.fill("#password", password)
    await page.click("main button[type=submit]")
    await page.wait_for_url(f"**/{lang}/")


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_proposal_pages_and_their_error_states_pass_axe(js_page, lang):
    from tests.conftest import make_proposal, make_round

    page = js_page
    round_id, areas = await make_round()
    await sign_in_as(page, lang, "proposer@example.org", "proposer password")
    other = await make_proposal(round_id, areas[0], (await make_user(email="other@example.org")))
    await page.goto(f"/{lang}/rounds/{round_id}/propose")
    await assert_accessible(page, "proposal form")
    await page.click("button[value=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "proposal form error state")
    await page.goto(f"/{lang}/proposals/{other}")
    await page.click("#comments ~ form button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "comment error state")
    await page.goto(f"/{lang}/proposals/{other}")
    await page.fill("#body", "A comment I can still edit")
    await page.click("#comments ~ form button[type=submit]")
    await page.wait_for_url(f"**/proposals/{other}#comment-*")
    await assert_accessible(page, "proposal with a comment")
    await page.goto(await page.locator("a[href*='/comments/']").first.get_attribute("href"))
    await page.fill("#body", "")
    await page.click("main button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "comment edit error state")


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_officer_forms_error_states_pass_axe(js_page, lang):
    from tests.conftest import make_proposal, make_round

    page = js_page
    round_id, areas = await make_round(phase="review")
    proposal = await make_proposal(round_id, areas[0], await make_user(email="author@example.org"))
    await sign_in_as(page, lang, "officer2@example.org", "officer password", roles={"officer"})
    await page.goto(f"/{lang}/manage/rounds/new")
    await page.click("main form button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "round form error state")
    await page.goto(f"/{lang}/manage/rounds/{round_id}/phase?to=shortlist")
    await page.click("main form button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "phase change error state")
    await page.goto(f"/{lang}/manage/proposals/{proposal}")
    await page.click("#decision ~ form button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "review decision error state")
    await page.goto(f"/{lang}/manage/proposals/{proposal}")
    await page.click("#cost ~ form button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "cost revision error state")


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_tracker_forms_error_states_pass_axe(js_page, lang):
    from pb.tracker.tables import Delivery

    page = js_page
    await sign_in_as(page, lang, "tracker-officer@example.org", "officer password", roles={"officer"})
    await page.goto(f"/{lang}/manage/decisions/new")
    await page.click("main form button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "decision form error state")
    # A well-being goal not on the list (a tampered form) is refused beside the goals, typed text kept.
    await page.fill("#impact_welsh_en", "Bilingual signs.")
    await page.locator("input[name=wellbeing_goals][value=resilient]").evaluate(
        "box => { box.value = 'wealthy'; box.checked = true; }"
    )
    await page.click("main form button[type=submit]")
    await page.wait_for_selector("#wellbeing_goals-error")
    assert t(lang, "Choose well-being goals from the list") in await page.locator("#wellbeing_goals-error").inner_text()
    assert await page.locator("#impact_welsh_en").input_value() == "Bilingual signs."
    await assert_accessible(page, "decision form impact assessment error state")
    await page.goto(f"/{lang}/manage/delivery/new")
    await page.click("main form button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "delivery form error state")
    row = Delivery(title_en="Play area", title_cy="Ardal chwarae")
    await Delivery.insert(row)
    await page.goto(f"/{lang}/manage/delivery/{row.id}")
    await page.click("main form button[type=submit]")
    await page.wait_for_selector(".govuk-error-summary")
    await assert_accessible(page, "delivery update error state")
