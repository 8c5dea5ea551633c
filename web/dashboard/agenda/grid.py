"""A day of the agenda as a table: a row every five minutes, a column per professional, each
turno (or blocked time) one cell spanning its rows.

Rows and `rowspan` place everything, so the page needs no inline styles (a strict CSP can
forbid them). Turnos that overlap in a column (a group class, a cancelled turno shown beside
the one that took its place) share one cell. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from math import ceil, floor
from zoneinfo import ZoneInfo

from domain.calendar import ShopCalendar
from domain.model import Professional, ProfessionalSchedule, WeeklyPeriod
from domain.storage.owner_agenda import BookingRead

ROW = timedelta(minutes=5)
DEFAULT_HOURS = (time(9), time(20))  # the rows shown on a day nobody works
_MARKS = {0: "hour", 30: "half"}


@dataclass(frozen=True)
class Block:
    """Time a professional blocked (time off) as the agenda shows it; times in UTC."""

    start: datetime
    end: datetime
    reason: str


Item = BookingRead | Block


@dataclass(frozen=True)
class Cell:
    """One cell of a column, `rows` tall: turnos and blocks, or an empty stretch (worked or
    not)."""

    rows: int
    items: tuple[Item, ...] = ()
    working: bool = True


@dataclass(frozen=True)
class Row:
    """Five minutes of the day; `cells` has None where a taller cell above covers the row."""

    start: datetime
    label_rows: int  # > 0 on the first row of an hour: how many rows its label spans
    mark: str  # "hour" or "half" on the rows that draw a line, else ""
    now: bool
    cells: tuple[Cell | None, ...]


@dataclass(frozen=True)
class DayGrid:
    """The whole table of one day."""

    columns: tuple[Professional, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class _Span:
    """A stretch of rows [first, last) and what fills it."""

    first: int
    last: int
    items: tuple[Item, ...]


def day_grid(
    day: date,
    timezone: str,
    columns: Sequence[Professional],
    bookings: Sequence[BookingRead],
    schedules: Sequence[ProfessionalSchedule],
    calendar: ShopCalendar,
    now: datetime,
) -> DayGrid:
    """The table of `day` for these professionals (their turnos and time off), `now` marked."""
    zone = ZoneInfo(timezone)
    by_pro = {s.professional_id: s for s in schedules}
    closed = calendar.is_closed(day)
    work = {p.id: [] if closed else worked(by_pro.get(p.id), day, zone) for p in columns}
    items: dict[int, list[Item]] = {p.id: [] for p in columns}
    for booking in bookings:
        items.setdefault(booking.professional_id, []).append(booking)
    for pro in columns:
        items[pro.id] += blocks(by_pro.get(pro.id), day, zone)
    first, last = _bounds(day, zone, [s for spans in work.values() for s in spans], items)
    count = max(1, round((last - first) / ROW))
    grid = [_column(first, count, items.get(pro.id, []), work.get(pro.id, [])) for pro in columns]
    return DayGrid(tuple(columns), _rows(first, count, grid, zone, now))


def _rows(
    first: datetime, count: int, grid: list[list[Cell | None]], zone: ZoneInfo, now: datetime
) -> tuple[Row, ...]:
    """The columns' cells as the table's rows, with their hour labels, lines and now."""
    starts = [first + ROW * n for n in range(count)]
    labels = _labels(starts, zone)
    return tuple(
        Row(
            start,
            labels.get(n, 0),
            _MARKS.get(start.astimezone(zone).minute, ""),
            start <= now < start + ROW,
            tuple(column[n] for column in grid),
        )
        for n, start in enumerate(starts)
    )


def worked(
    schedule: ProfessionalSchedule | None, day: date, zone: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """The stretches (UTC) a professional works on a local day: weekly hours minus breaks."""
    if schedule is None:
        return []
    hours = [_wall(day, p, zone) for p in schedule.hours if p.weekday == day.weekday()]
    for pause in (_wall(day, p, zone) for p in schedule.breaks if p.weekday == day.weekday()):
        hours = [piece for span in hours for piece in _minus(span, pause)]
    return sorted(hours)


def blocks(schedule: ProfessionalSchedule | None, day: date, zone: ZoneInfo) -> list[Block]:
    """The professional's time off that touches the local day."""
    if schedule is None:
        return []
    opens, closes = _at(day, time(0), zone), _at(day + timedelta(days=1), time(0), zone)
    return [
        Block(t.starts_at, t.ends_at, t.reason)
        for t in schedule.time_off
        if t.starts_at < closes and t.ends_at > opens
    ]


