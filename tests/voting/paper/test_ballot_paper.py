"""The printed ballot paper of an area: Welsh first then English in every part, one table to mark
with the projects in the order paper entry uses, their costs, how to mark it for the round's method
and a box for a voting code. For staff, while it can be used."""

from bs4 import BeautifulSoup

from pb.proposals.tables import Proposal
from pb.rounds.tables import Round
from pb.voting.paper import actions as paper_actions
from tests.conftest import make_proposal, make_user, sign_in
from tests.voting.test_voting import voting_round


def _text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


async def test_the_paper_reads_welsh_first_and_lists_what_entry_lists(client):
    round_id, area, projects = await voting_round()
    author = (await Proposal.select(Proposal.author).first())["author"]
    await Proposal.update({Proposal.title_cy: "Ardal chwarae", Proposal.revised_cost_pence: 5_500_00}).where(
        Proposal.id == projects[0]
    )
    await make_proposal(round_id, area, author, status="not_eligible", title_en="Left out")
    await make_user(email="fac@example.org", roles={"facilitator"})
    await sign_in(client, "fac@example.org")
    listing = BeautifulSoup((await client.get(f"/en/manage/rounds/{round_id}/paper")).text, "html.parser")
    link = listing.find("a", string="Ballot paper for Riverside")
    assert link is not None
    for lang in ("en", "cy"):
        answer = await client.get(link["href"].replace("/en/", f"/{lang}/"))
        assert answer.status_code == 200
        soup = BeautifulSoup(answer.text, "html.parser")
        paper = soup.select_one(".pb-ballot-paper")
        how = [part for part in paper.find_all("div", recursive=False) if part.get("lang")]
        assert [part["lang"] for part in how] == ["cy", "en"]  # Welsh first, whatever the page's language
        assert "Rhowch groes (X) yn y blwch" in _text(how[0]) and "£10,000" in _text(how[0])
        assert "Put a cross (X) in the box" in _text(how[1]) and "£10,000" in _text(how[1])
        rows = paper.select("tbody tr")
        assert [_text(row.find_all("td")[0]) for row in rows] == ["1", "2", "3"]
        first = rows[0].find_all("td")[1].find_all("span")
        assert [(span["lang"], span.get_text()) for span in first] == [("cy", "Ardal chwarae"), ("en", "Play area")]
        assert _text(rows[0].find_all("td")[2]) == "£5,500"  # the revised cost
        assert "Left out" not in paper.get_text()
        codes = [p for p in paper.find_all("p", recursive=False) if p.get("lang")]
        assert [p["lang"] for p in codes] == ["cy", "en"] and "Cod pleidleisio" in _text(codes[0])
        assert f"/cy/rounds/{round_id}/vote" in _text(codes[0]) and f"/en/rounds/{round_id}/vote" in _text(codes[1])
    # Paper entry lists the same projects, numbered as on the paper.
    batch = await paper_actions.create_batch(
        await make_user(email="anna@example.org", roles={"facilitator"}), round_id, area, "Box 1", 2
    )
    entry = BeautifulSoup((await client.get(f"/en/manage/rounds/{round_id}/paper/{batch}/enter")).text, "html.parser")
    labels = [_text(label) for label in entry.select("label.govuk-checkboxes__label")][:3]
    assert labels == ["1. Play area", "2. Benches", "3. Bins"]


async def test_the_instructions_follow_the_ballot_method(client):
    round_id, area, projects = await voting_round()
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    path = f"/en/manage/rounds/{round_id}/paper/ballot/{area}"
    await Round.update({Round.ballot_method: "k_approval", Round.ballot_max_choices: 2}).where(Round.id == round_id)
    text = _text(BeautifulSoup((await client.get(path)).text, "html.parser").select_one(".pb-ballot-paper"))
    assert "up to 2 projects" in text and "hyd at 2 o brosiectau" in text
    await Round.update(
        {Round.ballot_method: "cumulative", Round.ballot_points: 10, Round.ballot_max_points_per_project: 5}
    ).where(Round.id == round_id)
    text = _text(BeautifulSoup((await client.get(path)).text, "html.parser").select_one(".pb-ballot-paper"))
    assert "up to 10 points in all, and no more than 5 for one project" in text and "hyd at 10 pwynt i gyd" in text


async def test_only_staff_and_only_while_it_can_be_used(client):
    round_id, area, projects = await voting_round()
    other, other_area, _ = await voting_round()
    await make_user(email="resident@example.org")
    await sign_in(client, "resident@example.org")
    path = f"/en/manage/rounds/{round_id}/paper/ballot/{area}"
    assert (await client.get(path)).status_code == 403
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    assert (await client.get(path)).status_code == 200
    assert (
        await client.get(f"/en/manage/rounds/{round_id}/paper/ballot/{other_area}")
    ).status_code == 404  # another round's area
    await Round.update({Round.phase: "results"}).where(Round.id == round_id)
    assert (await client.get(path)).status_code == 404


async def test_the_equality_slip_to_tear_off_is_welsh_first_with_every_answer(client):
    round_id, area, projects = await voting_round()
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    soup = BeautifulSoup((await client.get(f"/en/manage/rounds/{round_id}/paper/ballot/{area}")).text, "html.parser")
    slip = soup.select_one(".pb-equality-slip")
    assert slip is not None and slip.select_one("[lang=cy]").text.strip().startswith("Cwestiynau cydraddoldeb")
    text = _text(slip)
    assert text.index("Beth yw eich oedran?") < text.index("What is your age?")
    assert "Oes / Yes" in text and "Mae’n well gen i beidio â dweud / Prefer not to say" in text
    assert "Riverside" in text  # the area is printed on the slip, for the staff who enter it
