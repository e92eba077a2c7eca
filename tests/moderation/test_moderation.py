"""Moderation end to end through the ASGI app: reporting, the queue, hiding, keeping and restoring,
who may decide, bad input, CSRF and the public transparency log."""

import asyncio
import json

import pytest
from bs4 import BeautifulSoup

from pb.audit.tables import AuditEvent
from pb.moderation import actions
from pb.moderation.tables import ModerationDecision, Report
from pb.proposals.tables import Comment, Proposal
from pb.web.templating import t
from tests.conftest import csrf_from, link_in, make_proposal, make_round, make_user, outbox_messages, sign_in, submit

MODERATOR = "mod@example.org"


async def a_proposal(author_email="author@example.org", language="en", **fields) -> tuple[int, int]:
    """A submitted proposal by a new author: (proposal id, author id)."""
    author_id = await make_user(email=author_email, name="Alys Author", language=language)
    round_id, area_ids = await make_round()
    return await make_proposal(round_id, area_ids[0], author_id, **fields), author_id


async def a_comment(proposal_id: int, author_id: int, body="You are all fools and I know where you live.") -> int:
    row = Comment(proposal=proposal_id, author=author_id, body=body)
    await Comment.insert(row)
    return row.id


async def reports_of(kind: str, target_id: int) -> list[dict]:
    return await Report.select().where((Report.target_kind == kind) & (Report.target_id == target_id)).order_by(Report.id)


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


async def as_moderator(client, roles=frozenset({"moderator"}), email=MODERATOR) -> int:
    moderator_id = await make_user(email=email, name="Morgan Moderator", roles=roles)
    await sign_in(client, email)
    return moderator_id


# Reporting


async def test_reporting_a_proposal(client):
    proposal_id, _ = await a_proposal()
    reporter = await make_user()
    await sign_in(client)

    form = await client.get(f"/en/report/proposal/{proposal_id}")
    assert form.status_code == 200
    soup = soup_of(form)
    assert soup.html["lang"] == "en"
    assert len(soup.find_all("h1")) == 1
    assert {radio["value"] for radio in soup.select("input[type=radio][name=reason]")} == {
        "threats",
        "hate",
        "harassment",
        "personal_data",
        "misinformation",
        "spam",
        "off_topic",
    }
    assert soup.select_one("#reason-hint a[href='/en/community-guidelines']")
    assert soup.select_one("textarea#details[name=details]")
    form_tag = soup.select_one("main form[method=post]")
    assert form_tag["action"] == f"/en/report/proposal/{proposal_id}" and form_tag.has_attr("novalidate")
    assert form_tag.select_one("input[name=_csrf_token]")

    response = await submit(client, f"/en/report/proposal/{proposal_id}", {"reason": "spam", "details": "An advert for a shop."})
    assert response.status_code == 303
    assert response.headers["location"] == f"/en/proposals/{proposal_id}?reported=1"
    [row] = await reports_of("proposal", proposal_id)
    assert (row["reporter"], row["reason"], row["details"], row["status"], row["decision_id"]) == (
        reporter,
        "spam",
        "An advert for a shop.",
        "open",
        None,
    )


