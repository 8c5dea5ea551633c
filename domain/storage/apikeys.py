"""REST API keys: random 256-bit tokens, stored only as their SHA-256.

A fast hash is right here (unlike passwords): the token is random and long, so there is nothing
to guess, and each request checks one in constant work.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from domain.storage.engine import reader
from domain.storage.tables import ApiKeyRow

KEY_PREFIX = "bp_"


def hash_key(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


async def create_api_key(engine: AsyncEngine, name: str, now: datetime) -> str:
    """Make, store (hashed) and return a new key; it is shown once and never again."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    async with async_sessionmaker(engine)() as session, session.begin():
        session.add(ApiKeyRow(name=name, prefix=key[:10], key_hash=hash_key(key), created_at=now))
    return key


async def api_key_name(engine: AsyncEngine, key: str) -> str | None:
    """The name of a valid, unrevoked key, or None (a read: it never takes the write lock)."""
    async with reader(engine).connect() as connection:
        return await connection.scalar(
            select(ApiKeyRow.name).where(
                ApiKeyRow.key_hash == hash_key(key), ApiKeyRow.revoked_at.is_(None)
            )
        )


async def revoke_api_keys(engine: AsyncEngine, name: str, now: datetime) -> None:
    """Revoke every live key with this name (the demo replaces its key on each start)."""
    async with async_sessionmaker(engine)() as session, session.begin():
        await session.execute(
            update(ApiKeyRow)
            .where(ApiKeyRow.name == name, ApiKeyRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )
