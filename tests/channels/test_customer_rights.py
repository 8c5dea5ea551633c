"""A customer's rights on Telegram (Ley 25.326): «qué datos tienen míos» and «borrar mis datos».

Martulina books a turno paid by transfer (the shop confirms it, so it is in the ledger) and one
paid at the shop, shares her number and leaves a message for the shop. Erasing is refused while
the paid turno is ahead; after it, erasing cancels the other one and leaves no name, phone,
Telegram id or message text of hers in any table, while the shop's money still adds up.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

import bot.channels.runtime
from domain.storage.tables import AuditRow, Base, BookingRow, LedgerEntryRow, PaymentRow
from tests.channels.live import TelegramUser, settle
from tests.channels.test_telegram_e2e import link_professional
from tests.fakes.telegram_api import FakeTelegram
from tests.helpers import FixedClock, shop_key

CHAT_ID = 770_011
NAME = "Martulina"
PHONE = "+5491155550123"
SECRET = "Firulete come alfajores"  # what she wrote to the shop
ASKED = "tenés algo el jueves a la tarde"


async def money(app: FastAPI) -> tuple[int, int, int]:
    """The shop's approved payments, ledger total and number of ledger lines."""
    async with app.state.uow_factory.read_only() as uow:
        paid = await uow.session.scalar(
            select(func.coalesce(func.sum(PaymentRow.amount_cents), 0)).where(
                PaymentRow.status == "approved"
            )
        )
        ledger = await uow.session.scalar(
            select(func.coalesce(func.sum(LedgerEntryRow.amount_cents), 0))
        )
        lines = await uow.session.scalar(select(func.count(LedgerEntryRow.id)))
    return int(paid or 0), int(ledger or 0), int(lines or 0)


async def traces(engine: AsyncEngine, needles: list[str]) -> list[str]:
    """Every (table.column: value) of any table whose text holds one of `needles`."""
    found = []
    async with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in (await connection.execute(select(table))).mappings():
                for column, value in row.items():
                    text = _plain(value)
                    if any(needle.lower() in text for needle in needles):
                        found.append(f"{table.name}.{column}: {value!r}")
    return found


def _plain(value: Any) -> str:
    """A value as text, JSON escapes undone («Mart\\u00edn» reads «martín»)."""
    text = str(value)
    if "\\u" in text:
        text = text.encode("ascii", "backslashreplace").decode("unicode_escape", "ignore")
    return text.lower()


async def test_a_customer_erased_by_chat_leaves_no_trace_and_the_books_still_add_up(
    live: tuple[FastAPI, httpx.AsyncClient],
    fake_telegram: FakeTelegram,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bot.channels.runtime, "FLOOD_BURST", 1000)  # she writes a lot at once
    app, client = live
    engine = app.state.engine
    barber = await link_professional(app, client, fake_telegram, clock, "Tincho")
    her = TelegramUser(app, client, fake_telegram, chat_id=CHAT_ID, first_name=NAME)
    await her.say("hola")
    await her.say(NAME)
    await her.say(f"¿{ASKED} para corte con Tincho?")
    await her.say("a las 17")
    await her.tap("Transferencia")
    await her.tap("Confirmar")
    await her.share_contact(PHONE)
    await her.say("corte con Tincho el sábado a las 11")
    await her.tap("Efectivo")
    await her.tap("Confirmar")
    await her.say("hablar con alguien")
    await her.say(SECRET)

    key = await shop_key(engine, "don-julio", clock.now())
    async with app.state.uow_factory.read_only() as uow:
        payment_id = await uow.session.scalar(
            select(PaymentRow.id).where(PaymentRow.method == "transfer")
        )
    confirmed = await client.post(
        f"/api/v1/payments/{payment_id}/confirm", headers={"Authorization": f"Bearer {key}"}
    )
    assert confirmed.status_code == 200, confirmed.text
    await settle(app)
    before = await money(app)
    assert before[0] > 0
    assert any(NAME in note["text"] for note in await barber.replies())
    await barber.say("agenda del jueves")  # his buttons name her

    headers = {"Authorization": f"Bearer {key}"}
    listed = await client.get(f"/api/v1/shops/don-julio/customers?q={NAME}", headers=headers)
    [record] = listed.json()["customers"]
    exported = await client.get(
        f"/api/v1/shops/don-julio/customers/{record['id']}/export", headers=headers
    )
    assert any(ASKED in m["text"] for m in exported.json()["chat_messages"])
    assert [m["text"] for m in exported.json()["messages_for_the_shop"]] == [SECRET]

    await her.say("qué datos tienen míos?")
    shown = her.text()
    assert NAME in shown
    assert PHONE in shown
    assert "Telegram" in shown
    assert "2 turnos" in shown

    await her.say("borrar mis datos")
    assert "contabilidad" in her.text(), her.last
    await her.tap("Sí, borralos")
    assert "pago" in her.text(), her.last  # the paid turno on Thursday is still ahead
    assert await traces(engine, [NAME])

    clock.advance(days=2, hours=10)  # Thursday evening: that turno is past, Saturday's ahead
    await her.say("borrar mis datos")
    assert "se cancela tu turno" in her.text().lower(), her.last
    await her.tap("Sí, borralos")
    assert "borré tus datos" in her.text(), her.last
    await settle(app)
    clock.advance(minutes=15)  # the goodbye went out: the chat's last traces go too
    await app.state.jobs.run_once()

    assert await traces(engine, [NAME, PHONE, PHONE[-8:], str(CHAT_ID), SECRET, ASKED]) == []
    assert await money(app) == before
    async with app.state.uow_factory.read_only() as uow:
        statuses = (await uow.session.scalars(select(BookingRow.status))).all()
    assert "cancelled" in statuses  # Saturday's turno, through the normal cancel path
    assert any(status == "confirmed" for status in statuses)  # Thursday's, kept for the books
    async with app.state.uow_factory.read_only() as uow:
        audited = (
            await uow.session.execute(
                select(AuditRow.actor, AuditRow.source, AuditRow.subject).where(
                    AuditRow.action == "customer.erased"
                )
            )
        ).all()
    # The shop's trail says a customer erased their own data from the chat, naming nobody.
    [(actor, source, subject)] = audited
    assert (source, actor) == ("chat", subject)
    assert subject.startswith("customer:")
