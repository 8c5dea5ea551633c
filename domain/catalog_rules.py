"""The rules of a shop's catalog as its owner sets it up: a service's chat synonyms, and a
professional's weekly hours (periods that neither overlap nor run backwards). Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import time

from domain.errors import InvalidRequest
from domain.model import WeeklyPeriod

SYNONYMS_CHARS = 500  # ServiceRow.synonyms' width, commas included
_SEPARATOR = ","


def clean_synonyms(synonyms: Sequence[str]) -> tuple[str, ...]:
    """The words customers use for a service, tidied: spaces collapsed, repeats dropped.

    They are stored comma-separated, so a comma inside one is refused (422 naming it).
    """
    cleaned: dict[str, str] = {}
    for index, synonym in enumerate(synonyms):
        words = " ".join(synonym.split())
        if not words:
            raise InvalidRequest("a synonym cannot be empty", field=f"synonyms[{index}]")
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
