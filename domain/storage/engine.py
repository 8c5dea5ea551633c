"""Async engines for SQLite (aiosqlite) and PostgreSQL (asyncpg), set up for safe booking.

SQLite: WAL so readers never block the writer; `synchronous=FULL` on purpose, because a booking
or a payment acknowledged to a customer must survive a power cut (WAL+NORMAL may lose the last
commits); busy timeout so writers queue instead of failing; foreign keys on; and every
transaction opened with BEGIN IMMEDIATE, so a check-then-insert holds the write lock from the
check on (the driver's default deferred BEGIN lets two bookers both see a free slot); and the
text folding search uses (folding.py), which SQLite lacks.
Read-only units of work (engine option READ_ONLY) open no transaction: each read is
its own snapshot.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from domain.storage.folding import SQLITE_FUNCTION, fold

BUSY_TIMEOUT_SECONDS = 30
READ_ONLY = "barberpro_read_only"


def is_sqlite(url: str) -> bool:
    """True for a SQLite URL."""
    return url.startswith("sqlite")


def make_engine(url: str, *, foreign_keys: bool = True, **kwargs: Any) -> AsyncEngine:
    """An engine for `url` with the pragmas and transaction mode bookings need.

    `foreign_keys=False` (SQLite, migrations only): a migration that rebuilds a table others
    refer to must run with foreign keys off, then check them itself.
    """
    if not is_sqlite(url):
        return create_async_engine(url, pool_pre_ping=True, **kwargs)
    engine = create_async_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS}, pool_size=10, max_overflow=40, **kwargs
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.close()
        dbapi_connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Pure reads (availability, listings) open no transaction at all: in WAL each
        # statement reads a committed snapshot without waiting, and the use cases that write
        # re-check everything inside their own BEGIN IMMEDIATE anyway.
        if not connection.get_execution_options().get(READ_ONLY, False):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def reader(engine: AsyncEngine) -> AsyncEngine:
    """The same engine for reads only: on SQLite its connections never take the write lock."""
    return engine.execution_options(**{READ_ONLY: True})
