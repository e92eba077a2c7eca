"""The lot order: drawn when voting opens, published from then on, and the last tie-break."""

import random

from bs4 import BeautifulSoup

from pb.counting.lot import draw_lot, format_lot, parse_lot
from pb.proposals.tables import Proposal
from pb.rounds.tables import Round
from pb.voting import actions
from tests.conftest import make_proposal, make_round, make_user


def test_a_draw_is_an_order_of_exactly_the_projects_given():
    drawn = draw_lot([5, 3, 9, 3, 1])
    assert sorted(drawn) == [1, 3, 5, 9]


def test_draws_differ_and_every_order_can_come_up():
    rng = random.Random(2026)
    seen = {tuple(draw_lot([1, 2, 3], rng)) for _ in range(200)}
    assert len(seen) == 6  # all 3! orders


def test_the_stored_form_reads_back_and_ignores_junk():
    assert parse_lot(format_lot([12, 3, 7])) == ("12", "3", "7")
    assert parse_lot("12 x -3 7") == ("12", "7")
    assert parse_lot(None) == () and parse_lot("") == ()


async def test_opening_the_vote_draws_the_lot_over_the_projects_on_the_ballot():
    from pb.rounds.actions import change_phase

    round_id, (area,) = await make_round(phase="shortlist", areas=(("Riverside", "Glan yr Afon", 10_000_00),))
    author = await make_user(email="author@example.org")
    on = [await make_proposal(round_id, area, author, status="shortlisted", title_en=f"Project {i}") for i in range(4)]
    off = await make_proposal(round_id, area, author, status="not_eligible", title_en="Not on the ballot")
    await change_phase(await make_user(email="officer@example.org", roles={"officer"}), round_id, "voting")
    lot = parse_lot((await Round.select(Round.lot_order).where(Round.id == round_id).first())["lot_order"])
    assert sorted(int(p) for p in lot) == sorted(on) and str(off) not in lot


async def _tied_round(lot_first: int | None):
    """Two projects of the same cost with the same votes; the budget pays for one."""
    round_id, (area,) = await make_round(phase="voting", areas=(("Riverside", "Glan yr Afon", 5_000_00),))
    await Round.update({Round.counting_rule: "greedy"}).where(Round.id == round_id)
    author = await make_user(email=f"author{round_id}@example.org")
    first, second = [
        await make_proposal(round_id, area, author, status="on_ballot", title_en=title, cost_pence=4_000_00)
        for title in ("Murals", "Planters")
    ]
    if lot_first is not None:
        order = [second, first] if lot_first == second else [first, second]
        await Round.update({Round.lot_order: format_lot(order)}).where(Round.id == round_id)
    for voter in range(2):
        await actions.cast_ballot(
            round_id, area, actions.voter_key_for_user(round_id, voter), {first: 1, second: 1}, "online", True
        )
    return round_id, first, second


async def test_a_tie_nothing_else_settles_goes_to_the_project_drawn_first(client):
    from pb.rounds.actions import change_phase

    officer = await make_user(email="officer@example.org", roles={"officer"})
    for winner in ("second", "first"):
        round_id, first, second = await _tied_round(lot_first=None)
        chosen = second if winner == "second" else first
        other = first if chosen == second else second
        await Round.update({Round.lot_order: format_lot([chosen, other])}).where(Round.id == round_id)
        await change_phase(officer, round_id, "results")
        statuses = {
            r["id"]: r["status"] for r in await Proposal.select(Proposal.id, Proposal.status).where(Proposal.round == round_id)
        }
        assert statuses[chosen] == "funded" and statuses[other] == "not_funded"
        page = BeautifulSoup((await client.get(f"/en/rounds/{round_id}/results")).text, "html.parser")
        drawn = [li.get_text(strip=True) for li in page.select("details ol li")]
        assert drawn == [("Planters" if chosen == second else "Murals"), ("Murals" if chosen == second else "Planters")]


async def test_the_lot_is_public_on_the_round_page_while_voting_and_in_welsh(client):
    round_id, first, second = await _tied_round(lot_first=None)
    await Round.update({Round.lot_order: format_lot([second, first])}).where(Round.id == round_id)
    page = BeautifulSoup((await client.get(f"/en/rounds/{round_id}")).text, "html.parser")
    assert [li.get_text(strip=True) for li in page.select("details ol li")] == ["Planters", "Murals"]
    assert (await client.get(f"/cy/rounds/{round_id}")).status_code == 200
