"""Register -> confirm -> sign in -> sign out in a real browser: both languages, JavaScript on and
off, and by keyboard alone."""

import pytest

from tests.browser.conftest import assert_accessible, outbox_link

WORDS = {
    "en": {"create": "Create account", "confirm": "Confirm email address", "sign_in": "Sign in", "sign_out": "Sign out"},
}


async def label_text(page, lang: str, message: str) -> str:
    from pb.web.templating import t

    return t(lang, message)


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_register_confirm_sign_in_sign_out(page, lang):
    from pb.web.templating import t

    email = f"journey-{lang}-{'js' if page.javascript_enabled else 'nojs'}@example.org"
    await page.goto(f"/{lang}/register")
    await page.get_by_label(t(lang, "Full name")).fill("Gwen Price")
    await page.get_by_label(t(lang, "Email address")).fill(email)
    await page.get_by_label(t(lang, "Create a password")).fill("a good long password")
    await page.get_by_label(t(lang, "Confirm your password")).fill("a good long password")
    await page.get_by_label("Cymraeg").check()
    await page.get_by_role("button", name=t(lang, "Create account")).click()
    await page.wait_for_url(f"**/{lang}/register/check-email")
    assert await page.get_by_role("heading", level=1).inner_text() == t(lang, "Check your email")

    link = await outbox_link(email)
    assert link.startswith("/cy/confirm-email/")  # the email is in the language the person chose
    await page.goto(link)
    await page.get_by_role("button", name=t("cy", "Confirm email address")).click()
    await page.wait_for_url("**/cy/sign-in?confirmed=1")

    await page.get_by_label(t("cy", "Email address")).fill(email)
    await page.get_by_label(t("cy", "Password")).fill("a good long password")
    await page.get_by_role("button", name=t("cy", "Sign in")).click()
    await page.wait_for_url("**/cy/")
    assert await page.get_by_role("button", name=t("cy", "Sign out")).is_visible()

    await page.get_by_role("button", name=t("cy", "Sign out")).click()
    await page.wait_for_url("**/cy/?signed_out=1")
    assert await page.get_by_role("link", name=t("cy", "Sign in")).count() >= 1


async def test_sign_in_errors_show_beside_the_field(page):
    await page.goto("/en/sign-in")
    await page.get_by_label("Email address").fill("not-an-email")
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_selector("#email-error")
    assert "correct format" in await page.locator("#email-error").inner_text()
    assert await page.get_by_label("Email address").input_value() == "not-an-email"
    assert (await page.title()).startswith("Error:")


async def test_keyboard_only_sign_in_and_out(js_page):
    from tests.conftest import make_user

    await make_user(email="keys@example.org", password="keyboard password 1")
    page = js_page
    await page.goto("/en/sign-in")
    await page.keyboard.press("Tab")  # the skip link comes first
    focused = await page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    await page.keyboard.press("Enter")
    # From the main content, Tab reaches the email field, then the password field.
    for _ in range(10):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.id") == "email":
            break
    assert await page.evaluate("document.activeElement.id") == "email"
    await page.keyboard.type("keys@example.org")
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.id") == "password"
    await page.keyboard.type("keyboard password 1")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/en/")
    # Sign out by keyboard: tab until the Sign out button has focus.
    for _ in range(20):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.textContent.trim()") == "Sign out":
            break
    assert await page.evaluate("document.activeElement.textContent.trim()") == "Sign out"
    outline = await page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + getComputedStyle(document.activeElement).boxShadow"
    )
    assert outline != "none" + "none"  # a visible focus indicator
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/en/?signed_out=1")


async def test_page_works_at_320_pixels(js_page):
    page = js_page
    await page.set_viewport_size({"width": 320, "height": 640})
    await page.goto("/cy/register")
    overflow = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"horizontal scrolling at 320px: {overflow}px"
    await assert_accessible(page, "register at 320px")
