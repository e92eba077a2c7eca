"""The staff dashboard of participation over time in a round: officers only, counts by week and
area, turnout as the phase allows, and never a project's votes before the results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup

from pb.admin import participation_rules
from pb.deliberation.tables import DeliberationSession, Registration
from pb.proposals.tables import Comment, Proposal, Support
from pb.rounds.actions import change_phase
from pb.voting import actions
from pb.web.templating import t
from tests.conftest import make_proposal, make_round, make_user, sign_in
from tests.english_leaks import english_leaks, peoples_phrases
from tests.web.test_query_budgets import count_get, queries  # noqa: F401  (a fixture)

MONDAY = datetime(2027, 1, 4, 10, tzinfo=UTC)  # the round's proposals open that week


def page_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def cells(soup: BeautifulSoup, table: str, row: str) -> list[str]:
    found = soup.select_one(f"#{table} tr[data-week='{row}']")
    assert found is not None, (table, row)
    return [" ".join(cell.text.split()) for cell in found.select("th, td")]


async def _participation(round_id: int, areas: list[int], people: int = 1) -> list[int]:
    """Proposals, supports, comments and session registrations in the round's first weeks."""
    author = await make_user(email=f"author{round_id}@example.org")
    river = await make_proposal(round_id, areas[0], author, title_en="Benches by the river", status="on_ballot")
    hill = await make_proposal(round_id, areas[1], author, title_en="Lights on the hill path", status="on_ballot")
    await make_proposal(round_id, areas[1], author, title_en="Still a draft", status="draft")
    await Proposal.update({Proposal.submitted_at: MONDAY}).where(Proposal.id == river)
    await Proposal.update({Proposal.submitted_at: MONDAY + timedelta(days=7)}).where(Proposal.id == hill)
    for n in range(people):
        person = await make_user(email=f"person{round_id}-{n}@example.org")
        await Support.insert(
            Support(proposal=river, user=person, created_at=MONDAY + timedelta(days=1)),
            Support(proposal=hill, user=person, created_at=MONDAY + timedelta(days=8)),
        )
        await Comment.insert(Comment(proposal=hill, author=person, body="Yes please", created_at=MONDAY + timedelta(days=9)))
    session = DeliberationSession(
        facilitator=author,
        round=round_id,
        title_en="Ideas evening",
        title_cy="Noson syniadau",
        starts_at=MONDAY + timedelta(days=30),
        ends_at=MONDAY + timedelta(days=30, hours=2),
        capacity=20,
    )
    await DeliberationSession.insert(session)
    await Registration.insert(
        Registration(session=session.id, user=author, created_at=MONDAY + timedelta(days=2)),
        Registration(
            session=session.id, user=author, attendee_key="mam", attendee_name="Mam", created_at=MONDAY + timedelta(days=3)
        ),
        Registration(session=session.id, user=author, attendee_key="x", status="cancelled", created_at=MONDAY),
    )
    return [river, hill]


async def test_residents_are_refused_and_an_unknown_round_is_not_found(client):
    round_id, _ = await make_round()
    signed_out = await client.get(f"/en/manage/rounds/{round_id}/participation")
    assert signed_out.status_code in (302, 303) and "/sign-in" in signed_out.headers["location"]
    await make_user()
    await sign_in(client)
    assert (await client.get(f"/en/manage/rounds/{round_id}/participation")).status_code == 403
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    assert (await client.get("/en/manage/rounds/999999/participation")).status_code == 404


async def test_officers_see_counts_by_week_and_area_linked_from_the_round(client):
    round_id, areas = await make_round(phase="shortlist")
    await _participation(round_id, areas, people=3)
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")

    manage = page_of((await client.get(f"/en/manage/rounds/{round_id}")).text)
    link = manage.find("a", string="Participation over time")
    assert link is not None and link["href"] == f"/en/manage/rounds/{round_id}/participation"

    answer = await client.get(link["href"])
    assert answer.status_code == 200
    soup = page_of(answer.text)
    assert soup.select_one("#participation-weeks caption").text.strip() == "Week by week"
    headers = [" ".join(th.text.split()) for th in soup.select("#participation-weeks thead th")]
    assert headers == ["Week beginning", "Proposals submitted", "Supports given", "Comments posted", "Session registrations"]
    # proposals, supports, comments, registrations (the cancelled place is not counted; the draft is not submitted)
    assert cells(soup, "participation-weeks", "2027-01-04") == ["4 January 2027", "1", "3", "0", "2"]
    assert cells(soup, "participation-weeks", "2027-01-11") == ["11 January 2027", "1", "3", "3", "0"]
    assert cells(soup, "participation-weeks", "total") == ["Total", "2", "6", "3", "2"]
    # weeks run to this week while the vote has not closed
    this_week = participation_rules.week_of(datetime.now(UTC)).isoformat()
    assert soup.select("#participation-weeks tbody tr")[-1]["data-week"] == max(this_week, "2027-01-11")

    # by area: Riverside, Hillside, all areas
    assert [" ".join(th.text.split()) for th in soup.select("#participation-supports thead th")] == [
        "Week beginning",
        "Riverside",
        "Hillside",
        "All areas",
    ]
    assert cells(soup, "participation-supports", "2027-01-04") == ["4 January 2027", "3", "0", "3"]
    assert cells(soup, "participation-supports", "2027-01-11") == ["11 January 2027", "0", "3", "3"]
    assert cells(soup, "participation-comments", "total") == ["Total", "0", "3", "3"]
    assert cells(soup, "participation-proposals", "total") == ["Total", "1", "1", "2"]
    assert "Voting has not started yet." in answer.text
    for table in soup.select("table"):  # every table is named by its caption and scrolls in its region
        region = table.find_parent("div", class_="pb-table-scroll")
        assert region is not None and region["aria-labelledby"] == table.caption["id"]
    # counts only: no project, no person
    for words in ("Benches by the river", "Lights on the hill path", "Yes please", "Mam"):
        assert words not in answer.text


