"""Information from the council: the validation rule; only officers add or withdraw a note, and only
beside public content; the note is shown beside the proposal or comment in the page's language with
its source, never hiding or changing anyone's words; followers are emailed in their own language;
a withdrawn note stays in the public list, marked as withdrawn."""

from __future__ import annotations

import json

import pytest

from pb.audit.tables import AuditEvent
from pb.moderation import actions, note_rules, notes
from pb.moderation.tables import CouncilNote
from pb.proposals.actions import set_following
from pb.proposals.tables import Comment, Proposal
from pb.web.templating import t
from tests.conftest import csrf_from, make_proposal, make_round, make_user, outbox_messages, sign_in, submit
from tests.moderation.test_moderation import a_comment, a_proposal, soup_of

pure = pytest.mark.pure

NOTE = {
    "body_en": "The council's published estimate for the footbridge is £2.1 million.",
    "body_cy": "Amcangyfrif cyhoeddedig y cyngor ar gyfer y bont droed yw £2.1 miliwn.",
    "source_en": "Cabinet report, March 2026",
    "source_cy": "Adroddiad y Cabinet, Mawrth 2026",
    "source_url": "https://www.example.gov.wales/cabinet/march-2026",
}
OFFICER = "officer@example.org"


def words(response) -> str:
    """The page's text as people read it (entities decoded)."""
    return soup_of(response).get_text(" ")


async def an_officer(client=None, roles=frozenset({"officer"}), email=OFFICER) -> int:
    officer_id = await make_user(email=email, name="Olwen Officer", roles=roles)
    if client is not None:
        await sign_in(client, email)
    return officer_id


async def a_thread() -> dict:
    """A submitted proposal with a comment, followed by an English and a Welsh speaker (and by a
    closed account, which is not written to)."""
    proposal_id, author_id = await a_proposal()
    comment_id = await a_comment(proposal_id, author_id, body="The footbridge will cost ten million pounds.")
    english = await make_user(email="english@example.org", name="Emma English", language="en")
    welsh = await make_user(email="welsh@example.org", name="Gwen Gymraeg", language="cy")
    closed = await make_user(email="closed@example.org", name="Cai Closed")
    for person in (english, welsh, closed):
        await set_following(person, "proposal", proposal_id, True)
    from pb.accounts.tables import User

    await User.update({User.is_active: False}).where(User.id == closed)
    return {"proposal": proposal_id, "comment": comment_id, "author": author_id}


# The rule


@pure
def test_a_complete_note_is_accepted_and_cleaned():
    values, errors = note_rules.validate_note({**NOTE, "body_en": "  \u202eFacts\u200b  "})
    assert errors == {}
    assert values["body_en"] == "Facts"  # invisible formatting removed, spaces trimmed
    assert values["source_url"] == NOTE["source_url"]
    assert note_rules.note_ok({**NOTE, "source_url": ""})
    assert not note_rules.note_ok({**NOTE, "body_en": " padded "})  # the action takes only validated values


@pure
@pytest.mark.parametrize("missing", ["body_en", "body_cy", "source_en", "source_cy"])
def test_both_languages_and_a_source_in_each_are_required(missing):
    values, errors = note_rules.validate_note({**NOTE, missing: "   "})
    assert list(errors) == [missing]
    assert values["body_en"] == NOTE["body_en"] or missing == "body_en"  # the rest is kept


@pure
def test_the_lengths_are_limited():
    _, errors = note_rules.validate_note(
        {**NOTE, "body_en": "x" * 2001, "body_cy": "y" * 2000, "source_en": "s" * 301, "source_cy": "s" * 300}
    )
    assert set(errors) == {"body_en", "source_en"}


@pure
@pytest.mark.parametrize(
    "url",
    [
        "http://www.example.gov.wales/report",
        "javascript:alert(1)",
        "https://",
        "https://localhost/report",
        "https://www.example.gov.wales/a report",
        "https://someone:secret@www.example.gov.wales/",
        "https://www.example.gov.wales:99999/",
        "ftp://www.example.gov.wales/",
        "www.example.gov.wales",
        "https://.example/",
        "https://www.example.gov.wales/" + "a" * 480,
    ],
)
def test_a_link_must_be_https_to_a_real_host(url):
    _, errors = note_rules.validate_note({**NOTE, "source_url": url})
    assert list(errors) == ["source_url"]


