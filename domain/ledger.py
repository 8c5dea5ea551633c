"""The money of a payment, split once and exactly: the platform's commission at the shop's plan
rate, the professional's share of the rest, and what stays with the shop.

Every movement is a ledger line (append-only, in centavos): a charge splits into three lines
that add up to it; a refund is the same three lines with the opposite sign.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.money import Money


class Entry(StrEnum):
    """What moved the money."""

    CHARGE = "charge"
    REFUND = "refund"


class Account(StrEnum):
    """Whose the money is."""

    SHOP = "shop"
    PLATFORM = "platform"  # BarberPro's commission
    PROFESSIONAL = "professional"  # what the shop owes the professional who did the turno


@dataclass(frozen=True)
class Split:
    """One line of a movement: this account gets (or, negative, gives back) this amount."""

    account: Account
    amount: Money


def split(amount: Money, commission_bps: int, professional_percent: int) -> tuple[Split, ...]:
    """A charge of `amount` split into commission (basis points of it), the professional's share
    (percent of what is left) and the shop's rest; the lines add up to `amount` exactly."""
    commission = _part(amount.cents, Decimal(commission_bps) / 10_000)
    share = _part(amount.cents - commission, Decimal(professional_percent) / 100)
    rest = amount.cents - commission - share
    return (
        Split(Account.PLATFORM, Money(commission, amount.currency)),
        Split(Account.PROFESSIONAL, Money(share, amount.currency)),
        Split(Account.SHOP, Money(rest, amount.currency)),
    )


def reversed_split(lines: tuple[Split, ...]) -> tuple[Split, ...]:
    """The lines of a full refund: each charge line with the opposite sign."""
    return tuple(Split(s.account, Money(-s.amount.cents, s.amount.currency)) for s in lines)


def _part(cents: int, rate: Decimal) -> int:
    return int((Decimal(cents) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Line:
    """A ledger line as the payouts report reads it."""

    professional_id: int
    entry: Entry
    account: Account
    amount: Money


@dataclass(frozen=True)
class Payout:
    """One professional's money over a period, by what it is."""

    professional_id: int
    charged: Money  # what customers paid for their turnos
    refunded: Money  # what went back to customers (negative or zero)
    commission: Money  # BarberPro's net commission
    professional: Money  # owed to the professional
    shop: Money  # the shop's net part

    @property
    def net(self) -> Money:
        """Charged less refunded."""
        return self.charged + self.refunded


def payouts(lines: list[Line], currency: str = "ARS") -> list[Payout]:
    """Totals per professional (by id), from a period's ledger lines."""
    zero = Money(0, currency)
    found: dict[int, dict[str, Money]] = {}
    for line in lines:
        sums = found.setdefault(
            line.professional_id,
            {"charged": zero, "refunded": zero, **{a.value: zero for a in Account}},
        )
        field = "charged" if line.entry is Entry.CHARGE else "refunded"
        sums[field] = sums[field] + line.amount
        sums[line.account.value] = sums[line.account.value] + line.amount
    return [
        Payout(
            pid,
            s["charged"],
            s["refunded"],
            s[Account.PLATFORM.value],
            s[Account.PROFESSIONAL.value],
            s[Account.SHOP.value],
        )
        for pid, s in sorted(found.items())
    ]
