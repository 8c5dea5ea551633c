"""The shop's customers: found by name or phone, each with their visits, turnos and the
shop's own notes. What another shop knows of the same person never shows here."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from pydantic import Field

from bot.customer_rights import erase_customer as erase
from domain.errors import InvalidRequest
from domain.model import Shop
from domain.money import Money
from domain.ports import Clock
from domain.storage import customer_export, customer_rights
from domain.storage.owner_agenda import customer_turnos
from domain.storage.owner_customers import (
    CustomerSummary,
    save_notes,
    shop_customer,
    shop_customers,
)
from domain.storage.uow import UnitOfWorkFactory
from web.acting import ApiUow
from web.api.v1.access import RowId, ShopAdmin, ShopReader
from web.api.v1.agenda import AgendaBookingOut
from web.api.v1.paging import DEFAULT_LIMIT, Cursor, Limit, decode_cursor, encode_cursor
from web.api.v1.responses import BODY_ERRORS, ERRORS
from web.api.v1.schemas import ErrorOut, Input, Output, PriceOut
from web.deps import ClockDep, UowDep

router = APIRouter(tags=["customers"])
UPCOMING, RECENT = 20, 10  # turnos a customer's page shows: the next ones, the latest past
MAX_NOTES = 2000


class NextTurnoOut(Output):
    id: int
    start: datetime


class CustomerLineOut(Output):
    """A customer in the shop's list."""

    id: int = Field(description="The shop's own number for this customer")
    name: str | None = Field(description="The name given at this shop")
    phone: str | None
    visits: int = Field(description="Turnos completed")
    no_shows: int
    last_visit: datetime | None = Field(description="Start of the latest completed turno")
    next_turno: NextTurnoOut | None = Field(description="The next held or confirmed turno")

    @classmethod
    def from_summary(cls, summary: CustomerSummary, timezone: str) -> CustomerLineOut:
        zone = ZoneInfo(timezone)
        upcoming = None
        if summary.next_turno_id is not None and summary.next_turno_start is not None:
            upcoming = NextTurnoOut(
                id=summary.next_turno_id, start=summary.next_turno_start.astimezone(zone)
            )
        return cls(
            id=summary.id,
            name=summary.name,
            phone=summary.phone,
            visits=summary.visits,
            no_shows=summary.no_shows,
            last_visit=summary.last_visit.astimezone(zone) if summary.last_visit else None,
            next_turno=upcoming,
        )


class CustomersOut(Output):
    customers: list[CustomerLineOut]
    next: str | None = Field(description="Pass as `cursor` for the next page; null: no more")


class CustomerOutDetail(CustomerLineOut):
    """Everything the shop knows of one customer."""

    notes: str = Field(description="The shop's own notes")
    first_seen: datetime = Field(description="When the shop first knew them")
    late_cancellations: int
    spend: PriceOut = Field(description="The frozen prices of their completed turnos")
    upcoming: list[AgendaBookingOut] = Field(description=f"The next {UPCOMING}, soonest first")
    recent: list[AgendaBookingOut] = Field(description=f"The latest {RECENT} past, newest first")


class NotesIn(Input):
    notes: str = Field(max_length=MAX_NOTES)


Search = Annotated[
    str | None,
    Query(max_length=120, description="Part of a name (accents and case aside) or a phone"),
]


