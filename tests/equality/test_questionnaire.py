"""The equality questionnaire after voting: offered, optional, sealed as sent, mixed at the close."""

import asyncio
import datetime as dt
import json

from bs4 import BeautifulSoup

from pb.equality import answers, invitations
from pb.equality.tables import Answers, SealedAnswers, SpentInvitation
from pb.rounds.actions import change_phase
from tests.conftest import make_user, sign_in, submit
from tests.voting.test_voting import review_form, voting_round


def form_fields(html: str, action_end: str) -> dict:
    """A form's hidden fields (CSRF token and invitation included), as a browser would send them."""
    form = BeautifulSoup(html, "html.parser").select_one(f"form[action$='{action_end}']")
    assert form is not None, f"no form posting to {action_end}"
    return {field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")}


async def vote_and_reach_offer(client, lang="en", email="voter@example.org"):
    round_id, area, projects = await voting_round()
    await make_user(email=email)
    await sign_in(client, email, lang=lang)
    review = await submit(
        client,
        f"/{lang}/rounds/{round_id}/vote/ballot?area={area}&age=yes",
        {"area": str(area), "age": "yes", "choice": [str(projects[0])]},
        action=f"/{lang}/rounds/{round_id}/vote/review",
    )
    cast = await client.post(f"/{lang}/rounds/{round_id}/vote/cast", data=review_form(review.text))
    done = await client.get(cast.headers["location"])
    assert done.status_code == 200
    return round_id, area, done.text


async def answer(client, done_html, lang="en", age="35_44", rest=None):
    start = await client.post(f"/{lang}/equality/start", data=form_fields(done_html, "/equality/start"))
    assert start.status_code == 200
    age_page = await client.post(f"/{lang}/equality/want", data={**form_fields(start.text, "/equality/want"), "want": "yes"})
    assert age_page.status_code == 200
    questions_page = await client.post(f"/{lang}/equality/age", data={**form_fields(age_page.text, "/equality/age"), "age": age})
    assert questions_page.status_code == 200
    fields = form_fields(questions_page.text, "/equality/send")
    sent = await client.post(f"/{lang}/equality/send", data={**fields, **(rest or {})})
    return questions_page, fields, sent


async def test_answer_after_voting_online_sealed_then_mixed_at_the_close(client):
    round_id, area, done = await vote_and_reach_offer(client)
    assert "Answer equality questions" in done
    assert "invitation=" not in done  # the invitation is in a form field, never in a link
    _, fields, sent = await answer(client, done, rest={"sex": "female", "welsh": ["understand", "speak"], "religion": "not_say"})
    assert sent.status_code == 200 and "Thank you for your answers" in sent.text
    assert await SealedAnswers.count() == 1 and await Answers.count() == 0
    assert await answers.waiting(round_id) == 1

    again = await client.post("/en/equality/send", data={**fields, "sex": "male"})
    assert "already been sent" in again.text and await SealedAnswers.count() == 1  # one invitation, one set of answers

    await change_phase(0, round_id, "results")
    assert await SealedAnswers.count() == 0 and await SpentInvitation.count() == 0
    [row] = await Answers.select()
    assert row["round"] == round_id and row["area"] == area and row["route"] == "online"
    assert json.loads(row["answers"]) == {
        "age": ["35_44"],
        "sex": ["female"],
        "welsh": ["speak", "understand"],
        "religion": ["not_say"],
    }
    assert set(row) == {"id", "round", "area", "route", "answers"}  # no time, no person, no ballot

    late = await client.post("/en/equality/send", data={**fields, "sex": "male"})
    assert late.status_code == 409 and "closed" in late.text


async def test_under_16_are_not_asked_about_gender_identity_or_sexual_orientation(client):
    _, _, done = await vote_and_reach_offer(client)
    page, fields, _ = await answer(client, done, age="under_16")
    assert 'name="sexual_orientation"' not in page.text and 'name="gender_identity"' not in page.text
    assert 'name="ethnic_group"' in page.text


async def test_adults_are_asked_and_a_forged_under_16_answer_to_them_is_ignored(client):
    round_id, _, done = await vote_and_reach_offer(client)
    page, fields, sent = await answer(client, done, age="45_54", rest={"sexual_orientation": "bisexual"})
    assert 'name="sexual_orientation"' in page.text and "Prefer not to say" in page.text
    await change_phase(0, round_id, "results")
    [row] = await Answers.select()
    assert json.loads(row["answers"])["sexual_orientation"] == ["bisexual"]


async def test_a_bad_answer_is_shown_beside_its_question_and_the_rest_is_kept(client):
    _, _, done = await vote_and_reach_offer(client)
    page, fields, sent = await answer(client, done, rest={"sex": "female", "religion": "１２", "welsh": ["speak", "none"]})
    assert sent.status_code == 422
    soup = BeautifulSoup(sent.text, "html.parser")
    assert "Choose one of the answers listed" in soup.select_one("#religion-error").text
    assert "None of the above" in soup.select_one("#welsh-error").text
    assert soup.select_one("input[name=sex][value=female]").has_attr("checked")  # kept
    assert soup.select_one("input[name=welsh][value=speak]").has_attr("checked")
    assert await SealedAnswers.count() == 0  # nothing stored until the answers are good


async def test_declining_records_nothing(client):
    _, _, done = await vote_and_reach_offer(client)
    start = await client.post("/en/equality/start", data=form_fields(done, "/equality/start"))
    missing = await client.post("/en/equality/want", data=form_fields(start.text, "/equality/want"))
    assert missing.status_code == 422 and "Select yes if you want to answer" in missing.text
    declined = await client.post("/en/equality/want", data={**form_fields(start.text, "/equality/want"), "want": "no"})
    assert "No equality answers were recorded" in declined.text
    assert await SealedAnswers.count() == 0 and await SpentInvitation.count() == 0


async def test_in_welsh(client):
    _, _, done = await vote_and_reach_offer(client, lang="cy", email="pleidleisiwr@example.org")
    page, fields, sent = await answer(client, done, lang="cy", rest={"welsh": ["speak"]})
    assert 'lang="cy"' in page.text and "Mae’n well gen i beidio â dweud" in page.text
    assert sent.status_code == 200 and await SealedAnswers.count() == 1


async def test_forged_expired_or_foreign_invitations_are_refused(client):
    round_id, area, done = await vote_and_reach_offer(client)
    token = invitations.invite(round_id, area, "online", dt.date.today())
    fields = form_fields(done, "/equality/start")
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    for bad in (forged, "x", "١٢.٣٤", token + "." + token, "a" * 5000, ""):
        refused = await client.post("/en/equality/send", data={**fields, "invitation": bad, "sex": "male"})
        assert refused.status_code == 400 and "Nothing was recorded" in refused.text
    old = invitations.invite(round_id, area, "online", dt.date.today() - dt.timedelta(days=10))
    refused = await client.post("/en/equality/send", data={**fields, "invitation": old, "sex": "male"})
    assert refused.status_code == 400
    assert await SealedAnswers.count() == 0


async def test_the_about_page_answers_get_in_both_languages(client):
    for lang in ("en", "cy"):
        for path in ("equality", "equality/start", "equality/want", "equality/age", "equality/send"):
            response = await client.get(f"/{lang}/{path}")
            assert response.status_code == 200


async def test_staff_enter_paper_slips_once_each_with_the_area_from_the_slip(client):
    from tests.conftest import make_round

    round_id, areas = await make_round(
        phase="voting", areas=(("Riverside", "Glan yr Afon", 10_000_00), ("Hill", "Bryn", 5_000_00))
    )
    await make_user(email="facilitator@example.org", roles={"facilitator"})
    await sign_in(client, "facilitator@example.org")
    url = f"/en/manage/rounds/{round_id}/equality-slips"
    page = await client.get(url)
    assert page.status_code == 200 and 'name="sexual_orientation"' in page.text
    fields = form_fields(page.text, "/equality-slips")
    missing_area = await client.post(url, data={**fields, "sex": "male"})
    assert missing_area.status_code == 422 and "Select the area written on the slip" in missing_area.text
    assert BeautifulSoup(missing_area.text, "html.parser").select_one("input[name=sex][value=male]").has_attr("checked")
    entered = await client.post(url, data={**fields, "area": str(areas[1]), "sex": "male", "age": "75_plus"})
    assert entered.status_code == 200 and "Slip entered" in entered.text
    assert BeautifulSoup(entered.text, "html.parser").select_one(f"#area option[value='{areas[1]}']").has_attr("selected")
    twice = await client.post(url, data={**fields, "area": str(areas[1]), "sex": "male", "age": "75_plus"})
    assert twice.status_code == 409 and "already been entered" in twice.text
    assert await SealedAnswers.count() == 1
    await change_phase(0, round_id, "results")
    [row] = await Answers.select()
    assert row["area"] == areas[1] and row["route"] == "paper"
    closed = await client.get(url)
    assert "no more slips can be entered" in closed.text


async def test_residents_cannot_enter_slips(client):
    from tests.conftest import make_round

    round_id, _ = await make_round(phase="voting", areas=(("Riverside", "Glan yr Afon", 10_000_00),))
    await make_user(email="resident@example.org")
    await sign_in(client, "resident@example.org")
    assert (await client.get(f"/en/manage/rounds/{round_id}/equality-slips")).status_code == 403


async def test_a_person_is_invited_once_per_round_however_they_take_part():
    from pb.equality import answers as equality

    round_id, area, _ = await voting_round()
    first = await equality.invite_once(round_id, area, "proposal", "user:7")
    assert first and await equality.invite_once(round_id, area, "online", "user:7") == ""
    assert await equality.invite_once(round_id, area, "online", "user:8")
    tokens = await asyncio.gather(*(equality.invite_once(round_id, area, "code", "voter:abc") for _ in range(20)))
    assert sum(1 for token in tokens if token) == 1  # concurrent pages: one invitation


async def test_invited_after_submitting_a_proposal_and_after_registering_for_a_session(client):
    from pb.equality.tables import Invited
    from tests.conftest import make_round
    from tests.deliberation.conftest import make_session
    from tests.proposals.test_journeys import PROPOSAL

    round_id, areas = await make_round(phase="proposals")
    await make_user(email="author@example.org")
    await sign_in(client, "author@example.org")
    draft = await submit(client, f"/en/rounds/{round_id}/propose", {**PROPOSAL, "area": str(areas[0]), "action": "draft"})
    assert draft.status_code == 303 and await Invited.count() == 0  # a draft earns no invitation
    proposal = int(draft.headers["location"].split("/proposals/")[1].split("?")[0])
    # A GET writes nothing: opening the page "just submitted" by hand neither records nor offers one.
    forged = await client.get(f"/en/proposals/{proposal}?saved=submitted")
    assert "Answer equality questions" not in forged.text and await Invited.count() == 0
    assert "pb_equality_invitation" not in forged.headers.get("set-cookie", "")  # nothing to forget: no Set-Cookie
    submitted = await submit(client, f"/en/proposals/{proposal}/edit", {**PROPOSAL, "area": str(areas[0]), "action": "submit"})
    assert submitted.status_code == 303 and await Invited.count() == 1
    page = await client.get(submitted.headers["location"])
    assert "Answer equality questions" in page.text
    assert "pb_equality_invitation" in page.headers.get("set-cookie", "")  # shown, then forgotten
    reloaded = await client.get(submitted.headers["location"])
    assert "Answer equality questions" not in reloaded.text  # shown once: the cookie is taken
    client.cookies.set("pb_equality_invitation", "forged.value")
    assert "Answer equality questions" not in (await client.get(submitted.headers["location"])).text
    client.cookies.delete("pb_equality_invitation")
    start = await client.post("/en/equality/start", data=form_fields(page.text, "/equality/start"))
    assert start.status_code == 200 and "Do you want to answer the equality questions?" in start.text

    facilitator = await make_user(email="facilitator@example.org", roles={"facilitator"})
    session_id = await make_session(facilitator, round_id=round_id, area_id=areas[1])
    await make_user(email="newcomer@example.org")
    await sign_in(client, "newcomer@example.org")
    by_hand = await client.get(f"/en/sessions/{session_id}?registered=registered")
    assert "Answer equality questions" not in by_hand.text and await Invited.count() == 1  # a GET records nothing
    registered = await submit(client, f"/en/sessions/{session_id}/register", {"for_whom": "me"})
    shown = await client.get(registered.headers["location"].split("#")[0])
    assert "Answer equality questions" in shown.text
    _, _, sent = await answer(client, shown.text)
    assert sent.status_code == 200 and await SealedAnswers.count() == 1
    await change_phase(0, round_id, "review")
    await change_phase(0, round_id, "shortlist")
    await change_phase(0, round_id, "voting")
    await change_phase(0, round_id, "results")
    [row] = await Answers.select()
    assert row["route"] == "session" and row["area"] == areas[1]


async def test_officers_switch_questions_off_and_they_are_neither_asked_nor_kept(client):
    from pb.audit.tables import AuditEvent

    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    page = await client.get("/en/manage/equality-questions")
    assert page.status_code == 200
    keep = [
        "age",
        "sex",
        "gender_identity",
        "sexual_orientation",
        "ethnic_group",
        "health_condition",
        "health_limits",
        "welsh",
        "caring",
    ]
    bad = await submit(client, "/en/manage/equality-questions", {"asked": [*keep, "shoe_size"]})
    assert bad.status_code == 422 and "Choose from the questions listed" in bad.text
    saved = await submit(client, "/en/manage/equality-questions", {"asked": keep})  # religion switched off
    assert saved.status_code == 303
    assert await AuditEvent.exists().where(AuditEvent.action == "equality.questions_changed")
    await submit(client, "/en/account", {}, action="/en/sign-out")
    round_id, _, done = await vote_and_reach_offer(client, email="voter2@example.org")
    page_, fields, sent = await answer(client, done, rest={"religion": "christian", "sex": "male"})
    assert 'name="religion"' not in page_.text
    await change_phase(0, round_id, "results")
    [row] = await Answers.select()
    assert "religion" not in json.loads(row["answers"])


async def test_one_invitation_sent_twenty_times_at_once_is_kept_once():
    round_id, area, _ = await voting_round()
    today = dt.date.today()
    invitation = invitations.read(invitations.invite(round_id, area, "online", today), today)
    results = await asyncio.gather(
        *(answers.send_answers(invitation, {"sex": ("male",)}) for _ in range(20)), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, answers.AnswersRefused)]
    assert len(refused) == 19 and results.count(None) == 1
    assert await SealedAnswers.count() == 1 and await SpentInvitation.count() == 1
