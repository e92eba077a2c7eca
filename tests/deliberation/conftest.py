"""Helpers for the session tests (they use pb's own app, through tests/conftest.py's `client`)."""

from datetime import UTC


async def make_session(facilitator_id: int, starts_in=None, capacity=10, round_id=None, area_id=None, **fields) -> int:
    """A scheduled session inserted directly, starting `starts_in` from now (default: 10:00 UTC in 3 days), lasting 2 hours."""
    from datetime import datetime, timedelta

    from pb.deliberation.tables import DeliberationSession

    if starts_in is None:
        # Three days ahead at 10:00 UTC: a session that runs past midnight would make the edit form
        # (a date and two times) invalid when the tests run late in the evening.
        starts = (datetime.now(UTC) + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    else:
        starts = datetime.now(UTC).replace(microsecond=0) + starts_in
    row = DeliberationSession(
        facilitator=facilitator_id,
        round=round_id,
        area=area_id,
        title_en=fields.pop("title_en", "Riverside ideas evening"),
        title_cy=fields.pop("title_cy", "Noson syniadau glan yr afon"),
        description_en="Talk through the ideas.",
        description_cy="Trafod y syniadau.",
        format=fields.pop("format", "in_person"),
        venue=fields.pop("venue", "Town Hall"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=capacity,
        language_mode=fields.pop("language_mode", "bilingual"),
        **fields,
    )
    await DeliberationSession.insert(row)
    return row.id


async def fill(session_id: int, count: int, status: str = "registered", prefix: str = "person") -> list[int]:
    """`count` people with registrations inserted directly (no emails)."""
    from datetime import datetime

    from pb.deliberation.tables import Registration
    from tests.conftest import make_user

    ids = []
    for index in range(count):
        user_id = await make_user(email=f"{prefix}{index}@example.org", name=f"{prefix.title()} {index}")
        moment = datetime.now(UTC)
        await Registration.insert(
            Registration(
                session=session_id,
                user=user_id,
                status=status,
                queued_at=moment,
                placed_at=moment if status == "registered" else None,
            )
        )
        ids.append(user_id)
    return ids