@router.get("/shops/{slug}/customers", responses=ERRORS)
async def list_customers(
    access: ShopReader,
    uow_factory: UowDep,
    clock: ClockDep,
    q: Search = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> CustomersOut:
    """The shop's customers by name, or those whose name or phone matches `q`."""
    shop = access.shop
    if q is not None and "\x00" in q:
        raise InvalidRequest("must not contain NUL characters", field="q")
    after = decode_cursor(cursor) if cursor else None
    query = q.strip() if q else None
    found = await shop_customers(uow_factory, shop.id, clock.now(), query, after, limit + 1)
    page = found[:limit]
    next_page = None
    if len(found) > limit:
        key, last = page[-1]
        next_page = encode_cursor(key, last.id)
    return CustomersOut(
        customers=[CustomerLineOut.from_summary(c, shop.timezone) for _, c in page],
        next=next_page,
    )


@router.get("/shops/{slug}/customers/{customer_id}", responses=ERRORS)
async def get_customer(
    access: ShopReader, customer_id: RowId, uow_factory: UowDep, clock: ClockDep
) -> CustomerOutDetail:
    """One customer: totals, upcoming and recent turnos, the shop's notes."""
    return await _detail(uow_factory, clock, access.shop, customer_id)


@router.put("/shops/{slug}/customers/{customer_id}/notes", responses=BODY_ERRORS)
async def put_notes(
    access: ShopAdmin, customer_id: RowId, body: NotesIn, uow_factory: ApiUow, clock: ClockDep
) -> CustomerOutDetail:
    """Replace the shop's notes on the customer (an empty text clears them)."""
    await save_notes(uow_factory, access.shop.id, customer_id, body.notes)
    return await _detail(uow_factory, clock, access.shop, customer_id)


async def _detail(
    uow_factory: UnitOfWorkFactory, clock: Clock, shop: Shop, customer_id: int
) -> CustomerOutDetail:
    now = clock.now()
    record = await shop_customer(uow_factory, shop.id, customer_id, now)
    upcoming, recent = await customer_turnos(
        uow_factory, shop.id, record.person_id, now, (UPCOMING, RECENT)
    )
    line = CustomerLineOut.from_summary(record.summary, shop.timezone)
    return CustomerOutDetail(
        **line.model_dump(),
        notes=record.notes,
        first_seen=record.first_seen.astimezone(ZoneInfo(shop.timezone)),
        late_cancellations=record.late_cancellations,
        spend=PriceOut.from_money(Money(record.spend_cents, shop.currency), shop.locale),
        upcoming=[AgendaBookingOut.from_read(b, shop) for b in upcoming],
        recent=[AgendaBookingOut.from_read(b, shop) for b in recent],
    )


class ExportChatOut(Output):
    channel: str
    chat_id: str
    last_message_at: datetime | None


class CustomerExportOut(Output):
    """Everything the shop holds on one customer (Ley 25.326: the right of access)."""

    id: int = Field(description="The shop's own number for this customer")
    name: str | None
    notes: str
    first_seen: datetime | None
    phone: str | None
    telegram_user_id: int | None
    chats: list[ExportChatOut] = Field(description="Their chats with the shop")
    turnos: list[dict[str, Any]] = Field(description="Every turno at the shop, oldest first")
    payments: list[dict[str, Any]] = Field(description="Every payment for those turnos")
    waitlist: list[dict[str, Any]]
    messages_for_the_shop: list[dict[str, Any]] = Field(description="With the shop's answers")
    chat_messages: list[dict[str, Any]] = Field(description="What they wrote, while kept")
    comeback_nudges: bool | None = Field(description="Their answer about comeback nudges")


class ErasedOut(Output):
    """What erasing did: the customer number stays, anonymised, for the shop's accounts."""

    id: int
    name: str = Field(description="«Cliente borrado #id» from now on")
    cancelled_turnos: int = Field(description="Turnos ahead cancelled first")
    chats: int = Field(description="Chats forgotten")
    messages_for_the_shop: int = Field(description="Messages for the shop deleted")


ERASE_CONFLICT: dict[int | str, dict[str, object]] = {
    409: {
        "model": ErrorOut,
        "description": "`paid_turno_ahead`: a paid turno is still ahead; cancel it first",
    },
}


@router.get("/shops/{slug}/customers/{customer_id}/export", responses=ERRORS)
async def export_customer(
    access: ShopAdmin, customer_id: RowId, uow_factory: ApiUow
) -> CustomerExportOut:
    """Everything the shop holds on the customer, as JSON (for the person who asked)."""
    data = await customer_export.export(uow_factory, access.shop.id, customer_id)
    return CustomerExportOut.model_validate(data)


@router.post("/shops/{slug}/customers/{customer_id}/erase", responses=ERRORS | ERASE_CONFLICT)
async def erase_customer(
    access: ShopAdmin, customer_id: RowId, uow_factory: ApiUow, clock: ClockDep
) -> ErasedOut:
    """Erase the customer at this shop: their turnos ahead are cancelled (the normal way),
    their chats, messages, notes and waitlists deleted; turnos and payments stay, anonymised.
    Another shop's record of the same person is not touched."""
    erased = await erase(uow_factory, clock, access.shop.id, customer_id)
    return ErasedOut(
        id=erased.shop_customer_id,
        name=customer_rights.ERASED_NAME.format(id=erased.shop_customer_id),
        cancelled_turnos=erased.cancelled,
        chats=erased.chats,
        messages_for_the_shop=erased.messages,
    )
