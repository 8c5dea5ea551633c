"""REST API keys: random 256-bit tokens, stored only as their SHA-256.

A fast hash is right here (unlike passwords): the token is random and long, so there is nothing
to guess, and each request checks one in constant work.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from domain.access import ApiKey, Scope
from domain.audit import Acting
from domain.errors import InvalidRequest, NotFound
from domain.storage.audit import record
from domain.storage.engine import reader
from domain.storage.tables import ApiKeyRow

KEY_PREFIX = "bp_"
PREFIX_LENGTH = 10  # what lists show and `revoke` takes: "bp_" and 7 characters of the key
# "Last used" is for people (is this key still in use?): refreshing it at most once a minute
# keeps a write off almost every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedKey:
    """A new key: the secret (shown once, never stored) and what is stored of it."""

    secret: str
    key: ApiKey


def hash_key(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


async def create_api_key(
    engine: AsyncEngine,
    name: str,
    now: datetime,
    *,
    shop_id: int | None,
    scope: Scope,
    expires_at: datetime | None = None,
    acting: Acting | None = None,
) -> IssuedKey:
    """Make and store (hashed) a key of one shop with a scope, or (no shop) a platform key."""
    if (scope is Scope.PLATFORM) != (shop_id is None):
        raise InvalidRequest("a platform key belongs to no shop; every other key to one shop")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKeyRow(
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        key_hash=hash_key(secret),
        created_at=now,
        shop_id=shop_id,
        scope=scope.value,
        expires_at=expires_at,
    )
    async with async_sessionmaker(engine, expire_on_commit=False)() as session, session.begin():
        session.add(row)
        await session.flush()
        if acting is not None:
            after = {"name": name, "scope": scope.value, "prefix": row.prefix}
            record(session, acting, shop_id, "key.created", f"key:{row.id}", None, after)
    return IssuedKey(secret, _key(row))


async def authenticate(engine: AsyncEngine, secret: str, now: datetime) -> ApiKey | None:
    """The live key with this secret, or None; notes when it was used (once a minute at most)."""
    async with reader(engine).connect() as connection:
        row = (
            await connection.execute(
                select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_key(secret))
            )
        ).first()
    if row is None:
        return None
    key = _key(row)
    if not key.live(now):
        return None
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        async with engine.begin() as connection:
            await connection.execute(
                update(ApiKeyRow).where(ApiKeyRow.id == key.id).values(last_used_at=now)
            )
    return key


async def list_api_keys(engine: AsyncEngine, shop_id: int | None = None) -> list[ApiKey]:
    """Keys, oldest first: one shop's, or (None) every key of the deployment."""
    query = select(ApiKeyRow).order_by(ApiKeyRow.id)
    if shop_id is not None:
        query = query.where(ApiKeyRow.shop_id == shop_id)
    async with reader(engine).connect() as connection:
        return [_key(row) for row in await connection.execute(query)]


async def revoke_api_key(
    engine: AsyncEngine,
    prefix: str,
    now: datetime,
    *,
    shop_id: int | None = None,
    acting: Acting | None = None,
) -> ApiKey:
    """Revoke the key whose prefix (or whole secret) this is; within one shop when given.

    NotFound when no live key has it, InvalidRequest when several do (say more of it).
    """
    prefix = prefix.strip()[:PREFIX_LENGTH]
    query = select(ApiKeyRow).where(ApiKeyRow.prefix == prefix, ApiKeyRow.revoked_at.is_(None))
    if shop_id is not None:
        query = query.where(ApiKeyRow.shop_id == shop_id)
    async with async_sessionmaker(engine, expire_on_commit=False)() as session, session.begin():
        rows = (await session.scalars(query)).all()
        if not rows:
            raise NotFound(f"no live key starts with {prefix!r}")
        if len(rows) > 1:
            raise InvalidRequest(f"several keys start with {prefix!r}: give the whole key")
        rows[0].revoked_at = now
        if acting is not None:
            key = rows[0]
            subject = f"key:{key.id}"
            after = {"name": key.name, "revoked_at": now}
            record(
                session, acting, key.shop_id, "key.revoked", subject, {"revoked_at": None}, after
            )
    return _key(rows[0])


async def revoke_api_keys(engine: AsyncEngine, name: str, shop_id: int, now: datetime) -> None:
    """Revoke a shop's live keys with this name (the demo replaces its key on each start)."""
    async with async_sessionmaker(engine)() as session, session.begin():
        await session.execute(
            update(ApiKeyRow)
            .where(
                ApiKeyRow.name == name,
                ApiKeyRow.shop_id == shop_id,
                ApiKeyRow.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )


def _key(row: Any) -> ApiKey:
    """The stored key (an ORM row or a plain result row)."""
    return ApiKey(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        shop_id=row.shop_id,
        scope=Scope(row.scope),
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )
