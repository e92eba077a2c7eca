"""The database layer: one engine chosen from settings, and one way to write safely on both engines.

Every action that changes state that matters runs inside `transaction()`: an IMMEDIATE transaction
on SQLite (writers queue instead of failing with "database is locked"), an ordinary one on
PostgreSQL (where actions lock the rows they read with `lock_rows()`). Unique-constraint errors from
both drivers surface as one exception, `Conflict`.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite
from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType, dict_factory
from piccolo.table import Table

os.environ.setdefault("PICCOLO_CONF", "pb.piccolo_conf")  # for Piccolo's own tools (migrations)


class Conflict(Exception):
    """A database uniqueness constraint refused the write (for example a second support or ballot).

    Its message names the constraint at most, never the refused values: a driver's own message can
    carry personal data (PostgreSQL's detail says "Key (email)=(someone@example.org) already exists"),
    and exception messages end up in logs. The driver's exception stays available as __cause__.
    """

    def __init__(self, constraint: str | None = None) -> None:
        self.constraint = constraint
        super().__init__(
            f"unique constraint refused the write ({constraint})" if constraint else "unique constraint refused the write"
        )


class KeptSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLiteEngine, with kept connections for the queries run outside a transaction
    (Piccolo opens a new aiosqlite connection, so a new thread, for each of them: the largest single
    cost of a SQLite page). Transactions are untouched: each still gets its own new connection
    (pb.db.transaction(): BEGIN IMMEDIATE).

    Each event loop keeps up to KEPT_PER_LOOP idle connections (an aiosqlite connection answers on
    the loop that awaits it; pytest and CLIs make new loops). A query takes an idle one or opens a
    new one, so concurrent queries never queue behind one another (a write waiting up to 30 s for
    the write lock holds up no read); sequential queries, a page's, all use the same connection.

    Why a kept connection behaves as Piccolo's new ones did:
    - it is in autocommit mode (isolation_level=None, Piccolo's default, kept here): every statement
      is its own transaction, committed when it finishes; the rows are fetched in the same call as
      the statement runs, so a read's snapshot ends with it and the next read sees whatever other
      connections committed meanwhile;
    - a statement that leaves a transaction open (an explicit BEGIN) is committed after it, as
      Piccolo's commit() after each query did; a failed statement leaves none open (rolled back);
    - same connection settings (timeout=30 s busy wait; WAL is the database file's) and the
      per-connection PRAGMA foreign_keys = 1, set once when the connection opens;
    - its thread is a daemon, so a connection nobody closed never holds the process at exit;
      `close_kept()` (pb.db.stop()) closes them, and a closed loop's go when another loop opens
      one, or when configure() moves to another database.
    """

    KEPT_PER_LOOP = 4

    def __init__(self, path: str, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self._idle: dict[asyncio.AbstractEventLoop, list[aiosqlite.Connection]] = {}
        self._idle_lock = threading.Lock()  # loops may run in other threads
        self.connections_opened = 0  # kept connections opened so far (tests: not one per query)

    async def _open(self) -> aiosqlite.Connection:
        connection = aiosqlite.connect(**self.connection_kwargs)
        thread = getattr(connection, "_thread", None)
        if isinstance(thread, threading.Thread):
            thread.daemon = True
        await connection  # starts the thread and opens the sqlite3 connection
        try:
            connection.row_factory = dict_factory  # type: ignore[assignment]
            await connection.execute("PRAGMA foreign_keys = 1")
        except BaseException:
            await connection.close()
            raise
        self.connections_opened += 1
        return connection

    async def _acquire(self) -> aiosqlite.Connection:
        loop = asyncio.get_running_loop()
        stale: list[aiosqlite.Connection] = []
        with self._idle_lock:
            idle = self._idle.setdefault(loop, [])
            if idle:
                return idle.pop()
            for other in [other for other in self._idle if other.is_closed()]:
                stale.extend(self._idle.pop(other))
        stale.extend(_take_retired())
        for connection in stale:
            await _close_elsewhere(connection)
        opening = loop.create_task(self._open())
        try:
            return await asyncio.shield(opening)
        except asyncio.CancelledError:
            # Opening goes on: keep the connection when it is ready rather than lose its thread.
            opening.add_done_callback(lambda task: self._keep_opened(loop, task))
            raise

    def _keep_opened(self, loop: asyncio.AbstractEventLoop, task: asyncio.Task[aiosqlite.Connection]) -> None:
        if not task.cancelled() and task.exception() is None:
            loop.create_task(self._release(loop, task.result()))

    async def _release(self, loop: asyncio.AbstractEventLoop, connection: aiosqlite.Connection) -> None:
        with self._idle_lock:
            idle = self._idle.get(loop)
            if idle is not None and len(idle) < self.KEPT_PER_LOOP:
                idle.append(connection)
                return
        await connection.close()  # enough are kept (or the engine was retired)

    async def close_kept(self) -> None:
        """Close every idle kept connection (this engine's, of every loop)."""
        for connection in self.retire_kept():
            await _close_elsewhere(connection)

    def kept_idle(self) -> list[aiosqlite.Connection]:
        """The running loop's idle kept connections (for tests)."""
        with self._idle_lock:
            return list(self._idle.get(asyncio.get_running_loop(), []))

    def retire_kept(self) -> list[aiosqlite.Connection]:
        """Forget every idle kept connection (they are the caller's to close); those in use are
        closed when their query ends."""
        with self._idle_lock:
            idle, self._idle = self._idle, {}
        return [connection for connections in idle.values() for connection in connections]

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ):
        if query_type == "insert" and self.get_version_sync() < 3.35:  # pragma: no cover - old SQLite
            # No RETURNING: Piccolo reads the new row's key by ROWID on the same cursor.
            return await super()._run_in_new_connection(query, args, query_type, table)
        loop = asyncio.get_running_loop()
        connection = await self._acquire()
        try:
            # One call on aiosqlite's thread: run the statement and fetch every row, so it is
            # finished (committed, its read snapshot released) before the call returns.
            rows = await connection.execute_fetchall(query, args or [])
            if connection.in_transaction:
                await connection.commit()
        except sqlite3.Error:
            # The statement failed (a constraint, a lock wait that timed out): none of it stays.
            try:
                if connection.in_transaction:
                    await connection.rollback()
            except BaseException:
                await _close_quietly(connection)
                raise
            await self._release(loop, connection)
            raise
        except BaseException:
            # Cancelled, or failed in an unexpected way: keep no connection in doubt.
            await _close_quietly(connection)
            raise
        await self._release(loop, connection)
        return list(rows)


async def _close_quietly(connection: aiosqlite.Connection) -> None:
    try:
        await asyncio.shield(connection.close())
    except BaseException:  # noqa: S110 - it is being thrown away
        pass


async def _close_elsewhere(connection: aiosqlite.Connection) -> None:
    """Close a kept connection whichever loop it was opened on (that loop may be closed): aiosqlite
    runs the close on the connection's own thread and reports it to the running loop."""
    try:
        await connection.close()
    except Exception:  # noqa: S110 - closing a connection nobody will use again
        pass


_retired: list[aiosqlite.Connection] = []  # idle kept connections of a replaced engine
_retired_lock = threading.Lock()


def _take_retired() -> list[aiosqlite.Connection]:
    with _retired_lock:
        retired = _retired[:]
        _retired.clear()
    return retired


async def _close_retired() -> None:
    for connection in _take_retired():
        await _close_elsewhere(connection)


def make_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite:///"):
        # Writers wait up to 30 s for the lock rather than failing at once.
        return KeptSQLiteEngine(path=database_url.removeprefix("sqlite:///"), timeout=30)
    return PostgresEngine(config={"dsn": database_url})


_engine: Engine | None = None
_engine_url: str | None = None


def configure(database_url: str, tables: Iterable[type[Table]]) -> Engine:
    """Use this database from now on for these tables (and Piccolo's migration table): one engine
    for all of them. pb.piccolo_app.configure_database passes every pb table; calling it again
    with another URL really switches (no engine is fixed by an import)."""
    global _engine, _engine_url
    if _engine is not None and _engine_url == database_url:
        return _engine
    if isinstance(_engine, KeptSQLiteEngine):
        # The old database's kept connections are closed by the next query (or stop()) on a loop.
        with _retired_lock:
            _retired.extend(_engine.retire_kept())
    new = make_engine(database_url)
    bound: list[type[Table]] = [*tables, Migration]
    for table in bound:
        table._meta.db = new
    _engine, _engine_url = new, database_url
    return new


async def one(query: Any) -> dict[str, Any]:
    """The row a query must find (its absence is a bug, not a person's mistake): raises LookupError."""
    row = await query.first()
    if row is None:
        raise LookupError("an expected row is missing")
    return row


def is_configured() -> bool:
    return _engine is not None


def engine() -> Engine:
    """The configured engine (pb.piccolo_app.configure_database chooses it)."""
    if _engine is None:
        raise RuntimeError("no database is configured: call pb.piccolo_app.configure_database(url) first")
    return _engine


def is_sqlite() -> bool:
    return isinstance(engine(), SQLiteEngine)


def _constraint_name(exc: BaseException) -> str | None:
    """The name of the refusing constraint, without any of the values (see Conflict)."""
    if isinstance(exc, sqlite3.IntegrityError):
        # "UNIQUE constraint failed: pb_user.email": table and column names only.
        _, _, columns = str(exc).partition(":")
        return columns.strip() or None
    name = getattr(exc, "constraint_name", None)
    return name if isinstance(name, str) else None


def is_unique_violation(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc) or "PRIMARY KEY" in str(exc)
    try:
        from asyncpg.exceptions import UniqueViolationError
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(exc, UniqueViolationError)


@asynccontextmanager
async def transaction() -> AsyncIterator[None]:
    """One transaction for one action; raises `Conflict` when a unique constraint refuses a write."""
    db = engine()
    try:
        if isinstance(db, SQLiteEngine):
            async with db.transaction(transaction_type=TransactionType.immediate):
                yield
        else:
            async with db.transaction():
                yield
    except Exception as exc:
        if is_unique_violation(exc):
            raise Conflict(_constraint_name(exc)) from exc
        raise


async def _keep_session(connection) -> None:
    """Nothing to undo when a connection goes back to the pool (see start())."""


async def start(pool_size: int = 10) -> None:
    """Prepare the engine for serving: WAL on SQLite, a connection pool on PostgreSQL."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        await db.run_ddl("PRAGMA journal_mode=WAL")
    else:
        # asyncpg's default reset (RESET ALL, CLOSE ALL, UNLISTEN, advisory unlocks) runs after every
        # query; pb sets no session state, cursors, listeners or advisory locks, and asyncpg still
        # rolls back a transaction left open before calling this. bench/load.py: 13% less CPU per ballot.
        # Piccolo passes these through to asyncpg.create_pool; its signature only names **kwargs.
        await db.start_connection_pool(min_size=1, max_size=pool_size, reset=_keep_session)  # type: ignore[call-arg]


async def stop() -> None:
    db = engine()
    if isinstance(db, PostgresEngine):
        await db.close_connection_pool()
    if isinstance(db, KeptSQLiteEngine):
        await db.close_kept()
    await _close_retired()


async def ping() -> bool:
    try:
        await engine().run_ddl("SELECT 1")
    except Exception:
        return False
    return True


async def migrate() -> None:
    """Run every migration not yet run (tables, then hand-written unique indexes)."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    result = await run_forwards(app_name="pb")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}")


