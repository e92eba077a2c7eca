"""Eligibility checked by postcode: the council's list (a CSV, all or nothing, problems by line), then
the area follows from the voter's postcode online, with a code and at a kiosk; a form that names
another area is not believed."""

import pytest
from bs4 import BeautifulSoup

from pb.rounds import actions, postcodes
from pb.rounds.tables import Area, AreaPostcode
from pb.voting.tables import VoterRegister
from tests.conftest import make_round, make_user, sign_in, submit
from tests.voting.codes.test_routes import codes_for, officer
from tests.voting.test_voting import voting_round

AREAS = [{"id": 1, "name_en": "Riverside", "name_cy": "Glan yr Afon"}, {"id": 2, "name_en": "Hillside", "name_cy": "Ochr y Bryn"}]


@pytest.mark.pure
def test_a_postcode_is_read_as_written_on_letters():
    assert postcodes.normalise("cf101aa") == "CF10 1AA"
    assert postcodes.normalise("  LL55 1SH ") == "LL55 1SH"
    assert postcodes.normalise("sa1 1aa") == "SA1 1AA"
    for bad in ("", "CF10", "12345", "CF10 1AAA", "ＣＦ１０ １ＡＡ", "CF１0 1AA", "CF10 1ΑA", None, 12):
        assert postcodes.normalise(bad) is None, bad


@pytest.mark.pure
def test_a_list_is_read_whole_and_every_problem_has_its_line():
    good = postcodes.read_list("postcode,area\nCF10 1AA,Riverside\ncf10 1ab, glan yr afon \n\nLL55 1SH,Ochr y Bryn\n", AREAS)
    assert good.problems == [] and good.rows == [("CF10 1AA", 1), ("CF10 1AB", 1), ("LL55 1SH", 2)]
    bad = postcodes.read_list(
        "postcode,area\nCF10 1AA,Riverside\nnot one,Riverside\nCF10 1AB,Mars\ncf101aa,Hillside\nonly\n", AREAS
    )
    assert [(line, message) for line, message, _ in bad.problems] == [
        (3, "“%(value)s” is not a postcode"),
        (4, "“%(value)s” is not one of this round's areas"),
        (5, "%(postcode)s is already on line %(line)s"),
        (6, "Give a postcode and an area, separated by a comma"),
    ]
    assert bad.problems[2][2] == {"postcode": "CF10 1AA", "line": 2}
    assert postcodes.read_list("code,ward\nCF10 1AA,Riverside", AREAS).problems[0][0] == 1
    assert postcodes.read_list("postcode,area\n", AREAS).problems[0][1] == "The file has no postcodes"


async def _with_list(round_id, area_ids):
    await actions.replace_postcodes(1, round_id, [("CF10 1AA", area_ids[0]), ("LL55 1SH", area_ids[1])])


async def test_an_officer_uploads_a_list_all_or_nothing(client):
    round_id, areas = await make_round(phase="shortlist")
    await officer(client)
    page = f"/en/manage/rounds/{round_id}/postcodes"
    token = BeautifulSoup((await client.get(page)).text, "html.parser").select_one("input[name=_csrf_token]")["value"]

    async def upload(body: bytes, name="list.csv"):
        return await client.post(page, data={"_csrf_token": token}, files={"file": (name, body, "text/csv")})

    bad = await upload(b"postcode,area\nCF10 1AA,Riverside\nnonsense,Riverside\nLL55 1SH,Atlantis\n")
    assert bad.status_code == 422 and await AreaPostcode.count() == 0  # nothing kept
    rows = [" ".join(row.get_text(" ", strip=True).split()) for row in BeautifulSoup(bad.text, "html.parser").select("tbody tr")]
    assert "3 “nonsense” is not a postcode" in rows and "4 “Atlantis” is not one of this round's areas" in rows
    assert (await upload(b"\xff\xfe not utf-8")).status_code == 422
    good = await upload("\ufeffpostcode,area\nCF10 1AA,Riverside\nLL55 1SH,Ochr y Bryn\nLL55 1SJ,Hillside\n".encode())
    assert good.status_code == 303 and await AreaPostcode.count() == 3
    welsh = " ".join(BeautifulSoup((await client.get(page.replace("/en/", "/cy/"))).text, "html.parser").get_text(" ").split())
    assert "3 chod post yn y rhestr" in welsh
    again = await upload(b"postcode,area\nSA1 1AA,Riverside\n")  # a new list replaces the old one
    assert again.status_code == 303 and [row["postcode"] for row in await AreaPostcode.select()] == ["SA1 1AA"]
    await make_user(email="resident@example.org")
    await sign_in(client, "resident@example.org")
    assert (await client.get(page)).status_code == 403


