"""A shop's payment setup: methods, Mercado Pago's cuotas, transfer details, CUIT, señas."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, StrictBool, StrictInt

from bot.owner_chat import destination_notice, tell_owner
from domain import payments
from domain.audit import Actor
from domain.errors import NotFound
from domain.model import Shop
from domain.money import Money
from domain.payments import Deposit, DepositKind, DepositWhen, PaymentMethod, PaymentSettings
from domain.storage.payments import Payment, save_payment_settings, save_service_deposit
from domain.storage.uow import UnitOfWorkFactory
from web.acting import ApiUow
from web.api.v1.access import PaymentAdmin, RowId, ShopAdmin, ShopReader
from web.api.v1.responses import BODY_ERRORS, ERRORS
from web.api.v1.schemas import PriceOut, RequestBody
from web.deps import ChannelsDep, ClockDep

router = APIRouter(tags=["payments"])


class PaymentSettingsIn(RequestBody):
    """How the shop takes payment. CBU/CVU and CUIT are checked (422 `invalid_cbu`,
    `invalid_cuit`); a shop that takes transfers says where to (422 `transfer_needs_account`)."""

    methods: list[PaymentMethod] = Field(min_length=1, max_length=4)
    max_cuotas: StrictInt = Field(default=1, description="Mercado Pago: 1, 3, 6, 9 or 12")
    cash_tickets: StrictBool = Field(default=True, description="Rapipago / Pago Fácil allowed")
    transfer_alias: str | None = Field(default=None, max_length=40)
    transfer_account: str | None = Field(default=None, max_length=40, description="CBU or CVU")
    cuit: str | None = Field(default=None, max_length=20)
    cash_confirms: StrictBool = Field(
        default=True, description="A pay-at-the-shop turno is confirmed at once"
    )
    deposit_when: DepositWhen = Field(
        default=DepositWhen.ALWAYS,
        description="Who pays a seña: everyone, new customers, or after a no-show or late "
        "cancellation",
    )


class PaymentSettingsOut(BaseModel):
    """The shop's payment setup, and what the chat offers from it."""

    methods: list[str]
    offered: list[str]
    max_cuotas: int
    cash_tickets: bool
    transfer_alias: str | None
    transfer_account: str | None
    transfer_account_kind: Literal["cbu", "cvu"] | None
    cuit: str | None = Field(description="As written: 20-26756539-3")
    cash_confirms: bool
    deposit_when: str

    @classmethod
    def of(cls, settings: PaymentSettings) -> PaymentSettingsOut:
        account = settings.transfer_account
        return cls(
            methods=[m.value for m in settings.methods],
            offered=[m.value for m in settings.offered],
            max_cuotas=settings.max_cuotas,
            cash_tickets=settings.cash_tickets,
            transfer_alias=settings.transfer_alias,
            transfer_account=account,
            transfer_account_kind=None if account is None else _kind(account),
            cuit=payments.cuit_label(settings.cuit) if settings.cuit else None,
            cash_confirms=settings.cash_confirms,
            deposit_when=settings.deposit_when.value,
        )


class DepositIn(RequestBody):
    """A service's seña: none, a percentage of the price (1-100), or a fixed amount."""

    kind: Literal["none", "percent", "fixed"]
    percent: StrictInt | None = Field(default=None, ge=1, le=100)
    amount: str | None = Field(
        default=None, pattern=r"^\d{1,9}(\.\d{1,2})?$", description="Exact, e.g. '3000.00'"
    )


class DepositOut(BaseModel):
    """A service's seña rule, and what it comes to at the current price."""

    service_id: int
    kind: str
    percent: int | None
    amount: PriceOut


@router.get("/shops/{slug}/payment-settings", responses=ERRORS)
async def get_payment_settings(access: ShopReader) -> PaymentSettingsOut:
    """The shop's payment setup."""
    return PaymentSettingsOut.of(access.shop.payments)


