"""Facilitators schedule and run sessions; residents find them, register (for themselves or someone
they care for) and cancel; outcomes are published onto proposals. Through the pages, as a browser would."""

from datetime import UTC, datetime, timedelta

import httpx
from bs4 import BeautifulSoup

from pb.audit.tables import AuditEvent
from pb.deliberation import actions, queries
from pb.deliberation.tables import AgendaItem, DeliberationSession, OutcomeLink, Registration, SessionOutcome
from pb.outbox.tables import OutboxMessage
from tests.conftest import make_proposal, make_round, make_user, outbox_messages, run_pb_command, seed_demo, sign_in, submit
from tests.deliberation.conftest import fill, make_session

FORM = {
    "title_en": "Riverside ideas evening",
    "title_cy": "Noson syniadau glan yr afon",
    "description_en": "Talk through the ideas.",
    "description_cy": "Trafod y syniadau.",
    "format": "in_person",
    "venue": "Town Hall, High Street",
    "online_url": "",
    "date": "2030-07-01",
    "start_time": "18:30",
    "end_time": "20:00",
    "capacity": "2",
    "language_mode": "bilingual",
    "features": ["step_free", "hearing_loop"],
    "access_notes_en": "Ramp at the side.",
    "access_notes_cy": "Ramp ar yr ochr.",
    "round": "",
    "area": "",
}


def other_client(client) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=client._transport, base_url="http://testserver")


async def facilitator(client, email="facilitator@example.org", language="en", roles=frozenset({"facilitator"})) -> int:
    user_id = await make_user(email=email, roles=roles, language=language, name="Ffion Facilitator")
    await sign_in(client, email)
    return user_id


async def resident(client, email="sam@example.org", language="en", name="Sam Jones") -> int:
    user_id = await make_user(email=email, language=language, name=name)
    await sign_in(client, email)
    return user_id


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


# Scheduling


async def test_facilitator_schedules_a_session(client):
    facilitator_id = await facilitator(client)
    round_id, areas = await make_round(phase="shortlist")
    response = await submit(client, "/en/manage/sessions/new", {**FORM, "round": str(round_id), "area": str(areas[0])})
    assert response.status_code == 303
    row = await DeliberationSession.select().first()
    assert row["facilitator"] == facilitator_id and row["round"] == round_id and row["area"] == areas[0]
    assert row["starts_at"] == datetime(2030, 7, 1, 17, 30, tzinfo=UTC)  # 18:30 in Wales, summer time
    assert row["step_free"] and row["hearing_loop"] and not row["bsl"] and row["capacity"] == 2
    assert response.headers["location"] == f"/en/manage/sessions/{row['id']}?saved=created"
    event = await AuditEvent.select().where(AuditEvent.action == "session.created").first()
    assert event["actor_id"] == facilitator_id and event["target"] == f"session:{row['id']}"
    page = await client.get(response.headers["location"])
    assert page.status_code == 200 and "Riverside ideas evening" in page.text
    public = soup(await client.get("/en/sessions"))
    assert public.select_one("#session-results h2 a").text == "Riverside ideas evening"
    welsh = soup(await client.get(f"/cy/sessions/{row['id']}"))
    assert welsh.h1.text.strip() == "Noson syniadau glan yr afon" and welsh.h1["lang"] == "cy"


async def test_schedule_form_errors_keep_what_was_typed(client):
    await facilitator(client)
    response = await submit(
        client,
        "/en/manage/sessions/new",
        {
            **FORM,
            "title_cy": "",
            "end_time": "17:00",
            "capacity": "lots",
            "format": "online",
            "online_url": "javascript:alert(1)",
            "title_en": "<script>alert(1)</script>",
        },
    )
    assert response.status_code == 422
    page = soup(response)
    for field in ("title_cy", "end_time", "capacity", "online_url"):
        assert page.select_one(f"#{field}-error"), field
    assert page.select_one(".govuk-error-summary")
    assert page.select_one("#title_en")["value"] == "<script>alert(1)</script>"
    assert "<script>alert(1)</script>" not in response.text
    assert page.select_one("#capacity")["value"] == "lots"
    assert page.select_one("input[name=features][value=hearing_loop]").has_attr("checked")
    assert page.title.text.startswith("Error:")
    assert await DeliberationSession.count() == 0