async def test_online_the_area_follows_from_the_postcode_whatever_the_form_says(client):
    round_id, area, projects = await voting_round()
    other = Area(round=round_id, name_en="Hillside", name_cy="Ochr y Bryn", budget_pence=5_000_00)
    await Area.insert(other)
    await _with_list(round_id, [area, other.id])
    await make_user(email="voter@example.org")
    await sign_in(client, "voter@example.org")
    start = BeautifulSoup((await client.get(f"/en/rounds/{round_id}/vote")).text, "html.parser")
    assert start.select_one("input#postcode[autocomplete=postal-code]") and not start.select("input[name=area]")
    base = f"/en/rounds/{round_id}/vote/ballot?age=yes"
    for typed, message in (
        ("", "Enter your postcode"),
        ("CF１0 1AA", "Enter a real postcode"),
        ("SA1 1AA", "That postcode is not in any"),
    ):
        answer = await client.get(f"{base}&postcode={typed}")
        assert (
            answer.status_code == 422
            and message in BeautifulSoup(answer.text, "html.parser").select_one("#postcode-error").get_text()
        )
    # The postcode decides: asking for another area's ballot with it gives the postcode's area.
    ballot = await client.get(f"{base}&postcode=cf101aa&area={other.id}")
    assert ballot.status_code == 200
    soup = BeautifulSoup(ballot.text, "html.parser")
    assert (
        soup.select_one("input[name=area]")["value"] == str(area)
        and soup.select_one("input[name=postcode]")["value"] == "CF10 1AA"
    )
    assert {int(box["value"]) for box in soup.select("input[name=choice]")} == set(projects)
    review = await submit(
        client,
        f"{base}&postcode=CF10 1AA",
        {"area": str(other.id), "postcode": "LL55 1SH", "age": "yes", "choice": [str(projects[0])]},
        action=f"/en/rounds/{round_id}/vote/review",
    )
    assert review.status_code == 422  # a project of Riverside on Hillside's ballot: not accepted as Hillside's vote
    assert await VoterRegister.count() == 0


async def test_a_code_for_one_area_needs_no_postcode_and_a_kiosk_asks_for_it(client):
    round_id, area, projects = await voting_round(allow_revote=False)
    other = Area(round=round_id, name_en="Hillside", name_cy="Ochr y Bryn", budget_pence=5_000_00)
    await Area.insert(other)
    await _with_list(round_id, [area, other.id])
    await officer(client, "facilitator@example.org", roles=("facilitator",))
    form = f"/en/rounds/{round_id}/vote/assisted"
    page = BeautifulSoup((await client.get(form)).text, "html.parser")
    assert page.select_one("input#postcode") and not page.select("input[name=area]")
    _, round_wide = await codes_for(round_id)
    missing = await submit(client, form, {"code": round_wide[0], "email": "", "age": "yes"})
    assert missing.status_code == 422 and "Enter their postcode" in missing.text
    opened = await submit(client, form, {"code": round_wide[0], "email": "", "postcode": "ll551sh", "age": "yes"})
    assert opened.status_code == 303
    start = BeautifulSoup((await client.get(opened.headers["location"])).text, "html.parser")
    assert start.select_one("input[name=area]")["value"] == str(other.id)  # settled by the postcode
    await submit(client, f"/en/rounds/{round_id}", {}, action=f"/en/rounds/{round_id}/vote/assisted/cancel")
    _, for_riverside = await codes_for(round_id, area=area)
    fixed = await submit(client, form, {"code": for_riverside[0], "email": "", "postcode": "", "age": "yes"})
    assert fixed.status_code == 303  # the code's area settles it; no postcode needed
