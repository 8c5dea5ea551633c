"""The rules of a shop's catalog as its owner sets it up: what a service and a professional may
be (the REST API and the dashboard check the same), a service's chat synonyms, and a
professional's weekly hours (periods that neither overlap nor run backwards). Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.errors import InvalidRequest
from domain.model import WeeklyPeriod
from domain.money import Money

SYNONYMS_CHARS = 500  # ServiceRow.synonyms' width, commas included
_SEPARATOR = ","
# The longest a booking may keep a professional busy is 14 hours (the overlap queries rely on
# it): 12 of service at most, and buffers of an hour each.
SERVICE_LIMITS: dict[str, tuple[int, int]] = {
    "duration_minutes": (1, 720),
    "buffer_before_minutes": (0, 60),
    "buffer_after_minutes": (0, 60),
    "seats": (1, 100),  # more than 1: a group session
}
NAME_CHARS = 120
WORD_CHARS = 60  # a nickname, a synonym
MAX_SYNONYMS = 20
MAX_PRICE = Decimal("9999999999.99")
_CENT = Decimal("0.01")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def service_columns(fields: Mapping[str, Any], currency: str) -> dict[str, Any]:
    """A service's fields as the columns that store them, each checked and tidied: the price
    in centavos, synonyms as one text; InvalidRequest naming the first field at fault."""
    return dict(service_column(name, value, currency) for name, value in fields.items())


def service_column(name: str, value: Any, currency: str) -> tuple[str, Any]:
    """One field of a service as (column, value), checked (InvalidRequest naming it)."""
    if name == "price":
        return "price_cents", price_cents(value, currency)
    if name == "synonyms":
        return name, synonyms_text(clean_synonyms(value))
    if name == "name":
        return name, clean_name(value)
    if name in SERVICE_LIMITS:
        low, high = SERVICE_LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidRequest(f"a whole number from {low} to {high}", field=name)
        return name, value
    if name == "active" and isinstance(value, bool):
        return name, value
    raise ValueError(f"not a service field: {name!r}")


def professional_columns(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A professional's name, nickname (blank: none) and `active`, checked and tidied."""
    columns: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "name":
            columns[name] = clean_name(value)
        elif name == "nickname":
            blank = value is None or not value.strip()
            columns[name] = None if blank else clean_name(value, "nickname", WORD_CHARS)
        elif name == "active" and isinstance(value, bool):
            columns[name] = value
        else:
            raise ValueError(f"not a professional field: {name!r}")
    return columns


def price_cents(amount: Decimal | str, currency: str) -> int:
    """An exact price (at most two decimals, never negative) in centavos."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= MAX_PRICE or value != value.quantize(_CENT):
        raise InvalidRequest("a non-negative amount with at most two decimals", field="price")
    return Money.from_decimal(value, currency).cents


def clean_name(value: str, field: str = "name", chars: int = NAME_CHARS) -> str:
    """A name on one line, spaces collapsed, 1 to `chars` characters (InvalidRequest naming
    `field`)."""
    if _CONTROL.search(value.replace("\t", " ")):
        raise InvalidRequest("one line of text, without control characters", field=field)
    words = " ".join(value.split())
    if not 1 <= len(words) <= chars:
        raise InvalidRequest(f"1 to {chars} characters", field=field)
    return words


def clean_synonyms(synonyms: Sequence[str]) -> tuple[str, ...]:
    """The words customers use for a service, tidied: spaces collapsed, repeats dropped.

    They are stored comma-separated, so a comma inside one is refused (422 naming it).
    """
    if len(synonyms) > MAX_SYNONYMS:
        raise InvalidRequest(f"at most {MAX_SYNONYMS} synonyms", field="synonyms")
    cleaned: dict[str, str] = {}
    for index, synonym in enumerate(synonyms):
        words = " ".join(synonym.split())
        if not words or len(words) > WORD_CHARS or _CONTROL.search(words):
            raise InvalidRequest(
                f"1 to {WORD_CHARS} characters on one line", field=f"synonyms[{index}]"
            )
        if _SEPARATOR in words:
            raise InvalidRequest(
                "one word or phrase per synonym, without commas", field=f"synonyms[{index}]"
            )
        cleaned.setdefault(words.casefold(), words)
    result = tuple(cleaned.values())
    if len(synonyms_text(result)) > SYNONYMS_CHARS:
        raise InvalidRequest(f"at most {SYNONYMS_CHARS} characters in all", field="synonyms")
    return result


def synonyms_text(synonyms: Iterable[str]) -> str:
    """How synonyms are stored: one text, comma-separated."""
    return _SEPARATOR.join(synonyms)


def parse_synonyms(text: str | None) -> tuple[str, ...]:
    """Stored synonyms back into a tuple (blank entries skipped)."""
    return tuple(part.strip() for part in (text or "").split(_SEPARATOR) if part.strip())


def check_time_off(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """A time off's span: it must end after it starts (InvalidRequest naming `end`)."""
    if end <= start:
        raise InvalidRequest("time off must end after it starts", field="end")
    return start, end


