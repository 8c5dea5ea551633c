"""Payment rules: what the chat offers, señas in exact money, and who pays one."""

from __future__ import annotations

import pytest

from domain.ledger import Entry, Line, payouts, reversed_split, split
from domain.money import Money
from domain.payments import (
    Deposit,
    DepositKind,
    DepositWhen,
    InvalidAccount,
    PaymentMethod,
    PaymentSettings,
    account_number,
    deposit_due,
    is_cvu,
)

PRICE = Money(1_200_000)  # $ 12.000


def test_a_transfer_is_offered_only_with_somewhere_to_send_it_and_tickets_only_if_allowed() -> None:
    bare = PaymentSettings()
    assert bare.offered == (PaymentMethod.MERCADOPAGO, PaymentMethod.CASH, PaymentMethod.TICKET)
    set_up = PaymentSettings(transfer_alias="DON.JULIO.BARBER", cash_tickets=False)
    assert PaymentMethod.TRANSFER in set_up.offered
    assert PaymentMethod.TICKET not in set_up.offered


def test_a_percent_sena_rounds_half_up_and_a_fixed_one_never_exceeds_the_price() -> None:
    assert Deposit(DepositKind.PERCENT, 33).amount(Money(1001)) == Money(330)  # 330.33
    assert Deposit(DepositKind.PERCENT, 50).amount(Money(1001)) == Money(501)  # 500.5 → 501
    assert Deposit(DepositKind.FIXED, 300_000).amount(PRICE) == Money(300_000)
    assert Deposit(DepositKind.FIXED, 9_000_000).amount(PRICE) == PRICE
    assert Deposit().amount(PRICE) == Money(0)


@pytest.mark.parametrize(
    ("when", "first", "missed", "due"),
    [
        (DepositWhen.ALWAYS, False, False, 360_000),
        (DepositWhen.NEW_CUSTOMERS, True, False, 360_000),
        (DepositWhen.NEW_CUSTOMERS, False, True, 0),
        (DepositWhen.AFTER_A_MISS, False, True, 360_000),
        (DepositWhen.AFTER_A_MISS, True, False, 0),
    ],
)
def test_who_pays_the_sena(when: DepositWhen, first: bool, missed: bool, due: int) -> None:
    rule = Deposit(DepositKind.PERCENT, 30)
    assert deposit_due(rule, PRICE, when, first_turno=first, missed_before=missed) == Money(due)


def test_cbu_and_cvu_are_checked_by_both_check_digits() -> None:
    assert account_number("28505909 40090418135201") == "2850590940090418135201"
    assert is_cvu(account_number("0000003100000000123459"))
    with pytest.raises(InvalidAccount):
        account_number("2850590940090418135202")


def test_a_charge_splits_exactly_and_a_refund_mirrors_it() -> None:
    lines = split(Money(1_234_567), commission_bps=300, professional_percent=50)
    assert [s.amount.cents for s in lines] == [37_037, 598_765, 598_765]
    assert sum(s.amount.cents for s in lines) == 1_234_567
    odd = split(Money(1001), commission_bps=250, professional_percent=33)
    assert sum(s.amount.cents for s in odd) == 1001
    assert [s.amount.cents for s in reversed_split(lines)] == [-37_037, -598_765, -598_765]


def test_payouts_add_up_per_professional() -> None:
    charge = split(Money(1_200_000), 300, 50)
    lines = [Line(1, Entry.CHARGE, s.account, s.amount) for s in charge]
    lines += [Line(1, Entry.REFUND, s.account, s.amount) for s in reversed_split(charge)]
    lines += [Line(2, Entry.CHARGE, s.account, s.amount) for s in charge]
    first, second = payouts(lines)
    assert (first.charged, first.refunded) == (Money(1_200_000), Money(-1_200_000))
    assert first.net == Money(0)
    assert (second.commission, second.professional, second.shop) == (
        Money(36_000),
        Money(582_000),
        Money(582_000),
    )
