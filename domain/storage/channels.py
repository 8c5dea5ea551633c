"""Storage for the channels: the inbox of deliveries, the outbox, booking events to announce,
staff links and their one-time codes, and each shop's WhatsApp templates."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, exists, func, insert, literal, null, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.storage.tables import (
    BookingEventRow,
    ConversationRow,
    InboundMessageRow,
    LinkCodeRow,
    OutboxRow,
    ProfessionalRow,
    ShopRow,
    StaffLinkRow,
    WhatsAppTemplateRow,
)
from domain.storage.uow import UnitOfWorkFactory

LINK_CODE_TTL = timedelta(hours=24)
_LINK_CODE_DIGITS = 6


# ---- inbox -------------------------------------------------------------------------------

# Advisory-lock class for "claims of chat N" on PostgreSQL (uow.py uses 7301 and 7302). Every
# decision about who processes a chat's deliveries (recording one, claiming the next) is taken
# under it, so at most one delivery of a chat is claimed at a time, by any process, and the
# chat's deliveries are claimed in id order. Held for one short transaction, never for a turn.
_CHAT_LOCK_CLASS = 7303


@dataclass(frozen=True)
class InboundRecord:
    """A recorded delivery still to process."""

    id: int
    channel: str
    chat_id: str
    payload: dict[str, Any]
    received_at: datetime
    claimed: bool = False  # already claimed by this process (recorded by it)


@dataclass(frozen=True)
class Recorded:
    """A new delivery: its id, and whether the recording process claimed it for processing."""

    id: int
    claimed: bool


def _chat_pending(channel: str, chat_id: str) -> Any:
    """The conditions of a chat's deliveries still to process."""
    return (
        InboundMessageRow.channel == channel,
        InboundMessageRow.chat_id == chat_id,
        InboundMessageRow.status == "pending",
    )


async def _lock_chat(session: AsyncSession, channel: str, chat_id: str) -> None:
    """Inside a transaction, on PostgreSQL: serialize claim decisions about this chat (until
    commit). SQLite needs nothing: BEGIN IMMEDIATE already made this the only writer."""
    if session.get_bind().dialect.name != "postgresql":
        return
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:cls, hashtext(:key))"),
        {"cls": _CHAT_LOCK_CLASS, "key": f"{channel}:{chat_id}"},
    )


async def record_inbound(
    uow_factory: UnitOfWorkFactory,
    channel: str,
    external_id: str,
    chat_id: str,
    payload: dict[str, Any],
    now: datetime,
    *,
    status: str = "pending",
    claim: timedelta | None = None,
) -> int | None:
    """Record a delivery under its channel id; None when it was recorded before (a replay).

    With `claim`, the recording process takes it for processing (see `record_delivery`).
    """
    recorded = await record_delivery(
        uow_factory, channel, external_id, chat_id, payload, now, status=status, claim=claim
    )
    return recorded.id if recorded else None


async def record_delivery(
    uow_factory: UnitOfWorkFactory,
    channel: str,
    external_id: str,
    chat_id: str,
    payload: dict[str, Any],
    now: datetime,
    *,
    status: str = "pending",
    claim: timedelta | None = None,
) -> Recorded | None:
    """Record a delivery under its channel id; None when it was recorded before (a replay).

    With `claim`, the recording process also takes it for processing, in the same statement,
    but only when the chat has nothing else pending: otherwise whoever works on the chat (this
    process or another) takes it after the deliveries before it (`claim_next_inbound`).
    """
    values: dict[str, Any] = {
        "channel": channel,
        "external_id": external_id,
        "chat_id": chat_id,
        "payload": json.dumps(payload),
        "status": status,
        "received_at": now,
        "claimed_until": None,
        "processed_at": now if status != "pending" else None,
    }
    async with uow_factory() as uow:
        session = uow.session
        if claim is not None:
            await _lock_chat(session, channel, chat_id)
            busy = exists().where(*_chat_pending(channel, chat_id))
            until = literal(now + claim, InboundMessageRow.claimed_until.type)
            values["claimed_until"] = case((busy, null()), else_=until)
        statement = _insert_ignoring_duplicates(session, InboundMessageRow, values)
        result = await session.execute(
            statement.returning(InboundMessageRow.id, InboundMessageRow.claimed_until)
        )
        row = result.first()
        await uow.commit()
    return Recorded(row[0], row[1] is not None) if row else None


