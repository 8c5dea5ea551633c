"""The purge works through any number of old rows in small batches and is idempotent."""

from __future__ import annotations

from datetime import timedelta

from domain.storage.channels import OutboxMessage, enqueue_messages, record_inbound
from domain.storage.retention import Purged, purge
from domain.storage.uow import UnitOfWorkFactory
from tests.conftest import T0


async def test_old_texts_go_batch_after_batch_and_a_second_run_finds_nothing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    old = T0 - timedelta(days=200)
    for n in range(5):
        payload = {"message": {"text": f"hola {n}"}}
        await record_inbound(uow_factory, "telegram", f"u{n}", "42", payload, old, status="done")
    await record_inbound(
        uow_factory, "telegram", "new", "42", {"message": {}}, old, status="pending"
    )
    await enqueue_messages(uow_factory, [OutboxMessage("telegram", "42", {"text": "x"}, None)], old)

    first = await purge(uow_factory, T0 - timedelta(days=180), batch=2)
    again = await purge(uow_factory, T0 - timedelta(days=180), batch=2)

    # five done deliveries; the pending one and the outbox message not yet sent are kept
    assert first == Purged(inbound=5, outbox=0, conversations=0)
    assert again == Purged()
