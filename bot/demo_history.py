"""The demo shop's past, written: the planned turnos (bot/demo_plan.py) as customers, bookings,
payments and ledger lines, in bulk, inside the transaction that creates the demo shop (so the
history is there exactly when the shop is, and a second seed writes nothing).

Each turno gets a price of its day (a little lower in the older weeks), when and where it was
booked, and how it was paid: cash at the shop, a transfer, or Mercado Pago in advance. Paid
turnos have their payment and the ledger lines the payouts read, keyed as the payment desk
keys them; a prepaid turno cancelled in time was refunded (its charge and refund lines), one
missed or cancelled late kept what was paid. No booking events (nobody is told of the past),
no jobs, nothing active: the chat's availability and the job loop never see it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Executable, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.demo_plan import SEED, Chair, Offer, Turno, plan
from domain.ledger import Entry, reversed_split, split
from domain.model import session_key
from domain.money import Money
from domain.storage.tables import (
    BookingRow,
    CustomerRow,
    LedgerEntryRow,
    PaymentRow,
    ShopCustomerRow,
)

METHODS = {"cash": 50, "transfer": 20, "mercadopago": 30}
CHANNELS = {"whatsapp": 55, "telegram": 30, "api": 15}
MONTHLY_RISE = 0.03  # prices three months ago were about 9 % lower
PHONES = "+549112750"  # +54 9 11 2750-NNNN: a block no test or real shop of the demo uses


async def seed_history(
    session: AsyncSession,
    shop_id: int,
    chairs: list[Chair],
    offers: list[Offer],
    now: datetime,
    timezone: str,
    plan_rates: tuple[int, int] = (300, 50),
) -> int:
    """Write the demo's past turnos for the shop; how many. `plan_rates` are the shop's
    commission (basis points) and the professionals' share (percent), for the ledger."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    history = plan(chairs, offers, today, timezone)
    rng = random.Random(SEED + 1)
    bookings = [_booking(rng, shop_id, t, now) for t in history.turnos]
    names = {person.number: person.name for person in history.people}
    customers = await _customers(session, shop_id, history.turnos, bookings, names)
    for row, turno in zip(bookings, history.turnos, strict=True):
        row["customer_id"] = customers[turno.person]
    await _insert(session, BookingRow, bookings)
    # Read the new ids back by what is unique among them (a turno's session and seat): far
    # cheaper than RETURNING row by row, and the shop has no other turnos yet.
    booking_ids = await _ids(
        session,
        select(BookingRow.session_key, BookingRow.seat_no, BookingRow.id).where(
            BookingRow.shop_id == shop_id
        ),
    )
    by_id = {booking_ids[(row["session_key"], row["seat_no"])]: row for row in bookings}
    payments = [p for i, row in by_id.items() if (p := _payment(rng, i, row)) is not None]
    await _insert(session, PaymentRow, payments)
    payment_ids = await _ids(
        session, select(PaymentRow.booking_id, PaymentRow.id).where(PaymentRow.shop_id == shop_id)
    )
    lines = [
        line
        for payment in payments
        for line in _ledger(payment_ids[(payment["booking_id"],)], payment, by_id, plan_rates)
    ]
    await _insert(session, LedgerEntryRow, lines)
    return len(bookings)


def _booking(rng: random.Random, shop_id: int, turno: Turno, now: datetime) -> dict[str, Any]:
    """A bookings row for a planned turno: its day's price, when it was booked and how."""
    offer, start = turno.offer, turno.start
    end = start + timedelta(minutes=offer.minutes)
    months_ago = (now - start).days / 30
    pesos = offer.cents / 100 * (1 - MONTHLY_RISE * months_ago)
    created = start - timedelta(hours=rng.randint(2, 200))
    cancelled_at = None
    if turno.status == "cancelled":
        before = rng.randint(10, 170) if turno.late else rng.randint(4 * 60, 3 * 24 * 60)
        cancelled_at = start - timedelta(minutes=before)
        created = min(created, cancelled_at - timedelta(hours=1))
    return {
        "shop_id": shop_id,
        "service_id": offer.id,
        "professional_id": turno.chair.id,
        "starts_at": start,
        "ends_at": end,
        "block_start": start,
        "block_end": end + timedelta(minutes=offer.after),
        "session_key": session_key(turno.chair.id, offer.id, start),
        "seat_no": turno.seat,
        "capacity": offer.seats,
        "status": turno.status,
        "price_cents": round(pesos / 500) * 500 * 100,  # prices end in 500 pesos
        "currency": "ARS",
        "created_at": created,
        "cancelled_at": cancelled_at,
        "cancelled_by": "customer" if cancelled_at else None,
        "late_cancellation": turno.late,
        "payment_method": _pick(rng, METHODS),
        "channel": _pick(rng, CHANNELS),
    }