def _insert_ignoring_duplicates(
    session: AsyncSession, table: type[Any], values: dict[str, Any]
) -> Any:
    """INSERT … ON CONFLICT DO NOTHING on either database (no exception, no savepoint)."""
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert(table).values(**values).on_conflict_do_nothing()
    return sqlite_insert(table).values(**values).on_conflict_do_nothing()


async def claim_next_inbound(
    uow_factory: UnitOfWorkFactory, channel: str, chat_id: str, now: datetime, lease: timedelta
) -> InboundRecord | None:
    """Claim the chat's oldest pending delivery for `lease`; None when there is none or when
    one of the chat's deliveries is claimed already (its holder takes the next one itself).

    Whoever finishes a delivery calls this next, so a chat's deliveries are processed one at a
    time and in the order they were recorded, whichever process recorded each.
    """
    live = exists().where(
        *_chat_pending(channel, chat_id),
        InboundMessageRow.claimed_until.is_not(None),
        InboundMessageRow.claimed_until >= now,
    )
    first = (
        select(func.min(InboundMessageRow.id))
        .where(*_chat_pending(channel, chat_id))
        .scalar_subquery()
    )
    async with uow_factory() as uow:
        session = uow.session
        await _lock_chat(session, channel, chat_id)
        row = (
            await session.execute(
                update(InboundMessageRow)
                .where(
                    InboundMessageRow.id == first,
                    InboundMessageRow.status == "pending",
                    ~live,
                )
                .values(claimed_until=now + lease)
                .returning(
                    InboundMessageRow.id, InboundMessageRow.payload, InboundMessageRow.received_at
                )
            )
        ).first()
        await uow.commit()
    if row is None:
        return None
    return InboundRecord(row[0], channel, chat_id, json.loads(row[1]), row[2], True)


async def claimable_chats(
    uow_factory: UnitOfWorkFactory, now: datetime, limit: int = 1000
) -> list[tuple[str, str]]:
    """Chats with deliveries pending and none of them claimed (never, or by a process that
    died: its claim ran out), the longest waiting first."""
    live = case(
        (
            InboundMessageRow.claimed_until.is_not(None) & (InboundMessageRow.claimed_until >= now),
            1,
        ),
        else_=0,
    )
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            select(InboundMessageRow.channel, InboundMessageRow.chat_id)
            .where(InboundMessageRow.status == "pending")
            .group_by(InboundMessageRow.channel, InboundMessageRow.chat_id)
            .having(func.sum(live) == 0)
            .order_by(func.min(InboundMessageRow.id))
            .limit(limit)
        )
        return [(channel, chat_id) for channel, chat_id in rows]


async def release_inbound_claims(uow_factory: UnitOfWorkFactory) -> int:
    """Forget every claim on pending deliveries (a single process starting: its predecessor's
    claims are void); returns how many were released."""
    async with uow_factory() as uow:
        result = await uow.session.execute(
            update(InboundMessageRow)
            .where(
                InboundMessageRow.status == "pending", InboundMessageRow.claimed_until.is_not(None)
            )
            .values(claimed_until=None)
        )
        await uow.commit()
    return int(getattr(result, "rowcount", 0))


