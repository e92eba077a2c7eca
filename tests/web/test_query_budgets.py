"""SQL queries per page: a fixed budget per page, counted (never timed), that does not grow with the
number of projects, comments or ballots. A page that starts reading row by row (an "N+1") fails
here before it slows a city's round.

The budgets are what the pages need today: who is asking (the session with the person it signs in
and their roles, in one query), the round and its areas, then the page's own data.
"""

import pytest

from pb.rounds.actions import change_phase
from pb.rounds.tables import Round
from pb.voting import actions
from tests.conftest import make_proposal, make_round, make_user, sign_in, submit
from tests.voting.test_voting import review_form


@pytest.fixture
def queries(monkeypatch):
    """Every SQL statement pb sends, in order (the engine's one entry point for queries)."""
    engine = type(Round._meta.db)
    sent: list[str] = []
    real = engine.run_querystring

    async def counted(self, querystring, *args, **kwargs):
        sent.append(str(querystring))
        return await real(self, querystring, *args, **kwargs)

    monkeypatch.setattr(engine, "run_querystring", counted)
    return sent


async def round_with(projects: int, phase="voting"):
    round_id, areas = await make_round(phase=phase, areas=(("Riverside", "Glan yr Afon", 1_000_000_00),))
    author = await make_user(email=f"author{projects}@example.org")
    ids = [
        await make_proposal(round_id, areas[0], author, status="on_ballot", title_en=f"Project {n}", cost_pence=1_000_00)
        for n in range(projects)
    ]
    return round_id, areas[0], ids


async def count_get(client, queries, url: str) -> int:
    queries.clear()
    answer = await client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return len(queries)


# page -> at most this many queries, for a signed-in resident
PUBLIC = {
    "/en/": 3,  # who is asking, the rounds open now, the sessions this week
    "/en/rounds/{round}": 4,
    "/en/rounds/{round}/proposals": 7,  # ... how many match, the page of them, their themes and pictures
    # ... the round, its areas with whether a postcode list decides the area (one query), and
    # whether this voter has voted
    "/en/rounds/{round}/vote": 4,
    "/en/rounds/{round}/vote/ballot?area={area}&age=yes": 4,  # ... and the projects on the ballot
}


async def test_who_is_asking_is_one_query(client, queries):
    """The session, the person it signs in and their roles: one query, signed in or not; none
    without a session cookie."""
    assert await count_get(client, queries, "/en/privacy") == 0
    await make_user(email="voter@example.org", roles={"officer", "moderator"})
    await sign_in(client, "voter@example.org")
    assert await count_get(client, queries, "/en/privacy") == 1
    page = await client.get("/en/manage/rounds")  # the roles came with it: an officer's page opens
    assert page.status_code == 200


async def test_each_page_keeps_to_its_budget_whatever_the_number_of_projects(client, queries):
    await make_user(email="voter@example.org")
    await sign_in(client, "voter@example.org")
    counts: dict[str, list[int]] = {}
    for size in (3, 30):
        round_id, area, _ = await round_with(size)
        for page, budget in PUBLIC.items():
            n = await count_get(client, queries, page.format(round=round_id, area=area))
            assert n <= budget, (page, size, n, queries)
            counts.setdefault(page, []).append(n)
    assert all(small == large for small, large in counts.values()), counts  # no query per project


async def test_casting_a_vote_keeps_to_its_budget(client, queries):
    round_id, area, projects = await round_with(10)
    await Round.update({Round.allow_revote: False}).where(Round.id == round_id)
    await make_user(email="voter@example.org")
    await sign_in(client, "voter@example.org")
    ballot = f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes"
    queries.clear()
    review = await submit(
        client,
        ballot,
        {"area": str(area), "age": "yes", "choice": [str(p) for p in projects[:4]]},
        f"/en/rounds/{round_id}/vote/review",
    )
    assert review.status_code == 200
    reviewed = len(queries)
    queries.clear()
    cast = await client.post(f"/en/rounds/{round_id}/vote/cast", data=review_form(review.text))
    assert cast.status_code in (200, 303)
    # The ballot page's own reads (submit() fetches it first), then the review; the cast is one
    # transaction: lock the round, register, sealed box, and the person's receipt; then one insert
    # records that the voter has been invited to the equality questions (never with the ballot).
    assert reviewed <= 8, queries
    assert len(queries) <= 8, queries


async def test_published_results_and_ballots_do_not_read_per_ballot(client, queries):
    sizes = {}
    for voters in (5, 40):
        round_id, area, projects = await round_with(5)
        for n in range(voters):
            key = actions.voter_key_for_user(round_id, 10_000 * voters + n)
            await actions.cast_ballot(round_id, area, key, {projects[n % 5]: 1}, "online", False)
        officer = await make_user(email=f"officer{voters}@example.org", roles={"officer"})
        await change_phase(officer, round_id, "results")
        sizes[voters] = [
            await count_get(client, queries, f"/en/rounds/{round_id}/results"),
            await count_get(client, queries, f"/en/rounds/{round_id}/ballots"),
        ]
    assert sizes[5] == sizes[40], sizes
    assert max(sizes[40]) <= 5, sizes


async def test_the_tracker_pages_keep_to_their_budget_whatever_the_number_of_inputs(client, queries):
    """The loop-closure figures and the page of inputs are counted and paged in the database: the
    same queries for 3 proposals with 6 comments as for 30 with 60 (none read per input)."""
    from pb.proposals.tables import Comment

    counts = []
    for size in (3, 30):
        round_id, area, ids = await round_with(size)
        author = await make_user(email=f"commenter{size}@example.org")
        await Comment.insert(*(Comment(proposal=ids[n % size], author=author, body=f"Comment {n}") for n in range(2 * size)))
        counts.append(
            [
                await count_get(client, queries, f"/en/rounds/{round_id}/you-said-we-did"),
                await count_get(client, queries, f"/en/rounds/{round_id}/you-said-we-did?answered=no&theme=young_people&page=2"),
                await count_get(client, queries, "/en/you-said-we-did"),
            ]
        )
    assert counts[0] == counts[1], counts
    assert counts[1][0] <= 13 and counts[1][1] <= 14 and counts[1][2] <= 8, counts


async def test_a_proposal_page_keeps_to_its_budget_whatever_the_number_of_comments(client, queries):
    """A proposal's page: the proposal, its round and areas, history, comments and each capability's
    section (moderators' and council notes, session outcomes, decisions, delivery), the same queries
    for 3 comments as for 30."""
    from pb.proposals.tables import Comment

    await make_user(email="reader@example.org")
    await sign_in(client, "reader@example.org")
    counts = []
    for size in (3, 30):
        round_id, areas = await make_round(phase="proposals")
        author = await make_user(email=f"writer{size}@example.org")
        proposal = await make_proposal(round_id, areas[0], author)
        await Comment.insert(
            *(Comment(proposal=proposal, author=author, body=f"Comment {n}", hidden=n % 7 == 0) for n in range(size))
        )
        counts.append(await count_get(client, queries, f"/en/proposals/{proposal}"))
    assert counts[0] == counts[1] and counts[1] <= 15, (counts, queries)