async def _customers(
    session: AsyncSession,
    shop_id: int,
    turnos: Sequence[Turno],
    rows: Sequence[dict[str, Any]],
    names: dict[int, str],
) -> dict[int, int]:
    """The people who had a turno, as customers of the shop (first seen at their first
    booking); their customer ids by person number."""
    first_seen: dict[int, datetime] = {}
    for turno, row in zip(turnos, rows, strict=True):
        seen = first_seen.get(turno.person)
        first_seen[turno.person] = min(seen, row["created_at"]) if seen else row["created_at"]
    phones = {n: f"{PHONES}{n:04d}" for n in sorted(first_seen)}
    rows = [{"phone": phones[n], "created_at": first_seen[n]} for n in phones]
    await _insert(session, CustomerRow, rows)
    found = await _ids(
        session,
        select(CustomerRow.phone, CustomerRow.id).where(CustomerRow.phone.like(f"{PHONES}%")),
    )
    ids = {n: found[(phone,)] for n, phone in phones.items()}
    await _insert(
        session,
        ShopCustomerRow,
        [
            {"shop_id": shop_id, "customer_id": i, "name": names[n], "created_at": first_seen[n]}
            for n, i in ids.items()
        ],
    )
    return ids


def _payment(rng: random.Random, booking_id: int, row: dict[str, Any]) -> dict[str, Any] | None:
    """How the turno was paid, if it was: cash at the end, a transfer before, Mercado Pago at
    booking (kept when missed or cancelled late, refunded when cancelled in time)."""
    method, status = row["payment_method"], row["status"]
    prepaid = method == "mercadopago"
    if status != "completed" and not prepaid:
        return None
    if prepaid:
        paid_at = row["created_at"] + timedelta(minutes=rng.randint(1, 9))
    elif method == "transfer":
        paid_at = row["starts_at"] - timedelta(minutes=rng.randint(30, 600))
    else:
        paid_at = row["ends_at"]
    refunded = status == "cancelled" and not row["late_cancellation"]
    return {
        "shop_id": row["shop_id"],
        "booking_id": booking_id,
        "method": method,
        "amount_cents": row["price_cents"],
        "currency": row["currency"],
        "status": "refunded" if refunded else "approved",
        "key": f"cash:{booking_id}" if method == "cash" else None,
        "created_at": paid_at,
        "updated_at": row["cancelled_at"] if refunded else paid_at,
    }


def _ledger(
    payment_id: int,
    payment: dict[str, Any],
    bookings: dict[int, dict[str, Any]],
    rates: tuple[int, int],
) -> list[dict[str, Any]]:
    """The payment's charge lines, and its refund lines when it went back."""
    booking = bookings[payment["booking_id"]]
    charge = split(Money(payment["amount_cents"], payment["currency"]), *rates)
    movements = [(Entry.CHARGE, charge, payment["created_at"])]
    if payment["status"] == "refunded":
        movements.append((Entry.REFUND, reversed_split(charge), payment["updated_at"]))
    return [
        {
            "key": f"{entry.value}:{payment_id}:{line.account.value}",
            "shop_id": payment["shop_id"],
            "booking_id": payment["booking_id"],
            "payment_id": payment_id,
            "professional_id": booking["professional_id"],
            "entry": entry.value,
            "account": line.account.value,
            "method": payment["method"],
            "amount_cents": line.amount.cents,
            "currency": line.amount.currency,
            "created_at": at,
        }
        for entry, lines, at in movements
        for line in lines
    ]


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


async def _insert(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert the rows in bulk (one executemany on the table, no ORM)."""
    if rows:
        await session.execute(insert(table.__table__), rows)


async def _ids(session: AsyncSession, query: Executable) -> dict[tuple[Any, ...], int]:
    """Ids by the other columns of `query` (the id last)."""
    return {tuple(row[:-1]): row[-1] for row in await session.execute(query)}
