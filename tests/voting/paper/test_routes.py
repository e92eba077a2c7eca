"""Paper ballots over HTTP: role checks, the entry form (422 with values kept, "more sheets" without
JavaScript, blind second entry), resolving, counting, and the phase page refusing to close the vote."""

from bs4 import BeautifulSoup

from pb.voting.paper import actions as paper_actions
from pb.voting.tables import PaperBatch
from tests.conftest import csrf_from, make_round, make_user, sign_in, submit
from tests.voting.sealed import ballots_cast
from tests.voting.test_voting import voting_round


async def new_batch(client, round_id, area, sheets="3"):
    made = await submit(
        client, f"/en/manage/rounds/{round_id}/paper", {"label": "Llanrug library box 3", "area": str(area), "sheets": sheets}
    )
    assert made.status_code == 303, made.text[:2000]
    return int(made.headers["location"].rsplit("/", 1)[1])


async def test_residents_are_refused_everywhere(client):
    round_id, area, projects = await voting_round(allow_revote=False)
    anna = await make_user(email="anna@example.org", roles={"facilitator"})
    batch = await paper_actions.create_batch(anna, round_id, area, "Box 1", 2)
    await make_user(email="rhys@example.org")
    await sign_in(client, "rhys@example.org")
    base = f"/en/manage/rounds/{round_id}/paper"
    for url in (base, f"{base}/{batch}", f"{base}/{batch}/enter", f"{base}/{batch}/sheets/1"):
        assert (await client.get(url)).status_code == 403, url
    token = csrf_from((await client.get("/en/")).text)
    for url in (base, f"{base}/{batch}/enter", f"{base}/{batch}/sheets/1", f"{base}/{batch}/count"):
        assert (await client.post(url, data={"_csrf_token": token})).status_code == 403, url
    assert await PaperBatch.count() == 1


async def test_another_rounds_batch_is_not_found(client):
    round_id, area, projects = await voting_round(allow_revote=False)
    other, _ = await make_round(phase="voting")
    anna = await make_user(email="anna@example.org", roles={"facilitator"}, name="Anna")
    batch = await paper_actions.create_batch(anna, round_id, area, "Box 1", 2)
    await sign_in(client, "anna@example.org")
    assert (await client.get(f"/en/manage/rounds/{other}/paper/{batch}")).status_code == 404
    assert (await client.get(f"/en/manage/rounds/{other}/paper/{batch}/enter")).status_code == 404


async def test_creating_a_batch_validates_and_keeps_values(client):
    round_id, area, projects = await voting_round(allow_revote=False)
    await make_user(email="anna@example.org", roles={"facilitator"}, name="Anna")
    await sign_in(client, "anna@example.org")
    bad = await submit(client, f"/en/manage/rounds/{round_id}/paper", {"label": "Box <3>", "area": "", "sheets": "many"})
    assert bad.status_code == 422
    soup = BeautifulSoup(bad.text, "html.parser")
    assert soup.select_one("#label")["value"] == "Box <3>" and soup.select_one("#sheets")["value"] == "many"
    assert soup.select_one("#area-error") and soup.select_one("#sheets-error")
    assert await PaperBatch.count() == 0
    batch = await new_batch(client, round_id, area)
    listing = await client.get(f"/en/manage/rounds/{round_id}/paper")
    assert "Llanrug library box 3" in listing.text and f"/paper/{batch}" in listing.text