async def test_no_project_tally_or_area_turnout_before_the_results(client):
    """An attack on ballot secrecy: votes cast in an open vote must show only as a number of voters
    by channel, with no project beside a count and no turnout by area."""
    round_id, areas = await make_round(phase="voting")
    river, hill = await _participation(round_id, areas)
    channels = ["online"] * 4 + ["code"] * 2 + ["paper"]
    for n, channel in enumerate(channels):
        key = actions.voter_key_for_user(round_id, 50_000 + n)
        await actions.cast_ballot(round_id, areas[n % 2], key, {river if n % 2 == 0 else hill: 1}, channel, False)
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")

    answer = await client.get(f"/en/manage/rounds/{round_id}/participation")
    assert answer.status_code == 200
    soup = page_of(answer.text)
    text = " ".join(soup.get_text(" ").split())
    for title in ("Benches by the river", "Lights on the hill path"):
        assert title not in answer.text
    assert soup.select("main a[href*='/proposals/']") == []  # no project is named or linked at all
    assert soup.select_one("#turnout-by-area") is None
    assert soup.select("[data-area]") == []
    so_far = soup.select_one("#turnout-so-far")
    assert so_far.caption.text.strip() == "7 people have voted so far"
    by_channel = {row["data-channel"]: row.td.text.strip() for row in so_far.select("tr[data-channel]")}
    assert by_channel == {"online": "4", "code": "2", "paper": "1", "assisted": "0", "total": "7"}
    # the turnout section names no area (areas appear only in the tables of proposals, supports, comments)
    turnout = soup.find(id="turnout").find_parent("div", class_="govuk-grid-row")
    section = " ".join(str(part) for part in [turnout, *turnout.find_next_siblings()])
    assert "Riverside" not in section and "Hillside" not in section
    assert "no time and no area" in text
    # supports are counts of people by week, never per project
    assert [th.text.strip() for th in soup.select("#participation-supports thead th")][1:3] == ["Riverside", "Hillside"]


async def test_after_the_results_turnout_is_by_area_and_channel(client):
    round_id, areas = await make_round(phase="voting")
    river, hill = await _participation(round_id, areas)
    for n, (area, channel) in enumerate([(0, "online"), (0, "online"), (0, "paper"), (1, "code")]):
        key = actions.voter_key_for_user(round_id, 60_000 + n)
        await actions.cast_ballot(round_id, areas[area], key, {river if area == 0 else hill: 1}, channel, False)
    officer = await make_user(email="officer@example.org", roles={"officer"})
    await change_phase(officer, round_id, "results")
    await sign_in(client, "officer@example.org")

    soup = page_of((await client.get(f"/en/manage/rounds/{round_id}/participation")).text)
    table = soup.select_one("#turnout-by-area")
    rows = {row["data-area"]: [" ".join(c.text.split()) for c in row.select("th, td")] for row in table.select("tr[data-area]")}
    assert rows == {
        str(areas[0]): ["Riverside", "2", "0", "1", "0", "3"],
        str(areas[1]): ["Hillside", "0", "1", "0", "0", "1"],
        "total": ["All areas", "2", "1", "1", "0", "4"],
    }
    # the weeks end with the week the vote closed (today, in this test)
    closed = participation_rules.week_of(datetime.now(UTC)).isoformat()
    assert soup.select("#participation-weeks tbody tr")[-1]["data-week"] == max(closed, "2027-01-11")


async def test_the_page_reads_as_welsh(client):
    round_id, areas = await make_round(phase="voting")
    await _participation(round_id, areas)
    await make_user(email="swyddog@example.org", roles={"officer"}, language="cy")
    await sign_in(client, "swyddog@example.org", lang="cy")
    answer = await client.get(f"/cy/manage/rounds/{round_id}/participation")
    assert answer.status_code == 200
    soup = page_of(answer.text)
    assert soup.h1.text.strip() == t("cy", "Participation over time") != "Participation over time"
    assert cells(soup, "participation-weeks", "2027-01-04")[0] == "4 Ionawr 2027"
    assert soup.select_one("#turnout-so-far caption").text.strip() == "Mae 0 o bobl wedi pleidleisio hyd yma"
    people = peoples_phrases(
        ["Our Neighbourhood Fund 2027", "Cronfa ein Cymdogaeth 2027", "Riverside", "Glan yr Afon", "Hillside", "Ochr y Bryn"]
    )
    assert english_leaks(answer.text, people=people) == []
    manage = page_of((await client.get(f"/cy/manage/rounds/{round_id}")).text)
    assert manage.find("a", href=f"/cy/manage/rounds/{round_id}/participation") is not None


async def test_the_dashboard_keeps_to_its_query_budget_whatever_the_numbers(client, queries):  # noqa: F811
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    counts = {}
    for people in (1, 12):
        for phase in ("shortlist", "voting"):
            round_id, areas = await make_round(phase=phase)
            await _participation(round_id, areas, people=people)
            # who is asking, the round, its areas, the close, proposals, supports, comments,
            # registrations, and (while voting) the register's count by channel
            n = await count_get(client, queries, f"/en/manage/rounds/{round_id}/participation")
            assert n <= 9, (phase, people, n, queries)
            counts.setdefault(phase, []).append(n)
    assert all(small == large for small, large in counts.values()), counts
