"""Voting codes over HTTP: officers' pages, voting with a code without an account, and the guessing throttle."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from pb.accounts.tables import SessionRecord
from pb.audit.tables import AuditEvent
from pb.rounds.tables import Round
from pb.voting import actions, voters
from pb.voting.codes import actions as code_actions
from pb.voting.codes import alphabet
from pb.voting.tables import VoterRegister, VotingCodeBatch
from tests.conftest import csrf_from, make_user, sign_in, submit
from tests.voting.sealed import ballots_cast
from tests.voting.test_voting import receipt_shown, review_form, voting_round


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
    assert all(alphabet.normalise(code) == code for code in printed)
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
    assert register["channel"] == "code" and [b.channel for b in await ballots_cast()] == ["code"]
    assert "voting_code" not in str(await session_data())  # the code's reference is cleared
    # Now the code is used; the session no longer votes.
    assert (await client.get(f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes")).status_code == 303
    used = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": printed[0]})
    assert used.status_code == 422 and "already been used" in used.text
    cancelled = await code_actions.void_codes(1, round_id, [printed[1]], "lost")
    assert cancelled[0].outcome == "voided"
    voided = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": printed[1]})
    assert voided.status_code == 422 and "cancelled" in voided.text


async def session_data():
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


async def test_a_used_code_is_refused_even_where_re_voting_is_allowed_and_the_first_vote_stays(client):
    """Whoever finds a used letter on a doormat cannot overwrite a neighbour's vote."""
    round_id, area, projects = await voting_round(allow_revote=True)
    _, printed = await codes_for(round_id)
    assert (await vote_with_code(client, round_id, area, projects[1], printed[0])).status_code == 303
    first = await ballots_cast(round_id)
    again = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": printed[0]})
    assert again.status_code == 422 and "This voting code has already been used to vote" in again.text
    found = await code_actions.find_code(round_id, printed[0])
    with pytest.raises(actions.VotingError):  # nor below the page: the casting action refuses it too
        await actions.cast_ballot(round_id, area, found["voter_key"], {projects[2]: 1}, "code", True, code_id=found["id"])
    assert await VoterRegister.count() == 1 and await ballots_cast(round_id) == first


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
    assert cast.status_code == 303 and await ballots_cast() == []


async def test_guessing_codes_is_throttled_per_address(client):
    round_id, area, projects = await voting_round()
    _, printed = await codes_for(round_id)
    for i in range(20):
        wrong = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": alphabet.new_code(bytes([i]) * 8)})
        assert wrong.status_code == 422
    refused = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": printed[0]})
    assert refused.status_code == 429 and "Too many codes" in refused.text


async def test_voting_with_a_code_is_closed_outside_the_voting_phase(client):
    round_id, area, projects = await voting_round()
    _, printed = await codes_for(round_id)
    entry = await client.get(f"/en/rounds/{round_id}/vote/code")
    await Round.update({Round.phase: "results"}).where(Round.id == round_id)
    response = await client.post(
        f"/en/rounds/{round_id}/vote/code", data={"_csrf_token": csrf_from(entry.text), "code": printed[0]}
    )
    assert response.status_code == 303 and await VoterRegister.count() == 0


async def test_a_code_left_entered_on_a_shared_computer_lapses_after_ten_idle_minutes(client, monkeypatch):
    round_id, area, projects = await voting_round()
    _, printed = await codes_for(round_id)
    entered = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": printed[0]})
    assert entered.status_code == 303
    real_now = voters.now()
    monkeypatch.setattr(voters, "now", lambda: real_now + timedelta(minutes=11))
    page = await client.get(f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes")
    assert page.status_code == 303 and "voting_code" not in str(await session_data())
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


async def test_a_code_voter_whose_answer_was_lost_sees_their_receipt_not_code_used(client):
    """A worker killed after storing the ballot but before answering: the database has the vote,
    the browser never heard, and the session still holds the code. Sending the same review form
    again shows the receipt of the stored vote instead of "this code has been used"."""
    round_id, area, projects = await voting_round(allow_revote=False)
    _, printed = await codes_for(round_id)
    entered = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": printed[0]})
    assert entered.status_code == 303
    review = await submit(
        client,
        f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes",
        {"area": str(area), "age": "yes", "choice": [str(projects[1])]},
        action=f"/en/rounds/{round_id}/vote/review",
    )
    form = review_form(review.text)
    found = await code_actions.find_code(round_id, printed[0])
    # What the killed worker did before dying: the whole cast, committed, with the form's token.
    stored = await actions.cast_ballot(
        round_id, area, found["voter_key"], {projects[1]: 1}, "code", False, code_id=found["id"], cast_token=form["cast_token"]
    )
    retried = await client.post(f"/en/rounds/{round_id}/vote/cast", data=form)
    assert retried.status_code == 303 and retried.headers["location"].endswith("/vote/done")
    done = await client.get(retried.headers["location"])
    assert receipt_shown(done.text) == stored.receipt
    assert [b.receipt for b in await ballots_cast(round_id)] == [stored.receipt]


@pytest.mark.parametrize("counted", [True, False], ids=["counted", "entered-not-yet-counted"])
async def test_a_code_on_a_paper_ballot_is_refused_when_typed_not_at_cast(client, counted):
    """A code already on a paper ballot is refused where it is typed, in both languages: the
    resident never fills in a ballot that cannot count."""
    from pb.voting.paper import actions as paper_actions

    round_id, area, projects = await voting_round(allow_revote=False)
    anna = await make_user(email="anna@example.org", roles={"facilitator"})
    bryn = await make_user(email="bryn@example.org", roles={"facilitator"})
    _, printed = await codes_for(round_id, count=2)
    batch = await paper_actions.create_batch(anna, round_id, area, "Library box", 1)
    entry = {1: {"code": printed[0], "choices": {projects[0]: 1}, "spoilt": False}}
    await paper_actions.save_entry(anna, batch, entry)
    await paper_actions.save_entry(bryn, batch, entry)
    if counted:
        await paper_actions.count_batch(bryn, batch)
    for lang, message in (("en", "already"), ("cy", "eisoes")):
        refused = await submit(client, f"/{lang}/rounds/{round_id}/vote/code", {"code": printed[0]})
        assert refused.status_code == 422, refused.status_code
        error = BeautifulSoup(refused.text, "html.parser").select_one(".govuk-error-message")
        assert error is not None and message in error.get_text(), error
        assert printed[0] in refused.text  # what was typed is kept
    fresh = await submit(client, f"/en/rounds/{round_id}/vote/code", {"code": printed[1]})
    assert fresh.status_code == 303