def for_update(query):
    """Lock the selected rows until the transaction ends (PostgreSQL). SQLite needs no row lock:
    an IMMEDIATE transaction already holds the database's single write lock."""
    return query if is_sqlite() else query.lock_rows()


def index_migration(migration_id: str, description: str, indexes: dict[str, str]):
    """A migration of hand-written indexes (partial, expression or multi-column ones Piccolo's
    generated steps cannot express): `indexes` maps each name to its CREATE statement, and going
    backwards drops them by name. The statements are the same on both engines."""
    from piccolo.apps.migrations.auto.migration_manager import MigrationManager

    manager = MigrationManager(migration_id=migration_id, app_name="pb", description=description)

    async def create_indexes():
        for statement in indexes.values():
            await engine().run_ddl(statement)

    async def drop_indexes():
        for name in indexes:
            await engine().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager


BULK_BATCH = 10_000  # rows per statement: bounded memory, few round trips


async def bulk_insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Many rows at once on the current transaction's connection: COPY on PostgreSQL, executemany on
    SQLite, in batches. (Piccolo builds one object per row, too slow for 300,000 ballot choices.)"""
    current = engine().current_transaction.get()
    if current is None:
        raise RuntimeError("bulk_insert runs inside a transaction")
    connection = current.connection
    for start in range(0, len(rows), BULK_BATCH):
        chunk = rows[start : start + BULK_BATCH]
        if is_sqlite():
            marks = ", ".join("?" for _ in columns)
            await connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", chunk)
        else:
            await connection.copy_records_to_table(table, records=chunk, columns=list(columns))
