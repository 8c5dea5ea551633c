"""Claims as two processes make them: each on its own engine, on the same database.

A chat's inbound deliveries are claimed one at a time and in recorded order, whoever asks; two
delivery loops claiming the outbox at once take disjoint messages, each chat's first only.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from domain.storage.channels import (
    OutboxMessage,
    claim_due,
    claim_next_inbound,
    claimable_chats,
    enqueue_messages,
    finish_inbound,
    mark_sent,
    record_delivery,
)
from domain.storage.engine import make_engine
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock

LEASE = timedelta(minutes=2)


@pytest.fixture
async def two(database_url: str) -> AsyncIterator[tuple[UnitOfWorkFactory, UnitOfWorkFactory]]:
    """Units of work of two processes: separate engines, separate connections."""
    engines = [make_engine(database_url), make_engine(database_url)]
    try:
        yield UnitOfWorkFactory(engines[0]), UnitOfWorkFactory(engines[1])
    finally:
        for engine in engines:
            await engine.dispose()


async def _record(factory: UnitOfWorkFactory, n: int, clock: FixedClock) -> tuple[int, bool]:
    recorded = await record_delivery(
        factory, "telegram", f"u{n}", "77", {"n": n}, clock.now(), claim=LEASE
    )
    assert recorded is not None
    return recorded.id, recorded.claimed


async def test_a_chats_deliveries_are_claimed_one_at_a_time_in_recorded_order(
    two: tuple[UnitOfWorkFactory, UnitOfWorkFactory], clock: FixedClock
) -> None:
    a, b = two
    first = await _record(a, 1, clock)
    second = await _record(b, 2, clock)
    third = await _record(a, 3, clock)
    assert [first[1], second[1], third[1]] == [True, False, False], "only the first is taken"

    # While the first is in work nobody gets the chat, and nothing is left for a resume.
    assert await claim_next_inbound(b, "telegram", "77", clock.now(), LEASE) is None
    assert await claimable_chats(b, clock.now()) == []

    await finish_inbound(a, first[0], "done", clock.now())
    taken = await asyncio.gather(
        *(claim_next_inbound(f, "telegram", "77", clock.now(), LEASE) for f in (a, b, a, b))
    )
    [record] = [r for r in taken if r is not None]
    assert (record.id, record.payload) == (second[0], {"n": 2})

    # Its taker dies: once the claim runs out the chat can be resumed, from that delivery on.
    clock.advance(minutes=3)
    assert await claimable_chats(a, clock.now()) == [("telegram", "77")]
    again = await claim_next_inbound(a, "telegram", "77", clock.now(), LEASE)
    assert again is not None
    assert again.id == second[0]
    await finish_inbound(a, second[0], "done", clock.now())
    last = await claim_next_inbound(b, "telegram", "77", clock.now(), LEASE)
    assert last is not None
    assert last.id == third[0]


async def test_deliveries_recorded_at_once_by_two_processes_start_one_turn(
    two: tuple[UnitOfWorkFactory, UnitOfWorkFactory], clock: FixedClock
) -> None:
    """Concurrent recordings of one chat: exactly one of them is claimed."""
    a, b = two
    recorded = await asyncio.gather(*(_record((a, b)[n % 2], n, clock) for n in range(12)))

    assert sum(claimed for _, claimed in recorded) == 1


async def test_two_delivery_loops_claiming_at_once_take_disjoint_messages_in_chat_order(
    two: tuple[UnitOfWorkFactory, UnitOfWorkFactory], clock: FixedClock
) -> None:
    a, b = two
    chats = [str(800 + n) for n in range(40)]
    await enqueue_messages(
        a,
        [OutboxMessage("telegram", c, {"text": f"{c}:{n}"}) for n in range(3) for c in chats],
        clock.now(),
    )

    sent: list[str] = []
    while len(sent) < 3 * len(chats):
        claimed = await asyncio.gather(
            claim_due(a, ["telegram"], clock.now(), LEASE, limit=15),
            claim_due(b, ["telegram"], clock.now(), LEASE, limit=15),
        )
        ids = [item.id for items in claimed for item in items]
        assert len(ids) == len(set(ids)), "a message claimed twice"
        assert len({i.chat_id for items in claimed for i in items}) == len(ids), "one per chat"
        for items in claimed:
            for item in items:
                sent.append(item.payload["text"])
                await mark_sent(a, item.id, None, clock.now())

    assert sorted(sent) == sorted(f"{c}:{n}" for n in range(3) for c in chats)
    for chat in chats:
        assert [t for t in sent if t.startswith(f"{chat}:")] == [f"{chat}:{n}" for n in range(3)]
