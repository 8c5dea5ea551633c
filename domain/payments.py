"""How a shop takes payment: the methods it accepts, Mercado Pago's cuotas, the transfer
details (alias, CBU or CVU, CUIT), and the seña (deposit) a booking asks for.

Pure rules and validation; the storage keeps them on the shop, the chat and the API read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from stdnum.ar import cbu, cuit
from stdnum.exceptions import ValidationError

from domain.errors import InvalidRequest
from domain.money import Money


class PaymentMethod(StrEnum):
    """The ways a customer pays, in the order the chat offers them."""

    MERCADOPAGO = "mercadopago"  # cards (cuotas) and Mercado Pago balance, Checkout Pro
    CASH = "cash"  # at the shop
    TRANSFER = "transfer"  # to the shop's alias / CBU / CVU
    TICKET = "ticket"  # Rapipago / Pago Fácil, through Mercado Pago


ALL_METHODS = tuple(PaymentMethod)
CUOTAS = (1, 3, 6, 9, 12)
# An alias CBU: 6 to 20 letters, digits, dots and hyphens (BCRA's rule).
_ALIAS = re.compile(r"^[A-Za-z0-9.-]{6,20}$")


class DepositKind(StrEnum):
    """How a service's seña is set."""

    NONE = "none"
    PERCENT = "percent"  # of the price, 1 to 100
    FIXED = "fixed"  # an amount in centavos


class DepositWhen(StrEnum):
    """Who is asked for the seña."""

    ALWAYS = "always"
    NEW_CUSTOMERS = "new"  # the customer's first turno at the shop
    AFTER_A_MISS = "after_miss"  # after a no-show or a late cancellation


@dataclass(frozen=True)
class Deposit:
    """A service's seña rule: nothing, a percentage of the price or a fixed amount."""

    kind: DepositKind = DepositKind.NONE
    value: int = 0  # percent for PERCENT, centavos for FIXED

    def amount(self, price: Money) -> Money:
        """The seña for a turno at this price (never more than the price)."""
        if self.kind is DepositKind.PERCENT:
            cents = Decimal(price.cents) * self.value / 100
            return Money(int(cents.quantize(Decimal(1), rounding=ROUND_HALF_UP)), price.currency)
        if self.kind is DepositKind.FIXED:
            return Money(min(self.value, price.cents), price.currency)
        return Money(0, price.currency)


@dataclass(frozen=True)
class PaymentSettings:
    """A shop's payment setup (all methods, no seña and one cuota until it says otherwise)."""

    methods: tuple[PaymentMethod, ...] = ALL_METHODS
    max_cuotas: int = 1
    cash_tickets: bool = True  # Rapipago / Pago Fácil through Mercado Pago
    transfer_alias: str | None = None
    transfer_account: str | None = None  # CBU or CVU, 22 digits
    cuit: str | None = None
    cash_confirms: bool = True  # a pay-at-the-shop turno is confirmed (else pending the shop)
    deposit_when: DepositWhen = DepositWhen.ALWAYS
    commission_bps: int = 300  # the plan: BarberPro's commission, basis points of each payment
    professional_percent: int = 50  # the professionals' share of what is left

    @property
    def offered(self) -> tuple[PaymentMethod, ...]:
        """What the chat offers: accepted methods that can work (a transfer needs somewhere to
        send the money; tickets need the shop to allow them)."""
        found = []
        for method in self.methods:
            if method is PaymentMethod.TRANSFER and not (
                self.transfer_alias or self.transfer_account
            ):
                continue
            if method is PaymentMethod.TICKET and not self.cash_tickets:
                continue
            found.append(method)
        return tuple(found)


def deposit_due(
    rule: Deposit, price: Money, when: DepositWhen, *, first_turno: bool, missed_before: bool
) -> Money:
    """The seña this customer is asked for this turno (zero when none applies)."""
    applies = (
        when is DepositWhen.ALWAYS
        or (when is DepositWhen.NEW_CUSTOMERS and first_turno)
        or (when is DepositWhen.AFTER_A_MISS and missed_before)
    )
    return rule.amount(price) if applies else Money(0, price.currency)


