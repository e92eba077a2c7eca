"""Appeals end to end: who may appeal, once and in time; a different moderator decides; overturning
restores (or hides) at once; everyone concerned is told in their own language."""

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from pb.audit.tables import AuditEvent
from pb.moderation import actions, appeals, rules
from pb.moderation.tables import Appeal, ModerationDecision
from pb.proposals.tables import Comment
from pb.web.templating import t
from tests.conftest import csrf_from, make_user, outbox_messages, sign_in, submit
from tests.moderation.test_moderation import a_comment, a_proposal, soup_of

PASSWORD = "correct horse battery"


async def hidden_comment(author_language="cy") -> dict:
    """A comment reported by a resident and hidden by the first moderator; a second moderator exists."""
    proposal_id, author_id = await a_proposal(language=author_language)
    comment_id = await a_comment(proposal_id, author_id, body="The councillor is a liar about the budget.")
    reporter = await make_user(email="reporter@example.org", name="Rhys Reporter")
    await actions.report(reporter, "comment", comment_id, "harassment", "")
    first = await make_user(email="first@example.org", name="First Moderator", roles={"moderator"})
    second = await make_user(email="second@example.org", name="Second Moderator", roles={"moderator"})
    decided = await actions.decide(
        first, "comment", comment_id, "hide", "harassment", "Personal attack.", facts="Calls a person a liar."
    )
    return {
        "proposal": proposal_id,
        "comment": comment_id,
        "author": author_id,
        "reporter": reporter,
        "first": first,
        "second": second,
        "decision": decided.decision_id,
    }


async def kept_comment() -> dict:
    proposal_id, author_id = await a_proposal(language="en")
    comment_id = await a_comment(proposal_id, author_id, body="Spam spam spam, buy my van.")
    reporter = await make_user(email="reporter@example.org", language="cy")
    await actions.report(reporter, "comment", comment_id, "spam", "It sells a van.")
    first = await make_user(email="first@example.org", roles={"moderator"})
    second = await make_user(email="second@example.org", roles={"moderator"})
    decided = await actions.decide(first, "comment", comment_id, "keep", "", "A joke.", facts="No link, no price.")
    return {
        "comment": comment_id,
        "author": author_id,
        "reporter": reporter,
        "first": first,
        "second": second,
        "decision": decided.decision_id,
    }


async def is_hidden(comment_id: int) -> bool:
    return (await Comment.select(Comment.hidden).where(Comment.id == comment_id).first())["hidden"]


# Making an appeal


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_the_author_appeals_once_through_the_form(client, lang):
    case = await hidden_comment()
    await sign_in(client, "author@example.org", lang=lang)
    url = f"/{lang}/appeals/new/{case['decision']}"
    form = await client.get(url)
    assert form.status_code == 200
    soup = soup_of(form)
    assert soup.html["lang"] == lang and len(soup.find_all("h1")) == 1
    assert soup.select_one("textarea#reason[name=reason]")
    assert "Calls a person a liar." in form.text  # the statement of reasons is shown

    response = await submit(client, url, {"reason": "It is criticism of a councillor's public statements."})
    assert response.status_code == 303 and response.headers["location"] == url + "?appealed=1"
    [row] = await Appeal.select()
    assert (row["decision"], row["appellant"], row["role"], row["status"]) == (case["decision"], case["author"], "author", "open")
    [event] = await AuditEvent.select().where(AuditEvent.action == "moderation.appealed")
    assert event["actor_id"] == case["author"]
    # Their page now says the appeal is waiting, with no second form.
    page = soup_of(await client.get(url + "?appealed=1"))
    assert page.select_one(".govuk-notification-banner--success") and not page.select("textarea#reason")

    # A second appeal (a stale form) is refused, beside the field, keeping nothing new.
    again = await client.post(url, data={"_csrf_token": csrf_from(form.text), "reason": "Again."})
    assert again.status_code == 409
    assert t(lang, "You have appealed. A different moderator will decide, and we will email you the outcome.") in again.text
    assert await Appeal.count() == 1