async def release_outbox_claims(uow_factory: UnitOfWorkFactory) -> int:
    """Forget every claim on undelivered messages (a single process starting: its
    predecessor's claims are void, so what it was sending goes now, not after the lease);
    returns how many were released."""
    async with uow_factory() as uow:
        result = await uow.session.execute(
            update(OutboxRow)
            .where(OutboxRow.status == "pending", OutboxRow.claimed_until.is_not(None))
            .values(claimed_until=None)
        )
        await uow.commit()
    return int(getattr(result, "rowcount", 0))


async def finish_inbound(
    uow_factory: UnitOfWorkFactory,
    inbound_id: int,
    status: str,
    now: datetime,
    outbox: Sequence[OutboxMessage] = (),
) -> None:
    """Close a delivery that needed no conversation turn, with the messages it answers."""
    async with uow_factory() as uow:
        await mark_inbound(uow.session, inbound_id, status, now)
        await enqueue(uow.session, outbox, now)
        await uow.commit()


async def mark_inbound(session: AsyncSession, inbound_id: int, status: str, now: datetime) -> None:
    """Inside a transaction: set a delivery's outcome."""
    await session.execute(
        update(InboundMessageRow)
        .where(InboundMessageRow.id == inbound_id)
        .values(status=status, processed_at=now)
    )


async def last_inbound_at(
    uow_factory: UnitOfWorkFactory, channel: str, chat_id: str
) -> datetime | None:
    """When the person of a chat last wrote (WhatsApp's 24-hour window starts there)."""
    async with uow_factory.read_only() as uow:
        return await uow.session.scalar(
            select(func.max(InboundMessageRow.received_at)).where(
                InboundMessageRow.channel == channel, InboundMessageRow.chat_id == chat_id
            )
        )


# ---- outbox ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxMessage:
    """A message to put in the outbox."""

    channel: str
    chat_id: str
    payload: dict[str, Any]
    shop_id: int | None = None
    dedupe_key: str | None = None


def keyed(messages: Sequence[OutboxMessage], key: str) -> list[OutboxMessage]:
    """The parts of one message, deduplicated as `key:<n>`: queued twice, sent once."""
    return [replace(m, dedupe_key=f"{key}:{n}") for n, m in enumerate(messages)]


@dataclass(frozen=True)
class OutboxItem:
    """A claimed outbox message, ready to send."""

    id: int
    channel: str
    chat_id: str
    shop_id: int | None
    payload: dict[str, Any]
    attempts: int
    created_at: datetime


async def enqueue(session: AsyncSession, messages: Sequence[OutboxMessage], now: datetime) -> None:
    """Inside a transaction: add messages to the outbox (a repeated dedupe key is skipped)."""
    for message in messages:
        values = {
            "channel": message.channel,
            "chat_id": message.chat_id,
            "shop_id": message.shop_id,
            "payload": json.dumps(message.payload),
            "dedupe_key": message.dedupe_key,
            "status": "pending",
            "attempts": 0,
            "created_at": now,
            "due_at": now,
        }
        if message.dedupe_key is None:
            await session.execute(insert(OutboxRow).values(**values))
        else:
            await session.execute(_insert_ignoring_duplicates(session, OutboxRow, values))


async def enqueue_messages(
    uow_factory: UnitOfWorkFactory, messages: Sequence[OutboxMessage], now: datetime
) -> None:
    """Add messages to the outbox in their own transaction."""
    async with uow_factory() as uow:
        await enqueue(uow.session, messages, now)
        await uow.commit()


