"""Reflow (WCAG 1.4.10): at 320 CSS px wide no page scrolls sideways. The accessibility sweep checks
every page a visitor and an admin reach at 320 px as it crawls them (tests/browser/reflow.py); here,
the audit log at 200 % zoom of 1280 px, and every table of the templates in its own labelled,
focusable scroll region."""

import pytest

from tests.browser.reflow import NARROW, ZOOMED, reflow_problems, seed_everything
from tests.browser.test_accessibility_sweep import sign_in_as


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_the_audit_log_reflows_at_200_percent_zoom(js_page, lang):
    page = js_page
    await seed_everything()
    await sign_in_as(page, lang, "reflow-auditor@example.org", "reflow admin password", roles={"admin"})
    for viewport in (ZOOMED, NARROW):
        await page.set_viewport_size(viewport)
        await page.goto(f"/{lang}/admin/audit")
        assert await page.locator("table tbody tr").count() > 1
        assert await reflow_problems(page) == [], viewport
        # The region takes keyboard focus, and shows it.
        region = page.locator(".pb-table-scroll").first
        await region.focus()
        assert await region.evaluate("el => document.activeElement === el")
        assert await region.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"


@pytest.mark.pure
def test_every_table_in_the_templates_is_in_a_scroll_region():
    """Tables the crawl cannot reach (those shown after a form is posted) are wrapped too: each
    <table> of pb/templates opens inside tables.scroll, named by its caption's id."""
    import re
    from pathlib import Path

    templates = Path(__file__).parent.parent.parent / "pb" / "templates"
    unwrapped = []
    for path in sorted(templates.rglob("*.html")):
        text = path.read_text()
        for match in re.finditer(r"<table\b", text):
            before = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
            after = text[match.end() : text.find("</caption>", match.end())]
            call = re.search(r"tables\.scroll\((.*)\) %\}\s*$", before)
            if not call:
                unwrapped.append(f"{path.relative_to(templates)}: a table outside tables.scroll")
            elif "label=" not in call.group(1) and '<caption id="' not in after:
                unwrapped.append(f"{path.relative_to(templates)}: a region named by a caption without an id")
    assert not unwrapped, unwrapped
