"""Customers: found by name or phone, each with their turnos, visits, no-shows, spend and the
shop's notes. A professional's login sees only the customers they served, and only their own
turnos with them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from domain.accounts import Area, own_only
from domain.errors import InvalidRequest, NotFound
from domain.money import Money
from domain.phone import format_phone
from domain.storage.owner_agenda import customer_turnos
from domain.storage.owner_customers import NotServed, save_notes, shop_customer, shop_customers
from web.acting import DashboardUow
from web.api.v1.access import RowId
from web.api.v1.customers import MAX_NOTES, RECENT, UPCOMING
from web.api.v1.paging import decode_cursor, encode_cursor
from web.dashboard.pages import N_, page
from web.dashboard.sessions import Allowed, Refused, Viewer
from web.deps import ClockDep, UowDep

router = APIRouter(prefix="/admin/customers", include_in_schema=False)
CustomersViewer = Annotated[Viewer, Depends(Allowed(Area.CUSTOMERS))]
PAGE = 30
MAX_QUERY = 120


def served_by(who: Viewer) -> int | None:
    """Whose customers this login sees: a professional's own, or (None) the whole shop's."""
    if not own_only(who.role):
        return None
    if who.professional_id is None:  # a professional's login whose barber was removed
        raise Refused("not_allowed")
    return who.professional_id


@router.get("")
async def customers(
    request: Request,
    who: CustomersViewer,
    uow_factory: UowDep,
    clock: ClockDep,
    q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
    after: Annotated[str, Query(max_length=400)] = "",
) -> Response:
    """The shop's customers by name, or those whose name or phone matches `q`."""
    query = q.strip()
    try:
        if "\x00" in query:
            raise InvalidRequest("must not contain NUL characters", field="q")
        cursor = decode_cursor(after) if after else None
        found = await shop_customers(
            uow_factory, who.shop.id, clock.now(), query or None, cursor, PAGE + 1, served_by(who)
        )
        bad = False
    except InvalidRequest:
        found, bad = [], True
    more = None
    if len(found) > PAGE:
        key, last = found[PAGE - 1]
        more = encode_cursor(key, last.id)
    return await page(
        request,
        who,
        "customers.html",
        active=Area.CUSTOMERS,
        title=N_("Customers"),
        status=422 if bad else 200,
        q=query.replace("\x00", ""),
        bad=bad,
        found=[summary for _, summary in found[:PAGE]],
        more=more,
        mine=served_by(who) is not None,
        phone=format_phone,
    )


@router.get("/{customer_id}")
async def customer(
    request: Request, who: CustomersViewer, customer_id: RowId, uow_factory: UowDep, clock: ClockDep
) -> Response:
    """One customer: figures, upcoming and past turnos, the shop's notes."""
    saved = request.query_params.get("saved") == "1"
    return await _customer(request, who, uow_factory, clock, customer_id, saved=saved)


@router.post("/{customer_id}/notes")
async def notes(
    request: Request,
    who: CustomersViewer,
    customer_id: RowId,
    uow_factory: DashboardUow,
    clock: ClockDep,
    notes: Annotated[str, Form(max_length=MAX_NOTES * 4)] = "",
) -> Response:
    """Replace the shop's notes on the customer (owners and managers)."""
    if own_only(who.role):
        raise Refused("not_allowed")
    text = notes.strip()
    if len(text) > MAX_NOTES or "\x00" in text:
        return await _customer(request, who, uow_factory, clock, customer_id, draft=notes)
    try:
        await save_notes(uow_factory, who.shop.id, customer_id, text)
    except NotFound:
        return await _missing(request, who)
    return RedirectResponse(f"/admin/customers/{customer_id}?saved=1#notes", 303)


async def _customer(
    request: Request,
    who: Viewer,
    uow_factory: UowDep,
    clock: ClockDep,
    customer_id: int,
    *,
    saved: bool = False,
    draft: str | None = None,
) -> Response:
    """The customer's page; with a refused `draft` of notes, 422 and the draft kept."""
    now, mine = clock.now(), served_by(who)
    try:
        record = await shop_customer(uow_factory, who.shop.id, customer_id, now, mine)
    except NotFound:
        return await _missing(request, who)
    except NotServed:
        raise Refused("not_allowed") from None
    upcoming, recent = await customer_turnos(
        uow_factory, who.shop.id, record.person_id, now, (UPCOMING, RECENT), mine
    )
    return await page(
        request,
        who,
        "customer.html",
        active=Area.CUSTOMERS,
        title=N_("Customer"),
        status=422 if draft is not None else 200,
        record=record,
        c=record.summary,
        spend=Money(record.spend_cents, who.shop.currency),
        upcoming=upcoming,
        recent=recent,
        mine=mine is not None,
        saved=saved,
        draft=record.notes if draft is None else draft,
        too_long=draft is not None,
        max_notes=MAX_NOTES,
        phone=format_phone,
    )


async def _missing(request: Request, who: Viewer) -> Response:
    return await page(
        request,
        who,
        "not_found.html",
        active=Area.CUSTOMERS,
        title=N_("Not found"),
        status=404,
        back="/admin/customers",
    )
