"""Pictures on proposals: the author (or an officer) adds one with alt text in each language the
proposal has, replaces it and removes it; anyone else is refused; the picture is served from
/media/ under its content hash with a year's caching, and shown on the page and in the list."""

from __future__ import annotations

import io
import re

from PIL import Image

from tests.conftest import csrf_from, make_proposal, make_round, make_user, sign_in


def photo(colour=(30, 120, 200), size=(2400, 1600)) -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 28.0, 52.0)}  # a GPS position
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", exif=exif)
    return out.getvalue()


async def upload(client, lang, proposal_id, data: dict, picture: bytes | None, filename="photo.jpg"):
    form = await client.get(f"/{lang}/proposals/{proposal_id}/picture")
    assert form.status_code == 200, form.status_code
    files = (
        {"picture": (filename, picture, "image/jpeg")}
        if picture is not None
        else {"picture": ("", b"", "application/octet-stream")}
    )
    return await client.post(
        f"/{lang}/proposals/{proposal_id}/picture", data={"_csrf_token": csrf_from(form.text), **data}, files=files
    )


async def setup(title_cy=""):
    round_id, (area, _) = await make_round()
    author = await make_user()
    proposal_id = await make_proposal(round_id, area, author, title_cy=title_cy)
    return round_id, proposal_id


async def test_author_adds_a_picture_with_alt_text_in_each_language(client):
    from pb.proposals.tables import ProposalImage

    round_id, proposal_id = await setup(title_cy="Ardal chwarae newydd")
    await sign_in(client)
    page = await client.get(f"/en/proposals/{proposal_id}")
    assert "Add a picture" in page.text

    # Without the Welsh description: refused, the message beside the field, the English kept.
    response = await upload(client, "en", proposal_id, {"alt_en": "A blue square"}, photo())
    assert response.status_code == 422
    assert "Describe the picture in Welsh for people who cannot see it" in response.text
    assert 'id="alt_cy-error"' in response.text
    assert "A blue square" in response.text
    assert await ProposalImage.count() == 0

    response = await upload(client, "en", proposal_id, {"alt_en": "A blue square", "alt_cy": "Sgwâr glas"}, photo())
    assert response.status_code == 303, response.text[:2000]
    row = await ProposalImage.select().first()
    assert (row["width"], row["height"], row["thumb_width"], row["thumb_height"]) == (1600, 1067, 400, 267)
    assert re.fullmatch(r"[0-9a-f]{64}\.jpg", row["full_name"])

    page = await client.get(f"/cy/proposals/{proposal_id}")
    assert f'src="/media/{row["full_name"]}" width="1600" height="1067" alt="Sgwâr glas" lang="cy"' in page.text
    listing = await client.get(f"/en/rounds/{round_id}/proposals")
    assert f'src="/media/{row["thumb_name"]}" width="400" height="267" alt="A blue square" lang="en"' in listing.text

    served = await client.get(f"/media/{row['full_name']}")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert b"Exif" not in served.content
    assert dict(Image.open(io.BytesIO(served.content)).getexif()) == {}


async def test_english_only_proposal_needs_english_alt_only_and_falls_back_in_welsh(client):
    _, proposal_id = await setup()
    await sign_in(client)
    response = await upload(client, "cy", proposal_id, {}, photo())
    assert response.status_code == 422
    assert 'id="alt_en-error"' in response.text and 'id="alt_cy"' not in response.text
    response = await upload(client, "cy", proposal_id, {"alt_en": "A play area"}, photo())
    assert response.status_code == 303
    page = await client.get(f"/cy/proposals/{proposal_id}")
    assert 'alt="A play area" lang="en"' in page.text


async def test_bad_files_are_refused_with_the_message_beside_the_field(client):
    from pb.proposals.tables import ProposalImage

    _, proposal_id = await setup()
    await sign_in(client)
    for data, message in (
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "The file must be a JPEG, PNG or WebP picture"),
        (photo()[:3000], "The picture could not be read: it may be damaged"),
        (None, "Choose a picture"),
    ):
        response = await upload(client, "en", proposal_id, {"alt_en": "Kept text"}, data)
        assert response.status_code == 422
        assert message in response.text and 'id="picture-error"' in response.text
        assert "Kept text" in response.text
    assert await ProposalImage.count() == 0


