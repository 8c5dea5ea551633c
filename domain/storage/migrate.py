"""Alembic from code: upgrade to head, and tell whether a database is at head.

Alembic itself is imported only to migrate (`barberpro db upgrade`, `serve --demo`): a server
that only needs to say which revision it runs (`/readyz`) reads the revisions from the scripts
and from the `alembic_version` table, and saves the ~9 MB Alembic costs every process.
"""

from __future__ import annotations

import ast
import asyncio
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.storage.engine import reader

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at our migrations and the given database."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@cache
def head_revision() -> str | None:
    """The newest migration shipped with this code: the one no other migration follows."""
    revisions: dict[str, object] = {}
    for script in (MIGRATIONS / "versions").glob("*.py"):
        values = _assignments(script)
        if isinstance(values.get("revision"), str):
            revisions[str(values["revision"])] = values.get("down_revision")
    followed = set(revisions.values())
    heads = sorted(r for r in revisions if r not in followed)
    return heads[-1] if heads else None


def _assignments(script: Path) -> dict[str, object]:
    """The literal values a migration script assigns to its revision names at module level."""
    found: dict[str, object] = {}
    for node in ast.parse(script.read_text()).body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
            found[target.id] = ast.literal_eval(value)
    return found


async def upgrade(url: str) -> None:
    """Bring the database to the newest schema (Alembic runs its own event loop: use a thread)."""
    from alembic import command

    await asyncio.to_thread(command.upgrade, alembic_config(url), "head")


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    async with reader(engine).connect() as connection:
        try:
            found = await connection.scalar(text("SELECT version_num FROM alembic_version"))
            return None if found is None else str(found)
        except DBAPIError:  # no such table: never migrated
            return None


@cache
def known_revisions() -> frozenset[str]:
    """Every revision this code ships (a backup at another one comes from newer code)."""
    found = (
        _assignments(script).get("revision") for script in (MIGRATIONS / "versions").glob("*.py")
    )
    return frozenset(r for r in found if isinstance(r, str))
