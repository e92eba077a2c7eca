"""Notification preferences and daily digests: immediately, daily or never, per kind; one digest a
person a day in their language; one-click unsubscribe still works from a digest."""

import asyncio
from datetime import date

from bs4 import BeautifulSoup

from pb.accounts import notifications
from pb.accounts.tables import DigestItem, DigestSent
from pb.proposals import actions as proposal_actions
from tests.conftest import make_proposal, make_round, make_user, outbox_messages, sign_in, submit


async def _author_and_changes(language="en", changes=1):
    round_id, areas = await make_round(phase="review")
    officer = await make_user(email="officer@example.org", roles={"officer"})
    author = await make_user(email="author@example.org", name="Ann", language=language)
    proposal = await make_proposal(round_id, areas[0], author, status="submitted", title_cy="Ardal chwarae newydd")
    return officer, author, proposal, round_id, areas


async def test_immediately_is_the_default_and_sends_at_once():
    officer, author, proposal, *_ = await _author_and_changes()
    await proposal_actions.change_status(officer, proposal, "under_review")
    emails = [e for e in await outbox_messages() if e["recipient"] == "author@example.org"]
    assert len(emails) == 1
    assert "/en/account/notifications" in emails[0]["body"]
    assert await DigestItem.count() == 0


async def test_never_sends_nothing_and_daily_holds_it_for_the_digest():
    officer, author, proposal, *_ = await _author_and_changes()
    await notifications.set_preferences(author, {"my_proposals": "never"})
    await proposal_actions.change_status(officer, proposal, "under_review")
    assert [e for e in await outbox_messages() if e["recipient"] == "author@example.org"] == []
    assert await DigestItem.count() == 0

    await notifications.set_preferences(author, {"my_proposals": "daily"})
    await proposal_actions.change_status(officer, proposal, "eligible")
    assert [e for e in await outbox_messages() if e["recipient"] == "author@example.org"] == []
    assert await DigestItem.count() == 1
    assert await notifications.send_digests(date(2026, 12, 4)) == 1
    emails = [e for e in await outbox_messages() if e["recipient"] == "author@example.org"]
    assert len(emails) == 1 and "A new play area" in emails[0]["body"]
    assert await DigestItem.count() == 0


async def test_a_digest_of_three_items_is_one_email_in_welsh():
    officer, author, proposal, *_ = await _author_and_changes(language="cy")
    await notifications.set_preferences(author, {"my_proposals": "daily"})
    await proposal_actions.change_status(officer, proposal, "under_review")
    await proposal_actions.change_status(officer, proposal, "eligible")
    await proposal_actions.change_status(officer, proposal, "shortlisted")
    assert await DigestItem.count() == 3
    assert await notifications.send_digests(date(2026, 12, 4)) == 1
    (email,) = [e for e in await outbox_messages() if e["recipient"] == "author@example.org"]
    assert email["language"] == "cy"
    assert email["subject"] == "Eich crynodeb dyddiol o newyddion"
    assert email["body"].count("Ardal chwarae newydd") >= 3
    assert "/cy/account/notifications" in email["body"]
    # Another run the same day sends nothing more; new items wait for tomorrow.
    await DigestItem.insert(DigestItem(user=author, kind="my_proposals", subject="Newyddion", body="Rhywbeth newydd"))
    assert await notifications.send_digests(date(2026, 12, 4)) == 0
    assert await notifications.send_digests(date(2026, 12, 5)) == 1


async def test_two_concurrent_digest_runs_send_one_email():
    officer, author, proposal, *_ = await _author_and_changes()
    await notifications.set_preferences(author, {"my_proposals": "daily"})
    await proposal_actions.change_status(officer, proposal, "under_review")
    results = await asyncio.gather(*(notifications.send_digests(date(2026, 12, 4)) for _ in range(4)))
    assert sum(results) == 1
    assert len([e for e in await outbox_messages() if e["recipient"] == "author@example.org"]) == 1
    assert await DigestSent.count() == 1


