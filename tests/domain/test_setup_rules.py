"""The setup rules the REST API and the dashboard share: a shop's profile and policies, a
service's and a professional's fields, the payment setup."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from domain.catalog_rules import professional_columns, service_columns
from domain.errors import InvalidRequest
from domain.payments import (
    DepositKind,
    PaymentMethod,
    PaymentSettings,
    TransferNeedsAccount,
    checked_deposit,
    checked_settings,
    destination_changed,
)
from domain.shops import profile_columns


def test_a_profile_is_tidied_as_it_is_stored() -> None:
    columns = profile_columns(
        {
            "name": "  Don  Julio ",
            "address": "",
            "contact_phone": "11 5874-9895",
            "reminder_hours": [2, 24, 2],
            "agenda_hour": None,
        }
    )

    assert columns == {
        "name": "Don Julio",
        "address": None,
        "contact_phone": "+5491158749895",
        "reminder_hours": "24,2",
        "agenda_hour": None,
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("name", " "),
        ("hold_minutes", 0),
        ("max_days_ahead", True),
        ("min_notice_minutes", None),
        ("reminder_hours", [1, 2, 3, 4, 5]),
        ("reminder_hours", [0]),
        ("maps_url", "javascript:alert(1)"),
        ("timezone", "Buenos Aires"),
        ("locale", "fr"),
        ("contact_phone", "no tengo"),
    ],
)
def test_a_profile_value_out_of_its_rule_is_refused_naming_it(name: str, value: Any) -> None:
    with pytest.raises(InvalidRequest) as refused:
        profile_columns({name: value})
    assert refused.value.field == name


def test_a_service_is_stored_in_centavos_with_its_words_in_one_text() -> None:
    columns = service_columns(
        {"name": " Corte  clásico", "price": Decimal("12000.50"), "synonyms": ["pelo", "Pelo"]},
        "ARS",
    )

    assert columns == {"name": "Corte clásico", "price_cents": 1_200_050, "synonyms": "pelo"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("price", Decimal("-1")),
        ("price", Decimal("1.005")),
        ("price", "NaN"),
        ("duration_minutes", 721),
        ("seats", 0),
        ("name", "a\x00b"),
    ],
)
def test_a_service_field_out_of_its_rule_is_refused_naming_it(name: str, value: Any) -> None:
    with pytest.raises(InvalidRequest) as refused:
        service_columns({name: value}, "ARS")
    assert refused.value.field == name


def test_a_blank_nickname_is_none() -> None:
    assert professional_columns({"name": "Ana", "nickname": " "}) == {
        "name": "Ana",
        "nickname": None,
    }


def test_a_shop_that_takes_transfers_needs_an_alias_or_an_account() -> None:
    with pytest.raises(TransferNeedsAccount):
        checked_settings(PaymentSettings(methods=(PaymentMethod.TRANSFER,)))


def test_only_the_alias_account_and_cuit_are_where_the_money_goes() -> None:
    before = PaymentSettings(transfer_alias="don.julio")

    assert not destination_changed(
        before, PaymentSettings(transfer_alias="don.julio", max_cuotas=6)
    )
    assert destination_changed(before, PaymentSettings(transfer_alias="otro.alias"))


def test_a_percent_seña_goes_from_1_to_100() -> None:
    assert checked_deposit(DepositKind.PERCENT, 30).value == 30
    with pytest.raises(InvalidRequest):
        checked_deposit(DepositKind.PERCENT, 101)
