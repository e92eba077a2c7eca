"""Assisted voting at a kiosk over HTTP: a facilitator opens the ballot for one person, who is then
forgotten (after voting, on cancel, or after ten idle minutes); a kiosk never replaces a ballot."""

from datetime import timedelta

from bs4 import BeautifulSoup

from pb.accounts.tables import User
from pb.audit.tables import AuditEvent
from pb.voting import actions, voters
from pb.voting.codes import alphabet
from pb.voting.tables import VoterRegister
from tests.conftest import csrf_from, make_user, sign_in, submit
from tests.voting.codes.test_routes import codes_for, officer, session_data, vote_with_code
from tests.voting.sealed import ballots_cast
from tests.voting.test_voting import voting_round


async def test_a_facilitator_runs_an_assisted_vote_and_the_kiosk_forgets(client):
    round_id, area, projects = await voting_round(allow_revote=False)
    _, printed = await codes_for(round_id)
    facilitator = await officer(client, "facilitator@example.org", roles=("facilitator",))
    form = f"/en/rounds/{round_id}/vote/assisted"
    nothing = await submit(client, form, {"code": "", "email": "", "area": ""})
    assert nothing.status_code == 422 and "#code" in nothing.text and "#area" in nothing.text
    kept = await submit(client, form, {"code": "K7QF-9M2P-XW4T", "email": "", "area": str(area)})
    assert kept.status_code == 422 and BeautifulSoup(kept.text, "html.parser").select_one("#code")["value"] == "K7QF-9M2P-XW4T"
    assert "#age" in kept.text
    opened = await submit(client, form, {"code": printed[0], "email": "", "area": str(area), "age": "yes"})
    assert opened.status_code == 303
    start = await client.get(opened.headers["location"])
    assert "Assisted voting — facilitated by Olwen Officer" in start.text
    assert "/en/account" not in start.text and "Sign out" not in start.text  # no way into the facilitator's account
    cast = await submit(
        client,
        f"/en/rounds/{round_id}/vote",
        {"area": str(area), "choice": [str(projects[1])]},
        action=f"/en/rounds/{round_id}/vote/cast",
    )
    assert cast.status_code == 303
    done = await client.get(cast.headers["location"])
    assert "Finish and start the next person" in done.text and "facilitated by" in done.text
    assert "/en/account" not in done.text
    assert (await VoterRegister.select().first())["channel"] == "assisted"
    assert (await client.get(f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes")).status_code == 303  # nobody is voting now
    # The Back button and "Cast my vote" again: the person is forgotten, and the facilitator's own
    # account does not vote in their place.
    resent = await client.post(
        f"/en/rounds/{round_id}/vote/cast",
        data={"_csrf_token": csrf_from(done.text), "area": str(area), "choice": [str(projects[2])]},
    )
    assert resent.status_code == 303 and len(await ballots_cast()) == 1
    finish = await submit(client, f"/en/rounds/{round_id}/vote", {}, action=f"/en/rounds/{round_id}/vote/assisted/finish")
    assert finish.status_code == 303 and finish.headers["location"].endswith("/vote/assisted")
    events = await AuditEvent.select().where(AuditEvent.action == "voting.assisted_open")
    assert len(events) == 1 and events[0]["actor_id"] == facilitator
    assert printed[0] not in str(events) and "code" not in events[0]["details"]
    # The same code again: already used.
    again = await submit(client, form, {"code": printed[0], "area": str(area), "age": "yes"})
    assert again.status_code == 422 and "already been used" in again.text


async def test_an_assisted_voter_by_account_cannot_then_vote_online(client):
    round_id, area, projects = await voting_round(allow_revote=False)
    await make_user(email="resident@example.org")
    await officer(client, "facilitator@example.org", roles=("facilitator",))
    form = f"/en/rounds/{round_id}/vote/assisted"
    # The account's owner types its password: a kiosk cannot vote as anyone whose email it knows.
    no_password = await submit(client, form, {"email": "Resident@Example.org", "area": str(area), "age": "yes"})
    assert no_password.status_code == 422 and "#password" in no_password.text
    wrong = await submit(client, form, {"email": "Resident@Example.org", "password": "guess", "area": str(area), "age": "yes"})
    assert wrong.status_code == 422 and "guess" not in wrong.text  # a password is never sent back
    opened = await submit(
        client, form, {"email": "Resident@Example.org", "password": "correct horse battery", "area": str(area), "age": "yes"}
    )
    assert opened.status_code == 303
    cast = await submit(
        client,
        f"/en/rounds/{round_id}/vote",
        {"area": str(area), "choice": [str(projects[1])]},
        action=f"/en/rounds/{round_id}/vote/cast",
    )
    assert cast.status_code == 303
    unknown = await submit(client, form, {"email": "nobody@example.org", "password": "x", "area": str(area), "age": "yes"})
    assert unknown.status_code == 422 and "not right" in unknown.text
    client.cookies.clear()
    await sign_in(client, "resident@example.org")
    online = await submit(
        client,
        f"/en/rounds/{round_id}/vote",
        {"area": str(area), "age": "yes", "choice": [str(projects[2])]},
        action=f"/en/rounds/{round_id}/vote/cast",
    )
    assert online.status_code == 409 and len(await ballots_cast()) == 1


async def test_the_kiosk_forgets_the_voter_after_ten_idle_minutes_and_on_cancel(client, monkeypatch):
    round_id, area, projects = await voting_round()
    _, printed = await codes_for(round_id)
    await officer(client, "facilitator@example.org", roles=("facilitator",))
    opened = await submit(client, f"/en/rounds/{round_id}/vote/assisted", {"code": printed[0], "area": str(area), "age": "yes"})
    assert opened.status_code == 303
    real_now = voters.now()
    monkeypatch.setattr(voters, "now", lambda: real_now + timedelta(minutes=9))
    assert "facilitated by" in (await client.get(f"/en/rounds/{round_id}/vote")).text  # activity: the clock restarts
    monkeypatch.setattr(voters, "now", lambda: real_now + timedelta(minutes=18))
    assert "facilitated by" in (await client.get(f"/en/rounds/{round_id}/vote")).text
    monkeypatch.setattr(voters, "now", lambda: real_now + timedelta(minutes=29))
    page = await client.get(f"/en/rounds/{round_id}/vote")
    assert "facilitated by" not in page.text and "facilitator_name" not in str(await session_data())
    assert "Start assisted voting for the next person" in page.text
    cast = await client.post(
        f"/en/rounds/{round_id}/vote/cast",
        data={"_csrf_token": csrf_from(page.text), "area": str(area), "age": "yes", "choice": [str(projects[1])]},
    )
    assert cast.status_code == 303 and await VoterRegister.count() == 0  # nobody votes: not the facilitator either
    monkeypatch.setattr(voters, "now", lambda: real_now + timedelta(minutes=30))
    reopened = await submit(client, f"/en/rounds/{round_id}/vote/assisted", {"code": printed[1], "area": str(area), "age": "yes"})
    assert reopened.status_code == 303
    cancel = await submit(client, f"/en/rounds/{round_id}/vote", {}, action=f"/en/rounds/{round_id}/vote/assisted/cancel")
    assert cancel.status_code == 303
    assert "facilitated by" not in (await client.get(f"/en/rounds/{round_id}/vote")).text


def test_kiosk_expiry_rule():
    moment = voters.now()
    assert not voters.kiosk_expired(moment.isoformat(), moment + timedelta(minutes=10))
    assert voters.kiosk_expired(moment.isoformat(), moment + timedelta(minutes=10, seconds=1))
    assert voters.kiosk_expired(None, moment) and voters.kiosk_expired("garbage", moment)


async def test_a_kiosk_never_replaces_a_ballot_even_where_re_voting_is_allowed(client):
    round_id, area, projects = await voting_round(allow_revote=True)
    await make_user(email="resident@example.org")
    _, printed = await codes_for(round_id)
    online = await actions.cast_ballot(
        round_id,
        area,
        actions.voter_key_for_user(
            round_id, (await User.select(User.id).where(User.email == "resident@example.org").first())["id"]
        ),
        {projects[0]: 1},
        "online",
        True,
    )
    await vote_with_code(client, round_id, area, projects[0], printed[0])
    client.cookies.clear()
    await officer(client, "facilitator@example.org", roles=("facilitator",))
    form = f"/en/rounds/{round_id}/vote/assisted"
    by_account = await submit(
        client, form, {"email": "resident@example.org", "password": "correct horse battery", "area": str(area), "age": "yes"}
    )
    assert by_account.status_code == 422 and "already voted" in by_account.text
    by_code = await submit(client, form, {"code": printed[0], "area": str(area), "age": "yes"})
    assert by_code.status_code == 422 and "already been used" in by_code.text
    assert [b.receipt for b in await ballots_cast() if b.channel == "online"] == [online.receipt]


async def test_guessing_a_residents_password_at_the_kiosk_is_throttled_like_signing_in(client):
    """25 wrong guesses at a kiosk: the sign-in throttle stops the checks after its limit, with the
    same counters, so the right password is refused too until the wait is over, here and at sign-in."""
    round_id, area, _ = await voting_round(allow_revote=False)
    await make_user(email="resident@example.org")
    await officer(client, "facilitator@example.org", roles=("facilitator",))
    form = f"/en/rounds/{round_id}/vote/assisted"
    answers = []
    for i in range(25):
        guess = {"email": "resident@example.org", "password": f"guess {i}", "area": str(area), "age": "yes"}
        answers.append((await submit(client, form, guess)).status_code)
    assert answers[:10] == [422] * 10 and set(answers[10:]) == {429}
    right = {"email": "resident@example.org", "password": "correct horse battery", "area": str(area), "age": "yes"}
    refused = await submit(client, form, right)
    assert refused.status_code == 429 and "Too many failed attempts" in refused.text
    client.cookies.clear()  # the resident tries to sign in from the same place: the same counters
    signing_in = await submit(client, "/en/sign-in", {"email": "resident@example.org", "password": "correct horse battery"})
    assert signing_in.status_code == 429


async def test_codes_typed_at_a_kiosk_count_against_the_per_address_limit(client):
    round_id, area, _ = await voting_round(allow_revote=False)
    await officer(client, "facilitator@example.org", roles=("facilitator",))
    form = f"/en/rounds/{round_id}/vote/assisted"
    answers = [
        (await submit(client, form, {"code": alphabet.new_code(bytes([i]) * 8), "area": str(area), "age": "yes"})).status_code
        for i in range(22)
    ]
    assert answers[:20] == [422] * 20 and answers[20:] == [429, 429]
