"""Exact money: integer centavos with a currency, never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True, order=True)
class Money:
    """An amount in the currency's minor unit (centavos for ARS)."""

    cents: int
    currency: str = "ARS"

    def __post_init__(self) -> None:
        if isinstance(self.cents, bool) or not isinstance(self.cents, int):
            raise TypeError("Money takes integer cents")

    @classmethod
    def from_decimal(cls, amount: Decimal | int | str, currency: str = "ARS") -> Money:
        """Build from a major-unit amount such as Decimal('12000.50'), rounding half up."""
        if isinstance(amount, float | bool):  # Decimal(0.1) would carry the float's error in
            raise TypeError("Money.from_decimal takes a Decimal, an int or a str, never a float")
        value = Decimal(amount) * 100
        return cls(int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP)), currency)

    @property
    def amount(self) -> Decimal:
        """The amount in major units, exact."""
        return Decimal(self.cents) / 100

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.cents + other.cents, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.cents - other.cents, self.currency)

    def times(self, factor: int) -> Money:
        """Multiply by a whole number (e.g. the occurrences of a series)."""
        return Money(self.cents * factor, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")
