"""Tension monitoring: the spike rule (pure, tested exhaustively), ISO weeks in UK time, counting by
week, and the officers' page: who may see it, counts by area, category and week with the spike
marked, and no names or content."""

import itertools
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
from bs4 import BeautifulSoup

from pb.moderation import measures, tension
from pb.moderation.tables import CouncilNote, ModerationDecision, Report
from pb.proposals.tables import Comment
from tests.conftest import make_proposal, make_round, make_user, seed_demo, sign_in

pure = pytest.mark.pure


# The spike rule


def spec(this_week: int, previous: tuple[int, ...]) -> bool:
    """The rule as the page states it, in exact fractions."""
    average = Fraction(sum(previous), len(previous)) if previous else Fraction(0)
    return this_week >= measures.SPIKE_MINIMUM and this_week >= measures.SPIKE_FACTOR * average


@pure
def test_the_rule_is_the_one_the_page_states_for_every_small_history():
    checked = 0
    for previous in itertools.product(range(7), repeat=measures.BASELINE_WEEKS):
        for this_week in range(16):
            assert measures.is_spike(this_week, previous) == spec(this_week, previous), (this_week, previous)
            checked += 1
    assert checked == 7**4 * 16


@pure
@pytest.mark.parametrize(
    "this_week, previous, expected",
    [
        (5, (0, 0, 0, 0), True),  # from nothing to the minimum
        (4, (0, 0, 0, 0), False),  # below the minimum, however quiet the weeks before
        (4, (), False),
        (5, (), True),  # no history: compared with nothing
        (6, (3, 3, 3, 3), True),  # exactly twice the average
        (5, (3, 3, 3, 3), False),  # under twice
        (7, (4, 4, 3, 3), True),  # average 3.5: 7 is exactly twice, no rounding
        (6, (4, 4, 3, 3), False),
        (100, (50, 50, 50, 51), False),  # a busy place stays busy: no spike
        (102, (50, 50, 50, 54), True),
        (9, (1, 2, 1, 2), True),  # the demo's month then its week
        (5, (10, 0, 0, 0), True),  # average 2.5: 5 is twice
        (0, (0, 0, 0, 0), False),
    ],
)
def test_edges_of_the_rule(this_week, previous, expected):
    assert measures.is_spike(this_week, previous) is expected


@pure
def test_negative_counts_are_a_programming_error():
    with pytest.raises(ValueError):
        measures.is_spike(-1, (0, 0, 0, 0))
    with pytest.raises(ValueError):
        measures.is_spike(6, (0, -1, 0, 0))


@pure
def test_spikes_along_a_series():
    # Four weeks of history, then the weeks shown: each is judged against the four before it.
    series = [1, 2, 1, 2, 9, 9, 9, 30, 0]
    assert measures.spikes(series) == [True, True, False, True, False]
    assert measures.spikes([0, 0, 0, 0]) == []  # history only
    assert measures.spikes([0, 0, 0, 0, 5], baseline=4) == [True]
    assert measures.spikes([5, 5], baseline=1) == [False]


# Weeks


@pure
@pytest.mark.parametrize(
    "moment, monday",
    [
        (date(2026, 12, 3), date(2026, 11, 30)),  # a Thursday
        (date(2026, 11, 30), date(2026, 11, 30)),  # a Monday is its own week
        (date(2026, 12, 6), date(2026, 11, 30)),  # Sunday ends the week
        (datetime(2026, 12, 6, 23, 59, tzinfo=UTC), date(2026, 11, 30)),  # winter: UK time is UTC
        (datetime(2026, 7, 5, 23, 30, tzinfo=UTC), date(2026, 7, 6)),  # summer: 00:30 on Monday in Wales
        (datetime(2026, 7, 5, 22, 59, tzinfo=UTC), date(2026, 6, 29)),
        (datetime(2026, 7, 5, 23, 30), date(2026, 7, 6)),  # naive is UTC (SQLite)
        (datetime(2027, 1, 1, 12, tzinfo=UTC), date(2026, 12, 28)),  # ISO week 53 of 2026
    ],
)
def test_the_week_of_a_moment(moment, monday):
    assert measures.week_of(moment) == monday
    assert monday.weekday() == 0


@pure
def test_weeks_and_their_starts():
    assert measures.weeks_to(date(2026, 11, 30), 3) == [date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 30)]
    assert measures.weeks_to(date(2026, 11, 30), 0) == []
    assert measures.week_start(date(2026, 11, 30)) == datetime(2026, 11, 30, tzinfo=UTC)
    assert measures.week_start(date(2026, 7, 6)) == datetime(2026, 7, 5, 23, tzinfo=UTC)  # BST


@pure
def test_counting_by_week():
    weeks = [date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 30)]
    events = [
        ("a", date(2026, 11, 16)),
        ("a", date(2026, 11, 30)),
        ("a", date(2026, 11, 30)),
        ("b", date(2026, 11, 23)),
        ("c", date(2026, 11, 9)),  # before the weeks looked at
        ("c", date(2026, 12, 7)),  # after
    ]
    assert measures.weekly(events, weeks) == {"a": [1, 0, 2], "b": [0, 1, 0]}
    assert measures.weekly([], weeks) == {}