@pure
@pytest.mark.parametrize(
    "url", ["", "https://www.example.gov.wales", "https://example.org/a?b=c#d", "https://cyngor.cymru:8443/x"]
)
def test_good_links_and_no_link_are_accepted(url):
    assert note_rules.validate_note({**NOTE, "source_url": url})[1] == {}


# Adding a note beside a comment, through the form


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_an_officer_adds_a_note_beside_a_comment_and_followers_are_told_in_their_language(client, lang):
    thread = await a_thread()
    officer = await an_officer(client)
    url = f"/{lang}/council-notes/new/comment/{thread['comment']}"
    form = await client.get(url)
    assert form.status_code == 200
    soup = soup_of(form)
    assert soup.html["lang"] == lang and len(soup.find_all("h1")) == 1
    assert "The footbridge will cost ten million pounds." in form.text  # the comment it will sit beside
    form_tag = soup.select_one("main form[method=post]")
    assert form_tag["action"] == url and form_tag.has_attr("novalidate")
    for name in note_rules.FIELDS:
        assert soup.select_one(f"main [name={name}]#{name}"), name
    assert soup.select_one("textarea#body_cy")["lang"] == "cy"

    response = await submit(client, url, NOTE)
    assert response.status_code == 303
    assert response.headers["location"] == f"/{lang}/council-notes?done=added"

    [row] = await CouncilNote.select()
    assert (row["target_kind"], row["target_id"], row["author_id"], row["withdrawn_at"]) == (
        "comment",
        thread["comment"],
        officer,
        None,
    )
    assert {name: row[name] for name in note_rules.FIELDS} == NOTE
    [event] = await AuditEvent.select().where(AuditEvent.action == "moderation.council_note_added")
    assert (event["actor_id"], event["target"]) == (officer, f"comment:{thread['comment']}")
    assert json.loads(event["details"]) == {"note_id": row["id"]}

    # The comment is untouched: a note adds, it never hides or changes.
    comment = await Comment.select().where(Comment.id == thread["comment"]).first()
    assert (comment["body"], comment["hidden"], comment["edited_at"]) == (
        "The footbridge will cost ten million pounds.",
        False,
        None,
    )

    # Each active follower is told once, in their own language, with the note in that language.
    mails = {mail["recipient"]: mail for mail in await outbox_messages()}
    assert set(mails) == {"english@example.org", "welsh@example.org"}
    english, welsh = mails["english@example.org"], mails["welsh@example.org"]
    assert english["language"] == "en" and welsh["language"] == "cy"
    assert english["subject"] == t("en", "Information from the council about a proposal you follow")
    assert welsh["subject"] == t("cy", "Information from the council about a proposal you follow") != english["subject"]
    assert NOTE["body_en"] in english["body"] and NOTE["source_en"] in english["body"] and NOTE["body_cy"] not in english["body"]
    assert NOTE["body_cy"] in welsh["body"] and NOTE["source_cy"] in welsh["body"] and NOTE["body_en"] not in welsh["body"]
    assert f"http://testserver/en/proposals/{thread['proposal']}#comment-{thread['comment']}" in english["body"]
    assert f"http://testserver/cy/proposals/{thread['proposal']}#comment-{thread['comment']}" in welsh["body"]
    assert "/en/unsubscribe/" in english["body"] and "/cy/unsubscribe/" in welsh["body"]
    assert t("cy", "Source:") in welsh["body"] and "Hello" not in welsh["body"]


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_the_note_is_shown_beside_the_comment_in_the_pages_language(client, lang):
    thread = await a_thread()
    officer = await an_officer()
    await notes.add_note(officer, "comment", thread["comment"], NOTE)

    page = await client.get(f"/{lang}/proposals/{thread['proposal']}")
    assert page.status_code == 200
    soup = soup_of(page)
    beside = soup.select_one(f"#comment-{thread['comment']} [data-council-note]")
    assert beside is not None, "the note is inside the comment's block"
    text = beside.get_text(" ", strip=True)
    assert t(lang, "Information from the council") in text
    assert NOTE[f"body_{lang}"] in text and NOTE[f"source_{lang}"] in text
    other = "cy" if lang == "en" else "en"
    assert NOTE[f"body_{other}"] not in words(page)
    assert beside.select_one(f"a[href='{NOTE['source_url']}']")
    assert beside.find(["h2", "h3"]) is not None  # a heading, so that it can be found and is clearly marked
    assert "The footbridge will cost ten million pounds." in soup.select_one(f"#comment-{thread['comment']}").get_text()
    # The proposal itself has no note.
    assert soup.select_one("#council-information") is None


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_a_note_beside_a_proposal_is_shown_on_its_page_in_both_languages(client, lang):
    proposal_id, _ = await a_proposal()
    officer = await an_officer(client)
    response = await submit(client, f"/{lang}/council-notes/new/proposal/{proposal_id}", {**NOTE, "source_url": ""})
    assert response.status_code == 303
    for page_lang in ("en", "cy"):
        page = await client.get(f"/{page_lang}/proposals/{proposal_id}")
        box = soup_of(page).select_one("#council-information [data-council-note]")
        assert box is not None
        text = box.get_text(" ", strip=True)
        assert t(page_lang, "Information from the council") in text
        assert NOTE[f"body_{page_lang}"] in text and NOTE[f"source_{page_lang}"] in text
        assert box.select_one("a") is None  # no link was given
    # The officer's way in is on the proposal page; a resident has none.
    page = soup_of(await client.get(f"/{lang}/proposals/{proposal_id}"))
    assert page.select_one(f"a[href='/{lang}/council-notes/new/proposal/{proposal_id}']")
    assert officer


