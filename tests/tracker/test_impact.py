"""A decision's impact assessment summary (protected characteristics, the Welsh language, the
socio-economic duty, the well-being goals): recorded by officers, published with the decision in
both languages, kept in its revisions and in the open data."""

import csv
import io
import json

from bs4 import BeautifulSoup

from pb.tracker import actions, rules
from pb.tracker.tables import Decision, DecisionRevision
from tests.conftest import make_proposal, make_round, make_user, sign_in, submit
from tests.tracker.test_tracker import DECISION, officer

IMPACT = {
    "impact_protected_en": "Better for disabled people: step-free access.",
    "impact_protected_cy": "Gwell i bobl anabl: mynediad heb risiau.",
    "impact_welsh_en": "All signs bilingual.",
    "impact_welsh_cy": "Pob arwydd yn ddwyieithog.",
    "impact_socioeconomic_en": "Free to use.",
    "impact_socioeconomic_cy": "Am ddim i'w ddefnyddio.",
}


def text_of(html: str, selector: str) -> str:
    found = BeautifulSoup(html, "html.parser").select_one(selector)
    assert found is not None, selector
    return found.get_text(" ", strip=True)


def test_goals_are_kept_in_the_acts_order_and_unknown_keys_refused():
    values, errors = rules.validate_decision(DECISION, ["more_equal", "healthier", "healthier"])
    assert errors == {} and values["wellbeing_goals"] == "healthier,more_equal"
    assert rules.validate_decision(DECISION)[0]["wellbeing_goals"] == ""
    for bad in (["wealthy"], ["healthier", "healthier,prosperous"], [""], ["Healthier"]):
        assert "wellbeing_goals" in rules.validate_decision(DECISION, bad)[1], bad
    errors = rules.validate_decision({**DECISION, "impact_welsh_cy": "a" * 5001})[1]
    assert set(errors) == {"impact_welsh_cy"}
    # Invisible formatting is cleaned, as in the other texts.
    assert (
        rules.validate_decision({**DECISION, "impact_welsh_en": " Bi\u200blingual \u202e"})[0]["impact_welsh_en"] == "Bilingual"
    )
    assert rules.goals_of("resilient, prosperous,nonsense") == ["prosperous", "resilient"]
    assert not rules.has_impact({}) and rules.has_impact({"wellbeing_goals": "resilient"})
    assert not rules.has_impact({"wellbeing_goals": "nonsense", "impact_welsh_en": "  "})


async def _published(client, officer_id: int) -> int:
    round_id, areas = await make_round()
    proposal = await make_proposal(round_id, areas[0], await make_user(email="a@example.org"))
    values, _ = rules.validate_decision(DECISION)
    decision_id = await actions.save_decision(officer_id, None, round_id, values)
    await actions.link_input(
        officer_id,
        decision_id,
        {"input_kind": "proposal", "input_id": proposal, "effect": "adopted", "explanation_en": "", "explanation_cy": ""},
    )
    await actions.publish_decision(officer_id, decision_id)
    return decision_id


async def test_an_officer_records_the_assessment_and_the_public_page_shows_it_in_both_languages(client):
    officer_id = await officer(client)
    decision_id = await _published(client, officer_id)
    english = await client.get(f"/en/decisions/{decision_id}")
    assert 'id="impact"' not in english.text  # nothing filled in: no section

    path = f"/en/manage/decisions/{decision_id}"
    form = BeautifulSoup((await client.get(path)).text, "html.parser")
    assert form.select_one("#impact").get_text(strip=True) == "Impact assessment"
    assert len(form.select('input[type=checkbox][name="wellbeing_goals"]')) == 7
    saved = await submit(client, path, {**DECISION, **IMPACT, "wellbeing_goals": ["more_equal", "healthier"]})
    assert saved.status_code == 303, saved.text[:500]
    row = await Decision.select().where(Decision.id == decision_id).first()
    assert row["impact_welsh_cy"] == "Pob arwydd yn ddwyieithog." and row["wellbeing_goals"] == "healthier,more_equal"
    again = BeautifulSoup((await client.get(path)).text, "html.parser")  # the form shows what is saved
    assert {box["value"] for box in again.select('input[name="wellbeing_goals"][checked]')} == {"healthier", "more_equal"}
    assert again.select_one("#impact_protected_cy").get_text() == IMPACT["impact_protected_cy"]

    english = (await client.get(f"/en/decisions/{decision_id}")).text
    section = BeautifulSoup(english, "html.parser").select_one("#impact").find_parent().get_text(" ")
    assert "Impact assessment" in section
    for text in ("People with protected characteristics", "Better for disabled people", "All signs bilingual.", "Free to use."):
        assert text in section
    assert "A healthier Wales" in section and "A more equal Wales" in section and "A prosperous Wales" not in section
    welsh = (await client.get(f"/cy/decisions/{decision_id}")).text
    soup = BeautifulSoup(welsh, "html.parser")
    assert soup.select_one("#impact").get_text(strip=True) == "Asesiad effaith"
    page_text = soup.get_text(" ")
    for text in ("Gwell i bobl anabl", "Pob arwydd yn ddwyieithog.", "Cymru iachach", "Cymru sy'n fwy cyfartal", "Y Gymraeg"):
        assert text in page_text
    assert "Better for disabled people" not in page_text
    # The assessment changed on a published decision: what it said before is kept, and shown.
    assert await DecisionRevision.count() == 1
    before = json.loads((await DecisionRevision.select().first())["snapshot"])
    assert before["impact_welsh_en"] == "" and before["wellbeing_goals"] == ""
    assert "It had no impact assessment summary." in english


