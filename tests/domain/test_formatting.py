"""Amounts as owners type them into a form, and back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import InvalidRequest
from domain.formatting import format_amount, parse_amount
from domain.money import Money


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("12000", "12000"),
        ("12.000", "12000"),
        ("12.000,50", "12000.50"),
        ("$ 12.000", "12000"),
        ("12000,5", "12000.5"),
        ("12000.50", "12000.50"),  # a phone keypad's dot, two digits after it: decimals
        ("1.500.000", "1500000"),
        (" 8 000 ", "8000"),
        ("0", "0"),
    ],
)
def test_an_argentine_owner_types_an_amount_their_way(typed: str, amount: str) -> None:
    assert parse_amount(typed, "es_AR") == Decimal(amount)


@pytest.mark.parametrize(
    "typed", ["", "doce mil", "-5", "12,000", "12.00.0", "12.000,505", "1,2,3", "12,", "１２"]
)
def test_what_is_not_an_amount_is_refused(typed: str) -> None:
    with pytest.raises(InvalidRequest):
        parse_amount(typed, "es_AR")


def test_english_amounts_use_the_english_separators() -> None:
    assert parse_amount("12,000.50", "en") == Decimal("12000.50")


@pytest.mark.parametrize(
    ("cents", "locale", "shown"),
    [(1_200_000, "es_AR", "12.000"), (1_200_050, "es_AR", "12.000,50"), (50, "en", "0.50")],
)
def test_an_amount_is_shown_back_as_it_would_be_typed(cents: int, locale: str, shown: str) -> None:
    assert format_amount(Money(cents), locale) == shown
    assert parse_amount(shown, locale) == Money(cents).amount