# The page


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


@pytest.mark.parametrize(
    "roles, status",
    [(None, 303), (set(), 403), ({"facilitator"}, 403), ({"officer"}, 200), ({"moderator"}, 200), ({"admin"}, 200)],
)
async def test_only_officers_and_moderators_see_it(client, roles, status):
    if roles is not None:
        await make_user(email="person@example.org", roles=roles)
        await sign_in(client, "person@example.org")
    response = await client.get("/en/moderation/tension")
    assert response.status_code == status
    if status == 303:
        assert "/en/sign-in" in response.headers["location"]
    if roles is not None:
        # The officers' rounds page links it for officers (moderators find it from their queue).
        if "officer" in roles or "admin" in roles:
            rounds = soup_of(await client.get("/en/manage/rounds"))
            assert bool(rounds.select("a[href='/en/moderation/tension']")) is (status == 200)


@pytest.mark.parametrize("measure", ["everything", "", "Reports", "notes'"])
async def test_an_unknown_measure_is_refused_cleanly(client, measure):
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    response = await client.get("/en/moderation/tension", params={"measure": measure})
    assert response.status_code == 400


def this_week_moments(count: int) -> list[datetime]:
    """`count` moments inside the current week (UK time), none in the future."""
    now = datetime.now(UTC)
    start = measures.week_start(measures.week_of(now))
    return [start + (now - start) * (index + 1) / (count + 2) for index in range(count)]


async def tense_world() -> dict:
    """Two areas: Riverside quiet for a month, then nine reports (harassment) this week on one
    proposal's comments; Hillside with one report a week. Two hides and a council note this week."""
    author = await make_user(email="author@example.org", name="Alys Author")
    reporters = [await make_user(email=f"reporter{n}@example.org", name=f"Rhodri Reporter {n}") for n in range(10)]
    moderator = await make_user(email="mod@example.org", name="Morgan Moderator", roles={"moderator"})
    round_id, (riverside, hillside) = await make_round()
    river = await make_proposal(round_id, riverside, author, title_en="Secret garden")
    hill = await make_proposal(round_id, hillside, author, title_en="Hidden hill path")
    comment = Comment(proposal=river, author=author, body="Comment body that names Mrs Jones")
    await Comment.insert(comment)
    this_monday = measures.week_start(measures.week_of(datetime.now(UTC)))
    rows = []
    # Riverside: 1, 0, 1, 0 in the four weeks before, 9 this week (on the proposal and its comment).
    for weeks_back, reporter in ((4, reporters[9]), (2, reporters[7])):
        rows.append(
            Report(
                target_kind="proposal",
                target_id=river,
                reporter=reporter,
                reason="spam",
                details="Report details naming Mr Smith",
                created_at=this_monday - timedelta(weeks=weeks_back) + timedelta(days=2),
            )
        )
    for index, moment in enumerate(this_week_moments(9)):
        kind, target = ("comment", comment.id) if index % 2 else ("proposal", river)
        rows.append(
            Report(
                target_kind=kind,
                target_id=target,
                reporter=reporters[index],
                reason="harassment",
                details="Report details naming Mr Smith",
                created_at=moment,
            )
        )
    # Hillside: one a week for six weeks.
    for weeks_back in range(6):
        rows.append(
            Report(
                target_kind="proposal",
                target_id=hill,
                reporter=reporters[weeks_back],
                reason="off_topic",
                created_at=this_monday - timedelta(weeks=weeks_back) + timedelta(hours=1)
                if weeks_back
                else this_week_moments(1)[0],
            )
        )
    await Report.insert(*rows)
    now_ish = this_week_moments(1)[0]
    await ModerationDecision.insert(
        ModerationDecision(
            target_kind="comment",
            target_id=comment.id,
            moderator_id=moderator,
            action="hide",
            reason="harassment",
            explanation="Explanation to the author",
            at=now_ish,
        ),
        ModerationDecision(
            target_kind="proposal",
            target_id=hill,
            moderator_id=moderator,
            action="keep",
            reason="",
            explanation="Explanation to the author",
            at=now_ish,
        ),
        ModerationDecision(
            target_kind="proposal",
            target_id=hill,
            moderator_id=moderator,
            action="hide",
            reason="held",
            explanation="Explanation to the author",
            at=now_ish,
        ),
    )
    await CouncilNote.insert(
        CouncilNote(
            target_kind="comment",
            target_id=comment.id,
            body_en="Council note body",
            body_cy="Corff nodyn",
            author_id=moderator,
            created_at=now_ish,
        )
    )
    return {"riverside": riverside, "hillside": hillside, "this_week": measures.week_of(datetime.now(UTC))}


