"""The participation report: figures from readable answers against the baseline, small numbers
protected, under-representation named; public only once voting has closed; CSV with the same figures."""

import csv
import datetime as dt
import io

from bs4 import BeautifulSoup

from pb.equality import actions, answers, invitations, report
from pb.equality.rules import THRESHOLD
from pb.rounds.actions import change_phase
from tests.conftest import make_round, make_user, sign_in


def rows(spec):
    """spec: list of (count, area, route, answers)."""
    return [report.Row(area, route, answers_) for count, area, route, answers_ in spec for _ in range(count)]


BASELINE = {
    (1, "age", "16_24"): 500,
    (1, "age", "75_plus"): 500,
    (2, "age", "16_24"): 500,
    (2, "age", "75_plus"): 500,
}


def test_shares_ratios_and_under_representation():
    found = report.build(
        rows(
            [
                (40, 1, "online", {"age": ("16_24",)}),
                (10, 1, "paper", {"age": ("75_plus",)}),
                (30, 2, "online", {"age": ("16_24",)}),
                (20, 2, "paper", {"age": ("75_plus",)}),
            ]
        ),
        [(1, "North"), (2, "South")],
        BASELINE,
    )
    age = next(m for m in found.measures if m.key == "age")
    lines = {line.group: line for line in age.lines}
    assert lines["16_24"].count == 70 and lines["75_plus"].count == 30 and age.answered == 100
    assert lines["75_plus"].share == 0.3 and lines["75_plus"].population_share == 0.5
    assert lines["75_plus"].under and not lines["16_24"].under
    assert [(m.key, line.group) for m, line in found.under_represented] == [("age", "75_plus")]
    assert found.respondents == 100 and found.respondents_shown


def test_small_counts_are_withheld_and_cannot_be_worked_out():
    found = report.build(
        rows(
            [
                (23, 1, "online", {"sex": ("female",)}),
                (3, 1, "paper", {"sex": ("female",)}),
                (20, 1, "online", {"sex": ("male",)}),
                (12, 1, "paper", {"sex": ("male",)}),
            ]
        ),
        [(1, "North")],
        {},
    )
    sex = next(m for m in found.measures if m.key == "sex")
    route = sex.by_route
    paper = [key for key, _ in route.columns].index("paper")
    online = [key for key, _ in route.columns].index("online")
    assert route.published.cells[0][paper] is None  # 3 women on paper: withheld
    # ...and so is another cell of its row and of its column, so neither sum gives it away.
    withheld_in_row = [c for c, value in enumerate(route.published.cells[0]) if value is None]
    assert len(withheld_in_row) >= 2 or route.published.row_totals[0] is None  # the row's sum does not give it away
    assert route.published.cells[0][online] == 25
    for line in sex.lines:
        assert line.count is None or line.count % 5 == 0
    table = report.csv_rows(found, lambda key, label: str(label))
    assert all(cell == "[c]" or cell == "" or int(cell) >= THRESHOLD for row in table[1:] for cell in row[4:5])


def test_under_ten_people_show_nothing():
    found = report.build(rows([(9, 1, "online", {"sex": ("male",)})]), [(1, "North")], {})
    assert not found.respondents_shown and all(m.answered is None or m.answered == 0 for m in found.measures)


def test_deprivation_comes_from_the_area_not_the_person():
    baseline = {(1, "deprivation", "q1"): 1000, (2, "deprivation", "q5"): 1000}
    found = report.build(rows([(12, 1, "online", {}), (40, 2, "online", {})]), [(1, "North"), (2, "South")], baseline)
    deprivation = next(m for m in found.measures if m.key == "deprivation")
    lines = {line.group: line for line in deprivation.lines}
    assert lines["q1"].count == 10 and lines["q5"].count == 40 and lines["q1"].under


