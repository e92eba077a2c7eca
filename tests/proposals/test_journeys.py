"""Residents propose, support, follow and comment; officers review, cost, merge and shortlist."""

import asyncio
from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup

from pb.audit.tables import AuditEvent
from pb.proposals import actions
from pb.proposals.tables import Comment, Follow, Proposal, ProposalEvent, ProposalTheme, Support
from tests.conftest import make_proposal, make_round, make_user, outbox_messages, sign_in, submit

PROPOSAL = {
    "languages": "both",
    "title_en": "Riverside benches",
    "title_cy": "Meinciau glan yr afon",
    "summary_en": "Three benches.",
    "summary_cy": "Tair mainc.",
    "description_en": "Benches by the path.",
    "description_cy": "Meinciau ger y llwybr.",
    "estimated_cost": "4500",
    "themes": ["green_spaces", "healthier"],
    "partners": "Friends of Riverside Park",
}


async def resident(client, email="sam@example.org", language="en"):
    user_id = await make_user(email=email, language=language)
    await sign_in(client, email)
    return user_id


async def test_save_a_draft_then_submit_it(client):
    round_id, areas = await make_round()
    author = await resident(client)
    draft = await submit(
        client,
        f"/en/rounds/{round_id}/propose",
        {"languages": "en", "title_en": "Half an idea", "area": str(areas[0]), "action": "draft"},
    )
    assert draft.status_code == 303
    row = await Proposal.select().first()
    assert row["status"] == "draft"
    # Nobody else can see a draft.
    async with __import__("httpx").AsyncClient(transport=client._transport, base_url="http://testserver") as other:
        assert (await other.get(f"/en/proposals/{row['id']}")).status_code == 404
    done = await submit(client, f"/en/proposals/{row['id']}/edit", {**PROPOSAL, "area": str(areas[0]), "action": "submit"})
    assert done.status_code == 303
    row = await Proposal.select().first()
    assert row["status"] == "submitted" and row["estimated_cost_pence"] == 450_000 and row["author"] == author
    assert {t["theme"] for t in await ProposalTheme.select()} == {"green_spaces", "healthier"}
    assert await Follow.exists().where((Follow.user == author) & (Follow.target_id == row["id"]))  # authors follow their own
    [email] = await outbox_messages()
    assert email["recipient"] == "sam@example.org"
    page = BeautifulSoup((await client.get(f"/cy/proposals/{row['id']}")).text, "html.parser")
    assert page.h1.text.strip() == "Meinciau glan yr afon"
    assert "Friends of Riverside Park" in page.get_text()


async def test_proposal_form_errors(client):
    round_id, areas = await make_round()
    await resident(client)
    response = await submit(
        client,
        f"/en/rounds/{round_id}/propose",
        {
            **PROPOSAL,
            "title_cy": "",
            "estimated_cost": "-5",
            "area": str(areas[1]),
            "action": "submit",
            "title_en": "<script>alert(1)</script>",
        },
    )
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("#title_cy-error") and soup.select_one("#estimated_cost-error")
    assert soup.select_one("#title_en")["value"] == "<script>alert(1)</script>"
    assert "<script>alert(1)</script>" not in response.text
    assert soup.select_one("#estimated_cost")["value"] == "-5"
    assert soup.select_one("input[name=themes][value=green_spaces]").has_attr("checked")
    over = await submit(
        client,
        f"/en/rounds/{round_id}/propose",
        {**PROPOSAL, "estimated_cost": "30000.01", "area": str(areas[1]), "action": "submit"},
    )
    assert (
        "The cost must not be more than the area&#39;s budget" in over.text
        or "The cost must not be more than the area's budget" in over.text
    )
    wrong_area = await submit(client, f"/en/rounds/{round_id}/propose", {**PROPOSAL, "area": "999999", "action": "submit"})
    assert BeautifulSoup(wrong_area.text, "html.parser").select_one("#area-error")
    assert await Proposal.count() == 0