async def claim_due(
    uow_factory: UnitOfWorkFactory,
    channels: Sequence[str],
    now: datetime,
    lease: timedelta,
    limit: int = 200,
) -> list[OutboxItem]:
    """Claim the oldest undelivered message of each chat, when it is due, for `lease`.

    Only a chat's first pending message is ever claimed, so a chat's messages go out in order
    even while one of them waits to be retried. A claim past its lease (the process died
    mid-send) can be claimed again. On PostgreSQL, rows another process is claiming are skipped.
    """
    async with uow_factory() as uow:
        session = uow.session
        first_per_chat = (
            select(func.min(OutboxRow.id))
            .where(OutboxRow.status == "pending", OutboxRow.channel.in_(channels))
            .group_by(OutboxRow.channel, OutboxRow.chat_id)
        )
        query = (
            select(OutboxRow)
            .where(
                OutboxRow.id.in_(first_per_chat),
                OutboxRow.due_at <= now,
                (OutboxRow.claimed_until.is_(None)) | (OutboxRow.claimed_until < now),
            )
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = list((await session.scalars(query)).all())
        if not rows:
            return []
        await session.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_([r.id for r in rows]))
            .values(claimed_until=now + lease)
        )
        items = [
            OutboxItem(
                r.id,
                r.channel,
                r.chat_id,
                r.shop_id,
                json.loads(r.payload),
                r.attempts,
                r.created_at,
            )
            for r in rows
        ]
        await uow.commit()
    return items


async def mark_sent(
    uow_factory: UnitOfWorkFactory, item_id: int, external_id: str | None, now: datetime
) -> None:
    """The channel took the message.

    A light commit: it survives a crash of the process, and skipping the fsync shortens the
    window in which a crash after the channel took the message sends it again (Telegram and
    Twilio take no idempotency key, so delivery is at least once). A power cut may still undo it.
    """
    await _set(
        uow_factory,
        item_id,
        light=True,
        status="sent",
        sent_at=now,
        external_id=external_id,
        claimed_until=None,
        attempts=OutboxRow.attempts + 1,
    )


async def mark_retry(
    uow_factory: UnitOfWorkFactory,
    item_id: int,
    due_at: datetime,
    error: str,
    payload: dict[str, Any] | None = None,
) -> None:
    """Try again at `due_at` (a 429's retry_after, or backoff after a 5xx)."""
    values: dict[str, Any] = {
        "due_at": due_at,
        "last_error": error[:300],
        "claimed_until": None,
        "attempts": OutboxRow.attempts + 1,
    }
    if payload is not None:
        values["payload"] = json.dumps(payload)
    await _set(uow_factory, item_id, **values)


async def mark_failed(
    uow_factory: UnitOfWorkFactory, item_id: int, error: str, now: datetime
) -> None:
    """Give up on the message for good (a customer who blocked the bot, a bad number)."""
    await _set(
        uow_factory,
        item_id,
        status="failed",
        sent_at=None,
        last_error=error[:300],
        claimed_until=None,
        attempts=OutboxRow.attempts + 1,
        due_at=now,
    )


async def _set(
    uow_factory: UnitOfWorkFactory, item_id: int, *, light: bool = False, **values: Any
) -> None:
    async with uow_factory.light() if light else uow_factory() as uow:
        await uow.session.execute(update(OutboxRow).where(OutboxRow.id == item_id).values(**values))
        await uow.commit()


@dataclass(frozen=True)
class PushedMessage:
    """A message the bot put in a chat's outbox, as a reader of that chat sees it."""

    id: int
    payload: dict[str, Any]


async def pushed_messages(
    uow_factory: UnitOfWorkFactory, channel: str, chat_id: str, after: int, limit: int = 50
) -> list[PushedMessage]:
    """A chat's outbox messages (pending or sent, not failed) with id > `after`, oldest first."""
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            select(OutboxRow.id, OutboxRow.payload)
            .where(
                OutboxRow.status.in_(["pending", "sent"]),
                OutboxRow.channel == channel,
                OutboxRow.chat_id == chat_id,
                OutboxRow.id > after,
            )
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        return [PushedMessage(row_id, json.loads(payload)) for row_id, payload in rows]


