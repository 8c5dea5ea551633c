"""What a shop holds on one customer, as JSON-ready data (Ley 25.326: the right of access):
their record, phone and Telegram account, chats, turnos, payments, waitlist entries, messages for
the shop and what they wrote in the chat while it is kept. Times are ISO 8601 in UTC."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.storage.customer_rights import chats_of, person
from domain.storage.tables import (
    BookingRow,
    ComebackPreferenceRow,
    CustomerRow,
    InboundMessageRow,
    PaymentRow,
    ProfessionalRow,
    ServiceRow,
    ShopCustomerRow,
    ShopMessageRow,
    ShopReplyRow,
    WaitlistEntryRow,
)
from domain.storage.uow import UnitOfWorkFactory


async def export(
    uow_factory: UnitOfWorkFactory, shop_id: int, shop_customer_id: int
) -> dict[str, Any]:
    """Everything the shop holds on its customer, as JSON-ready data (times in ISO UTC);
    through a factory bound to someone acting, the export itself goes to the audit trail."""
    who = await person(uow_factory, shop_id, shop_customer_id)
    async with uow_factory.read_only() as uow:
        session = uow.session
        record = (
            await session.execute(
                select(
                    ShopCustomerRow.name,
                    ShopCustomerRow.notes,
                    ShopCustomerRow.created_at,
                    CustomerRow.phone,
                    CustomerRow.telegram_user_id,
                )
                .join(CustomerRow, CustomerRow.id == ShopCustomerRow.customer_id)
                .where(ShopCustomerRow.id == who.shop_customer_id)
            )
        ).one()
        chats = await chats_of(session, shop_id, who.person_id)
        data: dict[str, Any] = {
            "id": who.shop_customer_id,
            "name": record[0],
            "notes": record[1],
            "first_seen": _iso(record[2]),
            "phone": record[3],
            "telegram_user_id": record[4],
            "chats": [
                {"channel": c, "chat_id": i, "last_message_at": _iso(at)} for c, i, at in chats
            ],
            "turnos": await _turnos(session, shop_id, who.person_id),
            "payments": await _payments(session, shop_id, who.person_id),
            "waitlist": await _waitlist(session, shop_id, who.person_id),
            "messages_for_the_shop": await _shop_messages(session, shop_id, who.person_id),
            "chat_messages": await _chat_texts(session, [(c, i) for c, i, _ in chats]),
            "comeback_nudges": await session.scalar(
                select(ComebackPreferenceRow.wants).where(
                    ComebackPreferenceRow.shop_id == shop_id,
                    ComebackPreferenceRow.customer_id == who.person_id,
                )
            ),
        }
    # Who took a copy of a person's data is the shop's to know (its content is not repeated).
    await uow_factory.audit_alone(shop_id, "customer.exported", f"customer:{who.shop_customer_id}")
    return data


async def _turnos(session: AsyncSession, shop_id: int, person_id: int) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(
            BookingRow.id,
            BookingRow.starts_at,
            BookingRow.ends_at,
            BookingRow.status,
            ServiceRow.name,
            ProfessionalRow.name,
            BookingRow.price_cents,
            BookingRow.currency,
            BookingRow.payment_method,
            BookingRow.channel,
            BookingRow.created_at,
        )
        .join(ServiceRow, ServiceRow.id == BookingRow.service_id)
        .join(ProfessionalRow, ProfessionalRow.id == BookingRow.professional_id)
        .where(BookingRow.shop_id == shop_id, BookingRow.customer_id == person_id)
        .order_by(BookingRow.starts_at, BookingRow.id)
    )
    keys: tuple[str, ...] = ("id", "start", "end", "status", "service", "professional")
    keys += ("price_cents", "currency", "payment_method", "channel", "created_at")
    return [{k: _iso(v) for k, v in zip(keys, row, strict=True)} for row in rows.all()]


async def _payments(session: AsyncSession, shop_id: int, person_id: int) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(
            PaymentRow.id,
            PaymentRow.booking_id,
            PaymentRow.method,
            PaymentRow.amount_cents,
            PaymentRow.currency,
            PaymentRow.status,
            PaymentRow.created_at,
        )
        .join(BookingRow, BookingRow.id == PaymentRow.booking_id)
        .where(BookingRow.shop_id == shop_id, BookingRow.customer_id == person_id)
        .order_by(PaymentRow.id)
    )
    keys = ("id", "booking_id", "method", "amount_cents", "currency", "status", "created_at")
    return [{k: _iso(v) for k, v in zip(keys, row, strict=True)} for row in rows.all()]


async def _waitlist(session: AsyncSession, shop_id: int, person_id: int) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(
            WaitlistEntryRow.id,
            ServiceRow.name,
            WaitlistEntryRow.first_day,
            WaitlistEntryRow.last_day,
            WaitlistEntryRow.created_at,
            WaitlistEntryRow.left_at,
        )
        .join(ServiceRow, ServiceRow.id == WaitlistEntryRow.service_id)
        .where(WaitlistEntryRow.shop_id == shop_id, WaitlistEntryRow.customer_id == person_id)
        .order_by(WaitlistEntryRow.id)
    )
    keys = ("id", "service", "first_day", "last_day", "created_at", "left_at")
    return [{k: _iso(v) for k, v in zip(keys, row, strict=True)} for row in rows.all()]


async def _shop_messages(
    session: AsyncSession, shop_id: int, person_id: int
) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(ShopMessageRow.id, ShopMessageRow.text, ShopMessageRow.created_at)
        .where(ShopMessageRow.shop_id == shop_id, ShopMessageRow.customer_id == person_id)
        .order_by(ShopMessageRow.id)
    )
    found = []
    for message_id, text, at in rows.all():
        replies = await session.scalars(
            select(ShopReplyRow.text)
            .where(ShopReplyRow.message_id == message_id)
            .order_by(ShopReplyRow.id)
        )
        found.append({"text": text, "at": _iso(at), "replies": list(replies.all())})
    return found


async def _chat_texts(
    session: AsyncSession, chats: Sequence[tuple[str, str]]
) -> list[dict[str, Any]]:
    """What the person wrote in their chats with the shop, as far as it is still kept."""
    if not chats:
        return []
    rows = await session.execute(
        select(InboundMessageRow.channel, InboundMessageRow.payload, InboundMessageRow.received_at)
        .where(
            or_(
                *(
                    and_(InboundMessageRow.channel == c, InboundMessageRow.chat_id == i)
                    for c, i in chats
                )
            )
        )
        .order_by(InboundMessageRow.id)
    )
    found = []
    for channel, payload, at in rows.all():
        text = inbound_text(payload)
        if text:
            found.append({"channel": channel, "text": text, "at": _iso(at)})
    return found


def _delivered_in(chat: tuple[str, str]) -> Any:
    return and_(InboundMessageRow.channel == chat[0], InboundMessageRow.chat_id == chat[1])


def inbound_text(payload: str) -> str | None:
    """The text of an inbound delivery as the channel recorded it (Telegram, Twilio form)."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    for holder in (data.get("message"), data.get("edited_message"), data):
        if isinstance(holder, dict):
            for key in ("text", "Body", "caption"):
                value = holder.get(key)
                if isinstance(value, str) and value:
                    return value
    return None


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
