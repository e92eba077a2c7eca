"""Safeguards on new content, end to end: invisible formatting removed from what people type,
posting limits per person (also under concurrent posts), and the council's watch list holding new
content for a moderator with its author told at once, on the page and by email in their language."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup

from pb.accounts import rules as account_rules
from pb.accounts.passwords import verify_password
from pb.accounts.posting import TooMany
from pb.accounts.tables import User
from pb.audit.tables import AuditEvent
from pb.moderation import rules
from pb.moderation.tables import Report, WatchTerm
from pb.proposals import actions as proposal_actions
from pb.proposals.tables import Comment, Proposal
from tests.conftest import csrf_from, link_in, make_proposal, make_round, make_user, outbox_messages, seed_demo, sign_in, submit

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
INVISIBLE = "\u200b\u2060\ufeff\u00ad"
COMMENT_LIMIT = account_rules.POSTING_POLICIES["comment"].limit


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def assert_clean(text: str) -> None:
    assert not set(text) & set(BIDI + INVISIBLE), [hex(ord(char)) for char in set(text) & set(BIDI + INVISIBLE)]


async def a_proposal(phase="proposals") -> tuple[int, int, list[int]]:
    """A submitted proposal: (proposal id, round id, area ids)."""
    round_id, area_ids = await make_round(phase=phase)
    author = await make_user(email="owner@example.org", name="Owen Owner")
    return await make_proposal(round_id, area_ids[0], author), round_id, area_ids


async def post_comment(client, proposal_id: int, body: str, lang="en"):
    return await submit(
        client, f"/{lang}/proposals/{proposal_id}", {"body": body}, action=f"/{lang}/proposals/{proposal_id}/comments"
    )


# Text hygiene


async def test_a_comment_cannot_reverse_or_hide_its_text(client):
    proposal_id, _, _ = await a_proposal()
    await make_user()
    await sign_in(client)
    response = await post_comment(client, proposal_id, "See \u202egnp.exe\u202c and sec\u200bret\u2066 words")
    assert response.status_code == 303
    row = await Comment.select().first()
    assert row["body"] == "See gnp.exe and secret words"
    page = await client.get(f"/en/proposals/{proposal_id}")
    assert_clean(page.text)
    assert "See gnp.exe and secret words" in page.text


async def test_emoji_and_the_welsh_flag_survive(client):
    proposal_id, _, _ = await a_proposal()
    await make_user()
    await sign_in(client)
    wales = "\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f"
    family = "\U0001f469\u200d\U0001f467"
    await post_comment(client, proposal_id, f"Da iawn {wales} {family}")
    assert (await Comment.select().first())["body"] == f"Da iawn {wales} {family}"


async def test_a_proposal_title_summary_and_description_are_cleaned(client):
    _, round_id, area_ids = await a_proposal()
    await make_user()
    await sign_in(client)
    form = {
        "languages": "en",
        "title_en": "\u202eaera yalp\u202c new",
        "summary_en": "Short\u200b summary\u2067",
        "description_en": "Long\ufeff description\u061c",
        "area": str(area_ids[0]),
        "estimated_cost": "2500",
        "themes": "young_people",
        "action": "submit",
    }
    response = await submit(client, f"/en/rounds/{round_id}/propose", form)
    assert response.status_code == 303, response.text[:2000]
    row = await Proposal.select().order_by(Proposal.id, ascending=False).first()
    assert (row["title_en"], row["summary_en"], row["description_en"]) == ("aera yalp new", "Short summary", "Long description")
    page = await client.get(response.headers["location"])
    assert_clean(page.text)


async def test_a_name_is_cleaned_but_a_password_is_taken_exactly_as_typed(client):
    password = "a long\u200b pass\u202eword"
    response = await submit(
        client,
        "/en/register",
        {
            "name": "\u202eSam\u200b Jones\u2069",
            "email": "sam@example.org",
            "password": password,
            "password_confirm": password,
            "language": "en",
        },
    )
    assert response.status_code == 303
    row = await User.select(User.name, User.password_hash).where(User.email == "sam@example.org").first()
    assert row["name"] == "Sam Jones"
    assert await verify_password(row["password_hash"], password)
    assert not await verify_password(row["password_hash"], "a long password")
    # Confirmed and signed in (with the password exactly as typed), the name shows clean.
    [message] = await outbox_messages()
    assert (await submit(client, link_in(message["body"]), {})).status_code == 303
    await sign_in(client, "sam@example.org", password)
    account = await client.get("/en/account")
    assert_clean(account.text)
    assert "Sam Jones" in account.text


async def test_report_details_are_cleaned(client):
    proposal_id, _, _ = await a_proposal()
    await make_user()
    await sign_in(client)
    response = await submit(
        client, f"/en/report/proposal/{proposal_id}", {"reason": "spam", "details": "An ad\u202e for\u200b a shop"}
    )
    assert response.status_code == 303
    assert (await Report.select(Report.details).first())["details"] == "An ad for a shop"


# Posting limits


async def _old_comments(proposal_id: int, author: int, count: int, age: timedelta) -> None:
    when = datetime.now(UTC) - age
    await Comment.insert(
        *[Comment(proposal=proposal_id, author=author, body=f"Comment {n}", created_at=when) for n in range(count)]
    )


async def test_a_resident_is_stopped_at_the_comment_limit_and_keeps_what_they_typed(client):
    proposal_id, _, _ = await a_proposal()
    resident = await make_user()
    await sign_in(client)
    await _old_comments(proposal_id, resident, COMMENT_LIMIT - 1, timedelta(minutes=2))
    assert (await post_comment(client, proposal_id, "One more, within the limit")).status_code == 303
    refused = await post_comment(client, proposal_id, "Yet another thought")
    assert refused.status_code == 422
    soup = soup_of(refused)
    assert "Please wait a few minutes" in soup.select_one("#body-error").text
    assert soup.select_one("textarea#body").text.strip() == "Yet another thought"
    assert soup.select_one(".govuk-error-summary a[href='#body']")
    assert await Comment.count().where(Comment.author == resident) == COMMENT_LIMIT


async def test_the_limit_is_in_welsh_for_welsh_pages(client):
    proposal_id, _, _ = await a_proposal()
    resident = await make_user(language="cy")
    await sign_in(client, lang="cy")
    await _old_comments(proposal_id, resident, COMMENT_LIMIT, timedelta(minutes=1))
    refused = await post_comment(client, proposal_id, "Un arall", lang="cy")
    assert refused.status_code == 422
    message = soup_of(refused).select_one("#body-error").text
    assert "Please wait" not in message and message.strip()


async def test_comments_older_than_the_window_do_not_count(client):
    proposal_id, _, _ = await a_proposal()
    resident = await make_user()
    await sign_in(client)
    window = account_rules.POSTING_POLICIES["comment"].window
    await _old_comments(proposal_id, resident, COMMENT_LIMIT * 3, window + timedelta(minutes=1))
    assert (await post_comment(client, proposal_id, "A fresh start")).status_code == 303


async def test_staff_are_not_limited(client):
    proposal_id, _, _ = await a_proposal()
    officer = await make_user(email="officer@example.org", roles={"officer"})
    await _old_comments(proposal_id, officer, COMMENT_LIMIT * 2, timedelta(minutes=1))
    await proposal_actions.add_comment(officer, proposal_id, "Information from the council", None)


async def test_concurrent_comments_never_pass_the_limit(client):
    proposal_id, _, _ = await a_proposal()
    resident = await make_user()
    await _old_comments(proposal_id, resident, COMMENT_LIMIT - 3, timedelta(minutes=1))
    results = await asyncio.gather(
        *[proposal_actions.add_comment(resident, proposal_id, f"Burst {n}", None) for n in range(12)], return_exceptions=True
    )
    assert sum(isinstance(result, int) for result in results) == 3
    assert all(isinstance(result, (int, TooMany)) for result in results), results
    assert await Comment.count().where(Comment.author == resident) == COMMENT_LIMIT


async def test_reports_are_limited_beside_the_reason(client):
    proposal_id, _, _ = await a_proposal()
    resident = await make_user()
    await sign_in(client)
    limit = account_rules.POSTING_POLICIES["report"].limit
    await Report.insert(
        *[Report(target_kind="comment", target_id=900 + n, reporter=resident, reason="spam") for n in range(limit)]
    )
    refused = await submit(client, f"/en/report/proposal/{proposal_id}", {"reason": "hate", "details": "Nasty words"})
    assert refused.status_code == 429
    soup = soup_of(refused)
    assert "sent a lot of reports" in soup.select_one("#reason-error").text
    assert soup.select_one("textarea#details").text.strip() == "Nasty words"
    assert soup.select_one("input[name=reason][value=hate]").has_attr("checked")
    assert await Report.count().where(Report.target_id == proposal_id) == 0


async def test_new_proposals_are_limited(client):
    _, round_id, area_ids = await a_proposal()
    resident = await make_user()
    await sign_in(client)
    for n in range(account_rules.POSTING_POLICIES["proposal"].limit):
        await make_proposal(round_id, area_ids[0], resident, status="draft", title_en=f"Idea {n}")
    form = {"languages": "en", "title_en": "One idea too many", "area": str(area_ids[0]), "action": "draft"}
    refused = await submit(client, f"/en/rounds/{round_id}/propose", form)
    assert refused.status_code == 422
    assert "Please wait until tomorrow" in refused.text
    assert soup_of(refused).select_one("input#title_en")["value"] == "One idea too many"
    assert not await Proposal.exists().where(Proposal.title_en == "One idea too many")


# The watch list


async def as_moderator(client, email="mod@example.org") -> int:
    moderator_id = await make_user(email=email, name="Morgan Moderator", roles={"moderator"})
    await sign_in(client, email)
    return moderator_id


async def test_moderators_add_and_remove_terms_audited(client):
    moderator_id = await as_moderator(client)
    page = await client.get("/en/moderation/watch-list")
    assert page.status_code == 200 and "The watch list is empty" in page.text
    added = await submit(client, "/en/moderation/watch-list", {"term": "  Heol\u200b  FAWR "})
    assert added.status_code == 303 and added.headers["location"] == "/en/moderation/watch-list?done=added"
    [row] = await WatchTerm.select()
    assert (row["term"], row["added_by"]) == ("heol fawr", moderator_id)
    again = await submit(client, "/en/moderation/watch-list", {"term": "HEOL FAWR"})
    assert again.status_code == 422 and "already on the watch list" in soup_of(again).select_one("#term-error").text
    assert soup_of(again).select_one("input#term")["value"] == "HEOL FAWR"
    empty = await submit(client, "/cy/moderation/watch-list", {"term": "   "})
    assert empty.status_code == 422 and soup_of(empty).select_one("#term-error").text.strip()
    cy_page = await client.get("/cy/moderation/watch-list")
    assert cy_page.status_code == 200 and "heol fawr" in cy_page.text
    removed = await submit(
        client, "/en/moderation/watch-list", {"term_id": str(row["id"])}, action="/en/moderation/watch-list/remove"
    )
    assert removed.status_code == 303
    assert not await WatchTerm.exists()
    actions_done = [event["action"] for event in await AuditEvent.select(AuditEvent.action).order_by(AuditEvent.id)]
    assert actions_done.count("moderation.watch_term_added") == 1 and actions_done.count("moderation.watch_term_removed") == 1
    for junk in ("²", "-1", "99999999999999", ""):
        response = await submit(client, "/en/moderation/watch-list", {"term_id": junk}, action="/en/moderation/watch-list/remove")
        assert response.status_code == 303


async def test_only_moderators_see_or_change_the_watch_list(client):
    await WatchTerm.insert(WatchTerm(term="secret", added_by=1))
    assert (await client.get("/en/moderation/watch-list")).status_code in (302, 303, 401)
    await make_user(roles={"officer"})
    await sign_in(client)
    assert (await client.get("/en/moderation/watch-list")).status_code == 403
    token = csrf_from((await client.get("/en/account")).text)
    assert (await client.post("/en/moderation/watch-list", data={"_csrf_token": token, "term": "x"})).status_code == 403
    assert (await client.post("/en/moderation/watch-list/remove", data={"_csrf_token": token, "term_id": "1"})).status_code == 403
    assert await WatchTerm.count() == 1


async def test_a_held_comment_is_told_to_its_author_and_released_by_a_moderator(client, app):
    import httpx

    proposal_id, _, _ = await a_proposal()
    await WatchTerm.insert(WatchTerm(term="heol fawr", added_by=1))
    author = await make_user(email="alys@example.org", name="Alys", language="cy")
    await sign_in(client, "alys@example.org", lang="cy")
    posted = await post_comment(client, proposal_id, "Maen nhw'n byw ar HEOL Fawr", lang="cy")
    assert posted.status_code == 303
    row = await Comment.select().first()
    assert (row["hidden"], row["hidden_reason"], row["author"]) == (True, rules.HELD, author)
    # The author sees it, marked as waiting, at once.
    own = soup_of(await client.get(f"/cy/proposals/{proposal_id}"))
    box = own.select_one(f"#comment-{row['id']}")
    assert "Maen nhw'n byw ar HEOL Fawr" in box.text and box.select_one(".govuk-tag")
    # ... and by email in Welsh.
    [mail] = [m for m in await outbox_messages() if m["recipient"] == "alys@example.org"]
    assert mail["language"] == "cy" and f"/cy/proposals/{proposal_id}" in mail["body"]
    # Everyone else sees a placeholder, never the text.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as public:
        other = await public.get(f"/en/proposals/{proposal_id}")
        assert "HEOL Fawr" not in other.text and "A comment is waiting for a moderator." in other.text
        assert "HEOL Fawr" not in (await public.get(f"/cy/proposals/{proposal_id}")).text
    # The moderators' queue shows it as held; keeping it publishes it.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as moderators:
        await as_moderator(moderators)
        queue = await moderators.get("/en/moderation")
        assert "Held by the watch list" in queue.text and f"/en/moderation/comment/{row['id']}" in queue.text
        item = await moderators.get(f"/en/moderation/comment/{row['id']}")
        assert "Held by the watch list" in item.text
        assert "It contains the watch-list terms: <strong>“heol fawr”</strong>." in item.text  # why it was held
        kept = await submit(
            moderators,
            f"/en/moderation/comment/{row['id']}",
            {"action": "keep", "ground": "none", "facts": "Only a street name.", "explanation": "A street name is fine."},
        )
        assert kept.status_code == 303, kept.text[:3000]
        assert "Held by the watch list" not in (await moderators.get("/en/moderation")).text
    released = await Comment.select().first()
    assert (released["hidden"], released["hidden_reason"]) == (False, "")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as public:
        assert "HEOL Fawr" in (await public.get(f"/en/proposals/{proposal_id}")).text


async def test_a_comment_without_a_term_or_with_it_inside_a_word_is_not_held(client):
    proposal_id, _, _ = await a_proposal()
    await WatchTerm.insert(WatchTerm(term="rat", added_by=1))
    resident = await make_user()
    await proposal_actions.add_comment(resident, proposal_id, "Separate the bins, please", None)
    assert not (await Comment.select().first())["hidden"]
    assert not await outbox_messages()


async def test_editing_a_comment_to_add_a_term_holds_it(client):
    proposal_id, _, _ = await a_proposal()
    await WatchTerm.insert(WatchTerm(term="rat", added_by=1))
    resident = await make_user()
    comment_id = await proposal_actions.add_comment(resident, proposal_id, "Nice idea", None)
    await proposal_actions.edit_comment(resident, comment_id, "You RAT")
    row = await Comment.select().first()
    assert (row["hidden"], row["hidden_reason"]) == (True, rules.HELD)


async def test_a_submitted_proposal_with_a_term_is_held_and_its_author_told(client, app):
    import httpx

    _, round_id, area_ids = await a_proposal()
    await WatchTerm.insert(WatchTerm(term="ffordd osgoi", added_by=1))
    await make_user(language="cy")
    await sign_in(client)
    form = {
        "languages": "cy",
        "title_cy": "Dim Ffordd Osgoi",
        "summary_cy": "Crynodeb",
        "description_cy": "Disgrifiad",
        "area": str(area_ids[0]),
        "estimated_cost": "2500",
        "themes": "young_people",
        "action": "submit",
    }
    response = await submit(client, f"/cy/rounds/{round_id}/propose", form)
    assert response.status_code == 303
    row = await Proposal.select().where(Proposal.title_cy == "Dim Ffordd Osgoi").first()
    assert (row["hidden"], row["hidden_reason"]) == (True, rules.HELD)
    own = await client.get(f"/cy/proposals/{row['id']}")
    assert "Dim Ffordd Osgoi" in own.text and "govuk-tag--yellow" in own.text
    assert any(m["language"] == "cy" and "content_held" not in m["body"] for m in await outbox_messages())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as public:
        page = await public.get(f"/en/proposals/{row['id']}")
        assert page.status_code == 200 and "Ffordd Osgoi" not in page.text, [
            line for line in page.text.splitlines() if "Ffordd" in line
        ]
        assert "waiting for a moderator" in page.text
        assert "Ffordd Osgoi" not in (await public.get(f"/en/rounds/{round_id}/proposals")).text


async def test_the_demo_has_a_watch_list_and_a_held_comment(client, app):
    import httpx

    await seed_demo("accounts", "rounds", "proposals", "moderation")
    await seed_demo("moderation")  # again: nothing new
    assert sorted(row["term"] for row in await WatchTerm.select()) == ["goresgynwyr", "invaders"]
    [held] = await Comment.select().where(Comment.hidden_reason == rules.HELD)
    assert held["hidden"]
    page = await client.get(f"/en/proposals/{held['proposal']}")
    assert "invaders" not in page.text and "A comment is waiting for a moderator." in page.text
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as moderators:
        await sign_in(moderators, "moderator@demo.pb.cymru", "moderator-demo-2026")
        assert "Held by the watch list" in (await moderators.get("/en/moderation")).text
