"""Population baselines: an officer's CSV of who lives in each area, read line by line (every problem
with its line number), kept whole or not at all; the demo's figures are marked illustrative."""

import pytest
from bs4 import BeautifulSoup

from pb.audit.tables import AuditEvent
from pb.equality import baselines, demo, queries
from pb.equality.questions import MEASURES
from pb.equality.tables import BaselineSource, PopulationBaseline
from tests.conftest import make_round, make_user, seed_demo, sign_in
from tests.voting.codes.test_routes import officer

AREAS = [{"id": 1, "name_en": "Riverside", "name_cy": "Glan yr Afon"}, {"id": 2, "name_en": "Hillside", "name_cy": "Ochr y Bryn"}]
HEADER = "area,measure,group,people\n"
NOT_A_NUMBER = "“%(value)s” is not a number of people: write a whole number with the digits 0 to 9 only"


def _problems(reading):
    return [(line, message) for line, message, _ in reading.problems]


@pytest.mark.pure
def test_a_good_file_is_read_whole():
    text = (
        "\ufeffArea , MEASURE,Group,People\n"
        "Riverside,age,65_74,612\n"
        " glan yr afon ,age,75_plus, 540 \n"
        "\n"
        "2,sex,FEMALE,1003\n"
        "Ochr y Bryn,deprivation,q1,2010\n"
        "hillside,welsh,speaks,0\n"
    )
    reading = baselines.read_baseline(text.removeprefix("\ufeff"), AREAS)
    assert reading.problems == []
    assert reading.rows == [
        (1, "age", "65_74", 612),
        (1, "age", "75_plus", 540),
        (2, "sex", "female", 1003),
        (2, "deprivation", "q1", 2010),
        (2, "welsh", "speaks", 0),
    ]
    # Columns in another order, and columns the file has besides, are fine.
    other = baselines.read_baseline("people,group,measure,area,note\n10,male,sex,Riverside,from TS008\n", AREAS)
    assert other.problems == [] and other.rows == [(1, "sex", "male", 10)]


@pytest.mark.pure
def test_every_measure_and_group_of_the_report_can_be_given_and_deprivation_too():
    lines = [f"Riverside,{measure.key},{group},1" for measure in MEASURES for group, _ in measure.groups]
    lines += ["Hillside,deprivation,q5,1"]
    reading = baselines.read_baseline(HEADER + "\n".join(lines), AREAS)
    assert reading.problems == [] and len(reading.rows) == len(lines)
    assert [group for group, _ in baselines.DEPRIVATION.groups] == ["q1", "q2", "q3", "q4", "q5"]


@pytest.mark.pure
def test_every_problem_is_listed_with_its_line():
    reading = baselines.read_baseline(
        HEADER
        + "Riverside,age,65_74,612\n"  # 2: fine
        + "Atlantis,age,65_74,3\n"  # 3
        + "Riverside,height,tall,3\n"  # 4
        + "Riverside,age,over_100,3\n"  # 5
        + "Riverside,age,16_24,12.5\n"  # 6
        + "Riverside,age,25_34,-4\n"  # 7
        + "Riverside,age,35_44,10000001\n"  # 8
        + "Riverside,age\n"  # 9
        + "riverside,AGE,65_74,1\n"  # 10: the same as line 2
        + "Riverside,deprivation,q1,4000\n"  # 11
        + "Glan yr Afon,deprivation,q2,4000\n",  # 12: a second quintile for the same area
        AREAS,
    )
    assert _problems(reading) == [
        (3, "“%(value)s” is not one of this round's areas"),
        (4, "“%(value)s” is not one of the measures listed"),
        (5, "“%(value)s” is not a group of the measure %(measure)s"),
        (6, NOT_A_NUMBER),
        (7, NOT_A_NUMBER),
        (8, "The number of people must be 10,000,000 or fewer"),
        (9, "Give an area, a measure, a group and a number of people, separated by commas"),
        (10, "%(area)s, %(measure)s, %(group)s is already on line %(line)s"),
        (12, "An area is in one deprivation quintile: %(area)s already has one on line %(line)s"),
    ]
    assert reading.problems[2][2] == {"value": "over_100", "measure": "age"}
    assert reading.problems[7][2] == {"area": "riverside", "measure": "age", "group": "65_74", "line": 2}
    # One line may have several problems, each listed.
    several = baselines.read_baseline(HEADER + "Mars,colour,red,lots\n", AREAS)
    assert [line for line, _ in _problems(several)] == [2, 2, 2]