async def test_two_people_enter_blind_resolve_and_count(client):
    round_id, area, projects = await voting_round(allow_revote=False)
    await make_user(email="anna@example.org", roles={"facilitator"}, name="Anna Entry")
    await make_user(email="bryn@example.org", roles={"officer"}, name="Bryn Entry")
    await sign_in(client, "anna@example.org")
    batch = await new_batch(client, round_id, area, sheets="2")
    enter = f"/en/manage/rounds/{round_id}/paper/{batch}/enter"
    form = await client.get(enter)
    assert form.status_code == 200
    soup = BeautifulSoup(form.text, "html.parser")
    assert [i["value"] for i in soup.select("input[name^=sheet-]")] == ["1", "2"]

    # Bad input: 422, the error beside the field, everything typed kept.
    typed = {
        "sheet-0": "1",
        "choice-0": [str(projects[0])],
        "code-0": "",
        "sheet-1": "x",
        "choice-1": [str(projects[1])],
        "spoilt-1": "yes",
    }
    bad = await submit(client, enter, typed)
    assert bad.status_code == 422
    soup = BeautifulSoup(bad.text, "html.parser")
    assert soup.select_one("#sheet-1-error") and soup.select_one("#sheet-1")["value"] == "x"
    assert soup.select_one(f"input[name=choice-1][value='{projects[1]}']").has_attr("checked")
    assert soup.select_one("#spoilt-1").has_attr("checked")
    assert soup.select_one(".govuk-error-summary a[href='#sheet-1']")

    # "More sheets" adds rows and keeps what was typed, without JavaScript.
    more = await submit(client, enter, {**typed, "more": "yes"})
    soup = BeautifulSoup(more.text, "html.parser")
    assert more.status_code == 200 and len(soup.select("input[name^=sheet-]")) == 7
    assert soup.select_one("#sheet-1")["value"] == "x" and soup.select_one("#sheet-2")["value"] == "2"

    first = {"sheet-0": "1", "choice-0": [str(projects[0])], "sheet-1": "2", "choice-1": [str(projects[1])]}
    saved = await submit(client, enter, first)
    assert saved.status_code == 303
    again = await client.get(enter)
    assert again.status_code == 409 and "different person" in again.text
    page = await client.get(f"/en/manage/rounds/{round_id}/paper/{batch}")
    assert "Anna Entry" in page.text and "Make the second entry" not in page.text

    client.cookies.clear()
    await sign_in(client, "bryn@example.org")
    form = await client.get(enter)
    assert form.status_code == 200
    soup = BeautifulSoup(form.text, "html.parser")
    assert not soup.select("input[type=checkbox][checked]")  # blind: nothing of the first entry shows
    batch_page = await client.get(f"/en/manage/rounds/{round_id}/paper/{batch}")
    assert "The first entry read" not in batch_page.text
    second = {"sheet-0": "1", "choice-0": [str(projects[0])], "sheet-1": "2", "choice-1": [str(projects[2])]}
    assert (await submit(client, enter, second)).status_code == 303

    page = await client.get(f"/en/manage/rounds/{round_id}/paper/{batch}")
    assert "differ on 1 sheet" in page.text and "Accept and count" not in page.text
    resolve_url = f"/en/manage/rounds/{round_id}/paper/{batch}/sheets/2"
    assert resolve_url in page.text
    assert (await client.get(f"/en/manage/rounds/{round_id}/paper/{batch}/sheets/1")).status_code == 404
    missing = await submit(client, resolve_url, {})
    assert missing.status_code == 422 and BeautifulSoup(missing.text, "html.parser").select_one("#pick-error")
    empty_fix = await submit(client, resolve_url, {"pick": "correct"})
    assert empty_fix.status_code == 422 and BeautifulSoup(empty_fix.text, "html.parser").select_one("#fix-code-0-error")
    bad_fix = await submit(client, resolve_url, {"pick": "correct", "fix-code-0": "X" * 41})
    assert (
        bad_fix.status_code == 422 and BeautifulSoup(bad_fix.text, "html.parser").select_one("#fix-code-0")["value"] == "X" * 41
    )
    # Bryn entered the batch, so his reading is only a proposal until Anna, who entered the other
    # entry, agrees to the same reading (or someone who entered neither resolves it).
    proposed = await submit(client, resolve_url, {"pick": "correct", "fix-choice-0": [str(projects[1])]})
    assert proposed.status_code == 303 and "proposed=2" in proposed.headers["location"]
    page = await client.get(proposed.headers["location"])
    assert "Bryn Entry chose a reading" in page.text and "Accept and count" not in page.text
    client.cookies.clear()
    await sign_in(client, "anna@example.org")
    different = await submit(client, resolve_url, {"pick": "second"})
    assert different.status_code == 409 and "chose a different reading" in different.text
    agreed = await submit(client, resolve_url, {"pick": "correct", "fix-choice-0": [str(projects[1])]})
    assert agreed.status_code == 303 and "resolved=2" in agreed.headers["location"]
    page = await client.get(f"/en/manage/rounds/{round_id}/paper/{batch}")
    assert "Resolved by Bryn Entry and Anna Entry" in page.text
    # Anna made the first entry: someone else counts the batch.
    assert "Accept and count" not in page.text and "someone else must count it" in page.text
    client.cookies.clear()
    await sign_in(client, "bryn@example.org")
    page = await client.get(f"/en/manage/rounds/{round_id}/paper/{batch}")
    assert "Accept and count" in page.text
    counted = await submit(
        client, f"/en/manage/rounds/{round_id}/paper/{batch}", {}, action=f"/en/manage/rounds/{round_id}/paper/{batch}/count"
    )
    assert counted.status_code == 303
    assert any(b.channel == "paper" for b in await ballots_cast())
    done = await client.get(counted.headers["location"])
    assert "Counted as ballots" in done.text
    token = csrf_from(done.text)
    twice = await client.post(f"/en/manage/rounds/{round_id}/paper/{batch}/count", data={"_csrf_token": token})
    assert twice.status_code == 409 and "already been counted" in twice.text


