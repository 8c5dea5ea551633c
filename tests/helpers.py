"""Test helpers: a settable clock and quick builders for shops, professionals and services."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain import booking as use_cases
from domain.access import Scope
from domain.booking import BookingRequest
from domain.model import DEFAULT_TIMEZONE, Booking
from domain.storage.apikeys import create_api_key
from domain.storage.engine import make_engine
from domain.storage.tables import (
    ProfessionalRow,
    ServiceProfessionalRow,
    ServiceRow,
    ShopRow,
    WorkingPeriodRow,
)
from domain.storage.uow import UnitOfWorkFactory


class FixedClock:
    """A clock that says what the test tells it to."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


async def shop_key(
    engine: AsyncEngine,
    slug: str,
    now: datetime,
    scope: Scope = Scope.ADMIN,
    name: str = "tests",
) -> str:
    """A new API key of the shop called `slug`, with `scope`."""
    async with engine.connect() as connection:
        shop_id = await connection.scalar(select(ShopRow.id).where(ShopRow.slug == slug))
    assert shop_id is not None, f"no shop {slug}"
    issued = await create_api_key(engine, name, now, shop_id=shop_id, scope=scope)
    return issued.secret


async def platform_key(engine: AsyncEngine, now: datetime, name: str = "operator") -> str:
    """A new platform (operator) key: it acts on every shop."""
    issued = await create_api_key(engine, name, now, shop_id=None, scope=Scope.PLATFORM)
    return issued.secret


@dataclass
class ShopFixture:
    """Ids of what `build_shop` created."""

    shop_id: int
    slug: str
    professionals: list[int] = field(default_factory=list)
    services: dict[str, int] = field(default_factory=dict)


async def build_shop(
    uow_factory: UnitOfWorkFactory,
    *,
    slug: str = "test-shop",
    timezone: str = DEFAULT_TIMEZONE,
    professionals: int = 1,
    hours: tuple[time, time] = (time(9), time(18)),
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5),
    services: tuple[tuple[str, int, int, int], ...] = (("Corte", 30, 12000, 1),),
    min_notice_minutes: int = 0,
    max_days_ahead: int = 60,
    slot_step_minutes: int = 30,
    hold_minutes: int = 10,
    free_cancellation_hours: int = 24,
) -> ShopFixture:
    """A shop whose professionals all work `hours` on `weekdays` and offer every service.

    `services` are (name, minutes, pesos, seats).
    """
    async with uow_factory() as uow:
        session = uow.session
        shop = ShopRow(
            slug=slug,
            name=slug.title(),
            vertical="barberia",
            timezone=timezone,
            currency="ARS",
            locale="es_AR",
            min_notice_minutes=min_notice_minutes,
            max_days_ahead=max_days_ahead,
            slot_step_minutes=slot_step_minutes,
            hold_minutes=hold_minutes,
            free_cancellation_hours=free_cancellation_hours,
            open_on_holidays=False,
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        session.add(shop)
        await session.flush()
        result = ShopFixture(shop.id, slug)
        for n in range(professionals):
            pro = ProfessionalRow(
                shop_id=shop.id, name=f"Barbero {n + 1}", nickname=None, active=True
            )
            session.add(pro)
            await session.flush()
            result.professionals.append(pro.id)
            for day in weekdays:
                session.add(
                    WorkingPeriodRow(
                        professional_id=pro.id,
                        kind="work",
                        weekday=day,
                        starts=hours[0],
                        ends=hours[1],
                    )
                )
        for name, minutes, pesos, seats in services:
            service = ServiceRow(
                shop_id=shop.id,
                name=name,
                duration_minutes=minutes,
                price_cents=pesos * 100,
                currency="ARS",
                buffer_before_minutes=0,
                buffer_after_minutes=0,
                seats=seats,
                active=True,
            )
            session.add(service)
            await session.flush()
            result.services[name] = service.id
            for pro_id in result.professionals:
                session.add(ServiceProfessionalRow(service_id=service.id, professional_id=pro_id))
        await uow.commit()
    return result


async def book_from_separate_engines(
    database_url: str, clock: FixedClock, requests: Sequence[BookingRequest], engines: int
) -> list[Booking | BaseException]:
    """Fire every request at once, spread over `engines` engines as separate processes would."""
    made = [make_engine(database_url) for _ in range(engines)]
    factories = [UnitOfWorkFactory(e) for e in made]
    try:
        return await asyncio.gather(
            *(
                use_cases.book(factories[n % engines], clock, request)
                for n, request in enumerate(requests)
            ),
            return_exceptions=True,
        )
    finally:
        for engine in made:
            await engine.dispose()
