"""Moving a turno to another free time (or another professional who does the service): the
reschedule use case as the shop, which keeps the old time unless the new one is won; then the
customer hears of it in their chat."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from domain import booking as use_cases
from domain.errors import CustomerBusy, DomainError, SlotTaken
from domain.storage.owner_agenda import BookingRead
from web.acting import viewer_uow
from web.dashboard.agenda.access import (
    AgendaViewer,
    agenda_page,
    bookable_professionals,
    catalog_of,
    may_act_for,
    missing,
    turno_of,
)
from web.dashboard.agenda.book import Typed
from web.dashboard.agenda.news import tell_moved
from web.dashboard.agenda.slots import Choice, choose, free_times, read_start
from web.dashboard.agenda.view import read_day, read_id
from web.dashboard.pages import N_
from web.dashboard.sessions import Refused, Viewer
from web.deps import ClockDep

router = APIRouter(prefix="/admin/agenda/turnos", include_in_schema=False)
_ACTIVE = ("held", "confirmed")


@router.get("/{booking_id}/move")
async def move_form(
    request: Request,
    who: AgendaViewer,
    clock: ClockDep,
    booking_id: int,
    day: str | None = None,
    pro: str | None = None,
) -> Response:
    """The free times of a day for the turno's service, to move it to."""
    turno = await turno_of(request, who, booking_id, clock.now())
    if turno is None or turno.status not in _ACTIVE:
        return await missing(request, who)
    choice = await _choice(request, who, turno, clock.now(), day, pro)
    return await _form(request, who, turno, choice, Typed())


@router.post("/{booking_id}/move")
async def move(
    request: Request,
    who: AgendaViewer,
    clock: ClockDep,
    booking_id: int,
    start: Annotated[str, Form()] = "",
    pro: Annotated[str, Form()] = "",
    day: Annotated[str, Form()] = "",
) -> Response:
    """Move it; the old time stays the turno's unless the new one is won."""
    now = clock.now()
    turno = await turno_of(request, who, booking_id, now)
    if turno is None or turno.status not in _ACTIVE:
        return await missing(request, who)
    pro_id = read_id(pro)
    if pro_id is not None and not may_act_for(who, pro_id):
        raise Refused("not_allowed")
    choice = await _choice(request, who, turno, now, day, pro)
    when = read_start(start)
    if when is None or choice.service is None:
        errors = {"start": N_("Choose a time.")}
        return await _form(request, who, turno, choice, Typed(start, errors=errors), 422)
    uow_factory = viewer_uow(request, who, clock)
    target = choice.professional.id if choice.professional else turno.professional_id
    try:
        moved = await use_cases.reschedule(
            uow_factory, clock, booking_id, when, target, by_shop=True
        )
    except DomainError as error:
        status, message = _refusal(error)
        typed = Typed(start, errors={"start": message})
        return await _form(request, who, turno, choice, typed, status)
    told = await tell_moved(request, who.shop, turno.start, moved, now)
    return RedirectResponse(f"/admin/agenda/turnos/{moved.id}?done=moved&told={int(told)}", 303)


async def _choice(
    request: Request,
    who: Viewer,
    turno: BookingRead,
    now: datetime,
    day: str | None,
    pro: str | None,
) -> Choice:
    """The turno's service, with the professional named (else its own), on the day named
    (else the turno's)."""
    catalog = await catalog_of(request, who, now)
    own_day = turno.start.astimezone(ZoneInfo(who.shop.timezone)).date()
    return choose(
        catalog,
        who,
        turno.service_id,
        read_id(pro) or turno.professional_id,
        read_day(day) or own_day,
    )


def _refusal(error: DomainError) -> tuple[int, str]:
    if isinstance(error, SlotTaken):
        return 409, N_("Someone just took that time: choose another one.")
    if isinstance(error, CustomerBusy):
        return 409, N_("This customer already has another turno at that time.")
    return 422, N_("That time is not offered: choose another one.")


async def _form(
    request: Request,
    who: Viewer,
    turno: BookingRead,
    choice: Choice,
    typed: Typed,
    status: int = 200,
) -> Response:
    now = request.app.state.clock.now()
    catalog = await catalog_of(request, who, now)
    doing = choice.service.professional_ids if choice.service else frozenset()
    return await agenda_page(
        request,
        who,
        "agenda/move.html",
        title=N_("Move the turno"),
        status=status,
        t=turno,
        choice=choice,
        times=await free_times(request, who, choice),
        professionals=[p for p in bookable_professionals(catalog, who) if p.id in doing],
        typed=typed,
        today=now.astimezone(ZoneInfo(who.shop.timezone)).date(),
    )
