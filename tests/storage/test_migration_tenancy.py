"""Migration 0010 on a database with data: each shop gets its own record of the people it knew,
and keys made before shops had keys become the operator's."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text

from domain.storage.engine import is_sqlite, make_engine
from domain.storage.migrate import alembic_config
from tests.conftest import _reset_postgres

BEFORE = "0009"
NOW = "2026-11-30 12:00:00"


@pytest.fixture
def old_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database migrated only to 0009 (on PostgreSQL: the test database, put back at
    head afterwards)."""
    if is_sqlite(database_url):
        yield f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
        return
    _reset_postgres(database_url)
    try:
        yield database_url
    finally:
        _reset_postgres(database_url)
        command.upgrade(alembic_config(database_url), "head")


async def _run(url: str, *statements: str) -> list[Any]:
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            results = [await connection.execute(text(s)) for s in statements]
            return [r.all() if r.returns_rows else None for r in results]
    finally:
        await engine.dispose()


def _shop(shop_id: int, slug: str) -> str:
    return (
        "INSERT INTO shops (id, slug, name, vertical, timezone, currency, locale, "
        "min_notice_minutes, max_days_ahead, slot_step_minutes, hold_minutes, "
        "free_cancellation_hours, open_on_holidays, created_at) VALUES "
        f"({shop_id}, '{slug}', '{slug}', 'barberia', 'America/Argentina/Buenos_Aires', 'ARS', "
        f"'es_AR', 0, 30, 15, 10, 24, false, '{NOW}')"
    )


def test_each_shop_keeps_the_name_it_knew_and_old_keys_become_platform_keys(
    old_database: str,
) -> None:
    config = alembic_config(old_database)
    command.upgrade(config, BEFORE)
    asyncio.run(
        _run(
            old_database,
            _shop(1, "a"),
            _shop(2, "b"),
            "INSERT INTO professionals (id, shop_id, name, active) VALUES (1, 1, 'P', true)",
            "INSERT INTO professionals (id, shop_id, name, active) VALUES (2, 2, 'Q', true)",
            "INSERT INTO services (id, shop_id, name, duration_minutes, price_cents, currency, "
            "buffer_before_minutes, buffer_after_minutes, seats, active) VALUES "
            "(1, 1, 'Corte', 30, 100, 'ARS', 0, 0, 1, true), "
            "(2, 2, 'Corte', 30, 100, 'ARS', 0, 0, 1, true)",
            "INSERT INTO customers (id, name, phone, created_at) VALUES "
            f"(1, 'Juan', '+5491158749895', '{NOW}'), (2, 'Ana', '+5491144445555', '{NOW}'), "
            f"(3, 'Nadie', '+5491133332222', '{NOW}')",
            # Juan booked in both shops; Ana only chatted with shop b.
            "INSERT INTO bookings (shop_id, service_id, professional_id, customer_id, starts_at, "
            "ends_at, block_start, block_end, session_key, seat_no, capacity, status, "
            "price_cents, currency, created_at, late_cancellation) VALUES "
            f"(1, 1, 1, 1, '{NOW}', '2026-11-30 12:30:00', '{NOW}', '2026-11-30 12:30:00', "
            f"'1:1:x', 1, 1, 'completed', 100, 'ARS', '{NOW}', false), "
            f"(2, 2, 2, 1, '{NOW}', '2026-11-30 12:30:00', '{NOW}', '2026-11-30 12:30:00', "
            f"'2:2:x', 1, 1, 'completed', 100, 'ARS', '{NOW}', false)",
            "INSERT INTO conversations (channel, chat_id, shop_id, customer_id, state, version, "
            f"updated_at) VALUES ('sandbox', 'ana', 2, 2, '{{}}', 1, '{NOW}')",
            "INSERT INTO api_keys (name, prefix, key_hash, created_at) VALUES "
            f"('ops', 'bp_1234567', 'hash', '{NOW}')",
        )
    )

    command.upgrade(config, "head")

    [known, keys, columns] = asyncio.run(
        _run(
            old_database,
            "SELECT shop_id, customer_id, name FROM shop_customers ORDER BY shop_id, customer_id",
            "SELECT name, scope, shop_id FROM api_keys",
            "SELECT * FROM customers WHERE id = 1",
        )
    )
    assert [tuple(row) for row in known] == [(1, 1, "Juan"), (2, 1, "Juan"), (2, 2, "Ana")]
    assert [tuple(row) for row in keys] == [("ops", "platform", None)]
    assert len(columns[0]) == 4  # id, phone, telegram_user_id, created_at: no global name
