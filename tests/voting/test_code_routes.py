"""Voting codes and assisted voting over HTTP: officers' pages, voting with a code without an
account, the guessing throttle, and the kiosk (with its timeout)."""

from datetime import timedelta

from bs4 import BeautifulSoup

from pb.accounts.tables import User
from pb.audit.tables import AuditEvent
from pb.rounds.tables import Round
from pb.voting import actions, code_actions, codes, voters
from pb.voting.tables import Ballot, VoterRegister, VotingCodeBatch
from tests.conftest import csrf_from, make_user, sign_in, submit
from tests.voting.test_voting import voting_round


async def officer(client, email="officer@example.org", roles=("officer",)):
    user_id = await make_user(email=email, roles=set(roles), name="Olwen Officer")
    await sign_in(client, email)
    return user_id


async def codes_for(round_id, count=3, area=None):
    batch_id = await code_actions.generate_batch(1, round_id, area, "Letters", count)
    return batch_id, await code_actions.batch_codes(1, batch_id, 0, count, "print")


async def vote_with_code(client, round_id, area, project, code, lang="en"):
    entered = await submit(client, f"/{lang}/rounds/{round_id}/vote/code", {"code": code})
    assert entered.status_code == 303, entered.text[:2000]
    start = await client.get(entered.headers["location"])
    assert start.status_code == 200
    return await submit(
        client,
        f"/{lang}/rounds/{round_id}/vote/ballot?area={area}&age=yes",
        {"area": str(area), "age": "yes", "choice": [str(project)]},
        action=f"/{lang}/rounds/{round_id}/vote/cast",
    )