def check_hours(periods: Sequence[WeeklyPeriod], field: str = "hours") -> tuple[WeeklyPeriod, ...]:
    """A professional's weekly hours, checked and tidied: sorted, touching periods joined.

    A period that ends before it starts, or overlaps another on its weekday, is refused with
    InvalidRequest naming it (`hours[2]`, the later of two that overlap).
    """
    for index, period in enumerate(periods):
        if not 0 <= period.weekday <= 6:
            raise InvalidRequest("weekday goes from 0 (Monday) to 6", field=f"{field}[{index}]")
        if period.start >= period.end:
            raise InvalidRequest("a period must end after it starts", field=f"{field}[{index}]")
    for index, period in enumerate(periods):
        for other in periods[:index]:
            if _overlap(period, other):
                raise InvalidRequest(
                    f"overlaps another period on weekday {period.weekday}",
                    field=f"{field}[{index}]",
                )
    return _joined(periods)


def effective_hours(
    hours: Iterable[WeeklyPeriod], breaks: Iterable[WeeklyPeriod]
) -> tuple[WeeklyPeriod, ...]:
    """The time actually worked each weekday: the work periods minus the breaks, sorted."""
    worked: list[WeeklyPeriod] = []
    cuts = list(breaks)
    for period in _joined(list(hours)):
        pieces = [(period.start, period.end)]
        for cut in cuts:
            if cut.weekday == period.weekday:
                pieces = [piece for p in pieces for piece in _minus(p, (cut.start, cut.end))]
        worked.extend(WeeklyPeriod(period.weekday, start, end) for start, end in pieces)
    return tuple(sorted(worked, key=_order))


def _joined(periods: Sequence[WeeklyPeriod]) -> tuple[WeeklyPeriod, ...]:
    """Sorted by weekday and start, with periods that touch or overlap made one."""
    joined: list[WeeklyPeriod] = []
    for period in sorted(periods, key=_order):
        last = joined[-1] if joined else None
        if last is not None and last.weekday == period.weekday and period.start <= last.end:
            joined[-1] = WeeklyPeriod(last.weekday, last.start, max(last.end, period.end))
        else:
            joined.append(period)
    return tuple(joined)


def _minus(piece: tuple[time, time], cut: tuple[time, time]) -> list[tuple[time, time]]:
    """What is left of a stretch of a day once a cut is taken out of it."""
    start, end = piece
    if cut[1] <= start or end <= cut[0]:
        return [piece]
    left = [(start, cut[0])] if start < cut[0] else []
    return left + ([(cut[1], end)] if cut[1] < end else [])


def _overlap(a: WeeklyPeriod, b: WeeklyPeriod) -> bool:
    return a.weekday == b.weekday and a.start < b.end and b.start < a.end


def _order(period: WeeklyPeriod) -> tuple[int, time]:
    return period.weekday, period.start
