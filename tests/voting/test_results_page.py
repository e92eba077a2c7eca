"""The results page as a resident reads it: a headline of what was allocated and how people voted,
and each project's figure named for what the ballot counted (votes, approvals or points)."""

import pytest
from bs4 import BeautifulSoup

from pb.rounds.actions import change_phase
from tests.voting.test_pabulib_import_export import closed_round


def read(html: str, selector: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").select_one(selector).get_text(" ").split())


@pytest.mark.parametrize(
    "method,fields,header_en,header_cy",
    [
        ("approval_budget", {}, "Votes", "Pleidleisiau"),
        ("k_approval", {"ballot_max_choices": 2, "ballot_min_choices": 1}, "Approvals", "Cymeradwyaethau"),
        ("cumulative", {"ballot_points": 6, "ballot_max_points_per_project": 3}, "Points", "Pwyntiau"),
    ],
)
async def test_the_headline_and_each_projects_figure(client, method, fields, header_en, header_cy):
    from pb.voting.tables import ResultLine

    round_id, areas, projects, officer = await closed_round(method, "greedy", **fields)
    await change_phase(officer, round_id, "results")
    funded = await ResultLine.select().where((ResultLine.round == round_id) & (ResultLine.funded == True))  # noqa: E712
    allocated = sum(line["cost_pence"] for line in funded) // 100
    # closed_round casts 10 ballots, the channels in turn: online, paper, code, assisted
    en = (await client.get(f"/en/rounds/{round_id}/results")).text
    assert read(en, "#headline") == (
        f"£{allocated:,} allocated to {len(funded)} projects. "
        "10 people voted: online 2, on paper 3, with a voting code 3, with help 2."
    )
    cy = (await client.get(f"/cy/rounds/{round_id}/results")).text
    assert read(cy, "#headline").startswith(f"£{allocated:,} wedi'i ddyrannu i ")
    for html, header in ((en, header_en), (cy, header_cy)):
        soup = BeautifulSoup(html, "html.parser")
        table = soup.select_one(f"#area-{areas[0]}-caption").find_parent("table")
        headers = [th.get_text(strip=True) for th in table.select("thead th")]
        assert headers[1] == header, headers
        first = next(line for line in funded if line["area"] == areas[0]) if funded else None
        if method == "cumulative" and first:
            row = table.select_one(f"a[href$='/proposals/{first['proposal']}']").find_parent("tr")
            figures = [td.get_text(strip=True) for td in row.select("td")][:2]
            assert figures == [str(first["points"]), str(first["votes"])]  # points, then the people who gave them
            assert first["points"] == 2 * first["votes"]


async def test_a_one_page_notice_per_area_welsh_first_and_nothing_before_the_close(client):
    round_id, areas, projects, officer = await closed_round()
    notice = f"/en/rounds/{round_id}/results/{areas[0]}/notice"
    assert (await client.get(notice)).status_code == 404  # voting has closed but results are not published
    await change_phase(officer, round_id, "results")
    results = BeautifulSoup((await client.get(f"/cy/rounds/{round_id}/results")).text, "html.parser")
    assert results.select_one(f"a[href='/cy/rounds/{round_id}/results/{areas[0]}/notice']")
    for lang in ("en", "cy"):
        page = BeautifulSoup((await client.get(f"/{lang}/rounds/{round_id}/results/{areas[0]}/notice")).text, "html.parser")
        halves = page.select("section.pb-notice__half")
        assert [half["lang"] for half in halves] == ["cy", "en"]  # Welsh first, whatever the page's language
        welsh, english = (" ".join(half.get_text(" ").split()) for half in halves)
        assert welsh.startswith("Cyngor Sir Prawf Canlyniadau Glan yr Afon")
        assert english.startswith("Test County Council Results for Riverside")
        assert "6 people voted." in english and "Pleidleisiodd 6 pherson." in welsh
        assert "Play area : £6,000" in english and f"/cy/rounds/{round_id}/results#area-{areas[0]}" in welsh
    assert (await client.get(f"/en/rounds/{round_id}/results/{areas[0] + 99}/notice")).status_code == 404
