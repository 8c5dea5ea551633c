"""The shop's own word for a day: closed on an ordinary day, open on a feriado, or back to the
calendar's rule. Closing cancels no turno: each change answers with the day's turnos to come
now outside hours, for the owner to decide."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select

from domain.errors import NotFound
from domain.model import Shop
from domain.schedule_fit import Turno
from domain.storage.outside_hours import turnos_outside_hours
from domain.storage.repositories import upsert
from domain.storage.tables import DayOverrideRow, ProfessionalRow
from domain.storage.uow import SqlAlchemyUnitOfWork, UnitOfWorkFactory


async def set_day(
    uow_factory: UnitOfWorkFactory, shop: Shop, day: date, is_open: bool, note: str, now: datetime
) -> list[Turno]:
    """The shop opens or closes on `day` whatever the calendar says; the turnos now left out."""
    async with uow_factory() as uow:
        await _lock_shop_professionals(uow, shop)
        old = await uow.session.scalar(
            select(DayOverrideRow).where(
                DayOverrideRow.shop_id == shop.id, DayOverrideRow.day == day
            )
        )
        before = None if old is None else {"is_open": old.is_open, "note": old.note}
        after = {"is_open": is_open, "note": note}
        uow.audit(shop.id, "day.set", f"day:{day.isoformat()}", before, after)
        statement = upsert(uow.session, DayOverrideRow).values(
            shop_id=shop.id, day=day, is_open=is_open, note=note
        )
        await uow.session.execute(
            statement.on_conflict_do_update(
                index_elements=["shop_id", "day"],
                set_={"is_open": statement.excluded.is_open, "note": statement.excluded.note},
            )
        )
        outside = await turnos_outside_hours(uow, shop, now, day=day)
        await uow.commit()
    return outside


async def clear_day(
    uow_factory: UnitOfWorkFactory, shop: Shop, day: date, now: datetime
) -> list[Turno]:
    """The day goes back to the calendar's rule (a feriado closes again); NotFound when the
    shop had said nothing about it. The turnos now left out."""
    async with uow_factory() as uow:
        await _lock_shop_professionals(uow, shop)
        deleted = await uow.session.execute(
            delete(DayOverrideRow).where(
                DayOverrideRow.shop_id == shop.id, DayOverrideRow.day == day
            )
        )
        if not getattr(deleted, "rowcount", 0):
            raise NotFound(f"{shop.slug} has nothing set for {day.isoformat()}")
        uow.audit(shop.id, "day.cleared", f"day:{day.isoformat()}", {"set": True}, {"set": False})
        outside = await turnos_outside_hours(uow, shop, now, day=day)
        await uow.commit()
    return outside


async def _lock_shop_professionals(uow: SqlAlchemyUnitOfWork, shop: Shop) -> None:
    """Bookings being made at the shop wait for a change of its days."""
    ids = await uow.session.scalars(
        select(ProfessionalRow.id).where(ProfessionalRow.shop_id == shop.id)
    )
    await uow.lock_professionals(list(ids))
