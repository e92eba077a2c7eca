"""Feedback on the feedback: the person who gave an input, or who follows it, says once whether the
council's response answered them; the tracker publishes the shares; officers follow up the "no"s."""

import asyncio

from bs4 import BeautifulSoup

from pb.proposals import actions as proposal_actions
from pb.proposals.tables import Comment
from pb.tracker import actions, rules
from pb.tracker.rules import validate_decision
from pb.tracker.tables import DecisionLink, ResponseFeedback
from tests.conftest import make_proposal, make_round, make_user, sign_in, submit
from tests.tracker.test_tracker import DECISION


def test_the_rules():
    assert rules.validate_feedback({"answer": "partly", "comment": " x "}) == ({"answer": "partly", "comment": "x"}, {})
    for bad in ("", "maybe", "YES", None):
        assert "answer" in rules.validate_feedback({"answer": bad})[1]
    assert "comment" in rules.validate_feedback({"answer": "no", "comment": "x" * 1001})[1]
    assert rules.may_give_feedback(3, 3, set()) and rules.may_give_feedback(4, 3, {4})
    assert not rules.may_give_feedback(5, 3, {4}) and not rules.may_give_feedback(5, None, set())
    assert rules.feedback_figures({}) is None
    assert rules.feedback_figures({"yes": 2, "partly": 1, "no": 1, "odd": 9}) == {
        "answers": 4,
        "yes_percent": 50,
        "partly_percent": 25,
        "no_percent": 25,
    }


async def _published():
    """A published decision answering a proposal (by the author) and a comment (by the commenter);
    someone follows the proposal; a stranger does neither."""
    round_id, areas = await make_round(phase="shortlist")
    author = await make_user(email="author@example.org")
    commenter = await make_user(email="commenter@example.org", language="cy")
    follower = await make_user(email="follower@example.org")
    await make_user(email="stranger@example.org")
    officer = await make_user(email="officer@example.org", roles={"officer"})
    proposal = await make_proposal(round_id, areas[0], author, title_en="Play area", title_cy="Ardal chwarae")
    comment = Comment(proposal=proposal, author=commenter, body="Please add a swing for disabled children")
    await Comment.insert(comment)
    await proposal_actions.set_following(follower, "proposal", proposal, True)
    values, errors = validate_decision(DECISION)
    assert not errors
    decision = await actions.save_decision(officer, None, round_id, values)
    for kind, input_id, effect in (("proposal", proposal, "adopted"), ("comment", comment.id, "not_taken_forward")):
        await actions.link_input(
            officer,
            decision,
            {
                "input_kind": kind,
                "input_id": input_id,
                "effect": effect,
                "explanation_en": "No room",
                "explanation_cy": "Dim lle",
            },
        )
    await actions.publish_decision(officer, decision)
    links = {row["input_kind"]: row["id"] for row in await DecisionLink.select()}
    return round_id, decision, links


def _forms(response) -> dict[str, BeautifulSoup]:
    soup = BeautifulSoup(response.text, "html.parser")
    return {form["action"].split("/responses/")[1].split("/")[0]: form for form in soup.select("form[action*='/responses/']")}


async def test_the_author_answers_once_and_sees_their_answer(client):
    round_id, decision, links = await _published()
    path = f"/en/decisions/{decision}"
    visitor = await client.get(path)
    assert _forms(visitor) == {} and "sign in to say whether the response answered you" in visitor.text
    await sign_in(client, "author@example.org")
    # Only the response to their own input asks them.
    assert set(_forms(await client.get(path))) == {str(links["proposal"])}
    action = f"{path}/responses/{links['proposal']}/feedback"
    wrong = await submit(client, path, {"answer": "maybe", "comment": "It half did"}, action=action)
    assert wrong.status_code == 422
    soup = BeautifulSoup(wrong.text, "html.parser")
    assert soup.select_one(f"#answer-{links['proposal']}-error").get_text(strip=True).endswith("Choose yes, partly or no")
    assert soup.select_one(".govuk-error-summary a")["href"] == f"#answer-{links['proposal']}"
    assert soup.select_one(f"#comment-{links['proposal']}").get_text() == "It half did"  # kept
    done = await submit(client, path, {"answer": "partly", "comment": "It half did"}, action=action)
    assert done.status_code == 303 and done.headers["location"].endswith(
        f"?answered={links['proposal']}#response-{links['proposal']}"
    )
    after = await client.get(done.headers["location"])
    assert _forms(after) == {}
    assert "You said whether this answered you: Partly." in " ".join(BeautifulSoup(after.text, "html.parser").get_text().split())
    again = await submit(client, path, {"answer": "yes"}, action=action)  # e.g. an old tab: no second answer
    assert again.status_code == 303
    assert [(row["answer"], row["comment"]) for row in await ResponseFeedback.select()] == [("partly", "It half did")]


