"""Everything the turno's page shows beyond the turno itself: the customer as the shop knows
them, what is left to pay, the cancellation policy as it stands now, and which actions apply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import Request

from domain.booking import free_cancellation_until
from domain.model import BookingStatus
from domain.money import Money
from domain.storage.agenda import booking_line
from domain.storage.chat import customer_chat
from domain.storage.owner_agenda import BookingRead
from domain.storage.owner_customers import CustomerRecord, shop_customer
from domain.storage.payments import paid_so_far
from web.dashboard.agenda.view import AgendaView
from web.dashboard.sessions import Viewer

_ACTIVE = (BookingStatus.HELD.value, BookingStatus.CONFIRMED.value)


@dataclass(frozen=True)
class TurnoSheet:
    """The turno's page, beyond the turno."""

    customer: CustomerRecord
    has_chat: bool  # whether the customer can be told in a chat
    paid: Money
    left: Money
    free_hours: int  # cancelling is free until this many hours before
    deadline: datetime
    late_now: bool  # a customer cancelling now would cancel late
    can_cancel: bool
    can_move: bool
    can_mark: bool
    can_note_cash: bool
    back: str  # the agenda of the turno's day

    @property
    def whatsapp(self) -> str | None:
        """The customer's WhatsApp link (wa.me takes the number's digits)."""
        phone = self.customer.summary.phone
        return f"https://wa.me/{phone.lstrip('+')}" if phone else None


async def read_sheet(
    request: Request, who: Viewer, turno: BookingRead, now: datetime
) -> TurnoSheet:
    """Read what the turno's page needs."""
    uow_factory = request.app.state.uow_factory
    shop = who.shop
    customer = await shop_customer(uow_factory, shop.id, turno.customer_id, now)
    channels = list(getattr(request.app.state, "channels", {}))
    chat = await customer_chat(uow_factory, customer.person_id, shop.id, channels)
    paid = Money(await paid_so_far(uow_factory, turno.id), turno.price.currency)
    left = Money(max(turno.price.cents - paid.cents, 0), turno.price.currency)
    line = await booking_line(uow_factory, turno.id)
    deadline = free_cancellation_until(shop, turno.start)
    active = turno.status in _ACTIVE
    completed = turno.status == BookingStatus.COMPLETED.value
    day = turno.start.astimezone(ZoneInfo(shop.timezone)).date()
    return TurnoSheet(
        customer=customer,
        has_chat=chat is not None,
        paid=paid,
        left=left,
        free_hours=shop.policy.free_cancellation_hours,
        deadline=deadline,
        late_now=now > deadline,
        can_cancel=active,
        can_move=active,
        can_mark=line is not None and line.can_be_marked(now),
        can_note_cash=completed and left.cents > 0,
        back=AgendaView(day).link(),
    )