async def test_no_proposals_outside_the_proposals_phase(client):
    round_id, areas = await make_round(phase="review")
    await resident(client)
    assert (await client.get(f"/en/rounds/{round_id}/propose")).status_code == 409
    response = await submit(
        client,
        f"/en/rounds/{round_id}",
        {**PROPOSAL, "area": str(areas[0]), "action": "submit"},
        action=f"/en/rounds/{round_id}/propose",
    )
    assert response.status_code == 422
    assert await Proposal.count() == 0


async def test_a_resident_cannot_edit_or_withdraw_another_residents_proposal(client):
    round_id, areas = await make_round()
    owner = await make_user(email="owner@example.org")
    proposal = await make_proposal(round_id, areas[0], owner)
    await resident(client)
    assert (await client.get(f"/en/proposals/{proposal}/edit")).status_code == 403
    edit = await submit(
        client,
        f"/en/proposals/{proposal}",
        {**PROPOSAL, "area": str(areas[0]), "action": "submit"},
        action=f"/en/proposals/{proposal}/edit",
    )
    assert edit.status_code == 403
    withdraw = await submit(client, f"/en/proposals/{proposal}", {}, action=f"/en/proposals/{proposal}/withdraw")
    assert withdraw.status_code == 403
    row = await Proposal.select().first()
    assert row["title_en"] == "A new play area" and row["status"] == "submitted"
    # and cannot review anything
    assert (await client.get(f"/en/manage/proposals/{proposal}")).status_code == 403
    review = await submit(
        client, f"/en/proposals/{proposal}", {"status": "eligible"}, action=f"/en/manage/proposals/{proposal}/status"
    )
    assert review.status_code == 403


async def test_author_edits_until_review_then_withdraws(client):
    round_id, areas = await make_round()
    author = await resident(client)
    proposal = await make_proposal(round_id, areas[0], author)
    ok = await submit(client, f"/en/proposals/{proposal}/edit", {**PROPOSAL, "area": str(areas[0]), "action": "submit"})
    assert ok.status_code == 303
    assert (await Proposal.select(Proposal.title_en).first())["title_en"] == "Riverside benches"
    await Proposal.update({Proposal.status: "under_review"}).where(Proposal.id == proposal)
    assert (await client.get(f"/en/proposals/{proposal}/edit")).status_code == 409
    gone = await submit(client, f"/en/proposals/{proposal}/withdraw", {})
    assert gone.status_code == 303
    assert (await Proposal.select(Proposal.status).first())["status"] == "withdrawn"
    assert await ProposalEvent.exists().where(ProposalEvent.to_status == "withdrawn")


async def test_support_is_once_per_person_even_under_fifty_concurrent_requests(client):
    round_id, areas = await make_round()
    proposal = await make_proposal(round_id, areas[0], await make_user(email="owner@example.org"))
    supporter = await make_user(email="fan@example.org")
    results = await asyncio.gather(*(actions.set_support(supporter, proposal, True) for _ in range(50)), return_exceptions=True)
    assert all(result is True for result in results), [r for r in results if r is not True][:3]
    assert await Support.count() == 1
    assert (await Proposal.select(Proposal.support_count).first())["support_count"] == 1
    await asyncio.gather(*(actions.set_support(supporter, proposal, False) for _ in range(20)))
    assert await Support.count() == 0
    assert (await Proposal.select(Proposal.support_count).first())["support_count"] == 0


async def test_support_and_follow_through_the_page(client):
    round_id, areas = await make_round()
    proposal = await make_proposal(round_id, areas[0], await make_user(email="owner@example.org"))
    await resident(client)
    await submit(client, f"/en/proposals/{proposal}", {"support": "yes"}, action=f"/en/proposals/{proposal}/support")
    await submit(client, f"/en/proposals/{proposal}", {"follow": "yes"}, action=f"/en/proposals/{proposal}/follow")
    page = await client.get(f"/en/proposals/{proposal}")
    assert "You support this proposal." in page.text and "You follow this proposal" in page.text
    await submit(client, f"/en/proposals/{proposal}", {"support": "no"}, action=f"/en/proposals/{proposal}/support")
    assert (await Proposal.select(Proposal.support_count).first())["support_count"] == 0


