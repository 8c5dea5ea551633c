"""Free slots: every availability rule, each on its own, with a fixed clock and no database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from domain.availability import BusyBlock, Slot, bookable_days, free_slots, utc_window
from domain.calendar import ShopCalendar, national_holidays
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

BA = "America/Argentina/Buenos_Aires"
NEW_YORK = "America/New_York"  # has DST: 2026-03-08 02:00 → 03:00, 2026-11-01 02:00 → 01:00
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # Monday 09:00 in Buenos Aires
MON, TUE, WED = date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 3)
SPRING_FORWARD, FALL_BACK = date(2026, 3, 8), date(2026, 11, 1)
NOW_NY = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def make_shop(timezone: str = BA, **policy: Any) -> Shop:
    """A shop with no notice, a 30-minute step and a far horizon unless a test says otherwise."""
    rules = BookingPolicy(min_notice_minutes=0, max_days_ahead=730, slot_step_minutes=30)
    return Shop(1, "barberia", "Barbería", timezone=timezone, policy=replace(rules, **policy))


def make_service(
    minutes: int = 30,
    *,
    before: int = 0,
    after: int = 0,
    seats: int = 1,
    pros: Iterable[int] = (1,),
    service_id: int = 7,
) -> Service:
    """A service offered by professional 1 unless told otherwise."""
    return Service(
        service_id, 1, "Corte", minutes, Money(1_200_000), before, after, seats, frozenset(pros)
    )


def periods(spec: str, weekdays: Iterable[int] = range(7)) -> tuple[WeeklyPeriod, ...]:
    """'09:00-12:00,15:00-18:00' on each of the weekdays (0 = Monday)."""
    pairs = [part.split("-") for part in spec.split(",") if part]
    return tuple(
        WeeklyPeriod(day, time.fromisoformat(a), time.fromisoformat(b))
        for day in weekdays
        for a, b in pairs
    )


def schedule(
    hours: str = "09:00-12:00",
    *,
    pro: int = 1,
    breaks: str = "",
    time_off: Sequence[tuple[datetime, datetime]] = (),
) -> ProfessionalSchedule:
    """The same hours and breaks every day of the week."""
    return ProfessionalSchedule(
        pro, periods(hours), periods(breaks), tuple(TimeOff(pro, a, b) for a, b in time_off)
    )


def at(day: date, wall: str, timezone: str = BA) -> datetime:
    """A local wall-clock time as an aware UTC datetime."""
    local = datetime.combine(day, time.fromisoformat(wall), tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC)


def booked(
    day: date,
    wall: str,
    minutes: int = 30,
    *,
    pro: int = 1,
    service_id: int = 99,
    before: int = 0,
    after: int = 0,
    seats_taken: int = 1,
    capacity: int = 1,
) -> BusyBlock:
    """The busy block storage reports for a booking (or live hold): its session plus buffers."""
    start = at(day, wall)
    return BusyBlock(
        pro,
        start - timedelta(minutes=before),
        start + timedelta(minutes=minutes + after),
        session_key(pro, service_id, start),
        seats_taken,
        capacity,
    )


def find(
    first: date,
    last: date | None = None,
    *,
    shop: Shop | None = None,
    service: Service | None = None,
    schedules: Sequence[ProfessionalSchedule] | None = None,
    busy: Iterable[BusyBlock] = (),
    overrides: Iterable[DayOverride] = (),
    now: datetime = NOW,
) -> list[Slot]:
    """free_slots over local days, with the calendar built from the shop's holiday setting."""
    shop = shop or make_shop()
    calendar = ShopCalendar.build(shop.policy.open_on_holidays, overrides)
    return free_slots(
        shop=shop,
        service=service or make_service(),
        schedules=[schedule()] if schedules is None else schedules,
        busy=busy,
        calendar=calendar,
        first_day=first,
        last_day=first if last is None else last,
        now=now,
    )


def hhmm(slots: Iterable[Slot], timezone: str = BA) -> list[str]:
    """The slots' starts as local wall-clock times."""
    return [s.start.astimezone(ZoneInfo(timezone)).strftime("%H:%M") for s in slots]


