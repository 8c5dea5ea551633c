"""free_slots against a naive reference: one candidate at a time, plain datetimes, no bisect."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.availability import (
    BusyBlock,
    Slot,
    bookable_days,
    days_with_slots,
    free_days,
    free_slots,
    utc_window,
)
from domain.calendar import ShopCalendar
from domain.model import (
    BookingPolicy,
    DayOverride,
    ProfessionalSchedule,
    Service,
    Shop,
    TimeOff,
    WeeklyPeriod,
    session_key,
)
from domain.money import Money

BA, NEW_YORK = "America/Argentina/Buenos_Aires", "America/New_York"
MADRID, SANTIAGO = "Europe/Madrid", "America/Santiago"
# A few days before each 2026 DST change (US, EU, Chile), plus ordinary dates and a holiday week.
BASE_DAYS = [date(2026, 3, 6), date(2026, 3, 27), date(2026, 10, 23), date(2026, 10, 30)]
BASE_DAYS += [date(2026, 9, 4), date(2026, 4, 3), date(2026, 6, 1), date(2026, 7, 7)]
OTHER_SERVICE = 99
INPUTS = ("shop", "service", "schedules", "busy", "calendar", "first_day", "last_day", "now")


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def wall_to_utc(day: date, wall: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)


def reference_slots(
    *,
    shop: Shop,
    service: Service,
    schedules: Sequence[ProfessionalSchedule],
    busy: Sequence[BusyBlock],
    calendar: ShopCalendar,
    first_day: date,
    last_day: date,
    now: datetime,
) -> list[Slot]:
    """What free_slots must return, computed the slow and obvious way."""
    tz = ZoneInfo(shop.timezone)
    first, last = bookable_days(shop, now, first_day, last_day)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    earliest = now + timedelta(minutes=shop.policy.min_notice_minutes)
    step = timedelta(minutes=shop.policy.slot_step_minutes)
    if service.is_group:  # classes run back to back
        step = max(step, timedelta(minutes=service.duration_minutes))
    before = timedelta(minutes=service.buffer_before_minutes)
    after = timedelta(minutes=service.buffer_after_minutes)
    slots: list[Slot] = []
    for schedule in schedules:
        pro = schedule.professional_id
        if pro not in service.professional_ids:
            continue
        blocks = [b for b in busy if b.professional_id == pro]
        taken = [(b.start, b.end) for b in blocks]
        taken += [(t.starts_at, t.ends_at) for t in schedule.time_off]
        for day in days:
            if calendar.is_closed(day):
                continue
            breaks = [
                (wall_to_utc(day, b.start, tz), wall_to_utc(day, b.end, tz))
                for b in schedule.breaks
                if b.weekday == day.weekday()
            ]
            for period in schedule.hours:
                if period.weekday != day.weekday():
                    continue
                period_end = wall_to_utc(day, period.end, tz)
                wall = datetime.combine(day, period.start)
                while wall < datetime.combine(day, period.end):
                    aware = wall.replace(tzinfo=tz)
                    exists = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall
                    start, end = aware.astimezone(UTC), aware.astimezone(UTC) + service.duration
                    wall += step
                    if not exists or start < earliest or end > period_end:
                        continue
                    if any(overlaps(start, end, b_start, b_end) for b_start, b_end in breaks):
                        continue
                    if any(overlaps(start - before, end + after, a, b) for a, b in taken):
                        continue
                    slots.append(Slot(start, end, pro, service.seats))
        for block in blocks:  # group sessions under way with seats left
            prefix = f"{pro}:{service.id}:"
            if service.seats <= 1 or not block.session_key.startswith(prefix):
                continue
            start = block.start + before
            end, day = start + service.duration, start.astimezone(tz).date()
            if block.seats_taken >= block.capacity or start < earliest or day not in days:
                continue
            if calendar.is_closed(day):
                continue
            if any(overlaps(start, end, t.starts_at, t.ends_at) for t in schedule.time_off):
                continue
            slots.append(Slot(start, end, pro, block.capacity - block.seats_taken))
    return sorted(slots, key=lambda s: (s.start, s.professional_id))


def wall_period(draw: st.DrawFn, weekday: int, grain: int, max_slices: int) -> WeeklyPeriod:
    """A period on `grain`-minute boundaries, ending no later than 23:59."""
    start = draw(st.integers(0, 1440 // grain - 2))
    end = min(start + draw(st.integers(1, max_slices)), 1440 // grain - 1)
    return WeeklyPeriod(weekday, minutes(start * grain), minutes(end * grain))


def minutes(total: int) -> time:
    return time(total // 60, total % 60)


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """Every input of free_slots, drawn around DST changes and holidays."""
    policy = BookingPolicy(
        min_notice_minutes=draw(st.integers(0, 180)),
        max_days_ahead=draw(st.integers(1, 10)),
        slot_step_minutes=draw(st.sampled_from([5, 10, 15, 20, 30])),
        open_on_holidays=draw(st.booleans()),
    )
    timezone = draw(st.sampled_from([BA, NEW_YORK, MADRID, SANTIAGO]))
    shop = Shop(1, "shop", "Shop", timezone=timezone, policy=policy)
    base = datetime.combine(draw(st.sampled_from(BASE_DAYS)), time(0), tzinfo=UTC)
    now = base + timedelta(minutes=draw(st.integers(0, 2 * 1440 - 1)))
    today = now.astimezone(ZoneInfo(shop.timezone)).date()
    first_day = today + timedelta(days=draw(st.integers(-1, 6)))
    last_day = first_day + timedelta(days=draw(st.integers(0, 6)))
    window_start, window_end = utc_window(shop, first_day, last_day)
    window_start -= timedelta(hours=3)
    window_minutes = int((window_end - window_start).total_seconds()) // 60 + 180

    def moment() -> datetime:
        return window_start + timedelta(minutes=5 * draw(st.integers(0, window_minutes // 5)))

    pros = list(range(1, draw(st.integers(1, 3)) + 1))
    seats = draw(st.sampled_from([1, 3]))
    length, before, after = draw(st.tuples(*[st.integers(10, 120)] + [st.integers(0, 30)] * 2))
    offered = frozenset(draw(st.sets(st.sampled_from(pros), min_size=1)))
    service = Service(7, 1, "Service", length, Money(100), before, after, seats, offered)
    grain = draw(st.sampled_from([10, 15]))
    schedules = []
    for pro in pros:
        hours = [
            wall_period(draw, weekday, grain, 1440 // grain)
            for weekday in range(7)
            for _ in range(draw(st.integers(1, 2)))
        ]
        lunches = [wall_period(draw, 0, grain, 6) for _ in range(draw(st.integers(0, 2)))]
        breaks = [WeeklyPeriod(day, p.start, p.end) for p in lunches for day in range(7)]
        time_off = []
        for _ in range(draw(st.integers(0, 3))):
            start, length = moment(), timedelta(minutes=draw(st.integers(5, 2880)))
            time_off.append(TimeOff(pro, start, start + length))
        schedules.append(ProfessionalSchedule(pro, tuple(hours), tuple(breaks), tuple(time_off)))
    busy = []
    for _ in range(draw(st.integers(0, 15))):
        pro, start = draw(st.sampled_from(pros)), moment()
        if seats > 1 and draw(st.booleans()):  # a session of this service, maybe joinable
            session_start = start + timedelta(minutes=before)
            end = session_start + service.duration + timedelta(minutes=after)
            key = session_key(pro, service.id, session_start)
            busy.append(BusyBlock(pro, start, end, key, draw(st.integers(1, seats)), seats))
        else:
            end = start + timedelta(minutes=draw(st.integers(1, 300)))
            busy.append(BusyBlock(pro, start, end, session_key(pro, OTHER_SERVICE, start)))
    overrides = []
    if draw(st.booleans()):
        day = first_day + timedelta(days=draw(st.integers(0, (last_day - first_day).days)))
        overrides.append(DayOverride(day, is_open=draw(st.booleans())))
    calendar = ShopCalendar.build(policy.open_on_holidays, overrides)
    values = (shop, service, schedules, busy, calendar, first_day, last_day, now)
    return dict(zip(INPUTS, values, strict=True))


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_free_slots_match_the_naive_reference(case: dict[str, Any]) -> None:
    assert free_slots(**case) == reference_slots(**case)


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.sampled_from([None, (time(0), time(12)), (time(9, 5), time(17, 30))]))
def test_free_days_are_the_days_of_the_free_slots(
    case: dict[str, Any], window: tuple[time, time] | None
) -> None:
    """The shortcut find_days takes gives the days the whole slot list would."""
    shop = case["shop"]
    first, last = bookable_days(shop, case["now"], case["first_day"], case["last_day"])
    slots = free_slots(**case)
    expected = days_with_slots(slots, shop.timezone, first, last, window) if first <= last else []
    assert free_days(**case, window=window) == expected


TUE = date(2026, 6, 2)


def local(wall: str, day: date = TUE, timezone: str = BA) -> datetime:
    return wall_to_utc(day, time.fromisoformat(wall), ZoneInfo(timezone))


def starts_of(
    hours: str,
    *,
    minutes_long: int,
    step: int,
    before: int = 0,
    breaks: str = "",
    busy: Sequence[tuple[str, str]] = (),
    now: str = "00:00",
    notice: int = 0,
    day: date = TUE,
    timezone: str = BA,
) -> list[str]:
    """Local starts on `day` from free_slots, checked against the reference on the way."""
    policy = BookingPolicy(min_notice_minutes=notice, slot_step_minutes=step, open_on_holidays=True)
    service = Service(7, 1, "Corte", minutes_long, Money(100), before, 0, 1, frozenset({1}))

    def weekly(spec: str) -> tuple[WeeklyPeriod, ...]:
        pairs = [map(time.fromisoformat, part.split("-")) for part in spec.split(",") if part]
        return tuple(WeeklyPeriod(day.weekday(), *pair) for pair in pairs)

    blocks = [BusyBlock(1, local(a, day, timezone), local(b, day, timezone), "") for a, b in busy]
    shop = Shop(1, "shop", "Shop", timezone=timezone, policy=policy)
    pro = ProfessionalSchedule(1, weekly(hours), weekly(breaks))
    values = (shop, service, [pro], blocks, ShopCalendar(), day, day, local(now, day, timezone))
    case: dict[str, Any] = dict(zip(INPUTS, values, strict=True))
    found = free_slots(**case)
    assert found == reference_slots(**case)
    return [s.start.astimezone(ZoneInfo(timezone)).strftime("%H:%M") for s in found]


def test_busy_blocks_that_touch_a_slot_and_its_buffer_do_not_block_it() -> None:
    busy = [("09:00", "09:45"), ("10:30", "11:00")]  # 10:00 needs 09:45-10:30 with its buffer
    assert starts_of("09:00-11:00", minutes_long=30, step=30, before=15, busy=busy) == ["10:00"]


def test_a_break_right_after_or_before_a_slot_does_not_block_it() -> None:
    found = starts_of("09:00-12:00", minutes_long=45, step=15, breaks="10:00-10:45")
    assert found == ["09:00", "09:15", "10:45", "11:00", "11:15"]


def test_notice_between_grid_points_rounds_up_to_the_next_one() -> None:
    found = starts_of("09:00-11:00", minutes_long=30, step=15, now="09:07", notice=30)
    assert found == ["09:45", "10:00", "10:15", "10:30"]


def test_a_period_not_a_multiple_of_the_step_keeps_its_grid_after_a_busy_block() -> None:
    found = starts_of("09:00-10:50", minutes_long=25, step=20)
    assert found == ["09:00", "09:20", "09:40", "10:00", "10:20"]
    busy = [("09:50", "10:05")]  # free again off the grid: the next start is 10:20, not 10:05
    found = starts_of("09:00-10:50", minutes_long=25, step=20, busy=busy)
    assert found == ["09:00", "09:20", "10:20"]


def test_a_period_ending_in_the_spring_forward_gap_offers_no_start_after_the_gap() -> None:
    found = starts_of(
        "01:00-02:30", minutes_long=30, step=30, day=date(2026, 3, 8), timezone=NEW_YORK
    )
    assert found == ["01:00", "01:30"]  # 02:30 does not exist; the UTC grid also gave 03:00
    found = starts_of(
        "00:00-00:30", minutes_long=30, step=30, day=date(2026, 9, 6), timezone=SANTIAGO
    )
    assert found == []  # Chile jumps from 00:00 to 01:00: the whole period is missing