async def test_threaded_comments_and_the_edit_window(client):
    round_id, areas = await make_round()
    proposal = await make_proposal(round_id, areas[0], await make_user(email="owner@example.org"))
    await resident(client)
    first = await submit(client, f"/en/proposals/{proposal}", {"body": "Great idea"}, action=f"/en/proposals/{proposal}/comments")
    assert first.status_code == 303
    parent = (await Comment.select().first())["id"]
    await submit(
        client,
        f"/en/proposals/{proposal}",
        {"body": "Agreed <b>strongly</b>", "parent": str(parent)},
        action=f"/en/proposals/{proposal}/comments",
    )
    page = await client.get(f"/en/proposals/{proposal}")
    assert "Agreed &lt;b&gt;strongly&lt;/b&gt;" in page.text
    empty = await submit(client, f"/en/proposals/{proposal}", {"body": "  "}, action=f"/en/proposals/{proposal}/comments")
    assert empty.status_code == 422 and "Write your comment" in empty.text
    edited = await submit(client, f"/en/comments/{parent}/edit", {"body": "Great idea, with a typo fixed"})
    assert edited.status_code == 303
    row = await Comment.select().where(Comment.id == parent).first()
    assert row["edited_at"] is not None and "typo" in row["body"]
    assert "edited" in (await client.get(f"/en/proposals/{proposal}")).text
    await Comment.update({Comment.created_at: datetime.now(UTC) - timedelta(minutes=16)}).where(Comment.id == parent)
    late = await submit(client, f"/en/proposals/{proposal}#c", {"body": "Too late"}, action=f"/en/comments/{parent}/edit")
    assert late.status_code == 422
    other_reply = await submit(
        client, f"/en/proposals/{proposal}", {"body": "x", "parent": "999999"}, action=f"/en/proposals/{proposal}/comments"
    )
    assert other_reply.status_code == 422


async def test_someone_else_cannot_edit_my_comment(client):
    round_id, areas = await make_round()
    owner = await make_user(email="owner@example.org")
    proposal = await make_proposal(round_id, areas[0], owner)
    comment = Comment(proposal=proposal, author=owner, body="Mine")
    await Comment.insert(comment)
    await resident(client)
    assert (await client.get(f"/en/comments/{comment.id}/edit")).status_code == 403


async def test_listing_filters_search_sort_and_htmx(client):
    round_id, areas = await make_round()
    author = await make_user(email="owner@example.org")
    await make_proposal(round_id, areas[0], author, title_en="Skate park", themes=("sport",), cost_pence=40_000_00)
    await make_proposal(round_id, areas[1], author, title_en="Hill benches", themes=("green_spaces",), cost_pence=2_000_00)
    await make_proposal(round_id, areas[1], author, title_en="Withdrawn thing", status="withdrawn")
    await make_proposal(round_id, areas[1], author, title_en="Secret draft", status="draft")

    def titles(html):
        return [a.text.strip() for a in BeautifulSoup(html, "html.parser").select("#results h2 a")]

    base = f"/en/rounds/{round_id}/proposals"
    assert sorted(titles((await client.get(base)).text)) == ["Hill benches", "Skate park"]
    assert titles((await client.get(f"{base}?q=SKATE")).text) == ["Skate park"]
    assert titles((await client.get(f"{base}?area={areas[1]}")).text) == ["Hill benches"]
    assert titles((await client.get(f"{base}?theme=sport")).text) == ["Skate park"]
    assert titles((await client.get(f"{base}?sort=cost_low")).text) == ["Hill benches", "Skate park"]
    assert "Withdrawn thing" in titles((await client.get(f"{base}?status=all")).text)
    assert "Secret draft" not in (await client.get(f"{base}?status=all")).text
    bad = await client.get(f"{base}?area=abc&sort=%3Cscript%3E&page=-4&theme=%00")
    assert bad.status_code == 200
    partial = await client.get(f"{base}?q=hill", headers={"hx-request": "true", "hx-target": "results"})
    assert partial.text.lstrip().startswith('<div id="results">') and "<html" not in partial.text
    assert titles(partial.text) == ["Hill benches"]


