"""Storage for the shops' payment setup and the services' señas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from domain.ledger import Entry, Split
from domain.money import Money
from domain.payments import Deposit, PaymentSettings
from domain.storage.channels import _insert_ignoring_duplicates
from domain.storage.tables import (
    BookingEventRow,
    BookingRow,
    LedgerEntryRow,
    PaymentRow,
    ServiceRow,
    ShopRow,
)
from domain.storage.uow import UnitOfWorkFactory


async def save_payment_settings(
    uow_factory: UnitOfWorkFactory, shop_id: int, settings: PaymentSettings
) -> None:
    """Replace the shop's payment setup (already validated); audited when someone acts."""
    async with uow_factory() as uow:
        before = await uow.session.get(ShopRow, shop_id)
        if before is not None:
            uow.audit(
                shop_id,
                "payments.settings",
                f"shop:{shop_id}",
                _settings_columns(before),
                _settings_values(settings),
            )
        await uow.session.execute(
            update(ShopRow)
            .where(ShopRow.id == shop_id)
            .values(
                payment_methods=",".join(m.value for m in settings.methods),
                max_cuotas=settings.max_cuotas,
                cash_tickets=settings.cash_tickets,
                transfer_alias=settings.transfer_alias,
                transfer_account=settings.transfer_account,
                cuit=settings.cuit,
                cash_confirms=settings.cash_confirms,
                deposit_when=settings.deposit_when.value,
            )
        )
        await uow.commit()


def _settings_values(settings: PaymentSettings) -> dict[str, object]:
    """The stored columns of a payment setup, as the audit trail compares them."""
    return {
        "payment_methods": ",".join(m.value for m in settings.methods),
        "max_cuotas": settings.max_cuotas,
        "cash_tickets": settings.cash_tickets,
        "transfer_alias": settings.transfer_alias,
        "transfer_account": settings.transfer_account,
        "cuit": settings.cuit,
        "cash_confirms": settings.cash_confirms,
        "deposit_when": settings.deposit_when.value,
    }


def _settings_columns(row: ShopRow) -> dict[str, object]:
    return {name: getattr(row, name) for name in _settings_values_names()}


def _settings_values_names() -> tuple[str, ...]:
    return (
        "payment_methods",
        "max_cuotas",
        "cash_tickets",
        "transfer_alias",
        "transfer_account",
        "cuit",
        "cash_confirms",
        "deposit_when",
    )


async def save_service_deposit(
    uow_factory: UnitOfWorkFactory, shop_id: int, service_id: int, deposit: Deposit
) -> bool:
    """Set a service's seña; False when the shop has no such service."""
    async with uow_factory() as uow:
        row = await uow.session.get(ServiceRow, service_id)
        if row is not None and row.shop_id == shop_id:
            uow.audit(
                shop_id,
                "service.deposit",
                f"service:{service_id}",
                {"deposit_kind": row.deposit_kind, "deposit_value": row.deposit_value},
                {"deposit_kind": deposit.kind.value, "deposit_value": deposit.value},
            )
        result = await uow.session.execute(
            update(ServiceRow)
            .where(ServiceRow.id == service_id, ServiceRow.shop_id == shop_id)
            .values(deposit_kind=deposit.kind.value, deposit_value=deposit.value)
        )
        await uow.commit()
    return getattr(result, "rowcount", 0) == 1


@dataclass(frozen=True)
class Payment:
    """One try at paying a booking."""

    id: int
    shop_id: int
    booking_id: int
    method: str
    amount: Money
    status: str
    preference_id: str | None
    provider_payment_id: str | None
    link: str | None
    reported_at: datetime | None = None  # a transfer: when the customer said they made it


def _payment(row: PaymentRow) -> Payment:
    return Payment(
        row.id,
        row.shop_id,
        row.booking_id,
        row.method,
        Money(row.amount_cents, row.currency),
        row.status,
        row.preference_id,
        row.provider_payment_id,
        row.link,
        row.reported_at,
    )


async def add_payment(
    uow_factory: UnitOfWorkFactory,
    shop_id: int,
    booking_id: int,
    method: str,
    amount: Money,
    now: datetime,
    *,
    preference_id: str | None = None,
    link: str | None = None,
) -> Payment:
    """Record a new try at paying (pending)."""
    async with uow_factory() as uow:
        row = PaymentRow(
            shop_id=shop_id,
            booking_id=booking_id,
            method=method,
            amount_cents=amount.cents,
            currency=amount.currency,
            status="pending",
            preference_id=preference_id,
            link=link,
            created_at=now,
            updated_at=now,
        )
        uow.session.add(row)
        await uow.session.flush()
        payment = _payment(row)
        await uow.commit()
    return payment


async def add_settled_payment(
    uow_factory: UnitOfWorkFactory,
    shop_id: int,
    booking_id: int,
    method: str,
    amount: Money,
    now: datetime,
    key: str,
) -> Payment | None:
    """Record a payment already received (cash at the shop); None when `key` was recorded."""
    values = {
        "shop_id": shop_id,
        "booking_id": booking_id,
        "method": method,
        "amount_cents": amount.cents,
        "currency": amount.currency,
        "status": "approved",
        "key": key,
        "created_at": now,
        "updated_at": now,
    }
    async with uow_factory() as uow:
        statement = _insert_ignoring_duplicates(uow.session, PaymentRow, values)
        new_id = (
            await uow.session.execute(statement.returning(PaymentRow.id))
        ).scalar_one_or_none()
        await uow.commit()
    if new_id is None:
        return None
    return Payment(new_id, shop_id, booking_id, method, amount, "approved", None, None, None)