async def test_the_public_list_links_to_each_item_and_officers_see_the_way_in(client):
    thread = await a_thread()
    officer = await an_officer()
    await notes.add_note(officer, "comment", thread["comment"], NOTE)
    await notes.add_note(officer, "proposal", thread["proposal"], NOTE)

    listing = await client.get("/cy/council-notes")  # public: nobody signed in
    assert listing.status_code == 200
    soup = soup_of(listing)
    links = {a["href"] for a in soup.select("main [data-council-note] h2 a")}
    assert links == {f"/cy/proposals/{thread['proposal']}#comment-{thread['comment']}", f"/cy/proposals/{thread['proposal']}"}
    assert NOTE["body_cy"] in words(listing) and NOTE["body_en"] not in words(listing)
    assert not soup.select("a[href*='/withdraw']")  # only officers may withdraw
    footer = soup_of(await client.get("/en/")).select_one("footer a[href='/en/council-notes']")
    assert footer is not None

    # A resident sees no way to add a note; an officer sees one on each comment.
    await make_user(email="resident@example.org")
    await sign_in(client, "resident@example.org")
    page = soup_of(await client.get(f"/en/proposals/{thread['proposal']}"))
    assert not page.select("a[href*='/council-notes/new/']")
    await client.post("/en/sign-out", data={"_csrf_token": csrf_from((await client.get("/en/account")).text)})
    await sign_in(client, OFFICER)
    page = soup_of(await client.get(f"/en/proposals/{thread['proposal']}"))
    assert page.select_one(f"#comment-{thread['comment']} a[href='/en/council-notes/new/comment/{thread['comment']}']")


# Who may add a note, and beside what


@pytest.mark.parametrize("roles", [frozenset(), frozenset({"moderator"}), frozenset({"facilitator"})])
async def test_only_officers_may_add_a_note(client, roles):
    thread = await a_thread()
    await make_user(email="someone@example.org", roles=roles)
    await sign_in(client, "someone@example.org")
    url = f"/en/council-notes/new/comment/{thread['comment']}"
    assert (await client.get(url)).status_code == 403
    token = csrf_from((await client.get("/en/account")).text)
    assert (await client.post(url, data={"_csrf_token": token, **NOTE})).status_code == 403
    assert await CouncilNote.count() == 0
    assert await outbox_messages() == []


async def test_signed_out_people_are_sent_to_sign_in(client):
    thread = await a_thread()
    response = await client.get(f"/en/council-notes/new/proposal/{thread['proposal']}")
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/en/sign-in")