async def test_officer_review_cost_decision_and_author_told(client):
    round_id, areas = await make_round(phase="review")
    author = await make_user(email="author@example.org", language="cy")
    proposal = await make_proposal(round_id, areas[0], author)
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    review = f"/en/manage/proposals/{proposal}"
    assert (await client.get(review)).status_code == 200
    missing_reason = await submit(
        client, review, {"status": "not_eligible", "reason_en": "Not council land"}, action=f"{review}/status"
    )
    assert missing_reason.status_code == 422
    assert BeautifulSoup(missing_reason.text, "html.parser").select_one("#reason_cy-error")
    cost = await submit(
        client,
        review,
        {"revised_cost": "14000", "cost_reason_en": "Includes surfacing", "cost_reason_cy": "Yn cynnwys wyneb"},
        action=f"{review}/cost",
    )
    assert cost.status_code == 303
    await submit(client, review, {"notes": "Check drainage"}, action=f"{review}/notes")
    decided = await submit(
        client,
        review,
        {"status": "not_eligible", "reason_en": "Not council land", "reason_cy": "Nid tir y cyngor"},
        action=f"{review}/status",
    )
    assert decided.status_code == 303
    row = await Proposal.select().first()
    assert (
        row["status"] == "not_eligible"
        and row["revised_cost_pence"] == 1_400_000
        and row["feasibility_notes"] == "Check drainage"
    )
    public = await client.get(f"/cy/proposals/{proposal}")
    assert "Nid tir y cyngor" in public.text and "Yn cynnwys wyneb" in public.text and "Check drainage" not in public.text
    cost_email, email = await outbox_messages()  # the revised cost, then the decision, each in Welsh
    assert cost_email["recipient"] == "author@example.org" and cost_email["language"] == "cy"
    assert cost_email["subject"] == "Mae cost eich cynnig wedi'i diwygio"
    cost_body = " ".join(cost_email["body"].split())
    assert "£14,000" in cost_body and "Yn cynnwys wyneb" in cost_body and "Includes surfacing" not in cost_body
    assert email["recipient"] == "author@example.org" and email["language"] == "cy"
    assert "Nid tir y cyngor" in email["body"]
    actions_logged = {e["action"] for e in await AuditEvent.select().where(AuditEvent.actor_id == officer_id)}
    assert {"proposal.cost_revised", "proposal.notes_saved", "proposal.status_changed"} <= actions_logged
    history = BeautifulSoup(public.text, "html.parser").select_one("#history").find_next("ol").get_text()
    assert "£14,000" in history


async def test_merge_moves_supports_and_followers_once(client):
    round_id, areas = await make_round(phase="review")
    author = await make_user(email="author@example.org")
    keep = await make_proposal(round_id, areas[0], author, title_en="Benches A")
    dupe = await make_proposal(round_id, areas[0], author, title_en="Benches B")
    both = await make_user(email="both@example.org")
    only_dupe = await make_user(email="dupe@example.org")
    for user, proposal in ((both, keep), (both, dupe), (only_dupe, dupe)):
        await actions.set_support(user, proposal, True)
    await actions.set_following(only_dupe, "proposal", dupe, True)
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    response = await submit(
        client,
        f"/en/manage/proposals/{dupe}",
        {"into": str(keep), "merge_reason_en": "Same benches", "merge_reason_cy": "Yr un meinciau"},
        action=f"/en/manage/proposals/{dupe}/merge",
    )
    assert response.status_code == 303
    rows = {r["id"]: r for r in await Proposal.select()}
    assert rows[dupe]["status"] == "merged" and rows[dupe]["merged_into"] == keep
    assert rows[keep]["support_count"] == 2
    assert await Support.count().where(Support.proposal == keep) == 2
    assert await Follow.exists().where((Follow.user == only_dupe) & (Follow.target_id == keep))
    page = await client.get(f"/en/proposals/{dupe}")
    assert f'href="/en/proposals/{keep}"' in page.text
    into_self = await submit(
        client,
        f"/en/manage/proposals/{keep}",
        {"into": str(keep), "merge_reason_en": "x", "merge_reason_cy": "y"},
        action=f"/en/manage/proposals/{keep}/merge",
    )
    assert into_self.status_code == 422