async def test_two_simultaneous_appeals_by_one_person_leave_one_row():
    case = await hidden_comment()
    results = await asyncio.gather(
        *(appeals.appeal(case["author"], case["decision"], f"Reason {n}") for n in range(4)), return_exceptions=True
    )
    made = [r for r in results if isinstance(r, appeals.Made)]
    refused = [r for r in results if isinstance(r, appeals.AlreadyAppealed)]
    assert len(made) == 1 and len(refused) == 3, results
    assert await Appeal.count() == 1


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_an_appeal_needs_a_reason_of_reasonable_length(client, lang):
    case = await hidden_comment()
    await sign_in(client, "author@example.org", lang=lang)
    url = f"/{lang}/appeals/new/{case['decision']}"
    for reason in ("", "   ", "x" * 2001):
        response = await submit(client, url, {"reason": reason})
        assert response.status_code == 422
        soup = soup_of(response)
        assert [a["href"] for a in soup.select(".govuk-error-summary a")] == ["#reason"]
        assert soup.select_one("#reason-error").text.strip()
    typed = "My words <b>kept</b>"
    response = await submit(client, url, {"reason": typed + "y" * 2000})
    assert typed in soup_of(response).select_one("textarea#reason").text
    assert await Appeal.count() == 0


async def test_people_not_entitled_are_refused(client):
    case = await hidden_comment()
    await make_user(email="stranger@example.org")
    # A stranger, and the reporter of content that was hidden (it went their way), cannot appeal.
    for email in ("stranger@example.org", "reporter@example.org"):
        client.cookies.clear()
        await sign_in(client, email)
        url = f"/en/appeals/new/{case['decision']}"
        assert (await client.get(url)).status_code == 403
    for person in (case["reporter"], case["first"], case["second"]):
        with pytest.raises(appeals.NotEntitled):
            await appeals.appeal(person, case["decision"], "Because.")
    with pytest.raises(actions.NotFound):
        await appeals.appeal(case["author"], 999_999, "Because.")
    client.cookies.clear()
    await sign_in(client, "author@example.org")
    assert (await client.get("/en/appeals/new/999999")).status_code == 404
    assert await Appeal.count() == 0


async def test_a_visitor_is_sent_to_sign_in(client):
    case = await hidden_comment()
    response = await client.get(f"/en/appeals/new/{case['decision']}")
    assert response.status_code == 303 and "/en/sign-in" in response.headers["location"]


async def test_the_author_of_kept_content_cannot_appeal_but_its_reporter_can():
    case = await kept_comment()
    with pytest.raises(appeals.NotEntitled):
        await appeals.appeal(case["author"], case["decision"], "I want it kept, too.")
    made = await appeals.appeal(case["reporter"], case["decision"], "It is an advert.")
    assert (await Appeal.select(Appeal.role).where(Appeal.id == made.appeal_id).first())["role"] == "reporter"


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_a_late_appeal_is_refused_with_a_clear_message(client, lang):
    case = await hidden_comment()
    decided_at = (
        await ModerationDecision.select(ModerationDecision.at).where(ModerationDecision.id == case["decision"]).first()
    )["at"]
    with pytest.raises(appeals.TooLate):
        await appeals.appeal(
            case["author"], case["decision"], "Late.", now=decided_at + timedelta(days=rules.APPEAL_DAYS, seconds=1)
        )
    # On the last moment it is still in time (checked by the pure rule; no row is written here).
    from pb.moderation import appeal_rules

    assert appeal_rules.in_time(decided_at, decided_at + timedelta(days=rules.APPEAL_DAYS))
    await ModerationDecision.update({ModerationDecision.at: datetime.now(UTC) - timedelta(days=15)}).where(
        ModerationDecision.id == case["decision"]
    )
    await sign_in(client, "author@example.org", lang=lang)
    url = f"/{lang}/appeals/new/{case['decision']}"
    page = await client.get(url)
    message = t(lang, "The time to appeal this decision has passed: appeals must be made within %(days)s days.") % {"days": 14}
    assert page.status_code == 200 and message in page.text and not soup_of(page).select("textarea#reason")
    response = await client.post(url, data={"_csrf_token": csrf_from(page.text), "reason": "Late."})
    assert response.status_code == 403 and message in response.text
    assert await Appeal.count() == 0


async def test_a_decision_made_on_appeal_cannot_be_appealed():
    case = await hidden_comment()
    made = await appeals.appeal(case["author"], case["decision"], "Criticism.")
    result = await appeals.decide_appeal(case["second"], made.appeal_id, "overturned", "Criticism is protected.")
    with pytest.raises(appeals.NotEntitled):
        await appeals.appeal(case["reporter"], result["new_decision_id"], "Hide it again.")


