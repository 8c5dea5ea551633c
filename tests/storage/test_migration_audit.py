"""Migrations 0013 and 0014 go up and down: the audit_log table, and the triggers that keep
it append-only, come and go with it; 0014 lets BarberPro itself (`system`) write rows, and
once it has, refuses to go back."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import inspect, text

from domain.storage.engine import is_sqlite, make_engine
from domain.storage.migrate import alembic_config
from tests.conftest import _reset_postgres


@pytest.fixture
def scratch_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database of its own (on PostgreSQL: the test database, put back at head)."""
    if is_sqlite(database_url):
        yield f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('audit') / 'scratch.db'}"
        return
    _reset_postgres(database_url)
    try:
        yield database_url
    finally:
        _reset_postgres(database_url)
        command.upgrade(alembic_config(database_url), "head")


async def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


def test_0013_adds_the_audit_log_and_takes_it_away_again(scratch_database: str) -> None:
    config = alembic_config(scratch_database)

    command.upgrade(config, "0013")
    assert "audit_log" in asyncio.run(_tables(scratch_database))

    command.downgrade(config, "0012")
    assert "audit_log" not in asyncio.run(_tables(scratch_database))

    command.upgrade(config, "head")  # and again: the downgrade left nothing behind
    assert "audit_log" in asyncio.run(_tables(scratch_database))


async def _writes(url: str, statement: str) -> bool:
    """Whether the database takes the statement (False: it refused it)."""
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(statement))
        return True
    except Exception:  # which refusal (trigger, CHECK) does not matter, only that it refused
        return False
    finally:
        await engine.dispose()


BY_SYSTEM = (
    "INSERT INTO audit_log (at, actor, source, action, subject) "
    "VALUES ('2026-12-01 12:00:00+00:00', 'system:refunds', 'system', 'payment.refunded', 'p')"
)


def test_0014_takes_rows_by_system_keeps_the_trail_append_only_and_will_not_go_back(
    scratch_database: str,
) -> None:
    config = alembic_config(scratch_database)
    command.upgrade(config, "0014")
    command.downgrade(config, "0013")  # nothing by `system` yet: it may go back
    assert not asyncio.run(_writes(scratch_database, BY_SYSTEM))

    command.upgrade(config, "0014")
    assert asyncio.run(_writes(scratch_database, BY_SYSTEM))
    assert not asyncio.run(_writes(scratch_database, "UPDATE audit_log SET actor = 'nadie'"))
    assert not asyncio.run(_writes(scratch_database, "DELETE FROM audit_log"))
    with pytest.raises(RuntimeError, match="rows by `system`"):
        command.downgrade(config, "0013")
