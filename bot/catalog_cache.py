"""A short-lived in-process copy of each shop's catalog, so a chat turn does not re-read it.

The catalog (the shop, its services and professionals, its opening hours) changes a few times a
month and every chat turn needs all of it: reading it each time was half the cost of a turn.
Copies live `CATALOG_TTL_SECONDS`, so a change made elsewhere (another process, the CLI, a
dashboard) reaches the chat within that time; availability and bookings never come from here,
they are always read fresh by the use cases.
"""

from __future__ import annotations

import time as monotonic_clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.demo import DEMO_SLUG
from domain.model import DayOverride, Professional, ProfessionalSchedule, Service, Shop
from domain.storage.uow import UnitOfWorkFactory

CATALOG_TTL_SECONDS = 30.0


class NoShop(Exception):
    """The deployment has no shop to talk about yet."""


@dataclass(frozen=True)
class ShopCatalog:
    """What a chat turn knows about the shop."""

    shop: Shop
    services: tuple[Service, ...]
    professionals: tuple[Professional, ...]
    opens: time  # earliest start of any professional's weekly hours (reads "a las 5" as 17:00)
    closes: time
    # Weekly hours with the time off ahead, and the shop's own open or closed days ahead: the
    # chat answers "¿abren el sábado?" and "¿cuándo trabaja Tincho?" from them.
    schedules: tuple[ProfessionalSchedule, ...] = ()
    day_overrides: tuple[DayOverride, ...] = ()


class CatalogCache:
    """Shop catalogs by id, each read at most once per `ttl` seconds."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        ttl: float = CATALOG_TTL_SECONDS,
        timer: Callable[[], float] = monotonic_clock.monotonic,
    ) -> None:
        self.uow_factory = uow_factory
        self.ttl = ttl
        self._timer = timer  # a monotonic timer, not the shop clock: this is about freshness
        self._catalogs: dict[int, tuple[float, ShopCatalog]] = {}
        self._default: tuple[float, int] | None = None

    async def default_shop_id(self) -> int:
        """The shop a chat talks to when nothing chose one: the only shop, else the demo shop,
        else the first one set up."""
        if self._default is not None and self._fresh(self._default[0]):
            return self._default[1]
        async with self.uow_factory.read_only() as uow:
            shops = await uow.catalog.list_shops()
        if not shops:
            raise NoShop("no shop is set up yet")
        demo = [s for s in shops if s.slug == DEMO_SLUG]
        chosen = demo[0] if demo else min(shops, key=lambda s: s.id)
        self._default = (self._timer(), chosen.id)
        return chosen.id

    async def get(self, shop_id: int, now: datetime) -> ShopCatalog:
        """The catalog of `shop_id`, from the copy when it is fresh enough."""
        cached = self._catalogs.get(shop_id)
        if cached is not None and self._fresh(cached[0]):
            return cached[1]
        catalog = await self._read(shop_id, now)
        self._catalogs[shop_id] = (self._timer(), catalog)
        return catalog

    def invalidate(self) -> None:
        """Forget every copy (after a change made in this process)."""
        self._catalogs.clear()
        self._default = None

    def _fresh(self, read_at: float) -> bool:
        return self._timer() - read_at < self.ttl

    async def _read(self, shop_id: int, now: datetime) -> ShopCatalog:
        async with self.uow_factory.read_only() as uow:
            shop = await uow.catalog.shop(shop_id)
            if shop is None:
                raise NoShop(f"shop {shop_id} is gone")
            services = await uow.catalog.services(shop.id)
            professionals = await uow.catalog.professionals(shop.id)
            ahead = timedelta(days=shop.policy.max_days_ahead + 1)
            ids = [p.id for p in professionals]
            schedules = await uow.catalog.schedules(ids, now, now + ahead)
            today = now.astimezone(ZoneInfo(shop.timezone)).date()
            overrides = await uow.catalog.day_overrides(shop.id, today, today + ahead)
        hours = [h for s in schedules for h in s.hours]
        return ShopCatalog(
            shop=shop,
            services=tuple(services),
            professionals=tuple(professionals),
            opens=min((h.start for h in hours), default=time(9)),
            closes=max((h.end for h in hours), default=time(20)),
            schedules=tuple(schedules),
            day_overrides=tuple(overrides),
        )
