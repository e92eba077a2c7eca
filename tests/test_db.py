"""SQLite's kept connection (pb.db.KeptSQLiteEngine): queries outside a transaction share one
connection per event loop, and behave as Piccolo's connection-per-query did (writes committed at
once, reads never on a stale snapshot, foreign keys enforced)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time

import pytest

from pb import db
from pb.moderation.tables import WatchTerm
from tests.conftest import DATABASE_URL, ENGINE

pytestmark = pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's kept connection")


def _kept() -> db.KeptSQLiteEngine:
    engine = db.engine()
    assert isinstance(engine, db.KeptSQLiteEngine)
    return engine


def _path() -> str:
    return DATABASE_URL.removeprefix("sqlite:///")


def _read_elsewhere(sql: str) -> list[tuple]:
    """Read through a brand-new connection, as another process would."""
    connection = sqlite3.connect(_path(), timeout=30)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _assert_no_transaction_open() -> None:
    idle = _kept().kept_idle()
    assert idle, "the query's connection was kept"
    assert not any(connection.in_transaction for connection in idle)
    # And the write lock is free at once for another connection.
    other = sqlite3.connect(_path(), timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


async def _threads_settle(at_most: int) -> int:
    for _ in range(100):
        if threading.active_count() <= at_most:
            break
        await asyncio.sleep(0.02)
    return threading.active_count()


async def test_a_thousand_queries_open_one_connection():
    engine = _kept()
    await engine.run_ddl("SELECT 1")  # this loop's connection exists from here on
    threads, opened = threading.active_count(), engine.connections_opened
    for n in range(1000):
        rows = await WatchTerm.select(WatchTerm.id).where(WatchTerm.id == n).run()
        assert rows == []
    assert engine.connections_opened == opened
    assert threading.active_count() <= threads


async def test_a_write_outside_a_transaction_is_committed_at_once():
    await WatchTerm.insert(WatchTerm(term="kept", added_by=1)).run()
    assert _read_elsewhere("SELECT term FROM pb_watch_term") == [("kept",)]
    _assert_no_transaction_open()


async def test_a_transaction_commit_is_read_at_once_through_the_kept_connection():
    assert await WatchTerm.count().run() == 0  # a read before: no snapshot may outlive it
    async with db.transaction():
        await WatchTerm.insert(WatchTerm(term="committed", added_by=1)).run()
        # Not yet committed: the kept connection does not see it.
        assert await WatchTerm.count().where(WatchTerm.term == "committed").run() == 1  # inside: same connection
    assert await WatchTerm.select(WatchTerm.term).output(as_list=True).run() == ["committed"]
    # And a commit by another connection altogether.
    other = sqlite3.connect(_path(), timeout=30)
    try:
        other.execute("INSERT INTO pb_watch_term (term, added_by, created_at) VALUES ('other', 2, '2026-01-01')")
        other.commit()
    finally:
        other.close()
    assert sorted(await WatchTerm.select(WatchTerm.term).output(as_list=True).run()) == ["committed", "other"]


async def test_a_transaction_uncommitted_write_is_not_seen_outside_it():
    entered, release = asyncio.Event(), asyncio.Event()

    async def writer():
        async with db.transaction():
            await WatchTerm.insert(WatchTerm(term="pending", added_by=1)).run()
            entered.set()
            await release.wait()

    task = asyncio.create_task(writer())
    await entered.wait()
    try:
        assert await WatchTerm.count().run() == 0
    finally:
        release.set()
        await task
    assert await WatchTerm.count().run() == 1


async def test_a_failed_write_leaves_no_transaction_open():
    _kept()
    await WatchTerm.insert(WatchTerm(term="once", added_by=1)).run()
    with pytest.raises(sqlite3.IntegrityError):
        await WatchTerm.insert(WatchTerm(term="once", added_by=2)).run()
    _assert_no_transaction_open()
    await WatchTerm.insert(WatchTerm(term="twice", added_by=3)).run()
    assert _read_elsewhere("SELECT term FROM pb_watch_term ORDER BY term") == [("once",), ("twice",)]
    # Another connection can still take the write lock at once (nothing is held open here).
    async with db.transaction():
        await WatchTerm.delete().where(WatchTerm.term == "twice").run()
    assert await WatchTerm.select(WatchTerm.term).output(as_list=True).run() == ["once"]


async def test_a_statement_that_opens_a_transaction_is_committed_after_it():
    engine = _kept()
    await engine.run_ddl("BEGIN")
    _assert_no_transaction_open()
    async with db.transaction():  # the write lock is free
        await WatchTerm.insert(WatchTerm(term="free", added_by=1)).run()
    assert await WatchTerm.count().run() == 1


async def test_foreign_keys_are_enforced_on_the_kept_connection():
    assert await _kept().run_ddl("PRAGMA foreign_keys") == [{"foreign_keys": 1}]
    from pb.moderation.tables import Report

    with pytest.raises(sqlite3.IntegrityError):
        await db.engine().run_ddl(
            "INSERT INTO pb_report (target_kind, target_id, reporter, reason, details, created_at, status)"
            " VALUES ('proposal', 1, 999999, 'x', '', '2026-01-01', 'open')"
        )
    assert await Report.count().run() == 0


async def test_the_kept_connection_waits_for_the_lock_and_is_in_wal_mode():
    await db.engine().run_ddl("SELECT 1")
    connection = _kept().kept_idle()[0]
    assert await connection.execute_fetchall("PRAGMA busy_timeout", []) == [{"timeout": 30000}]
    assert await connection.execute_fetchall("PRAGMA journal_mode", []) == [{"journal_mode": "wal"}]


async def test_concurrent_reads_on_the_kept_connection_each_get_their_own_rows():
    await WatchTerm.insert(*[WatchTerm(term=f"term {n}", added_by=n) for n in range(50)]).run()

    async def read(n: int) -> tuple[int, list]:
        rows = await WatchTerm.select(WatchTerm.term, WatchTerm.added_by).where(WatchTerm.added_by == n).run()
        return n, rows

    async def write(n: int) -> None:
        await WatchTerm.update({WatchTerm.term: f"renamed {n}"}).where(WatchTerm.added_by == n).run()

    results = await asyncio.gather(*[read(n) for n in range(50)], *[write(n) for n in range(50, 60)], read(1000))
    for result in results[:50]:
        assert result is not None
        n, rows = result
        assert rows == [{"term": f"term {n}", "added_by": n}]
    assert results[-1] == (1000, [])
    counts = await asyncio.gather(*[WatchTerm.count().where(WatchTerm.added_by < n).run() for n in range(51)])
    assert counts == list(range(51))


async def test_a_write_waiting_for_the_lock_holds_up_no_read():
    await WatchTerm.insert(WatchTerm(term="before", added_by=0)).run()
    locked, release = asyncio.Event(), asyncio.Event()

    async def holder():
        async with db.transaction():  # BEGIN IMMEDIATE: holds the write lock
            locked.set()
            await release.wait()

    holding = asyncio.create_task(holder())
    await locked.wait()
    waiting = asyncio.create_task(WatchTerm.insert(WatchTerm(term="after", added_by=1)).run())
    await asyncio.sleep(0.05)  # the write is now waiting (busy timeout) on its connection
    started = time.monotonic()
    assert await WatchTerm.select(WatchTerm.term).output(as_list=True).run() == ["before"]
    assert time.monotonic() - started < 1
    assert not waiting.done()
    release.set()
    await holding
    await waiting
    assert sorted(await WatchTerm.select(WatchTerm.term).output(as_list=True).run()) == ["after", "before"]


async def test_a_cancelled_query_leaves_nothing_behind():
    await db.engine().run_ddl("SELECT 1")
    threads = threading.active_count()
    task = asyncio.create_task(db.engine().run_ddl("SELECT count(*) AS n FROM pb_watch_term"))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await db.engine().run_ddl("SELECT 2 AS n") == [{"n": 2}]
    assert await _threads_settle(threads) <= threads


async def test_each_event_loop_has_its_own_connection_and_none_is_left_behind():
    engine = _kept()
    await engine.run_ddl("SELECT 1")
    threads, opened = threading.active_count(), engine.connections_opened

    def query_in_a_new_loop(results: list) -> None:
        async def run():
            return [await engine.run_ddl("SELECT 7 AS n") for _ in range(20)]

        results.append(asyncio.run(run()))

    for _ in range(3):
        results: list = []
        worker = threading.Thread(target=query_in_a_new_loop, args=(results,))
        worker.start()
        worker.join()
        assert results == [[[{"n": 7}]] * 20]
    assert engine.connections_opened == opened + 3
    # The closed loops' connections are closed with the next opening (or stop()): no thread is left.
    await engine.close_kept()
    assert await engine.run_ddl("SELECT 1 AS n") == [{"n": 1}]  # reopened for this loop
    assert await _threads_settle(threads) <= threads


async def test_configure_with_another_database_retires_the_kept_connections(tmp_path):
    from pb.piccolo_app import configure_database

    await db.engine().run_ddl("SELECT 1")
    threads = threading.active_count()
    first = _kept()
    try:
        configure_database(f"sqlite:///{tmp_path / 'other.sqlite'}")
        other = _kept()
        assert other is not first
        assert first.kept_idle() == []  # configure() took them
        await other.run_ddl("CREATE TABLE pb_watch_term (id INTEGER PRIMARY KEY, term TEXT)")
        assert await WatchTerm.select(WatchTerm.term).run() == []  # bound to the other database
    finally:
        configure_database(DATABASE_URL)
    await WatchTerm.insert(WatchTerm(term="back", added_by=1)).run()
    assert _read_elsewhere("SELECT term FROM pb_watch_term") == [("back",)]
    assert await _threads_settle(threads) <= threads


async def test_many_transactions_and_reads_leave_no_threads():
    await db.engine().run_ddl("SELECT 1")
    threads = threading.active_count()
    started = time.process_time()
    for n in range(50):
        async with db.transaction():
            await WatchTerm.insert(WatchTerm(term=f"t{n}", added_by=n)).run()
        assert await WatchTerm.count().run() == n + 1
    assert time.process_time() >= started
    assert await _threads_settle(threads) <= threads
