"""A picture on a proposal in a real browser, in both languages, with JavaScript on and off: the
author uploads one without describing it and is told beside the field (what they typed kept), then
describes it in both languages; the picture is on the proposal's page and its thumbnail in the list,
without layout shift (width and height), no page scrolls sideways at 320 px, and axe finds nothing."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from pb.proposals.tables import ProposalImage
from pb.web.templating import t
from tests.browser.conftest import assert_accessible
from tests.browser.test_accessibility_sweep import sign_in_as
from tests.conftest import make_proposal, make_round


def drawing() -> bytes:
    picture = Image.new("RGB", (1800, 1200), (135, 196, 235))
    ImageDraw.Draw(picture).rectangle((0, 800, 1800, 1200), fill=(82, 160, 70))
    out = io.BytesIO()
    picture.save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_author_adds_a_picture_with_a_description(page, lang):
    mode = "js" if page.javascript_enabled else "nojs"
    email = f"picture-{lang}-{mode}@example.org"
    round_id, areas = await make_round(title_en=f"Picture fund {lang} {mode}")
    await sign_in_as(page, lang, email, "picture password")
    from pb.accounts.tables import User

    author = (await User.select(User.id).where(User.email == email).first())["id"]
    proposal_id = await make_proposal(round_id, areas[0], author, title_en="Riverside meadow", title_cy="Dôl glan yr afon")

    await page.goto(f"/{lang}/proposals/{proposal_id}")
    await page.get_by_role("link", name=t(lang, "Add a picture")).click()
    await page.wait_for_url(f"**/proposals/{proposal_id}/picture")
    upload = {"name": "meadow.jpg", "mimeType": "image/jpeg", "buffer": drawing()}
    await page.get_by_label(t(lang, "Picture"), exact=True).set_input_files(upload)
    await page.get_by_label(t(lang, "Description of the picture (English)")).fill("A green meadow under a blue sky")
    await page.get_by_role("button", name=t(lang, "Save the picture")).click()

    # The Welsh description is missing: the message beside its field, the English kept.
    error = page.locator("#alt_cy-error")
    await error.wait_for()
    assert t(lang, "Describe the picture in Welsh for people who cannot see it") in await error.inner_text()
    assert await page.get_by_label(t(lang, "Description of the picture (English)")).input_value() == (
        "A green meadow under a blue sky"
    )
    assert await ProposalImage.count().where(ProposalImage.proposal == proposal_id) == 0
    await assert_accessible(page, f"picture form with an error ({lang})")

    await page.get_by_label(t(lang, "Picture"), exact=True).set_input_files(upload)  # a file input is never kept
    await page.get_by_label(t(lang, "Description of the picture (Welsh)")).fill("Dôl werdd o dan awyr las")
    await page.get_by_role("button", name=t(lang, "Save the picture")).click()
    await page.wait_for_url(f"**/proposals/{proposal_id}?picture=saved")

    expected_alt = "Dôl werdd o dan awyr las" if lang == "cy" else "A green meadow under a blue sky"
    picture = page.locator("main img.pb-picture__image")
    assert await picture.get_attribute("alt") == expected_alt
    assert (await picture.get_attribute("width"), await picture.get_attribute("height")) == ("1600", "1067")
    assert await picture.evaluate("img => img.complete && img.naturalWidth") == 1600
    await assert_accessible(page, f"proposal with a picture ({lang})")

    await page.set_viewport_size({"width": 320, "height": 800})
    await page.goto(f"/{lang}/rounds/{round_id}/proposals")
    thumb = page.locator("#results img.pb-card__thumb")
    assert await thumb.get_attribute("alt") == expected_alt
    assert await thumb.get_attribute("width") == "400"
    assert await thumb.evaluate("img => img.getBoundingClientRect().width") <= 100
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    await assert_accessible(page, f"proposals list with a thumbnail at 320 px ({lang})")
