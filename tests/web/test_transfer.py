"""Paying a turno by bank transfer, end to end in the sandbox: the shop's alias and CBU in the
chat, "ya transferí", the shop's answer through the REST API, the booking and the ledger.

The clock starts Tuesday 2026-12-01, 09:00 in Buenos Aires.
"""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.money import Money
from domain.storage.tables import BookingRow, LedgerEntryRow, PaymentRow
from tests.helpers import FixedClock, shop_key
from tests.web.chat import Chat, background_round, customer, pushes

pytestmark = pytest.mark.usefixtures("demo")
SPLIT = (36_000, 582_000, 582_000)  # $ 12.000,00: commission, the professional's, the shop's


async def book_by_transfer(web: httpx.AsyncClient, chat_id: str, name: str, when: str) -> Chat:
    chat = await customer(web, chat_id, name)
    await chat.say(f"corte con Tincho {when}")
    await chat.tap("Transferencia")
    await chat.tap("Confirmar")
    return chat


async def rows(app: FastAPI) -> tuple[list[str], list[tuple[str, str, int]], list[tuple[int, str]]]:
    """Booking statuses, ledger lines (entry, method, cents) and payments (id, status)."""
    async with app.state.uow_factory.read_only() as uow:
        found = await uow.session.scalars(select(BookingRow.status).order_by(BookingRow.id))
        bookings = list(found)
        ledger = [
            (r[0], r[1], r[2])
            for r in await uow.session.execute(
                select(
                    LedgerEntryRow.entry, LedgerEntryRow.method, LedgerEntryRow.amount_cents
                ).order_by(LedgerEntryRow.id)
            )
        ]
        payments = [
            (r[0], r[1])
            for r in await uow.session.execute(
                select(PaymentRow.id, PaymentRow.status).order_by(PaymentRow.id)
            )
        ]
    return bookings, ledger, payments


async def test_transfer_details_ya_transferi_and_the_shop_confirms_it(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock, engine: AsyncEngine
) -> None:
    ana = await book_by_transfer(web, "ana", "Ana", "el miércoles a las 16")

    assert "Te guardo el turno del miércoles 2 de diciembre, 16:00 con Tincho" in ana.text
    assert "hasta el miércoles 2 de diciembre, 09:00" in ana.text, "a day to transfer"
    for detail in (
        "transferí $\xa012.000,00 a:",
        "Alias: DON.JULIO.BARBER",
        "CBU/CVU: 2850590940090418135201",
        "CUIT: 20-26756539-3",
    ):
        assert detail in ana.text, ana.text
    statuses, ledger, payments = await rows(app)
    assert statuses[-1] == "held"
    [(payment_id, status)] = payments
    assert status == "pending"

    await ana.say("ya te transferí")
    assert "Le aviso al local" in ana.text, ana.text
    # The shop takes its time: past the day the hold had, the turno is still Ana's.
    await background_round(app)
    clock.advance(hours=25)  # Wednesday 10:00
    await background_round(app, rounds=2)
    statuses, _, _ = await rows(app)
    assert statuses[-1] == "held"

    key = await shop_key(engine, "don-julio", clock.now(), name="dashboard")
    auth = {"Authorization": f"Bearer {key}"}
    confirmed = await web.post(f"/api/v1/payments/{payment_id}/confirm", headers=auth)
    again = await web.post(f"/api/v1/payments/{payment_id}/confirm", headers=auth)
    await background_round(app, rounds=2)

    assert confirmed.json() == {"payment_id": payment_id, "outcome": "confirmed"}
    assert again.json()["outcome"] == "settled"
    statuses, ledger, payments = await rows(app)
    assert statuses[-1] == "confirmed"
    assert ledger == [("charge", "transfer", cents) for cents in SPLIT]
    said = [p["text"] for p in await pushes(web, "ana")]
    assert said == [
        "Pago recibido ($\xa012.000,00): tu turno del miércoles 2 de diciembre, 16:00 "
        "quedó confirmado."
    ]


