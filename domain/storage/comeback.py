"""Storage for comeback nudges: the customers' visits, upcoming turnos and their answers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select, update

from domain.comeback import Visit
from domain.model import ACTIVE_STATUSES, BookingStatus
from domain.storage.channels import _insert_ignoring_duplicates
from domain.storage.tables import BookingRow, ComebackPreferenceRow, ShopRow
from domain.storage.uow import UnitOfWorkFactory


@dataclass(frozen=True)
class Preference:
    """A customer's answer (None: asked, not answered) and the visit they were last nudged after."""

    wants: bool | None
    nudged_after: int | None


async def visits(
    uow_factory: UnitOfWorkFactory, shop_id: int, since: datetime, now: datetime
) -> dict[int, list[Visit]]:
    """Each customer's visits to the shop since `since`, oldest first: turnos marked done, and
    confirmed ones that have ended (a shop that never marks them still has regulars)."""
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            select(
                BookingRow.customer_id,
                BookingRow.id,
                BookingRow.service_id,
                BookingRow.professional_id,
                BookingRow.starts_at,
            )
            .where(
                BookingRow.shop_id == shop_id,
                BookingRow.starts_at >= since,
                or_(
                    BookingRow.status == BookingStatus.COMPLETED.value,
                    and_(
                        BookingRow.status == BookingStatus.CONFIRMED.value,
                        BookingRow.ends_at <= now,
                    ),
                ),
            )
            .order_by(BookingRow.starts_at, BookingRow.id)
        )
        found: defaultdict[int, list[Visit]] = defaultdict(list)
        for customer_id, booking_id, service_id, professional_id, starts_at in rows:
            found[customer_id].append(Visit(booking_id, service_id, professional_id, starts_at))
    return dict(found)


async def with_upcoming(uow_factory: UnitOfWorkFactory, shop_id: int, now: datetime) -> set[int]:
    """Customers who already have a turno ahead at the shop (nobody nudges them)."""
    async with uow_factory.read_only() as uow:
        rows = await uow.session.scalars(
            select(BookingRow.customer_id)
            .where(
                BookingRow.shop_id == shop_id,
                BookingRow.starts_at > now,
                BookingRow.status.in_([s.value for s in ACTIVE_STATUSES]),
            )
            .distinct()
        )
        return set(rows)


async def preferences(uow_factory: UnitOfWorkFactory, shop_id: int) -> dict[int, Preference]:
    """Every answer at the shop, by customer."""
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            select(
                ComebackPreferenceRow.customer_id,
                ComebackPreferenceRow.wants,
                ComebackPreferenceRow.nudged_after,
            ).where(ComebackPreferenceRow.shop_id == shop_id)
        )
        return {row[0]: Preference(row[1], row[2]) for row in rows}


async def mark_asked(
    uow_factory: UnitOfWorkFactory, shop_id: int, customer_id: int, now: datetime
) -> None:
    """Note that the customer was asked (they are asked once, ever)."""
    values = {"shop_id": shop_id, "customer_id": customer_id, "asked_at": now}
    async with uow_factory() as uow:
        await uow.session.execute(
            _insert_ignoring_duplicates(uow.session, ComebackPreferenceRow, values)
        )
        await uow.commit()


async def answer(
    uow_factory: UnitOfWorkFactory, shop_id: int, customer_id: int, wants: bool, now: datetime
) -> None:
    """The customer's yes or no (also without having been asked: «no me avises más»)."""
    await mark_asked(uow_factory, shop_id, customer_id, now)
    async with uow_factory() as uow:
        await uow.session.execute(
            update(ComebackPreferenceRow)
            .where(
                ComebackPreferenceRow.shop_id == shop_id,
                ComebackPreferenceRow.customer_id == customer_id,
            )
            .values(wants=wants, answered_at=now)
        )
        await uow.commit()


async def mark_nudged(
    uow_factory: UnitOfWorkFactory, shop_id: int, customer_id: int, visit_id: int
) -> None:
    """The customer was nudged after this visit (not again until they come back)."""
    async with uow_factory() as uow:
        await uow.session.execute(
            update(ComebackPreferenceRow)
            .where(
                ComebackPreferenceRow.shop_id == shop_id,
                ComebackPreferenceRow.customer_id == customer_id,
            )
            .values(nudged_after=visit_id)
        )
        await uow.commit()


async def set_shop_nudges(uow_factory: UnitOfWorkFactory, shop_id: int, on: bool) -> None:
    """Turn the shop's comeback nudges on or off (audited when it changes)."""
    async with uow_factory() as uow:
        was = await uow.session.scalar(select(ShopRow.comeback_nudges).where(ShopRow.id == shop_id))
        if was is not None and was != on:
            before, after = {"comeback_nudges": was}, {"comeback_nudges": on}
            uow.audit(shop_id, "shop.comeback", f"shop:{shop_id}", before, after)
        await uow.session.execute(
            update(ShopRow).where(ShopRow.id == shop_id).values(comeback_nudges=on)
        )
        await uow.commit()
