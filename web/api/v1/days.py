"""The shop's days: national feriados (closed unless the shop opens on them) and its own word
for a day (closed on an ordinary day, open on a feriado). Closing a day cancels nothing: the
answer lists the turnos of that day now outside hours, for the owner to decide."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query
from pydantic import Field, StrictBool

from domain.calendar import (
    DayRule,
    DayStatus,
    ShopCalendar,
    changeable_day,
    day_status,
    plausible_day,
    special_days,
)
from domain.errors import InvalidRequest
from domain.model import DayOverride, Shop
from domain.schedule_fit import Turno
from domain.storage.shop_days import clear_day, set_day
from web.acting import ApiUow
from web.api.v1.access import ShopAdmin, ShopReader
from web.api.v1.fields import Note
from web.api.v1.outside_hours import OutsideHoursOut
from web.api.v1.responses import BODY_ERRORS, ERRORS
from web.api.v1.schemas import Input, Output
from web.deps import CatalogsDep, ClockDep, UowDep

router = APIRouter(tags=["catalog"])
DAY = "/shops/{slug}/days/{day}"
DEFAULT_DAYS = 90
MAX_DAYS = 366
Day = Annotated[date, Path(description="A local date: 2026-12-24")]


class DayIn(Input):
    """The shop's word for a day: closed (an ordinary day) or open (a feriado)."""

    open: StrictBool
    note: Note = Field(default="", description="Why, for the owner: «Inventario»")


class DayOut(Output):
    day: date
    open: bool = Field(description="Whether the shop opens that day (hours aside)")
    why: DayRule = Field(
        description="ordinary, holiday (a feriado: closed), open_on_holidays (the shop opens "
        "on feriados), closed_by_shop or open_by_shop (the shop's own word, PUT here)"
    )
    holiday: str | None = Field(description="The feriado's name")
    note: str | None = Field(description="The shop's note for the day")

    @classmethod
    def from_status(cls, status: DayStatus) -> DayOut:
        return cls(
            day=status.day,
            open=status.is_open,
            why=status.why,
            holiday=status.holiday,
            note=status.note,
        )


class DayChangedOut(DayOut):
    """The day as it is now, and its turnos to come now outside hours."""

    outside_hours: list[OutsideHoursOut]


@router.get("/shops/{slug}/days", responses=ERRORS)
async def list_days(
    access: ShopReader,
    uow_factory: UowDep,
    clock: ClockDep,
    first: Annotated[date | None, Query(alias="from")] = None,
    last: Annotated[date | None, Query(alias="to")] = None,
) -> list[DayOut]:
    """Feriados and the shop's own days from `from` (default today) to `to` (default 90 days
    on; at most 366 days), each with whether the shop opens and why."""
    shop = access.shop
    first = plausible_day(first or _today(shop, clock.now()), "from")
    last = plausible_day(last or first + timedelta(days=DEFAULT_DAYS), "to")
    if last < first or (last - first).days >= MAX_DAYS:
        raise InvalidRequest(f"`to` must be on or after `from`, at most {MAX_DAYS} days")
    async with uow_factory.read_only() as uow:
        overrides = await uow.catalog.day_overrides(shop.id, first, last)
    calendar = ShopCalendar.build(shop.policy.open_on_holidays, overrides)
    return [DayOut.from_status(s) for s in special_days(calendar, first, last)]


@router.put(DAY, responses=BODY_ERRORS)
async def put_day(
    access: ShopAdmin,
    day: Day,
    body: DayIn,
    uow_factory: ApiUow,
    clock: ClockDep,
    catalogs: CatalogsDep,
) -> DayChangedOut:
    """Open or close the shop on a day whatever the calendar says; 422 for a day gone by.
    No turno is cancelled: those of a closed day are listed."""
    shop, now = access.shop, clock.now()
    changeable_day(day, _today(shop, now))
    note = " ".join(body.note.split())
    outside = await set_day(uow_factory, shop, day, body.open, note, now)
    catalogs.invalidate()
    return _changed(shop, day, DayOverride(day, body.open, note), outside)


@router.delete(DAY, responses=ERRORS)
async def delete_day(
    access: ShopAdmin, day: Day, uow_factory: ApiUow, clock: ClockDep, catalogs: CatalogsDep
) -> DayChangedOut:
    """Forget the shop's word for a day: the calendar decides again (a feriado closes). 404
    when there was none. Turnos of a day that closes again are listed, not cancelled."""
    outside = await clear_day(uow_factory, access.shop, plausible_day(day, "day"), clock.now())
    catalogs.invalidate()
    return _changed(access.shop, day, None, outside)


def _changed(
    shop: Shop, day: date, override: DayOverride | None, outside: list[Turno]
) -> DayChangedOut:
    calendar = ShopCalendar.build(shop.policy.open_on_holidays, [override] if override else [])
    return DayChangedOut(
        **DayOut.from_status(day_status(calendar, day)).model_dump(),
        outside_hours=OutsideHoursOut.listed(outside, shop.timezone),
    )


def _today(shop: Shop, now: datetime) -> date:
    return now.astimezone(ZoneInfo(shop.timezone)).date()
