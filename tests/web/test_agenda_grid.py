"""The agenda's day table, pure: rows of five minutes, turnos spanning theirs, overlaps in one
cell, hours worked and not, the hour labels and now."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from domain.calendar import ShopCalendar
from domain.model import Professional, ProfessionalSchedule, TimeOff, WeeklyPeriod
from domain.money import Money
from domain.storage.owner_agenda import BookingRead
from web.dashboard.agenda.grid import Block, Cell, Row, day_grid

ZONE = "America/Argentina/Buenos_Aires"
TUESDAY = datetime(2026, 12, 1).date()
TINCHO = Professional(1, 1, "Martín Gómez", "Tincho")
FACU = Professional(2, 1, "Facundo Ruiz", "Facu")
OPEN = ShopCalendar.build(False, ())


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 1, hour, minute, tzinfo=ZoneInfo(ZONE)).astimezone(UTC)


def turno(booking_id: int, start: datetime, end: datetime, pro: int = 1) -> BookingRead:
    return BookingRead(
        id=booking_id,
        start=start,
        end=end,
        status="confirmed",
        professional_id=pro,
        professional_name="x",
        professional_nickname=None,
        service_id=1,
        service_name="Corte",
        price=Money(1_200_000),
        customer_id=1,
        customer_name="Ana",
        customer_phone=None,
        payment_method=None,
        channel=None,
        late_cancellation=False,
        hold_expires_at=None,
        payment=None,
    )


def schedule(
    pro: int,
    opens: int,
    closes: int,
    breaks: tuple[WeeklyPeriod, ...] = (),
    time_off: tuple[TimeOff, ...] = (),
) -> ProfessionalSchedule:
    return ProfessionalSchedule(
        pro, (WeeklyPeriod(1, time(opens), time(closes)),), breaks, time_off
    )


def cells(grid_rows: tuple[Row, ...], column: int) -> list[tuple[int, Cell]]:
    """The cells a column starts, by row."""
    found = [(n, row.cells[column]) for n, row in enumerate(grid_rows)]
    return [(n, cell) for n, cell in found if cell is not None]


def test_the_table_runs_from_the_first_hour_worked_to_the_last() -> None:
    grid = day_grid(
        TUESDAY,
        ZONE,
        [TINCHO, FACU],
        [],
        [schedule(1, 10, 19), schedule(2, 12, 20)],
        OPEN,
        at(9),
    )

    assert grid.rows[0].start == at(10)
    assert len(grid.rows) == 10 * 12  # 10:00 to 20:00, five minutes a row
    assert [r.label_rows for r in grid.rows[:13]] == [12] + [0] * 11 + [12]
    assert grid.rows[0].mark == "hour"
    assert grid.rows[6].mark == "half"
    facu = cells(grid.rows, 1)
    assert not facu[0][1].working  # Facu starts at 12
    assert facu[24][1].working


def test_a_turno_spans_its_rows_and_overlapping_ones_share_a_cell() -> None:
    first = turno(1, at(11), at(11, 30))
    class_ = turno(2, at(11), at(11, 30))  # a group class: the same time, another seat
    later = turno(3, at(11, 20), at(12))
    grid = day_grid(
        TUESDAY, ZONE, [TINCHO], [later, first, class_], [schedule(1, 10, 19)], OPEN, at(9)
    )

    filled = [(n, c) for n, c in cells(grid.rows, 0) if c.items]

    assert len(filled) == 1
    row, cell = filled[0]
    assert grid.rows[row].start == at(11)
    assert cell.rows == 12  # 11:00 to 12:00
    assert [i.id for i in cell.items if isinstance(i, BookingRead)] == [1, 2, 3]
    assert all(r.cells[0] is None for r in grid.rows[row + 1 : row + 12])


def test_time_off_and_breaks_are_not_worked_and_blocks_are_drawn() -> None:
    off = TimeOff(1, at(13), at(13, 40), "Almuerzo")
    pause = (WeeklyPeriod(1, time(14), time(15)),)
    grid = day_grid(
        TUESDAY,
        ZONE,
        [TINCHO],
        [],
        [schedule(1, 10, 19, breaks=pause, time_off=(off,))],
        OPEN,
        at(9),
    )

    blocks = [c for _, c in cells(grid.rows, 0) if c.items]
    at_two = next(r for r in grid.rows if r.start == at(14))

    assert blocks[0].items == (Block(at(13), at(13, 40), "Almuerzo"),)
    assert blocks[0].rows == 8
    assert at_two.cells[0] == Cell(1, (), working=False)


def test_a_closed_day_is_not_worked_and_now_is_marked() -> None:
    closed = ShopCalendar.build(False, ())
    holiday = datetime(2026, 12, 8).date()  # Inmaculada Concepción
    grid = day_grid(holiday, ZONE, [TINCHO], [], [schedule(1, 10, 19)], closed, at(9))
    today = day_grid(TUESDAY, ZONE, [TINCHO], [], [schedule(1, 10, 19)], OPEN, at(12, 7))

    assert not any(c.working for _, c in cells(grid.rows, 0))
    assert [r.start for r in today.rows if r.now] == [at(12, 5)]


def test_a_day_nobody_works_still_shows_the_usual_hours() -> None:
    grid = day_grid(TUESDAY, ZONE, [TINCHO], [], [], OPEN, at(9))

    assert grid.rows[0].start == at(9)
    assert grid.rows[-1].start == at(19, 55)
