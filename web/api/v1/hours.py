"""When a professional works: weekly hours and time off.

Hours are wall-clock periods in the shop's zone, several a day (the gaps are the breaks); PUT
replaces them all. No change cancels a turno: the answer lists the ones to come now outside
hours, for the owner to decide.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Body, Response
from pydantic import Field, StrictInt

from domain.catalog_rules import check_time_off
from domain.model import WeeklyPeriod
from domain.storage.schedule_admin import (
    TimeOffEntry,
    add_time_off,
    remove_time_off,
    replace_hours,
    time_off,
    weekly_hours,
)
from web.acting import ApiUow
from web.api.v1.access import RowId, ShopAdmin, ShopReader
from web.api.v1.fields import Clock, Note, clock_time
from web.api.v1.outside_hours import OutsideHoursOut
from web.api.v1.responses import BODY_ERRORS, ERRORS
from web.api.v1.schemas import Input, Output, Start
from web.deps import CatalogsDep, ClockDep, UowDep

router = APIRouter(tags=["catalog"])
HOURS = "/shops/{slug}/professionals/{professional_id}/hours"
TIME_OFF = "/shops/{slug}/professionals/{professional_id}/time-off"


class PeriodIn(Input):
    """A weekly period of work, in the shop's zone."""

    weekday: Annotated[StrictInt, Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")]
    start: Clock
    end: Clock


class PeriodOut(Output):
    weekday: int = Field(description="0 = Monday … 6 = Sunday")
    start: str = Field(description='"HH:MM"')
    end: str = Field(description='"HH:MM"')

    @classmethod
    def from_period(cls, period: WeeklyPeriod) -> PeriodOut:
        return cls(
            weekday=period.weekday,
            start=period.start.strftime("%H:%M"),
            end=period.end.strftime("%H:%M"),
        )


class HoursChangedOut(Output):
    """The hours now stored, and the turnos to come that are outside them."""

    hours: list[PeriodOut]
    outside_hours: list[OutsideHoursOut]


class TimeOffIn(Input):
    """An absence: vacations, a doctor's appointment, a blocked afternoon."""

    start: Start
    end: Start
    reason: Note = ""


class TimeOffOut(Output):
    id: int
    start: datetime
    end: datetime
    reason: str

    @classmethod
    def from_entry(cls, entry: TimeOffEntry, timezone: str) -> TimeOffOut:
        return cls(
            id=entry.id,
            start=entry.starts_at.astimezone(ZoneInfo(timezone)),
            end=entry.ends_at.astimezone(ZoneInfo(timezone)),
            reason=entry.reason,
        )


class TimeOffAddedOut(TimeOffOut):
    """The time off stored, and the turnos to come that now fall in it."""

    outside_hours: list[OutsideHoursOut]


Periods = Annotated[list[PeriodIn], Body(max_length=7 * 24)]


@router.get(HOURS, responses=ERRORS)
async def get_hours(
    access: ShopReader, professional_id: RowId, uow_factory: UowDep
) -> list[PeriodOut]:
    """The professional's weekly hours (breaks are the gaps), as PUT takes them."""
    periods = await weekly_hours(uow_factory, access.shop, professional_id)
    return [PeriodOut.from_period(p) for p in periods]


@router.put(HOURS, responses=BODY_ERRORS)
async def put_hours(
    access: ShopAdmin,
    professional_id: RowId,
    body: Periods,
    uow_factory: ApiUow,
    clock: ClockDep,
    catalogs: CatalogsDep,
) -> HoursChangedOut:
    """Replace the professional's weekly hours; 422 naming `hours[i]` for a period that runs
    backwards or overlaps another. No turno is cancelled: those now outside are listed."""
    periods = [WeeklyPeriod(p.weekday, clock_time(p.start), clock_time(p.end)) for p in body]
    hours, outside = await replace_hours(
        uow_factory, access.shop, professional_id, periods, clock.now()
    )
    catalogs.invalidate()
    return HoursChangedOut(
        hours=[PeriodOut.from_period(p) for p in hours],
        outside_hours=OutsideHoursOut.listed(outside, access.shop.timezone),
    )


@router.get(TIME_OFF, responses=ERRORS)
async def list_time_off(
    access: ShopReader, professional_id: RowId, uow_factory: UowDep, clock: ClockDep
) -> list[TimeOffOut]:
    """The professional's time off not over yet, by start."""
    entries = await time_off(uow_factory, access.shop, professional_id, clock.now())
    return [TimeOffOut.from_entry(e, access.shop.timezone) for e in entries]


@router.post(TIME_OFF, status_code=201, responses=BODY_ERRORS)
async def new_time_off(
    access: ShopAdmin,
    professional_id: RowId,
    body: TimeOffIn,
    uow_factory: ApiUow,
    clock: ClockDep,
    catalogs: CatalogsDep,
) -> TimeOffAddedOut:
    """Block time for the professional; 422 when `end` is not after `start`. No turno is
    cancelled: those that now fall in it are listed."""
    entry, outside = await add_time_off(
        uow_factory,
        access.shop,
        professional_id,
        check_time_off(body.start, body.end),
        " ".join(body.reason.split()),
        clock.now(),
    )
    catalogs.invalidate()
    timezone = access.shop.timezone
    return TimeOffAddedOut(
        **TimeOffOut.from_entry(entry, timezone).model_dump(),
        outside_hours=OutsideHoursOut.listed(outside, timezone),
    )


@router.delete(f"{TIME_OFF}/{{time_off_id}}", status_code=204, responses=ERRORS)
async def delete_time_off(
    access: ShopAdmin,
    professional_id: RowId,
    time_off_id: RowId,
    uow_factory: ApiUow,
    catalogs: CatalogsDep,
) -> Response:
    """Remove a time off: the professional is bookable then again."""
    await remove_time_off(uow_factory, access.shop, professional_id, time_off_id)
    catalogs.invalidate()
    return Response(status_code=204)
