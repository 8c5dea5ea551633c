"""Helpers for tests of delivery: drive the outbox at the app's (fixed) clock, read what the fakes
delivered, and look at the outbox and inbox rows."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from domain.storage.tables import InboundMessageRow, OutboxRow
from domain.storage.uow import UnitOfWorkFactory
from tests.channels.live import TelegramUser, WhatsAppUser
from tests.fakes.telegram_api import FakeTelegram, text_update
from tests.fakes.twilio_api import FakeTwilio

_update_ids = itertools.count(500_000)


async def pump(app: FastAPI, within: float = 20.0) -> None:
    """Process every accepted message and send what is due at the clock's now, then return.

    Unlike `settle`, messages waiting for a retry later than now stay pending: the test moves
    the clock to make them due. The app's own outbox loop keeps running meanwhile.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    quiet = 0
    while quiet < 2:  # two rounds in a row with nothing started: nothing is due
        if loop.time() > deadline:
            raise AssertionError("the outbox kept finding work to do")
        await app.state.runtime.idle()
        started = await app.state.outbox.run_once()
        await app.state.outbox.drain()
        quiet = quiet + 1 if not started and not app.state.runtime.busy else 0
        await asyncio.sleep(0.01)


async def write(user: TelegramUser, text: str) -> None:
    """The Telegram user sends `text` (a webhook post); nothing is awaited beyond the 200."""
    update = text_update(next(_update_ids), user.chat_id, text, user.first_name)
    response = await user.post(update)
    assert response.status_code == 200, response.text


async def write_whatsapp(user: WhatsAppUser, body: str) -> None:
    """The WhatsApp user sends `body` (a signed form post); nothing is awaited beyond the 200."""
    response = await user.post(user.form(body))
    assert response.status_code == 200, response.text


def telegram_texts(fake: FakeTelegram, chat_id: int | str) -> list[str]:
    """Texts the fake accepted (HTTP 200 sendMessage) for a chat, in the order they arrived."""
    return [str(call["params"].get("text", "")) for call in fake.sent(chat_id)]


def telegram_attempts(fake: FakeTelegram, chat_id: int | str) -> list[int]:
    """The HTTP status of every sendMessage the fake saw for a chat, refused ones included."""
    return [
        int(call["status"])
        for call in fake.calls("sendMessage")
        if str(call["params"].get("chat_id")) == str(chat_id)
    ]


def whatsapp_texts(fake: FakeTwilio, address: str) -> list[str]:
    """Bodies the fake accepted (HTTP 201) for one `whatsapp:+…` address, in order."""
    return [str(call["params"].get("Body", "")) for call in fake.sent(address)]


def whatsapp_attempts(fake: FakeTwilio, address: str) -> list[int]:
    """The HTTP status of every message creation the fake saw for an address."""
    return [
        int(call["status"])
        for call in fake.calls("messages.create")
        if call["params"].get("To") == address
    ]


def twice(texts: list[str]) -> list[str]:
    """Texts delivered more than once (should be empty)."""
    return [text for text, n in Counter(texts).items() if n > 1]


@dataclass(frozen=True)
class Outboxed:
    """An outbox row, as the tests read it."""

    id: int
    channel: str
    chat_id: str
    text: str
    status: str
    attempts: int
    due_at: datetime
    claimed_until: datetime | None
    last_error: str | None


async def outbox(uow_factory: UnitOfWorkFactory, chat_id: str | None = None) -> list[Outboxed]:
    """The outbox rows (of one chat, when given), in id order."""
    query = select(
        OutboxRow.id,
        OutboxRow.channel,
        OutboxRow.chat_id,
        OutboxRow.payload,
        OutboxRow.status,
        OutboxRow.attempts,
        OutboxRow.due_at,
        OutboxRow.claimed_until,
        OutboxRow.last_error,
    ).order_by(OutboxRow.id)
    if chat_id is not None:
        query = query.where(OutboxRow.chat_id == chat_id)
    async with uow_factory.read_only() as uow:
        rows = (await uow.session.execute(query)).all()
    return [
        Outboxed(i, ch, chat, _text(payload), status, n, due, claimed, error)
        for i, ch, chat, payload, status, n, due, claimed, error in rows
    ]


def _text(payload: str) -> str:
    data: dict[str, Any] = json.loads(payload)
    return str(data.get("text", ""))


async def inbound_statuses(uow_factory: UnitOfWorkFactory, chat_id: str) -> Counter[str]:
    """How many of a chat's inbound messages ended in each status."""
    async with uow_factory.read_only() as uow:
        statuses = await uow.session.scalars(
            select(InboundMessageRow.status).where(InboundMessageRow.chat_id == chat_id)
        )
        return Counter(statuses.all())


async def readyz_outbox(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    """The `outbox` part of GET /readyz, as an operator (platform `key`) sees it."""
    response = await client.get("/readyz", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    delivery: dict[str, Any] = response.json()["outbox"]
    return delivery
