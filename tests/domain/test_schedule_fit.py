"""Whether a turno already booked still fits its professional's schedule and the calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain.calendar import ShopCalendar
from domain.model import DayOverride, ProfessionalSchedule, TimeOff
from domain.schedule_fit import Turno, fits, outside_hours
from tests.domain.test_availability import BA, NEW_YORK, periods

TUE_TO_SAT = periods("10:00-19:00", weekdays=(1, 2, 3, 4, 5))
LUNCH = periods("14:00-15:00", weekdays=(1, 2, 3, 4, 5))
OPEN = ShopCalendar()


def turno(
    start: datetime, minutes: int = 30, *, after: int = 0, booking_id: int = 1, pro: int = 1
) -> Turno:
    end = start + timedelta(minutes=minutes)
    return Turno(booking_id, pro, 1, "Ana", start, end, start, end + timedelta(minutes=after))


def ba(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    """A Buenos Aires wall time in 2026 (UTC-3 all year) as UTC."""
    return datetime(2026, month, day, hour + 3, minute, tzinfo=UTC)


def schedule(**changes: object) -> ProfessionalSchedule:
    base: dict[str, object] = {"professional_id": 1, "hours": TUE_TO_SAT, "breaks": LUNCH}
    base.update(changes)
    return ProfessionalSchedule(**base)  # type: ignore[arg-type]


def test_a_turno_inside_the_hours_fits() -> None:
    assert fits(turno(ba(2, 10)), schedule(), OPEN, BA)
    assert fits(turno(ba(2, 18, 30)), schedule(), OPEN, BA)  # ends at closing time


def test_a_turno_past_closing_or_on_a_day_off_does_not_fit() -> None:
    assert not fits(turno(ba(2, 18, 45)), schedule(), OPEN, BA)
    assert not fits(turno(ba(2, 9, 30)), schedule(), OPEN, BA)
    assert not fits(turno(ba(7, 10)), schedule(), OPEN, BA)  # Monday


def test_a_turno_in_a_break_does_not_fit() -> None:
    assert not fits(turno(ba(2, 13, 45)), schedule(), OPEN, BA)
    assert fits(turno(ba(2, 13, 30)), schedule(), OPEN, BA)  # ends as lunch starts


def test_a_turno_spanning_the_gap_between_two_periods_does_not_fit() -> None:
    split = periods("10:00-14:00,15:00-19:00", weekdays=(2,))

    assert not fits(turno(ba(2, 13, 45), 90), schedule(hours=split, breaks=()), OPEN, BA)


def test_time_off_over_the_turno_or_its_buffer_makes_it_not_fit() -> None:
    off = (TimeOff(1, ba(2, 16), ba(2, 17)),)

    assert not fits(turno(ba(2, 16, 30)), schedule(time_off=off), OPEN, BA)
    assert not fits(turno(ba(2, 15, 30), after=10), schedule(time_off=off), OPEN, BA)
    assert fits(turno(ba(2, 15, 30)), schedule(time_off=off), OPEN, BA)


def test_a_closed_day_or_a_feriado_makes_it_not_fit_unless_the_shop_opens() -> None:
    closed = ShopCalendar.build(False, [DayOverride(date(2026, 12, 2), False, "Inventario")])
    open_feriado = ShopCalendar.build(False, [DayOverride(date(2026, 12, 8), True)])

    assert not fits(turno(ba(2, 10)), schedule(), closed, BA)
    assert not fits(turno(ba(8, 10)), schedule(), OPEN, BA)  # Inmaculada Concepción
    assert fits(turno(ba(8, 10)), schedule(), open_feriado, BA)
    assert fits(turno(ba(8, 10)), schedule(), ShopCalendar(open_on_holidays=True), BA)


def test_a_professional_without_a_schedule_fits_nothing() -> None:
    assert not fits(turno(ba(2, 10)), None, OPEN, BA)


def test_wall_clock_hours_hold_across_a_dst_change() -> None:
    # New York springs forward on Sunday 2026-03-08: 14:00 UTC is 09:00 on the Monday before
    # and 10:00 on the Monday after.
    mondays = schedule(hours=periods("10:00-18:00", weekdays=(0,)), breaks=())
    before = turno(datetime(2026, 3, 2, 14, 0, tzinfo=UTC))  # 09:00 EST
    after = turno(datetime(2026, 3, 9, 14, 0, tzinfo=UTC))  # 10:00 EDT

    assert not fits(before, mondays, OPEN, NEW_YORK)
    assert fits(after, mondays, OPEN, NEW_YORK)


def test_outside_hours_lists_the_misfits_by_start_with_their_professionals_schedule() -> None:
    late = turno(ba(3, 18, 45), booking_id=3)
    fine = turno(ba(2, 11), booking_id=2)
    early = turno(ba(2, 9), booking_id=4)
    archived = turno(ba(2, 11), booking_id=5, pro=2)

    found = outside_hours([late, fine, early, archived], {1: schedule()}, OPEN, BA)

    assert [t.booking_id for t in found] == [4, 5, 3]
