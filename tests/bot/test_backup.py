"""`barberpro db backup` and `db restore`, run for real as processes of their own: a backup taken
while the app books turnos holds every booking acknowledged before it began, consistent, and the
app starts on its restore. On the test's database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from alembic import command
from fastapi import FastAPI
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import Settings, get_settings
from domain.access import Scope
from domain.storage.engine import is_sqlite, make_engine
from domain.storage.migrate import alembic_config, head_revision
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, ShopFixture, build_shop, shop_key
from web.app import create_app

SLUG = "carga"
DAYS_AHEAD = 40
SLOTS_A_DAY = 18  # 09:00 to 18:00, every 30 minutes


@dataclass
class Load:
    """What the writers were told: the bookings acknowledged (201), in order."""

    acknowledged: list[int] = field(default_factory=list)
    refused: int = 0
    warmed_up: asyncio.Event = field(default_factory=asyncio.Event)
    stop: asyncio.Event = field(default_factory=asyncio.Event)


async def barberpro(url: str, *arguments: str) -> tuple[int, str]:
    """Run the `barberpro` command line as a process of its own on the database at `url`."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *arguments,
        env={**os.environ, "BARBERPRO_DATABASE_URL": url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()


@asynccontextmanager
async def running_app(
    url: str, clock: FixedClock
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The whole app (its loops included) on the database at `url`, and a client on it."""
    app = create_app(Settings(database_url=url, _env_file=None), clock)  # type: ignore[call-arg]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield app, client


async def book_continuously(
    web: httpx.AsyncClient, key: str, shop: ShopFixture, professional: int, load: Load
) -> None:
    """Book this professional's free slots one after another through the REST API until told
    to stop; every 201 is an acknowledged booking."""
    from tests.conftest import T0  # 09:00 in Buenos Aires: the first slot of each day

    index = shop.professionals.index(professional)
    for n in range(DAYS_AHEAD * SLOTS_A_DAY):
        if load.stop.is_set():
            return
        start = T0 + timedelta(days=1 + n // SLOTS_A_DAY, minutes=30 * (n % SLOTS_A_DAY))
        response = await web.post(
            f"/api/v1/shops/{SLUG}/bookings",
            headers={"Authorization": f"Bearer {key}"},
            json={
                "service_id": shop.services["Corte"],
                "professional_id": professional,
                "start": start.isoformat(),
                "customer": {"name": "Cliente", "phone": f"+54 9 11 5{index}{n:06d}"},
            },
        )
        if response.status_code == 201:
            load.acknowledged.append(response.json()["id"])
            if len(load.acknowledged) >= 20:
                load.warmed_up.set()
        else:  # Sundays and feriados are closed: the writer moves on
            load.refused += 1
    load.warmed_up.set()


@pytest.fixture
async def restore_url(database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database to restore into: a new file, or on PostgreSQL a database of
    this test's own (the test database's name + `_restore`), dropped at the end."""
    if is_sqlite(database_url):
        yield f"sqlite+aiosqlite:///{tmp_path / 'restored.db'}"
        return
    test_url = make_url(database_url)
    name = f"{test_url.database}_restore"
    server = make_engine(
        test_url.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    try:
        async with server.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield test_url.set(database=name).render_as_string(hide_password=False)
    finally:
        async with server.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await server.dispose()


async def test_a_backup_under_load_restores_every_acknowledged_booking(
    database_url: str,
    restore_url: str,
    uow_factory: UnitOfWorkFactory,
    engine: AsyncEngine,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    shop = await build_shop(uow_factory, slug=SLUG, professionals=4, max_days_ahead=60)
    key = await shop_key(engine, SLUG, clock.now(), Scope.BOOK)
    backup_file = tmp_path / "barberpro.backup"
    load = Load()
    async with running_app(database_url, clock) as (_, web):
        writers = [
            asyncio.create_task(book_continuously(web, key, shop, professional, load))
            for professional in shop.professionals
        ]
        await load.warmed_up.wait()
        acknowledged_before = list(load.acknowledged)  # all of these must be in the backup
        backed_up = await barberpro(database_url, "db", "backup", str(backup_file))
        during = len(load.acknowledged) - len(acknowledged_before)
        load.stop.set()
        await asyncio.gather(*writers)
    acknowledged = set(load.acknowledged)

    restored = await barberpro(restore_url, "db", "restore", str(backup_file))

    assert backed_up[0] == 0, backed_up[1]
    assert f"Backed up {'SQLite' if is_sqlite(database_url) else 'PostgreSQL'}" in backed_up[1]
    assert during > 0, "the app kept booking while the backup ran"
    assert restored[0] == 0, restored[1]
    assert f"Schema at the newest revision ({head_revision()})" in restored[1]
    kept = await consistent_bookings(restore_url)
    assert set(acknowledged_before) <= kept
    assert kept <= acknowledged  # nothing the app did not acknowledge
    async with running_app(restore_url, clock) as (_, restored_web):
        ready = await restored_web.get("/readyz")
    assert (ready.status_code, ready.json()["status"]) == (200, "ready")


async def consistent_bookings(url: str) -> set[int]:
    """The ids of the bookings in the database at `url`, after checking it is consistent:
    SQLite's integrity and foreign key checks, and on both every booking with its customer, its
    shop's record of the customer and the event written in its transaction."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            if is_sqlite(url):
                integrity = await connection.scalar(text("PRAGMA integrity_check"))
                orphans = (await connection.execute(text("PRAGMA foreign_key_check"))).all()
                assert (integrity, orphans) == ("ok", [])
            torn = await connection.scalar(
                text(
                    "SELECT count(*) FROM bookings b "
                    "LEFT JOIN customers c ON c.id = b.customer_id "
                    "LEFT JOIN shop_customers s "
                    "  ON s.customer_id = b.customer_id AND s.shop_id = b.shop_id "
                    "WHERE c.id IS NULL OR s.customer_id IS NULL OR NOT EXISTS "
                    "  (SELECT 1 FROM booking_events e WHERE e.booking_id = b.id)"
                )
            )
            assert torn == 0
            ids = (await connection.execute(text("SELECT id FROM bookings"))).scalars().all()
    finally:
        await engine.dispose()
    return set(ids)


async def test_restore_refuses_a_database_a_server_is_using(
    database_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock, tmp_path: Path
) -> None:
    await build_shop(uow_factory, slug="antes")
    backup_file = tmp_path / "antes.backup"
    assert (await barberpro(database_url, "db", "backup", str(backup_file)))[0] == 0
    await build_shop(uow_factory, slug="despues")

    async with running_app(database_url, clock) as (_, web):
        refused = await barberpro(database_url, "db", "restore", str(backup_file))
        still = await web.get("/readyz")

    assert refused[0] == 1
    assert "stop it first, or pass --yes" in refused[1]
    assert "Traceback" not in refused[1]
    assert still.status_code == 200
    async with uow_factory.read_only() as uow:
        slugs = {shop.slug for shop in await uow.catalog.list_shops()}
    assert slugs == {"antes", "despues"}  # untouched


async def test_restore_into_the_same_database_with_yes_brings_back_the_backup(
    database_url: str, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    await build_shop(uow_factory, slug="antes")
    backup_file = tmp_path / "antes.backup"
    assert (await barberpro(database_url, "db", "backup", str(backup_file)))[0] == 0
    await build_shop(uow_factory, slug="despues")

    restored = await barberpro(database_url, "db", "restore", "--yes", str(backup_file))

    assert restored[0] == 0, restored[1]
    async with uow_factory.read_only() as uow:
        slugs = {shop.slug for shop in await uow.catalog.list_shops()}
    assert slugs == {"antes"}


async def test_a_backup_of_an_older_schema_says_to_upgrade(tmp_path: Path) -> None:
    old = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await asyncio.to_thread(command.upgrade, alembic_config(old), "0011")
    backup_file = tmp_path / "old.backup"
    assert (await barberpro(old, "db", "backup", str(backup_file)))[0] == 0

    code, output = await barberpro(
        f"sqlite+aiosqlite:///{tmp_path / 'new.db'}", "db", "restore", str(backup_file)
    )

    assert code == 0, output
    assert "Schema at revision 0011" in output
    assert "run `barberpro db upgrade`" in output


@pytest.mark.parametrize(
    ("arguments", "url", "complaint"),
    [
        (["restore", "{tmp}/missing.backup"], None, "no backup at"),
        (["restore", "{tmp}/notes.txt"], None, "is not a BarberPro backup"),
        (["backup", "{tmp}/no/such/folder/x.backup"], None, "no folder"),
        (["backup", "{tmp}/x.backup"], "sqlite+aiosqlite:///{tmp}/absent.db", "no database at"),
        (["backup", "{tmp}/x.backup"], "postgresql+asyncpg://postgres@127.0.0.1:1/x", "pg_dump"),
        (
            ["restore", "{tmp}/sqlite.backup"],
            "postgresql+asyncpg://postgres@127.0.0.1:1/x",
            "is a SQLite backup",
        ),
        (
            ["restore", "{tmp}/sqlite.backup"],
            "sqlite+aiosqlite:///{tmp}/target.db",
            "is not a BarberPro backup",
        ),
    ],
)
def test_expected_failures_are_one_line_and_exit_1(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
    url: str | None,
    complaint: str,
) -> None:
    (tmp_path / "notes.txt").write_text("not a backup")
    with closing(sqlite3.connect(tmp_path / "sqlite.backup")) as sqlite_file:
        sqlite_file.execute("CREATE TABLE t (x)")  # a SQLite file, not one of ours
    monkeypatch.setenv("BARBERPRO_DATABASE_URL", (url or database_url).format(tmp=tmp_path))
    get_settings.cache_clear()

    result = CliRunner().invoke(app, ["db", *(a.format(tmp=tmp_path) for a in arguments)])

    get_settings.cache_clear()
    assert result.exit_code == 1, result.output
    assert complaint in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