async def test_replace_change_alt_and_remove(client):
    from pb.audit.tables import AuditEvent
    from pb.proposals.tables import ProposalImage

    _, proposal_id = await setup()
    await sign_in(client)
    assert (await upload(client, "en", proposal_id, {"alt_en": "Blue"}, photo())).status_code == 303
    first = await ProposalImage.select().first()
    assert (await upload(client, "en", proposal_id, {"alt_en": "Red"}, photo((200, 0, 0)))).status_code == 303
    rows = await ProposalImage.select()
    assert len(rows) == 1 and rows[0]["full_name"] != first["full_name"] and rows[0]["alt_en"] == "Red"
    # No new file: only the description changes.
    assert (await upload(client, "en", proposal_id, {"alt_en": "Bright red"}, None)).status_code == 303
    rows = await ProposalImage.select()
    assert rows[0]["alt_en"] == "Bright red" and rows[0]["full_name"] != first["full_name"]

    form = await client.get(f"/en/proposals/{proposal_id}/picture")
    response = await client.post(f"/en/proposals/{proposal_id}/picture/remove", data={"_csrf_token": csrf_from(form.text)})
    assert response.status_code == 303
    assert await ProposalImage.count() == 0
    logged = {e["action"] for e in await AuditEvent.select(AuditEvent.action)}
    assert {"proposal.image_set", "proposal.image_alt_changed", "proposal.image_removed"} <= logged


async def test_only_the_author_or_an_officer(client):
    from pb.proposals.tables import ProposalImage

    _, proposal_id = await setup()
    await make_user(email="other@example.org")
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "other@example.org")
    assert (await client.get(f"/en/proposals/{proposal_id}/picture")).status_code == 403
    page = await client.get(f"/en/proposals/{proposal_id}")
    assert "Add a picture" not in page.text
    token = csrf_from(page.text)
    response = await client.post(
        f"/en/proposals/{proposal_id}/picture",
        data={"_csrf_token": token, "alt_en": "Mine now"},
        files={"picture": ("a.jpg", photo(), "image/jpeg")},
    )
    assert response.status_code == 403
    response = await client.post(f"/en/proposals/{proposal_id}/picture/remove", data={"_csrf_token": token})
    assert response.status_code == 403

    await client.post("/en/sign-out", data={"_csrf_token": token})
    client.cookies.clear()
    await sign_in(client, "officer@example.org")
    assert (await upload(client, "en", proposal_id, {"alt_en": "Added by the council"}, photo())).status_code == 303
    assert await ProposalImage.count() == 1


async def test_signed_out_cannot_upload(client):
    _, proposal_id = await setup()
    response = await client.get(f"/en/proposals/{proposal_id}/picture")
    assert response.status_code in (302, 303, 401)


async def test_media_names_are_strict(client):
    from pb.web import media

    name = media.store(b"not really a picture")
    assert (await client.get(f"/media/{name}")).status_code == 200
    for bad in (
        "../secret_key",
        "..%2F..%2Fpb.sqlite",
        "%2e%2e%2fsecret",
        name.upper(),
        name[:-4] + ".png",
        name[:-4],
        "0" * 64 + ".jpg",
        name + "x",
    ):
        response = await client.get(f"/media/{bad}")
        assert response.status_code == 404, bad
        assert response.headers.get("cache-control") != media.CACHE


def test_store_is_atomic_and_content_addressed(tmp_path, monkeypatch):
    from pb.config import get_settings, set_settings
    from pb.web import media

    settings = get_settings()
    from dataclasses import replace

    set_settings(replace(settings, media_dir=tmp_path / "m"))
    try:
        first = media.store(b"abc")
        assert media.store(b"abc") == first
        assert sorted(p.name for p in (tmp_path / "m").iterdir()) == [first]
        assert media.read(first) == b"abc"
        assert media.read("../" + first) is None
    finally:
        set_settings(settings)


async def test_author_cannot_change_the_picture_once_review_starts_but_an_officer_can(client):
    round_id, (area, _) = await make_round(phase="review")
    author = await make_user()
    proposal_id = await make_proposal(round_id, area, author, status="under_review")
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client)
    page = await client.get(f"/en/proposals/{proposal_id}")
    assert "Add a picture" not in page.text
    assert (await client.get(f"/en/proposals/{proposal_id}/picture")).status_code == 409
    response = await client.post(
        f"/en/proposals/{proposal_id}/picture",
        data={"_csrf_token": csrf_from(page.text), "alt_en": "Late"},
        files={"picture": ("a.jpg", photo(), "image/jpeg")},
    )
    assert response.status_code == 409
    await client.post("/en/sign-out", data={"_csrf_token": csrf_from(page.text)})
    client.cookies.clear()
    await sign_in(client, "officer@example.org")
    assert "Add a picture" in (await client.get(f"/en/proposals/{proposal_id}")).text
    assert (await upload(client, "en", proposal_id, {"alt_en": "From the council"}, photo())).status_code == 303