# Deciding an appeal


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_a_different_moderator_overturns_and_the_content_is_restored_at_once(client, lang):
    case = await hidden_comment(author_language="cy")
    made = await appeals.appeal(case["author"], case["decision"], "It is criticism of a councillor.")
    await outbox_messages()
    before = len(await outbox_messages())
    await sign_in(client, "second@example.org", lang=lang)
    queue = await client.get(f"/{lang}/moderation")
    assert soup_of(queue).select_one(f"a[href='/{lang}/moderation/appeals']")
    listing = await client.get(f"/{lang}/moderation/appeals")
    assert listing.status_code == 200
    assert soup_of(listing).select_one(f"a[href='/{lang}/moderation/appeals/{made.appeal_id}']")
    url = f"/{lang}/moderation/appeals/{made.appeal_id}"
    page = soup_of(await client.get(url))
    assert {i["value"] for i in page.select("input[name=outcome]")} == {"upheld", "overturned"}

    response = await submit(
        client, url, {"outcome": "overturned", "outcome_reason": "Criticism of an elected member is protected."}
    )
    assert response.status_code == 303 and response.headers["location"] == f"/{lang}/moderation/appeals?decided=1"
    assert not await is_hidden(case["comment"])
    row = await Appeal.select().where(Appeal.id == made.appeal_id).first()
    assert (row["status"], row["decided_by"], row["outcome_reason"]) == (
        "overturned",
        case["second"],
        "Criticism of an elected member is protected.",
    )
    assert row["decided_at"] is not None
    new = await ModerationDecision.select().where(ModerationDecision.appeal_id == made.appeal_id).first()
    assert (new["action"], new["moderator_id"], new["ground"], new["target_id"]) == (
        "keep",
        case["second"],
        "none",
        case["comment"],
    )
    [event] = await AuditEvent.select().where(AuditEvent.action == "moderation.appeal_overturned")
    assert event["actor_id"] == case["second"] and json.loads(event["details"])["appeal_id"] == made.appeal_id
    # The author (who appealed) is told once, in Welsh.
    [message] = (await outbox_messages())[before:]
    assert message["recipient"] == "author@example.org" and message["language"] == "cy"
    assert message["subject"] == t("cy", "The outcome of an appeal")
    assert "Criticism of an elected member is protected." in message["body"]
    # The comment reads again on the proposal page.
    assert "The councillor is a liar about the budget." in (await client.get(f"/{lang}/proposals/{case['proposal']}")).text


async def test_upholding_leaves_it_hidden_and_tells_the_appellant():
    case = await hidden_comment(author_language="en")
    made = await appeals.appeal(case["author"], case["decision"], "Please.")
    before = len(await outbox_messages())
    result = await appeals.decide_appeal(case["second"], made.appeal_id, "upheld", "It is a personal attack, not criticism.")
    assert result["new_decision_id"] is None and await is_hidden(case["comment"])
    assert await ModerationDecision.count() == 1
    [message] = (await outbox_messages())[before:]
    assert message["recipient"] == "author@example.org" and "It is a personal attack, not criticism." in message["body"]
    assert await AuditEvent.count().where(AuditEvent.action == "moderation.appeal_upheld") == 1


async def test_a_reporters_appeal_that_succeeds_hides_the_content_and_tells_both():
    case = await kept_comment()
    made = await appeals.appeal(case["reporter"], case["decision"], "It sells a van.")
    before = len(await outbox_messages())
    await appeals.decide_appeal(case["second"], made.appeal_id, "overturned", "It is an advert.")
    assert await is_hidden(case["comment"])
    new = await ModerationDecision.select().where(ModerationDecision.appeal_id == made.appeal_id).first()
    assert (new["action"], new["reason"], new["ground"]) == ("hide", "spam", "guidelines")
    messages = (await outbox_messages())[before:]
    assert {(m["recipient"], m["language"]) for m in messages} == {("reporter@example.org", "cy"), ("author@example.org", "en")}


async def test_the_moderator_who_decided_cannot_decide_the_appeal(client):
    case = await hidden_comment()
    made = await appeals.appeal(case["author"], case["decision"], "Criticism.")
    await sign_in(client, "first@example.org")
    url = f"/en/moderation/appeals/{made.appeal_id}"
    page = await client.get(url)
    assert page.status_code == 200 and not soup_of(page).select("input[name=outcome]")
    response = await client.post(url, data={"_csrf_token": csrf_from(page.text), "outcome": "upheld", "outcome_reason": "Mine."})
    assert response.status_code == 403
    with pytest.raises(appeals.NotYours):
        await appeals.decide_appeal(case["first"], made.appeal_id, "upheld", "I was right.")
    assert (await Appeal.select(Appeal.status).first())["status"] == "open"


async def test_an_officer_moderator_who_reported_it_cannot_decide_the_appeal():
    proposal_id, author_id = await a_proposal()
    comment_id = await a_comment(proposal_id, author_id)
    officer = await make_user(email="officer@example.org", roles={"moderator", "officer"})
    await actions.report(officer, "comment", comment_id, "threats", "")
    first = await make_user(email="first@example.org", roles={"moderator"})
    decided = await actions.decide(first, "comment", comment_id, "hide", "threats", "A threat.", facts="Names a street.")
    made = await appeals.appeal(author_id, decided.decision_id, "Not a threat.")
    with pytest.raises(appeals.NotYours):
        await appeals.decide_appeal(officer, made.appeal_id, "upheld", "I reported it.")


