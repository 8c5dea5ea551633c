"""Paying a turno with Mercado Pago, end to end: the sandbox chat, the real `mercadopago` SDK
against a local fake Mercado Pago, its signed notifications, refunds and the ledger.

The clock starts Tuesday 2026-12-01, 09:00 in Buenos Aires; the demo shop's plan takes 3 % and
gives the professional half of the rest.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from domain.storage import payments as payments_storage
from domain.storage.tables import BookingRow, LedgerEntryRow, PaymentRow
from tests.fakes.mercadopago_api import (
    PAYMENT_GET,
    REFUND_CREATE,
    TEST_ACCESS_TOKEN,
    TEST_WEBHOOK_SECRET,
    FakeMercadoPago,
)
from tests.helpers import FixedClock, shop_key
from tests.web.chat import Chat, background_round, customer, pushes
from web.app import create_app

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def fake_mp() -> Iterator[FakeMercadoPago]:
    with FakeMercadoPago() as fake:
        yield fake


@pytest.fixture
async def shop_app(
    database_url: str, clock: FixedClock, fake_mp: FakeMercadoPago
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app with the sandbox on and Mercado Pago pointed at the fake."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        sandbox=True,
        public_url="http://test",
        mercadopago_access_token=TEST_ACCESS_TOKEN,
        mercadopago_webhook_secret=TEST_WEBHOOK_SECRET,
        mercadopago_api_url=fake_mp.url,
    )
    app = create_app(settings, clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield app, client


async def book_with_mercadopago(web: httpx.AsyncClient) -> Chat:
    """Ana books a corte with Tincho on Wednesday 16:00 and chooses Mercado Pago."""
    chat = await customer(web, "ana", "Ana")
    await chat.say("corte con Tincho el miércoles a las 16")
    assert "Mercado Pago" in chat.labels, chat.labels
    await chat.tap("Mercado Pago")
    await chat.tap("Confirmar")
    return chat


async def notify(
    web: httpx.AsyncClient, fake: FakeMercadoPago, clock: FixedClock, payment_id: int, **kw: Any
) -> httpx.Response:
    """Mercado Pago tells us a payment changed (signed, timestamped by our clock)."""
    path, headers, body = fake.notification(payment_id, ts=int(clock.now().timestamp()), **kw)
    return await web.post(path, json=body, headers=headers)


async def booking_status(app: FastAPI) -> str:
    async with app.state.uow_factory.read_only() as uow:
        status: str = await uow.session.scalar(
            select(BookingRow.status).order_by(BookingRow.id.desc()).limit(1)
        )
    return status


async def ledger(app: FastAPI) -> list[tuple[str, str, int]]:
    async with app.state.uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            select(
                LedgerEntryRow.entry, LedgerEntryRow.account, LedgerEntryRow.amount_cents
            ).order_by(LedgerEntryRow.id)
        )
        return [(r[0], r[1], r[2]) for r in rows]


async def test_held_until_the_approved_notification_then_confirmed_with_its_ledger_lines(
    shop_app: tuple[FastAPI, httpx.AsyncClient], fake_mp: FakeMercadoPago, clock: FixedClock
) -> None:
    app, web = shop_app
    chat = await book_with_mercadopago(web)

    assert "Te guardo el turno del miércoles 2 de diciembre, 16:00 con Tincho" in chat.text
    assert "pagá $\xa012.000,00 con Mercado Pago acá: " + fake_mp.url in chat.text, chat.text
    assert await booking_status(app) == "held"
    [preference] = fake_mp.preferences()
    assert preference["items"][0]["unit_price"] == 12000.0
    assert preference["notification_url"] == "http://test/webhooks/mercadopago"
    assert preference["payment_methods"]["installments"] == 6
    assert preference["external_reference"].startswith("booking-")

    payment = fake_mp.pay(preference["id"])
    forged = await notify(web, fake_mp, clock, payment["id"], tamper=True)
    assert forged.status_code == 403
    await background_round(app, rounds=2)
    assert await booking_status(app) == "held", "a forged notification has no effect"

    for _ in range(2):  # Mercado Pago may say it twice
        assert (await notify(web, fake_mp, clock, payment["id"])).status_code == 200
    await background_round(app, rounds=3)

    assert await booking_status(app) == "confirmed"
    said = [p["text"] for p in await pushes(web, "ana")]
    assert said == [
        "Pago recibido ($\xa012.000,00): tu turno del miércoles 2 de diciembre, 16:00 "
        "quedó confirmado."
    ]
    assert await ledger(app) == [
        ("charge", "platform", 36_000),
        ("charge", "professional", 582_000),
        ("charge", "shop", 582_000),
    ]


async def test_a_timely_cancellation_is_refunded_once_even_when_the_refund_call_is_retried(
    shop_app: tuple[FastAPI, httpx.AsyncClient],
    fake_mp: FakeMercadoPago,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    app, web = shop_app
    chat = await book_with_mercadopago(web)
    [preference] = fake_mp.preferences()
    payment = fake_mp.pay(preference["id"])
    await notify(web, fake_mp, clock, payment["id"])
    await background_round(app, rounds=3)
    assert await booking_status(app) == "confirmed"

    # Mercado Pago refunds, but the answer is lost (a 500 after the work): we try again later.
    fake_mp.fail_after_next(500, methods=[REFUND_CREATE])
    await chat.say("cancelá mi turno del miércoles")
    await chat.tap("Sí")
    assert "cancelé" in chat.text, chat.text
    await background_round(app, rounds=3)
    clock.advance(minutes=1)
    await background_round(app, rounds=2)

    assert len(fake_mp.refunds()) == 1
    keys = {c["idempotency_key"] for c in fake_mp.calls(REFUND_CREATE)}
    assert len(fake_mp.calls(REFUND_CREATE)) == 2
    assert len(keys) == 1, "the retry carried the same key"
    async with app.state.uow_factory.read_only() as uow:
        status = await uow.session.scalar(select(PaymentRow.status))
    assert status == "refunded"
    assert (await ledger(app))[3:] == [
        ("refund", "platform", -36_000),
        ("refund", "professional", -582_000),
        ("refund", "shop", -582_000),
    ]
    said = [p["text"] for p in await pushes(web, "ana")]
    assert said[-1].startswith("Te devolví los $\xa012.000,00 que pagaste"), said
    owner = {"Authorization": f"Bearer {await shop_key(engine, 'don-julio', clock.now())}"}
    trail = (await web.get("/api/v1/shops/don-julio/audit", headers=owner)).json()["items"]
    # Ana cancelled from her chat (not audited); the refund the policy owed her was BarberPro's.
    assert [(r["action"], r["source"], r["actor"]) for r in trail] == [
        ("payment.refunded", "system", "system:refunds")
    ]
    assert (trail[0]["before"], trail[0]["after"]) == (
        {"status": "approved"},
        {"status": "refunded"},
    )


async def test_a_turno_cancelled_before_its_link_is_paid_gets_the_money_back_in_full(
    shop_app: tuple[FastAPI, httpx.AsyncClient], fake_mp: FakeMercadoPago, clock: FixedClock
) -> None:
    """Found by bench/soak.py: the customer cancels the held turno, then pays the link still
    open. The money is refunded at Mercado Pago (once), the ledger nets to zero, she is told,
    and the turno stays cancelled."""
    app, web = shop_app
    chat = await book_with_mercadopago(web)
    await chat.say("cancelá mi turno del miércoles")
    await chat.tap("Sí")
    assert "cancelé" in chat.text, chat.text
    await background_round(app, rounds=3)  # the refund check finds nothing paid yet

    [preference] = fake_mp.preferences()
    payment = fake_mp.pay(preference["id"])
    for _ in range(2):  # Mercado Pago may say it twice
        assert (await notify(web, fake_mp, clock, payment["id"])).status_code == 200
    await background_round(app, rounds=3)
    clock.advance(minutes=1)
    await background_round(app, rounds=2)

    assert await booking_status(app) == "cancelled"
    assert len(fake_mp.refunds()) == 1
    async with app.state.uow_factory.read_only() as uow:
        status = await uow.session.scalar(select(PaymentRow.status))
    assert status == "refunded"
    assert sum(amount for _, _, amount in await ledger(app)) == 0
    said = [p["text"] for p in await pushes(web, "ana")]
    assert said[-1] == (
        "Tu pago de $\xa012.000,00 llegó cuando tu turno del miércoles 2 de diciembre, 16:00 "
        "ya estaba cancelado, así que te lo devuelvo completo."
    ), said


async def died_after_approving(app: FastAPI, clock: FixedClock, provider_id: object) -> None:
    """The state a SIGKILL leaves right after the payment's first step: approved, nothing more
    (no ledger lines, the turno not confirmed nor refunded, the customer not told)."""
    uow_factory = app.state.uow_factory
    async with uow_factory.read_only() as uow:
        payment_id = await uow.session.scalar(select(PaymentRow.id))
    assert await payments_storage.settle_payment(
        uow_factory, payment_id, "approved", clock.now(), provider_payment_id=str(provider_id)
    )


async def test_a_payment_cut_short_by_a_crash_is_finished_when_mercado_pago_says_it_again(
    shop_app: tuple[FastAPI, httpx.AsyncClient], fake_mp: FakeMercadoPago, clock: FixedClock
) -> None:
    """Found by bench/soak.py: the server died between approving a payment and confirming its
    turno. Mercado Pago's next notification finishes the work: confirmed, charged once, told."""
    app, web = shop_app
    await book_with_mercadopago(web)
    [preference] = fake_mp.preferences()
    payment = fake_mp.pay(preference["id"])
    await died_after_approving(app, clock, payment["id"])

    for _ in range(2):
        assert (await notify(web, fake_mp, clock, payment["id"])).status_code == 200
    await background_round(app, rounds=3)

    assert await booking_status(app) == "confirmed"
    assert [entry for entry, _, _ in await ledger(app)] == ["charge"] * 3
    said = [p["text"] for p in await pushes(web, "ana")]
    assert said[-1].startswith("Pago recibido ($\xa012.000,00)"), said
    assert fake_mp.refunds() == []