def day_hhmm(slots: Iterable[Slot]) -> list[str]:
    """The slots' starts as local month-day and wall-clock time."""
    return [s.start.astimezone(ZoneInfo(BA)).strftime("%m-%d %H:%M") for s in slots]


def test_working_hours_offer_every_step_that_ends_by_closing_time() -> None:
    expected = ["09:00", "09:30", "10:00", "10:30", "11:00"]
    assert hhmm(find(TUE, service=make_service(60))) == expected


def test_each_weekday_uses_its_own_working_hours() -> None:
    hours = periods("09:00-10:00", [MON.weekday()]) + periods("15:00-16:00", [TUE.weekday()])
    pro = ProfessionalSchedule(1, hours)
    assert day_hhmm(find(MON, WED, schedules=[pro], now=NOW - timedelta(hours=1))) == [
        "06-01 09:00",
        "06-01 09:30",
        "06-02 15:00",
        "06-02 15:30",
    ]


def test_a_day_split_in_two_periods_offers_both() -> None:
    pro = schedule("09:00-10:00,17:00-18:00")
    assert hhmm(find(TUE, schedules=[pro])) == ["09:00", "09:30", "17:00", "17:30"]


def test_a_break_removes_the_slots_that_would_overlap_it() -> None:
    pro = schedule("09:00-13:00", breaks="11:00-12:00")
    assert hhmm(find(TUE, service=make_service(60), schedules=[pro])) == [
        "09:00",
        "09:30",
        "10:00",
        "12:00",
    ]


def test_the_slot_step_sets_the_spacing_of_the_starts() -> None:
    shop = make_shop(slot_step_minutes=20)
    found = find(TUE, shop=shop, service=make_service(20), schedules=[schedule("09:00-10:00")])
    assert hhmm(found) == ["09:00", "09:20", "09:40"]


def test_an_existing_booking_blocks_the_starts_that_would_overlap_it() -> None:
    busy = [booked(TUE, "10:00", 60)]
    assert hhmm(find(TUE, busy=busy)) == ["09:00", "09:30", "11:00", "11:30"]


def test_a_booking_or_hold_of_another_professional_does_not_block_this_one() -> None:
    assert hhmm(find(TUE, busy=[booked(TUE, "10:00", 60, pro=2)])) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "11:30",
    ]


def test_a_bookings_buffers_block_the_neighbouring_starts() -> None:
    shop = make_shop(slot_step_minutes=15)
    busy = [booked(TUE, "10:00", 30, before=15, after=15)]  # busy 09:45-10:45
    assert hhmm(find(TUE, shop=shop, schedules=[schedule("09:00-11:30")], busy=busy)) == [
        "09:00",
        "09:15",
        "10:45",
        "11:00",
    ]


def test_a_new_slots_own_buffers_must_not_hit_an_existing_booking() -> None:
    shop = make_shop(slot_step_minutes=15)
    service = make_service(30, before=15, after=15)
    busy = [booked(TUE, "10:00", 30)]  # a new slot needs 15' clear on each side of its 30'
    assert hhmm(find(TUE, shop=shop, service=service, busy=busy)) == [
        "09:00",
        "09:15",
        "10:45",
        "11:00",
        "11:15",
        "11:30",
    ]


def test_minimum_notice_hides_the_starts_too_close_to_now() -> None:
    shop = make_shop(min_notice_minutes=90, slot_step_minutes=15)
    now = at(TUE, "09:10")
    assert hhmm(find(TUE, shop=shop, schedules=[schedule("09:00-11:30")], now=now)) == [
        "10:45",
        "11:00",
    ]


def test_starts_already_past_are_never_offered() -> None:
    assert hhmm(find(TUE, now=at(TUE, "10:00"))) == ["10:00", "10:30", "11:00", "11:30"]


def test_maximum_days_ahead_cuts_the_range_at_today_plus_that_many_days() -> None:
    shop = make_shop(max_days_ahead=2)
    found = find(TUE, date(2026, 6, 10), shop=shop, schedules=[schedule("09:00-09:30")])
    assert day_hhmm(found) == ["06-02 09:00", "06-03 09:00"]  # today is Monday 06-01