async def test_a_summary_in_one_language_only_is_shown_in_it_marked_with_its_language(client):
    officer_id = await officer(client)
    decision_id = await _published(client, officer_id)
    path = f"/en/manage/decisions/{decision_id}"
    saved = await submit(client, path, {**DECISION, "impact_welsh_cy": "Yn Gymraeg yn unig."})
    assert saved.status_code == 303
    english = BeautifulSoup((await client.get(f"/en/decisions/{decision_id}")).text, "html.parser")
    shown = next(div for div in english.select("div.pb-pre-wrap") if "Yn Gymraeg yn unig." in div.get_text())
    assert shown.get("lang") == "cy"
    welsh = BeautifulSoup((await client.get(f"/cy/decisions/{decision_id}")).text, "html.parser")
    shown = next(div for div in welsh.select("div.pb-pre-wrap") if "Yn Gymraeg yn unig." in div.get_text())
    assert shown.get("lang") is None


async def test_an_unknown_goal_is_refused_beside_the_field_and_what_was_typed_is_kept(client):
    await officer(client)
    for lang, message in (("en", "Choose well-being goals from the list"), ("cy", "Dewiswch nodau llesiant o'r rhestr")):
        response = await submit(
            client,
            f"/{lang}/manage/decisions/new",
            {**DECISION, **IMPACT, "wellbeing_goals": ["healthier", "wealthy<script>"]},
        )
        assert response.status_code == 422
        soup = BeautifulSoup(response.text, "html.parser")
        assert message in soup.select_one("#wellbeing_goals-error").get_text()
        assert soup.select_one('.govuk-error-summary a[href="#wellbeing_goals"]')
        assert soup.select_one("#impact_protected_en").get_text() == IMPACT["impact_protected_en"]
        assert soup.select_one("#impact_socioeconomic_cy").get_text() == IMPACT["impact_socioeconomic_cy"]
        assert soup.select_one("#title_en")["value"] == DECISION["title_en"]
        assert [box["value"] for box in soup.select('input[name="wellbeing_goals"][checked]')] == ["healthier"]
        assert "wealthy" not in response.text  # only the seven goals are offered
    too_long = await submit(client, "/en/manage/decisions/new", {**DECISION, "impact_protected_cy": "a" * 5001})
    assert too_long.status_code == 422
    assert "5,000 characters or fewer" in text_of(too_long.text, "#impact_protected_cy-error")
    assert await Decision.count() == 0


async def test_residents_cannot_record_an_impact_assessment(client):
    decision_id = await actions.save_decision(1, None, None, rules.validate_decision(DECISION)[0])
    await make_user(email="r@example.org")
    await sign_in(client, "r@example.org")
    for action in ("/en/manage/decisions/new", f"/en/manage/decisions/{decision_id}"):
        response = await submit(client, "/en/account", {**DECISION, **IMPACT, "wellbeing_goals": "healthier"}, action=action)
        assert response.status_code == 403
    row = await Decision.select().where(Decision.id == decision_id).first()
    assert row["impact_protected_en"] == "" and row["wellbeing_goals"] == "" and await Decision.count() == 1


async def test_the_assessment_is_in_the_open_data(client):
    officer_id = await officer(client)
    decision_id = await _published(client, officer_id)
    path = f"/en/manage/decisions/{decision_id}"
    await submit(client, path, {**DECISION, **IMPACT, "wellbeing_goals": ["resilient", "prosperous"]})
    answer = (await client.get(f"/api/decisions/{decision_id}")).json()
    assert answer["impact_assessment"] == {
        "protected_characteristics": {"en": IMPACT["impact_protected_en"], "cy": IMPACT["impact_protected_cy"]},
        "welsh_language": {"en": IMPACT["impact_welsh_en"], "cy": IMPACT["impact_welsh_cy"]},
        "socioeconomic": {"en": IMPACT["impact_socioeconomic_en"], "cy": IMPACT["impact_socioeconomic_cy"]},
        "wellbeing_goals": ["prosperous", "resilient"],
    }
    assert answer["revisions"][0]["impact_assessment"]["wellbeing_goals"] == []
    listed = (await client.get("/api/decisions")).json()["items"][0]
    assert listed["impact_assessment"]["wellbeing_goals"] == ["prosperous", "resilient"]
    rows = list(csv.DictReader(io.StringIO((await client.get("/api/decisions.csv")).text)))
    assert rows[0]["wellbeing_goals"] == "prosperous;resilient" and rows[0]["impact_welsh_cy"] == IMPACT["impact_welsh_cy"]