async def paid_so_far(uow_factory: UnitOfWorkFactory, booking_id: int) -> int:
    """Centavos already received for a booking (a seña paid online or by transfer)."""
    async with uow_factory.read_only() as uow:
        total = await uow.session.scalar(
            select(func.coalesce(func.sum(PaymentRow.amount_cents), 0)).where(
                PaymentRow.booking_id == booking_id, PaymentRow.status == "approved"
            )
        )
    return int(total or 0)


async def payment_of_booking(uow_factory: UnitOfWorkFactory, booking_id: int) -> Payment | None:
    """The booking's latest try at paying."""
    async with uow_factory.read_only() as uow:
        row = await uow.session.scalar(
            select(PaymentRow)
            .where(PaymentRow.booking_id == booking_id)
            .order_by(PaymentRow.id.desc())
            .limit(1)
        )
        return _payment(row) if row else None


async def ever_confirmed(uow_factory: UnitOfWorkFactory, booking_id: int) -> bool:
    """Whether the booking was confirmed at some point (whatever it is now)."""
    async with uow_factory.read_only() as uow:
        found = await uow.session.scalar(
            select(BookingEventRow.id)
            .where(BookingEventRow.booking_id == booking_id, BookingEventRow.kind == "confirmed")
            .limit(1)
        )
    return found is not None


async def payment_by_id(uow_factory: UnitOfWorkFactory, payment_id: int) -> Payment | None:
    """A payment by our id."""
    async with uow_factory.read_only() as uow:
        row = await uow.session.get(PaymentRow, payment_id)
        return _payment(row) if row else None


async def settle_payment(
    uow_factory: UnitOfWorkFactory,
    payment_id: int,
    status: str,
    now: datetime,
    *,
    provider_payment_id: str | None = None,
    only_from: tuple[str, ...] = ("pending",),
) -> bool:
    """Move a payment to `status` if it is in one of `only_from` (False when it was not: a
    repeated or out-of-order notification changes nothing); audited, when someone acts, as
    `payment.<status>`."""
    values: dict[str, object] = {"status": status, "updated_at": now}
    if provider_payment_id is not None:
        values["provider_payment_id"] = provider_payment_id
    async with uow_factory() as uow:
        shop_id = await uow.session.scalar(
            update(PaymentRow)
            .where(PaymentRow.id == payment_id, PaymentRow.status.in_(only_from))
            .values(**values)
            .returning(PaymentRow.shop_id)
        )
        if shop_id is not None:
            before = {"status": only_from[0]} if len(only_from) == 1 else None
            subject = f"payment:{payment_id}"
            uow.audit(shop_id, f"payment.{status}", subject, before, {"status": status})
        await uow.commit()
    return shop_id is not None


async def record_movement(
    uow_factory: UnitOfWorkFactory,
    payment: Payment,
    professional_id: int,
    entry: Entry,
    lines: tuple[Split, ...],
    now: datetime,
) -> int:
    """Write a movement's ledger lines once (keyed by payment, entry and account); returns how
    many lines were new (0 when it was written before)."""
    added = 0
    async with uow_factory() as uow:
        for line in lines:
            values = {
                "key": f"{entry.value}:{payment.id}:{line.account.value}",
                "shop_id": payment.shop_id,
                "booking_id": payment.booking_id,
                "payment_id": payment.id,
                "professional_id": professional_id,
                "entry": entry.value,
                "account": line.account.value,
                "method": payment.method,
                "amount_cents": line.amount.cents,
                "currency": line.amount.currency,
                "created_at": now,
            }
            statement = _insert_ignoring_duplicates(uow.session, LedgerEntryRow, values)
            result = await uow.session.execute(statement)
            added += getattr(result, "rowcount", 0) or 0
        await uow.commit()
    return added


@dataclass(frozen=True)
class LedgerLine:
    """A ledger line as reports read it."""

    booking_id: int
    payment_id: int
    professional_id: int
    entry: str
    account: str
    method: str
    amount: Money
    created_at: datetime


async def ledger_lines(
    uow_factory: UnitOfWorkFactory,
    shop_id: int,
    since: datetime,
    until: datetime,
    professional_id: int | None = None,
) -> list[LedgerLine]:
    """The shop's ledger lines written in [since, until) (of one professional's turnos, when
    given), oldest first."""
    statement = select(LedgerEntryRow).where(
        LedgerEntryRow.shop_id == shop_id,
        LedgerEntryRow.created_at >= since,
        LedgerEntryRow.created_at < until,
    )
    if professional_id is not None:
        statement = statement.where(LedgerEntryRow.professional_id == professional_id)
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(statement.order_by(LedgerEntryRow.id))
        return [
            LedgerLine(
                r.booking_id,
                r.payment_id,
                r.professional_id,
                r.entry,
                r.account,
                r.method,
                Money(r.amount_cents, r.currency),
                r.created_at,
            )
            for (r,) in rows
        ]


async def customer_history(
    uow_factory: UnitOfWorkFactory, shop_id: int, customer_id: int, before_booking: int
) -> tuple[bool, bool]:
    """(first turno, missed before) for the seña rule: no earlier turno at the shop; a no-show
    or a late cancellation among them."""
    async with uow_factory.read_only() as uow:
        rows = (
            await uow.session.execute(
                select(BookingRow.status, BookingRow.late_cancellation).where(
                    BookingRow.shop_id == shop_id,
                    BookingRow.customer_id == customer_id,
                    BookingRow.id != before_booking,
                    BookingRow.status != "expired",
                )
            )
        ).all()
    missed = any(status == "no_show" or late for status, late in rows)
    return not rows, missed