async def test_a_cancelled_turno_paid_as_the_server_died_gets_the_money_back_on_the_next_notice(
    shop_app: tuple[FastAPI, httpx.AsyncClient], fake_mp: FakeMercadoPago, clock: FixedClock
) -> None:
    """Found by bench/soak.py: Ana cancels the held turno, pays the open link, and the server
    dies right after approving the payment. The next notification refunds it, once."""
    app, web = shop_app
    chat = await book_with_mercadopago(web)
    await chat.say("cancelá mi turno del miércoles")
    await chat.tap("Sí")
    await background_round(app, rounds=3)
    [preference] = fake_mp.preferences()
    payment = fake_mp.pay(preference["id"])
    await died_after_approving(app, clock, payment["id"])

    for _ in range(2):
        assert (await notify(web, fake_mp, clock, payment["id"])).status_code == 200
    await background_round(app, rounds=3)

    assert await booking_status(app) == "cancelled"
    assert len(fake_mp.refunds()) == 1
    assert sum(amount for _, _, amount in await ledger(app)) == 0
    said = [p["text"] for p in await pushes(web, "ana")]
    assert said[-1].endswith("así que te lo devuelvo completo."), said


async def test_a_rejected_payment_lets_the_time_go_and_says_so(
    shop_app: tuple[FastAPI, httpx.AsyncClient], fake_mp: FakeMercadoPago, clock: FixedClock
) -> None:
    app, web = shop_app
    await book_with_mercadopago(web)
    [preference] = fake_mp.preferences()
    payment = fake_mp.pay(preference["id"], status="rejected")
    await notify(web, fake_mp, clock, payment["id"])
    await background_round(app, rounds=3)

    assert await booking_status(app) == "cancelled"
    said = [p["text"] for p in await pushes(web, "ana")]
    assert said[-1].startswith("El pago de tu turno del miércoles"), said
    assert await ledger(app) == []