async def test_shortlisting_happens_in_the_shortlist_phase(client):
    round_id, areas = await make_round(phase="shortlist")
    proposal = await make_proposal(round_id, areas[0], await make_user(email="a@example.org"), status="eligible")
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    response = await submit(
        client, f"/en/manage/proposals/{proposal}", {"status": "shortlisted"}, action=f"/en/manage/proposals/{proposal}/status"
    )
    assert response.status_code == 303
    assert (await Proposal.select(Proposal.status).first())["status"] == "shortlisted"


async def test_your_proposals_lists_only_yours(client):
    round_id, areas = await make_round()
    me = await resident(client)
    await make_proposal(round_id, areas[0], me, title_en="Mine", status="draft")
    await make_proposal(round_id, areas[0], await make_user(email="x@example.org"), title_en="Theirs")
    page = await client.get("/en/your-proposals")
    assert "Mine" in page.text and "Theirs" not in page.text


async def test_only_the_latest_status_in_a_proposals_history_is_now_and_a_late_phase_says_so(client):
    """A proposal's history labels only its current status "Now"; a round whose planned date has
    passed shows that phase as later than planned, not as "Next", in both languages."""
    from datetime import date, timedelta

    from bs4 import BeautifulSoup

    from pb.proposals import actions as proposal_actions
    from pb.rounds.tables import Round
    from tests.conftest import make_proposal, make_round, make_user

    round_id, areas = await make_round(phase="review")
    await Round.update({Round.shortlist_from: date.today() - timedelta(days=3)}).where(Round.id == round_id)
    officer = await make_user(email="officer@example.org", roles={"officer"})
    author = await make_user(email="author@example.org")
    proposal = await make_proposal(round_id, areas[0], author, status="submitted")
    await proposal_actions.change_status(officer, proposal, "under_review")
    await proposal_actions.change_status(officer, proposal, "eligible")
    for lang, now, changed, late in (
        ("en", "Now:", "Status changed:", "Later than planned"),
        ("cy", "Nawr:", "Statws wedi newid:", "Yn hwyrach na'r bwriad"),
    ):
        page = BeautifulSoup((await client.get(f"/{lang}/proposals/{proposal}")).text, "html.parser")
        history = [" ".join(li.get_text(" ").split()) for li in page.select("#history + ol li")]
        assert sum(now in item for item in history) == 1 and now in history[-1], history
        assert sum(changed in item for item in history) == 1, history
        timetable = " ".join(
            BeautifulSoup((await client.get(f"/{lang}/rounds/{round_id}")).text, "html.parser").get_text(" ").split()
        )
        assert late in timetable, timetable


async def test_a_comment_records_its_language_and_the_page_marks_it(client):
    round_id, areas = await make_round()
    proposal = await make_proposal(round_id, areas[0], await make_user(email="owner@example.org"))
    await resident(client)
    form = BeautifulSoup((await client.get(f"/cy/proposals/{proposal}")).text, "html.parser")
    assert form.select_one("input[name=language][value=cy]").has_attr("checked")  # the page's language by default
    await submit(
        client, f"/cy/proposals/{proposal}", {"body": "Good idea", "language": "en"}, action=f"/cy/proposals/{proposal}/comments"
    )
    await submit(
        client, f"/cy/proposals/{proposal}", {"body": "Syniad da", "language": "xx"}, action=f"/cy/proposals/{proposal}/comments"
    )
    rows = {row["body"]: row["language"] for row in await Comment.select()}
    assert rows == {"Good idea": "en", "Syniad da": "cy"}  # an unknown value falls back to the page's language
    page = BeautifulSoup((await client.get(f"/cy/proposals/{proposal}")).text, "html.parser")
    english = next(p for p in page.select("p.pb-pre-wrap") if p.text == "Good idea")
    assert english["lang"] == "en"  # an English comment on a Welsh page is announced as English