@router.put("/shops/{slug}/payment-settings", responses=BODY_ERRORS)
async def put_payment_settings(
    access: ShopAdmin,
    body: PaymentSettingsIn,
    uow_factory: ApiUow,
    channels: ChannelsDep,
    clock: ClockDep,
) -> PaymentSettingsOut:
    """Replace the shop's payment setup (the chat offers it within half a minute); a new
    destination of the money is told to the owner's linked chat."""
    settings = _settings(body)
    await save_payment_settings(uow_factory, access.shop.id, settings)
    if payments.destination_changed(access.shop.payments, settings):
        who = Actor.key(access.key.id, access.key.name)
        notice = destination_notice(access.shop, access.shop.payments, settings, who)
        await tell_owner(uow_factory, channels, access.shop, notice, clock.now())
    return PaymentSettingsOut.of(settings)


@router.put("/shops/{slug}/services/{service_id}/deposit", responses=BODY_ERRORS)
async def put_service_deposit(
    access: ShopAdmin, service_id: RowId, body: DepositIn, uow_factory: ApiUow
) -> DepositOut:
    """Set a service's seña."""
    shop = access.shop
    async with uow_factory.read_only() as uow:
        service = await uow.catalog.service(shop.id, service_id)
    if service is None:
        raise NotFound(f"no service {service_id} at {shop.slug}")
    deposit = _deposit(body, shop)
    await save_service_deposit(uow_factory, shop.id, service_id, deposit)
    return DepositOut(
        service_id=service_id,
        kind=deposit.kind.value,
        percent=deposit.value if deposit.kind is DepositKind.PERCENT else None,
        amount=PriceOut.from_money(deposit.amount(service.price), shop.locale),
    )


def _settings(body: PaymentSettingsIn) -> PaymentSettings:
    """The validated setup; bad details are InvalidRequest (422) with their own codes."""
    return payments.checked_settings(
        PaymentSettings(
            methods=tuple(body.methods),
            max_cuotas=body.max_cuotas,
            cash_tickets=body.cash_tickets,
            transfer_alias=body.transfer_alias,
            transfer_account=body.transfer_account,
            cuit=body.cuit,
            cash_confirms=body.cash_confirms,
            deposit_when=body.deposit_when,
        )
    )


def _deposit(body: DepositIn, shop: Shop) -> Deposit:
    if body.kind == "percent":
        return payments.checked_deposit(DepositKind.PERCENT, body.percent)
    cents = None if body.amount is None else Money.from_decimal(body.amount, shop.currency).cents
    return payments.checked_deposit(DepositKind(body.kind), cents)


def _kind(account: str) -> Literal["cbu", "cvu"]:
    return "cvu" if payments.is_cvu(account) else "cbu"


class TransferAnswerOut(BaseModel):
    """What came of the answer: `confirmed`, `released` (the time let go), `late` (it arrived
    after the hold ran out) or `cancelled` (the turno had been cancelled): either way the money
    is on the books as received and given back, the shop gives it back and the customer is told
    so; `kept` (the customer cancelled late after reporting it: the cancellation policy keeps
    it), or `settled` (it was answered before)."""

    payment_id: int
    outcome: Literal["confirmed", "released", "late", "cancelled", "kept", "settled"]


@router.post("/payments/{payment_id}/confirm", responses=ERRORS)
async def confirm_transfer(
    access: PaymentAdmin, request: Request, uow_factory: ApiUow
) -> TransferAnswerOut:
    """The transfer arrived: the turno is confirmed and the customer told (a turno cancelled
    meanwhile: the money is recorded, and given back unless the cancellation policy keeps it)."""
    return await _answer_transfer(access.payment, True, request, uow_factory)


@router.post("/payments/{payment_id}/reject", responses=ERRORS)
async def reject_transfer(
    access: PaymentAdmin, request: Request, uow_factory: ApiUow
) -> TransferAnswerOut:
    """The transfer did not arrive: the time is let go and the customer told."""
    return await _answer_transfer(access.payment, False, request, uow_factory)


async def _answer_transfer(
    payment: Payment, arrived: bool, request: Request, acting: UnitOfWorkFactory
) -> TransferAnswerOut:
    if payment.method != PaymentMethod.TRANSFER.value:
        raise NotFound(f"no transfer {payment.id}")
    outcome = await request.app.state.payments.settle_transfer(payment.id, arrived, acting)
    return TransferAnswerOut(payment_id=payment.id, outcome=outcome)
