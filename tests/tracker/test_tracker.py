"""Decisions answer community input; residents see what happened; followers are told once."""

from bs4 import BeautifulSoup

from pb.audit.tables import AuditEvent
from pb.proposals import actions as proposal_actions
from pb.proposals.tables import Comment
from pb.tracker import actions
from pb.tracker.tables import Decision, DecisionLink, DecisionRevision, Delivery
from tests.conftest import make_proposal, make_round, make_user, outbox_messages, sign_in, submit

DECISION = {
    "title_en": "Fund three projects early",
    "title_cy": "Ariannu tri phrosiect yn gynnar",
    "body_en": "Cabinet funded them.",
    "body_cy": "Ariannodd y Cabinet nhw.",
    "why_en": "Strong support.",
    "why_cy": "Cefnogaeth gref.",
    "decided_by_en": "Cabinet",
    "decided_by_cy": "Y Cabinet",
    "decided_on": "2027-03-12",
    "minutes_url": "https://example.gov.wales/m/12",
}


async def officer(client):
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    return officer_id


async def test_officer_publishes_a_decision_linked_to_three_inputs_and_people_are_told_once(client):
    round_id, areas = await make_round(phase="shortlist")
    author = await make_user(email="author@example.org", language="cy")
    follower = await make_user(email="follower@example.org", language="en")
    p1 = await make_proposal(round_id, areas[0], author, title_en="Play area")
    p2 = await make_proposal(round_id, areas[0], author, title_en="Benches")
    comment = Comment(proposal=p1, author=follower, body="Please add a swing for disabled children")
    await Comment.insert(comment)
    for proposal in (p1, p2):  # following two linked proposals still means one email
        await proposal_actions.set_following(follower, "proposal", proposal, True)
    await officer(client)

    created = await submit(client, "/en/manage/decisions/new", {**DECISION, "round": str(round_id)})
    assert created.status_code == 303
    decision_id = (await Decision.select(Decision.id).first())["id"]
    path = f"/en/manage/decisions/{decision_id}"
    early = await submit(client, path, {}, action=f"{path}/publish")
    assert early.status_code == 422  # nothing linked yet
    for kind, input_id, effect, extra in (
        ("proposal", p1, "adopted", {}),
        ("proposal", p2, "adapted", {"explanation_en": "Two benches, not three", "explanation_cy": "Dwy fainc, nid tair"}),
        ("comment", comment.id, "not_taken_forward", {"explanation_en": "No space", "explanation_cy": "Dim lle"}),
    ):
        response = await submit(client, path, {"input": f"{kind}:{input_id}", "effect": effect, **extra}, action=f"{path}/links")
        assert response.status_code == 303, response.text[:300]
    duplicate = await submit(client, path, {"input": f"proposal:{p1}", "effect": "adopted"}, action=f"{path}/links")
    assert duplicate.status_code == 422
    missing = await submit(client, path, {"input": "proposal:999999", "effect": "adopted"}, action=f"{path}/links")
    assert missing.status_code == 422
    assert await DecisionLink.count() == 3
    # A draft is invisible to the public.
    assert (await client.get(f"/en/decisions/{decision_id}")).status_code == 404

    published = await submit(client, path, {}, action=f"{path}/publish")
    assert published.status_code == 303
    emails = await outbox_messages()
    assert sorted(e["recipient"] for e in emails) == ["author@example.org", "follower@example.org"]
    by = {e["recipient"]: e for e in emails}
    assert by["author@example.org"]["language"] == "cy" and "Ariannu tri phrosiect yn gynnar" in by["author@example.org"]["body"]
    assert "/en/unsubscribe/" in by["follower@example.org"]["body"]
    assert await AuditEvent.exists().where(AuditEvent.action == "decision.published")

    proposal_page = BeautifulSoup((await client.get(f"/en/proposals/{p2}")).text, "html.parser")
    what = proposal_page.select_one("#what-happened").find_next("div").get_text(" ")
    assert "Adapted" in what and "Two benches, not three" in what
    tracker = await client.get(f"/en/rounds/{round_id}/you-said-we-did")
    assert "Fund three projects early" in tracker.text
    # Loop closure: 2 proposals and 1 comment, all answered.
    assert "100%" in tracker.text


