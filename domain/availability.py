"""Free slots: working hours minus breaks, time off, holidays, bookings and live holds.

The search runs on integer UTC seconds (not datetimes) because it is the hot path: a 30-day
query for five professionals checks thousands of candidate starts. Candidates are laid out in
the shop's wall-clock time, so a DST change moves them with the clock on the wall.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from math import ceil
from zoneinfo import ZoneInfo

from domain.calendar import ShopCalendar
from domain.model import ProfessionalSchedule, Service, Shop, WeeklyPeriod, session_key

_DAY = timedelta(days=1)


@dataclass(frozen=True)
class BusyBlock:
    """Time a professional cannot take new work: an active booking's session with buffers."""

    professional_id: int
    start: datetime
    end: datetime
    session_key: str
    seats_taken: int = 1
    capacity: int = 1


@dataclass(frozen=True)
class Slot:
    """A bookable start for a service with one professional."""

    start: datetime
    end: datetime
    professional_id: int
    seats_left: int


def bookable_days(shop: Shop, now: datetime, first: date, last: date) -> tuple[date, date]:
    """Clamp a requested day range to today .. today + max_days_ahead in the shop's zone."""
    today = now.astimezone(ZoneInfo(shop.timezone)).date()
    return max(first, today), min(last, today + timedelta(days=shop.policy.max_days_ahead))


def utc_window(shop: Shop, first: date, last: date) -> tuple[datetime, datetime]:
    """The UTC instants from the first day's local midnight to the end of the last day."""
    tz = ZoneInfo(shop.timezone)
    start = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(last + _DAY, time(0), tzinfo=tz).astimezone(UTC)
    return start, end


def days_with_slots(
    slots: Sequence[Slot],
    timezone: str,
    first: date,
    last: date,
    window: tuple[time, time] | None = None,
) -> list[date]:
    """The local days from `first` to `last` with a slot (sorted by start) inside `window`.

    What "a day with room" means; `free_days` finds the same days without the slot list.
    """
    # One binary search per day over the time-sorted slots: a month of slots runs to
    # thousands, and converting each one to local time cost more than the search itself.
    tz = ZoneInfo(timezone)
    starts = [s.start for s in slots]
    days = []
    day = first
    while day <= last:
        opens = datetime.combine(day, window[0] if window else time(0), tzinfo=tz)
        closes = (
            datetime.combine(day, window[1], tzinfo=tz)
            if window
            else datetime.combine(day + _DAY, time(0), tzinfo=tz)
        )
        at = bisect_left(starts, opens)
        if at < len(starts) and starts[at] < closes:
            days.append(day)
        day += _DAY
    return days


def free_slots(
    *,
    shop: Shop,
    service: Service,
    schedules: Sequence[ProfessionalSchedule],
    busy: Iterable[BusyBlock],
    calendar: ShopCalendar,
    first_day: date,
    last_day: date,
    now: datetime,
) -> list[Slot]:
    """Every free start for `service` with the given professionals, sorted by time."""
    first, last = bookable_days(shop, now, first_day, last_day)
    if first > last:
        return []
    finders = _finders(shop, service, schedules, busy, now)
    slots: list[Slot] = []
    for finder in finders:
        day = first
        while day <= last:
            if not calendar.is_closed(day):
                slots.extend(finder.day_slots(day))
            day += _DAY
        slots.extend(finder.joinable_sessions(first, last, calendar))
    slots.sort(key=lambda s: (s.start, s.professional_id))
    return slots


def free_days(
    *,
    shop: Shop,
    service: Service,
    schedules: Sequence[ProfessionalSchedule],
    busy: Iterable[BusyBlock],
    calendar: ShopCalendar,
    first_day: date,
    last_day: date,
    now: datetime,
    window: tuple[time, time] | None = None,
) -> list[date]:
    """The days `days_with_slots(free_slots(...), ...)` gives, without laying out every slot.

    "Which days have room?" is asked on every booking (a month of days, several
    professionals); it needs one free start per day, not the thousands free_slots builds.
    """
    first, last = bookable_days(shop, now, first_day, last_day)
    if first > last:
        return []
    tz = ZoneInfo(shop.timezone)
    finders = _finders(shop, service, schedules, busy, now)
    found: set[date] = set()
    day = first
    while day <= last:
        opens, closes = _day_window(day, window, tz)
        if not calendar.is_closed(day) and any(f.has_start(day, opens, closes) for f in finders):
            found.add(day)
        day += _DAY
    for finder in finders:
        for slot in finder.joinable_sessions(first, last, calendar):
            day = slot.start.astimezone(tz).date()
            opens, closes = _day_window(day, window, tz)
            if opens <= slot.start.timestamp() < closes:
                found.add(day)
    return sorted(found)


