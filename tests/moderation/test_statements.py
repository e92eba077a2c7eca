"""Statements of reasons (shaped like the EU Digital Services Act's) on every moderation decision:
what the form records, what it refuses, and what the author and the reporters are sent."""

import pytest

from pb.moderation import actions, rules
from pb.moderation.tables import ModerationDecision
from pb.proposals.tables import Comment, Proposal
from pb.web.templating import t
from tests.conftest import make_user, outbox_messages, sign_in, submit
from tests.moderation.test_moderation import a_comment, a_proposal, as_moderator, soup_of


async def test_the_form_asks_for_a_full_statement(client):
    proposal_id, _ = await a_proposal()
    await as_moderator(client)
    soup = soup_of(await client.get(f"/en/moderation/proposal/{proposal_id}"))
    assert {i["value"] for i in soup.select("input[name=action]")} == set(rules.ACTIONS)
    assert {i["value"] for i in soup.select("input[name=ground]")} == set(rules.GROUNDS)
    assert {i["value"] for i in soup.select("input[name=law]")} == set(rules.LAWS)
    assert (
        soup.select_one("textarea#facts") and soup.select_one("textarea#explanation") and soup.select_one("textarea#public_note")
    )


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_hiding_under_a_law_sends_the_statement_in_the_authors_language(client, lang):
    proposal_id, author_id = await a_proposal(language="cy")
    comment_id = await a_comment(proposal_id, author_id)
    moderator_id = await as_moderator(client)
    response = await submit(
        client,
        f"/{lang}/moderation/comment/{comment_id}",
        {
            "action": "hide",
            "ground": "unlawful",
            "law": "malicious_communications_1988",
            "facts": "It says it knows where the reader lives.",
            "explanation": "A threat to a named person.",
        },
    )
    assert response.status_code == 303
    [decision] = await ModerationDecision.select()
    assert (decision["ground"], decision["law"], decision["reason"], decision["facts"], decision["automated"]) == (
        "unlawful",
        "malicious_communications_1988",
        "",
        "It says it knows where the reader lives.",
        False,
    )
    assert decision["moderator_id"] == moderator_id and decision["at"] is not None
    row = await Comment.select(Comment.hidden, Comment.hidden_reason).where(Comment.id == comment_id).first()
    assert row == {"hidden": True, "hidden_reason": "unlawful"}
    [message] = await outbox_messages()
    body = message["body"]
    assert message["language"] == "cy"
    assert t("cy", rules.LAWS["malicious_communications_1988"]) in body
    assert t("cy", rules.GROUNDS["unlawful"]) in body
    assert "It says it knows where the reader lives." in body and "A threat to a named person." in body
    assert f"http://testserver/cy/appeals/new/{decision['id']}" in body
    assert "14" in body


async def test_a_statement_must_be_complete(client):
    proposal_id, _ = await a_proposal()
    await as_moderator(client)
    url = f"/en/moderation/proposal/{proposal_id}"
    cases = [
        ({"action": "hide", "ground": "none", "facts": "f", "explanation": "e"}, {"ground"}),
        ({"action": "hide", "ground": "unlawful", "facts": "f", "explanation": "e"}, {"law"}),
        ({"action": "hide", "ground": "guidelines", "facts": "f", "explanation": "e"}, {"reason"}),
        ({"action": "hide", "ground": "guidelines", "reason": "spam", "explanation": "e"}, {"facts"}),
        ({"action": "note", "ground": "none", "facts": "f", "explanation": "e"}, {"public_note"}),
    ]
    for data, fields in cases:
        response = await submit(client, url, data)
        assert response.status_code == 422, data
        soup = soup_of(response)
        assert {a["href"].lstrip("#") for a in soup.select(".govuk-error-summary a")} == fields
        for field in fields:
            assert soup.select_one(f"#{field}-error").text.strip()
    assert await ModerationDecision.count() == 0


async def test_keeping_with_a_note_shows_the_note_and_tells_the_reporter_how_to_appeal(client):
    proposal_id, author_id = await a_proposal()
    comment_id = await a_comment(proposal_id, author_id, body="The bridge will cost ten million pounds.")
    reporter = await make_user(email="reporter@example.org", language="cy")
    await actions.report(reporter, "comment", comment_id, "misinformation", "")
    await actions.report(reporter, "proposal", proposal_id, "spam", "")
    await as_moderator(client)
    note = "The council's published estimate is £2.1 million."
    for kind, target in (("comment", comment_id), ("proposal", proposal_id)):
        response = await submit(
            client,
            f"/en/moderation/{kind}/{target}",
            {"action": "note", "ground": "none", "facts": "A figure disputed.", "explanation": "Kept.", "public_note": note},
        )
        assert response.status_code == 303
    decisions = await ModerationDecision.select().order_by(ModerationDecision.id)
    assert [(d["action"], d["public_note"]) for d in decisions] == [("note", note)] * 2
    page = await client.get(f"/en/proposals/{proposal_id}")
    soup = soup_of(page)
    assert note in soup.select_one("#moderation-note").text
    assert note in soup.select_one(f"#comment-{comment_id}").text
    # The author may appeal a note; the reporter is told in Welsh that it was kept, and how to appeal.
    messages = await outbox_messages()
    to_author = [m for m in messages if m["recipient"] == "author@example.org"]
    to_reporter = [m for m in messages if m["recipient"] == "reporter@example.org"]
    assert len(to_author) == 2 and len(to_reporter) == 2
    assert all(f"/en/appeals/new/{d['id']}" in m["body"] for m, d in zip(to_author, decisions, strict=True))
    assert all(m["language"] == "cy" and m["subject"] == t("cy", "The outcome of your report") for m in to_reporter)
    assert all(f"/cy/appeals/new/{d['id']}" in m["body"] for m, d in zip(to_reporter, decisions, strict=True))
    assert note in to_reporter[0]["body"]