async def test_a_moderator_appellant_or_author_cannot_decide_their_own_appeal():
    proposal_id, _ = await a_proposal()
    author_moderator = await make_user(email="writer@example.org", roles={"moderator"})
    comment_id = await a_comment(proposal_id, author_moderator)
    first = await make_user(email="first@example.org", roles={"moderator"})
    decided = await actions.decide(first, "comment", comment_id, "hide", "spam", "Advert.", facts="Links.")
    made = await appeals.appeal(author_moderator, decided.decision_id, "Not an advert.")
    with pytest.raises(appeals.NotYours):
        await appeals.decide_appeal(author_moderator, made.appeal_id, "overturned", "Mine is fine.")


async def test_only_moderators_decide_appeals(client):
    case = await hidden_comment()
    made = await appeals.appeal(case["author"], case["decision"], "Criticism.")
    resident = await make_user(email="resident@example.org")
    with pytest.raises(actions.NotAllowed):
        await appeals.decide_appeal(resident, made.appeal_id, "overturned", "I say so.")
    await sign_in(client, "resident@example.org")
    assert (await client.get("/en/moderation/appeals")).status_code in (403, 404)
    assert (await client.get(f"/en/moderation/appeals/{made.appeal_id}")).status_code in (403, 404)


async def test_an_appeal_is_decided_once_even_at_the_same_moment():
    case = await hidden_comment()
    third = await make_user(email="third@example.org", roles={"moderator"})
    made = await appeals.appeal(case["author"], case["decision"], "Criticism.")
    results = await asyncio.gather(
        appeals.decide_appeal(case["second"], made.appeal_id, "overturned", "Protected."),
        appeals.decide_appeal(third, made.appeal_id, "upheld", "Not protected."),
        return_exceptions=True,
    )
    assert sum(isinstance(r, dict) for r in results) == 1
    assert sum(isinstance(r, appeals.AlreadyDecided) for r in results) == 1
    assert await ModerationDecision.count().where(ModerationDecision.appeal_id == made.appeal_id) <= 1


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_appeal_decision_errors_are_beside_the_fields(client, lang):
    case = await hidden_comment()
    made = await appeals.appeal(case["author"], case["decision"], "Criticism.")
    await sign_in(client, "second@example.org", lang=lang)
    response = await submit(client, f"/{lang}/moderation/appeals/{made.appeal_id}", {"outcome_reason": "z" * 1001})
    assert response.status_code == 422
    soup = soup_of(response)
    assert {a["href"] for a in soup.select(".govuk-error-summary a")} == {"#outcome", "#outcome_reason"}
    assert (await Appeal.select(Appeal.status).first())["status"] == "open"


# Demo data


async def test_the_demo_shows_statements_and_appeals(client):
    from tests.conftest import seed_demo

    await seed_demo("accounts", "rounds", "proposals", "moderation")
    counts = (await ModerationDecision.count(), await Appeal.count())
    await seed_demo("moderation")  # again: nothing new
    assert (await ModerationDecision.count(), await Appeal.count()) == counts
    decisions = await ModerationDecision.select().order_by(ModerationDecision.id)
    shapes = {(d["action"], d["ground"], bool(d["law"]), bool(d["public_note"]), d["appeal_id"] is not None) for d in decisions}
    assert {
        ("hide", "unlawful", True, False, False),
        ("hide", "guidelines", False, False, False),
        ("keep", "none", False, False, False),
        ("note", "none", False, True, False),
        ("keep", "none", False, False, True),  # the overturned appeal's decision
    } <= shapes
    assert all(d["facts"] and d["explanation"] for d in decisions)
    rows = await Appeal.select().order_by(Appeal.id)
    assert [(r["role"], r["status"]) for r in rows] == [("author", "overturned"), ("reporter", "open")]
    overturned = rows[0]
    original = await ModerationDecision.select().where(ModerationDecision.id == overturned["decision"]).first()
    assert overturned["decided_by"] != original["moderator_id"]
    assert not await is_hidden(original["target_id"])  # restored
    # The second demo moderator can sign in and sees the open appeal.
    await sign_in(client, "moderator2@demo.pb.cymru", "moderator2-demo-2026")
    assert f"/en/moderation/appeals/{rows[1]['id']}" in (await client.get("/en/moderation/appeals")).text
