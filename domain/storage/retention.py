"""Purging old personal data (Ley 25.326): message texts and idle conversations past the
retention period.

Texts are blanked, not deleted: an inbound delivery's id keeps a replayed webhook a no-op, and an
outbox row's status and counts stay for the shop's figures. Conversations idle since before the
cut are deleted, but not those of a customer with a turno still ahead at that shop (reminders
and offers reach them through it). Work goes in small batches, one short transaction each, so a
chat turn never waits long for the write lock; running it twice changes nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, select, update

from domain.model import ACTIVE_STATUSES
from domain.storage.customer_rights import BLANK_PAYLOAD
from domain.storage.tables import BookingRow, ConversationRow, InboundMessageRow, OutboxRow
from domain.storage.uow import UnitOfWorkFactory

BATCH = 500
PURGED_OUTBOX = '{"text": ""}'  # still a message payload: readers find an empty text
_ACTIVE = [s.value for s in ACTIVE_STATUSES]


@dataclass(frozen=True)
class Purged:
    """How many inbound texts, outbox bodies and conversations a purge removed."""

    inbound: int = 0
    outbox: int = 0
    conversations: int = 0


async def purge(uow_factory: UnitOfWorkFactory, before: datetime, batch: int = BATCH) -> Purged:
    """Blank message texts older than `before` and delete conversations idle since then."""
    inbound = await _in_batches(
        uow_factory,
        select(InboundMessageRow.id).where(
            InboundMessageRow.received_at < before,
            InboundMessageRow.status != "pending",
            InboundMessageRow.payload != BLANK_PAYLOAD,
        ),
        lambda ids: (
            update(InboundMessageRow)
            .where(InboundMessageRow.id.in_(ids))
            .values(payload=BLANK_PAYLOAD)
        ),
        batch,
    )
    outbox = await _in_batches(
        uow_factory,
        select(OutboxRow.id).where(
            OutboxRow.created_at < before,
            OutboxRow.status != "pending",
            OutboxRow.payload != PURGED_OUTBOX,
        ),
        lambda ids: update(OutboxRow).where(OutboxRow.id.in_(ids)).values(payload=PURGED_OUTBOX),
        batch,
    )
    upcoming = exists().where(
        BookingRow.customer_id == ConversationRow.customer_id,
        BookingRow.shop_id == ConversationRow.shop_id,
        BookingRow.status.in_(_ACTIVE),
        BookingRow.starts_at >= before,
    )
    conversations = await _in_batches(
        uow_factory,
        select(ConversationRow.id).where(
            ConversationRow.updated_at < before,
            ~and_(ConversationRow.customer_id.is_not(None), upcoming),
        ),
        lambda ids: delete(ConversationRow).where(ConversationRow.id.in_(ids)),
        batch,
    )
    return Purged(inbound, outbox, conversations)


async def _in_batches(uow_factory: UnitOfWorkFactory, pick: Any, change: Any, batch: int) -> int:
    """Apply `change` to the ids `pick` finds, `batch` at a time; how many were changed."""
    done = 0
    while True:
        async with uow_factory() as uow:
            ids = list((await uow.session.scalars(pick.order_by(None).limit(batch))).all())
            if ids:
                await uow.session.execute(change(ids))
            await uow.commit()
        done += len(ids)
        if len(ids) < batch:
            return done
