"""Transfers the customer says they made («ya transferí»): noted when, with the receipt they
sent, and listed for the shop to answer «¿Llegó?» until it does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from domain.money import Money
from domain.payments import PaymentMethod
from domain.storage.owner_agenda import BookingRead, bookings_by_id
from domain.storage.tables import PaymentRow
from domain.storage.uow import UnitOfWorkFactory

MAX_WAITING = 100
_TRANSFER = PaymentMethod.TRANSFER.value


async def note_reported(
    uow_factory: UnitOfWorkFactory, payment_id: int, now: datetime, receipt: str | None = None
) -> None:
    """The customer says they transferred: when they first said so, and the receipt they sent
    (the latest one counts)."""
    values: dict[str, object] = {
        "reported_at": func.coalesce(PaymentRow.reported_at, now),
        "updated_at": now,
    }
    if receipt is not None:
        values["receipt"] = receipt
    async with uow_factory() as uow:
        await uow.session.execute(
            update(PaymentRow).where(PaymentRow.id == payment_id).values(**values)
        )
        await uow.commit()


@dataclass(frozen=True)
class ReportedTransfer:
    """A transfer the customer reported and the shop has not answered yet, with its turno."""

    payment_id: int
    amount: Money
    reported_at: datetime
    with_receipt: bool
    booking: BookingRead


async def reported_transfers(
    uow_factory: UnitOfWorkFactory, shop_id: int, now: datetime
) -> list[ReportedTransfer]:
    """The shop's reported transfers still pending, the longest waiting first."""
    statement = (
        select(
            PaymentRow.id,
            PaymentRow.booking_id,
            PaymentRow.amount_cents,
            PaymentRow.currency,
            PaymentRow.reported_at,
            PaymentRow.receipt.is_not(None),
        )
        .where(
            PaymentRow.shop_id == shop_id,
            PaymentRow.status == "pending",
            PaymentRow.method == _TRANSFER,
            PaymentRow.reported_at.is_not(None),
        )
        .order_by(PaymentRow.reported_at, PaymentRow.id)
        .limit(MAX_WAITING)
    )
    async with uow_factory.read_only() as uow:
        rows = (await uow.session.execute(statement)).all()
    turnos = await bookings_by_id(uow_factory, shop_id, {row[1] for row in rows}, now)
    found = []
    for payment_id, booking_id, cents, currency, reported, receipt in rows:
        turno = turnos.get(booking_id)
        if turno is not None and reported is not None:  # reported: the query asked for it
            money = Money(cents, currency)
            found.append(ReportedTransfer(payment_id, money, reported, bool(receipt), turno))
    return found
