"""Places are an invariant: one write path (the session row locked in one transaction) and a unique
index. Proven under concurrent registrations on SQLite and PostgreSQL."""

import asyncio

from pb.db import Conflict
from pb.deliberation import actions
from pb.deliberation.tables import Registration
from pb.outbox.tables import OutboxMessage
from tests.conftest import make_user
from tests.deliberation.conftest import fill, make_session

ME = {"attendee_name": "", "needs": [], "access_other": "", "share_needs": False}


async def test_thirty_people_racing_for_the_last_five_places():
    facilitator = await make_user(email="facilitator@example.org", roles={"facilitator"})
    session_id = await make_session(facilitator, capacity=10)
    await fill(session_id, 5, prefix="early")
    racers = [await make_user(email=f"racer{index}@example.org") for index in range(30)]

    results = await asyncio.gather(*[actions.register(user_id, session_id, ME) for user_id in racers], return_exceptions=True)

    assert not [result for result in results if isinstance(result, BaseException)], results
    assert sorted(result["status"] for result in results).count("registered") == 5
    rows = await Registration.select().where(Registration.session == session_id)
    assert sum(row["status"] == "registered" for row in rows) == 10
    assert sum(row["status"] == "waiting" for row in rows) == 25
    # Everyone was told which it was: 5 places, 25 waiting-list emails.
    assert await OutboxMessage.count() == 30
    # The waiting list's order is the order the registrations were made in.
    waiting = sorted((row for row in rows if row["status"] == "waiting"), key=lambda row: (row["queued_at"], row["id"]))
    assert [row["id"] for row in waiting] == sorted(row["id"] for row in waiting)


async def test_one_person_double_submitting_gets_one_registration():
    facilitator = await make_user(email="facilitator@example.org", roles={"facilitator"})
    session_id = await make_session(facilitator, capacity=3)
    person = await make_user(email="eager@example.org")

    results = await asyncio.gather(*[actions.register(person, session_id, ME) for _ in range(10)], return_exceptions=True)

    succeeded = [result for result in results if isinstance(result, dict)]
    refused = [result for result in results if isinstance(result, (actions.NotAllowed, Conflict))]
    assert len(succeeded) == 1 and len(refused) == 9, results
    assert await Registration.count().where(Registration.session == session_id) == 1


async def test_cancellations_racing_with_registrations_never_overfill():
    facilitator = await make_user(email="facilitator@example.org", roles={"facilitator"})
    session_id = await make_session(facilitator, capacity=5)
    holders = await fill(session_id, 5, prefix="holder")
    await fill(session_id, 5, status="waiting", prefix="waiter")
    holding = {row["user"]: row["id"] for row in await Registration.select().where(Registration.status == "registered")}
    newcomers = [await make_user(email=f"new{index}@example.org") for index in range(10)]

    await asyncio.gather(
        *[actions.cancel_registration(user_id, holding[user_id]) for user_id in holders[:3]],
        *[actions.register(user_id, session_id, ME) for user_id in newcomers],
    )

    rows = await Registration.select().where(Registration.session == session_id)
    assert sum(row["status"] == "registered" for row in rows) == 5
    assert sum(row["status"] == "cancelled" for row in rows) == 3
    # The freed places went to the people already waiting, never to a newcomer ahead of them.
    promoted = {row["user"] for row in rows if row["status"] == "registered"} - set(holders)
    waiters = {row["user"] for row in rows if row["user"] not in holders and row["user"] not in newcomers}
    assert promoted <= waiters and len(promoted) == 3
