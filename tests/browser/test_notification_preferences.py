"""Choosing how emails come, in a real browser: both languages, JavaScript on and off, axe clean."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.conftest import make_user


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_choose_a_daily_digest_and_never(page, lang):
    from pb.accounts import notifications
    from pb.web.templating import t

    email = f"prefs-{lang}-{'js' if page.javascript_enabled else 'nojs'}@example.org"
    user = await make_user(email=email, language=lang)
    await page.goto(f"/{lang}/sign-in")
    await page.get_by_label(t(lang, "Email address")).fill(email)
    await page.get_by_label(t(lang, "Password")).fill("correct horse battery")
    await page.get_by_role("button", name=t(lang, "Sign in")).click()
    await page.wait_for_url(f"**/{lang}/")

    await page.goto(f"/{lang}/account")
    await page.get_by_role("link", name=t(lang, "Choose which emails you get")).click()
    await page.wait_for_url(f"**/{lang}/account/notifications")
    assert await page.get_by_role("heading", level=1).inner_text() == t(lang, "Emails you get")
    await assert_accessible(page, f"preferences {lang}")

    mine = page.get_by_role("group", name=t(lang, "My proposals"))
    await mine.get_by_label(t(lang, "In one email a day")).check()
    sessions = page.get_by_role("group", name=t(lang, "Community sessions"))
    await sessions.get_by_label(t(lang, "Never")).check()
    await page.get_by_role("button", name=t(lang, "Save choices")).click()
    await page.wait_for_url(f"**/{lang}/account/notifications?saved=1")
    assert t(lang, "Your choices have been saved.") in await page.locator(".govuk-notification-banner").inner_text()
    assert await mine.get_by_label(t(lang, "In one email a day")).is_checked()
    await assert_accessible(page, f"preferences saved {lang}")
    assert (await notifications.preferences_for(user))["my_proposals"] == "daily"
    assert (await notifications.preferences_for(user))["sessions"] == "never"
