"""Async engines for SQLite (aiosqlite) and PostgreSQL (asyncpg), set up for safe booking.

SQLite: WAL so readers never block the writer; `synchronous=FULL` on purpose, because a booking
or a payment acknowledged to a customer must survive a power cut (WAL+NORMAL may lose the last
commits); busy timeout so writers queue instead of failing; foreign keys on; and every
transaction opened with BEGIN IMMEDIATE, so a check-then-insert holds the write lock from the
check on (the driver's default deferred BEGIN lets two bookers both see a free slot); and the
text folding search uses (folding.py), which SQLite lacks.
Read-only units of work (engine option READ_ONLY) open no transaction: each read is
its own snapshot. Light units of work (engine option LIGHT: a chat turn's state and replies)
commit with `synchronous=NORMAL`: in WAL that survives a crash of the process but may lose the
last commits on a power cut, which for those writes means a chat one step back, never a booking
or a payment lost (those are durable commits of their own).
`sqlite+aiosqlite` URLs run on the inline driver (sqlite_inline.py): statements on the event
loop's thread, durable commits on one writer thread.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import event, make_url
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from domain.storage import sqlite_inline
from domain.storage.folding import SQLITE_FUNCTION, fold

BUSY_TIMEOUT_SECONDS = 30
READ_ONLY = "barberpro_read_only"
LIGHT = "barberpro_light"
OFFLOAD = "barberpro_offload"
_SYNCHRONOUS = "barberpro_synchronous"  # the connection's current setting, in its info


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
    parsed = make_url(url)
    if parsed.get_driver_name() == "aiosqlite":
        parsed = parsed.set(drivername=f"sqlite+{sqlite_inline.DRIVER}")
    engine = create_async_engine(
        parsed,
        connect_args={"timeout": BUSY_TIMEOUT_SECONDS},
        pool_size=10,
        max_overflow=40,
        **kwargs,
    )
    inline = engine.dialect.driver == sqlite_inline.DRIVER

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        record.info[_SYNCHRONOUS] = "FULL"
        # The inline driver waits for other processes' locks itself, without blocking the loop.
        busy_ms = 0 if inline else BUSY_TIMEOUT_SECONDS * 1000
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.close()
        dbapi_connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Pure reads (availability, listings) open no transaction at all: in WAL each
        # statement reads a committed snapshot without waiting, and the use cases that write
        # re-check everything inside their own BEGIN IMMEDIATE anyway.
        options = connection.get_execution_options()
        driver = connection.connection.driver_connection
        if inline:
            cast(sqlite_inline.InlineConnection, driver).offload = options.get(OFFLOAD, False)
        if options.get(READ_ONLY, False):
            return
        # The setting can only change outside a transaction, so it is chosen here, per unit
        # of work; the connection remembers its current one to skip the PRAGMA when equal.
        synchronous = "NORMAL" if options.get(LIGHT, False) else "FULL"
        if connection.info.get(_SYNCHRONOUS) != synchronous:
            connection.exec_driver_sql(f"PRAGMA synchronous={synchronous}")
            connection.info[_SYNCHRONOUS] = synchronous
        if inline:  # the driver commits a durable transaction off the loop, a light one on it
            cast(sqlite_inline.InlineConnection, driver).durable = synchronous == "FULL"
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def reader(engine: AsyncEngine) -> AsyncEngine:
    """The same engine for reads only: on SQLite its connections never take the write lock."""
    return engine.execution_options(**{READ_ONLY: True})


def report_reader(engine: AsyncEngine) -> AsyncEngine:
    """The same engine for long reads: on SQLite they run off the event loop's thread."""
    return engine.execution_options(**{READ_ONLY: True, OFFLOAD: True})


def light_writer(engine: AsyncEngine) -> AsyncEngine:
    """The same engine for light writes: on SQLite they commit without waiting for an fsync."""
    return engine.execution_options(**{LIGHT: True})