async def last_pushed_id(uow_factory: UnitOfWorkFactory, channel: str, chat_id: str) -> int:
    """The id of a chat's newest outbox message (pending or sent), 0 when there is none."""
    async with uow_factory.read_only() as uow:
        newest = await uow.session.scalar(
            select(func.max(OutboxRow.id)).where(
                OutboxRow.status.in_(["pending", "sent"]),
                OutboxRow.channel == channel,
                OutboxRow.chat_id == chat_id,
            )
        )
    return int(newest or 0)


@dataclass(frozen=True)
class OutboxStats:
    """What /readyz shows about delivery."""

    pending: int
    failed: int
    oldest_pending: datetime | None
    last_failure: str | None


async def outbox_stats(uow_factory: UnitOfWorkFactory) -> OutboxStats:
    """Counts of undelivered and given-up messages, and the latest reason for giving up."""
    async with uow_factory.read_only() as uow:
        counts = dict(
            (
                await uow.session.execute(
                    select(OutboxRow.status, func.count())
                    .where(OutboxRow.status.in_(["pending", "failed"]))
                    .group_by(OutboxRow.status)
                )
            ).all()
        )
        oldest = await uow.session.scalar(
            select(func.min(OutboxRow.created_at)).where(OutboxRow.status == "pending")
        )
        last = await uow.session.scalar(
            select(OutboxRow.last_error)
            .where(OutboxRow.status == "failed")
            .order_by(OutboxRow.id.desc())
            .limit(1)
        )
    return OutboxStats(counts.get("pending", 0), counts.get("failed", 0), oldest, last)


# ---- booking events ----------------------------------------------------------------------


@dataclass(frozen=True)
class PendingEvent:
    """A booking event not yet announced."""

    id: int
    shop_id: int
    booking_id: int
    kind: str
    previous_booking_id: int | None


async def pending_events(uow_factory: UnitOfWorkFactory, limit: int = 100) -> list[PendingEvent]:
    """Booking events waiting to be announced, oldest first."""
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            select(
                BookingEventRow.id,
                BookingEventRow.shop_id,
                BookingEventRow.booking_id,
                BookingEventRow.kind,
                BookingEventRow.previous_booking_id,
            )
            .where(BookingEventRow.handled_at.is_(None))
            .order_by(BookingEventRow.id)
            .limit(limit)
        )
        return [PendingEvent(*row) for row in rows]


async def handle_event(
    uow_factory: UnitOfWorkFactory,
    event_id: int,
    messages: Sequence[OutboxMessage],
    now: datetime,
    also: Callable[[AsyncSession], Awaitable[None]] | None = None,
) -> None:
    """Mark an event announced and queue its messages (and run `also`, e.g. plan its
    reminders), in one transaction."""
    async with uow_factory() as uow:
        result = await uow.session.execute(
            update(BookingEventRow)
            .where(BookingEventRow.id == event_id, BookingEventRow.handled_at.is_(None))
            .values(handled_at=now)
        )
        if getattr(result, "rowcount", 0) != 1:
            return  # another process announced it first
        await enqueue(uow.session, messages, now)
        if also is not None:
            await also(uow.session)
        await uow.commit()


# ---- staff links -------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffLink:
    """A chat that belongs to a professional, or to the owner when `professional_id` is None."""

    id: int
    shop_id: int
    professional_id: int | None
    channel: str
    chat_id: str
    name: str | None  # the professional's name (None for the owner)
    offered: tuple[tuple[str, str], ...] = ()  # (id, label) of the choices last shown


def _staff_select() -> Any:
    return select(
        StaffLinkRow.id,
        StaffLinkRow.shop_id,
        StaffLinkRow.professional_id,
        StaffLinkRow.channel,
        StaffLinkRow.chat_id,
        func.coalesce(ProfessionalRow.nickname, ProfessionalRow.name),
        StaffLinkRow.offered,
    ).outerjoin(ProfessionalRow, ProfessionalRow.id == StaffLinkRow.professional_id)


