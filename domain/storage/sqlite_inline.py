"""SQLite on the event loop's own thread: statements run inline; what waits leaves it.

aiosqlite sends every driver call (cursor, execute, fetch, close: about four per statement) to
its thread and back, and each hop waits for the event loop to wake up; a writer holding the
write lock made every other writer wait behind each of its hops. A SQLite statement on a
local file costs microseconds, far less than a hop, so this driver runs them directly on the
loop's thread. What may take long never blocks the loop:

- a durable COMMIT (`synchronous=FULL`: a booking, a payment, every ordinary write) fsyncs the
  WAL: it goes to one dedicated writer thread, the unit of work's only hop. A light one
  (`synchronous=NORMAL`: a chat turn's state and replies) only writes to the OS and runs
  inline, since a hop costs more than it does (measured: 0.4 ms of the loop's time against
  0.013 ms);
- checkpoints (copying the WAL into the database, with fsyncs) run on the writer thread too,
  every `CHECKPOINT_EVERY` commits, instead of inside whichever commit crossed SQLite's
  automatic threshold;
- a report (a read over months or years of turnos) asks for it (`offload`): its statements
  and fetches run on a reader thread;
- a lock held by another process: the connection has no busy handler (busy_timeout 0), so
  SQLite answers SQLITE_BUSY at once and the statement is retried here with `asyncio.sleep`
  backoff until the busy timeout, while the loop serves everyone else.

It plugs into SQLAlchemy as the aiosqlite dialect with this module in aiosqlite's place, so the
async engine, sessions, Alembic and `run_sync` work unchanged (`make_engine` selects it for
`sqlite+aiosqlite` URLs). The price: a slow read that is not marked as a report holds the loop
for its duration, so a new long read should use `UnitOfWorkFactory.report()`.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, cast

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.util.concurrency import await_

if TYPE_CHECKING:
    from sqlalchemy.connectors.asyncio import AsyncIODBAPIConnection

log = logging.getLogger(__name__)

DRIVER = "barberpro_inline"
CHECKPOINT_EVERY = 200  # commits between two checkpoints of a database file
_SQLITE_BUSY = 5
_FIRST_BACKOFF_SECONDS = 0.001
_MAX_BACKOFF_SECONDS = 0.05

# Reports' reads, off the loop (see InlineConnection.offload).
_readers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sqlite-reader")
# One thread for every commit of the process: SQLite has one writer at a time anyway, so a
# single thread adds no waiting, and it keeps the fsyncs off the event loop.
_writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")


def _busy(error: sqlite3.OperationalError) -> bool:
    return getattr(error, "sqlite_errorcode", 0) & 0xFF == _SQLITE_BUSY


class _Checkpoints:
    """Checkpoints of one database file, run on the writer thread on a connection of their own
    (opened for the checkpoint and closed after it: one every CHECKPOINT_EVERY commits)."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._commits = 0
        self._pending = False

    def committed(self) -> None:
        """Count a commit; every CHECKPOINT_EVERY, have the writer thread checkpoint."""
        self._commits += 1
        if self._commits >= CHECKPOINT_EVERY and not self._pending:
            self._commits, self._pending = 0, True
            _writer.submit(self._checkpoint)

    def _checkpoint(self) -> None:
        try:
            connection = sqlite3.connect(self._path, timeout=0)
            try:
                # PASSIVE: copies what it can without waiting for readers or writers.
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                connection.close()
        except sqlite3.Error as error:  # busy or gone: the next round tries again
            log.warning("SQLite checkpoint skipped: %s", error)
        finally:
            self._pending = False


# By database file, while some connection to it is open (its connections hold it).
_checkpoints: weakref.WeakValueDictionary[str, _Checkpoints] = weakref.WeakValueDictionary()
_checkpoints_lock = threading.Lock()


def _checkpoints_of(connection: sqlite3.Connection) -> _Checkpoints | None:
    """The checkpoints of the connection's database file (None in memory)."""
    path = next(row[2] for row in connection.execute("PRAGMA database_list") if row[1] == "main")
    if not path:
        return None
    with _checkpoints_lock:
        found = _checkpoints.get(path)
        if found is None:
            found = _checkpoints[path] = _Checkpoints(path)
        return found