async def test_the_action_refuses_someone_who_is_not_an_officer_and_admins_may():
    thread = await a_thread()
    moderator = await make_user(email="mod@example.org", roles={"moderator"})
    with pytest.raises(notes.NotOfficer):
        await notes.add_note(moderator, "comment", thread["comment"], NOTE)
    admin = await make_user(email="admin@example.org", roles={"admin"})
    added = await notes.add_note(admin, "comment", thread["comment"], NOTE)
    assert (added.proposal_id, added.told) == (thread["proposal"], 2)


async def test_a_note_without_a_csrf_token_is_refused(client):
    thread = await a_thread()
    await an_officer(client)
    response = await client.post(f"/en/council-notes/new/comment/{thread['comment']}", data=NOTE)
    assert response.status_code == 403
    assert await CouncilNote.count() == 0


async def test_no_note_beside_a_draft_or_hidden_or_held_item(client):
    author = await make_user(email="author@example.org")
    round_id, area_ids = await make_round()
    draft = await make_proposal(round_id, area_ids[0], author, status="draft")
    draft_comment = await a_comment(draft, author, body="On a draft.")  # cannot happen through the site; still refused
    public = await make_proposal(round_id, area_ids[0], author)
    hidden_comment = await a_comment(public, author, body="Hidden by a moderator.")
    held_comment = await a_comment(public, author, body="Held by the watch list.")
    await Comment.update({Comment.hidden: True, Comment.hidden_reason: "threats"}).where(Comment.id == hidden_comment)
    await Comment.update({Comment.hidden: True, Comment.hidden_reason: "held"}).where(Comment.id == held_comment)
    hidden_proposal = await make_proposal(round_id, area_ids[0], author, title_en="Hidden")
    await Proposal.update({Proposal.hidden: True, Proposal.hidden_reason: "spam"}).where(Proposal.id == hidden_proposal)
    on_hidden_proposal = await a_comment(hidden_proposal, author, body="On a hidden proposal.")
    officer = await an_officer(client)
    token = csrf_from((await client.get("/en/account")).text)

    refused = [
        ("proposal", draft),
        ("comment", draft_comment),
        ("comment", hidden_comment),
        ("comment", held_comment),
        ("proposal", hidden_proposal),
        ("comment", on_hidden_proposal),
        ("proposal", 999_999),
        ("comment", 999_999),
    ]
    for kind, target_id in refused:
        url = f"/en/council-notes/new/{kind}/{target_id}"
        assert (await client.get(url)).status_code == 404, (kind, target_id)
        assert (await client.post(url, data={"_csrf_token": token, **NOTE})).status_code == 404, (kind, target_id)
        with pytest.raises(notes.NotPublic):
            await notes.add_note(officer, kind, target_id, NOTE)
    assert (await client.get(f"/en/council-notes/new/round/{public}")).status_code == 404
    assert await CouncilNote.count() == 0
    assert await AuditEvent.count().where(AuditEvent.action == "moderation.council_note_added") == 0


async def test_a_hidden_comment_shows_no_note_and_the_note_comes_back_with_it(client):
    """Hiding a comment that has a note hides the comment's words only; the note is not shown alone."""
    thread = await a_thread()
    officer = await an_officer()
    await notes.add_note(officer, "comment", thread["comment"], NOTE)
    reporter = await make_user(email="reporter@example.org")
    moderator = await make_user(email="mod@example.org", roles={"moderator"})
    await actions.report(reporter, "comment", thread["comment"], "misinformation", "")
    await actions.decide(moderator, "comment", thread["comment"], "hide", "misinformation", "False figure.", facts="Ten million.")
    page = await client.get(f"/en/proposals/{thread['proposal']}")
    assert NOTE["body_en"] not in words(page)
    # Still listed publicly (the council's own words), with its link.
    assert NOTE["body_en"] in words(await client.get("/en/council-notes"))


# Errors beside the field, keeping what was typed


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_errors_are_shown_beside_each_field_and_what_was_typed_is_kept(client, lang):
    thread = await a_thread()
    await an_officer(client)
    url = f"/{lang}/council-notes/new/comment/{thread['comment']}"
    typed = {**NOTE, "body_cy": "", "source_url": "http://insecure.example.org/x"}
    response = await submit(client, url, typed)
    assert response.status_code == 422
    soup = soup_of(response)
    summary_links = {a["href"] for a in soup.select(".govuk-error-summary a")}
    assert summary_links == {"#body_cy", "#source_url"}
    assert soup.select_one("#body_cy-error").get_text(strip=True).endswith(t(lang, "Write the information in Welsh"))
    assert soup.select_one("#source_url-error") is not None
    assert soup.select_one("textarea#body_en").get_text() == NOTE["body_en"]
    assert soup.select_one("input#source_en")["value"] == NOTE["source_en"]
    assert soup.select_one("input#source_url")["value"] == "http://insecure.example.org/x"
    assert await CouncilNote.count() == 0 and await outbox_messages() == []