def test_bookable_days_clamp_the_request_to_today_and_the_horizon() -> None:
    shop = make_shop(max_days_ahead=30)
    assert bookable_days(shop, NOW, date(2026, 5, 1), date(2026, 12, 31)) == (MON, date(2026, 7, 1))


def test_a_range_entirely_in_the_past_has_no_slots() -> None:
    assert find(date(2026, 5, 1), date(2026, 5, 31)) == []


def test_time_off_removes_the_slots_it_overlaps() -> None:
    pro = schedule(time_off=[(at(TUE, "10:15"), at(TUE, "11:00"))])
    assert hhmm(find(TUE, schedules=[pro])) == ["09:00", "09:30", "11:00", "11:30"]


def test_time_off_over_several_days_closes_them_whole() -> None:
    pro = schedule("09:00-10:00", time_off=[(at(MON, "20:00"), at(WED, "09:30"))])
    found = find(TUE, date(2026, 6, 4), schedules=[pro])
    assert day_hhmm(found) == ["06-03 09:30", "06-04 09:00", "06-04 09:30"]


@pytest.mark.parametrize(
    "holiday",
    [date(2026, 12, 8), date(2026, 12, 25), date(2026, 12, 7)],
    ids=["inmaculada-concepcion", "navidad", "bridge-day"],
)
def test_argentine_national_holidays_are_closed_by_default(holiday: date) -> None:
    assert find(holiday) == []


def test_a_shop_that_opens_on_holidays_keeps_its_usual_hours_on_them() -> None:
    shop = make_shop(open_on_holidays=True)
    found = find(date(2026, 12, 8), shop=shop, schedules=[schedule("09:00-10:00")])
    assert hhmm(found) == ["09:00", "09:30"]


def test_a_day_override_closes_a_bridge_day_the_holidays_package_does_not_know() -> None:
    bridge = date(2027, 12, 7)  # a Tuesday before the 8th: a plausible future puente
    assert bridge not in national_holidays(2027)
    assert find(bridge) != []
    assert find(bridge, overrides=[DayOverride(bridge, is_open=False, note="puente")]) == []


def test_a_day_override_opens_a_holiday() -> None:
    holiday = date(2026, 12, 8)
    found = find(
        holiday, schedules=[schedule("09:00-10:00")], overrides=[DayOverride(holiday, is_open=True)]
    )
    assert hhmm(found) == ["09:00", "09:30"]


def test_a_group_session_with_free_seats_offers_its_start_with_the_seats_left() -> None:
    yoga = make_service(60, before=10, seats=5)
    session = booked(TUE, "10:00", 60, service_id=yoga.id, before=10, seats_taken=2, capacity=5)
    found = [s for s in find(TUE, service=yoga, busy=[session]) if s.start == at(TUE, "10:00")]
    assert found == [Slot(at(TUE, "10:00"), at(TUE, "11:00"), 1, seats_left=3)]


def test_a_fresh_group_slot_offers_every_seat() -> None:
    assert {s.seats_left for s in find(TUE, service=make_service(seats=4))} == {4}


def test_a_full_group_session_offers_nothing_at_its_start() -> None:
    yoga = make_service(60, seats=5)
    full = booked(TUE, "10:00", 60, service_id=yoga.id, seats_taken=5, capacity=5)
    assert "10:00" not in hhmm(find(TUE, service=yoga, busy=[full]))


def test_a_group_session_blocks_the_other_starts_that_overlap_it() -> None:
    yoga = make_service(60, seats=5)
    session = booked(TUE, "10:00", 60, service_id=yoga.id, seats_taken=1, capacity=5)
    assert hhmm(find(TUE, service=yoga, busy=[session])) == ["09:00", "10:00", "11:00"]


def test_a_session_of_another_service_cannot_be_joined() -> None:
    yoga = make_service(60, seats=5)
    other = booked(TUE, "10:00", 60, service_id=yoga.id + 1, seats_taken=1, capacity=5)
    assert hhmm(find(TUE, service=yoga, busy=[other])) == ["09:00", "11:00"]


