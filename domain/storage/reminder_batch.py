"""Storage for reminders sent in bulk: everything a batch of due reminders needs, read in a few
set-based statements, and the whole batch written in one transaction.

The per-reminder path (bot/reminders.py `Reminders.run`) reads a booking, the customer's chat,
its conversation and the customer's turnos, then saves state and outbox row, then closes the
job: five or six transactions a reminder. Here a batch of due reminder jobs costs four reads
and one write transaction, whatever its size. The write checks, inside its transaction, that
each job is still claimed by this loop and that each chat is still at the version read (on
PostgreSQL with the rows locked, on SQLite under the BEGIN IMMEDIATE write lock), so a
customer's turn saved meanwhile is never overwritten and a cancelled reminder is never sent.
The conversation states, the outbox rows and the job completions commit together: a kill -9
leaves all of the batch or none of it.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from domain.model import ACTIVE_STATUSES, BookingStatus
from domain.storage.channels import OutboxMessage
from domain.storage.chat import BookingLine, CustomerLines, StoredConversation
from domain.storage.tables import (
    BookingRow,
    ConversationRow,
    JobRow,
    OutboxRow,
    ShopCustomerRow,
)
from domain.storage.uow import UnitOfWorkFactory

_ACTIVE = [s.value for s in ACTIVE_STATUSES]
_LISTED = [*_ACTIVE, BookingStatus.COMPLETED.value]
# The chat shows a customer's latest turnos: as many as the per-turn read takes (chat.py).
_LINES_PER_CUSTOMER = 50

# The tables themselves: a list of parameters runs as one executemany on them, never as the
# ORM's bulk paths.
_CONVERSATIONS = cast(Table, ConversationRow.__table__)
_OUTBOX = cast(Table, OutboxRow.__table__)
_JOBS = cast(Table, JobRow.__table__)


@dataclass(frozen=True)
class DueBooking:
    """The booking a reminder job is about, as far as sending its reminder goes."""

    id: int
    shop_id: int
    customer_id: int
    status: str
    starts_at: datetime


@dataclass(frozen=True)
class ReminderChat:
    """The chat a customer last used with a shop, with its conversation as stored."""

    id: int  # the conversation row
    channel: str
    chat_id: str
    conversation: StoredConversation


@dataclass(frozen=True)
class ReminderReads:
    """What a batch of reminders reads: bookings by id, and by (customer, shop) the chat to
    write to and the customer's name and turnos there."""

    bookings: dict[int, DueBooking]
    chats: dict[tuple[int, int], ReminderChat]
    customers: dict[tuple[int, int], CustomerLines]


@dataclass(frozen=True)
class ReminderWrite:
    """One reminder's turn to save: its chat's new state (if the chat is still at `version`)
    and the messages to queue, closing job `job_id`."""

    job_id: int
    conversation_id: int
    version: int
    state: dict[str, Any]
    outbox: tuple[OutboxMessage, ...]


@dataclass(frozen=True)
class BatchSaved:
    """What the batch write did, by job id: `done` closed (their messages queued), `changed`
    left alone because their chat moved on meanwhile, `lost` no longer this loop's to run
    (cancelled with their turno, or the claim ran out)."""

    done: frozenset[int]
    changed: frozenset[int]
    lost: frozenset[int]


async def read_reminders(
    uow_factory: UnitOfWorkFactory,
    bookings: Collection[tuple[int, int]],
    channels: Sequence[str],
    now: datetime,
) -> ReminderReads:
    """The bookings (`(shop id, booking id)` pairs, each only within its shop), their
    customers' chats on `channels` and their customers' names and turnos: four statements."""
    shop_ids = sorted({shop for shop, _ in bookings})
    wanted = set(bookings)
    async with uow_factory.read_only() as uow:
        session = uow.session
        found: dict[int, DueBooking] = {}
        for row in await session.execute(
            select(
                BookingRow.id,
                BookingRow.shop_id,
                BookingRow.customer_id,
                BookingRow.status,
                BookingRow.starts_at,
            ).where(
                BookingRow.id.in_(sorted({b for _, b in bookings})),
                BookingRow.shop_id.in_(shop_ids),
            )
        ):
            if (row.shop_id, row.id) in wanted:  # a booking of another shop is not found
                found[row.id] = DueBooking(*row)
        people = {(b.customer_id, b.shop_id) for b in found.values()}
        if not people:
            return ReminderReads(found, {}, {})
        chats = await _chats(session, people, channels)
        customers = await _customers(session, people, now)
    return ReminderReads(found, chats, customers)


