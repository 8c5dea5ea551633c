"""Prices, dates and times for people, through babel in the shop's locale and zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_currency

from domain.money import Money


def format_money(money: Money, locale: str = "es_AR", with_cents: bool = True) -> str:
    """`$ 12.000,00` for es_AR (babel's symbol and separators, a non-breaking space after ¤)."""
    pattern = "¤\u00a0#,##0.00" if with_cents else "¤\u00a0#,##0"
    return format_currency(
        money.amount, money.currency, format=pattern, locale=locale, currency_digits=False
    )


def format_when(moment: datetime, timezone: str, locale: str = "es_AR") -> str:
    """`sábado 14 de diciembre, 15:30` in the shop's zone (never a naive datetime)."""
    local = moment.astimezone(ZoneInfo(timezone))
    return format_datetime(local, "EEEE d 'de' MMMM, HH:mm", tzinfo=local.tzinfo, locale=locale)