def account_number(value: str) -> str:
    """A CBU or CVU, compacted, with both check digits right (InvalidRequest otherwise)."""
    compact = cbu.compact(value)
    try:
        # A CVU (virtual account, e.g. Mercado Pago's, "000" first) has the same 22 digits
        # and check digits as a CBU.
        return str(cbu.validate(compact))
    except ValidationError as error:
        raise InvalidAccount(f"{value!r} is not a valid CBU or CVU ({error})") from None


def is_cvu(account: str) -> bool:
    """True for a virtual account (CVU): its "bank" part is 000."""
    return account.startswith("000")


def alias(value: str) -> str:
    """An alias CBU as given (InvalidRequest when it cannot be one)."""
    cleaned = value.strip()
    if not _ALIAS.match(cleaned):
        raise InvalidAlias(f"{value!r} is not an alias: 6 to 20 letters, digits, dots, hyphens")
    return cleaned


def cuit_number(value: str) -> str:
    """A CUIT, compacted, with its check digit and prefix right (InvalidRequest otherwise)."""
    try:
        return str(cuit.validate(value))
    except ValidationError as error:
        raise InvalidCuit(f"{value!r} is not a valid CUIT ({error})") from None


def cuit_label(number: str) -> str:
    """`20-26756539-3`."""
    return str(cuit.format(number))


def max_cuotas(value: int) -> int:
    """One of Mercado Pago's plans: 1, 3, 6, 9 or 12 (InvalidRequest otherwise)."""
    if value not in CUOTAS:
        raise InvalidRequest(f"cuotas must be one of {', '.join(map(str, CUOTAS))}")
    return value


def checked_deposit(kind: DepositKind, value: int | None) -> Deposit:
    """A service's seña rule: a percent of the price from 1 to 100, or a fixed amount in
    centavos (InvalidRequest naming `percent` or `amount`)."""
    if kind is DepositKind.PERCENT and (value is None or not 1 <= value <= 100):
        raise InvalidRequest("a percent seña needs `percent` (1-100)", field="percent")
    if kind is DepositKind.FIXED and (value is None or value < 0):
        raise InvalidRequest("a fixed seña needs `amount`, e.g. '3000.00'", field="amount")
    return Deposit() if kind is DepositKind.NONE else Deposit(kind, value or 0)


def checked_settings(settings: PaymentSettings) -> PaymentSettings:
    """The setup as the owner gave it, validated and tidied: the alias, CBU/CVU and CUIT
    checked (each its own InvalidRequest), methods without repeats, cuotas one of Mercado
    Pago's plans, and somewhere to send a transfer when transfers are taken."""
    methods = tuple(dict.fromkeys(settings.methods))
    given_alias = alias(settings.transfer_alias) if settings.transfer_alias else None
    account = account_number(settings.transfer_account) if settings.transfer_account else None
    if PaymentMethod.TRANSFER in methods and not (given_alias or account):
        raise TransferNeedsAccount("a shop that takes transfers needs an alias or a CBU/CVU")
    return replace(
        settings,
        methods=methods,
        max_cuotas=max_cuotas(settings.max_cuotas),
        transfer_alias=given_alias,
        transfer_account=account,
        cuit=cuit_number(settings.cuit) if settings.cuit else None,
    )


def destination_changed(before: PaymentSettings, after: PaymentSettings) -> bool:
    """Whether the change moves where the money goes (alias, CBU/CVU, CUIT): the owner's
    password and a word to the owner's chat, then."""
    return (before.transfer_alias, before.transfer_account, before.cuit) != (
        after.transfer_alias,
        after.transfer_account,
        after.cuit,
    )


class TransferNeedsAccount(InvalidRequest):
    """Transfers accepted with nowhere to send them."""

    code = "transfer_needs_account"


class InvalidAccount(InvalidRequest):
    """Not a CBU or CVU."""

    code = "invalid_cbu"


class InvalidAlias(InvalidRequest):
    """Not an alias CBU."""

    code = "invalid_alias"


class InvalidCuit(InvalidRequest):
    """Not a CUIT."""

    code = "invalid_cuit"


def refund_due(cancelled_by_shop: bool, late: bool) -> bool:
    """A paid turno cancelled by the shop is refunded in full, always; by the customer in time,
    in full too; late, the shop keeps what was paid (the seña)."""
    return cancelled_by_shop or not late
