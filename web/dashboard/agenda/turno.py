"""One turno: who, what, how it is paid, and what can be done with it (cancel with the policy
shown, mark done or no-show, note the cash paid). Every action is a plain form: POST, then
back to the turno (303) saying what was done."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from domain import booking as use_cases
from domain.errors import DomainError
from domain.model import CancelledBy
from domain.storage.owner_agenda import BookingRead
from web.acting import viewer_uow
from web.dashboard.agenda.access import AgendaViewer, agenda_page, missing, turno_of
from web.dashboard.agenda.news import tell_cancelled
from web.dashboard.agenda.sheet import TurnoSheet, read_sheet
from web.dashboard.pages import N_
from web.dashboard.sessions import Viewer
from web.deps import ClockDep

router = APIRouter(prefix="/admin/agenda/turnos", include_in_schema=False)
DONE = {
    "cancelled": N_("Turno cancelled."),
    "completed": N_("Marked as done."),
    "no_show": N_("Marked as a no-show."),
    "cash": N_("Cash payment noted."),
    "moved": N_("Turno moved: this is its new time."),
}
TOLD = N_("We told the customer in their chat.")
NOT_TOLD = N_("The customer has no chat with the shop: let them know yourself.")


@router.get("/{booking_id}")
async def turno_page(
    request: Request,
    who: AgendaViewer,
    clock: ClockDep,
    booking_id: int,
    done: str | None = None,
    told: str | None = None,
) -> Response:
    """The turno's details and what can be done with it."""
    turno = await turno_of(request, who, booking_id, clock.now())
    if turno is None:
        return await missing(request, who)
    notices = [DONE[done]] if done in DONE else []
    if done in DONE and told in {"0", "1"}:
        notices.append(TOLD if told == "1" else NOT_TOLD)
    return await _show(request, who, turno, clock.now(), notices=notices)


@router.post("/{booking_id}/cancel")
async def cancel(
    request: Request,
    who: AgendaViewer,
    clock: ClockDep,
    booking_id: int,
    by: Annotated[str, Form()] = "customer",
) -> Response:
    """Cancel: asked by the customer (late inside the policy's window) or by the shop."""
    turno = await turno_of(request, who, booking_id, clock.now())
    if turno is None:
        return await missing(request, who)
    sheet = await read_sheet(request, who, turno, clock.now())
    if not sheet.can_cancel:
        return await _show(request, who, turno, clock.now(), N_("This turno can't be cancelled."))
    who_cancels = CancelledBy.SHOP if by == "shop" else CancelledBy.CUSTOMER
    uow_factory = viewer_uow(request, who, clock)
    try:
        booking = await use_cases.cancel(uow_factory, clock, booking_id, who_cancels)
    except DomainError:  # done or marked in between (another tab, the no-show check)
        return await _show(request, who, turno, clock.now(), N_("This turno can't be cancelled."))
    told = await tell_cancelled(request, who.shop, booking, clock.now())
    return _back(booking_id, "cancelled", told)


@router.post("/{booking_id}/done")
async def mark_done(
    request: Request, who: AgendaViewer, clock: ClockDep, booking_id: int
) -> Response:
    """The customer came: the turno is done."""
    return await _mark(request, who, clock, booking_id, "completed")


@router.post("/{booking_id}/no-show")
async def mark_no_show(
    request: Request, who: AgendaViewer, clock: ClockDep, booking_id: int
) -> Response:
    """The customer did not come."""
    return await _mark(request, who, clock, booking_id, "no_show")


@router.post("/{booking_id}/cash")
async def cash(request: Request, who: AgendaViewer, clock: ClockDep, booking_id: int) -> Response:
    """The customer paid what was left in cash (as the staff chat notes it)."""
    turno = await turno_of(request, who, booking_id, clock.now())
    if turno is None:
        return await missing(request, who)
    sheet = await read_sheet(request, who, turno, clock.now())
    if not sheet.can_note_cash:
        error = N_("Cash can be noted once the turno is done, while something is left to pay.")
        return await _show(request, who, turno, clock.now(), error)
    await request.app.state.payments.record_cash(booking_id, viewer_uow(request, who, clock))
    return _back(booking_id, "cash")


async def _mark(
    request: Request, who: Viewer, clock: ClockDep, booking_id: int, outcome: str
) -> Response:
    """Done or no-show, once the confirmed turno has started (the staff chat's rule)."""
    now = clock.now()
    turno = await turno_of(request, who, booking_id, now)
    if turno is None:
        return await missing(request, who)
    sheet = await read_sheet(request, who, turno, now)
    if not sheet.can_mark:
        return await _show(request, who, turno, now, _why_not_marked(turno, now))
    uow_factory = viewer_uow(request, who, clock)
    try:
        if outcome == "completed":
            await use_cases.complete(uow_factory, clock, booking_id)
        else:
            await use_cases.mark_no_show(uow_factory, clock, booking_id)
    except DomainError:  # changed in between (the no-show check, another tab)
        return await _show(request, who, turno, now, N_("This turno can't be marked any more."))
    return _back(booking_id, outcome)


def _why_not_marked(turno: BookingRead, now: datetime) -> str:
    if turno.status == "confirmed" and turno.start > now:
        return N_("It hasn't started yet: mark it once it starts.")
    return N_("Only a confirmed turno can be marked done or no-show.")


async def _show(
    request: Request,
    who: Viewer,
    turno: BookingRead,
    now: datetime,
    error: str | None = None,
    notices: list[str] | None = None,
) -> Response:
    """The turno's page (409 with the error when an action could not be done), as it stands."""
    turno = await turno_of(request, who, turno.id, now) or turno
    sheet: TurnoSheet = await read_sheet(request, who, turno, now)
    return await agenda_page(
        request,
        who,
        "agenda/turno.html",
        title=N_("Turno"),
        status=409 if error else 200,
        sheet=sheet,
        t=turno,
        error=error,
        notices=notices or [],
    )


def _back(booking_id: int, done: str, told: bool | None = None) -> Response:
    told_part = "" if told is None else f"&told={int(told)}"
    return RedirectResponse(f"/admin/agenda/turnos/{booking_id}?done={done}{told_part}", 303)
