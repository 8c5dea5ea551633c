"""Booking by hand, for a walk-in or a phone call: service, professional (or anyone), a free
time of the day, the customer's name and, if they give it, their phone.

Made with the booking use case as the shop (no minimum notice: the customer may be at the
door), recorded as made in the dashboard. Without JavaScript the first form reloads the page
with the free times; with htmx a change swaps them in place. Bad input comes back with what
was typed and the fields at fault marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from domain import booking as use_cases
from domain.customers import clean_name
from domain.errors import CustomerBusy, DomainError, InvalidRequest, SlotTaken
from domain.phone import normalize_phone
from web.acting import viewer_uow
from web.dashboard.agenda.access import (
    AgendaViewer,
    agenda_page,
    bookable_professionals,
    catalog_of,
    may_act_for,
)
from web.dashboard.agenda.labels import DASHBOARD_CHANNEL
from web.dashboard.agenda.slots import Choice, choose, free_times, read_start, services_of
from web.dashboard.agenda.view import AgendaView, read_day, read_id
from web.dashboard.pages import N_
from web.dashboard.sessions import Refused, Viewer
from web.deps import ClockDep

router = APIRouter(prefix="/admin/agenda", include_in_schema=False)
MAX_PHONE = 40


@dataclass(frozen=True)
class Typed:
    """What the person typed and picked, kept when the form comes back; errors by field."""

    start: str = ""
    name: str = ""
    phone: str = ""
    errors: dict[str, str] = field(default_factory=dict)


@router.get("/book")
async def book_form(
    request: Request,
    who: AgendaViewer,
    clock: ClockDep,
    day: str | None = None,
    pro: str | None = None,
    service: str | None = None,
) -> Response:
    """The form, with the free times of the service, professional and day chosen."""
    choice = await _choice(request, who, clock.now(), service, pro, day)
    return await _form(request, who, choice, Typed())


@router.post("/book")
async def book(
    request: Request,
    who: AgendaViewer,
    clock: ClockDep,
    service: Annotated[str, Form()] = "",
    pro: Annotated[str, Form()] = "",
    day: Annotated[str, Form()] = "",
    start: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
) -> Response:
    """Book it, then show it on the agenda of its day; or the form again, saying what is wrong."""
    pro_id = read_id(pro)
    if pro_id is not None and not may_act_for(who, pro_id):
        raise Refused("not_allowed")
    choice = await _choice(request, who, clock.now(), service, pro, day)
    typed = Typed(start, name, phone, _errors(choice, start, name, phone))
    if typed.errors:
        return await _form(request, who, choice, typed, 422)
    assert choice.service is not None  # checked by _errors
    asked = use_cases.BookingRequest(
        shop_id=who.shop.id,
        service_id=choice.service.id,
        customer=use_cases.NewCustomer(name, phone.strip() or None),
        start=read_start(start) or clock.now(),
        professional_id=choice.professional.id if choice.professional else None,
        channel=DASHBOARD_CHANNEL,
        by_shop=True,
    )
    try:
        booking = await use_cases.book(viewer_uow(request, who, clock), clock, asked)
    except DomainError as error:
        status, errors = _refusal(error)
        return await _form(request, who, choice, Typed(start, name, phone, errors), status)
    local = booking.starts_at.astimezone(ZoneInfo(who.shop.timezone)).date()
    return RedirectResponse(AgendaView(local).link(done="booked", turno=booking.id), 303)


async def _choice(
    request: Request,
    who: Viewer,
    now: datetime,
    service: str | None,
    pro: str | None,
    day: str | None,
) -> Choice:
    """The service (the first one unless named), professional and day (today unless named)."""
    catalog = await catalog_of(request, who, now)
    today = now.astimezone(ZoneInfo(who.shop.timezone)).date()
    offered = services_of(catalog, who)
    service_id = read_id(service) or (offered[0].id if offered else None)
    return choose(catalog, who, service_id, read_id(pro), read_day(day) or today)


def _errors(choice: Choice, start: str, name: str, phone: str) -> dict[str, str]:
    """The fields at fault, with what to say about each (msgids)."""
    errors = {}
    if choice.service is None:
        errors["service"] = N_("Choose a service.")
    if read_start(start) is None:
        errors["start"] = N_("Choose a time.")
    try:
        clean_name(name)
    except InvalidRequest:
        errors["name"] = N_("Write the customer's name (up to 120 characters).")
    if phone.strip():
        try:
            if len(phone) > MAX_PHONE:
                raise InvalidRequest("too long")
            normalize_phone(phone)
        except InvalidRequest:
            errors["phone"] = N_("That is not a phone number (like 11 5874-9895).")
    return errors


def _refusal(error: DomainError) -> tuple[int, dict[str, str]]:
    """What the use case's refusal means for the form: its status and the field at fault."""
    if isinstance(error, SlotTaken):
        return 409, {"start": N_("Someone just took that time: choose another one.")}
    if isinstance(error, CustomerBusy):
        return 409, {"name": N_("This customer already has a turno at that time.")}
    if isinstance(error, use_cases.NotBookable):
        return 422, {"start": N_("That time is not offered: choose another one.")}
    return 422, {"service": N_("That service or professional can't be booked any more.")}


async def _form(
    request: Request, who: Viewer, choice: Choice, typed: Typed, status: int = 200
) -> Response:
    """The form with the day's free times and what was typed."""
    catalog = await catalog_of(request, who, request.app.state.clock.now())
    today: date = request.app.state.clock.now().astimezone(ZoneInfo(who.shop.timezone)).date()
    return await agenda_page(
        request,
        who,
        "agenda/book.html",
        title=N_("New turno"),
        status=status,
        choice=choice,
        times=await free_times(request, who, choice),
        services=services_of(catalog, who),
        professionals=bookable_professionals(catalog, who),
        typed=typed,
        today=today,
        back=AgendaView(choice.day).link(),
    )