# Withdrawing


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_a_withdrawn_note_leaves_the_page_and_stays_in_the_list_as_withdrawn(client, lang):
    thread = await a_thread()
    officer = await an_officer(client)
    added = await notes.add_note(officer, "comment", thread["comment"], NOTE)

    listing = soup_of(await client.get(f"/{lang}/council-notes"))
    link = listing.select_one(f"main a[href='/{lang}/council-notes/{added.note_id}/withdraw']")
    assert link is not None
    url = f"/{lang}/council-notes/{added.note_id}/withdraw"
    confirm = await client.get(url)
    assert confirm.status_code == 200 and NOTE[f"body_{lang}"] in words(confirm)
    response = await submit(client, url, {})
    assert response.status_code == 303 and response.headers["location"] == f"/{lang}/council-notes?done=withdrawn"

    row = await CouncilNote.select().where(CouncilNote.id == added.note_id).first()
    assert row["withdrawn_at"] is not None
    assert await AuditEvent.count().where(AuditEvent.action == "moderation.council_note_withdrawn") == 1
    page = await client.get(f"/{lang}/proposals/{thread['proposal']}")
    assert NOTE[f"body_{lang}"] not in words(page)

    listing = await client.get(f"/{lang}/council-notes")
    item = soup_of(listing).select_one(f"main [data-council-note='{added.note_id}']")
    text = item.get_text(" ", strip=True)
    assert t(lang, "Withdrawn") in text and NOTE[f"body_{lang}"] in text
    assert not item.select("a[href*='/withdraw']")

    # Once only: a second withdrawal is refused, and the first date stands.
    again = await client.post(url, data={"_csrf_token": csrf_from(listing.text)})
    assert again.status_code == 409
    with pytest.raises(notes.AlreadyWithdrawn):
        await notes.withdraw_note(officer, added.note_id)
    assert (await CouncilNote.select().where(CouncilNote.id == added.note_id).first())["withdrawn_at"] == row["withdrawn_at"]


async def test_only_officers_may_withdraw(client):
    thread = await a_thread()
    officer = await an_officer()
    added = await notes.add_note(officer, "comment", thread["comment"], NOTE)
    moderator = await make_user(email="mod@example.org", roles={"moderator"})
    await sign_in(client, "mod@example.org")
    url = f"/en/council-notes/{added.note_id}/withdraw"
    assert (await client.get(url)).status_code == 403
    token = csrf_from((await client.get("/en/account")).text)
    assert (await client.post(url, data={"_csrf_token": token})).status_code == 403
    with pytest.raises(notes.NotOfficer):
        await notes.withdraw_note(moderator, added.note_id)
    assert (await CouncilNote.select().where(CouncilNote.id == added.note_id).first())["withdrawn_at"] is None


async def test_withdrawing_a_note_that_does_not_exist(client):
    await an_officer(client)
    assert (await client.get("/en/council-notes/999/withdraw")).status_code == 404
    token = csrf_from((await client.get("/en/account")).text)
    assert (await client.post("/en/council-notes/999/withdraw", data={"_csrf_token": token})).status_code == 404


# Demo data


async def test_the_demo_has_a_note_beside_a_proposal_and_one_beside_a_comment_once(client):
    from tests.conftest import seed_demo

    await seed_demo("accounts", "rounds", "proposals", "moderation")
    rows = await CouncilNote.select().order_by(CouncilNote.id)
    assert [row["target_kind"] for row in rows] == ["proposal", "comment"]
    assert all(row["body_cy"] and row["source_cy"] and row["withdrawn_at"] is None for row in rows)
    await seed_demo("moderation")
    assert await CouncilNote.count() == 2
    proposal_id = rows[0]["target_id"]
    page = await client.get(f"/cy/proposals/{proposal_id}")
    assert rows[0]["body_cy"] in words(page)