class InlineConnection:
    """The part of aiosqlite's Connection SQLAlchemy uses, run on the caller's thread."""

    def __init__(self, connection: sqlite3.Connection, busy_timeout: float) -> None:
        self._conn = connection
        # SQLAlchemy's adapter reads aiosqlite's `_connection` (None once closed).
        self._connection: sqlite3.Connection | None = connection
        self._busy_timeout = busy_timeout
        # Whether the open transaction's commit must reach the disk, and whether its reads are
        # long enough to run on a reader thread (engine.py sets both at each checkout's begin).
        self.durable = True
        self.offload = False
        self._checkpoints = _checkpoints_of(connection)
        if self._checkpoints is not None:
            connection.execute("PRAGMA wal_autocheckpoint=0")  # ours run on the writer thread

    async def run(self, call: Callable[..., Any], *args: Any) -> Any:
        """`call(*args)` now; on SQLITE_BUSY, again after a pause, until the busy timeout."""
        if self.offload:
            return await asyncio.get_running_loop().run_in_executor(_readers, call, *args)
        try:
            return call(*args)
        except sqlite3.OperationalError as error:
            if not _busy(error):
                raise
        deadline = time.monotonic() + self._busy_timeout
        pause = _FIRST_BACKOFF_SECONDS
        while True:
            await asyncio.sleep(pause)
            try:
                return call(*args)
            except sqlite3.OperationalError as error:
                if not _busy(error) or time.monotonic() >= deadline:
                    raise
            pause = min(pause * 2, _MAX_BACKOFF_SECONDS)

    def cursor(self) -> InlineCursor:
        """A cursor whose awaitables complete without leaving the thread."""
        return InlineCursor(self, self._conn.cursor())

    async def commit(self) -> None:
        """Commit: a durable one on the writer thread (its fsync stays off the loop), a light
        one here."""
        if not self._conn.in_transaction:
            return
        if self.durable:
            await asyncio.get_running_loop().run_in_executor(_writer, self._conn.commit)
        else:
            await self.run(self._conn.commit)
        if self._checkpoints is not None:
            self._checkpoints.committed()

    async def rollback(self) -> None:
        """Roll back (in WAL this only drops the transaction's pages: no I/O to wait for)."""
        self._conn.rollback()

    async def close(self) -> None:
        """Close the connection."""
        self.stop()

    def stop(self) -> None:
        """Close at once (SQLAlchemy's terminate)."""
        self._connection = None
        self._conn.close()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        """Register a SQL function."""
        self._conn.create_function(*args, **kwargs)

    @property
    def isolation_level(self) -> str | None:
        """The sqlite3 module's transaction handling (None: we issue BEGIN ourselves)."""
        return self._conn.isolation_level

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open."""
        return self._conn.in_transaction


class InlineCursor:
    """The part of aiosqlite's Cursor SQLAlchemy uses."""

    def __init__(self, connection: InlineConnection, cursor: sqlite3.Cursor) -> None:
        self._connection = connection
        self._cursor = cursor

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Self:
        """Run one statement."""
        await self._connection.run(self._cursor.execute, sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> Self:
        """Run one statement for each set of parameters."""
        await self._connection.run(self._cursor.executemany, sql, list(parameters))
        return self

    async def fetchone(self) -> Any:
        """The next row."""
        return await self._connection.run(self._cursor.fetchone)

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        """The next rows."""
        size = self._cursor.arraysize if size is None else size
        return await self._connection.run(self._cursor.fetchmany, size)  # type: ignore[no-any-return]

    async def fetchall(self) -> list[Any]:
        """The remaining rows."""
        return await self._connection.run(self._cursor.fetchall)  # type: ignore[no-any-return]

    async def close(self) -> None:
        """Close the cursor."""
        self._cursor.close()

    @property
    def description(self) -> Any:
        """Column descriptions of the last statement."""
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        """Rows changed by the last statement."""
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        """The last inserted row id."""
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        """Rows per fetchmany."""
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class _Module:
    """Stands where the aiosqlite module stands for SQLAlchemy's adapter."""

    __version__ = "inline"
    Connection = InlineConnection
    DatabaseError = sqlite3.DatabaseError
    Error = sqlite3.Error
    IntegrityError = sqlite3.IntegrityError
    NotSupportedError = sqlite3.NotSupportedError
    OperationalError = sqlite3.OperationalError
    ProgrammingError = sqlite3.ProgrammingError
    sqlite_version = sqlite3.sqlite_version
    sqlite_version_info = sqlite3.sqlite_version_info


class _AdaptedConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    @property
    def isolation_level(self) -> str | None:
        return cast(InlineConnection, self._connection).isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        # aiosqlite's setter goes through its queue; here the sqlite3 connection is at hand.
        connection = cast(InlineConnection, self._connection)._conn
        connection.isolation_level = value  # type: ignore[assignment]

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        await_(cast(InlineConnection, self._connection).create_function(*args, **kwargs))


class _DBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *args: Any, **kwargs: Any) -> _AdaptedConnection:
        kwargs.pop("async_creator_fn", None)
        kwargs["check_same_thread"] = False  # commits run on the writer thread
        busy_timeout = float(kwargs.pop("timeout", 5.0))
        # No busy handler in SQLite (timeout 0): waiting for another process's lock is done by
        # InlineConnection.run with asyncio.sleep, never by blocking the thread.
        connection = sqlite3.connect(*args, timeout=0, **kwargs)  # type: ignore[call-overload]
        inline = InlineConnection(connection, busy_timeout)
        return _AdaptedConnection(self, cast("AsyncIODBAPIConnection", inline))


class InlineSQLiteDialect(SQLiteDialect_aiosqlite):
    """SQLAlchemy's aiosqlite dialect with the inline driver in aiosqlite's place."""

    driver = DRIVER
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> AsyncAdapt_aiosqlite_dbapi:
        return _DBAPI(_Module, sqlite3)  # type: ignore[arg-type]


registry.register(f"sqlite.{DRIVER}", __name__, "InlineSQLiteDialect")