async def test_only_the_person_who_gave_it_or_a_follower_may_answer(client):
    round_id, decision, links = await _published()
    path = f"/en/decisions/{decision}"
    await sign_in(client, "stranger@example.org")
    assert _forms(await client.get(path)) == {}
    refused = await submit(client, path, {"answer": "no"}, action=f"{path}/responses/{links['proposal']}/feedback")
    assert refused.status_code == 403
    assert await ResponseFeedback.count() == 0
    # A follower of the proposal may answer about it and about a comment in its thread; the commenter
    # about their comment, in Welsh.
    await sign_in(client, "follower@example.org")
    assert set(_forms(await client.get(path))) == {str(links["proposal"]), str(links["comment"])}
    await sign_in(client, "commenter@example.org", lang="cy")
    welsh = await client.get(f"/cy/decisions/{decision}")
    form = _forms(welsh)[str(links["comment"])]
    assert "A wnaeth yr ymateb hwn ateb yr hyn a ddywedoch chi?" in form.get_text()


async def test_htmx_answers_in_place(client):
    round_id, decision, links = await _published()
    path = f"/en/decisions/{decision}"
    await sign_in(client, "commenter@example.org")
    page = await client.get(path)
    token = BeautifulSoup(page.text, "html.parser").select_one("input[name=_csrf_token]")["value"]
    target = f"response-{links['comment']}"
    headers = {"HX-Request": "true", "HX-Target": target}
    action = f"{path}/responses/{links['comment']}/feedback"
    wrong = await client.post(action, data={"_csrf_token": token, "answer": ""}, headers=headers)
    assert wrong.status_code == 200 and "<html" not in wrong.text and "Choose yes, partly or no" in wrong.text
    answer = await client.post(action, data={"_csrf_token": token, "answer": "no", "comment": "No swing"}, headers=headers)
    assert answer.status_code == 200 and "<html" not in answer.text
    fragment = BeautifulSoup(answer.text, "html.parser")
    assert fragment.select_one(f"#{target}") and "Thank you." in fragment.get_text() and not fragment.select("form")


async def test_two_answers_sent_at_once_keep_one():
    round_id, decision, links = await _published()
    author = await make_user(email="author2@example.org")
    await proposal_actions.set_following(author, "round", round_id, True)
    outcomes = await asyncio.gather(
        actions.give_feedback(author, links["proposal"], "yes", ""),
        actions.give_feedback(author, links["proposal"], "no", ""),
        return_exceptions=True,
    )
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["AlreadyAnswered", "NoneType"]
    assert await ResponseFeedback.count() == 1


async def test_the_tracker_publishes_the_shares_and_officers_see_the_nos(client):
    round_id, decision, links = await _published()
    ids = {row["email"]: row["id"] for row in await __import__("pb.accounts.tables", fromlist=["User"]).User.select()}
    await actions.give_feedback(ids["author@example.org"], links["proposal"], "yes", "")
    await actions.give_feedback(ids["follower@example.org"], links["proposal"], "partly", "Only half")
    await actions.give_feedback(ids["commenter@example.org"], links["comment"], "no", "Nobody asked us")
    for path in ("/en/you-said-we-did", f"/en/rounds/{round_id}/you-said-we-did"):
        text = " ".join(BeautifulSoup((await client.get(path)).text, "html.parser").get_text().split())
        assert (
            "33% of the people who answered said the council's response answered what they said; 33% said partly and 33% said no. (3 answers)"
            in text
        )
    welsh = " ".join(BeautifulSoup((await client.get("/cy/you-said-we-did")).text, "html.parser").get_text().split())
    assert "(3 ateb)" in welsh
    await sign_in(client, "stranger@example.org")
    assert (await client.get("/en/manage/feedback")).status_code == 403
    await sign_in(client, "officer@example.org")
    rows = BeautifulSoup((await client.get("/en/manage/feedback")).text, "html.parser").select("tbody tr")
    seen = [" ".join(row.get_text(" ", strip=True).split()) for row in rows]
    assert len(seen) == 2 and "Nobody asked us" in seen[0] and "Only half" in seen[1]
    assert all("Yes" not in row.split(" ")[0:6] for row in seen)