def _bounds(
    day: date,
    zone: ZoneInfo,
    work: list[tuple[datetime, datetime]],
    items: dict[int, list[Item]],
) -> tuple[datetime, datetime]:
    """From the hour the first one starts to the hour the last one ends, within the day."""
    opens, closes = _at(day, time(0), zone), _at(day + timedelta(days=1), time(0), zone)
    spans = work + [(i.start, i.end) for found in items.values() for i in found]
    if not spans:
        spans = [(_at(day, DEFAULT_HOURS[0], zone), _at(day, DEFAULT_HOURS[1], zone))]
    first = max(opens, min(s for s, _ in spans))
    last = min(closes, max(e for _, e in spans))
    hour = timedelta(hours=1)
    first = opens + hour * floor((first - opens) / hour)
    last = min(closes, opens + hour * ceil((last - opens) / hour))
    return first, max(last, first + hour)


def _column(
    first: datetime, count: int, items: list[Item], work: list[tuple[datetime, datetime]]
) -> list[Cell | None]:
    """One professional's cells, row by row (None under a taller cell)."""
    cells: list[Cell | None] = [None] * count
    covered = [False] * count
    for span in _spans(first, count, items):
        cells[span.first] = Cell(span.last - span.first, span.items)
        for n in range(span.first, span.last):
            covered[n] = True
    for n in range(count):
        if not covered[n]:
            middle = first + ROW * n + ROW / 2
            cells[n] = Cell(1, (), any(s <= middle < e for s, e in work))
    return cells


def _spans(first: datetime, count: int, items: list[Item]) -> list[_Span]:
    """The items' rows, those that overlap joined into one span."""
    placed = []
    for item in items:
        top = max(0, floor((item.start - first) / ROW))
        bottom = min(count, max(top + 1, ceil((item.end - first) / ROW)))
        if top < count and bottom > 0:
            placed.append((top, bottom, item))
    placed.sort(key=lambda p: (p[0], p[1], _order(p[2])))
    spans: list[_Span] = []
    for top, bottom, item in placed:
        if spans and top < spans[-1].last:
            last = spans[-1]
            spans[-1] = _Span(last.first, max(last.last, bottom), (*last.items, item))
        else:
            spans.append(_Span(top, bottom, (item,)))
    return spans


def _order(item: Item) -> tuple[int, int]:
    """Blocks after turnos; turnos by id, so a cell lists them the same way every time."""
    return (1, 0) if isinstance(item, Block) else (0, item.id)


def _labels(starts: list[datetime], zone: ZoneInfo) -> dict[int, int]:
    """Row index → rows its hour label spans, for the rows that start a local hour."""
    hours = [n for n, s in enumerate(starts) if s.astimezone(zone).minute == 0]
    if not hours or hours[0] != 0:
        hours.insert(0, 0)
    ends = [*hours[1:], len(starts)]
    return {n: end - n for n, end in zip(hours, ends, strict=True)}


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time of a local day, in UTC."""
    return datetime.combine(day, clock, zone).astimezone(UTC)


def _wall(day: date, period: WeeklyPeriod, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return _at(day, period.start, zone), _at(day, period.end, zone)


def _minus(
    span: tuple[datetime, datetime], pause: tuple[datetime, datetime]
) -> list[tuple[datetime, datetime]]:
    """What is left of `span` outside `pause`."""
    start, end = span
    if pause[1] <= start or pause[0] >= end:
        return [span]
    return [(s, e) for s, e in ((start, pause[0]), (pause[1], end)) if s < e]