def _day_window(day: date, window: tuple[time, time] | None, tz: ZoneInfo) -> tuple[float, float]:
    """The UTC seconds of `window` on a local day (the whole day without one)."""
    opens = datetime.combine(day, window[0] if window else time(0), tzinfo=tz)
    closes = (
        datetime.combine(day, window[1], tzinfo=tz)
        if window
        else datetime.combine(day + _DAY, time(0), tzinfo=tz)
    )
    return opens.timestamp(), closes.timestamp()


def _finders(
    shop: Shop,
    service: Service,
    schedules: Sequence[ProfessionalSchedule],
    busy: Iterable[BusyBlock],
    now: datetime,
) -> list[_ProfessionalSlots]:
    """One slot finder per professional who offers the service."""
    tz = ZoneInfo(shop.timezone)
    earliest = ceil(now.timestamp()) + shop.policy.min_notice_minutes * 60  # never a past second
    blocks_by_pro: dict[int, list[BusyBlock]] = {}
    for block in busy:
        blocks_by_pro.setdefault(block.professional_id, []).append(block)
    moments: dict[int, datetime] = {}
    step = shop.policy.slot_step_minutes * 60
    if service.is_group:
        # Classes run back to back on a grid of their own length from the day's first hour
        # (10:00, 12:00, ...), not at every slot step: the first booker must not decide when
        # a class starts and leave the others at odd times.
        step = max(step, service.duration_minutes * 60)
    return [
        _ProfessionalSlots(
            service,
            schedule,
            blocks_by_pro.get(schedule.professional_id, []),
            tz,
            step,
            earliest,
            moments,
        )
        for schedule in schedules
        if schedule.professional_id in service.professional_ids
    ]


