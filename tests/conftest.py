"""Database fixtures: every test gets a freshly migrated database.

The database is chosen by BARBERPRO_TEST_DATABASE_URL (default: a SQLite file in a temporary
folder). With a PostgreSQL URL the server must answer: locally the tests skip when it does not,
under CI (CI=true) they fail.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from fastapi.dependencies import models as fastapi_models
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.log_setup import StderrHandler
from domain.storage.engine import is_sqlite, make_engine
from domain.storage.migrate import alembic_config
from domain.storage.tables import Base
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock

POSTGRES_DEFAULT = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
# A Tuesday morning in Buenos Aires, far from holidays: 2026-12-01 09:00 -03:00.
T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def configured_url() -> str | None:
    """The test database URL from the environment, None for the default SQLite file."""
    return os.environ.get("BARBERPRO_TEST_DATABASE_URL") or None


def on_ci() -> bool:
    """True under CI, where a missing PostgreSQL is a failure, not a skip."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _postgres_answers(url: str) -> bool:
    async def probe() -> None:
        engine = make_engine(url)
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        finally:
            await engine.dispose()

    try:
        asyncio.run(probe())
    except Exception:
        return False
    return True


def _reset_postgres(url: str) -> None:
    async def reset() -> None:
        engine = make_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("DROP SCHEMA public CASCADE"))
                await connection.execute(text("CREATE SCHEMA public"))
        finally:
            await engine.dispose()

    asyncio.run(reset())


def require_postgres(url: str) -> None:
    """Skip (locally) or fail (CI) when PostgreSQL does not answer."""
    if not _postgres_answers(url):
        message = f"PostgreSQL is not reachable at {url}"
        if on_ci():
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _logging_levels_as_they_were() -> Iterator[None]:
    """A command run in-process (typer's CliRunner) sets the process's logging up as every
    `barberpro` command does (apscheduler, httpx, ... at WARNING; our stderr handler on the
    root): undo it after the test, so what a later test's caplog sees does not depend on which
    tests ran before it in the same process (seen with pytest-xdist under load)."""
    loggers = logging.Logger.manager.loggerDict
    levels = {name: lg.level for name, lg in loggers.items() if isinstance(lg, logging.Logger)}
    yield
    for name, lg in list(loggers.items()):
        if isinstance(lg, logging.Logger):
            lg.setLevel(levels.get(name, logging.NOTSET))
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, StderrHandler)]:
        root.removeHandler(handler)


# FastAPI classifies every endpoint and dependency callable in module-level LRU caches (4,096
# entries each, fastapi/dependencies/models.py). An app's own closures (its /openapi.json
# route, our docs pages) land there and keep the whole app alive: a test process that builds
# an app per test grew to 3 GB, and Python's full garbage collections over that heap paused it
# for up to 10 s (a request of the schemathesis test timed out in one). One server builds one
# app, so only tests need this.
_FASTAPI_CALLABLE_CACHES = (
    "_is_gen_callable_cached",
    "_is_async_gen_callable_cached",
    "_is_coroutine_callable_cached",
)


@pytest.fixture(autouse=True)
def _apps_let_go() -> Iterator[None]:
    """Empty FastAPI's callable caches after each test, so the test's apps can be freed."""
    yield
    for name in _FASTAPI_CALLABLE_CACHES:
        cache = getattr(fastapi_models, name, None)
        if cache is not None:
            cache.cache_clear()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated to head once per session; returns its URL (a template on SQLite)."""
    url = configured_url()
    if url is None:
        template = tmp_path_factory.mktemp("db") / "template.db"
        url = f"sqlite+aiosqlite:///{template}"
    else:
        require_postgres(url)
        _reset_postgres(url)
    command.upgrade(alembic_config(url), "head")
    return url


@pytest.fixture
def database_url(migrated_database: str, tmp_path: Path) -> Iterator[str]:
    """A clean, migrated database for one test."""
    if is_sqlite(migrated_database):
        template = Path(migrated_database.split("///", 1)[1])
        copy = tmp_path / "test.db"
        shutil.copyfile(template, copy)
        yield f"sqlite+aiosqlite:///{copy}"
        return
    asyncio.run(_truncate_all(migrated_database))
    yield migrated_database


async def _truncate_all(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the test's database."""
    engine = make_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine) -> UnitOfWorkFactory:
    """Units of work on the test's database."""
    return UnitOfWorkFactory(engine)


@pytest.fixture
def clock() -> FixedClock:
    """A clock fixed at T0 (Tuesday 2026-12-01, 09:00 in Buenos Aires)."""
    return FixedClock(T0)


@pytest.fixture
def dialect(database_url: str) -> str:
    """'sqlite' or 'postgresql'."""
    return "sqlite" if is_sqlite(database_url) else "postgresql"
