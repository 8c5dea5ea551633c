"""Storage for waitlist offers: who waits for a freed slot, and what each was offered.

An offer row is claimed (inserted) before its slot is held, and the row is unique per entry
and slot, so nobody is offered the same slot twice, even when an offer job runs twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import and_, exists, select, update

from domain.storage.channels import _insert_ignoring_duplicates
from domain.storage.tables import BookingRow, WaitlistEntryRow, WaitlistOfferRow
from domain.storage.uow import UnitOfWorkFactory

OFFERED = "offered"


@dataclass(frozen=True)
class WaitingEntry:
    """A waitlist entry that wants a freed slot."""

    id: int
    customer_id: int


@dataclass(frozen=True)
class Offer:
    """One slot offered to one entry."""

    id: int
    entry_id: int
    booking_id: int | None
    status: str


async def waiting_for(
    uow_factory: UnitOfWorkFactory,
    shop_id: int,
    service_id: int,
    professional_id: int,
    starts_at: datetime,
    local_day: date,
    local_time: time,
) -> list[WaitingEntry]:
    """Entries whose wish matches the slot and that were never offered it, first come first."""
    already = exists().where(
        WaitlistOfferRow.entry_id == WaitlistEntryRow.id,
        WaitlistOfferRow.professional_id == professional_id,
        WaitlistOfferRow.starts_at == starts_at,
    )
    async with uow_factory.read_only() as uow:
        rows = (
            await uow.session.execute(
                select(
                    WaitlistEntryRow.id,
                    WaitlistEntryRow.customer_id,
                    WaitlistEntryRow.window_start,
                    WaitlistEntryRow.window_end,
                )
                .where(
                    WaitlistEntryRow.shop_id == shop_id,
                    WaitlistEntryRow.service_id == service_id,
                    WaitlistEntryRow.left_at.is_(None),
                    WaitlistEntryRow.first_day <= local_day,
                    WaitlistEntryRow.last_day >= local_day,
                    WaitlistEntryRow.professional_id.is_(None)
                    | (WaitlistEntryRow.professional_id == professional_id),
                    ~already,
                )
                .order_by(WaitlistEntryRow.created_at, WaitlistEntryRow.id)
            )
        ).all()
    return [
        WaitingEntry(row[0], row[1])
        for row in rows
        if row[2] is None or row[3] is None or row[2] <= local_time < row[3]
    ]


async def offer_pending(uow_factory: UnitOfWorkFactory, professional_id: int, at: datetime) -> bool:
    """Someone holds this slot from the waitlist right now (one offer per slot at a time)."""
    async with uow_factory.read_only() as uow:
        found = await uow.session.scalar(
            select(WaitlistOfferRow.id)
            .join(BookingRow, BookingRow.id == WaitlistOfferRow.booking_id)
            .where(
                WaitlistOfferRow.professional_id == professional_id,
                WaitlistOfferRow.starts_at == at,
                WaitlistOfferRow.status == OFFERED,
                BookingRow.status == "held",
            )
            .limit(1)
        )
    return found is not None


async def claim_offer(
    uow_factory: UnitOfWorkFactory,
    shop_id: int,
    entry_id: int,
    professional_id: int,
    starts_at: datetime,
    now: datetime,
) -> int | None:
    """Record that the slot goes to this entry; None when it was offered to them already."""
    values = {
        "shop_id": shop_id,
        "entry_id": entry_id,
        "professional_id": professional_id,
        "starts_at": starts_at,
        "status": OFFERED,
        "offered_at": now,
    }
    async with uow_factory() as uow:
        statement = _insert_ignoring_duplicates(uow.session, WaitlistOfferRow, values)
        new_id: int | None = (
            await uow.session.execute(statement.returning(WaitlistOfferRow.id))
        ).scalar_one_or_none()
        await uow.commit()
    return new_id


async def attach_booking(uow_factory: UnitOfWorkFactory, offer_id: int, booking_id: int) -> None:
    """The held booking that keeps the offered slot for the entry."""
    async with uow_factory() as uow:
        await uow.session.execute(
            update(WaitlistOfferRow)
            .where(WaitlistOfferRow.id == offer_id)
            .values(booking_id=booking_id)
        )
        await uow.commit()


async def offer_of(uow_factory: UnitOfWorkFactory, booking_id: int) -> Offer | None:
    """The offer a held booking was made for, if any."""
    async with uow_factory.read_only() as uow:
        row = (
            await uow.session.execute(
                select(
                    WaitlistOfferRow.id,
                    WaitlistOfferRow.entry_id,
                    WaitlistOfferRow.booking_id,
                    WaitlistOfferRow.status,
                ).where(WaitlistOfferRow.booking_id == booking_id)
            )
        ).first()
    return Offer(row[0], row[1], row[2], row[3]) if row else None


async def close_offer(
    uow_factory: UnitOfWorkFactory, offer_id: int, status: str, now: datetime
) -> bool:
    """An open offer is answered (`accepted` also takes its entry off the waitlist); False
    when it was closed already."""
    async with uow_factory() as uow:
        result = await uow.session.execute(
            update(WaitlistOfferRow)
            .where(WaitlistOfferRow.id == offer_id, WaitlistOfferRow.status == OFFERED)
            .values(status=status, closed_at=now)
        )
        closed = getattr(result, "rowcount", 0) == 1
        if closed and status == "accepted":
            entry = select(WaitlistOfferRow.entry_id).where(WaitlistOfferRow.id == offer_id)
            await uow.session.execute(
                update(WaitlistEntryRow)
                .where(and_(WaitlistEntryRow.id == entry.scalar_subquery()))
                .where(WaitlistEntryRow.left_at.is_(None))
                .values(left_at=now)
            )
        await uow.commit()
    return closed