async def test_editing_a_published_decision_keeps_what_it_said(client):
    officer_id = await officer(client)
    round_id, areas = await make_round()
    p1 = await make_proposal(round_id, areas[0], await make_user(email="a@example.org"))
    from pb.tracker.rules import validate_decision

    values, _ = validate_decision(DECISION)
    decision_id = await actions.save_decision(officer_id, None, round_id, values)
    await actions.link_input(
        officer_id,
        decision_id,
        {"input_kind": "proposal", "input_id": p1, "effect": "adopted", "explanation_en": "", "explanation_cy": ""},
    )
    await actions.publish_decision(officer_id, decision_id)
    await submit(client, f"/en/manage/decisions/{decision_id}", {**DECISION, "body_en": "Cabinet funded two of them."})
    assert await DecisionRevision.count() == 1
    page = await client.get(f"/en/decisions/{decision_id}")
    assert "Cabinet funded two of them." in page.text and "Cabinet funded them." in page.text  # now, and before


async def test_residents_cannot_record_or_publish_decisions(client):
    await make_user(email="r@example.org")
    await sign_in(client, "r@example.org")
    for path in ("/en/manage/decisions", "/en/manage/decisions/new", "/en/manage/delivery/new"):
        assert (await client.get(path)).status_code == 403
    response = await submit(client, "/en/account", DECISION, action="/en/manage/decisions/new")
    assert response.status_code == 403
    assert await Decision.count() == 0


async def test_decision_form_errors_keep_what_was_typed(client):
    await officer(client)
    response = await submit(client, "/en/manage/decisions/new", {**DECISION, "why_cy": "", "decided_on": "soon"})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("#why_cy-error") and soup.select_one("#decided_on-error")
    assert soup.select_one("#title_en")["value"] == DECISION["title_en"]


async def test_delivery_updates_and_cancellation_needs_a_reason(client):
    round_id, areas = await make_round()
    proposal = await make_proposal(round_id, areas[0], await make_user(email="a@example.org"))
    follower = await make_user(email="f@example.org", language="cy")
    await proposal_actions.set_following(follower, "proposal", proposal, True)
    await officer(client)
    created = await submit(
        client,
        f"/en/manage/delivery/new?proposal={proposal}",
        {"proposal": str(proposal), "title_en": "Play area", "title_cy": "Ardal chwarae", "allocated": "12000"},
        action="/en/manage/delivery/new",
    )
    assert created.status_code == 303
    delivery_id = (await Delivery.select(Delivery.id).first())["id"]
    manage = f"/en/manage/delivery/{delivery_id}"
    ok = await submit(
        client,
        manage,
        {
            "status": "in_progress",
            "progress": "40",
            "spent": "5000",
            "body_en": "Ground works done.",
            "body_cy": "Gwaith tir wedi'i wneud.",
        },
        action=f"{manage}/updates",
    )
    assert ok.status_code == 303
    row = await Delivery.select().first()
    assert (row["status"], row["progress"], row["spent_pence"]) == ("in_progress", 40, 500_000)
    [email] = await outbox_messages()
    assert email["recipient"] == "f@example.org" and email["language"] == "cy"
    bad = await submit(
        client,
        manage,
        {"status": "cancelled", "progress": "40", "body_en": "Stopped.", "body_cy": "Wedi stopio."},
        action=f"{manage}/updates",
    )
    assert bad.status_code == 422
    assert (await Delivery.select(Delivery.status).first())["status"] == "in_progress"
    page = await client.get(f"/cy/proposals/{proposal}")
    assert "Gwaith tir wedi'i wneud." not in page.text  # the proposal shows a summary and links to updates
    assert f"/cy/delivery/{delivery_id}" in page.text
    assert "Gwaith tir wedi&#39;i wneud." in (await client.get(f"/cy/delivery/{delivery_id}")).text