def test_any_professional_merges_everyone_who_offers_the_service_by_start_then_id() -> None:
    service = make_service(pros=(1, 2))
    pros = [schedule("10:00-11:00", pro=2), schedule("09:30-10:30", pro=1)]
    found = find(TUE, service=service, schedules=pros)
    assert [(t, s.professional_id) for t, s in zip(hhmm(found), found, strict=True)] == [
        ("09:30", 1),
        ("10:00", 1),
        ("10:00", 2),
        ("10:30", 2),
    ]


def test_a_professional_who_does_not_offer_the_service_gets_no_slots() -> None:
    assert find(TUE, service=make_service(pros=(2,)), schedules=[schedule(pro=1)]) == []


def test_returned_times_are_aware_utc_datetimes() -> None:
    found = find(TUE, schedules=[schedule("09:00-09:30")])
    assert found == [
        Slot(
            datetime(2026, 6, 2, 12, 0, tzinfo=UTC), datetime(2026, 6, 2, 12, 30, tzinfo=UTC), 1, 1
        )
    ]
    assert {s.start.tzinfo for s in found} | {s.end.tzinfo for s in found} == {UTC}


def test_utc_window_runs_from_local_midnight_to_the_next_local_midnight() -> None:
    assert utc_window(make_shop(), TUE, WED) == (
        datetime(2026, 6, 2, 3, 0, tzinfo=UTC),
        datetime(2026, 6, 4, 3, 0, tzinfo=UTC),
    )
    start, end = utc_window(make_shop(NEW_YORK), SPRING_FORWARD, SPRING_FORWARD)
    assert end - start == timedelta(hours=23)


def test_slots_keep_their_wall_clock_times_across_a_dst_change() -> None:
    shop = make_shop(NEW_YORK)
    before, after = date(2026, 3, 7), date(2026, 3, 9)
    found = find(before, after, shop=shop, schedules=[schedule("09:00-10:00")], now=NOW_NY)
    assert [s.start.astimezone(ZoneInfo(NEW_YORK)).strftime("%d %H:%M") for s in found] == [
        "07 09:00",
        "07 09:30",
        "08 09:00",
        "08 09:30",
        "09 09:00",
        "09 09:30",
    ]
    assert [s.start.hour for s in found] == [14, 14, 13, 13, 13, 13]  # UTC moves, the wall does not


def test_wall_times_in_the_spring_forward_gap_are_skipped() -> None:
    shop = make_shop(NEW_YORK)
    found = find(SPRING_FORWARD, shop=shop, schedules=[schedule("01:00-04:00")], now=NOW_NY)
    assert hhmm(found, NEW_YORK) == ["01:00", "01:30", "03:00", "03:30"]


def test_a_slot_across_the_spring_forward_lasts_its_real_duration() -> None:
    shop = make_shop(NEW_YORK)
    found = find(
        SPRING_FORWARD,
        shop=shop,
        service=make_service(60),
        schedules=[schedule("01:00-04:00")],
        now=NOW_NY,
    )
    assert hhmm(found, NEW_YORK) == ["01:00", "01:30", "03:00"]
    assert all(s.end - s.start == timedelta(hours=1) for s in found)
    assert found[1].end.astimezone(ZoneInfo(NEW_YORK)).strftime("%H:%M") == "03:30"


def test_each_wall_time_is_offered_once_on_the_fall_back_day() -> None:
    shop = make_shop(NEW_YORK)
    found = find(
        FALL_BACK,
        shop=shop,
        service=make_service(60),
        schedules=[schedule("00:00-03:00")],
        now=NOW_NY,
    )
    assert hhmm(found, NEW_YORK) == ["00:00", "00:30", "01:00", "01:30", "02:00"]
    assert all(s.end - s.start == timedelta(hours=1) for s in found)


def test_a_class_starts_back_to_back_from_the_start_of_the_period_not_every_step() -> None:
    shop = make_shop(slot_step_minutes=15)
    service = make_service(60, seats=4)

    found = free_slots(
        shop=shop,
        service=service,
        schedules=[schedule("10:00-14:00")],
        busy=(),
        calendar=ShopCalendar(),
        first_day=TUE,
        last_day=TUE,
        now=NOW,
    )

    assert [s.start for s in found] == [at(TUE, t) for t in ("10:00", "11:00", "12:00", "13:00")]