@pytest.mark.pure
@pytest.mark.parametrize("people", ["١٢", "１２", "१२", "+12", "12.0", "1e3", "1,000", "", "12 000", "²"])
def test_only_the_digits_0_to_9_make_a_number(people):
    reading = baselines.read_baseline(HEADER + f'Riverside,age,65_74,"{people}"\n', AREAS)
    assert _problems(reading) == [(2, NOT_A_NUMBER)] and reading.rows == []


@pytest.mark.pure
def test_a_file_without_headings_or_figures_is_refused():
    assert _problems(baselines.read_baseline("", AREAS)) == [(1, "The file is empty")]
    assert _problems(baselines.read_baseline("  \n", AREAS)) == [(1, "The file is empty")]
    headings = "The first line must be the headings: area,measure,group,people"
    assert _problems(baselines.read_baseline("Riverside,age,65_74,612\n", AREAS)) == [(1, headings)]
    assert _problems(baselines.read_baseline("area,measure,group,people,area\n", AREAS)) == [(1, headings)]
    assert _problems(baselines.read_baseline(HEADER + "\n\n", AREAS)) == [(2, "The file has no figures")]


@pytest.mark.pure
def test_the_demo_figures_are_plausible_and_older_people_are_many():
    names = list(demo.PEOPLE)
    areas = [{"id": number, "name_en": name, "name_cy": name} for number, name in enumerate(names, start=1)]
    reading = baselines.read_baseline(demo.baseline_csv(names), areas)
    assert reading.problems == []
    figures = {(area, measure, group): people for area, measure, group, people in reading.rows}
    for number, name in enumerate(names, start=1):
        population = demo.PEOPLE[name][0]
        assert 1_000 <= population <= 10_000
        for measure in ("age", "sex", "ethnic_group", "religion", "disability", "welsh", "caring", "deprivation"):
            assert sum(people for (area, key, _), people in figures.items() if area == number and key == measure) == population
        older = figures[(number, "age", "65_74")] + figures[(number, "age", "75_plus")]
        assert older / population >= 0.25


async def _upload(client, page, token, body: bytes, **fields):
    return await client.post(page, data={"_csrf_token": token, **fields}, files={"file": ("baseline.csv", body, "text/csv")})


