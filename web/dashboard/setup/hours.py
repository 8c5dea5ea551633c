"""A professional's week (several periods a weekday: the gaps are the breaks), edited row by
row on a phone, and their time off. No change cancels a turno: those that no longer fit are
shown, for the owner to decide.

The editor works as plain forms: «+ otro horario», «quitar» and «copiar del día anterior»
post the rows as typed and get them back with the change, nothing saved until «Guardar».
"""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from domain.catalog_rules import check_hours, check_time_off
from domain.errors import InvalidRequest, NotFound
from domain.model import Professional, WeeklyPeriod
from domain.storage.schedule_admin import (
    add_time_off,
    remove_time_off,
    replace_hours,
    time_off,
    weekly_hours,
)
from web.acting import DashboardUow
from web.dashboard.pages import N_
from web.dashboard.setup.common import (
    Setup,
    catalog,
    done,
    missing,
    outside_hours,
    setup_page,
    weekday_names,
)
from web.dashboard.setup.forms import Form
from web.deps import ClockDep, UowDep

router = APIRouter(prefix="/admin/setup/professionals", include_in_schema=False)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Rows = dict[int, list[tuple[str, str]]]  # weekday → (start, end) as typed, "HH:MM"
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:00)?$")
MAX_PERIODS = 12  # a day's rows (the REST API takes 7 × 24 periods a week; no day needs more)
BACKWARDS = N_("It must end after it starts.")
OVERLAPS = N_("It overlaps another period of the same day.")
_ACTION = re.compile(r"^(add|copy|remove):([0-6])(?::(\d{1,3}))?$")


@router.get("/{professional_id}/hours")
async def hours(
    request: Request, who: Setup, uow_factory: UowDep, clock: ClockDep, professional_id: RowId
) -> Response:
    """Their week, a block per weekday with a row per period."""
    person = await _person(uow_factory, who, professional_id)
    if person is None:
        return await missing(request, who)
    rows: Rows = {day: [] for day in range(7)}
    for period in await weekly_hours(uow_factory, who.shop, professional_id):
        rows[period.weekday].append((_hhmm(period.start), _hhmm(period.end)))
    return await _hours_page(request, who, uow_factory, clock, person, rows, Form())


@router.post("/{professional_id}/hours")
async def save_hours(
    request: Request, who: Setup, uow_factory: DashboardUow, clock: ClockDep, professional_id: RowId
) -> Response:
    """Add, copy or take out a row (and show the rows again), or save the week."""
    person = await _person(uow_factory, who, professional_id)
    if person is None:
        return await missing(request, who)
    form = Form(await request.form())
    rows = _rows(form)
    edit = _ACTION.match(form.value("action"))
    if edit is not None:
        _edit(rows, edit.group(1), int(edit.group(2)), int(edit.group(3) or 0))
        return await _hours_page(request, who, uow_factory, clock, person, rows, form)
    periods = read_week(form, rows)
    if not form.ok:
        return await _hours_page(request, who, uow_factory, clock, person, rows, form, 422)
    await replace_hours(uow_factory, who.shop, professional_id, periods, clock.now())
    return done(request, f"/admin/setup/professionals/{professional_id}/hours")


@router.get("/{professional_id}/time-off")
async def absences(
    request: Request, who: Setup, uow_factory: UowDep, clock: ClockDep, professional_id: RowId
) -> Response:
    """Their time off to come, and a form to add one."""
    person = await _person(uow_factory, who, professional_id)
    if person is None:
        return await missing(request, who)
    return await _time_off_page(request, who, uow_factory, clock, person, Form())


@router.post("/{professional_id}/time-off")
async def add_absence(
    request: Request, who: Setup, uow_factory: DashboardUow, clock: ClockDep, professional_id: RowId
) -> Response:
    """Block their time (vacations, a doctor's appointment); nothing is cancelled."""
    person = await _person(uow_factory, who, professional_id)
    if person is None:
        return await missing(request, who)
    form = Form(await request.form())
    zone = ZoneInfo(who.shop.timezone)
    start, end = (_moment(form, name, zone) for name in ("start", "end"))
    span = None
    if start is not None and end is not None:
        span = form.check("end", BACKWARDS, check_time_off, start, end)
    if span is None:
        return await _time_off_page(request, who, uow_factory, clock, person, form, 422)
    reason = " ".join(form.text("reason").split())[:200]
    await add_time_off(uow_factory, who.shop, professional_id, span, reason, clock.now())
    return done(request, f"/admin/setup/professionals/{professional_id}/time-off", "added")