def _staff_link(row: Any) -> StaffLink:
    link_id, shop_id, professional_id, channel, chat_id, name, offered = row
    try:
        choices = tuple((c["id"], c["label"]) for c in json.loads(offered or "[]"))
    except (ValueError, TypeError, KeyError):
        choices = ()  # unreadable: as if nothing was shown
    return StaffLink(link_id, shop_id, professional_id, channel, chat_id, name, choices)


async def remember_staff_offer(
    uow_factory: UnitOfWorkFactory, link_id: int, offered: Sequence[tuple[str, str]]
) -> None:
    """Keep the choices a staff chat was last shown."""
    text = json.dumps([{"id": i, "label": label} for i, label in offered]) if offered else None
    async with uow_factory() as uow:
        await uow.session.execute(
            update(StaffLinkRow).where(StaffLinkRow.id == link_id).values(offered=text)
        )
        await uow.commit()


async def staff_link(
    uow_factory: UnitOfWorkFactory, channel: str, chat_id: str
) -> StaffLink | None:
    """The staff link of a chat, if the chat is a professional's or the owner's."""
    async with uow_factory.read_only() as uow:
        row = (
            await uow.session.execute(
                _staff_select().where(
                    StaffLinkRow.channel == channel, StaffLinkRow.chat_id == chat_id
                )
            )
        ).first()
    return _staff_link(row) if row else None


async def staff_chats(
    uow_factory: UnitOfWorkFactory,
    shop_id: int,
    professional_id: int,
    event_id: int | None = None,
) -> list[StaffLink]:
    """Who hears about a professional's turno: their own chats and the owner's; for a booking
    event (`event_id`), those linked before it was written (a chat linked later starts "from
    now on")."""
    query = _staff_select().where(
        StaffLinkRow.shop_id == shop_id,
        (StaffLinkRow.professional_id == professional_id) | StaffLinkRow.professional_id.is_(None),
    )
    if event_id is not None:
        query = query.where(StaffLinkRow.events_after < event_id)
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(query.order_by(StaffLinkRow.id))
        return [_staff_link(row) for row in rows]


async def shop_staff_links(uow_factory: UnitOfWorkFactory, shop_id: int) -> list[StaffLink]:
    """Every linked chat of a shop: the professionals' and the owner's."""
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            _staff_select().where(StaffLinkRow.shop_id == shop_id).order_by(StaffLinkRow.id)
        )
        return [_staff_link(row) for row in rows]


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def normalize_link_code(text: str) -> str | None:
    """The six digits of a link code as people type it ("123 456", "BP-123456"), else None."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits if len(digits) == _LINK_CODE_DIGITS else None


async def create_link_code(
    uow_factory: UnitOfWorkFactory, shop_id: int, professional_id: int | None, now: datetime
) -> str:
    """A fresh one-time code (six digits, valid 24 hours) that links a chat to the person."""
    async with uow_factory() as uow:
        while True:
            code = f"{secrets.randbelow(10**_LINK_CODE_DIGITS):0{_LINK_CODE_DIGITS}d}"
            taken = await uow.session.scalar(
                select(LinkCodeRow.id).where(LinkCodeRow.code_hash == _hash_code(code))
            )
            if taken is None:
                break
        uow.session.add(
            LinkCodeRow(
                shop_id=shop_id,
                professional_id=professional_id,
                code_hash=_hash_code(code),
                created_at=now,
                expires_at=now + LINK_CODE_TTL,
            )
        )
        await uow.commit()
    return code


async def use_link_code(
    uow_factory: UnitOfWorkFactory, code: str, channel: str, chat_id: str, now: datetime
) -> StaffLink | None:
    """Link the chat with the code's person (the code is spent); None for a wrong or old code."""
    async with uow_factory() as uow:
        session = uow.session
        row = await session.scalar(
            select(LinkCodeRow).where(
                LinkCodeRow.code_hash == _hash_code(code),
                LinkCodeRow.used_at.is_(None),
                LinkCodeRow.expires_at > now,
            )
        )
        if row is None:
            return None
        row.used_at = now
        # Events already written are not news to this chat, even if not announced yet.
        events_after: int = (
            await session.scalar(select(func.coalesce(func.max(BookingEventRow.id), 0)))
        ) or 0
        existing = await session.scalar(
            select(StaffLinkRow).where(
                StaffLinkRow.channel == channel, StaffLinkRow.chat_id == chat_id
            )
        )
        if existing is None:
            session.add(
                StaffLinkRow(
                    shop_id=row.shop_id,
                    professional_id=row.professional_id,
                    channel=channel,
                    chat_id=chat_id,
                    created_at=now,
                    events_after=events_after,
                )
            )
        else:  # a chat linked again moves to the new person
            existing.shop_id = row.shop_id
            existing.professional_id = row.professional_id
            existing.events_after = events_after
        await uow.commit()
    return await staff_link(uow_factory, channel, chat_id)