async def test_a_transfer_that_never_arrived_lets_the_time_go(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock, engine: AsyncEngine
) -> None:
    beto = await book_by_transfer(web, "beto", "Beto", "el jueves a las 11")
    await beto.say("ya transferí")
    _, _, [(payment_id, _status)] = await rows(app)
    key = await shop_key(engine, "don-julio", clock.now(), name="dashboard")
    auth = {"Authorization": f"Bearer {key}"}

    rejected = await web.post(f"/api/v1/payments/{payment_id}/reject", headers=auth)
    unknown = await web.post("/api/v1/payments/999/reject", headers=auth)
    await background_round(app, rounds=2)

    assert rejected.json()["outcome"] == "released"
    assert unknown.status_code == 404
    statuses, ledger, _ = await rows(app)
    assert statuses[-1] == "cancelled"
    assert ledger == []
    said = [p["text"] for p in await pushes(web, "beto")]
    assert said[-1].startswith("El pago de tu turno del jueves"), said


async def test_ya_transferi_without_a_turno_waiting_says_so(web: httpx.AsyncClient) -> None:
    chat = await customer(web, "caro", "Caro")
    await chat.say("ya transferí")

    assert "No tengo ningún turno tuyo esperando una transferencia." in chat.text


async def test_a_service_with_a_sena_is_not_booked_all_cash_the_sena_goes_by_transfer(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock, engine: AsyncEngine
) -> None:
    """Corte asks new customers a 30 % seña: Efectivo alone is refused kindly and the payment
    question comes again; by transfer, the amount is the seña; the rest is noted as cash."""
    key = await shop_key(engine, "don-julio", clock.now(), name="owner")
    auth = {"Authorization": f"Bearer {key}"}
    setup = (await web.get("/api/v1/shops/don-julio/payment-settings", headers=auth)).json()
    setup = {k: v for k, v in setup.items() if k not in ("offered", "transfer_account_kind")}
    await web.put(
        "/api/v1/shops/don-julio/payment-settings",
        json={**setup, "deposit_when": "new"},
        headers=auth,
    )
    await web.put(
        "/api/v1/shops/don-julio/services/1/deposit",
        json={"kind": "percent", "percent": 30},
        headers=auth,
    )
    app.state.dispatcher.catalogs.invalidate()

    dani = await customer(web, "dani", "Dani")
    await dani.say("corte con Tincho el miércoles a las 16")
    await dani.tap("Efectivo")
    await dani.tap("Confirmar")
    assert "el local pide una seña por adelantado" in dani.text, dani.text
    assert dani.step == "payment"
    await dani.tap("Transferencia")
    await dani.tap("Confirmar")
    assert "transferí $\xa03.600,00 a:" in dani.text, dani.text

    _, _, [(payment_id, _)] = await rows(app)
    await web.post(f"/api/v1/payments/{payment_id}/confirm", headers=auth)
    await background_round(app, rounds=2)
    async with app.state.uow_factory.read_only() as uow:
        booking_id = await uow.session.scalar(
            select(PaymentRow.booking_id).where(PaymentRow.id == payment_id)
        )
    rest = await app.state.payments.record_cash(booking_id)  # the barber's «💵» after the turno
    statuses, ledger, _ = await rows(app)

    assert statuses[-1] == "confirmed"
    assert rest == Money(840_000)
    assert sum(cents for _, method, cents in ledger if method == "transfer") == 360_000
    assert sum(cents for _, method, cents in ledger if method == "cash") == 840_000


async def test_a_transfer_confirmed_after_the_turno_began_is_late_and_the_customer_told(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock, engine: AsyncEngine
) -> None:
    """Reported, but the shop answers only after the turno's start (the hold ran out there):
    "late", the booking is not revived, the customer hears the shop gives it back, and the books
    say so (received, then given back: nothing owed to the professional for it)."""
    eva = await book_by_transfer(web, "eva", "Eva", "hoy a las 11")
    await eva.say("ya transferí")
    _, _, [(payment_id, _status)] = await rows(app)
    clock.advance(hours=2, minutes=30)  # 11:30, the hold ran out at 11:00
    await background_round(app, rounds=2)
    key = await shop_key(engine, "don-julio", clock.now(), name="dashboard")

    late = await web.post(
        f"/api/v1/payments/{payment_id}/confirm", headers={"Authorization": f"Bearer {key}"}
    )
    await background_round(app)

    assert late.json()["outcome"] == "late"
    statuses, ledger, payments = await rows(app)
    assert statuses[-1] == "expired"
    assert payments == [(payment_id, "refunded")]
    assert [entry for entry, _, _ in ledger] == ["charge"] * 3 + ["refund"] * 3
    assert sum(cents for _, _, cents in ledger) == 0
    said = [p["text"] for p in await pushes(web, "eva")]
    assert said[-1].startswith("Tu transferencia de $\xa012.000,00 llegó cuando ya"), said


