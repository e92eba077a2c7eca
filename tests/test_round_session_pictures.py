"""Pictures on rounds (set by officers) and sessions (by their facilitator or an officer): alt text
in both languages required, shown full size on the item's page and as a thumbnail in its list,
audited, refused to anyone else, and the description changed without a new file."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_from, make_round, make_user, sign_in
from tests.deliberation.conftest import make_session
from tests.proposals.test_images import photo


async def _upload(client, path: str, data: dict, picture: bytes | None):
    form = await client.get(path)
    assert form.status_code == 200, form.status_code
    files = (
        {"picture": ("photo.jpg", picture, "image/jpeg")}
        if picture is not None
        else {"picture": ("", b"", "application/octet-stream")}
    )
    return await client.post(path, data={"_csrf_token": csrf_from(form.text), **data}, files=files)


async def test_an_officer_gives_a_round_a_picture_shown_on_its_page_and_in_the_list(client):
    from pb.audit.tables import AuditEvent
    from pb.rounds.tables import Round

    round_id, _ = await make_round()
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, email="officer@example.org")
    manage = await client.get(f"/en/manage/rounds/{round_id}")
    assert "Add a picture" in manage.text
    path = f"/en/manage/rounds/{round_id}/picture"

    # Bad input: no picture and no Welsh description; each message beside its field, English kept.
    response = await _upload(client, path, {"alt_en": "The river at dusk"}, None)
    assert response.status_code == 422
    assert 'id="picture-error"' in response.text and "Choose a picture" in response.text
    assert 'id="alt_cy-error"' in response.text
    assert "The river at dusk" in response.text
    response = await _upload(client, path, {"alt_en": "The river", "alt_cy": "Yr afon"}, b"not a picture")
    assert response.status_code == 422 and "The file must be a JPEG, PNG or WebP picture" in response.text

    response = await _upload(client, path, {"alt_en": "The river at dusk", "alt_cy": "Yr afon gyda'r hwyr"}, photo())
    assert response.status_code == 303, response.text[:1000]
    assert response.headers["location"].endswith("?picture=saved")
    row = await Round.select().where(Round.id == round_id).first()
    assert (row["picture_width"], row["picture_height"], row["picture_thumb_width"]) == (1600, 1067, 400)

    page = await client.get(f"/cy/rounds/{round_id}")
    assert f'src="/media/{row["picture_full"]}" width="1600" height="1067" alt="Yr afon gyda&#39;r hwyr"' in page.text
    listing = await client.get("/en/rounds")
    assert f'src="/media/{row["picture_thumb"]}" width="400" height="267" alt="The river at dusk"' in listing.text
    served = await client.get(f"/media/{row['picture_full']}")
    assert served.status_code == 200 and b"Exif" not in served.content

    # Only the description changes: the same files are kept.
    response = await _upload(client, path, {"alt_en": "The river", "alt_cy": "Yr afon"}, None)
    assert response.status_code == 303
    again = await Round.select().where(Round.id == round_id).first()
    assert again["picture_full"] == row["picture_full"] and again["picture_alt_en"] == "The river"

    form = await client.get(path)
    removed = await client.post(f"/en/manage/rounds/{round_id}/picture/remove", data={"_csrf_token": csrf_from(form.text)})
    assert removed.status_code == 303
    gone = await Round.select().where(Round.id == round_id).first()
    assert gone["picture_full"] == "" and gone["picture_alt_cy"] == ""
    assert "/media/" not in (await client.get(f"/en/rounds/{round_id}")).text
    actions = [e["action"] for e in await AuditEvent.select(AuditEvent.action).order_by(AuditEvent.id)]
    assert actions[-3:] == ["round.picture_set", "round.picture_alt_changed", "round.picture_removed"]
    log = await client.get("/cy/admin/audit")
    assert log.status_code in (200, 403)


async def test_a_resident_cannot_set_a_rounds_picture(client):
    round_id, _ = await make_round()
    await make_user()
    await sign_in(client)
    assert (await client.get(f"/en/manage/rounds/{round_id}/picture")).status_code == 403


async def test_the_facilitator_gives_their_session_a_picture_and_another_facilitator_cannot(client):
    from pb.deliberation.tables import DeliberationSession

    facilitator = await make_user(email="fac@example.org", roles={"facilitator"})
    await make_user(email="other@example.org", roles={"facilitator"})
    session_id = await make_session(facilitator)

    await sign_in(client, email="other@example.org")
    assert (await client.get(f"/en/manage/sessions/{session_id}/picture")).status_code == 403
    await client.post("/en/sign-out", data={})
    client.cookies.clear()

    await sign_in(client, email="fac@example.org")
    day = await client.get(f"/en/manage/sessions/{session_id}")
    assert "Add a picture" in day.text
    path = f"/cy/manage/sessions/{session_id}/picture"
    response = await _upload(client, path, {"alt_cy": "Neuadd y dref"}, photo(size=(800, 1200)))
    assert response.status_code == 422
    assert "Disgrifiwch" in response.text or 'id="alt_en-error"' in response.text
    response = await _upload(client, path, {"alt_cy": "Neuadd y dref", "alt_en": "The town hall"}, photo(size=(800, 1200)))
    assert response.status_code == 303, response.text[:1000]
    row = await DeliberationSession.select().where(DeliberationSession.id == session_id).first()
    assert (row["picture_width"], row["picture_height"]) == (800, 1200)
    assert (row["picture_thumb_width"], row["picture_thumb_height"]) == (267, 400)
    page = await client.get(f"/en/sessions/{session_id}")
    assert f'src="/media/{row["picture_full"]}" width="800" height="1200" alt="The town hall"' in page.text
    listing = await client.get("/cy/sessions")
    assert f'src="/media/{row["picture_thumb"]}" width="267" height="400" alt="Neuadd y dref"' in listing.text


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_the_picture_form_is_in_each_language(client, lang):
    round_id, _ = await make_round()
    await make_user(email="officer@example.org", roles={"officer"}, language=lang)
    await sign_in(client, email="officer@example.org", lang=lang)
    form = await client.get(f"/{lang}/manage/rounds/{round_id}/picture")
    assert form.status_code == 200
    assert ("Llun o&#39;r rownd" if lang == "cy" else "Picture of the round") in form.text


async def test_files_of_replaced_and_removed_pictures_are_deleted_once_unused_and_a_day_old(client, tmp_path):
    import os
    import time

    from pb.proposals.tables import ProposalImage
    from pb.rounds.tables import Round
    from pb.web import media
    from tests.conftest import run_pb_command

    round_id, _ = await make_round()
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, email="officer@example.org")
    path = f"/en/manage/rounds/{round_id}/picture"
    alt = {"alt_en": "A field", "alt_cy": "Cae"}
    assert (await _upload(client, path, alt, photo(colour=(10, 200, 10)))).status_code == 303
    first = await Round.select().where(Round.id == round_id).first()
    assert (await _upload(client, path, alt, photo(colour=(200, 10, 10)))).status_code == 303
    second = await Round.select().where(Round.id == round_id).first()
    old = {first["picture_full"], first["picture_thumb"]}
    kept = {second["picture_full"], second["picture_thumb"]}
    assert old.isdisjoint(kept)
    assert await ProposalImage.count() == 0

    # The replaced files are new: kept for a day in case a request is about to name them.
    assert await media.remove_unused() == 0
    day_ago = time.time() - 25 * 3600
    for name in old | kept:
        os.utime(media.media_dir() / name, (day_ago, day_ago))
    done = await run_pb_command("clean-media")
    assert done.returncode == 0, done.stderr
    assert "Unused picture files removed: 2." in done.stdout
    on_disk = {p.name for p in media.media_dir().iterdir()}
    assert kept <= on_disk and not (old & on_disk)
    assert (await client.get(f"/media/{second['picture_full']}")).status_code == 200
    assert (await client.get(f"/media/{first['picture_full']}")).status_code == 404


async def test_a_picture_uploaded_again_is_fresh_so_the_clean_does_not_take_it(client):
    import os
    import time

    from pb.web import media

    name = media.store(b"the same picture twice")
    day_ago = time.time() - 25 * 3600
    os.utime(media.media_dir() / name, (day_ago, day_ago))
    assert media.store(b"the same picture twice") == name  # stored again: its row is about to name it
    assert name not in {path.name for path in media.unused_files(set(), time.time(), media.MIN_AGE_SECONDS)}