@router.post("/{professional_id}/time-off/{time_off_id}/remove")
async def remove_absence(
    request: Request,
    who: Setup,
    uow_factory: DashboardUow,
    professional_id: RowId,
    time_off_id: RowId,
) -> Response:
    """Take a time off away: they are bookable then again."""
    try:
        await remove_time_off(uow_factory, who.shop, professional_id, time_off_id)
    except NotFound:
        return await missing(request, who)
    return done(request, f"/admin/setup/professionals/{professional_id}/time-off", "removed")


def read_week(form: Form, rows: Rows) -> list[WeeklyPeriod]:
    """The periods of the rows (empty rows skipped), checked by the shared rule; each
    problem noted on its row (`<weekday>-<row>`)."""
    periods: list[tuple[str, WeeklyPeriod]] = []
    for day, day_rows in rows.items():
        if len(day_rows) > MAX_PERIODS:
            form.fail(f"{day}-{MAX_PERIODS}", N_("Up to 12 periods a day."))
            continue
        for index, (start, end) in enumerate(day_rows):
            key = f"{day}-{index}"
            if not start.strip() and not end.strip():
                continue
            if not (_CLOCK.match(start.strip()) and _CLOCK.match(end.strip())):
                form.fail(key, N_("Write both times, like 09:30 and 13:00."))
                continue
            begins, ends = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
            periods.append((key, WeeklyPeriod(day, begins, ends)))
    try:
        check_hours([p for _, p in periods])
    except InvalidRequest as error:
        index = int(re.sub(r"\D", "", error.field or "") or 0)
        key, period = periods[index]
        form.fail(key, BACKWARDS if period.start >= period.end else OVERLAPS)
    return [p for _, p in periods]


def _rows(form: Form) -> Rows:
    """The rows as typed, weekday by weekday (start and end fields repeat in order)."""
    return {
        day: list(zip(form.values(f"start-{day}"), form.values(f"end-{day}"), strict=False))
        for day in range(7)
    }


def _edit(rows: Rows, action: str, day: int, index: int) -> None:
    """One change to the rows shown: a new empty row, the day before's rows, one row less."""
    if action == "add":
        rows[day].append(("", ""))
    elif action == "copy":
        rows[day] = list(rows[(day - 1) % 7])
    elif index < len(rows[day]):
        del rows[day][index]


def _moment(form: Form, name: str, zone: ZoneInfo) -> datetime | None:
    """A `datetime-local` field as a moment in the shop's zone (a problem when it is not)."""
    try:
        return datetime.fromisoformat(form.text(name)).replace(tzinfo=zone, second=0)
    except ValueError:
        form.fail(name, N_("Choose a day and a time."))
        return None


def _hhmm(moment: time) -> str:
    return moment.strftime("%H:%M")


async def _person(uow_factory: UowDep, who: Setup, professional_id: int) -> Professional | None:
    known = await catalog(uow_factory, who.shop.id)
    return known.professionals.get(professional_id)


async def _hours_page(
    request: Request,
    who: Setup,
    uow_factory: UowDep,
    clock: ClockDep,
    person: Professional,
    rows: Rows,
    form: Form,
    status: int = 200,
) -> Response:
    for day_rows in rows.values():
        if not day_rows:
            day_rows.append(("", ""))  # every day shows a row to fill (empty: day off)
    return await setup_page(
        request,
        who,
        "setup/hours.html",
        N_("Hours"),
        status,
        person=person,
        rows=rows,
        form=form,
        weekdays=weekday_names(who.shop.locale),
        day_words=weekday_names(who.shop.locale, capitalised=False),
        outside=await outside_hours(uow_factory, who.shop, clock.now(), person.id),
    )


async def _time_off_page(
    request: Request,
    who: Setup,
    uow_factory: UowDep,
    clock: ClockDep,
    person: Professional,
    form: Form,
    status: int = 200,
) -> Response:
    now = clock.now()
    return await setup_page(
        request,
        who,
        "setup/time_off.html",
        N_("Time off"),
        status,
        person=person,
        form=form,
        entries=await time_off(uow_factory, who.shop, person.id, now),
        outside=await outside_hours(uow_factory, who.shop, now, person.id),
    )