async def unlink_staff(uow_factory: UnitOfWorkFactory, channel: str, chat_id: str) -> None:
    """The chat stops being a staff chat."""
    async with uow_factory() as uow:
        link = await uow.session.scalar(
            select(StaffLinkRow).where(
                StaffLinkRow.channel == channel, StaffLinkRow.chat_id == chat_id
            )
        )
        if link is not None:
            await uow.session.delete(link)
            await uow.commit()


# ---- shops on WhatsApp -------------------------------------------------------------------


async def shop_for_whatsapp_number(uow_factory: UnitOfWorkFactory, number: str) -> int | None:
    """The shop customers reach on this WhatsApp number, if one is set."""
    async with uow_factory.read_only() as uow:
        return await uow.session.scalar(select(ShopRow.id).where(ShopRow.whatsapp_number == number))


async def shop_id_by_slug(uow_factory: UnitOfWorkFactory, slug: str) -> int | None:
    """The id of the shop with this slug."""
    async with uow_factory.read_only() as uow:
        return await uow.session.scalar(select(ShopRow.id).where(ShopRow.slug == slug))


async def chat_exists(uow_factory: UnitOfWorkFactory, channel: str, chat_id: str) -> bool:
    """Whether the chat has a conversation row (a sandbox chat id seen before)."""
    found = (
        select(ConversationRow.id)
        .where(ConversationRow.channel == channel, ConversationRow.chat_id == chat_id)
        .limit(1)
    )
    async with uow_factory.read_only() as uow:
        return await uow.session.scalar(found) is not None


async def set_shop_whatsapp_number(
    uow_factory: UnitOfWorkFactory, shop_id: int, number: str
) -> None:
    """The WhatsApp number (E.164) customers reach the shop on."""
    async with uow_factory() as uow:
        await uow.session.execute(
            update(ShopRow).where(ShopRow.id == shop_id).values(whatsapp_number=number)
        )
        await uow.commit()


async def whatsapp_templates(uow_factory: UnitOfWorkFactory, shop_id: int) -> dict[str, str]:
    """The shop's Twilio Content templates by key (`quick_reply_2`, `outside_window`, …)."""
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            select(WhatsAppTemplateRow.key, WhatsAppTemplateRow.content_sid).where(
                WhatsAppTemplateRow.shop_id == shop_id
            )
        )
        return {str(key): str(sid) for key, sid in rows.all()}


async def set_whatsapp_template(
    uow_factory: UnitOfWorkFactory, shop_id: int, key: str, content_sid: str | None
) -> None:
    """Set (or with None, remove) one of the shop's Content templates."""
    async with uow_factory() as uow:
        row = await uow.session.get(WhatsAppTemplateRow, (shop_id, key))
        if row is not None:
            await uow.session.delete(row)
            await uow.session.flush()
        if content_sid:
            uow.session.add(WhatsAppTemplateRow(shop_id=shop_id, key=key, content_sid=content_sid))
        await uow.commit()