async def test_one_click_unsubscribe(client):
    round_id, areas = await make_round()
    proposal = await make_proposal(round_id, areas[0], await make_user(email="a@example.org"))
    follower = await make_user(email="f@example.org")
    await proposal_actions.set_following(follower, "proposal", proposal, True)
    token = actions.unsubscribe_token(follower, "proposal", proposal)
    response = await submit(client, f"/en/unsubscribe/{token}", {})
    assert response.status_code == 200
    from pb.proposals.tables import Follow

    assert await Follow.count() == 0
    forged = token[:-4] + "0000"
    assert (await client.get(f"/en/unsubscribe/{forged}")).status_code == 404


async def test_tracker_inputs_filter_by_area_theme_and_response_with_htmx(client):
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    round_id, areas = await make_round()
    author = await make_user(email="a@example.org")
    answered = await make_proposal(round_id, areas[0], author, title_en="Answered one", themes=("sport",))
    await make_proposal(round_id, areas[1], author, title_en="Waiting one", themes=("green_spaces",))
    from pb.tracker.rules import validate_decision

    values, _ = validate_decision(DECISION)
    decision_id = await actions.save_decision(officer_id, None, round_id, values)
    await actions.link_input(
        officer_id,
        decision_id,
        {"input_kind": "proposal", "input_id": answered, "effect": "adopted", "explanation_en": "", "explanation_cy": ""},
    )
    await actions.publish_decision(officer_id, decision_id)
    base = f"/en/rounds/{round_id}/you-said-we-did"

    def titles(html):
        return [a.text.strip() for a in BeautifulSoup(html, "html.parser").select("#inputs li a")]

    assert sorted(titles((await client.get(base)).text)) == ["Answered one", "Waiting one"]
    assert titles((await client.get(f"{base}?answered=no")).text) == ["Waiting one"]
    assert titles((await client.get(f"{base}?area={areas[0]}")).text) == ["Answered one"]
    assert titles((await client.get(f"{base}?theme=green_spaces")).text) == ["Waiting one"]
    # A filter naming nothing is dropped; a page that is not a page number is a 400 page, not a guess.
    assert (await client.get(f"{base}?area=x&theme=%3Cb%3E&answered=maybe&page=2")).status_code == 200
    assert (await client.get(f"{base}?page=-1")).status_code == 400
    assert (await client.get(f"{base}?page=%C2%B2")).status_code == 400
    partial = await client.get(f"{base}?answered=yes", headers={"hx-request": "true", "hx-target": "inputs"})
    assert partial.text.lstrip().startswith('<div id="inputs">') and titles(partial.text) == ["Answered one"]
    assert "50%" in (await client.get(base)).text


async def test_following_an_area_brings_its_decisions(client):
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    round_id, areas = await make_round()
    proposal = await make_proposal(round_id, areas[1], await make_user(email="a@example.org"))
    await make_user(email="neighbour@example.org")
    await sign_in(client, "neighbour@example.org")
    response = await submit(client, f"/en/rounds/{round_id}", {"follow": "yes"}, action=f"/en/follow/area/{areas[1]}")
    assert response.status_code == 303
    assert "Stop following Hillside" in (await client.get(f"/en/rounds/{round_id}")).text
    assert (await submit(client, f"/en/rounds/{round_id}", {}, action="/en/follow/planet/1")).status_code == 404
    from pb.tracker.rules import validate_decision

    values, _ = validate_decision(DECISION)
    decision_id = await actions.save_decision(officer_id, None, None, values)
    await actions.link_input(
        officer_id,
        decision_id,
        {"input_kind": "proposal", "input_id": proposal, "effect": "adopted", "explanation_en": "", "explanation_cy": ""},
    )
    await actions.publish_decision(officer_id, decision_id)
    recipients = sorted(e["recipient"] for e in await outbox_messages())
    assert recipients == ["a@example.org", "neighbour@example.org"]


