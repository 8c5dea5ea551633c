"""The daily purge of old personal data (BARBERPRO_RETENTION_DAYS, 180 by default), run by the
app's own job loop on the test's clock.

The app starts on Tuesday 2026-12-01, 09:00 in Buenos Aires and plans the purge for Wednesday
04:00. Messages and chats from 200 days before are purged then; those of yesterday are not, nor
the old chat of a customer with a turno still ahead (reminders reach them through it).
"""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import insert, select

from bot.demo import seed_demo
from bot.settings import Settings
from domain.storage.channels import OutboxMessage, enqueue_messages, record_inbound
from domain.storage.tables import (
    ConversationRow,
    CustomerRow,
    InboundMessageRow,
    JobRow,
    OutboxRow,
)
from domain.storage.uow import UnitOfWorkFactory
from tests.conftest import T0
from tests.helpers import FixedClock
from tests.web.chat import Chat
from web.app import create_app


async def seed_messages(
    uow_factory: UnitOfWorkFactory, tag: str, chat_id: str, at: FixedClock
) -> None:
    """One inbound text and one sent outbox message of a chat, at the clock's time."""
    now = at.now()
    payload = {"message": {"text": f"mensaje {tag}", "chat": {"id": chat_id}}}
    await record_inbound(uow_factory, "telegram", f"u-{tag}", chat_id, payload, now, status="done")
    out = OutboxMessage("telegram", chat_id, {"text": f"respuesta {tag}"}, None)
    await enqueue_messages(uow_factory, [out], now)
    async with uow_factory() as uow:
        await uow.session.execute(
            OutboxRow.__table__.update()
            .where(OutboxRow.chat_id == chat_id)
            .values(status="sent", sent_at=now)
        )
        await uow.commit()


async def texts(uow_factory: UnitOfWorkFactory) -> tuple[dict[str, str], dict[str, str]]:
    """chat id → payload of the inbound deliveries, and of the outbox."""
    async with uow_factory.read_only() as uow:
        inbound = dict(
            (
                await uow.session.execute(
                    select(InboundMessageRow.chat_id, InboundMessageRow.payload)
                )
            ).all()
        )
        outbox = dict(
            (await uow.session.execute(select(OutboxRow.chat_id, OutboxRow.payload))).all()
        )
    return inbound, outbox


async def chats(uow_factory: UnitOfWorkFactory) -> set[str]:
    async with uow_factory.read_only() as uow:
        return set((await uow.session.scalars(select(ConversationRow.chat_id))).all())


async def test_the_daily_job_purges_old_texts_and_idle_chats_once(
    database_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await seed_demo(uow_factory, clock, history=False)
    settings = Settings(database_url=database_url, sandbox=True, _env_file=None)  # type: ignore[call-arg]
    app = create_app(settings, clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as web:
            clock.current = T0 - timedelta(days=200)
            await Chat(web, "old-chat").say("hola")
            await seed_messages(uow_factory, "viejo", "111", clock)
            async with uow_factory() as uow:  # Juan Pérez (turno on Wednesday) wrote back then
                juan = await uow.session.scalar(
                    select(CustomerRow.id).where(CustomerRow.phone == "+5491158749895")
                )
                await uow.session.execute(
                    insert(ConversationRow).values(
                        channel="telegram",
                        chat_id="juan-chat",
                        shop_id=1,
                        customer_id=juan,
                        state="{}",
                        version=1,
                        updated_at=clock.now(),
                    )
                )
                await uow.commit()
            clock.current = T0 - timedelta(days=1)
            await Chat(web, "new-chat").say("hola")
            await seed_messages(uow_factory, "nuevo", "222", clock)

            clock.current = T0 + timedelta(days=1)  # Wednesday 09:00: the 04:00 purge is due
            await app.state.jobs.run_once()

            inbound, outbox = await texts(uow_factory)
            assert inbound["111"] == "{}"
            assert "mensaje nuevo" in inbound["222"]
            assert "viejo" not in outbox["111"]
            assert "respuesta nuevo" in outbox["222"]
            assert await chats(uow_factory) == {"new-chat", "juan-chat"}
            async with uow_factory.read_only() as uow:
                purges = (
                    await uow.session.execute(
                        select(JobRow.key, JobRow.status)
                        .where(JobRow.kind == "retention_purge")
                        .order_by(JobRow.id)
                    )
                ).all()
                statuses = (await uow.session.scalars(select(OutboxRow.status))).all()
            assert [tuple(p) for p in purges] == [
                ("retention:2026-12-02", "done"),
                ("retention:2026-12-03", "pending"),
            ]
            assert set(statuses) == {"sent"}  # the rows stay, only their texts go

            await app.state.jobs.run_once()  # nothing due: nothing more changes
            assert await texts(uow_factory) == (inbound, outbox)
