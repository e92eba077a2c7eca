"""The proposals listing is filtered, counted, sorted and paged in the database
(queries.list_proposals); it must show exactly what reading the round's proposals and sorting them
in Python gave (the computation below, as it was), on random data, with every filter, sort and page."""

import random
from datetime import UTC, datetime, timedelta

from pb.paging import page_of
from pb.proposals import lifecycle, listing, queries
from pb.proposals.tables import Proposal, ProposalTheme
from tests.conftest import make_proposal, make_round, make_user

WORDS = ("park", "bench", "library", "bus", "garden")
THEMES = ("young_people", "environment", "transport")


async def as_it_was(round_id: int, filters: listing.Filters) -> tuple[list[int], int, int, int]:
    query = Proposal.select(*queries.LIST_COLUMNS).where(
        (Proposal.round == round_id) & (Proposal.status != "draft") & (Proposal.hidden == False)  # noqa: E712
    )
    if filters.area:
        query = query.where(Proposal.area == filters.area)
    for word in listing.search_words(filters.q):
        query = query.where(Proposal.search_text.like(f"%{word}%"))
    if filters.theme:
        themed = await ProposalTheme.select(ProposalTheme.proposal).where(ProposalTheme.theme == filters.theme)
        query = query.where(Proposal.id.is_in([row["proposal"] for row in themed] or [0]))
    rows = [row for row in await query if listing.status_matches(row["status"], filters.status)]
    rows = listing.sort_rows(rows, filters.sort)
    shown, page, pages = page_of(rows, filters.page, listing.PAGE_SIZE)
    return [row["id"] for row in shown], page, pages, len(rows)


async def test_the_listing_shows_what_it_did_on_random_rounds():
    author = await make_user(email="author@example.org")
    for seed in range(3):
        rng = random.Random(seed)
        round_id, areas = await make_round(title_en=f"Round {seed}")
        moments = [datetime(2026, 5, 1, 9, tzinfo=UTC) + timedelta(minutes=rng.randrange(40)) for _ in range(8)]
        for _ in range(rng.randrange(30, 60)):
            title = " ".join(rng.sample(WORDS, 2))
            status = rng.choice(lifecycle.STATUSES)
            proposal = await make_proposal(
                round_id,
                rng.choice(areas),
                author,
                status=status,
                title_en=title,
                cost_pence=rng.choice((500_00, 1_000_00, 2_500_00)),
                themes=rng.sample(THEMES, rng.randrange(3)),
                support_count=rng.choice((0, 0, 3, 7)),
                revised_cost_pence=rng.choice((None, None, 1_000_00, 900_00)),
                hidden=rng.random() < 0.1,
            )
            submitted = None if status == "draft" or rng.random() < 0.1 else rng.choice(moments)  # ties in time too
            await Proposal.update({Proposal.submitted_at: submitted}).where(Proposal.id == proposal)
        compared = 0
        for status in ("", "all", *lifecycle.PUBLIC_STATUSES):
            for sort in listing.SORTS:
                for area in (None, areas[0]):
                    for theme, q in (("", ""), (THEMES[0], ""), ("", "park"), (THEMES[1], "bench garden")):
                        filters = listing.Filters(q=q, area=area, theme=theme, status=status, sort=sort)
                        expected = await as_it_was(round_id, filters)
                        for page in {1, 2, expected[2], expected[2] + 1}:
                            paged = listing.Filters(q=q, area=area, theme=theme, status=status, sort=sort, page=page)
                            rows, number, pages, total = await queries.list_proposals(round_id, paged)
                            assert ([row["id"] for row in rows], number, pages, total) == await as_it_was(round_id, paged), paged
                            compared += 1
        assert compared > 500