async def test_an_officer_finds_the_input_by_words_kind_and_area_and_sees_what_is_linked(client):

    round_id, (riverside, hillside) = await make_round(phase="shortlist")
    other_round, other_areas = await make_round(phase="shortlist", title_en="Another round")
    author = await make_user(email="author@example.org")
    play = await make_proposal(round_id, riverside, author, title_en="Play area by the river", title_cy="Ardal chwarae")
    benches = await make_proposal(round_id, hillside, author, title_en="Benches on the hill", title_cy="Meinciau")
    await make_proposal(round_id, riverside, author, status="draft", title_en="Draft play idea")
    await make_proposal(round_id, riverside, author, title_en="Hidden play idea", hidden=True)
    await make_proposal(other_round, other_areas[0], author, title_en="Play park elsewhere")
    swing = Comment(proposal=benches, author=author, body="A SWING for disabled children, please")
    await Comment.insert(swing)
    await officer(client)
    created = await submit(client, "/en/manage/decisions/new", {**DECISION, "round": str(round_id)})
    assert created.status_code == 303
    decision_id = (await Decision.select(Decision.id).first())["id"]
    path = f"/en/manage/decisions/{decision_id}"

    def offered(response) -> dict[str, str]:
        assert response.status_code == 200
        soup = BeautifulSoup(response.text, "html.parser")
        return {
            radio["value"]: radio.find_parent(class_="govuk-radios__item").get_text(" ", strip=True)
            for radio in soup.select("input[name=input]")
        }

    # Every public input of the decision's round, none of another round's, no draft, nothing hidden.
    assert set(offered(await client.get(path))) == {f"proposal:{play}", f"proposal:{benches}", f"comment:{swing.id}"}
    # Words of the title (any case), a kind, an area.
    assert set(offered(await client.get(f"{path}?find=PLAY"))) == {f"proposal:{play}"}
    assert set(offered(await client.get(f"{path}?find=swing&kind=comment"))) == {f"comment:{swing.id}"}
    assert set(offered(await client.get(f"{path}?kind=proposal&area={hillside}"))) == {f"proposal:{benches}"}
    # An area of another round, or nonsense, is no filter rather than an error.
    for odd in (str(other_areas[0]), "１２", "x" * 12):
        assert len(offered(await client.get(f"{path}?area={odd}"))) == 3
    assert (await client.get(f"{path}?kind=" + "k" * 30)).status_code == 400
    linked = await submit(client, f"{path}?find=play", {"input": f"proposal:{play}", "effect": "adopted"}, action=f"{path}/links")
    assert linked.status_code == 303
    # What is linked already is listed as such, not offered again.
    again = await client.get(f"{path}?find=play")
    assert offered(again) == {}
    assert "Already linked: Play area by the river (Proposal · Riverside)" in " ".join(
        BeautifulSoup(again.text, "html.parser").select_one("form[action$='/links#links']").get_text(" ", strip=True).split()
    )
    welsh = offered(await client.get(f"/cy/manage/decisions/{decision_id}?find=swing"))
    assert "Sylw" in welsh[f"comment:{swing.id}"] and "Meinciau" in welsh[f"comment:{swing.id}"]
    # Nothing chosen: the message is beside the choice, the search is kept.
    refused = await submit(client, f"{path}?find=benches", {"effect": "adopted", "find": "benches"}, action=f"{path}/links")
    assert refused.status_code == 422
    soup = BeautifulSoup(refused.text, "html.parser")
    assert "Choose the community input this decision answers" in soup.select_one("#input-error, .govuk-error-message").get_text()
    assert soup.select_one("#find")["value"] == "benches"
