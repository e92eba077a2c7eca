"""Expired sessions are deleted (by the server every 15 minutes, and by `pb purge`): an old row
would say who was signed in until when, long after it matters."""

from datetime import UTC, datetime, timedelta

from pb.accounts.sessions import purge_expired
from pb.accounts.tables import SessionRecord
from tests.conftest import run_pb_command


async def _rows(*ages: timedelta) -> None:
    now = datetime.now(UTC)
    for i, age in enumerate(ages):
        await SessionRecord.insert(SessionRecord(key=f"k{i}", data='{"user_id": 7}', expires_at=now - age, user_id=7))


async def test_purging_deletes_expired_sessions_and_keeps_live_ones():
    await _rows(timedelta(hours=1), timedelta(days=30), -timedelta(hours=2))
    assert await purge_expired() == 2
    assert [row["key"] for row in await SessionRecord.select(SessionRecord.key)] == ["k2"]


async def test_the_purge_command_runs():
    await _rows(timedelta(minutes=1))
    result = await run_pb_command("purge")
    assert result.returncode == 0, result.stderr
    assert "Expired sessions deleted: 1. Unsent emails whose link expired: 0." in result.stdout
    assert await SessionRecord.count() == 0
