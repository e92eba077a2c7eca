"""Reminders nobody has to send by hand: followers who have not voted online are reminded once, two
days before voting closes; followers are told once when the results are published. In each person's
language, with a working way out; once per round even when several processes look at once."""

import asyncio
import re
from datetime import date, timedelta

from pb.accounts.tables import User
from pb.proposals.actions import set_following
from pb.proposals.tables import Follow
from pb.rounds.actions import change_phase
from pb.rounds.tables import Round
from pb.voting import actions, reminders
from pb.voting.tables import RoundNotice
from tests.conftest import make_user, outbox_messages, submit
from tests.voting.test_voting import voting_round


def test_the_closing_reminder_is_due_two_days_before_the_planned_close():
    closes = date(2027, 5, 3)
    assert not reminders.closing_reminder_due("voting", closes, date(2027, 4, 30))
    assert reminders.closing_reminder_due("voting", closes, date(2027, 5, 1))
    assert reminders.closing_reminder_due("voting", closes, date(2027, 5, 3))
    assert reminders.closing_reminder_due("voting", closes, date(2027, 5, 9))  # late, still open: people can vote
    assert not reminders.closing_reminder_due("voting", None, date(2027, 5, 1))
    for phase in ("shortlist", "counting", "results"):
        assert not reminders.closing_reminder_due(phase, closes, date(2027, 5, 2))


async def _people(round_id, area):
    ids = {}
    for email, language in (
        ("round@example.org", "en"),
        ("area@example.org", "cy"),
        ("voted@example.org", "en"),
        ("stranger@example.org", "en"),
        ("gone@example.org", "en"),
    ):
        ids[email] = await make_user(email=email, language=language)
    await set_following(ids["round@example.org"], "round", round_id, True)
    await set_following(ids["area@example.org"], "area", area, True)
    await set_following(ids["voted@example.org"], "round", round_id, True)
    await set_following(ids["gone@example.org"], "round", round_id, True)
    await User.update({User.is_active: False}).where(User.id == ids["gone@example.org"])
    await actions.cast_ballot(round_id, area, actions.voter_key_for_user(round_id, ids["voted@example.org"]), {}, "online", False)
    return ids


async def test_followers_who_have_not_voted_are_reminded_once_in_their_language(client):
    round_id, area, projects = await voting_round()
    ids = await _people(round_id, area)
    today = date.today()
    await Round.update({Round.results_from: today + timedelta(days=5)}).where(Round.id == round_id)
    assert await reminders.send_closing_reminders(today) == 0  # not yet
    await Round.update({Round.results_from: today + timedelta(days=2)}).where(Round.id == round_id)
    assert await reminders.send_closing_reminders(today) == 2
    sent = {message["recipient"]: message for message in await outbox_messages()}
    assert set(sent) == {"round@example.org", "area@example.org"}  # not the voter, the stranger, nor a closed account
    english, welsh = sent["round@example.org"], sent["area@example.org"]
    assert english["subject"] == "Voting closes soon" and "Our Neighbourhood Fund 2027" in english["body"]
    assert f"/en/rounds/{round_id}/vote" in english["body"]
    assert welsh["subject"] == "Mae'r bleidlais yn cau cyn bo hir" and "Cronfa ein Cymdogaeth 2027" in welsh["body"]
    assert "Voting" not in welsh["body"] and f"/cy/rounds/{round_id}/vote" in welsh["body"]
    # Once: another look, and two processes looking at once, send nothing more.
    assert await reminders.send_closing_reminders(today) == 0
    assert sum(await asyncio.gather(reminders.send_closing_reminders(today), reminders.send_closing_reminders(today))) == 0
    assert len(await outbox_messages()) == 2
    # No list of who was reminded is kept: one row for the round.
    assert [(row["kind"], row["people"]) for row in await RoundNotice.select()] == [("closing", 2)]
    # The way out works.
    leave = re.search(r"http://testserver(/cy/unsubscribe/\S+)", welsh["body"]).group(1)
    answer = await submit(client, leave, {})
    assert answer.status_code in (200, 303)
    assert not await Follow.exists().where((Follow.user == ids["area@example.org"]) & (Follow.target_kind == "area"))


async def test_two_processes_looking_at_once_send_the_reminders_once():
    round_id, area, projects = await voting_round()
    await _people(round_id, area)
    await Round.update({Round.results_from: date.today() + timedelta(days=1)}).where(Round.id == round_id)
    assert sum(await asyncio.gather(*(reminders.send_closing_reminders(date.today()) for _ in range(3)))) == 2
    assert len(await outbox_messages()) == 2


async def test_followers_are_told_once_when_the_results_are_published():
    round_id, area, projects = await voting_round()
    await _people(round_id, area)
    officer = await make_user(email="officer@example.org", roles={"officer"})
    assert await change_phase(officer, round_id, "results") == "results"
    sent = {
        message["recipient"]: message
        for message in await outbox_messages()
        if "results" in message["subject"].lower() or "canlyniadau" in message["subject"]
    }
    assert set(sent) == {"round@example.org", "area@example.org", "voted@example.org"}
    assert sent["area@example.org"]["subject"] == "Mae'r canlyniadau wedi'u cyhoeddi"
    assert f"/cy/rounds/{round_id}/results" in sent["area@example.org"]["body"]
    await change_phase(officer, round_id, "delivery")
    assert len([m for m in await outbox_messages() if m["subject"] == "The results are published"]) == 2
