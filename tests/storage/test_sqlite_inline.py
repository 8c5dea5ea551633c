"""The inline SQLite driver: statements on the loop's thread, waits and long reads off it.

Which thread ran a statement is read from SQLite itself: a SQL function registered on the
connection runs in the thread that executes the statement calling it.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.storage import sqlite_inline
from domain.storage.uow import UnitOfWorkFactory


@pytest.fixture(autouse=True)
def sqlite_only(dialect: str) -> None:
    if dialect != "sqlite":
        pytest.skip("the inline driver is SQLite's")


@pytest.fixture
def threads(engine: AsyncEngine) -> AsyncEngine:
    """The engine, with `thread_name()` in SQL: the thread running the statement."""

    @event.listens_for(engine.sync_engine, "connect")
    def _register(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.create_function(  # type: ignore[attr-defined]
            "thread_name", 0, lambda: threading.current_thread().name
        )

    return engine


async def thread_of(uow_factory: UnitOfWorkFactory, kind: str) -> str:
    """The thread that ran a statement in a unit of work of that kind."""
    units = {"writer": uow_factory, "light": uow_factory.light}
    units |= {"read_only": uow_factory.read_only, "report": uow_factory.report}
    async with units[kind]() as uow:
        name = await uow.session.scalar(text("SELECT thread_name()"))
    return str(name)


@pytest.mark.parametrize("kind", ["writer", "light", "read_only"])
async def test_statements_run_on_the_event_loops_thread(threads: AsyncEngine, kind: str) -> None:
    assert await thread_of(UnitOfWorkFactory(threads), kind) == threading.current_thread().name


async def test_a_reports_statements_run_on_a_reader_thread(threads: AsyncEngine) -> None:
    uow_factory = UnitOfWorkFactory(threads)
    assert (await thread_of(uow_factory, "report")).startswith("sqlite-reader")
    # The connection goes back to the pool and serves the next unit of work inline again.
    assert await thread_of(uow_factory, "read_only") == threading.current_thread().name


async def test_a_writer_waits_for_another_process_without_blocking_the_loop(
    uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    """Another connection (another process, say) holds the write lock: a unit of work that
    writes waits for it, and the loop keeps running other tasks meanwhile."""
    other = sqlite3.connect(database_url.split("///", 1)[1], isolation_level=None)
    other.execute("CREATE TABLE waits (x TEXT)")
    other.execute("BEGIN IMMEDIATE")
    ticks = 0
    released, ticked = asyncio.Event(), asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not released.is_set():
            ticks += 1
            if ticks == 50:
                ticked.set()
            await asyncio.sleep(0)

    async def write() -> None:
        async with uow_factory() as uow:
            await uow.session.execute(text("INSERT INTO waits VALUES ('written')"))
            await uow.commit()

    ticking = asyncio.create_task(ticker())
    writing = asyncio.create_task(write())
    await ticked.wait()  # the loop runs while the writer waits for the lock
    assert not writing.done()
    other.execute("COMMIT")
    await writing
    released.set()
    await ticking
    other.close()
    assert ticks >= 50
    async with uow_factory.read_only() as uow:
        assert await uow.session.scalar(text("SELECT x FROM waits")) == "written"


async def test_the_wal_is_checkpointed_on_the_writer_thread_every_so_many_commits(
    uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    """SQLite's own checkpoints are off (they would run inside some chat's commit); ours copy
    the WAL into the database file every CHECKPOINT_EVERY commits, on the writer thread."""
    path = Path(database_url.split("///", 1)[1])
    async with uow_factory() as uow:
        await uow.session.execute(text("CREATE TABLE notes (body TEXT)"))
        await uow.commit()
    await writer_idle()
    before = size(path)
    for n in range(sqlite_inline.CHECKPOINT_EVERY):
        async with uow_factory.light() as uow:
            await uow.session.execute(text("INSERT INTO notes VALUES (:b)"), {"b": f"{n}" * 2000})
            await uow.commit()
        if n == sqlite_inline.CHECKPOINT_EVERY // 2:
            await writer_idle()
            assert size(path) == before  # all of it still in the WAL
    await writer_idle()
    assert size(path) > before + 100 * 2000  # copied into the database file


async def writer_idle() -> None:
    """Wait until the writer thread has done everything handed to it so far (it runs in order)."""
    await asyncio.get_running_loop().run_in_executor(sqlite_inline._writer, lambda: None)


def size(path: Path) -> int:
    """The database file's size in bytes (the WAL not included)."""
    return path.stat().st_size