async def cancel_turno(chat: Chat, day: str) -> None:
    await chat.say(f"cancelá mi turno {day}")
    await chat.tap("Sí")
    assert "cancelé" in chat.text or "cancelado" in chat.text, chat.text


async def test_a_transfer_that_never_arrived_for_a_cancelled_turno_tells_the_customer_nothing(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock, engine: AsyncEngine
) -> None:
    """Dani reports a transfer, then cancels; the money never shows up. The shop's «No llegó»
    settles the payment, but Dani is not told his time was let go: he let it go himself."""
    dani = await book_by_transfer(web, "dani", "Dani", "el miércoles a las 16")
    await dani.say("ya te transferí")
    await cancel_turno(dani, "del miércoles")
    await background_round(app, rounds=2)
    before = [p["text"] for p in await pushes(web, "dani")]
    _, _, [(payment_id, _status)] = await rows(app)
    key = await shop_key(engine, "don-julio", clock.now(), name="dashboard")

    rejected = await web.post(
        f"/api/v1/payments/{payment_id}/reject", headers={"Authorization": f"Bearer {key}"}
    )
    await background_round(app, rounds=2)

    assert rejected.json()["outcome"] == "released"
    statuses, ledger, payments = await rows(app)
    assert (statuses[-1], ledger, payments) == ("cancelled", [], [(payment_id, "rejected")])
    assert [p["text"] for p in await pushes(web, "dani")] == before


async def test_a_transfer_confirmed_for_a_turno_cancelled_in_time_is_given_back_in_full(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock, engine: AsyncEngine
) -> None:
    """Ana reports her transfer, then cancels in time; the shop finds the money in its account
    and confirms it. It is on the books and given back: refunded, the ledger nets to zero, the
    turno stays cancelled, and Ana hears the shop gives it back."""
    ana = await book_by_transfer(web, "ana", "Ana", "el miércoles a las 16")
    await ana.say("ya te transferí")
    await cancel_turno(ana, "del miércoles")
    await background_round(app, rounds=2)
    _, _, [(payment_id, _status)] = await rows(app)
    key = await shop_key(engine, "don-julio", clock.now(), name="dashboard")
    auth = {"Authorization": f"Bearer {key}"}

    confirmed = await web.post(f"/api/v1/payments/{payment_id}/confirm", headers=auth)
    again = await web.post(f"/api/v1/payments/{payment_id}/confirm", headers=auth)
    await background_round(app, rounds=2)

    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json() == {"payment_id": payment_id, "outcome": "cancelled"}
    assert again.json()["outcome"] == "settled"
    statuses, ledger, payments = await rows(app)
    assert statuses[-1] == "cancelled"
    assert payments == [(payment_id, "refunded")]
    assert ledger == [
        *(("charge", "transfer", cents) for cents in SPLIT),
        *(("refund", "transfer", -cents) for cents in SPLIT),
    ]
    said = [p["text"] for p in await pushes(web, "ana")]
    assert said[-1] == (
        "El local recibió tu transferencia de $\xa012.000,00, pero tu turno del miércoles 2 de "
        "diciembre, 16:00 está cancelado: te la devuelve completa."
    ), said


async def test_money_for_a_turno_cancelled_late_before_it_was_reported_is_given_back_too(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock, engine: AsyncEngine
) -> None:
    """A late cancellation keeps a seña that was paid; this one was not, as far as anyone knew:
    the customer cancelled before saying they transferred, so the money goes back in full."""
    gus = await book_by_transfer(web, "gus", "Gus", "hoy a las 11")
    await cancel_turno(gus, "de hoy")
    assert "cancelación tardía" in gus.text, gus.text
    await background_round(app, rounds=2)
    _, _, [(payment_id, _status)] = await rows(app)
    key = await shop_key(engine, "don-julio", clock.now(), name="dashboard")

    confirmed = await web.post(
        f"/api/v1/payments/{payment_id}/confirm", headers={"Authorization": f"Bearer {key}"}
    )
    await background_round(app)

    assert confirmed.json() == {"payment_id": payment_id, "outcome": "cancelled"}
    statuses, ledger, payments = await rows(app)
    assert (statuses[-1], payments) == ("cancelled", [(payment_id, "refunded")])
    assert sum(cents for _, _, cents in ledger) == 0
