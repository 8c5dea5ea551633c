"""Days relative to today ("mañana", "el sábado", "el 15", "el finde") and repetition."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from conversations.understanding import calendar_days as cal
from conversations.understanding.lexicon import MONTHS, NUMBER_WORDS, WEEKDAYS
from conversations.understanding.scratch import Scratch


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_WD = _alternatives(WEEKDAYS)
_MONTH = _alternatives(MONTHS)
_N = rf"\d{{1,2}}|{_alternatives(NUMBER_WORDS)}"

_EVERY_WEEKDAY = re.compile(rf"\b(?:todos los|todas las semanas los|cada) (?P<wd>{_WD})\b")
_NEXT_N_WEEKDAYS = re.compile(rf"\blos proximos (?P<n>{_N}) (?P<wd>{_WD})\b")
_EVERY_N = re.compile(rf"\bcada (?P<n>{_N}) (?P<unit>semanas|dias)\b")
_EVERY: dict[int, re.Pattern[str]] = {
    1: re.compile(
        r"\b(?:cada semana|todas las semanas|semanalmente|semanal"
        r"|una vez (?:por|a la|cada|por la|x) semana)\b"
    ),
    2: re.compile(r"\b(?:quincenal|quincenalmente|cada quincena)\b"),
    4: re.compile(r"\b(?:cada mes|todos los meses|una vez (?:por|al) mes|mensual|mensualmente)\b"),
}
_FOR = re.compile(
    rf"\b(?:por|durante) (?:las |los )?(?:proximas |proximos )?(?P<n>{_N}) "
    r"(?P<unit>semanas|semana|meses|mes)\b"
)
_TIMES = re.compile(rf"\b(?P<n>{_N}) veces\b")

_NUMERIC = re.compile(r"\b(?P<d>\d{1,2})[/-](?P<m>\d{1,2})(?:[/-](?P<y>\d{4}|\d{2}))?\b")
_NAMED = re.compile(
    rf"\b(?:el |dia |para el )?(?P<d>\d{{1,2}}|primero)(?: (?:ro|er|o))? "
    rf"(?:de )?(?P<month>{_MONTH})\b"
    r"(?: (?:de |del )?(?P<y>\d{4}))?"
)
_BETWEEN_DAYS = re.compile(r"\b(?:del|entre el) (?P<a>\d{1,2}) (?:al|y el) (?P<b>\d{1,2})\b")
_WEEKDAY_AND_DAY = re.compile(rf"\b(?:el |este )?(?:{_WD}) (?P<d>\d{{1,2}})\b(?![:./])")
_DAY_OF_MONTH = re.compile(
    r"\b(?:el dia|para el|el|del|dia) (?P<d>\d{1,2})\b(?! (?:ro|ra|er|do|da|to|ta|vo|va)\b)"
)
_WEEKEND = re.compile(
    r"\b(?:el |este |para el )?(?P<next>proximo )?(?:finde|fin de semana|fines de semana)"
    r"(?P<after> que viene| proximo)?\b"
)
_WEEKS: dict[str, re.Pattern[str]] = {
    "next": re.compile(
        r"\b(?:(?:de |para |en )?la )?(?:semana que viene|proxima semana|semana proxima"
        r"|otra semana|semana entrante)\b"
    ),
    "this": re.compile(r"\b(?:en |para )?esta semana\b"),
    "month": re.compile(r"\b(?:el )?(?:mes que viene|proximo mes|mes proximo)\b"),
}
_RELATIVE: dict[str, re.Pattern[str]] = {
    "tomorrow_or_after": re.compile(r"\bmanana o pasado(?: manana)?\b"),
    "after_tomorrow": re.compile(r"\bpasado manana\b"),
    "tomorrow": re.compile(r"\bmanana\b"),
    "today": re.compile(r"\b(?:hoy(?: mismo)?|en un rato|ahora mismo|ya mismo)\b"),
}
_OFFSETS = {"tomorrow_or_after": (1, 2), "after_tomorrow": (2, 2), "tomorrow": (1, 1)}
_IN_DAYS = re.compile(rf"\b(?:en|dentro de) (?P<n>{_N}) dias\b")
# A day turned down is not a day asked for: "no puedo el jueves", "el jueves no puedo".
_DAYWORD = rf"(?:{_WD}|manana|hoy)"
_DENIED = re.compile(
    rf"\bno (?:puedo|podria|me sirve|me viene bien) (?:el |los )?{_DAYWORD}\b"
    rf"|\b(?:el )?{_DAYWORD} no (?:puedo|me sirve|me viene bien)\b"
    rf"|\b(?:el )?{_DAYWORD} no (?=(?:el |para el )?(?:{_DAYWORD}|pasado)\b)"
)
_WEEKDAY = re.compile(  # "con Domingo" is a person
    rf"(?<!con )\b(?:(?:el |este |para el )?(?P<next>proximo )|el |este |para el )?(?P<wd>{_WD})"
    r"(?P<after> que viene| proximo)?\b"
)


@dataclass(frozen=True)
class Days:
    """What a message says about the day (a span) and about repeating it."""

    first: date | None = None
    last: date | None = None
    weekly: int | None = None
    count: int | None = None
    weekday: int | None = None  # a weekday named on its own: "el martes", not "el martes 8"


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word, 0)


def read_days(scratch: Scratch, today: date) -> Days:
    """Take the days (and "todos los martes", "por 4 semanas") out of a message."""
    scratch.take(_DENIED)
    weekly, count, weekdays = _repetition(scratch)
    spans = _explicit_dates(scratch, today)
    weeks = [name for name, pattern in _WEEKS.items() if scratch.take(pattern)]
    for match in scratch.take(_WEEKEND):
        spans.append(cal.weekend(today, following=bool(match.group("next") or match["after"])))
    for name, pattern in _RELATIVE.items():
        for _ in scratch.take(pattern):
            low, high = _OFFSETS.get(name, (0, 0))
            spans.append((today + timedelta(days=low), today + timedelta(days=high)))
    spans += [_single(today + timedelta(days=_number(m["n"]))) for m in scratch.take(_IN_DAYS)]
    for match in scratch.take(_DAY_OF_MONTH):
        if found := cal.day_of_month(today, int(match["d"])):
            spans.append(_single(found))
    for match in scratch.take(_WEEKDAY):
        strictly = bool(match["next"] or match["after"])
        weekdays.append((WEEKDAYS[match["wd"]], strictly))
    alone = not spans and not weeks and len(weekdays) == 1 and not weekdays[0][1]
    weekday = weekdays[0][0] if alone else None
    spans += _weekday_spans(today, weekdays, weeks)
    if not spans:
        return Days(weekly=weekly, count=count)
    return Days(min(s[0] for s in spans), max(s[1] for s in spans), weekly, count, weekday)


def _single(day: date) -> tuple[date, date]:
    return day, day


def _repetition(scratch: Scratch) -> tuple[int | None, int | None, list[tuple[int, bool]]]:
    """Weeks between sessions, how many sessions, and the weekdays named along the way."""
    weekly: int | None = None
    count: int | None = None
    weekdays = [(WEEKDAYS[m["wd"]], False) for m in scratch.take(_EVERY_WEEKDAY)]
    for match in scratch.take(_NEXT_N_WEEKDAYS):
        weekdays.append((WEEKDAYS[match["wd"]], True))
        count = _number(match["n"]) or None
    weekly = 1 if weekdays else None
    for match in scratch.take(_EVERY_N):
        n = _number(match["n"])
        weekly = max(1, round(n / 7)) if match["unit"] == "dias" else n or None
    for every, pattern in _EVERY.items():
        weekly = every if scratch.take(pattern) else weekly
    for match in scratch.take(_FOR):
        weeks = _number(match["n"]) * (4 if match["unit"].startswith("mes") else 1)
        count = max(1, weeks // (weekly or 1)) if weeks else count
    for match in scratch.take(_TIMES):
        count = _number(match["n"]) or count
    return weekly, count, weekdays


def _explicit_dates(scratch: Scratch, today: date) -> list[tuple[date, date]]:
    """Dates with a number in them: "15/12", "15 de diciembre", "el martes 15"."""
    found: list[date | None] = []
    for match in scratch.take(_NUMERIC):
        year = int(match["y"]) if match["y"] else None
        found.append(cal.day_and_month(today, int(match["d"]), int(match["m"]), year))
    for match in scratch.take(_NAMED):
        day = 1 if match["d"] == "primero" else int(match["d"])
        year = int(match["y"]) if match["y"] else None
        found.append(cal.day_and_month(today, day, MONTHS[match["month"]], year))
    found += [cal.day_of_month(today, int(m["d"])) for m in scratch.take(_WEEKDAY_AND_DAY)]
    spans = [_single(day) for day in found if day is not None]
    for match in scratch.take(_BETWEEN_DAYS):
        first = cal.day_of_month(today, int(match["a"]))
        last = cal.day_of_month(first or today, int(match["b"]))
        if first and last:
            spans.append((first, last))
    return spans


def _weekday_spans(
    today: date, weekdays: list[tuple[int, bool]], weeks: list[str]
) -> list[tuple[date, date]]:
    """Weekdays on their own are the next such day; with "la semana que viene", that week's."""
    ranges = {
        "next": cal.next_week(today),
        "this": cal.this_week(today),
        "month": cal.next_month(today),
    }
    if weekdays and weeks == ["next"]:
        monday = ranges["next"][0]
        return [_single(monday + timedelta(days=wd)) for wd, _ in weekdays]
    days = [_single(cal.next_weekday(today, wd, strictly)) for wd, strictly in weekdays]
    return days + ([] if weekdays and weeks == ["this"] else [ranges[name] for name in weeks])