async def test_an_officer_uploads_a_bad_file_then_a_good_one(client):
    round_id, (riverside, hillside) = await make_round(phase="shortlist")
    await officer(client)
    page = f"/en/manage/rounds/{round_id}/baseline"
    first = await client.get(page)
    assert first.status_code == 200 and "No population baseline yet" in first.text
    soup = BeautifulSoup(first.text, "html.parser")
    token = soup.select_one("input[name=_csrf_token]")["value"]
    documented = soup.select_one("table:has(#measures-caption)").get_text(" ")
    assert all(measure.key in documented for measure in baselines.BASELINE_MEASURES) and "75_plus" in documented

    await PopulationBaseline.insert(
        PopulationBaseline(round=round_id, area=riverside, measure="age", group_key="16_24", people=9)
    )
    bad = await _upload(
        client, page, token, (HEADER + "Riverside,age,65_74,612\nAtlantis,age,65_74,3\nHillside,age,65_74,１２\n").encode()
    )
    assert bad.status_code == 422
    assert await queries.baseline_of(round_id) == {(riverside, "age", "16_24"): 9}  # nothing changed
    soup = BeautifulSoup(bad.text, "html.parser")
    group = soup.select_one(".govuk-form-group--error:has(#file)")
    assert group is not None and "The file has 2 problems. Nothing was changed." in group.select_one("#file-error").get_text()
    rows = [" ".join(row.get_text(" ", strip=True).split()) for row in group.select("#problem-table tbody tr")]
    assert rows == [
        "3 “Atlantis” is not one of this round's areas",
        "4 “１２” is not a number of people: write a whole number with the digits 0 to 9 only",
    ]
    assert (await _upload(client, page, token, b"\xff\xfe not utf-8")).status_code == 422
    assert (await _upload(client, page, token, b"")).status_code == 422
    missing = await client.post(page, data={"_csrf_token": token})
    assert missing.status_code == 422 and "Choose a CSV file of population figures" in missing.text
    long = await _upload(client, page, token, (HEADER + "Riverside,age,65_74,612\n").encode(), source_en="x" * 501)
    assert long.status_code == 422 and "Describe the source in 500 characters or fewer" in long.text
    assert await PopulationBaseline.count() == 1

    good = await _upload(
        client,
        page,
        token,
        ("\ufeff" + HEADER + "Riverside,age,65_74,612\nOchr y Bryn,age,65_74,480\nHillside,age,75_plus,301\n").encode(),
        source_en="Census 2021, table TS007A",
        source_cy="Cyfrifiad 2021, tabl TS007A",
        illustrative="yes",
    )
    assert good.status_code == 303 and good.headers["location"] == page + "?saved=1"
    assert await queries.baseline_of(round_id) == {
        (riverside, "age", "65_74"): 612,
        (hillside, "age", "65_74"): 480,
        (hillside, "age", "75_plus"): 301,
    }
    assert await queries.baseline_totals(round_id) == {(riverside, "age"): 612, (hillside, "age"): 781}
    source = await queries.baseline_source(round_id)
    assert source is not None and source["illustrative"] and source["source_cy"] == "Cyfrifiad 2021, tabl TS007A"
    event = await AuditEvent.select().where(AuditEvent.action == "equality.baseline_replaced").first()
    assert event["target"] == f"round:{round_id}" and '"count": 3' in event["details"]

    saved = " ".join(BeautifulSoup((await client.get(page + "?saved=1")).text, "html.parser").get_text(" ").split())
    assert "The population baseline has been saved" in saved and "Census 2021, table TS007A" in saved and "781" in saved
    welsh = BeautifulSoup((await client.get(page.replace("/en/", "/cy/"))).text, "html.parser")
    welsh_text = " ".join(welsh.get_text(" ").split())
    assert (
        welsh.html["lang"] == "cy" and "Cyfrifiad 2021, tabl TS007A" in welsh_text and "Llinell sylfaen poblogaeth" in welsh_text
    )

    again = await _upload(client, page, token, (HEADER + "Hillside,sex,female,7\n").encode())  # replaces the whole baseline
    assert again.status_code == 303 and await queries.baseline_of(round_id) == {(hillside, "sex", "female"): 7}
    assert await BaselineSource.count() == 1 and not (await queries.baseline_source(round_id))["illustrative"]

    manage = BeautifulSoup((await client.get(f"/en/manage/rounds/{round_id}")).text, "html.parser")
    assert manage.select_one(f"a[href='/en/manage/rounds/{round_id}/baseline']") is not None


async def test_a_welsh_upload_lists_its_problems_in_welsh(client):
    round_id, _ = await make_round(phase="shortlist")
    await officer(client)
    page = f"/cy/manage/rounds/{round_id}/baseline"
    token = BeautifulSoup((await client.get(page)).text, "html.parser").select_one("input[name=_csrf_token]")["value"]
    bad = await _upload(client, page, token, (HEADER + "Glan yr Afon,oed,65_74,3\n").encode())
    assert bad.status_code == 422
    soup = BeautifulSoup(bad.text, "html.parser")
    row = " ".join(soup.select_one("#problem-table tbody tr").get_text(" ", strip=True).split())
    assert row == "2 Nid yw “oed” yn un o'r mesurau a restrir"


async def test_residents_and_unknown_rounds_are_refused(client):
    round_id, _ = await make_round()
    await make_user(email="resident@example.org")
    await sign_in(client, "resident@example.org")
    assert (await client.get(f"/en/manage/rounds/{round_id}/baseline")).status_code == 403
    await officer(client)
    assert (await client.get(f"/en/manage/rounds/{round_id + 99}/baseline")).status_code == 404


async def test_the_demo_baseline_is_marked_illustrative_and_loads_once():
    await seed_demo("rounds", "equality")
    sources = await BaselineSource.select()
    assert len(sources) == 4 and all(source["illustrative"] for source in sources)
    assert all(source["source_en"] == demo.SOURCE_EN and source["source_cy"] == demo.SOURCE_CY for source in sources)
    count = await PopulationBaseline.count()
    assert count > 0
    await seed_demo("rounds", "equality")
    assert await PopulationBaseline.count() == count