class _ProfessionalSlots:
    """Finds one professional's free starts, day by day."""

    def __init__(
        self,
        service: Service,
        schedule: ProfessionalSchedule,
        blocks: list[BusyBlock],
        tz: ZoneInfo,
        step: int,
        earliest: int,
        moments: dict[int, datetime],
    ) -> None:
        self.service = service
        self.moments = moments
        self.schedule = schedule
        self.tz = tz
        self.step = step
        self.earliest = earliest
        self.duration = service.duration_minutes * 60
        self.before = service.buffer_before_minutes * 60
        self.after = service.buffer_after_minutes * 60
        taken = [(_ts(b.start), _ts(b.end)) for b in blocks]
        taken += [(_ts(t.starts_at), _ts(t.ends_at)) for t in schedule.time_off]
        self.taken_starts, self.taken_ends = _merge(taken)
        self.time_off = [(_ts(t.starts_at), _ts(t.ends_at)) for t in schedule.time_off]
        self.joinable = [
            b
            for b in blocks
            if service.is_group
            and b.session_key.startswith(f"{schedule.professional_id}:{service.id}:")
            and b.seats_taken < b.capacity
        ]

    def day_slots(self, day: date) -> Iterator[Slot]:
        """Free starts on one local day, on the slot-step grid of each working period."""
        for slot_start in self._day_starts(day):
            yield self._slot(slot_start, slot_start + self.duration, self.service.seats)

    def has_start(self, day: date, opens: float, closes: float) -> bool:
        """Whether one of the day's free starts falls in [opens, closes) (UTC seconds)."""
        return any(opens <= start < closes for start in self._day_starts(day))

    def _day_starts(self, day: date) -> Iterator[int]:
        """The day's free starts in UTC seconds, period by period."""
        weekday = day.weekday()
        breaks = [
            _wall_interval(day, p, self.tz) for p in self.schedule.breaks if p.weekday == weekday
        ]
        for period in self.schedule.hours:
            if period.weekday != weekday:
                continue
            start, end = _wall_interval(day, period, self.tz)
            if self._steady(period, start, end):
                starts: Iterable[int] = self._free_grid(start, end, breaks)
            else:  # a DST change inside the period: walk the wall clock, check each start
                starts = (s for s in self._dst_grid(day, period) if self._fits(s, end, breaks))
            yield from starts

    def _steady(self, period: WeeklyPeriod, start: int, end: int) -> bool:
        """True when no DST change touches the period: same length in UTC, and its end exists.

        An end in the spring-forward gap converts with the old offset, so the length alone would
        match, and the UTC grid would then offer the first wall time after the gap. (A start in
        the gap with an end after it changes the length.)
        """
        if end - start != _seconds(period.end) - _seconds(period.start):
            return False
        return datetime.fromtimestamp(end, self.tz).time() == period.end

    def _free_grid(self, start: int, end: int, breaks: list[tuple[int, int]]) -> Iterator[int]:
        """Grid starts that avoid breaks and taken time, found range by range, not one by one.

        Each break or taken block forbids the starts in an open interval (lo, hi); what is left
        between them is emitted as `range()`s aligned to the period's start.
        """
        lowest, highest = max(start, self.earliest), end - self.duration  # inclusive
        forbidden = [(b_start - self.duration, b_end) for b_start, b_end in breaks]
        index = bisect_right(self.taken_ends, start - self.before)
        while index < len(self.taken_starts) and self.taken_starts[index] < end + self.after:
            forbidden.append(
                (
                    self.taken_starts[index] - self.duration - self.after,
                    self.taken_ends[index] + self.before,
                )
            )
            index += 1
        cursor = lowest
        for f_low, f_high in sorted(forbidden):
            if cursor > highest:
                return
            if f_high <= cursor:
                continue
            if f_low >= cursor:
                yield from self._aligned(start, cursor, min(f_low, highest))
            cursor = f_high
        if cursor <= highest:
            yield from self._aligned(start, cursor, highest)

    def _aligned(self, origin: int, low: int, high: int) -> range:
        """The grid points origin + k·step within [low, high]."""
        first = origin + -(-(low - origin) // self.step) * self.step
        return range(first, high + 1, self.step)

    def _fits(self, start: int, period_end: int, breaks: list[tuple[int, int]]) -> bool:
        end = start + self.duration
        if start < self.earliest or end > period_end:
            return False
        if any(b_start < end and start < b_end for b_start, b_end in breaks):
            return False
        return not self._is_taken(start - self.before, end + self.after)

    def joinable_sessions(self, first: date, last: date, calendar: ShopCalendar) -> Iterator[Slot]:
        """Group sessions already under way that still have seats."""
        for block in self.joinable:
            start = _ts(block.start) + self.before
            end = start + self.duration
            local_day = datetime.fromtimestamp(start, self.tz).date()
            if start < self.earliest or not first <= local_day <= last:
                continue
            if calendar.is_closed(local_day):
                continue
            if any(t_start < end and start < t_end for t_start, t_end in self.time_off):
                continue
            yield self._slot(start, end, block.capacity - block.seats_taken)

    def _dst_grid(self, day: date, period: WeeklyPeriod) -> Iterator[int]:
        """Starts every `step` of wall-clock time, skipping times the DST gap removes."""
        midnight = datetime.combine(day, time(0))
        for offset in range(_seconds(period.start), _seconds(period.end), self.step):
            wall = midnight + timedelta(seconds=offset)
            aware = wall.replace(tzinfo=self.tz)
            if aware.astimezone(UTC).astimezone(self.tz).replace(tzinfo=None) == wall:
                yield _ts(aware)

    def _is_taken(self, start: int, end: int) -> bool:
        index = bisect_right(self.taken_ends, start)
        return index < len(self.taken_starts) and self.taken_starts[index] < end

    def _slot(self, start: int, end: int, seats_left: int) -> Slot:
        return Slot(
            start=self._moment(start),
            end=self._moment(end),
            professional_id=self.schedule.professional_id,
            seats_left=seats_left,
        )

    def _moment(self, timestamp: int) -> datetime:
        """UTC datetime of a timestamp, memoised: professionals share the same grid."""
        moment = self.moments.get(timestamp)
        if moment is None:
            moment = self.moments[timestamp] = datetime.fromtimestamp(timestamp, UTC)
        return moment


def slot_session_key(slot: Slot, service: Service) -> str:
    """The session a booking at this slot would join."""
    return session_key(slot.professional_id, service.id, slot.start)


def _merge(intervals: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Sorted, disjoint starts and ends of the union of the intervals."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(intervals):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _wall_interval(day: date, period: WeeklyPeriod, tz: ZoneInfo) -> tuple[int, int]:
    start = datetime.combine(day, period.start, tzinfo=tz)
    end = datetime.combine(day, period.end, tzinfo=tz)
    return _ts(start), _ts(end)


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())
