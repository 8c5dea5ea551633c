"""Creating a shop and changing its profile and policies."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from domain.errors import NotFound
from domain.model import Shop
from domain.shops import NewShop, ShopExists
from domain.storage.repositories import shop_from_row
from domain.storage.tables import ShopRow
from domain.storage.uow import UnitOfWorkFactory
from domain.verticals import PRESETS

# The columns a profile change may touch (the API and the dashboard name them the same).
PROFILE_COLUMNS = frozenset(
    {
        "name",
        "address",
        "maps_url",
        "contact_phone",
        "timezone",
        "locale",
        "vertical",
        "min_notice_minutes",
        "max_days_ahead",
        "free_cancellation_hours",
        "hold_minutes",
        "slot_step_minutes",
        "open_on_holidays",
        "reminder_hours",
        "no_show_grace_minutes",
        "agenda_hour",
        "comeback_nudges",
    }
)


async def create_shop(uow_factory: UnitOfWorkFactory, new: NewShop, now: datetime) -> Shop:
    """An empty shop (no services, nobody working yet) with its vertical's policy.

    ShopExists when the slug is taken.
    """
    policy = asdict(PRESETS[new.vertical].policy)
    policy["reminder_hours"] = ",".join(str(h) for h in policy["reminder_hours"])
    row = ShopRow(
        slug=new.slug,
        name=" ".join(new.name.split()),
        vertical=new.vertical.value,
        timezone=new.timezone,
        currency="ARS",
        locale=new.locale,
        created_at=now,
        **policy,
    )
    async with uow_factory() as uow:
        if await uow.session.scalar(select(ShopRow.id).where(ShopRow.slug == new.slug)):
            raise ShopExists(f"there is already a shop called {new.slug!r}")
        uow.session.add(row)
        try:
            await uow.session.flush()
        except IntegrityError:  # another writer took the slug between the check and now
            raise ShopExists(f"there is already a shop called {new.slug!r}") from None
        after = {"slug": row.slug, "name": row.name, "vertical": row.vertical}
        uow.audit(row.id, "shop.created", f"shop:{row.id}", None, after)
        await uow.commit()
    return shop_from_row(row)


async def update_shop(
    uow_factory: UnitOfWorkFactory, shop_id: int, changes: dict[str, Any]
) -> Shop:
    """Apply profile and policy changes (column names as in PROFILE_COLUMNS); the shop after."""
    unknown = set(changes) - PROFILE_COLUMNS
    if unknown:
        raise ValueError(f"not profile columns: {sorted(unknown)}")
    async with uow_factory() as uow:
        old = await uow.session.get(ShopRow, shop_id)
        if old is not None:
            before = {name: getattr(old, name) for name in changes}
            uow.audit(shop_id, "shop.profile", f"shop:{shop_id}", before, changes)
        if changes:
            await uow.session.execute(
                update(ShopRow).where(ShopRow.id == shop_id).values(**changes)
            )
        row = await uow.session.scalar(select(ShopRow).where(ShopRow.id == shop_id))
        if row is None:
            raise NotFound("shop not found")
        shop = shop_from_row(row)
        await uow.commit()
    return shop