async def test_reporting_a_comment_in_welsh(client):
    proposal_id, author_id = await a_proposal()
    comment_id = await a_comment(proposal_id, author_id)
    reporter = await make_user()
    await sign_in(client, lang="cy")

    form = await client.get(f"/cy/report/comment/{comment_id}")
    assert form.status_code == 200
    soup = soup_of(form)
    assert soup.html["lang"] == "cy"
    assert "I know where you live" in form.text  # the person sees what they are reporting

    response = await submit(client, f"/cy/report/comment/{comment_id}", {"reason": "threats"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/cy/proposals/{proposal_id}?reported=1"
    [row] = await reports_of("comment", comment_id)
    assert (row["reporter"], row["reason"], row["details"]) == (reporter, "threats", "")


async def test_a_second_report_by_the_same_person_is_harmless(client):
    proposal_id, _ = await a_proposal()
    await make_user()
    await sign_in(client)
    url = f"/en/report/proposal/{proposal_id}"
    first = await submit(client, url, {"reason": "spam"})
    second = await submit(client, url, {"reason": "hate"}, action=url)
    assert first.status_code == second.status_code == 303
    assert second.headers["location"] == first.headers["location"]
    [row] = await reports_of("proposal", proposal_id)
    assert row["reason"] == "spam"
    # The page now says it is reported already, without a second form.
    page = soup_of(await client.get(url))
    assert not page.select("input[name=reason]")


async def test_simultaneous_reports_by_one_person_leave_one_row():
    proposal_id, _ = await a_proposal()
    reporter = await make_user()
    results = await asyncio.gather(*(actions.report(reporter, "proposal", proposal_id, "spam", "") for _ in range(8)))
    assert sum(result.created for result in results) == 1
    assert {result.proposal_id for result in results} == {proposal_id}
    assert len(await reports_of("proposal", proposal_id)) == 1


async def test_reports_by_different_people_are_all_kept():
    proposal_id, _ = await a_proposal()
    for number in range(3):
        reporter = await make_user(email=f"r{number}@example.org")
        assert (await actions.report(reporter, "proposal", proposal_id, "hate", "")).created
    assert len(await reports_of("proposal", proposal_id)) == 3


async def test_a_visitor_is_sent_to_sign_in_to_report(client):
    proposal_id, _ = await a_proposal()
    response = await client.get(f"/en/report/proposal/{proposal_id}")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/en/sign-in?next=")


@pytest.mark.parametrize(
    "path",
    [
        "/en/report/round/{id}",
        "/en/report/proposal/999999",
        "/en/report/comment/999999",
        "/en/report/draft/{id}",
        "/xx/report/proposal/{id}",
    ],
)
async def test_unknown_kinds_and_missing_items_are_404(client, path):
    proposal_id, _ = await a_proposal()
    await make_user()
    await sign_in(client)
    url = path.format(id=proposal_id)
    assert (await client.get(url)).status_code == 404
    token = csrf_from((await client.get("/en/account")).text)
    assert (await client.post(url, data={"_csrf_token": token, "reason": "spam"})).status_code == 404
    assert await Report.count() == 0


async def test_a_draft_cannot_be_reported(client):
    proposal_id, _ = await a_proposal(status="draft")
    await make_user()
    await sign_in(client)
    assert (await client.get(f"/en/report/proposal/{proposal_id}")).status_code == 404
    with pytest.raises(actions.NotFound):
        await actions.report(1, "proposal", proposal_id, "spam", "")


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_report_errors_are_beside_the_fields_and_keep_what_was_typed(client, lang):
    proposal_id, _ = await a_proposal()
    await make_user()
    await sign_in(client, lang=lang)
    typed = "<script>alert(1)</script> " + "x" * 1000
    response = await submit(client, f"/{lang}/report/proposal/{proposal_id}", {"reason": "rudeness", "details": typed})
    assert response.status_code == 422
    soup = soup_of(response)
    assert soup.html["lang"] == lang
    assert soup.select_one(".govuk-error-summary")
    assert {a["href"] for a in soup.select(".govuk-error-summary a")} == {"#reason", "#details"}
    assert soup.select_one("#reason-error").text.strip()
    assert soup.select_one("#details-error").text.strip()
    assert soup.select_one("textarea#details").text == typed
    assert "<script>alert(1)" not in response.text
    assert await Report.count() == 0
    if lang == "en":
        assert soup.title.text.startswith("Error:")


async def test_report_keeps_the_chosen_reason_when_details_are_too_long(client):
    proposal_id, _ = await a_proposal()
    await make_user()
    await sign_in(client)
    response = await submit(client, f"/en/report/proposal/{proposal_id}", {"reason": "hate", "details": "y" * 1001})
    assert response.status_code == 422
    soup = soup_of(response)
    assert soup.select_one("input[name=reason][value=hate]").has_attr("checked")
    assert not soup.select_one("#reason-error")


# The queue and who may see it


async def test_a_resident_cannot_open_moderation_pages(client):
    proposal_id, _ = await a_proposal()
    await make_user()
    await sign_in(client)
    for path in ("/en/moderation", f"/en/moderation/proposal/{proposal_id}", f"/cy/moderation/proposal/{proposal_id}"):
        response = await client.get(path)
        assert response.status_code == 403, path
        assert "<h1" in response.text


@pytest.mark.parametrize("role", ["facilitator", "officer"])
async def test_other_roles_cannot_moderate(client, role):
    await make_user(roles={role})
    await sign_in(client)
    assert (await client.get("/en/moderation")).status_code == 403


async def test_a_visitor_is_sent_to_sign_in_to_moderate(client):
    response = await client.get("/en/moderation")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/en/sign-in?next=")


async def test_an_admin_can_moderate(client):
    await as_moderator(client, roles={"admin"})
    assert (await client.get("/en/moderation")).status_code == 200


async def test_the_queue_lists_reported_items_oldest_first_with_counts_and_reasons(client):
    older, author_id = await a_proposal(title_en="<b>Bold</b> play area")
    round_id, area_ids = await make_round()
    newer = await make_proposal(round_id, area_ids[0], author_id, title_en="Bike racks")
    comment_id = await a_comment(newer, author_id, body="<img src=x onerror=alert(1)>")
    unreported = await make_proposal(round_id, area_ids[0], author_id, title_en="Quiet one")
    people = [await make_user(email=f"r{n}@example.org") for n in range(3)]
    await actions.report(people[0], "proposal", older, "spam", "")
    await actions.report(people[0], "comment", comment_id, "threats", "")
    await actions.report(people[1], "proposal", older, "spam", "")
    await actions.report(people[2], "proposal", older, "hate", "")
    await actions.report(people[1], "proposal", newer, "misinformation", "")

    await as_moderator(client)
    response = await client.get("/en/moderation")
    assert response.status_code == 200
    soup = soup_of(response)
    table = soup.select_one("main table")
    assert table.caption.text.strip()
    assert all(th.get("scope") == "col" for th in table.select("thead th"))
    links = [a["href"] for a in table.select("tbody a")]
    assert links == [
        f"/en/moderation/proposal/{older}",
        f"/en/moderation/comment/{comment_id}",
        f"/en/moderation/proposal/{newer}",
    ]
    assert f"/en/moderation/proposal/{unreported}" not in response.text
    first_row = table.select("tbody tr")[0]
    assert first_row.select("td")[1].text.strip() == "3"
    assert "Spam or advertising (2)" in first_row.text and "Hate aimed at a protected characteristic (1)" in first_row.text
    # Content is shown as text, never as markup.
    assert "<b>Bold</b>" not in response.text and "&lt;b&gt;Bold&lt;/b&gt;" in response.text
    assert "<img src=x" not in response.text and "&lt;img src=x" in response.text
    assert (await client.get("/cy/moderation")).status_code == 200


async def test_an_empty_queue(client):
    await as_moderator(client)
    response = await client.get("/en/moderation")
    assert response.status_code == 200
    assert not soup_of(response).select("main table")


# Deciding


async def test_a_moderator_hides_a_proposal_with_a_reason(client):
    proposal_id, author_id = await a_proposal(language="cy")
    reporters = [await make_user(email=f"r{n}@example.org") for n in range(2)]
    await actions.report(reporters[0], "proposal", proposal_id, "hate", "Aimed at a religion.")
    await actions.report(reporters[1], "proposal", proposal_id, "hate", "")
    moderator_id = await as_moderator(client)

    page = await client.get(f"/en/moderation/proposal/{proposal_id}")
    assert page.status_code == 200
    soup = soup_of(page)
    assert len(soup.find_all("h1")) == 1
    assert soup.select_one("input[name=action][value=hide]") and soup.select_one("input[name=action][value=keep]")
    assert soup.select_one("input[name=reason][value=hate]").has_attr("checked")  # what the reports say
    assert soup.select_one("textarea#explanation")
    assert "Aimed at a religion." in page.text
    assert len(soup.select("main table")[0].select("tbody tr")) == 2

    response = await submit(
        client,
        f"/en/moderation/proposal/{proposal_id}",
        {
            "action": "hide",
            "ground": "guidelines",
            "reason": "hate",
            "facts": "It calls a faith group vermin.",
            "explanation": "It attacks people for their faith.",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/en/moderation?decided=1"

    row = (
        await Proposal.select(Proposal.hidden, Proposal.hidden_reason, Proposal.title_en)
        .where(Proposal.id == proposal_id)
        .first()
    )
    assert row == {"hidden": True, "hidden_reason": "hate", "title_en": "A new play area"}  # hidden, never deleted
    [decision] = await ModerationDecision.select()
    assert (
        decision["target_kind"],
        decision["target_id"],
        decision["moderator_id"],
        decision["action"],
        decision["reason"],
        decision["explanation"],
    ) == ("proposal", proposal_id, moderator_id, "hide", "hate", "It attacks people for their faith.")
    reports = await reports_of("proposal", proposal_id)
    assert {(r["status"], r["decision_id"]) for r in reports} == {("decided", decision["id"])}

    [event] = await AuditEvent.select().where(AuditEvent.action == "moderation.hidden")
    assert event["actor_id"] == moderator_id
    assert event["target"] == f"proposal:{proposal_id}"
    assert json.loads(event["details"])["reason"] == "hate"

    [message] = await outbox_messages()
    assert message["recipient"] == "author@example.org"
    assert message["language"] == "cy"  # the author's language, not the moderator's page
    assert message["subject"] == t("cy", "A moderator has reviewed your content")
    assert "It attacks people for their faith." in message["body"]
    assert link_in(message["body"]) == f"/cy/appeals/new/{decision['id']}"  # the statement says how to appeal
    assert f"http://testserver/cy/proposals/{proposal_id}" in message["body"]
    assert "r0@example.org" not in message["body"] and "Morgan" not in message["body"]

    queue = await client.get("/en/moderation?decided=1")
    assert soup_of(queue).select_one(".govuk-notification-banner--success")
    assert f"/en/moderation/proposal/{proposal_id}" not in queue.text


async def test_a_moderator_keeps_a_reported_comment(client):
    proposal_id, author_id = await a_proposal()
    comment_id = await a_comment(proposal_id, author_id, body="The council wasted our money on this. Shameful.")
    reporter = await make_user()
    await actions.report(reporter, "comment", comment_id, "harassment", "")
    moderator_id = await as_moderator(client)

    response = await submit(
        client,
        f"/en/moderation/comment/{comment_id}",
        {
            "action": "keep",
            "ground": "none",
            "reason": "harassment",
            "facts": "It criticises spending.",
            "explanation": "Criticism of the council is allowed.",
        },
    )
    assert response.status_code == 303
    row = await Comment.select(Comment.hidden, Comment.hidden_reason).where(Comment.id == comment_id).first()
    assert row == {"hidden": False, "hidden_reason": ""}
    [decision] = await ModerationDecision.select()
    assert (decision["target_kind"], decision["action"], decision["reason"]) == ("comment", "keep", "harassment")
    assert {r["status"] for r in await reports_of("comment", comment_id)} == {"decided"}
    [event] = await AuditEvent.select().where(AuditEvent.action == "moderation.kept")
    assert (event["actor_id"], event["target"]) == (moderator_id, f"comment:{comment_id}")
    assert json.loads(event["details"])["restored"] is False
    # The author is told, and so is the person who reported it (who may appeal a keep).
    author_message, reporter_message = await outbox_messages()
    assert author_message["recipient"] == "author@example.org" and author_message["language"] == "en"
    assert "Criticism of the council is allowed." in author_message["body"]
    assert link_in(author_message["body"]) == f"/en/proposals/{proposal_id}"  # nothing to appeal when kept
    assert reporter_message["recipient"] == "sam@example.org"
    assert link_in(reporter_message["body"]) == f"/en/appeals/new/{decision['id']}"


async def test_keeping_a_hidden_item_restores_it(client):
    proposal_id, author_id = await a_proposal()
    comment_id = await a_comment(proposal_id, author_id)
    moderator_id = await as_moderator(client)
    await submit(
        client,
        f"/en/moderation/comment/{comment_id}",
        {
            "action": "hide",
            "ground": "guidelines",
            "reason": "threats",
            "facts": "Says where they live.",
            "explanation": "A threat.",
        },
    )
    assert (await Comment.select(Comment.hidden).where(Comment.id == comment_id).first())["hidden"] is True

    page = soup_of(await client.get(f"/en/moderation/comment/{comment_id}"))
    assert page.select_one("input[name=reason][value=threats]").has_attr("checked")
    response = await submit(
        client,
        f"/en/moderation/comment/{comment_id}",
        {
            "action": "keep",
            "ground": "none",
            "facts": "A figure of speech.",
            "explanation": "On appeal: a figure of speech, not a threat.",
        },
    )
    assert response.status_code == 303
    row = await Comment.select(Comment.hidden, Comment.hidden_reason, Comment.body).where(Comment.id == comment_id).first()
    assert (row["hidden"], row["hidden_reason"]) == (False, "")
    assert row["body"].startswith("You are all fools")
    events = await AuditEvent.select().where(AuditEvent.action.like("moderation.%")).order_by(AuditEvent.id)
    assert [e["action"] for e in events] == ["moderation.hidden", "moderation.kept"]
    assert json.loads(events[1]["details"])["restored"] is True
    assert all(e["actor_id"] == moderator_id for e in events)
    assert len(await outbox_messages()) == 2
    # Both decisions are on the item's page.
    page = soup_of(await client.get(f"/en/moderation/comment/{comment_id}"))
    decisions_table = page.select("main table")[-1]
    assert len(decisions_table.select("tbody tr")) == 2


async def test_a_moderator_can_hide_an_item_nobody_reported(client):
    proposal_id, _ = await a_proposal()
    await as_moderator(client)
    page = soup_of(await client.get(f"/en/moderation/proposal/{proposal_id}"))
    assert not page.select("input[name=reason][checked]")
    response = await submit(
        client,
        f"/en/moderation/proposal/{proposal_id}",
        {"action": "hide", "ground": "guidelines", "reason": "spam", "facts": "Links to a shop.", "explanation": "An advert."},
    )
    assert response.status_code == 303
    assert (await Proposal.select(Proposal.hidden).where(Proposal.id == proposal_id).first())["hidden"] is True


async def test_a_moderator_who_reported_an_item_cannot_decide_on_it(client):
    proposal_id, _ = await a_proposal()
    moderator_id = await as_moderator(client)
    await submit(client, f"/en/report/proposal/{proposal_id}", {"reason": "spam"})
    page = await client.get(f"/en/moderation/proposal/{proposal_id}")
    assert page.status_code == 200
    assert not soup_of(page).select("input[name=action]")  # no decision form for them

    token = csrf_from(page.text)
    response = await client.post(
        f"/en/moderation/proposal/{proposal_id}",
        data={"_csrf_token": token, "action": "hide", "reason": "spam", "explanation": "Mine."},
    )
    assert response.status_code == 403
    assert (await Proposal.select(Proposal.hidden).where(Proposal.id == proposal_id).first())["hidden"] is False
    assert await ModerationDecision.count() == 0
    assert {r["status"] for r in await reports_of("proposal", proposal_id)} == {"open"}
    with pytest.raises(actions.NotAllowed):
        await actions.decide(moderator_id, "proposal", proposal_id, "hide", "spam", "Mine.", facts="Facts.")


async def test_a_moderator_cannot_decide_on_their_own_content(client):
    moderator_id = await as_moderator(client)
    round_id, area_ids = await make_round()
    proposal_id = await make_proposal(round_id, area_ids[0], moderator_id)
    token = csrf_from((await client.get(f"/en/moderation/proposal/{proposal_id}")).text)
    response = await client.post(
        f"/en/moderation/proposal/{proposal_id}", data={"_csrf_token": token, "action": "keep", "explanation": "Fine."}
    )
    assert response.status_code == 403
    assert await ModerationDecision.count() == 0


async def test_only_moderators_can_decide_even_through_the_action():
    proposal_id, _ = await a_proposal()
    resident = await make_user()
    with pytest.raises(actions.NotAllowed):
        await actions.decide(resident, "proposal", proposal_id, "hide", "spam", "No.", facts="Facts.")
    with pytest.raises(ValueError):
        await actions.decide(resident, "proposal", proposal_id, "hide", "", "No reason.", facts="Facts.")
    assert await ModerationDecision.count() == 0


async def test_deciding_on_a_missing_item_is_404(client):
    await as_moderator(client)
    assert (await client.get("/en/moderation/proposal/999999")).status_code == 404
    assert (await client.get("/en/moderation/user/1")).status_code == 404


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_decision_errors_are_beside_the_fields_and_keep_what_was_typed(client, lang):
    proposal_id, _ = await a_proposal()
    await as_moderator(client)
    typed = "I have not made up my mind <yet>"
    response = await submit(
        client,
        f"/{lang}/moderation/proposal/{proposal_id}",
        {"action": "hide", "ground": "guidelines", "facts": "Facts.", "explanation": typed},
    )
    assert response.status_code == 422
    soup = soup_of(response)
    assert soup.html["lang"] == lang
    assert [a["href"] for a in soup.select(".govuk-error-summary a")] == ["#reason"]
    assert soup.select_one("#reason-error").text.strip()
    assert soup.select_one("input[name=action][value=hide]").has_attr("checked")
    assert soup.select_one("textarea#explanation").text == typed
    assert "<yet>" not in response.text

    response = await submit(client, f"/{lang}/moderation/proposal/{proposal_id}", {"explanation": "z" * 1001})
    assert response.status_code == 422
    soup = soup_of(response)
    assert soup.select_one("#action-error") and soup.select_one("#explanation-error")
    assert await ModerationDecision.count() == 0
    assert (await Proposal.select(Proposal.hidden).where(Proposal.id == proposal_id).first())["hidden"] is False


async def test_a_report_after_a_decision_changes_nothing(client):
    proposal_id, _ = await a_proposal()
    reporter = await make_user(email="reporter@example.org")
    await actions.report(reporter, "proposal", proposal_id, "spam", "")
    moderator_id = await make_user(email=MODERATOR, roles={"moderator"})
    await actions.decide(moderator_id, "proposal", proposal_id, "keep", "spam", "Not an advert.", facts="Facts.")
    again = await actions.report(reporter, "proposal", proposal_id, "spam", "Still an advert.")
    assert not again.created
    assert [r["status"] for r in await reports_of("proposal", proposal_id)] == ["decided"]
    # Another decision on the item (after someone else reports it) still closes every open report.
    other = await make_user(email="other@example.org")
    assert (await actions.report(other, "proposal", proposal_id, "spam", "")).created
    await actions.decide(moderator_id, "proposal", proposal_id, "hide", "spam", "It is an advert after all.", facts="Facts.")
    assert {r["status"] for r in await reports_of("proposal", proposal_id)} == {"decided"}
    await sign_in(client, "reporter@example.org")
    page = await client.get(f"/en/report/proposal/{proposal_id}")
    assert page.status_code == 200 and not soup_of(page).select("input[name=reason]")


# CSRF


async def test_posts_without_a_csrf_token_are_refused(client):
    proposal_id, _ = await a_proposal()
    await as_moderator(client)
    await client.get(f"/en/report/proposal/{proposal_id}")  # has the CSRF cookie, sends no token
    for path, data in (
        (f"/en/report/proposal/{proposal_id}", {"reason": "spam"}),
        (f"/en/moderation/proposal/{proposal_id}", {"action": "hide", "reason": "spam", "explanation": "x"}),
    ):
        assert (await client.post(path, data=data)).status_code == 403
        assert (await client.post(path, data={**data, "_csrf_token": "forged"})).status_code == 403
    assert await Report.count() == 0 and await ModerationDecision.count() == 0


# The public transparency log


async def test_the_transparency_log_counts_decisions_without_names_or_content(client):
    proposal_id, author_id = await a_proposal(title_en="Secret garden")
    comments = [await a_comment(proposal_id, author_id, body=f"Comment number {n}") for n in range(3)]
    moderator_id = await make_user(email=MODERATOR, name="Morgan Moderator", roles={"moderator"})
    await actions.decide(moderator_id, "comment", comments[0], "hide", "threats", "Explanation one", facts="Facts.")
    await actions.decide(moderator_id, "comment", comments[1], "hide", "threats", "Explanation two", facts="Facts.")
    await actions.decide(moderator_id, "comment", comments[2], "keep", "threats", "Explanation three", facts="Facts.")
    await actions.decide(moderator_id, "proposal", proposal_id, "keep", "", "Explanation four", facts="Facts.")

    response = await client.get("/en/moderation/log")  # nobody signed in
    assert response.status_code == 200
    soup = soup_of(response)
    table = soup.select_one("main table")
    assert table.caption.text.strip()
    assert all(th.get("scope") == "col" for th in table.select("thead th"))
    assert all(th.get("scope") == "row" for th in table.select("tbody th, tfoot th"))

    def cell(action, reason):
        return table.select_one(f"td[data-action={action}][data-reason='{reason}']").text.strip()

    assert (cell("hide", "threats"), cell("keep", "threats")) == ("2", "1")
    assert (cell("hide", "spam"), cell("keep", "spam")) == ("0", "0")
    assert (cell("hide", ""), cell("keep", "")) == ("0", "1")
    assert (cell("hide", "all"), cell("keep", "all")) == ("2", "2")
    for private in ("Morgan", "Alys", "Secret garden", "Comment number", "Explanation", MODERATOR):
        assert private not in response.text
    welsh = await client.get("/cy/moderation/log")
    assert welsh.status_code == 200 and soup_of(welsh).html["lang"] == "cy"


async def test_an_empty_transparency_log(client):
    response = await client.get("/en/moderation/log")
    assert response.status_code == 200
    assert soup_of(response).select_one("td[data-action=hide][data-reason=all]").text.strip() == "0"