async def test_changing_the_time_tells_everyone_and_more_places_move_people_up(client):
    facilitator_id = await facilitator(client)
    session_id = await make_session(facilitator_id, capacity=2)
    await fill(session_id, 2, prefix="holder")
    waiting = await fill(session_id, 2, status="waiting", prefix="waiter")
    edit = soup(await client.get(f"/en/manage/sessions/{session_id}/edit"))
    values = {
        field["name"]: field.get("value", "")
        for field in edit.select("form input")
        if field.get("type") not in ("checkbox", "radio")
    }
    values.update(
        {
            "format": "in_person",
            "language_mode": "bilingual",
            "description_en": "Talk.",
            "description_cy": "Siarad.",
            "venue": "The Library",
            "capacity": "3",
        }
    )
    response = await submit(client, f"/en/manage/sessions/{session_id}/edit", values)
    assert response.status_code == 303, response.text[:2000]
    rows = await Registration.select().where(Registration.session == session_id)
    assert sorted(r["user"] for r in rows if r["status"] == "waiting") == [waiting[1]]
    subjects = [m["subject"] for m in await outbox_messages()]
    assert subjects.count("A community session you registered for has changed") == 4
    assert subjects.count("A place has come free for you at a community session") == 1
    # Fewer places than people holding them is refused.
    too_few = await submit(client, f"/en/manage/sessions/{session_id}/edit", {**values, "capacity": "1"})
    assert too_few.status_code == 422 and soup(too_few).select_one("#capacity-error")


# Registering


