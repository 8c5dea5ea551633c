"""Money: integer centavos with a currency, never a float."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from domain.money import Money


@pytest.mark.parametrize("cents", [12.5, 1200.0, True, "1200", Decimal(1200)])
def test_money_refuses_anything_but_integer_cents(cents: object) -> None:
    with pytest.raises(TypeError):
        Money(cents)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", [12000.5, 0.1, True])
def test_from_decimal_refuses_floats(amount: object) -> None:
    with pytest.raises(TypeError):
        Money.from_decimal(amount)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        (Decimal("12000.50"), 1_200_050),
        ("12000.50", 1_200_050),
        (12000, 1_200_000),
        (Decimal("0.004"), 0),
        (Decimal("0.005"), 1),  # half a centavo rounds up
        (Decimal("0.015"), 2),  # half up, not to even
        (Decimal("12000.499"), 1_200_050),
        (Decimal("-0.005"), -1),  # half away from zero for refunds
    ],
)
def test_from_decimal_rounds_to_the_centavo_half_up(
    amount: Decimal | str | int, cents: int
) -> None:
    assert Money.from_decimal(amount) == Money(cents)


def test_ars_is_the_default_currency_and_amount_is_exact() -> None:
    price = Money.from_decimal("12000.10")
    assert (price.currency, price.amount) == ("ARS", Decimal("12000.10"))


def test_adding_and_subtracting_keep_the_currency() -> None:
    assert Money(1_200_000) + Money(50) == Money(1_200_050)
    assert Money(1_200_000) - Money(300_000) == Money(900_000)
    assert Money(1_000, "USD") + Money(1, "USD") == Money(1_001, "USD")


def test_times_multiplies_by_a_whole_number() -> None:
    assert Money(1_200_000).times(4) == Money(4_800_000)


@pytest.mark.parametrize("operation", [Money.__add__, Money.__sub__])
def test_mixing_currencies_is_refused(operation: Callable[[Money, Money], Money]) -> None:
    with pytest.raises(ValueError, match="cannot mix ARS and USD"):
        operation(Money(100), Money(100, "USD"))


def test_money_is_immutable_and_hashable() -> None:
    assert {Money(100), Money(100)} == {Money(100)}
    with pytest.raises(AttributeError):
        Money(100).cents = 200  # type: ignore[misc]