async def _chats(
    session: Any, people: set[tuple[int, int]], channels: Sequence[str]
) -> dict[tuple[int, int], ReminderChat]:
    """Per (customer, shop): the chat last used, in the order `customer_chat` (chat.py) uses."""
    latest = (
        func.row_number()
        .over(
            partition_by=(ConversationRow.customer_id, ConversationRow.shop_id),
            order_by=(ConversationRow.updated_at.desc(), ConversationRow.id.desc()),
        )
        .label("latest")
    )
    ranked = (
        select(
            ConversationRow.id,
            ConversationRow.channel,
            ConversationRow.chat_id,
            ConversationRow.shop_id,
            ConversationRow.customer_id,
            ConversationRow.state,
            ConversationRow.version,
            latest,
        )
        .where(
            ConversationRow.customer_id.in_(sorted({c for c, _ in people})),
            ConversationRow.shop_id.in_(sorted({s for _, s in people})),
            ConversationRow.channel.in_(list(channels)),
        )
        .subquery()
    )
    chats: dict[tuple[int, int], ReminderChat] = {}
    for row in await session.execute(select(ranked).where(ranked.c.latest == 1)):
        key = (row.customer_id, row.shop_id)
        if key not in people:
            continue
        try:
            state = json.loads(row.state)
        except ValueError:
            state = {}  # as the chat reads it: an unreadable state restarts the conversation
        stored = StoredConversation(row.shop_id, row.customer_id, state, row.version)
        chats[key] = ReminderChat(row.id, row.channel, row.chat_id, stored)
    return chats


async def _customers(
    session: Any, people: set[tuple[int, int]], now: datetime
) -> dict[tuple[int, int], CustomerLines]:
    """Per (customer, shop): the name the shop knows them by, their upcoming active turnos and
    their latest turno there, as `ChatStore.customer` (chat.py) reads them one at a time."""
    customer_ids = sorted({c for c, _ in people})
    shop_ids = sorted({s for _, s in people})
    names = {
        (customer, shop): name
        for customer, shop, name in await session.execute(
            select(
                ShopCustomerRow.customer_id, ShopCustomerRow.shop_id, ShopCustomerRow.name
            ).where(
                ShopCustomerRow.customer_id.in_(customer_ids),
                ShopCustomerRow.shop_id.in_(shop_ids),
            )
        )
    }
    newest = (
        func.row_number()
        .over(
            partition_by=(BookingRow.customer_id, BookingRow.shop_id),
            order_by=BookingRow.starts_at.desc(),
        )
        .label("newest")
    )
    ranked = (
        select(
            BookingRow.customer_id,
            BookingRow.shop_id,
            BookingRow.id,
            BookingRow.service_id,
            BookingRow.professional_id,
            BookingRow.starts_at,
            BookingRow.status,
            BookingRow.payment_method,
            newest,
        )
        .where(
            BookingRow.customer_id.in_(customer_ids),
            BookingRow.shop_id.in_(shop_ids),
            BookingRow.status.in_(_LISTED),
        )
        .subquery()
    )
    lines: dict[tuple[int, int], list[tuple[int, BookingLine]]] = {}
    for row in await session.execute(select(ranked).where(ranked.c.newest <= _LINES_PER_CUSTOMER)):
        key = (row.customer_id, row.shop_id)
        line = BookingLine(
            row.id,
            row.service_id,
            row.professional_id,
            row.starts_at,
            row.status,
            row.payment_method,
        )
        lines.setdefault(key, []).append((row.newest, line))
    customers = {}
    for key in people:
        ordered = [line for _, line in sorted(lines.get(key, ()), key=lambda ranked: ranked[0])]
        upcoming = sorted(
            (b for b in ordered if b.status in _ACTIVE and b.start > now), key=lambda b: b.start
        )
        last = ordered[0] if ordered else None
        customers[key] = CustomerLines(names.get(key), tuple(upcoming), last)
    return customers


