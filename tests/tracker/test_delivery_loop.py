"""From result to delivery, closing by itself: frozen results give every funded project its delivery
record, linked to its proposal; a record made by hand is linked by choosing its project, once."""

import asyncio

from bs4 import BeautifulSoup

from pb.proposals.tables import Proposal
from pb.rounds.actions import change_phase
from pb.tracker import actions
from pb.tracker.tables import Delivery
from pb.voting import actions as voting
from tests.conftest import make_user, sign_in, submit
from tests.voting.test_voting import voting_round


async def _closed_round():
    """A vote of three projects in a £10,000 area: the play area and the bins are funded; the play
    area's cost was revised to £5,500 before the vote."""
    round_id, area, projects = await voting_round()
    play, benches, bins = projects
    await Proposal.update({Proposal.revised_cost_pence: 5_500_00}).where(Proposal.id == play)
    for n, chosen in enumerate(({play: 1}, {play: 1, bins: 1}, {bins: 1}, {benches: 1})):
        await voting.cast_ballot(round_id, area, voting.voter_key_for_user(round_id, 1000 + n), chosen, "online", False)
    officer = await make_user(email="officer@example.org", roles={"officer"})
    assert await change_phase(officer, round_id, "results") == "results"
    return round_id, officer, projects


async def test_frozen_results_give_each_funded_project_its_delivery_record(client):
    round_id, officer, (play, benches, bins) = await _closed_round()
    funded = {row["id"] for row in await Proposal.select(Proposal.id).where(Proposal.status == "funded")}
    assert play in funded and benches not in funded
    records = {row["proposal"]: row for row in await Delivery.select()}
    assert set(records) == funded
    assert records[play]["status"] == "not_started" and records[play]["allocated_pence"] == 5_500_00  # the revised cost
    assert records[play]["title_en"] == "Play area"
    # Moving on to delivery does not make a second record.
    await change_phase(officer, round_id, "delivery")
    assert await Delivery.count() == len(funded)
    # The proposal's page shows it, in both languages, and officers get the way to update it.
    for lang, heading in (("en", "Delivery"), ("cy", "Cyflawni")):
        page = BeautifulSoup((await client.get(f"/{lang}/proposals/{play}")).text, "html.parser")
        section = page.find(id="what-happened").find_parent()
        assert heading in section.get_text() and section.find("a", href=f"/{lang}/delivery/{records[play]['id']}")
        assert not section.find("a", href=f"/{lang}/manage/delivery/{records[play]['id']}")
    await sign_in(client, "officer@example.org")
    page = BeautifulSoup((await client.get(f"/en/proposals/{play}")).text, "html.parser")
    assert page.find("a", href=f"/en/manage/delivery/{records[play]['id']}", string="Post a delivery update")


async def test_a_record_made_by_hand_is_linked_by_choosing_its_project_once(client):
    round_id, officer, (play, benches, bins) = await _closed_round()
    await Delivery.delete().where(Delivery.proposal == bins)  # as if made before pb linked them
    by_hand = await actions.save_delivery(officer, None, {"title_en": "Bins", "title_cy": "Biniau", "allocated_pence": 2_000_00})
    another = await actions.save_delivery(officer, None, {"title_en": "Bins again", "title_cy": "Biniau eto"})
    await sign_in(client, "officer@example.org")
    page = BeautifulSoup((await client.get(f"/cy/manage/delivery/{by_hand}")).text, "html.parser")
    options = {option["value"]: option.get_text() for option in page.select("select#proposal option")}
    assert options == {"": "Dewiswch brosiect a ariannwyd", str(bins): "Bins"}  # only funded projects without a record
    nothing = await submit(
        client, f"/en/manage/delivery/{by_hand}", {"proposal": ""}, action=f"/en/manage/delivery/{by_hand}/link"
    )
    assert nothing.status_code == 422 and "Choose a funded project" in nothing.text
    not_funded = await submit(
        client, f"/en/manage/delivery/{by_hand}", {"proposal": str(benches)}, action=f"/en/manage/delivery/{by_hand}/link"
    )
    assert not_funded.status_code == 422
    done = await submit(
        client, f"/en/manage/delivery/{by_hand}", {"proposal": str(bins)}, action=f"/en/manage/delivery/{by_hand}/link"
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?linked=1")
    assert (await Delivery.select(Delivery.proposal).where(Delivery.id == by_hand).first())["proposal"] == bins
    twice = await submit(
        client, f"/en/manage/delivery/{another}", {"proposal": str(bins)}, action=f"/en/manage/delivery/{another}/link"
    )
    assert twice.status_code == 422 and "That project already has a delivery record" in twice.text
    shown = BeautifulSoup((await client.get(f"/en/proposals/{bins}")).text, "html.parser")
    assert shown.find("a", href=f"/en/delivery/{by_hand}")


async def test_two_records_linked_to_one_project_at_once_one_wins():
    round_id, officer, (play, benches, bins) = await _closed_round()
    await Delivery.delete().where(Delivery.proposal == bins)
    first = await actions.save_delivery(officer, None, {"title_en": "One", "title_cy": "Un"})
    second = await actions.save_delivery(officer, None, {"title_en": "Two", "title_cy": "Dau"})
    outcomes = await asyncio.gather(
        actions.link_delivery(officer, first, bins), actions.link_delivery(officer, second, bins), return_exceptions=True
    )
    assert sum(outcome is None for outcome in outcomes) == 1
    assert sum(isinstance(outcome, actions.AlreadyLinked) for outcome in outcomes) == 1
    assert await Delivery.count().where(Delivery.proposal == bins) == 1


async def test_only_officers_link_records(client):
    round_id, officer, (play, benches, bins) = await _closed_round()
    by_hand = await actions.save_delivery(officer, None, {"title_en": "Bins", "title_cy": "Biniau"})
    await make_user(email="resident@example.org")
    await sign_in(client, "resident@example.org")
    refused = await submit(client, "/en/", {"proposal": str(bins)}, action=f"/en/manage/delivery/{by_hand}/link")
    assert refused.status_code == 403
    assert (await Delivery.select(Delivery.proposal).where(Delivery.id == by_hand).first())["proposal"] is None
