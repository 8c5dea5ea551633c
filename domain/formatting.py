"""Prices, dates and times for people, through babel in the shop's locale and zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_skeleton, format_time
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
    pattern = f"{_day_pattern(locale)}, HH:mm"
    return format_datetime(local, pattern, tzinfo=local.tzinfo, locale=locale)


def format_day(day: date, locale: str = "es_AR") -> str:
    """`sábado 14 de diciembre` (`Saturday, December 14` in English)."""
    return format_date(day, _day_pattern(locale), locale=locale)


def format_clock(moment: datetime, timezone: str, locale: str = "es_AR") -> str:
    """`15:30` in the shop's zone."""
    local = moment.astimezone(ZoneInfo(timezone))
    return format_time(local, "HH:mm", tzinfo=local.tzinfo, locale=locale)


def _day_pattern(locale: str) -> str:
    # CLDR has no "weekday day month" skeleton that reads naturally in both languages.
    return "EEEE d 'de' MMMM" if locale.startswith("es") else "EEEE, MMMM d"


def format_short_day(day: date, locale: str = "es_AR") -> str:
    """`14/12` (`12/14` in English): a day inside a range, where the weekday would crowd it."""
    return format_skeleton("dM", day, locale=locale)