async def _closed_round_with_answers(people=60):
    round_id, areas = await make_round(
        phase="voting", areas=(("Riverside", "Glan yr Afon", 10_000_00), ("Hillside", "Ochr y Bryn", 5_000_00))
    )
    today = dt.date.today()
    for i in range(people):
        area = areas[i % 2]
        route = "paper" if i % 5 == 0 else "online"
        age = ("75_plus",) if i % 5 == 0 else ("25_34",)
        invitation = invitations.read(invitations.invite(round_id, area, route, today), today)
        given = {"age": age, "welsh": ("speak",) if i % 3 == 0 else ("none",)}
        if i < 4:
            given["ethnic_group"] = ("black",)  # a small group: withheld
        elif i < 40:
            given["ethnic_group"] = ("white",)
        await answers.send_answers(invitation, given)
    rows_ = [(area, "age", group, 1000) for area in areas for group in ("25_34", "75_plus")]
    await actions.replace_baseline(None, round_id, rows_, "Census 2021", "Cyfrifiad 2021")
    return round_id, areas


async def test_the_report_is_published_only_after_the_close(client):
    round_id, areas = await _closed_round_with_answers()
    before = await client.get(f"/en/rounds/{round_id}/participation")
    assert (
        before.status_code == 200
        and "sealed until voting closes" in before.text
        and "60 people have answered so far" in before.text
    )
    assert (await client.get(f"/en/rounds/{round_id}/participation.csv")).status_code == 404
    await change_phase(0, round_id, "results")
    page = await client.get(f"/en/rounds/{round_id}/participation")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    summary = soup.select_one("ul.govuk-list--bullet").text
    # 12 of 60 is shown as 10 of 60 (rounded to the nearest 5), so 17%: shares come from published figures.
    assert "75 or over (Age): 17% of people who answered, 50% of the population." in " ".join(summary.split())
    assert soup.select("svg.pb-share-bar[role=img]")
    assert "Black, Black Welsh" in page.text and "withheld" in page.text  # 4 people: withheld, never "4"
    csv_file = await client.get(f"/en/rounds/{round_id}/participation.csv")
    table = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    black = [row for row in table if row[0] == "ethnic_group" and row[1] == "black" and row[2] == "all"]
    assert black and black[0][4] == "[c]"
    areas_seen = {row[3] for row in table if row[2] == "area"}
    assert {"Riverside", "Hillside"} <= areas_seen
    welsh = await client.get(f"/cy/rounds/{round_id}/participation")
    assert "Pwy gymerodd ran" in welsh.text and "75 neu hŷn" in welsh.text
    council = await client.get("/en/participation")
    assert council.status_code == 200 and "75 or over" in council.text
    assert (await client.get("/cy/participation.csv")).status_code == 200


async def test_officers_see_only_the_count_before_the_close(client):
    round_id, _ = await _closed_round_with_answers(people=12)
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    page = await client.get(f"/en/rounds/{round_id}/participation")
    assert "12 people have answered so far" in page.text and "75 or over" not in page.text


def test_the_council_wide_report_withholds_whatever_a_round_withholds():
    import random

    chance = random.Random(4)
    for _ in range(30):
        people = []
        for _ in range(chance.randint(20, 80)):
            age = chance.choice(["16_24", "25_34", "75_plus", "not_say"])
            people.append(report.Row(chance.choice([1, 2]), chance.choice(["online", "paper", "code"]), {"age": (age,)}))
        alone = report.build(people, [(1, "North"), (2, "South")], {})
        council = report.build(
            [report.Row(7, row.route, row.answers) for row in people], [(7, "The round")], {}, report.withheld_in_council([alone])
        )
        mine, theirs = (next(m for m in r.measures if m.key == "age") for r in (alone, council))
        for g, line in enumerate(mine.lines):
            if line.count is None:
                assert theirs.lines[g].count is None and theirs.by_area.published.cells[g][0] is None
            for c, shown in enumerate(mine.by_route.published.cells[g]):
                if shown is None:
                    assert theirs.by_route.published.cells[g][c] is None