async def test_an_officer_makes_prints_downloads_and_seals_a_batch(client):
    round_id, area, projects = await voting_round()
    await officer(client)
    manage = await client.get(f"/en/manage/rounds/{round_id}")
    assert f"/en/manage/rounds/{round_id}/codes" in manage.text
    bad = await submit(
        client, f"/en/manage/rounds/{round_id}/codes", {"count": "60000", "label": "Riverside letters", "area": ""}
    )
    assert bad.status_code == 422
    soup = BeautifulSoup(bad.text, "html.parser")
    assert soup.select_one("#count-error") and soup.select_one("#count")["value"] == "60000"
    assert soup.select_one("#label")["value"] == "Riverside letters"
    made = await submit(
        client, f"/en/manage/rounds/{round_id}/codes", {"count": "3", "label": "Riverside letters", "area": str(area)}
    )
    assert made.status_code == 303
    batch = await VotingCodeBatch.select().first()
    listing = await client.get(made.headers["location"])
    row = BeautifulSoup(listing.text, "html.parser").select_one("tbody tr").get_text(" ")
    assert "Riverside letters" in row and "Riverside" in row
    sheet = await client.get(f"/en/manage/rounds/{round_id}/codes/{batch['id']}/sheet")
    assert sheet.status_code == 200
    letters = BeautifulSoup(sheet.text, "html.parser").select(".pb-letter")
    assert len(letters) == 3
    printed = [letter.select_one(".pb-letter__code").text for letter in letters]
    assert all(codes.normalise(code) == code for code in printed)
    assert letters[0].select_one("[aria-hidden=true] svg") is not None
    assert (
        f"/en/rounds/{round_id}/vote/code" in letters[0].get_text()
        and "?" not in letters[0].select_one(".pb-letter__address").text
    )
    both = BeautifulSoup(
        (await client.get(f"/cy/manage/rounds/{round_id}/codes/{batch['id']}/sheet?bilingual=1")).text, "html.parser"
    )
    assert both.select_one(".pb-letter__other[lang=en]") and "/en/rounds/" in both.select_one(".pb-letter__other").get_text()
    assert [c.text for c in both.select(".pb-letter__code")] == printed  # the same codes again, until sealed
    from_english = BeautifulSoup(
        (await client.get(f"/en/manage/rounds/{round_id}/codes/{batch['id']}/sheet?bilingual=1")).text, "html.parser"
    )
    first, second = from_english.select_one(".pb-letter").find_all("div", recursive=False)[:2]
    assert first["lang"] == "cy" and second["lang"] == "en"  # Welsh first on a bilingual letter, from either interface
    assert f"/cy/rounds/{round_id}/vote/code" in first.select_one(".pb-letter__address").text
    csv = await client.get(f"/en/manage/rounds/{round_id}/codes/{batch['id']}/csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert all(code in body for code in printed) and "Riverside letters" in body and f"#{printed[0]}" in body
    unconfirmed = await submit(
        client, f"/en/manage/rounds/{round_id}/codes", {}, action=f"/en/manage/rounds/{round_id}/codes/{batch['id']}/seal"
    )
    assert unconfirmed.status_code == 422 and "Confirm that the letters are printed" in unconfirmed.text
    sealed = await submit(
        client,
        f"/en/manage/rounds/{round_id}/codes",
        {"confirm": "yes"},
        action=f"/en/manage/rounds/{round_id}/codes/{batch['id']}/seal",
    )
    assert sealed.status_code == 303
    again = await client.get(f"/en/manage/rounds/{round_id}/codes/{batch['id']}/sheet")
    assert again.status_code == 410 and not any(code in again.text for code in printed)
    assert (await client.get(f"/en/manage/rounds/{round_id}/codes/{batch['id']}/csv")).status_code == 410
    audit = [e["action"] for e in await AuditEvent.select(AuditEvent.action)]
    assert {"voting_codes.generate", "voting_codes.print", "voting_codes.csv", "voting_codes.seal"} <= set(audit)


async def test_another_rounds_batch_is_not_found(client):
    round_id, area, projects = await voting_round()
    other_round, _, _ = await voting_round()
    batch_id, _ = await codes_for(other_round)
    await officer(client)
    assert (await client.get(f"/en/manage/rounds/{round_id}/codes/{batch_id}/sheet")).status_code == 404


async def test_residents_may_not_open_officer_or_facilitator_pages(client):
    round_id, area, projects = await voting_round()
    batch_id, _ = await codes_for(round_id)
    await make_user(email="resident@example.org")
    await sign_in(client, "resident@example.org")
    for path in (
        f"/en/manage/rounds/{round_id}/codes",
        f"/en/manage/rounds/{round_id}/codes/{batch_id}/sheet",
        f"/en/manage/rounds/{round_id}/codes/{batch_id}/csv",
        f"/en/manage/rounds/{round_id}/codes/void",
        f"/en/rounds/{round_id}/vote/assisted",
    ):
        assert (await client.get(path)).status_code == 403, path
    page = await client.get(f"/en/rounds/{round_id}/vote")
    token = BeautifulSoup(page.text, "html.parser").select_one("input[name=_csrf_token]")["value"]
    for path in (
        f"/en/manage/rounds/{round_id}/codes",
        f"/en/manage/rounds/{round_id}/codes/{batch_id}/seal",
        f"/en/manage/rounds/{round_id}/codes/void",
        f"/en/rounds/{round_id}/vote/assisted",
    ):
        response = await client.post(path, data={"_csrf_token": token, "count": "5", "label": "x", "confirm": "yes"})
        assert response.status_code == 403, path
    assert len(await VotingCodeBatch.select(VotingCodeBatch.id)) == 1


async def test_voiding_on_the_page_reports_each_code(client):
    round_id, area, projects = await voting_round()
    batch_id, printed = await codes_for(round_id)
    await officer(client)
    missing = await submit(client, f"/en/manage/rounds/{round_id}/codes/void", {"codes": printed[0], "reason": ""})
    assert missing.status_code == 422 and printed[0] in missing.text
    done = await submit(
        client, f"/en/manage/rounds/{round_id}/codes/void", {"codes": f"{printed[0]}\nnot-a-code", "reason": "Returned"}
    )
    rows = [r.get_text(" ") for r in BeautifulSoup(done.text, "html.parser").select("tbody tr")]
    assert "cancelled" in rows[0] and "not a voting code" in rows[1]
    whole = await submit(
        client, f"/en/manage/rounds/{round_id}/codes/void", {"batch": str(batch_id), "batch_reason": "Misprinted"}
    )
    assert whole.status_code == 200 and "2 codes of Letters were cancelled" in whole.text


async def test_a_visitor_votes_with_a_code_without_an_account(client):
    round_id, area, projects = await voting_round(allow_revote=False)
    _, printed = await codes_for(round_id)
    start = await client.get(f"/en/rounds/{round_id}/vote")
    assert f"/en/rounds/{round_id}/vote/code" in start.text
    entry = await client.get(f"/en/rounds/{round_id}/vote/code")
    assert entry.status_code == 200 and BeautifulSoup(entry.text, "html.parser").select_one("label[for=code]")
    typo = printed[0][:-1] + ("A" if printed[0][-1] != "A" else "B")
    wrong = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": typo})
    assert wrong.status_code == 422 and "#code" in wrong.text
    assert BeautifulSoup(wrong.text, "html.parser").select_one("#code")["value"] == typo
    cast = await vote_with_code(client, round_id, area, projects[1], printed[0].lower().replace("-", " "))
    assert cast.status_code == 303
    done = await client.get(cast.headers["location"])
    assert "Your vote has been cast" in done.text
    register = await VoterRegister.select().first()
    assert register["channel"] == "code" and (await Ballot.select().first())["channel"] == "code"
    assert "voting_code" not in str(await _session_data())  # the code's reference is cleared
    # Now the code is used; the session no longer votes.
    assert (await client.get(f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes")).status_code == 303
    used = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": printed[0]})
    assert used.status_code == 422 and "already been used" in used.text
    cancelled = await code_actions.void_codes(1, round_id, [printed[1]], "lost")
    assert cancelled[0].outcome == "voided"
    voided = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": printed[1]})
    assert voided.status_code == 422 and "cancelled" in voided.text


async def _session_data():
    from pb.accounts.tables import SessionRecord

    return [row["data"] for row in await SessionRecord.select(SessionRecord.data)]


async def test_a_code_for_one_area_fixes_the_area(client):
    round_id, areas = await _two_area_round()
    _, printed = await codes_for(round_id, area=areas[1])
    entered = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": printed[0]})
    start = await client.get(entered.headers["location"])
    soup = BeautifulSoup(start.text, "html.parser")
    assert not soup.select("input[type=radio][name=area]") and soup.select_one("input[type=hidden][name=area]")["value"] == str(
        areas[1]
    )
    # Even a tampered form votes in the code's area.
    ballot = await client.get(f"/en/rounds/{round_id}/vote/ballot?area={areas[0]}&age=yes")
    assert ballot.status_code == 200 and "Hillside" in ballot.text


async def _two_area_round():
    from tests.conftest import make_proposal, make_round

    round_id, areas = await make_round(phase="voting")
    author = await make_user(email="author@example.org")
    for area in areas:
        await make_proposal(round_id, area, author, status="on_ballot", title_en="Benches", cost_pence=1_000_00)
    return round_id, areas


async def test_revoting_with_a_code_replaces_the_ballot_where_allowed(client):
    round_id, area, projects = await voting_round(allow_revote=True)
    _, printed = await codes_for(round_id)
    assert (await vote_with_code(client, round_id, area, projects[1], printed[0])).status_code == 303
    assert (await vote_with_code(client, round_id, area, projects[2], printed[0])).status_code == 303
    assert await Ballot.count() == 1 and await VoterRegister.count() == 1


async def test_a_code_cancelled_after_entry_cannot_cast(client):
    round_id, area, projects = await voting_round()
    _, printed = await codes_for(round_id)
    entered = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": printed[0]})
    assert entered.status_code == 303
    ballot = await client.get(f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes")
    await code_actions.void_codes(1, round_id, [printed[0]], "stolen")
    cast = await client.post(
        f"/en/rounds/{round_id}/vote/cast",
        data={"_csrf_token": csrf_from(ballot.text), "area": str(area), "age": "yes", "choice": [str(projects[1])]},
    )
    assert cast.status_code == 303 and await Ballot.count() == 0


async def test_guessing_codes_is_throttled_per_address(client):
    round_id, area, projects = await voting_round()
    _, printed = await codes_for(round_id)
    for i in range(20):
        wrong = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": codes.new_code(bytes([i]) * 8)})
        assert wrong.status_code == 422
    refused = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": printed[0]})
    assert refused.status_code == 429 and "Too many codes" in refused.text


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
    assert resent.status_code == 303 and await Ballot.count() == 1
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
    assert online.status_code == 409 and await Ballot.count() == 1


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
    assert "facilitated by" not in page.text and "facilitator_name" not in str(await _session_data())
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


async def test_voting_with_a_code_is_closed_outside_the_voting_phase(client):
    round_id, area, projects = await voting_round()
    _, printed = await codes_for(round_id)
    entry = await client.get(f"/en/rounds/{round_id}/vote/code")
    await Round.update({Round.phase: "results"}).where(Round.id == round_id)
    response = await client.post(
        f"/en/rounds/{round_id}/vote/code", data={"_csrf_token": csrf_from(entry.text), "code": printed[0]}
    )
    assert response.status_code == 303 and await VoterRegister.count() == 0


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
    assert (await Ballot.select(Ballot.receipt).where(Ballot.channel == "online").first())["receipt"] == online.receipt


async def test_a_code_left_entered_on_a_shared_computer_lapses_after_ten_idle_minutes(client, monkeypatch):
    round_id, area, projects = await voting_round()
    _, printed = await codes_for(round_id)
    entered = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": printed[0]})
    assert entered.status_code == 303
    real_now = voters.now()
    monkeypatch.setattr(voters, "now", lambda: real_now + timedelta(minutes=11))
    page = await client.get(f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes")
    assert page.status_code == 303 and "voting_code" not in str(await _session_data())
    cast = await client.post(
        f"/en/rounds/{round_id}/vote/cast",
        data={
            "_csrf_token": csrf_from((await client.get(f"/en/rounds/{round_id}/vote/code")).text),
            "area": str(area),
            "age": "yes",
            "choice": [str(projects[1])],
        },
    )
    assert cast.status_code == 303 and await VoterRegister.count() == 0