async def test_unsubscribe_link_in_a_digest_still_works(client):
    from pb.moderation import notes
    from pb.proposals.tables import Follow

    round_id, areas = await make_round()
    author = await make_user(email="a@example.org")
    proposal = await make_proposal(round_id, areas[0], author)
    follower = await make_user(email="f@example.org")
    await proposal_actions.set_following(follower, "proposal", proposal, True)
    await notifications.set_preferences(follower, {"following": "daily"})
    officer = await make_user(email="officer@example.org", roles={"officer"})
    note = {
        "body_en": "Roadworks start in May.",
        "body_cy": "Mae gwaith ffordd yn dechrau ym mis Mai.",
        "source_en": "Cabinet report",
        "source_cy": "Adroddiad y Cabinet",
        "source_url": "https://www.example.gov.wales/cabinet",
    }
    await notes.add_note(officer, "proposal", proposal, note)
    assert await DigestItem.count() == 1
    assert await notifications.send_digests(date(2026, 12, 4)) == 1
    (email,) = [e for e in await outbox_messages() if e["recipient"] == "f@example.org"]
    path = next(word for word in email["body"].split() if "/unsubscribe/" in word).removeprefix("http://testserver")
    response = await submit(client, path, {})
    assert response.status_code == 200
    assert await Follow.count() == 0


async def test_preferences_page_in_both_languages(client):
    user = await make_user(email="sam@example.org")
    await sign_in(client)
    for lang, heading, saved in (
        ("en", "Emails you get", "Your choices have been saved."),
        ("cy", "Yr e-byst a gewch", "Mae eich dewisiadau wedi'u cadw."),
    ):
        page = BeautifulSoup((await client.get(f"/{lang}/account/notifications")).text, "html.parser")
        assert page.h1.get_text(strip=True) == heading
        assert page.select_one(f"input[name=my_proposals][value={'immediately' if lang == 'en' else 'daily'}]").has_attr(
            "checked"
        )
        response = await submit(client, f"/{lang}/account/notifications", {"my_proposals": "daily", "sessions": "never"})
        assert response.status_code == 303
        done = BeautifulSoup((await client.get(response.headers["location"])).text, "html.parser")
        assert saved in done.get_text()
        assert done.select_one("input[name=my_proposals][value=daily]").has_attr("checked")
        assert done.select_one("input[name=sessions][value=never]").has_attr("checked")
    assert await notifications.preferences_for(user) == {
        "my_proposals": "daily",
        "following": "immediately",
        "my_area": "immediately",
        "sessions": "never",
    }
    account = await client.get("/en/account")
    assert "/en/account/notifications" in account.text


async def test_bad_choices_are_refused_beside_the_field(client):
    user = await make_user(email="sam@example.org")
    await sign_in(client)
    response = await submit(client, "/en/account/notifications", {"my_proposals": "weekly"})
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("#my_proposals-error") is not None
    response = await submit(client, "/cy/account/notifications", {"bogus": "daily"})
    assert response.status_code == 422
    assert 'href="#notifications"' in response.text
    assert await notifications.preferences_for(user) == dict.fromkeys(
        ("my_proposals", "following", "my_area", "sessions"), "immediately"
    )


async def test_the_preferences_page_needs_signing_in(client):
    assert (await client.get("/en/account/notifications")).status_code in (302, 303, 401, 403)


async def test_pb_send_digests_and_the_hourly_task():
    from pb.accounts.manifest import capability
    from tests.conftest import run_pb_command

    assert notifications.run_digests in capability.background
    officer, author, proposal, *_ = await _author_and_changes()
    await notifications.set_preferences(author, {"my_proposals": "daily"})
    await proposal_actions.change_status(officer, proposal, "under_review")
    done = await run_pb_command("send-digests")
    assert done.returncode == 0, done.stderr
    assert "Digests queued: 1." in done.stdout
    assert len([e for e in await outbox_messages() if e["recipient"] == "author@example.org"]) == 1
    again = await run_pb_command("send-digests")
    assert "Digests queued: 0." in again.stdout


def test_the_digest_goes_out_from_eight_in_the_morning_uk_time():
    from datetime import UTC, date, datetime

    # Winter (GMT): 07:59 UTC is 07:59 in the UK, too early; 08:00 is due that day.
    assert notifications.digest_day(datetime(2026, 12, 4, 7, 59, tzinfo=UTC)) is None
    assert notifications.digest_day(datetime(2026, 12, 4, 8, 0, tzinfo=UTC)) == date(2026, 12, 4)
    # Summer (BST): 07:00 UTC is already 08:00 in the UK; 23:30 UTC is 00:30 the next UK day, too
    # early for its digest; 22:30 UTC is still the same UK day.
    assert notifications.digest_day(datetime(2026, 6, 30, 6, 59, tzinfo=UTC)) is None
    assert notifications.digest_day(datetime(2026, 6, 30, 7, 0, tzinfo=UTC)) == date(2026, 6, 30)
    assert notifications.digest_day(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) is None
    assert notifications.digest_day(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == date(2026, 6, 30)