async def test_the_phase_page_says_how_many_batches_wait(client):
    round_id, area, projects = await voting_round(allow_revote=False)
    anna = await make_user(email="anna@example.org", roles={"facilitator"})
    await paper_actions.create_batch(anna, round_id, area, "Box 1", 2)
    await paper_actions.create_batch(anna, round_id, area, "Box 2", 2)
    await make_user(email="olwen@example.org", roles={"officer"})
    await sign_in(client, "olwen@example.org")
    confirm = await client.get(f"/en/manage/rounds/{round_id}/phase?to=results")
    assert "2 batches of paper ballots are waiting" in confirm.text
    refused = await submit(
        client,
        f"/en/manage/rounds/{round_id}/phase?to=results",
        {"to": "results", "confirm": "yes"},
        action=f"/en/manage/rounds/{round_id}/phase",
    )
    assert refused.status_code == 409 and "2 batches of paper ballots are waiting" in refused.text
    from pb.rounds.tables import Round

    assert (await Round.select(Round.phase).where(Round.id == round_id).first())["phase"] == "voting"


async def test_many_concurrent_count_requests_count_the_batch_once(client):
    import asyncio

    round_id, area, projects = await voting_round(allow_revote=False)
    anna = await make_user(email="anna@example.org", roles={"facilitator"})
    bryn = await make_user(email="bryn@example.org", roles={"facilitator"}, name="Bryn")
    batch = await paper_actions.create_batch(anna, round_id, area, "Box 1", 3)
    entry = {n: {"code": "", "choices": {projects[n % 3]: 1}, "spoilt": False} for n in (1, 2, 3)}
    await paper_actions.save_entry(anna, batch, entry)
    await paper_actions.save_entry(bryn, batch, entry)
    await sign_in(client, "bryn@example.org")
    page = await client.get(f"/en/manage/rounds/{round_id}/paper/{batch}")
    assert "Accept and count" in page.text
    token = csrf_from(page.text)
    responses = await asyncio.gather(
        *(client.post(f"/en/manage/rounds/{round_id}/paper/{batch}/count", data={"_csrf_token": token}) for _ in range(20))
    )
    assert sorted(r.status_code for r in responses) == [303] + [409] * 19
    assert len(await ballots_cast(round_id)) == 3


async def test_batches_cannot_be_started_or_entered_once_voting_has_closed(client):
    from pb.rounds.tables import Round

    round_id, area, projects = await voting_round(allow_revote=False)
    anna = await make_user(email="anna@example.org", roles={"facilitator"}, name="Anna")
    batch = await paper_actions.create_batch(anna, round_id, area, "Box 1", 2)
    await sign_in(client, "anna@example.org")
    form = await client.get(f"/en/manage/rounds/{round_id}/paper")
    await Round.update({Round.phase: "results"}).where(Round.id == round_id)  # closed while the form was open
    late = await client.post(
        f"/en/manage/rounds/{round_id}/paper",
        data={"_csrf_token": csrf_from(form.text), "label": "Late box", "area": str(area), "sheets": "2"},
    )
    assert late.status_code == 409 and "only while voting is open" in late.text
    assert BeautifulSoup(late.text, "html.parser").select_one(".govuk-error-summary")
    entry = await client.get(f"/en/manage/rounds/{round_id}/paper/{batch}/enter")
    assert entry.status_code == 409 and 'name="sheet-0"' not in entry.text
    assert await PaperBatch.count() == 1


async def test_facilitators_find_paper_ballots_and_assisted_voting_from_their_dashboard(client):
    round_id, _, _ = await voting_round()
    await make_user(email="facilitator@example.org", roles={"facilitator"})
    await sign_in(client, "facilitator@example.org")
    for lang in ("en", "cy"):
        soup = BeautifulSoup((await client.get(f"/{lang}/manage/sessions")).text, "html.parser")
        links = {a["href"] for a in soup.select("a")}
        assert f"/{lang}/manage/rounds/{round_id}/paper" in links and f"/{lang}/rounds/{round_id}/vote/assisted" in links
    assert (await client.get(f"/en/manage/rounds/{round_id}/paper")).status_code == 200


