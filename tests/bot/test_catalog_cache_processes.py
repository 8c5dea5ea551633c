"""The chat's catalog copy across processes: a change made by another process (its own engine
on the same database) reaches this one's chat within CATALOG_TTL_SECONDS, never later."""

from __future__ import annotations

from sqlalchemy import update

from bot.catalog_cache import CATALOG_TTL_SECONDS, CatalogCache
from domain.storage.engine import make_engine
from domain.storage.tables import ServiceRow, ShopRow
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, build_shop


class Timer:
    """A monotonic timer the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_another_processs_change_reaches_the_chat_within_the_ttl(
    database_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    shop = await build_shop(uow_factory, slug="lo-de-tito")
    timer = Timer()
    cache = CatalogCache(uow_factory, timer=timer)
    before = await cache.get(shop.shop_id, clock.now())
    assert [s.name for s in before.services] == ["Corte"]

    other = make_engine(database_url)  # the other process: its own engine and connections
    try:
        async with UnitOfWorkFactory(other)() as uow:
            await uow.session.execute(
                update(ServiceRow).where(ServiceRow.shop_id == shop.shop_id).values(name="Fade")
            )
            await uow.session.execute(
                update(ShopRow).where(ShopRow.id == shop.shop_id).values(name="Lo de Tito")
            )
            await uow.commit()
    finally:
        await other.dispose()

    timer.now += CATALOG_TTL_SECONDS - 0.001  # still the copy: at most this stale
    stale = await cache.get(shop.shop_id, clock.now())
    assert ([s.name for s in stale.services], stale.shop.name) == (["Corte"], "Lo-De-Tito")

    timer.now += 0.001  # the copy's time is up: read again
    fresh = await cache.get(shop.shop_id, clock.now())
    assert ([s.name for s in fresh.services], fresh.shop.name) == (["Fade"], "Lo de Tito")
