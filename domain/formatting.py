"""Prices, dates and times for people, through babel in the shop's locale and zone."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import (
    format_date,
    format_datetime,
    format_skeleton,
    format_time,
    get_day_names,
)
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, get_decimal_symbol, get_group_symbol

from domain.errors import InvalidRequest
from domain.money import Money

_CURRENCY_MARKS = re.compile(r"\$|ARS|\s")


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


def format_amount(money: Money, locale: str = "es_AR") -> str:
    """An amount as a person types it back into a form: `12.000` or `12.000,50`."""
    pattern = "#,##0" if money.cents % 100 == 0 else "#,##0.00"
    return format_decimal(money.amount, format=pattern, locale=locale)


def parse_amount(text: str, locale: str = "es_AR") -> Decimal:
    """An amount as a person types it, in their locale's way or the plain one: for es_AR
    «12000», «12.000», «12.000,50», «$ 12.000», «12000.50» (a lone dot with one or two
    digits after it is a decimal point, as phone keypads write it). InvalidRequest when it
    is not an amount with at most two decimals."""
    point, group = get_decimal_symbol(locale), get_group_symbol(locale)
    compact = _CURRENCY_MARKS.sub("", text)
    whole, _, cents = compact.rpartition(point) if point in compact else (compact, "", "")
    if not cents and point not in compact:
        parts = whole.split(group)
        if len(parts) == 2 and 1 <= len(parts[1]) <= 2:  # «12000.50» on an es_AR phone
            whole, cents = parts
    digits = rf"[0-9]+|[0-9]{{1,3}}(?:{re.escape(group)}[0-9]{{3}})+"
    decimals = "[0-9]{1,2}" if point in compact else "[0-9]{0,2}"
    if not re.fullmatch(digits, whole) or not re.fullmatch(decimals, cents):
        raise InvalidRequest(f"not an amount: {text!r}", field="price")
    return Decimal(whole.replace(group, "") + "." + (cents or "0"))


def format_hour(moment: time, locale: str = "es_AR") -> str:
    """A wall-clock time as a receptionist says it: `9` or `16:30` (`9:00`, `16:30` in English)."""
    pattern = "H" if moment.minute == 0 and locale.startswith("es") else "H:mm"
    return format_time(moment, pattern, locale=locale)


def weekday_name(weekday: int, locale: str = "es_AR") -> str:
    """`lunes` for 0 (Monday) … `domingo` for 6, as the locale writes it in a sentence."""
    return str(get_day_names("wide", context="format", locale=locale)[weekday])


def format_list_of(items: list[str], locale: str = "es_AR", *, alternatives: bool = False) -> str:
    """`Tincho, Facu y Lu` (`efectivo o transferencia` with `alternatives`)."""
    return format_list(items, style="or" if alternatives else "standard", locale=locale)
