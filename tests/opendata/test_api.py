"""The JSON API: public items only, bilingual fields, pagination, and every answer as the schema says."""

import pytest

from tests.opendata.data import SECRETS, make_world
from tests.opendata.schema_check import check_response, operation_for


async def schema_of(client) -> dict:
    response = await client.get("/api/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


async def get(client, spec, path, status=200):
    response = await client.get(path)
    assert response.status_code == status, (path, response.status_code, response.text[:300])
    check_response(spec, response)
    return response


async def test_every_endpoint_answers_as_the_schema_says_and_shows_nothing_private(client):
    world = await make_world()
    spec = await schema_of(client)
    paths = [
        "/api",
        "/api/rounds",
        f"/api/rounds/{world.round_id}",
        f"/api/rounds/{world.round_id}/proposals",
        f"/api/rounds/{world.round_id}/proposals?per_page=2&page=2",
        f"/api/rounds/{world.round_id}/proposals?status=funded",
        f"/api/rounds/{world.round_id}/proposals?area={world.areas[1]}",
        *(f"/api/proposals/{p}" for p in world.proposals),
        f"/api/proposals/{world.formula_proposal}",
        "/api/decisions",
        f"/api/decisions?round={world.round_id}",
        f"/api/decisions/{world.decision}",
        "/api/delivery",
        f"/api/delivery?round={world.round_id}&status=in_progress",
        f"/api/delivery?area={world.areas[0]}",
        f"/api/delivery/{world.delivery}",
        f"/api/delivery/{world.part}",
        "/api/proposals.csv",
        f"/api/proposals.csv?round={world.round_id}",
        "/api/decisions.csv",
        "/api/delivery.csv",
        "/api/delivery-updates.csv",
        "/api/feeds/decisions.atom",
        "/api/feeds/delivery.atom?lang=cy",
        f"/api/feeds/delivery.atom?round={world.round_id}",
        f"/api/feeds/decisions.atom?area={world.areas[0]}",
    ]
    bodies = []
    for path in paths:
        response = await get(client, spec, path)
        bodies.append(response.content.decode("utf-8"))
        assert "set-cookie" not in response.headers, path  # no CSRF or session cookie on open data
        assert response.headers["access-control-allow-origin"] == "*"
    everything = "\n".join(bodies)
    for secret in SECRETS:
        assert secret not in everything, secret
    for field in ('"author"', '"email"', '"feasibility_notes"', '"partners"', '"actor_id"', '"created_by"', '"hidden"'):
        assert field not in everything, field


async def test_private_things_are_not_found(client):
    world = await make_world()
    spec = await schema_of(client)
    for path in (
        f"/api/proposals/{world.draft_proposal}",
        f"/api/proposals/{world.hidden_proposal}",
        f"/api/proposals/{world.draft_round_proposal}",
        f"/api/rounds/{world.draft_round}",
        f"/api/rounds/{world.draft_round}/proposals",
        f"/api/decisions/{world.draft_decision}",
        "/api/rounds/999999",
        "/api/delivery/999999",
        "/api/proposals/99999999999",
        "/api/decisions/0",
        f"/api/decisions?round={world.draft_round}",
        f"/api/feeds/delivery.atom?round={world.draft_round}",
        "/api/proposals.csv?area=999999",
    ):
        response = await get(client, spec, path, status=404)
        assert response.json()["status"] == 404
    listed = (await client.get(f"/api/rounds/{world.round_id}/proposals?per_page=100")).json()
    assert {item["id"] for item in listed["items"]} == {*world.proposals, world.formula_proposal}
    assert [item["id"] for item in (await client.get("/api/decisions")).json()["items"]] == [world.decision]
    assert [item["id"] for item in (await client.get("/api/rounds")).json()["items"]] == [world.round_id]


@pytest.mark.parametrize(
    "query", ["page=0", "page=abc", "per_page=101", "per_page=0", "status=draft", "round=-1", "round=99999999999", "area=x"]
)
async def test_bad_parameters_are_a_documented_400(client, query):
    world = await make_world()
    spec = await schema_of(client)
    path = f"/api/rounds/{world.round_id}/proposals?{query}" if query.startswith("status") else f"/api/delivery?{query}"
    response = await get(client, spec, path, status=400)
    assert response.json()["status"] == 400


async def test_pagination_gives_totals_and_links_that_keep_the_filters(client):
    world = await make_world()
    first = (await client.get(f"/api/rounds/{world.round_id}/proposals?per_page=2&area={world.areas[1]}")).json()
    assert first["total"] == 2 and first["pages"] == 1 and first["next"] is None and first["previous"] is None
    first = (await client.get(f"/api/rounds/{world.round_id}/proposals?per_page=2")).json()
    assert (first["total"], first["page"], first["per_page"], first["pages"]) == (4, 1, 2, 2)
    assert first["previous"] is None and first["next"].startswith("http://testserver/api/rounds/")
    second = (await client.get(first["next"].removeprefix("http://testserver"))).json()
    assert second["page"] == 2 and second["next"] is None and second["previous"]
    assert {i["id"] for i in first["items"]}.isdisjoint({i["id"] for i in second["items"]})
    beyond = (await client.get(f"/api/rounds/{world.round_id}/proposals?page=9")).json()
    assert beyond["items"] == [] and beyond["total"] == 4 and beyond["previous"].endswith("page=1")
    filtered = (await client.get(f"/api/delivery?round={world.round_id}&per_page=1")).json()
    assert filtered["total"] == 2 and f"round={world.round_id}" in filtered["next"] and "per_page=1" in filtered["next"]


async def test_fields_are_bilingual_and_carry_the_public_story(client):
    world = await make_world()
    round_ = (await client.get(f"/api/rounds/{world.round_id}")).json()
    assert round_["title"] == {"en": "Our Neighbourhood Fund 2027", "cy": "Cronfa ein Cymdogaeth 2027"}
    assert round_["budget_pence"] == 80_000_00 and [a["name"]["cy"] for a in round_["areas"]] == ["Glan yr Afon", "Ochr y Bryn"]
    assert round_["html_url"] == {
        "en": f"http://testserver/en/rounds/{world.round_id}",
        "cy": f"http://testserver/cy/rounds/{world.round_id}",
    }
    benches = (await client.get(f"/api/proposals/{world.proposals[1]}")).json()
    assert benches["status_reason"] == {"en": "Not on council land", "cy": "Nid ar dir y cyngor"}
    assert benches["history"][0]["to_status"] == "not_eligible" and "actor_id" not in benches["history"][0]
    trees = (await client.get(f"/api/proposals/{world.proposals[2]}")).json()
    assert trees["revised_cost_pence"] == 9_000_00 and trees["cost_reason"]["en"] == "Cheaper trees"
    decision = (await client.get(f"/api/decisions/{world.decision}")).json()
    assert decision["decided_on"] == "2027-03-12" and decision["body"]["en"] == "Cabinet funded it, with changes."
    assert [(link["input_kind"], link["input_id"], link["effect"]) for link in decision["links"]] == [
        ("proposal", world.proposals[0], "adopted"),
        ("proposal", world.proposals[1], "not_taken_forward"),
    ]
    assert decision["links"][1]["explanation"] == {"en": "Not council land", "cy": "Nid tir y cyngor"}
    assert decision["revisions"][0]["body"]["en"] == "Cabinet funded it <b>now</b> & more."
    delivery = (await client.get(f"/api/delivery/{world.delivery}")).json()
    assert delivery["external_ref"] == "PLAY-1" and delivery["status"] == "in_progress"
    assert delivery["progress"] == 40  # rolled up from its one part, as on the public page
    assert [u["progress"] for u in delivery["updates"]] == [50, 10]  # newest first
    assert delivery["updates"][0]["body"]["en"] == "Halfway <there> & on budget"
    part = (await client.get(f"/api/delivery/{world.part}")).json()
    assert part["parent_id"] == world.delivery


async def test_the_schema_documents_only_the_api_and_loads_nothing_from_elsewhere(client):
    spec = await schema_of(client)
    assert spec["info"]["title"] == "pb open data"
    assert all(path == "/api" or path.startswith("/api/") for path in spec["paths"]), sorted(spec["paths"])
    assert not any(path.startswith("/api/schema") for path in spec["paths"])
    for path in (
        "/api/rounds",
        "/api/rounds/{round_id}",
        "/api/rounds/{round_id}/proposals",
        "/api/proposals/{proposal_id}",
        "/api/decisions",
        "/api/decisions/{decision_id}",
        "/api/delivery",
        "/api/delivery/{delivery_id}",
    ):
        assert "get" in spec["paths"][path], path
    template, operation = operation_for(spec, "GET", "/api/rounds/3/proposals")
    assert template == "/api/rounds/{round_id}/proposals"
    assert {p["name"] for p in operation["parameters"]} >= {"page", "per_page", "area", "status"}
    root = await client.get("/api/schema")
    assert root.status_code == 200 and root.json()["openapi"].startswith("3.")
    for ui in ("/api/schema/swagger", "/api/schema/redoc", "/api/schema/elements", "/api/schema/rapidoc"):
        assert (await client.get(ui)).status_code == 404, ui


async def test_html_pages_are_not_in_the_schema():
    from pb.app import create_app

    spec = create_app(run_outbox=False).openapi_schema.to_schema()
    assert all(path == "/api" or path.startswith("/api/") for path in spec["paths"]), sorted(spec["paths"])


@pytest.mark.pure
def test_the_schema_check_catches_undocumented_fields_wrong_types_and_missing_keys():
    from tests.opendata.schema_check import problems

    spec = {
        "components": {
            "schemas": {
                "T": {
                    "type": "object",
                    "required": ["a", "b"],
                    "properties": {
                        "a": {"type": "integer", "minimum": 0},
                        "b": {"oneOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
                        "c": {"type": "array", "items": {"$ref": "#/components/schemas/U"}},
                    },
                },
                "U": {"type": "object", "properties": {"en": {"type": "string"}}, "required": ["en"]},
            }
        }
    }
    t = {"$ref": "#/components/schemas/T"}
    assert problems(spec, t, {"a": 1, "b": None, "c": [{"en": "x"}]}) == []
    assert problems(spec, t, {"a": 1, "b": "2027-03-12"}) == []
    assert problems(spec, t, {"a": True, "b": None})  # a boolean is not an integer
    assert problems(spec, t, {"a": -1, "b": None})
    assert problems(spec, t, {"a": 1})
    assert problems(spec, t, {"a": 1, "b": "12/03/2027"})
    assert problems(spec, t, {"a": 1, "b": None, "email": "x@example.org"})
    assert problems(spec, t, {"a": 1, "b": None, "c": [{"en": 1}]})
