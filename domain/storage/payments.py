"""Storage for the shops' payment setup and the services' señas."""

from __future__ import annotations

from sqlalchemy import update

from domain.payments import Deposit, PaymentSettings
from domain.storage.tables import ServiceRow, ShopRow
from domain.storage.uow import UnitOfWorkFactory


async def save_payment_settings(
    uow_factory: UnitOfWorkFactory, shop_id: int, settings: PaymentSettings
) -> None:
    """Replace the shop's payment setup (already validated)."""
    async with uow_factory() as uow:
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


async def save_service_deposit(
    uow_factory: UnitOfWorkFactory, shop_id: int, service_id: int, deposit: Deposit
) -> bool:
    """Set a service's seña; False when the shop has no such service."""
    async with uow_factory() as uow:
        result = await uow.session.execute(
            update(ServiceRow)
            .where(ServiceRow.id == service_id, ServiceRow.shop_id == shop_id)
            .values(deposit_kind=deposit.kind.value, deposit_value=deposit.value)
        )
        await uow.commit()
    return getattr(result, "rowcount", 0) == 1