async def test_a_box_holding_other_than_its_declared_sheets_is_pointed_out_in_both_languages(client):
    from tests.voting.paper.test_actions import sheet

    round_id, area, projects = await voting_round(allow_revote=False)
    anna = await make_user(email="anna@example.org", roles={"facilitator"}, name="Anna")
    bryn = await make_user(email="bryn@example.org", roles={"facilitator"}, name="Bryn")
    batch = await paper_actions.create_batch(anna, round_id, area, "Box 1", 1)
    entry = {1: sheet([projects[0]]), 2: sheet([projects[1]])}
    await paper_actions.save_entry(anna, batch, entry)
    await paper_actions.save_entry(bryn, batch, entry)
    await sign_in(client, "anna@example.org")
    english = BeautifulSoup((await client.get(f"/en/manage/rounds/{round_id}/paper/{batch}")).text, "html.parser")
    assert "The box was declared with 1 sheet, but the entries hold 2." in english.select_one(".govuk-warning-text").get_text(" ")
    assert "agree on all 2 sheets" in english.get_text(" ")
    welsh = await client.get(f"/cy/manage/rounds/{round_id}/paper/{batch}")
    assert welsh.status_code == 200 and "Cafodd y blwch ei ddatgan gyda 1 ddalen" in welsh.text


async def test_a_batch_cannot_come_from_an_area_whose_residents_may_not_vote(client):
    from pb.rounds.tables import Area

    round_id, area, projects = await voting_round(allow_revote=False)
    await Area.update({Area.residents_eligible: False}).where(Area.id == area)
    await make_user(email="anna@example.org", roles={"facilitator"}, name="Anna")
    await sign_in(client, "anna@example.org")
    refused = await submit(client, f"/en/manage/rounds/{round_id}/paper", {"label": "Box 9", "area": str(area), "sheets": "2"})
    assert refused.status_code == 422 and await PaperBatch.count() == 0
    assert not BeautifulSoup(refused.text, "html.parser").select(f"input[name=area][value='{area}']")


async def test_an_officer_accepts_a_difference_in_sheets_or_cancels_a_batch_with_a_reason(client):
    round_id, area, projects = await voting_round(allow_revote=False)
    anna = await make_user(email="anna@example.org", roles={"facilitator"})
    bryn = await make_user(email="bryn@example.org", roles={"facilitator"})
    box = await paper_actions.create_batch(anna, round_id, area, "Box labelled 3", 3)
    entry = {1: {"code": "", "choices": {projects[0]: 1}, "spoilt": False}}
    await paper_actions.save_entry(anna, box, entry)
    await paper_actions.save_entry(bryn, box, entry)
    page_url = f"/en/manage/rounds/{round_id}/paper/{box}"
    # A facilitator may not accept the difference or cancel: officers only.
    await sign_in(client, "bryn@example.org")
    token = csrf_from((await client.get(page_url)).text)
    for url in (f"{page_url}/accept-difference", f"{page_url}/cancel"):
        assert (await client.post(url, data={"_csrf_token": token, "reason": "x"})).status_code == 403
    client.cookies.clear()
    await make_user(email="olwen@example.org", roles={"officer"})
    await sign_in(client, "olwen@example.org")
    page = await client.get(page_url)
    assert "Accept and count" not in page.text and "An officer who entered neither entry must check the box" in page.text
    empty = await submit(client, page_url, {"accepted-reason": " "}, action=f"{page_url}/accept-difference")
    soup = BeautifulSoup(empty.text, "html.parser")
    assert empty.status_code == 422 and soup.select_one("#accepted-reason-error")
    assert soup.select_one(".govuk-error-summary a[href='#accepted-reason']")
    accepted = await submit(
        client, page_url, {"accepted-reason": "Two sheets were blank slips"}, action=f"{page_url}/accept-difference"
    )
    assert accepted.status_code == 303
    page = await client.get(page_url)
    assert "Two sheets were blank slips" in page.text and "Accept and count" in page.text
    # A second box, started by mistake: cancelled with a reason, it never counts.
    spare = await paper_actions.create_batch(anna, round_id, area, "Started twice", 2)
    cancelled = await submit(
        client,
        f"{page_url[: page_url.rindex('/')]}/{spare}",
        {"cancelled-reason": "Duplicate of box 3"},
        action=f"{page_url[: page_url.rindex('/')]}/{spare}/cancel",
    )
    assert cancelled.status_code == 303
    assert (await paper_actions.get_batch(spare))["status"] == "cancelled"
    assert await paper_actions.waiting_batches(round_id) == 1  # only the box still to count
