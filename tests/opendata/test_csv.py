"""CSV downloads: UTF-8 with a byte-order mark, one row per public item, formula-safe."""

import csv
import io

import pytest

from pb.web.csvfile import BOM, pounds, safe_cell, to_csv
from tests.opendata.data import FORMULA, SECRETS, make_world


def rows_of(response) -> list[dict]:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    raw = response.content
    assert raw.startswith(BOM.encode("utf-8")), raw[:10]
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.mark.pure
@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        (FORMULA, "'" + FORMULA),
        ("Play area", "Play area"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (12, 12),
        (0, 0),
    ],
)
def test_cells_that_look_like_formulas_are_quoted(value, cell):
    assert safe_cell(value) == cell


@pytest.mark.pure
def test_files_have_a_bom_crlf_lines_and_quote_newlines():
    data = to_csv(["title", "note"], [["Ŵyn a ŷd", "two\nlines"], ['=HYPERLINK("x")', "ok"]])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.startswith("title,note\r\n")
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed == [["title", "note"], ["Ŵyn a ŷd", "two\nlines"], ['\'=HYPERLINK("x")', "ok"]]
    assert pounds(123450) == "1234.50" and pounds(5) == "0.05" and pounds(None) == ""


async def test_proposals_csv_escapes_a_formula_title_and_leaves_out_private_proposals(client):
    world = await make_world()
    response = await client.get(f"/api/proposals.csv?round={world.round_id}")
    rows = rows_of(response)
    assert 'filename="proposals-round-' in response.headers["content-disposition"]
    by_id = {int(row["id"]): row for row in rows}
    assert set(by_id) == {*world.proposals, world.formula_proposal}
    formula = by_id[world.formula_proposal]
    assert formula["title_en"] == "'" + FORMULA and formula["title_cy"] == "'+SUM(1,2)"
    assert formula["summary_en"] == "'-2+3" and formula["summary_cy"] == "'@risk"
    play = by_id[world.proposals[0]]
    assert play["area_cy"] == "Glan yr Afon" and play["estimated_cost_pounds"] == "12000.00" and play["status"] == "funded"
    assert play["url_cy"] == f"http://testserver/cy/proposals/{world.proposals[0]}"
    assert by_id[world.proposals[2]]["revised_cost_pounds"] == "9000.00"
    everything = response.content.decode("utf-8")
    for secret in SECRETS:
        assert secret not in everything
    # The stored title is untouched: only the spreadsheet copy is escaped.
    assert (await client.get(f"/api/proposals/{world.formula_proposal}")).json()["title"]["en"] == FORMULA


async def test_decisions_delivery_and_updates_csv(client):
    world = await make_world()
    decisions = rows_of(await client.get("/api/decisions.csv"))
    assert [int(row["id"]) for row in decisions] == [world.decision]
    assert decisions[0]["inputs"] == f"proposal:{world.proposals[0]} adopted; proposal:{world.proposals[1]} not_taken_forward"
    assert decisions[0]["decided_on"] == "2027-03-12"
    delivery = rows_of(await client.get(f"/api/delivery.csv?round={world.round_id}"))
    assert {row["external_ref"] for row in delivery} == {"PLAY-1", "PLAY-1a"}
    play = next(row for row in delivery if row["external_ref"] == "PLAY-1")
    assert play["allocated_pounds"] == "12000.00" and play["progress"] == "40" and play["title_cy"] == "Ardal chwarae"
    updates = rows_of(await client.get("/api/delivery-updates.csv"))
    assert [row["progress"] for row in updates] == ["10", "50", "40"]  # oldest first
    assert updates[-1]["update_en"] == "'" + FORMULA and updates[-1]["external_ref"] == "PLAY-1a"
    empty = rows_of(await client.get(f"/api/delivery-updates.csv?area={world.areas[1]}"))
    assert empty == []


async def test_a_formula_imported_by_an_officer_is_stored_as_typed_and_escaped_on_export(client):
    from datetime import date

    from pb.tracker.tables import Delivery, DeliveryUpdate
    from tests.conftest import csrf_from, make_user, sign_in

    await Delivery.insert(Delivery(title_en="Play area", title_cy="Ardal chwarae", external_ref="PLAY-1"))
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    page = await client.get("/en/manage/delivery/import")
    text = (
        "external_ref,date,status,progress,spent,update_en,update_cy\n"
        f'PLAY-1,{date.today()},in_progress,10,,"{FORMULA}","@SUM(1)"\n'
    )
    response = await client.post(
        "/en/manage/delivery/import",
        data={"_csrf_token": csrf_from(page.text)},
        files={"file": ("updates.csv", text.encode(), "text/csv")},
    )
    assert response.status_code == 303, response.text[:300]
    assert (await DeliveryUpdate.select(DeliveryUpdate.body_en).first())["body_en"] == FORMULA
    [row] = rows_of(await client.get("/api/delivery-updates.csv"))
    assert (row["update_en"], row["update_cy"]) == ("'" + FORMULA, "'@SUM(1)")
    [item] = (await client.get("/api/delivery")).json()["items"]
    assert (await client.get(item["api_url"].removeprefix("http://testserver"))).json()["updates"][0]["body"]["en"] == FORMULA