async def test_resident_registers_gets_an_email_and_can_cancel(client):
    facilitator_id = await make_user(email="facilitator@example.org", roles={"facilitator"})
    session_id = await make_session(facilitator_id, capacity=1, online_url="https://meet.example.org/room", format="hybrid")
    await resident(client, language="cy")
    page = await client.get(f"/en/sessions/{session_id}")
    assert "https://meet.example.org/room" not in page.text  # only for people with a place
    response = await submit(
        client,
        f"/en/sessions/{session_id}/register",
        {"for_whom": "me", "needs": ["step_free", "bsl"], "access_other": "I use a wheelchair", "share_needs": "yes"},
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith("?registered=registered#your-place")
    row = await Registration.select().first()
    assert row["status"] == "registered" and row["access_needs"] == "step_free,bsl" and row["share_needs"]
    [email] = await outbox_messages()
    assert email["recipient"] == "sam@example.org" and email["language"] == "cy"  # in the person's own language
    assert "https://meet.example.org/room" in email["body"] and f"/cy/sessions/{session_id}/calendar.ics" in email["body"]
    page = await client.get(f"/en/sessions/{session_id}?registered=registered")
    assert "https://meet.example.org/room" in page.text
    # Registering again is refused, with the reason at the top.
    again = await submit(client, f"/en/sessions/{session_id}/register", {"for_whom": "me"})
    assert again.status_code == 422 and soup(again).select_one(".govuk-error-summary")
    assert await Registration.count() == 1
    # Cancel, after confirming.
    confirm = await client.get(f"/en/registrations/{row['id']}/cancel")
    assert confirm.status_code == 200
    done = await submit(client, f"/en/registrations/{row['id']}/cancel", {})
    assert done.status_code == 303
    assert (await Registration.select().first())["status"] == "cancelled"
    # And register again later: the same row comes back, at the end of the queue.
    back = await submit(client, f"/en/sessions/{session_id}/register", {"for_whom": "me"})
    assert back.status_code == 303 and await Registration.count() == 1
    assert (await Registration.select().first())["status"] == "registered"


async def test_a_full_session_has_a_waiting_list_that_moves_up(client):
    facilitator_id = await make_user(email="facilitator@example.org", roles={"facilitator"})
    session_id = await make_session(facilitator_id, capacity=1)
    first = await resident(client, email="first@example.org")
    await submit(client, f"/en/sessions/{session_id}/register", {"for_whom": "me"})
    async with other_client(client) as second_client:
        second = await resident(second_client, email="second@example.org", language="cy")
        page = soup(await second_client.get(f"/en/sessions/{session_id}/register"))
        assert page.select_one(".govuk-inset-text")  # "this session is full"
        response = await submit(second_client, f"/en/sessions/{session_id}/register", {"for_whom": "me"})
        assert response.headers["location"].endswith("?registered=waiting#your-place")
        mine = await second_client.get(f"/en/sessions/{session_id}")
        assert "number 1" in mine.text
    mine = await Registration.select().where(Registration.user == first).first()
    await submit(client, f"/en/registrations/{mine['id']}/cancel", {})
    promoted = await Registration.select().where(Registration.user == second).first()
    assert promoted["status"] == "registered" and promoted["placed_at"] is not None
    last = (await outbox_messages())[-1]
    assert last["recipient"] == "second@example.org" and last["language"] == "cy"


async def test_registering_someone_you_care_for(client):
    facilitator_id = await make_user(email="facilitator@example.org", roles={"facilitator"})
    session_id = await make_session(facilitator_id, capacity=5)
    carer = await resident(client)
    missing = await submit(client, f"/en/sessions/{session_id}/register", {"for_whom": "someone", "attendee_name": ""})
    assert missing.status_code == 422 and soup(missing).select_one("#attendee_name-error")
    for name in ("Mair Jones", "mair  jones"):
        response = await submit(client, f"/en/sessions/{session_id}/register", {"for_whom": "someone", "attendee_name": name})
    assert response.status_code == 422  # the same person twice
    await submit(client, f"/en/sessions/{session_id}/register", {"for_whom": "me"})
    rows = await Registration.select().where(Registration.user == carer).order_by(Registration.id)
    assert [(r["attendee_name"], r["status"]) for r in rows] == [("Mair Jones", "registered"), ("", "registered")]
    email = (await outbox_messages())[0]
    assert "Mair Jones" in email["body"]


async def test_registration_closes_when_the_session_starts(client):
    facilitator_id = await make_user(email="facilitator@example.org", roles={"facilitator"})
    session_id = await make_session(facilitator_id, starts_in=-timedelta(minutes=5))
    await resident(client)
    assert (await client.get(f"/en/sessions/{session_id}/register")).status_code == 409
    response = await client.post(f"/en/sessions/{session_id}/register", data={"for_whom": "me"})
    assert response.status_code in (403, 422)  # no CSRF token: refused either way
    refused = await submit(client, f"/en/sessions/{session_id}", {"for_whom": "me"}, action=f"/en/sessions/{session_id}/register")
    assert refused.status_code == 422 and await Registration.count() == 0


# Permissions


async def test_only_facilitators_reach_facilitator_pages_and_only_their_own_sessions(client):
    owner = await make_user(email="owner@example.org", roles={"facilitator"})
    session_id = await make_session(owner)
    pages = [
        "/en/manage/sessions",
        "/en/manage/sessions/new",
        f"/en/manage/sessions/{session_id}",
        f"/en/manage/sessions/{session_id}/registrations",
        f"/en/manage/sessions/{session_id}/pack",
        f"/en/manage/sessions/{session_id}/edit",
        f"/en/manage/sessions/{session_id}/publish",
    ]
    # Visitors are sent to sign in.
    for path in pages:
        response = await client.get(path)
        assert response.status_code == 303 and "/en/sign-in" in response.headers["location"], path
    # Residents, officers and moderators are refused.
    await make_user(email="officer@example.org", roles={"officer", "moderator"})
    await sign_in(client, "officer@example.org")
    for path in pages:
        assert (await client.get(path)).status_code == 403, path
    # Another facilitator may not run someone else's session.
    async with other_client(client) as other:
        await facilitator(other, email="other@example.org")
        assert (await other.get("/en/manage/sessions")).status_code == 200
        for path in pages[2:]:
            assert (await other.get(path)).status_code == 403, path
        refused = await submit(
            other, "/en/manage/sessions", {"attendance_count": "3"}, action=f"/en/manage/sessions/{session_id}/attendance"
        )
        assert refused.status_code == 403
    # Admins may.
    async with other_client(client) as admin:
        await facilitator(admin, email="admin@example.org", roles=frozenset({"admin"}))
        for path in pages:
            assert (await admin.get(path)).status_code == 200, path


async def test_nobody_cancels_another_persons_registration(client):
    facilitator_id = await make_user(email="facilitator@example.org", roles={"facilitator"})
    session_id = await make_session(facilitator_id)
    [owner] = await fill(session_id, 1)
    registration = await Registration.select().first()
    await resident(client, email="nosy@example.org")
    assert (await client.get(f"/en/registrations/{registration['id']}/cancel")).status_code == 404
    response = await submit(client, "/en/sessions", {}, action=f"/en/registrations/{registration['id']}/cancel")
    assert response.status_code == 404
    assert (await Registration.select().first())["status"] == "registered" and owner


# Running a session


async def held_session(facilitator_id: int, round_id: int, proposals: list[int], starts_in=-timedelta(hours=1), **fields) -> int:
    """A session (by default one that started an hour ago), with the proposals on its agenda."""
    session_id = await make_session(facilitator_id, starts_in=starts_in, round_id=round_id, **fields)
    for position, proposal_id in enumerate(proposals):
        await AgendaItem.insert(AgendaItem(session=session_id, proposal=proposal_id, position=position))
    return session_id


async def test_facilitator_records_and_publishes_and_the_outcome_reaches_the_proposal(client):
    facilitator_id = await facilitator(client)
    round_id, areas = await make_round(phase="shortlist")
    author = await make_user(email="author@example.org")
    play = await make_proposal(round_id, areas[0], author, status="shortlisted", title_en="Play area")
    benches = await make_proposal(round_id, areas[0], author, status="eligible", title_en="Benches")
    session_id = await held_session(facilitator_id, round_id, [])
    came = await fill(session_id, 3)

    # The agenda, through its form.
    response = await submit(client, f"/en/manage/sessions/{session_id}/agenda", {"proposals": [str(play), str(benches)]})
    assert response.status_code == 303
    assert [
        a["proposal"] for a in await AgendaItem.select().where(AgendaItem.session == session_id).order_by(AgendaItem.position)
    ] == [play, benches]
    # Attendance: two ticked, five in the room.
    registrations = {r["user"]: r["id"] for r in await Registration.select()}
    response = await submit(
        client,
        f"/en/manage/sessions/{session_id}/attendance",
        {"attendance_count": "5", "attended": [str(registrations[came[0]]), str(registrations[came[1]])]},
    )
    assert response.status_code == 303
    assert sorted(r["user"] for r in await Registration.select().where(Registration.attended == True)) == came[:2]  # noqa: E712
    # A theme, a recommendation and a dot vote.
    await submit(
        client,
        f"/en/manage/sessions/{session_id}/outcomes/new?kind=theme",
        {"kind": "theme", "body_en": "Children need safe places to play.", "body_cy": "", "proposals": [str(play)]},
        action=f"/en/manage/sessions/{session_id}/outcomes/new",
    )
    await submit(
        client,
        f"/en/manage/sessions/{session_id}/outcomes/new?kind=recommendation",
        {"kind": "recommendation", "body_en": f"Cost proposal {play} again.", "proposals": [str(play)]},
        action=f"/en/manage/sessions/{session_id}/outcomes/new",
    )
    response = await submit(
        client,
        f"/en/manage/sessions/{session_id}/prioritisation/new",
        {"method": "dots", f"tally-{play}": "12", f"tally-{benches}": "4", "participants": "5"},
    )
    assert response.status_code == 303
    outcomes = await SessionOutcome.select().where(SessionOutcome.session == session_id).order_by(SessionOutcome.id)
    assert [o["kind"] for o in outcomes] == ["theme", "recommendation", "prioritisation"]
    tallies = {
        link["proposal"]: link["tally"] for link in await OutcomeLink.select().where(OutcomeLink.outcome == outcomes[2]["id"])
    }
    assert tallies == {play: 12, benches: 4}
    # Not yet publishable: no summary.
    blocked = await submit(client, f"/en/manage/sessions/{session_id}/publish", {"confirm": "yes"})
    assert blocked.status_code == 422
    assert (await DeliberationSession.select().first())["outcomes_published_at"] is None
    assert await queries.outcomes_for_proposal(play) == []  # nothing public before publication
    assert "Children need safe places" not in (await client.get(f"/en/sessions/{session_id}")).text
    # The summary, then publish.
    response = await submit(
        client,
        f"/en/manage/sessions/{session_id}/summary",
        {"summary_en": "Five people talked about play.", "summary_cy": "Bu pump o bobl yn trafod chwarae."},
    )
    assert response.status_code == 303
    unconfirmed = await submit(client, f"/en/manage/sessions/{session_id}/publish", {})
    assert unconfirmed.status_code == 422 and soup(unconfirmed).select_one("#confirm-error")
    response = await submit(client, f"/en/manage/sessions/{session_id}/publish", {"confirm": "yes"})
    assert response.status_code == 303
    assert (await DeliberationSession.select().first())["outcomes_published_at"] is not None
    # The two ticked as here are told.
    told = [m for m in await outbox_messages() if m["subject"] == "What came of the community session you went to"]
    assert sorted(m["recipient"] for m in told) == ["person0@example.org", "person1@example.org"]
    # Outcomes are on the session's page and on the proposal's.
    public = await client.get(f"/en/sessions/{session_id}")
    assert "Children need safe places to play." in public.text and "Five people talked about play." in public.text
    found = await queries.outcomes_for_proposal(play)
    assert {o["kind"] for o in found} == {"theme", "recommendation", "prioritisation"}
    assert all(o["session_id"] == session_id and o["session_title_en"] == "Riverside ideas evening" for o in found)
    ranked = next(o for o in found if o["kind"] == "prioritisation")
    assert (ranked["tally"], ranked["rank"], ranked["of"]) == (12, 1, 2)
    proposal_page = BeautifulSoup((await client.get(f"/en/proposals/{play}")).text, "html.parser")
    heading = proposal_page.find("h2", string="From community sessions")
    assert heading is not None
    section = heading.parent
    assert section.select_one(f"a[href='/en/sessions/{session_id}#outcomes']")
    assert "Children need safe places to play." in section.text
    # Published outcomes are frozen.
    theme = outcomes[0]["id"]
    assert (await client.get(f"/en/manage/sessions/{session_id}/outcomes/{theme}/edit")).status_code == 409
    frozen = await submit(
        client,
        f"/en/manage/sessions/{session_id}",
        {"kind": "theme", "body_en": "Changed"},
        action=f"/en/manage/sessions/{session_id}/outcomes/{theme}/edit",
    )
    assert frozen.status_code == 409
    assert (await SessionOutcome.select().where(SessionOutcome.id == theme).first())[
        "body_en"
    ] == "Children need safe places to play."
    # Every step is in the audit log.
    actions_logged = {e["action"] for e in await AuditEvent.select().where(AuditEvent.target == f"session:{session_id}")}
    assert {
        "session.agenda_set",
        "session.attendance_recorded",
        "session.outcome_added",
        "session.summary_saved",
        "session.published",
    } <= actions_logged


async def test_recording_errors_are_shown_beside_the_fields(client):
    facilitator_id = await facilitator(client)
    round_id, areas = await make_round(phase="shortlist")
    proposal = await make_proposal(round_id, areas[0], await make_user(email="author@example.org"), status="eligible")
    session_id = await held_session(facilitator_id, round_id, [proposal])
    await fill(session_id, 2)
    ids = [str(r["id"]) for r in await Registration.select()]
    cases = [
        (f"/en/manage/sessions/{session_id}/attendance", {"attendance_count": "1", "attended": ids}, "attendance_count"),
        (f"/en/manage/sessions/{session_id}/attendance", {"attendance_count": "3", "attended": ["999999"]}, "attended"),
        (f"/en/manage/sessions/{session_id}/outcomes/new", {"kind": "theme", "body_en": ""}, "body_en"),
        (
            f"/en/manage/sessions/{session_id}/outcomes/new",
            {"kind": "theme", "body_en": "x", "proposals": ["999999"]},
            "proposals",
        ),
        (
            f"/en/manage/sessions/{session_id}/prioritisation/new",
            {"method": "dots", f"tally-{proposal}": "many"},
            f"tally-{proposal}",
        ),
        (f"/en/manage/sessions/{session_id}/summary", {"summary_en": "Only English"}, "summary_cy"),
        (f"/en/manage/sessions/{session_id}/agenda", {"proposals": ["999999"]}, "proposals"),
        (f"/en/manage/sessions/{session_id}/cancel", {"reason_en": "Snow"}, "reason_cy"),
    ]
    for path, data, field in cases:
        response = await submit(client, path, data)
        assert response.status_code == 422, (path, response.status_code)
        page = soup(response)
        assert page.select_one(f"#{field}-error") or page.select_one(f"[id='{field}-error']"), (path, field)
        assert page.select_one(".govuk-error-summary"), path
    assert await SessionOutcome.count() == 0


async def test_recording_waits_for_the_day_of_the_session(client):
    facilitator_id = await facilitator(client)
    session_id = await make_session(facilitator_id, starts_in=timedelta(days=3))
    for path in ("attendance", "outcomes/new", "prioritisation/new", "summary"):
        assert (await client.get(f"/en/manage/sessions/{session_id}/{path}")).status_code == 409, path
    response = await submit(
        client,
        f"/en/manage/sessions/{session_id}",
        {"summary_en": "a", "summary_cy": "b"},
        action=f"/en/manage/sessions/{session_id}/summary",
    )
    assert response.status_code == 409 and await SessionOutcome.count() == 0
    # Planning pages still work.
    assert (await client.get(f"/en/manage/sessions/{session_id}/agenda")).status_code == 200


async def test_cancelling_a_session_tells_everyone(client):
    facilitator_id = await facilitator(client)
    session_id = await make_session(facilitator_id, capacity=1)
    await fill(session_id, 1)
    await fill(session_id, 1, status="waiting", prefix="waiter")
    response = await submit(
        client, f"/en/manage/sessions/{session_id}/cancel", {"reason_en": "The hall flooded.", "reason_cy": "Llifogydd."}
    )
    assert response.status_code == 303
    row = await DeliberationSession.select().first()
    assert row["status"] == "cancelled" and row["sequence"] == 1
    cancelled = [m for m in await outbox_messages() if m["subject"] == "A community session has been cancelled"]
    assert len(cancelled) == 2 and all("The hall flooded." in m["body"] for m in cancelled)
    page = await client.get(f"/en/sessions/{session_id}")
    assert "The hall flooded." in page.text
    assert (await client.get(f"/en/sessions/{session_id}/register")).status_code == 409


async def test_facilitator_pages_show_access_needs_without_names_unless_agreed(client):
    facilitator_id = await facilitator(client)
    session_id = await make_session(facilitator_id)
    for email, name, needs, share in (
        ("aled@example.org", "Aled Secret", "bsl", False),
        ("bethan@example.org", "Bethan Shared", "bsl,step_free", True),
    ):
        user_id = await make_user(email=email, name=name)
        await Registration.insert(
            Registration(
                session=session_id,
                user=user_id,
                access_needs=needs,
                share_needs=share,
                access_other="Needs a seat near the door" if not share else "",
            )
        )
    for path in (f"/en/manage/sessions/{session_id}", f"/en/manage/sessions/{session_id}/registrations", "/en/manage/sessions"):
        page = soup(await client.get(path))
        text = page.get_text(" ")
        if path != "/en/manage/sessions":  # the overview counts notes; the session's pages show them, unattributed
            assert "Needs a seat near the door" in text, path
        if path.endswith("registrations"):
            # The list of names for ticking shows both names, but never beside needs someone did not agree to share.
            assert "Aled Secret" in text
        named = " ".join(li.get_text(" ") for li in page.select("li") if "British Sign Language" in li.get_text())
        assert "Aled Secret" not in named, path
    day = soup(await client.get(f"/en/manage/sessions/{session_id}"))
    assert "Aled Secret" not in day.get_text()
    assert "Bethan Shared" in day.get_text()


async def test_facilitators_see_proposals_not_yet_discussed(client):
    facilitator_id = await facilitator(client)
    round_id, areas = await make_round(phase="shortlist")
    author = await make_user(email="author@example.org")
    discussed = await make_proposal(round_id, areas[0], author, status="eligible", title_en="Talked about")
    planned = await make_proposal(round_id, areas[0], author, status="eligible", title_en="Coming up soon")
    untouched = await make_proposal(round_id, areas[1], author, status="shortlisted", title_en="Nobody mentioned it")
    await make_proposal(round_id, areas[1], author, status="withdrawn", title_en="Withdrawn one")
    await held_session(facilitator_id, round_id, [discussed])
    upcoming = await make_session(facilitator_id, round_id=round_id, title_en="Next week")
    await AgendaItem.insert(AgendaItem(session=upcoming, proposal=planned))
    found = {row["id"]: row for row in await queries.undiscussed_proposals(datetime.now(UTC))}
    assert set(found) == {planned, untouched}
    assert [item["session_id"] for item in found[planned]["planned"]] == [upcoming]
    page = soup(await client.get("/en/manage/sessions"))
    text = page.select_one("#undiscussed").find_next("table").get_text(" ")
    assert "Nobody mentioned it" in text and "Coming up soon" in text and "Talked about" not in text


# The listing


async def test_listing_filters_by_time_format_area_and_access_without_javascript(client):
    facilitator_id = await make_user(email="facilitator@example.org", roles={"facilitator"})
    round_id, areas = await make_round()
    await make_session(
        facilitator_id,
        title_en="Step-free Welsh evening",
        language_mode="cy",
        step_free=True,
        area_id=areas[0],
        round_id=round_id,
    )
    await make_session(
        facilitator_id, title_en="Online chat", format="online", venue="", online_url="https://x.example.org/a", bsl=True
    )
    await make_session(facilitator_id, title_en="Last month", starts_in=-timedelta(days=30))

    async def titles(query: str) -> list[str]:
        response = await client.get(f"/en/sessions?{query}")
        assert response.status_code == 200
        return [a.text for a in soup(response).select("#session-results h2 a")]

    assert await titles("") == ["Step-free Welsh evening", "Online chat"]
    assert await titles("when=past") == ["Last month"]
    assert await titles("format=online") == ["Online chat"]
    assert await titles("access=step_free&access=welsh") == ["Step-free Welsh evening"]
    assert await titles("access=bsl&access=step_free") == []
    assert await titles(f"area={areas[0]}") == ["Step-free Welsh evening"]
    assert await titles("from=2100-01-01") == []
    # htmx asks for the results only.
    partial = await client.get("/en/sessions?format=online", headers={"hx-request": "true", "hx-target": "session-results"})
    assert partial.text.lstrip().startswith('<div id="session-results">')
    # Junk is ignored, never a 500.
    for junk in (
        "when=%00",
        "area=99999999999999999999",
        "from=9999-99-99&to=0000-00-00",
        "page=-5",
        "access=%3Cscript%3E",
        "page=99999999999",
    ):
        assert (await client.get(f"/en/sessions?{junk}")).status_code == 200, junk


async def test_listing_pages_keep_the_filters(client):
    facilitator_id = await make_user(email="facilitator@example.org", roles={"facilitator"})
    for index in range(12):
        await make_session(
            facilitator_id, starts_in=timedelta(days=2, hours=index), title_en=f"Session {index:02d}", step_free=True
        )
    await make_session(facilitator_id, title_en="No ramp")
    first = soup(await client.get("/en/sessions?access=step_free"))
    assert [a.text for a in first.select("#session-results h2 a")] == [f"Session {index:02d}" for index in range(10)]
    next_link = first.select_one("a[rel=next]")["href"]
    assert "access=step_free" in next_link and "page=2" in next_link
    second = soup(await client.get(next_link))
    assert [a.text for a in second.select("#session-results h2 a")] == ["Session 10", "Session 11"]
    assert "13 sessions" in (await client.get("/en/sessions")).text


async def test_bad_ids_and_hostile_input_are_refused_cleanly(client):
    facilitator_id = await facilitator(client)
    session_id = await make_session(facilitator_id, starts_in=-timedelta(hours=1))
    for path in (
        "/en/sessions/0",
        "/en/sessions/99999999999",
        "/en/sessions/abc",
        "/en/manage/sessions/99999",
        f"/en/manage/sessions/{session_id}/outcomes/999/edit",
        "/xx/sessions",
        "/en/registrations/5/cancel",
    ):
        assert (await client.get(path)).status_code in (404,), path
    hostile = await submit(client, f"/en/manage/sessions/{session_id}/summary", {"summary_en": "a\x00b", "summary_cy": "c"})
    assert hostile.status_code == 400
    huge = await submit(client, f"/en/manage/sessions/{session_id}/attendance", {"attendance_count": "9" * 5000})
    assert huge.status_code == 422


# Reminders and the tracker's view


async def test_reminders_go_once_in_each_persons_language(client):
    facilitator_id = await make_user(email="facilitator@example.org", roles={"facilitator"})
    now = datetime.now(UTC)
    soon = await make_session(facilitator_id, starts_in=timedelta(hours=20), title_cy="Sesiwn yfory")
    later = await make_session(facilitator_id, starts_in=timedelta(days=5))
    long_ago = now - timedelta(days=10)
    welsh = await make_user(email="cymraeg@example.org", language="cy")
    english = await make_user(email="english@example.org", language="en")
    late = await make_user(email="late@example.org")
    for user_id, session_id, status, placed in (
        (welsh, soon, "registered", long_ago),
        (english, soon, "registered", long_ago),
        (late, soon, "registered", now),
        (english, later, "registered", long_ago),
        (late, later, "waiting", None),
    ):
        await Registration.insert(
            Registration(session=session_id, user=user_id, status=status, queued_at=long_ago, placed_at=placed)
        )
    # The two placed long ago are reminded; the one placed just now has only just had the details.
    sent = await actions.send_due_reminders(now)
    assert sent == 2
    assert await actions.send_due_reminders(now) == 0  # idempotent
    messages = await OutboxMessage.select()
    assert {m["recipient"] for m in messages} == {"cymraeg@example.org", "english@example.org"}
    assert {m["recipient"]: m["language"] for m in messages}["cymraeg@example.org"] == "cy"
    assert "Sesiwn yfory" in next(m["body"] for m in messages if m["language"] == "cy")


async def test_the_send_reminders_command_runs():
    result = await run_pb_command("send-reminders")
    assert result.returncode == 0, result.stderr
    assert "Reminders queued: 0." in result.stdout


async def test_the_tracker_can_link_to_published_outcomes_only(client):
    facilitator_id = await make_user(email="facilitator@example.org", roles={"facilitator"})
    round_id, areas = await make_round(phase="shortlist")
    proposal = await make_proposal(round_id, areas[0], await make_user(email="author@example.org"), status="eligible")
    session_id = await make_session(facilitator_id, starts_in=-timedelta(hours=3), round_id=round_id, attendance_count=4)
    await AgendaItem.insert(AgendaItem(session=session_id, proposal=proposal))
    theme = await actions.add_outcome(
        facilitator_id, session_id, {"kind": "theme", "body_en": "More benches", "body_cy": "", "links": {proposal: None}}
    )
    summary = await actions.save_summary(facilitator_id, session_id, {"body_en": "We met.", "body_cy": "Cwrddon ni."})
    assert (await queries.outcome_titles([theme]))[theme]["path"] == ""  # not published: says nothing
    assert await queries.outcomes_as_inputs(round_id) == []
    await actions.publish(facilitator_id, session_id)
    titles = await queries.outcome_titles([theme, summary])
    assert titles[theme] == {
        "title_en": "More benches",
        "title_cy": "More benches",
        "kind": "theme",
        "session_id": session_id,
        "path": f"/sessions/{session_id}#outcome-{theme}",
    }
    inputs = await queries.outcomes_as_inputs(round_id)
    assert [i["id"] for i in inputs] == [theme] and inputs[0]["kind"] == "session_outcome" and inputs[0]["received_at"]
    assert await queries.outcomes_as_inputs(round_id + 1) == []
    page = await client.get(f"/en/sessions/{session_id}")
    assert f'id="outcome-{theme}"' in page.text


async def test_pack_and_your_sessions_pages(client):
    facilitator_id = await facilitator(client)
    round_id, areas = await make_round(phase="shortlist")
    proposal = await make_proposal(
        round_id, areas[0], await make_user(email="author@example.org"), status="eligible", title_en="Play area"
    )
    session_id = await held_session(facilitator_id, round_id, [proposal], starts_in=timedelta(days=2))
    await fill(session_id, 2)
    pack = soup(await client.get(f"/en/manage/sessions/{session_id}/pack"))
    assert pack.h1.text == "Riverside ideas evening"
    assert "Play area" in pack.get_text() and "Person 0" in pack.get_text()
    assert all(table.caption for table in pack.select("table"))
    assert pack.html["lang"] == "en" and pack.select_one("a[hreflang=cy]")
    await submit(client, f"/en/sessions/{session_id}/register", {"for_whom": "me"})
    yours = await client.get("/en/your-sessions")
    assert yours.status_code == 200 and "Riverside ideas evening" in yours.text


async def test_demo_sessions_are_loaded_once():
    from pb.deliberation.demo import load_demo_sessions
    from pb.rounds.tables import Round

    facilitator_id = await make_user(email="facilitator@example.org", roles={"facilitator"})
    await seed_demo("accounts", "rounds", "proposals")
    round_id = (await Round.select(Round.id).where(Round.title_en != "Youth Fund 2027").first())["id"]
    await load_demo_sessions(facilitator_id, round_id)
    count = await DeliberationSession.count()
    await load_demo_sessions(facilitator_id, round_id)
    assert await DeliberationSession.count() == count
    now = datetime.now(UTC)
    sessions = await DeliberationSession.select()
    published = [s for s in sessions if s["outcomes_published_at"]]
    upcoming = [s for s in sessions if s["starts_at"] > now and s["status"] == "scheduled"]
    assert len(published) >= 2 and len(upcoming) >= 2
    linked = await OutcomeLink.select(OutcomeLink.proposal)
    assert linked and await queries.outcomes_for_proposal(linked[0]["proposal"])
    assert any(s["round"] == round_id for s in published)
    waiting = await Registration.select(Registration.session).where(Registration.status == "waiting")
    assert {row["session"] for row in waiting} & {s["id"] for s in upcoming}  # one upcoming session has a waiting list
    assert len(await queries.outcomes_as_inputs(round_id)) >= 4


async def test_only_published_outcomes_count_as_community_input():
    facilitator_id = await make_user(email="facilitator@example.org", roles={"facilitator"})
    session_id = await make_session(facilitator_id, starts_in=-timedelta(hours=2), attendance_count=3)
    theme = await actions.add_outcome(
        facilitator_id, session_id, {"kind": "theme", "body_en": "Buses", "body_cy": "", "links": {}}
    )
    assert not await queries.outcome_published(theme) and not await queries.outcome_published(999999)
    await actions.save_summary(facilitator_id, session_id, {"body_en": "We met.", "body_cy": "Cwrddon ni."})
    await actions.publish(facilitator_id, session_id)
    assert await queries.outcome_published(theme)