async def test_the_note_says_its_language_so_a_welsh_page_reads_an_english_note_in_english(client):
    proposal_id, author_id = await a_proposal()
    comment_id = await a_comment(proposal_id, author_id, body="The bridge will cost ten million pounds.")
    await as_moderator(client)
    form = soup_of(await client.get(f"/cy/moderation/comment/{comment_id}"))
    assert form.select_one("input[name=note_language][value=cy]").has_attr("checked")  # the page's, to start with
    english = "The council's published estimate is £2.1 million."
    welsh = "Amcangyfrif cyhoeddedig y cyngor yw £2.1 miliwn."
    for kind, target, note, chosen in (("comment", comment_id, english, "en"), ("proposal", proposal_id, welsh, None)):
        sent = {"action": "note", "ground": "none", "facts": "A figure.", "explanation": "Kept.", "public_note": note}
        response = await submit(client, f"/cy/moderation/{kind}/{target}", sent | ({"note_language": chosen} if chosen else {}))
        assert response.status_code == 303
    assert [d["public_note_language"] for d in await ModerationDecision.select().order_by(ModerationDecision.id)] == ["en", "cy"]
    page = soup_of(await client.get(f"/cy/proposals/{proposal_id}"))
    assert page.select_one(f"#comment-{comment_id} [lang=en]").get_text(strip=True) == english
    assert page.select_one("#moderation-note [lang=cy]").get_text(strip=True) == welsh
    # A forged language is not kept: the page's is.
    values, _ = rules.validate_decision({**sent, "note_language": "fr"}, "en")
    assert values["note_language"] == "en"


async def test_a_later_plain_keep_removes_the_note(client):
    proposal_id, _ = await a_proposal()
    moderator_id = await make_user(email="m@example.org", roles={"moderator"})
    await actions.decide(moderator_id, "proposal", proposal_id, "note", "", "Kept.", facts="F.", public_note="A note.")
    await actions.decide(moderator_id, "proposal", proposal_id, "keep", "", "Kept.", facts="F.")
    assert not soup_of(await client.get(f"/en/proposals/{proposal_id}")).select("#moderation-note")


async def test_a_decision_on_held_content_says_it_was_automated():
    proposal_id, author_id = await a_proposal()
    comment_id = await a_comment(proposal_id, author_id, body="Held for review.")
    await Comment.update({Comment.hidden: True, Comment.hidden_reason: rules.HELD}).where(Comment.id == comment_id)
    moderator_id = await make_user(email="m@example.org", roles={"moderator"})
    result = await actions.decide(moderator_id, "comment", comment_id, "keep", "", "Nothing wrong.", facts="Ordinary words.")
    assert result.restored
    [decision] = await ModerationDecision.select()
    assert decision["automated"] is True and decision["ground"] == "none"
    [message] = await outbox_messages()
    assert "watch list" in message["body"]


async def test_the_action_refuses_an_incomplete_statement():
    proposal_id, _ = await a_proposal()
    moderator_id = await make_user(email="m@example.org", roles={"moderator"})
    for kwargs in (
        {"facts": ""},
        {"facts": "F.", "ground": "none"},  # hiding needs a breach
        {"facts": "F.", "ground": "unlawful", "law": "not_a_law"},
    ):
        with pytest.raises(ValueError):
            await actions.decide(moderator_id, "proposal", proposal_id, "hide", "spam", "E.", **kwargs)
    assert await ModerationDecision.count() == 0
    assert (await Proposal.select(Proposal.hidden).where(Proposal.id == proposal_id).first())["hidden"] is False


async def test_the_statement_is_shown_to_the_author_on_the_appeal_page(client):
    proposal_id, _ = await a_proposal()
    moderator_id = await make_user(email="m@example.org", roles={"moderator"})
    decided = await actions.decide(
        moderator_id,
        "proposal",
        proposal_id,
        "hide",
        "",
        "E.",
        facts="It names a neighbour.",
        ground="unlawful",
        law="harassment_1997",
    )
    await sign_in(client, "author@example.org", lang="cy")
    page = await client.get(f"/cy/appeals/new/{decided.decision_id}")
    assert page.status_code == 200
    assert t("cy", rules.LAWS["harassment_1997"]) in page.text and "It names a neighbour." in page.text