async def test_the_payouts_report_sums_each_professionals_money_in_json_and_csv(
    shop_app: tuple[FastAPI, httpx.AsyncClient],
    fake_mp: FakeMercadoPago,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    """One turno paid and one paid then refunded: Tincho's charges, refunds, commission and
    share over the week; CSV with exact decimals."""
    app, web = shop_app
    for chat_id, when in (("ana", "el miércoles a las 16"), ("beto", "el jueves a las 11")):
        chat = await customer(web, chat_id, chat_id.capitalize())
        await chat.say(f"corte con Tincho {when}")
        await chat.tap("Mercado Pago")
        await chat.tap("Confirmar")
    for preference in fake_mp.preferences():
        payment = fake_mp.pay(preference["id"])
        await notify(web, fake_mp, clock, payment["id"])
    await background_round(app, rounds=3)
    beto = Chat(web, "beto")
    await beto.say("cancelá mi turno del jueves")
    await beto.tap("Sí")
    await background_round(app, rounds=3)
    key = await shop_key(engine, "don-julio", clock.now(), name="reports")
    auth = {"Authorization": f"Bearer {key}"}
    url = "/api/v1/shops/don-julio/payouts?from=2026-12-01&to=2026-12-07"

    report = await web.get(url, headers=auth)
    as_csv = await web.get(url + "&format=csv", headers=auth)
    backwards = await web.get(
        "/api/v1/shops/don-julio/payouts?from=2026-12-07&to=2026-12-01", headers=auth
    )

    assert report.status_code == 200, report.text
    [tincho] = report.json()["payouts"]
    amounts = {k: v["amount"] for k, v in tincho.items() if isinstance(v, dict)}
    assert tincho["professional"] == "Tincho"
    assert amounts == {
        "charged": "24000.00",
        "refunded": "-12000.00",
        "net": "12000.00",
        "commission": "360.00",
        "owed_to_professional": "5820.00",
        "shop": "5820.00",
    }
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.splitlines()[1] == (
        "1,Tincho,ARS,24000.00,-12000.00,12000.00,360.00,5820.00,5820.00"
    )
    assert backwards.status_code == 422


async def test_rapipago_holds_longer_and_confirms_when_the_ticket_is_paid(
    shop_app: tuple[FastAPI, httpx.AsyncClient], fake_mp: FakeMercadoPago, clock: FixedClock
) -> None:
    """A cash ticket: only tickets in the preference, a hold of up to two days; "pending"
    changes nothing, the later "approved" confirms; an old "pending" arriving after it too."""
    app, web = shop_app
    chat = await customer(web, "ana", "Ana")
    await chat.say("corte con Tincho el viernes a las 16")
    await chat.tap("Rapipago")
    await chat.tap("Confirmar")
    assert "hasta el jueves 3 de diciembre, 09:00" in chat.text, chat.text
    [preference] = fake_mp.preferences()
    excluded = {t["id"] for t in preference["payment_methods"]["excluded_payment_types"]}
    assert excluded == {"credit_card", "debit_card", "account_money"}

    ticket = fake_mp.pay(
        preference["id"], status="pending", payment_type_id="ticket", payment_method_id="rapipago"
    )
    await notify(web, fake_mp, clock, ticket["id"])
    await background_round(app, rounds=2)
    assert await booking_status(app) == "held"

    clock.advance(hours=20)
    fake_mp.set_status(ticket["id"], "approved")
    await notify(web, fake_mp, clock, ticket["id"])
    await background_round(app, rounds=3)
    assert await booking_status(app) == "confirmed"
    lines = await ledger(app)
    assert [amount for _, _, amount in lines] == [36_000, 582_000, 582_000]


async def test_a_sena_is_what_the_link_asks_and_a_late_cancellation_keeps_it(
    shop_app: tuple[FastAPI, httpx.AsyncClient],
    fake_mp: FakeMercadoPago,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    """Corte asks a 30 % seña: the link is for $ 3.600; cancelled inside the free-cancellation
    window, nothing is refunded."""
    app, web = shop_app
    key = await shop_key(engine, "don-julio", clock.now(), name="owner")
    deposit = await web.put(
        "/api/v1/shops/don-julio/services/1/deposit",
        json={"kind": "percent", "percent": 30},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert deposit.status_code == 200, deposit.text
    chat = await customer(web, "ana", "Ana")
    await chat.say("corte con Tincho hoy a las 11")
    await chat.tap("Mercado Pago")
    await chat.tap("Confirmar")
    assert "pagá $\xa03.600,00 con Mercado Pago" in chat.text, chat.text
    [preference] = fake_mp.preferences()
    payment = fake_mp.pay(preference["id"])
    await notify(web, fake_mp, clock, payment["id"])
    await background_round(app, rounds=3)
    assert await booking_status(app) == "confirmed"

    await chat.say("cancelá mi turno de hoy")
    await chat.tap("Sí")
    assert "cancelación tardía" in chat.text, chat.text
    await background_round(app, rounds=3)

    assert fake_mp.refunds() == []
    assert [amount for _, _, amount in await ledger(app)] == [10_800, 174_600, 174_600]


async def test_mercadopago_answering_500_on_the_fetch_is_tried_again_later(
    shop_app: tuple[FastAPI, httpx.AsyncClient], fake_mp: FakeMercadoPago, clock: FixedClock
) -> None:
    """The notification is kept as a job: a 500 when fetching the payment is retried (30 s
    later) and then confirms once."""
    app, web = shop_app
    await book_with_mercadopago(web)
    [preference] = fake_mp.preferences()
    payment = fake_mp.pay(preference["id"])
    fake_mp.fail_next(500, methods=[PAYMENT_GET])
    await notify(web, fake_mp, clock, payment["id"])
    await background_round(app, rounds=2)
    assert await booking_status(app) == "held"

    clock.advance(minutes=1)
    await background_round(app, rounds=3)

    assert await booking_status(app) == "confirmed"
    assert len(fake_mp.calls(PAYMENT_GET)) == 2
    assert len(await pushes(web, "ana")) == 1


async def test_back_from_checkout_a_page_says_what_happens_next(
    shop_app: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, web = shop_app
    for result, words in (
        ("success", "Volvé al chat"),
        ("pending", "Rapipago"),
        ("failure", "No se cobró nada"),
    ):
        page = await web.get(f"/pagos/{result}")
        assert page.status_code == 200
        assert words in page.text
    assert (await web.get("/pagos/whatever")).status_code == 422