async def test_the_counts_and_the_spike(client):
    found = await tense_world()
    result = await tension.tension("reports")
    assert len(result.weeks) == tension.WEEKS_SHOWN and result.weeks[0] == found["this_week"]
    totals = {row.key: row for row in result.totals}
    assert [cell.count for cell in totals["reports"].cells[:5]] == [10, 1, 2, 1, 2]
    assert totals["reports"].cells[0].spike and not any(cell.spike for cell in totals["reports"].cells[1:])
    assert totals["hidden"].cells[0].count == 2 and not totals["hidden"].cells[0].spike  # under the minimum
    assert totals["notes"].cells[0].count == 1
    areas = {row.key: row for row in result.by_area}
    assert [cell.count for cell in areas[found["riverside"]].cells[:5]] == [9, 0, 1, 0, 1]
    assert areas[found["riverside"]].spike_now
    assert [cell.count for cell in areas[found["hillside"]].cells[:6]] == [1, 1, 1, 1, 1, 1]
    assert not areas[found["hillside"]].spike_now
    categories = {row.key: row for row in result.by_category}
    assert categories["harassment"].cells[0].count == 9 and categories["harassment"].spike_now
    assert set(categories) == {"harassment", "spam", "off_topic"}
    assert {(a.measure, a.area, a.category) for a in result.alerts} == {
        ("reports", None, None),
        ("reports", found["riverside"], None),
        ("reports", None, "harassment"),
    }
    riverside_alert = next(a for a in result.alerts if a.area == found["riverside"])
    assert (riverside_alert.count, riverside_alert.average) == (9, 0.5)

    hidden = await tension.tension("hidden")
    assert {row.key: row.cells[0].count for row in hidden.by_area} == {found["riverside"]: 1, found["hillside"]: 1}
    assert {row.key: row.cells[0].count for row in hidden.by_category} == {"harassment": 1, tension.OTHER: 1}
    notes = await tension.tension("notes")
    assert [(row.key, row.cells[0].count) for row in notes.by_area] == [(found["riverside"], 1)]
    assert notes.by_category == []


async def test_the_page_marks_the_spike_in_both_languages_without_names_or_content(client):
    found = await tense_world()
    await make_user(email="officer@example.org", name="Owen Officer", roles={"officer"})
    await sign_in(client, "officer@example.org")
    week = found["this_week"].isoformat()
    for lang, spike_word in (("en", "Spike"), ("cy", "Cynnydd sydyn")):
        response = await client.get(f"/{lang}/moderation/tension")
        assert response.status_code == 200
        soup = soup_of(response)
        assert soup.html["lang"] == lang and len(soup.find_all("h1")) == 1
        cell = soup.select_one(f"#tension-areas td[data-area='{found['riverside']}'][data-week='{week}']")
        assert cell["data-spike"] == "yes" and cell.strong.text.strip() == "9"
        assert spike_word in cell.get_text()  # said in words, not by colour alone
        quiet = soup.select_one(f"#tension-areas td[data-area='{found['hillside']}'][data-week='{week}']")
        assert not quiet.has_attr("data-spike") and quiet.text.strip() == "1"
        total = soup.select_one(f"#tension-weeks td[data-measure=reports][data-week='{week}']")
        assert total["data-spike"] == "yes"
        assert soup.select_one(f"#tension-categories td[data-category=harassment][data-week='{week}']")["data-spike"] == "yes"
        assert len(soup.select("#spikes li")) == 3
        for table in soup.select("main table"):
            assert table.caption.text.strip() and table.find_parent(class_="pb-table-scroll")
            assert all(th.get("scope") == "col" for th in table.select("thead th"))
            assert all(th.get("scope") == "row" for th in table.select("tbody th"))
        for private in (
            "Alys",
            "Rhodri",
            "Morgan",
            "Secret garden",
            "Hidden hill path",
            "Mrs Jones",
            "Mr Smith",
            "Explanation",
            "Council note body",
            "example.org",
        ):
            assert private not in response.text.replace("officer@example.org", ""), private
    # Choosing what to count works without JavaScript: a GET form.
    notes = soup_of(await client.get("/en/moderation/tension?measure=notes"))
    assert notes.select_one("input[name=measure][value=notes]").has_attr("checked")
    assert notes.select_one(f"#tension-areas td[data-area='{found['riverside']}'][data-week='{week}']").text.strip() == "1"
    assert not notes.select("#tension-categories")


async def test_an_empty_page(client):
    await make_user(email="moderator@example.org", roles={"moderator"})
    await sign_in(client, "moderator@example.org")
    for lang in ("en", "cy"):
        soup = soup_of(await client.get(f"/{lang}/moderation/tension"))
        assert not soup.select("[data-spike]")
        assert soup.select_one("p#spikes")
        assert len(soup.select("#tension-weeks tbody tr")) == tension.WEEKS_SHOWN


async def test_the_demo_has_a_spike_this_week(client):
    await seed_demo("accounts", "rounds", "proposals", "moderation")
    result = await tension.tension("reports")
    assert any(alert.area is not None for alert in result.alerts)
    before = await Report.count()
    await seed_demo("moderation")  # again: nothing new
    assert await Report.count() == before