async def save_reminders(
    uow_factory: UnitOfWorkFactory,
    worker: str,
    writes: Sequence[ReminderWrite],
    quiet: Collection[int],
    now: datetime,
) -> BatchSaved:
    """In one transaction: each write whose job `worker` still holds and whose chat is still at
    the version read saves its state and queues its messages (a repeated dedupe key is
    skipped), and those jobs and the `quiet` ones (nothing to send) are marked done."""
    job_ids = sorted({w.job_id for w in writes} | set(quiet))
    async with uow_factory() as uow:
        session = uow.session
        locking = session.get_bind().dialect.name == "postgresql"
        # Rows locked in id order (PostgreSQL): two loops with overlapping chats never deadlock.
        held = select(JobRow.id).where(
            JobRow.id.in_(job_ids), JobRow.status == "pending", JobRow.claimed_by == worker
        )
        ours = set((await session.scalars(_locked(held.order_by(JobRow.id), locking))).all())
        mine = [w for w in writes if w.job_id in ours]
        versions: dict[int, int] = {}
        if mine:
            current = select(ConversationRow.id, ConversationRow.version).where(
                ConversationRow.id.in_(sorted({w.conversation_id for w in mine}))
            )
            locked = _locked(current.order_by(ConversationRow.id), locking)
            versions = dict((await session.execute(locked)).all())
        saving = [w for w in mine if versions.get(w.conversation_id) == w.version]
        changed = {w.job_id for w in mine} - {w.job_id for w in saving}
        if saving:
            await session.execute(
                update(_CONVERSATIONS)
                .where(
                    _CONVERSATIONS.c.id == bindparam("row_id"),
                    _CONVERSATIONS.c.version == bindparam("read_version"),
                )
                .values(
                    state=bindparam("new_state"),
                    version=bindparam("new_version"),
                    updated_at=bindparam("saved_at"),
                ),
                [
                    {
                        "row_id": w.conversation_id,
                        "read_version": w.version,
                        "new_state": json.dumps(w.state),
                        "new_version": w.version + 1,
                        "saved_at": now,
                    }
                    for w in saving
                ],
            )
        messages = [m for w in saving for m in w.outbox]
        if messages:
            insert = pg_insert if locking else sqlite_insert
            await session.execute(
                insert(_OUTBOX).on_conflict_do_nothing(),
                [
                    {
                        "channel": m.channel,
                        "chat_id": m.chat_id,
                        "shop_id": m.shop_id,
                        "payload": json.dumps(m.payload),
                        "dedupe_key": m.dedupe_key,
                        "status": "pending",
                        "attempts": 0,
                        "created_at": now,
                        "due_at": now,
                    }
                    for m in messages
                ],
            )
        done = sorted({w.job_id for w in saving} | (ours & set(quiet)))
        if done:
            await session.execute(
                update(_JOBS)
                .where(
                    _JOBS.c.id.in_(done),
                    _JOBS.c.status == "pending",
                    _JOBS.c.claimed_by == worker,
                )
                .values(status="done", done_at=now, claimed_by=None, claimed_until=None)
            )
        await uow.commit()
    return BatchSaved(frozenset(done), frozenset(changed), frozenset(set(job_ids) - ours))


def _locked(query: Any, locking: bool) -> Any:
    """The query, its rows locked until the transaction ends where the database can."""
    return query.with_for_update() if locking else query
