"""The Alembic migrations build exactly the schema the table classes describe."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.storage.tables import Base


async def test_no_difference_between_migrations_and_tables(engine: AsyncEngine) -> None:
    """A table or column added to tables.py without a migration (or the reverse) fails here."""

    def differences(connection: Any) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        found = await connection.run_sync(differences)
    assert found == []
