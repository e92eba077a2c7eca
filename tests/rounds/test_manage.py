"""Officers create rounds and move them through phases; the public sees the phase and budgets."""

from bs4 import BeautifulSoup

from pb.audit.tables import AuditEvent
from pb.proposals.tables import Proposal
from pb.rounds.tables import Area, PhaseChange, Round
from tests.conftest import make_proposal, make_round, make_user, sign_in, submit
from tests.rounds.test_rules import GOOD

# The round form as an officer fills it in: the pure tests' good form with two areas.
FORM = GOOD | {
    "description_en": "About it",
    "area-0-budget": "50000",
    "area-1-name_en": "Hillside",
    "area-1-name_cy": "Ochr y Bryn",
    "area-1-budget": "30000",
}


async def officer(client):
    user_id = await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    return user_id


async def test_officer_creates_a_round_with_areas(client):
    officer_id = await officer(client)
    response = await submit(client, "/en/manage/rounds/new", FORM)
    assert response.status_code == 303
    row = await Round.select().first()
    assert row["phase"] == "draft" and row["title_cy"] == "Cronfa'r Gymdogaeth"
    areas = await Area.select().where(Area.round == row["id"]).order_by(Area.position)
    assert [(a["name_en"], a["budget_pence"]) for a in areas] == [("Riverside", 5_000_000), ("Hillside", 3_000_000)]
    event = await AuditEvent.select().where(AuditEvent.action == "round.created").first()
    assert event["actor_id"] == officer_id
    # A draft round is not public.
    await submit(client, "/en/account", {}, action="/en/sign-out")
    assert (await client.get(f"/en/rounds/{row['id']}")).status_code == 404


async def test_round_form_errors_keep_what_was_typed(client):
    await officer(client)
    response = await submit(
        client, "/en/manage/rounds/new", {**FORM, "title_cy": "", "voting_from": "2027-13-01", "area-1-budget": "lots"}
    )
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert (
        soup.select_one("#title_cy-error") and soup.select_one("#voting_from-error") and soup.select_one("#area-1-budget-error")
    )
    assert soup.select_one("#title_en")["value"] == "Neighbourhood Fund"
    assert soup.select_one("#area-1-budget")["value"] == "lots"
    assert await Round.count() == 0


async def test_phase_changes_need_confirmation_and_are_logged(client):
    officer_id = await officer(client)
    round_id, _ = await make_round(phase="draft")
    unconfirmed = await submit(
        client,
        f"/en/manage/rounds/{round_id}/phase?to=proposals",
        {"to": "proposals"},
        action=f"/en/manage/rounds/{round_id}/phase",
    )
    assert unconfirmed.status_code == 422
    assert (await Round.select(Round.phase).first())["phase"] == "draft"
    done = await submit(
        client,
        f"/en/manage/rounds/{round_id}/phase?to=proposals",
        {"to": "proposals", "confirm": "yes"},
        action=f"/en/manage/rounds/{round_id}/phase",
    )
    assert done.status_code == 303
    assert (await Round.select(Round.phase).first())["phase"] == "proposals"
    change = await PhaseChange.select().first()
    assert (change["from_phase"], change["to_phase"], change["actor_id"]) == ("draft", "proposals", officer_id)
    assert await AuditEvent.exists().where(AuditEvent.action == "round.phase_changed")
    skip = await submit(
        client, f"/en/manage/rounds/{round_id}", {"to": "voting", "confirm": "yes"}, action=f"/en/manage/rounds/{round_id}/phase"
    )
    assert skip.status_code == 409  # no skipping phases
    assert (await Round.select(Round.phase).first())["phase"] == "proposals"


async def test_opening_the_vote_puts_the_shortlist_on_the_ballot(client):
    await officer(client)
    round_id, areas = await make_round(phase="shortlist")
    author = await make_user(email="a@example.org")
    listed = await make_proposal(round_id, areas[0], author, status="shortlisted")
    other = await make_proposal(round_id, areas[0], author, status="eligible")
    await submit(
        client, f"/en/manage/rounds/{round_id}", {"to": "voting", "confirm": "yes"}, action=f"/en/manage/rounds/{round_id}/phase"
    )
    statuses = {r["id"]: r["status"] for r in await Proposal.select(Proposal.id, Proposal.status)}
    assert statuses == {listed: "on_ballot", other: "eligible"}
    locked = await client.get(f"/en/manage/rounds/{round_id}/edit")
    assert locked.status_code == 409  # set-up is fixed once voting starts


async def test_area_with_proposals_cannot_be_removed(client):
    await officer(client)
    round_id, areas = await make_round()
    await make_proposal(round_id, areas[1], await make_user(email="a@example.org"))
    form = {**FORM, "area-0-id": str(areas[0]), "area-1-id": "", "area-1-name_en": "", "area-1-name_cy": "", "area-1-budget": ""}
    response = await submit(client, f"/en/manage/rounds/{round_id}/edit", form)
    assert response.status_code == 422
    assert await Area.count().where(Area.round == round_id) == 2


async def test_the_public_round_page_shows_phase_dates_next_and_money(client):
    round_id, _ = await make_round(phase="review")
    page = BeautifulSoup((await client.get(f"/cy/rounds/{round_id}")).text, "html.parser")
    text = page.get_text(" ")
    assert "Cronfa ein Cymdogaeth 2027" in text
    assert "Glan yr Afon" in text and "£50,000" in text and "£80,000" in text
    assert page.select_one(".govuk-tag--green") and page.select_one(".govuk-tag--blue")  # now, and next


async def test_residents_cannot_manage_rounds(client):
    await make_user()
    await sign_in(client)
    round_id, _ = await make_round()
    for path in (
        "/en/manage/rounds",
        "/en/manage/rounds/new",
        f"/en/manage/rounds/{round_id}",
        f"/en/manage/rounds/{round_id}/edit",
        f"/en/manage/rounds/{round_id}/proposals",
    ):
        assert (await client.get(path)).status_code == 403, path
