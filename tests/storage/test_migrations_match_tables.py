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


def test_the_head_revision_read_from_the_scripts_is_alembics() -> None:
    """/readyz reads the head without importing Alembic; it must name the same revision."""
    from alembic.script import ScriptDirectory

    from domain.storage.migrate import alembic_config, head_revision

    assert (
        head_revision()
        == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    )
