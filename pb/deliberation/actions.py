"""Session actions. Each is the one writer of what it changes and runs in one transaction that
first locks the session's row (pb.db.for_update; on SQLite the IMMEDIATE transaction holds the
write lock), so places, the waiting list and publication are decided one at a time. Facilitators'
actions are audited; people are emailed (through the outbox, in their own language) when they get
a place, move up from the waiting list, are reminded, or the session changes or is cancelled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pb import images
from pb.accounts.tables import User
from pb.audit.actions import record
from pb.config import get_settings
from pb.db import Conflict, for_update, one, transaction
from pb.deliberation import rules
from pb.deliberation.tables import AgendaItem, DeliberationSession, OutcomeLink, Registration, SessionOutcome
from pb.i18n import N_, t
from pb.outbox.actions import queue_email
from pb.refusal import Refusal

S = DeliberationSession
SESSION_FIELDS = (
    "title_en",
    "title_cy",
    "description_en",
    "description_cy",
    "format",
    "venue",
    "online_url",
    "starts_at",
    "ends_at",
    "capacity",
    "language_mode",
    *rules.FEATURES,
    "access_notes_en",
    "access_notes_cy",
)
# A change to any of these is news for the people coming.
NEWS_FIELDS = ("starts_at", "ends_at", "format", "venue", "online_url")


class NotAllowed(Refusal):
    """Not allowed now (the message is a message id for the person)."""


def now() -> datetime:
    return datetime.now(UTC)


async def _locked(session_id: int) -> dict:
    row = await for_update(S.select().where(S.id == session_id)).first()
    if row is None:
        raise NotAllowed(N_("That session does not exist"), status_code=404)
    return row


def _title(row: dict, lang: str) -> str:
    return row.get(f"title_{lang}") or row["title_en"] or row["title_cy"]


def _place(row: dict, lang: str) -> str:
    if row["format"] == "online":
        return t(lang, N_("Online"))
    if row["format"] == "hybrid":
        return t(lang, N_("%(place)s, or online"), place=row["venue"])
    return row["venue"]


def _email_context(row: dict, lang: str, with_link: bool) -> dict:
    base = get_settings().base_url
    return {
        "title": _title(row, lang),
        "when": rules.when_text(row["starts_at"], row["ends_at"], lang),
        "place": _place(row, lang),
        "online_url": row["online_url"] if with_link else "",
        "url": f"{base}/{lang}/sessions/{row['id']}",
        "calendar_url": f"{base}/{lang}/sessions/{row['id']}/calendar.ics",
    }


async def _tell(user_id: int, row: dict, subject: str, template: str, with_link: bool = False, **extra) -> None:
    person = await User.select(User.email, User.name, User.language).where(User.id == user_id).first()
    if person is None:
        return
    lang = person["language"]
    await queue_email(
        person["email"], lang, subject, template, name=person["name"], **_email_context(row, lang, with_link), **extra
    )


async def _tell_registration(registration: dict, row: dict, status: str) -> None:
    if status == "registered":
        await _tell(
            registration["user"],
            row,
            N_("You have a place at a community session"),
            "emails/session_registered.txt",
            with_link=True,
            attendee=registration["attendee_name"],
        )
    else:
        await _tell(
            registration["user"],
            row,
            N_("You are on the waiting list for a community session"),
            "emails/session_waiting.txt",
            attendee=registration["attendee_name"],
        )


async def _promote(row: dict, moment: datetime) -> list[int]:
    """Move people up from the waiting list into free places (the caller holds the session lock)."""
    if not rules.registration_open(row, moment):
        return []
    holding = await Registration.count().where((Registration.session == row["id"]) & (Registration.status == "registered"))
    waiting = await Registration.select().where((Registration.session == row["id"]) & (Registration.status == "waiting"))
    moved = rules.promotions(holding, row["capacity"], waiting)
    for registration in moved:
        await Registration.update(
            {Registration.status: "registered", Registration.placed_at: moment, Registration.updated_at: moment}
        ).where(Registration.id == registration["id"])
        await _tell(
            registration["user"],
            row,
            N_("A place has come free for you at a community session"),
            "emails/session_promoted.txt",
            with_link=True,
            attendee=registration["attendee_name"],
        )
    return [registration["id"] for registration in moved]


# Planning --------------------------------------------------------------------------------------


async def save_session(actor_id: int, session_id: int | None, values: dict) -> int:
    """Schedule a session, or change its plan. More places move people up from the waiting list;
    a new time or place is news for everyone coming."""
    data = {field: values[field] for field in SESSION_FIELDS}
    moment = now()
    async with transaction():
        if session_id is None:
            row = S(**data, round=values["round_id"], area=values["area_id"], facilitator=actor_id)
            await S.insert(row)
            await record(
                actor_id,
                "session.created",
                f"session:{row.id}",
                round=values["round_id"],
                starts_at=values["starts_at"].isoformat(),
                capacity=values["capacity"],
            )
            return row.id
        current = await _locked(session_id)
        if not rules.may_edit_plan(current):
            raise NotAllowed(N_("This session can no longer be changed"))
        if values["capacity"] < await Registration.count().where(
            (Registration.session == session_id) & (Registration.status == "registered")
        ):
            raise NotAllowed(N_("The number of places cannot be fewer than the people who already have one"))
        update = {getattr(S, field): value for field, value in data.items()}
        update.update(
            {S.round: values["round_id"], S.area: values["area_id"], S.sequence: current["sequence"] + 1, S.updated_at: moment}
        )
        await S.update(update).where(S.id == session_id)
        changed = sorted(field for field in SESSION_FIELDS if current[field] != data[field])
        changed_session = {**current, **data, "round": values["round_id"], "area": values["area_id"]}
        if any(field in changed for field in NEWS_FIELDS) and current["ends_at"] > moment:
            for registration in await Registration.select().where(
                (Registration.session == session_id) & Registration.status.is_in(["registered", "waiting"])
            ):
                await _tell(
                    registration["user"],
                    changed_session,
                    N_("A community session you registered for has changed"),
                    "emails/session_changed.txt",
                    with_link=registration["status"] == "registered",
                    attendee=registration["attendee_name"],
                )
        promoted = await _promote(changed_session, moment)
        await record(actor_id, "session.updated", f"session:{session_id}", changed=changed, promoted=len(promoted))
    return session_id


async def cancel_session(actor_id: int, session_id: int, reason_en: str, reason_cy: str) -> None:
    """Cancel a session that has not yet published outcomes; everyone registered or waiting is told why."""
    async with transaction():
        row = await _locked(session_id)
        if not rules.may_edit_plan(row):
            raise NotAllowed(N_("This session can no longer be cancelled"))
        await S.update(
            {
                S.status: "cancelled",
                S.cancel_reason_en: reason_en,
                S.cancel_reason_cy: reason_cy,
                S.sequence: row["sequence"] + 1,
                S.updated_at: now(),
            }
        ).where(S.id == session_id)
        people = await Registration.select().where(
            (Registration.session == session_id) & Registration.status.is_in(["registered", "waiting"])
        )
        if row["ends_at"] > now():
            for registration in people:
                person = await User.select(User.language).where(User.id == registration["user"]).first()
                reason = (reason_cy if person and person["language"] == "cy" else reason_en) or reason_en
                await _tell(
                    registration["user"],
                    row,
                    N_("A community session has been cancelled"),
                    "emails/session_cancelled.txt",
                    attendee=registration["attendee_name"],
                    reason=reason,
                )
        await record(actor_id, "session.cancelled", f"session:{session_id}", people_told=len(people))


async def set_picture(actor_id: int, session_id: int, files: dict | None, alt_en: str, alt_cy: str) -> None:
    """The session's picture becomes these files (already stored by pb.web.media) with this alt
    text; files None keeps the picture and changes only its description."""
    columns = images.picture_columns(files, alt_en, alt_cy) if files else {"picture_alt_en": alt_en, "picture_alt_cy": alt_cy}
    async with transaction():
        await DeliberationSession.update(columns).where(DeliberationSession.id == session_id)
        await record(actor_id, "session.picture_set" if files else "session.picture_alt_changed", f"session:{session_id}")


async def remove_picture(actor_id: int, session_id: int) -> None:
    """The picture is taken off the session. Its files stay until `pb clean-media` finds them unused."""
    async with transaction():
        await DeliberationSession.update(images.picture_columns(None, "", "")).where(DeliberationSession.id == session_id)
        await record(actor_id, "session.picture_removed", f"session:{session_id}")


async def set_agenda(actor_id: int, session_id: int, proposal_ids: list[int]) -> None:
    """The proposals to be discussed, in order. `proposal_ids` were checked against the candidates."""
    async with transaction():
        row = await _locked(session_id)
        if not rules.may_edit_plan(row):
            raise NotAllowed(N_("This session can no longer be changed"))
        await AgendaItem.delete().where(AgendaItem.session == session_id)
        if proposal_ids:
            await AgendaItem.insert(
                *[
                    AgendaItem(session=session_id, proposal=proposal_id, position=position)
                    for position, proposal_id in enumerate(proposal_ids)
                ]
            )
        await record(actor_id, "session.agenda_set", f"session:{session_id}", proposals=proposal_ids)


# Registration ----------------------------------------------------------------------------------


async def register(user_id: int, session_id: int, values: dict, moment: datetime | None = None) -> dict:
    """Take a place, or a place on the waiting list, for the account holder or someone they care for.

    The one write path for places: the session row is locked, the places held are counted, and the
    registration goes in before the lock is released; a unique index (session, user, attendee_key)
    refuses a second registration for the same person. Returns {"id", "status"}."""
    name = values.get("attendee_name", "")
    key = rules.attendee_key(name) if name else ""
    fields = {
        "access_needs": ",".join(values.get("needs", [])),
        "access_other": values.get("access_other", ""),
        "share_needs": bool(values.get("share_needs")),
    }
    async with transaction():
        row = await _locked(session_id)
        moment = moment or now()  # read under the lock: the waiting list's order is the order places were decided in
        if not rules.registration_open(row, moment):
            raise NotAllowed(N_("Registration for this session has closed"))
        existing = (
            await Registration.select()
            .where((Registration.session == session_id) & (Registration.user == user_id) & (Registration.attendee_key == key))
            .first()
        )
        if existing and existing["status"] != "cancelled":
            raise NotAllowed(
                N_("You have already registered this person for this session")
                if key
                else N_("You have already registered for this session")
            )
        if key:
            cared_for = await Registration.count().where(
                (Registration.session == session_id)
                & (Registration.user == user_id)
                & (Registration.attendee_key != "")
                & (Registration.status != "cancelled")
            )
            if cared_for >= rules.MAX_CARED_FOR:
                raise NotAllowed(N_("You can register up to 3 people you care for at one session"))
        holding = await Registration.count().where((Registration.session == session_id) & (Registration.status == "registered"))
        status = rules.place_for(holding, row["capacity"])
        placed_at = moment if status == "registered" else None
        if existing:
            await Registration.update(
                {
                    Registration.status: status,
                    Registration.queued_at: moment,
                    Registration.placed_at: placed_at,
                    Registration.attendee_name: name,
                    Registration.attended: False,
                    Registration.reminder_sent_at: None,
                    Registration.updated_at: moment,
                    **{getattr(Registration, k): v for k, v in fields.items()},
                }
            ).where(Registration.id == existing["id"])
            registration_id = existing["id"]
        else:
            new = Registration(
                session=session_id,
                user=user_id,
                attendee_name=name,
                attendee_key=key,
                status=status,
                queued_at=moment,
                placed_at=placed_at,
                created_at=moment,
                updated_at=moment,
                **fields,
            )
            await Registration.insert(new)
            registration_id = new.id
        await _tell_registration({"user": user_id, "attendee_name": name}, row, status)
    return {"id": registration_id, "status": status}


async def cancel_registration(user_id: int, registration_id: int, moment: datetime | None = None) -> list[int]:
    """Give up a place (or leave the waiting list). A freed place goes to the longest waiting,
    who are told. Returns the ids of the registrations moved up."""
    moment = moment or now()
    found = await Registration.select(Registration.session).where(Registration.id == registration_id).first()
    if found is None:
        raise NotAllowed(N_("That registration does not exist"), status_code=404)
    async with transaction():
        row = await _locked(found["session"])
        registration = await one(Registration.select().where(Registration.id == registration_id))
        if registration["user"] != user_id or registration["status"] == "cancelled":
            raise NotAllowed(N_("That registration does not exist"), status_code=404)
        if moment >= row["starts_at"]:
            raise NotAllowed(N_("This session has already started"))
        await Registration.update({Registration.status: "cancelled", Registration.updated_at: moment}).where(
            Registration.id == registration_id
        )
        return await _promote(row, moment) if registration["status"] == "registered" else []


# Recording -------------------------------------------------------------------------------------


async def _recording(session_id: int) -> dict:
    row = await _locked(session_id)
    if not rules.recording_open(row, now()):
        raise NotAllowed(N_("Outcomes can be recorded from the day of the session until they are published"))
    return row


async def record_attendance(actor_id: int, session_id: int, count: int, attended: set[int]) -> None:
    async with transaction():
        await _recording(session_id)
        await Registration.update({Registration.attended: False}).where(Registration.session == session_id)
        if attended:
            await Registration.update({Registration.attended: True}).where(
                (Registration.session == session_id)
                & Registration.id.is_in(sorted(attended))
                & (Registration.status == "registered")
            )
        await S.update({S.attendance_count: count, S.updated_at: now()}).where(S.id == session_id)
        await record(actor_id, "session.attendance_recorded", f"session:{session_id}", count=count, ticked=len(attended))


async def _links(outcome_id: int, links: dict[int, int | None]) -> None:
    await OutcomeLink.delete().where(OutcomeLink.outcome == outcome_id)
    if links:
        await OutcomeLink.insert(
            *[OutcomeLink(outcome=outcome_id, proposal=proposal_id, tally=tally) for proposal_id, tally in links.items()]
        )


async def add_outcome(actor_id: int, session_id: int, values: dict) -> int:
    """Record a theme, recommendation or prioritisation result, linked to proposals."""
    async with transaction():
        await _recording(session_id)
        last = (
            await SessionOutcome.select(SessionOutcome.position)
            .where(SessionOutcome.session == session_id)
            .order_by(SessionOutcome.position, ascending=False)
            .first()
        )
        outcome = SessionOutcome(
            session=session_id,
            kind=values["kind"],
            body_en=values["body_en"],
            body_cy=values["body_cy"],
            method=values.get("method", ""),
            participants=values.get("participants"),
            position=(last["position"] + 1) if last else 0,
            created_by=actor_id,
        )
        await SessionOutcome.insert(outcome)
        await _links(outcome.id, values["links"])
        await record(
            actor_id,
            "session.outcome_added",
            f"session:{session_id}",
            outcome=outcome.id,
            kind=values["kind"],
            proposals=sorted(values["links"]),
        )
    return outcome.id


async def update_outcome(actor_id: int, outcome_id: int, values: dict) -> None:
    found = (
        await SessionOutcome.select(SessionOutcome.session, SessionOutcome.kind).where(SessionOutcome.id == outcome_id).first()
    )
    if found is None or found["kind"] == "summary":
        raise NotAllowed(N_("That outcome does not exist"), status_code=404)
    async with transaction():
        await _recording(found["session"])
        await SessionOutcome.update(
            {
                SessionOutcome.body_en: values["body_en"],
                SessionOutcome.body_cy: values["body_cy"],
                SessionOutcome.kind: values["kind"] if found["kind"] != "prioritisation" else "prioritisation",
                SessionOutcome.method: values.get("method", ""),
                SessionOutcome.participants: values.get("participants"),
                SessionOutcome.updated_at: now(),
            }
        ).where(SessionOutcome.id == outcome_id)
        await _links(outcome_id, values["links"])
        await record(actor_id, "session.outcome_edited", f"session:{found['session']}", outcome=outcome_id)


async def delete_outcome(actor_id: int, outcome_id: int) -> int:
    found = (
        await SessionOutcome.select(SessionOutcome.session, SessionOutcome.kind).where(SessionOutcome.id == outcome_id).first()
    )
    if found is None:
        raise NotAllowed(N_("That outcome does not exist"), status_code=404)
    async with transaction():
        await _recording(found["session"])
        await OutcomeLink.delete().where(OutcomeLink.outcome == outcome_id)
        await SessionOutcome.delete().where(SessionOutcome.id == outcome_id)
        await record(actor_id, "session.outcome_deleted", f"session:{found['session']}", outcome=outcome_id, kind=found["kind"])
    return found["session"]


async def save_summary(actor_id: int, session_id: int, values: dict) -> int:
    """The public summary: one per session, updated in place so its id stays the same."""
    async with transaction():
        await _recording(session_id)
        existing = (
            await SessionOutcome.select(SessionOutcome.id)
            .where((SessionOutcome.session == session_id) & (SessionOutcome.kind == "summary"))
            .first()
        )
        if existing:
            await SessionOutcome.update(
                {
                    SessionOutcome.body_en: values["body_en"],
                    SessionOutcome.body_cy: values["body_cy"],
                    SessionOutcome.updated_at: now(),
                }
            ).where(SessionOutcome.id == existing["id"])
            outcome_id = existing["id"]
        else:
            outcome = SessionOutcome(
                session=session_id,
                kind="summary",
                body_en=values["body_en"],
                body_cy=values["body_cy"],
                position=-1,
                created_by=actor_id,
            )
            await SessionOutcome.insert(outcome)
            outcome_id = outcome.id
        await record(actor_id, "session.summary_saved", f"session:{session_id}", outcome=outcome_id)
    return outcome_id


async def publish(actor_id: int, session_id: int) -> None:
    """Publish the outcomes: they appear on the session's page and on each linked proposal's page,
    and become community input that decisions answer. Everyone ticked as there is told."""
    moment = now()
    async with transaction():
        row = await _locked(session_id)
        summary = (
            await SessionOutcome.select()
            .where((SessionOutcome.session == session_id) & (SessionOutcome.kind == "summary"))
            .first()
        )
        problems = rules.publication_problems(row, summary, moment)
        if problems:
            raise NotAllowed(problems[0])
        await S.update({S.outcomes_published_at: moment, S.updated_at: moment}).where(S.id == session_id)
        attended = await Registration.select(Registration.user).where(
            (Registration.session == session_id) & (Registration.attended == True)
        )  # noqa: E712
        for user_id in sorted({r["user"] for r in attended}):
            await _tell(user_id, row, N_("What came of the community session you went to"), "emails/session_outcomes.txt")
        outcomes = await SessionOutcome.count().where(SessionOutcome.session == session_id)
        await record(actor_id, "session.published", f"session:{session_id}", outcomes=outcomes, people_told=len(attended))


# Reminders -------------------------------------------------------------------------------------


async def send_due_reminders(moment: datetime) -> int:
    """Remind each person holding a place, once, the day before the session (see rules.reminder_due;
    run `pb send-reminders` hourly, or at least daily). Safe to run often and from several machines:
    each reminder is claimed by a conditional update of its reminder_sent_at, in the same transaction
    as the email it queues. Returns how many reminders were queued."""
    due = (
        await Registration.select(
            Registration.id,
            Registration.placed_at,
            Registration.created_at,
            Registration.session.starts_at.as_alias("starts_at"),
        )
        .where(
            (Registration.status == "registered")
            & Registration.reminder_sent_at.is_null()
            & (Registration.session.status == "scheduled")
            & (Registration.session.starts_at > moment)
            & (Registration.session.starts_at < moment + timedelta(days=3))
        )
        .order_by(Registration.id)
    )
    sent = 0
    for candidate in due:
        if not rules.reminder_due(candidate["starts_at"], candidate["placed_at"] or candidate["created_at"], moment):
            continue
        async with transaction():
            claimed = (
                await Registration.update({Registration.reminder_sent_at: moment})
                .where(
                    (Registration.id == candidate["id"])
                    & Registration.reminder_sent_at.is_null()
                    & (Registration.status == "registered")
                )
                .returning(Registration.id, Registration.user, Registration.attendee_name, Registration.session)
            )
            if not claimed:
                continue
            registration = claimed[0]
            session_row = await one(S.select().where(S.id == registration["session"]))
            await _tell(
                registration["user"],
                session_row,
                N_("Reminder: your community session is coming up"),
                "emails/session_reminder.txt",
                with_link=True,
                attendee=registration["attendee_name"],
            )
            sent += 1
    return sent


__all__ = ["Conflict", "NotAllowed", "send_due_reminders"]
