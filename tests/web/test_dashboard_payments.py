"""The payments and takings pages over HTTP: a transfer the customer reported («ya transferí»)
answered «¿Llegó?» from the dashboard, the payouts of a period and their CSV (the same file as
the REST API's), a professional's own takings, and who may do what.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires; the demo shop takes transfers.
"""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.accounts import Role
from domain.storage.tables import BookingRow, PaymentRow
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, build_shop, shop_key
from tests.web.admin import TINCHO, csrf_of, logged_in
from tests.web.chat import background_round, pushes
from tests.web.test_transfer import book_by_transfer

pytestmark = pytest.mark.usefixtures("demo")
WEEK = {"from": "2026-12-01", "to": "2026-12-07"}


async def reported(web: httpx.AsyncClient, chat_id: str, name: str, when: str) -> None:
    chat = await book_by_transfer(web, chat_id, name, when)
    await chat.say("ya te transferí")
    assert "Le aviso al local" in chat.text, chat.text


async def states(app: FastAPI) -> tuple[list[str], list[str]]:
    """Booking statuses and payment statuses, by id."""
    async with app.state.uow_factory.read_only() as uow:
        bookings = list(
            await uow.session.scalars(select(BookingRow.status).order_by(BookingRow.id))
        )
        payments = list(
            await uow.session.scalars(select(PaymentRow.status).order_by(PaymentRow.id))
        )
    return bookings, payments


async def payment_id(app: FastAPI) -> int:
    async with app.state.uow_factory.read_only() as uow:
        return int(await uow.session.scalar(select(PaymentRow.id)) or 0)


@pytest.fixture
async def owner(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> httpx.AsyncClient:
    await logged_in(web, uow_factory, clock, "dueno@x.test")
    return web


async def test_a_reported_transfer_is_confirmed_and_the_customer_is_told(
    app: FastAPI, owner: httpx.AsyncClient
) -> None:
    await reported(owner, "ana", "Ana", "el miércoles a las 16")
    page = await owner.get("/admin/payments")
    paid = await payment_id(app)

    answered = await owner.post(f"/admin/payments/{paid}/confirm", data={"csrf": csrf_of(page)})
    after = await owner.get(answered.headers["location"])
    await background_round(app, rounds=2)

    assert "Transferencias para revisar" in page.text
    for shown in ("Ana", "$\xa012.000,00", "Corte con Tincho", "miércoles 2 de diciembre, 16:00"):
        assert shown in page.text, shown
    assert answered.status_code == 303
    assert "Listo: el turno quedó confirmado y le avisamos al cliente." in after.text
    assert "No hay transferencias esperando" in after.text
    assert await states(app) == (
        ["confirmed", "confirmed", "confirmed", "confirmed"],
        ["approved"],
    )
    said = [p["text"] for p in await pushes(owner, "ana")]
    assert said == [
        "Pago recibido ($\xa012.000,00): tu turno del miércoles 2 de diciembre, 16:00 "
        "quedó confirmado."
    ]


async def test_a_transfer_that_did_not_arrive_lets_the_turno_go(
    app: FastAPI, owner: httpx.AsyncClient
) -> None:
    await reported(owner, "beto", "Beto", "el jueves a las 11")
    page = await owner.get("/admin/payments")

    answered = await owner.post(
        f"/admin/payments/{await payment_id(app)}/reject", data={"csrf": csrf_of(page)}
    )
    again = await owner.post(
        f"/admin/payments/{await payment_id(app)}/reject", data={"csrf": csrf_of(page)}
    )

    assert answered.headers["location"] == "/admin/payments?outcome=released#transfers"
    assert again.headers["location"] == "/admin/payments?outcome=settled#transfers"
    bookings, payments = await states(app)
    assert (bookings[-1], payments) == ("cancelled", ["rejected"])


async def test_a_transfer_reported_then_cancelled_late_is_kept_as_the_policy_says(
    app: FastAPI, owner: httpx.AsyncClient
) -> None:
    """Eva says she transferred, then cancels her 11:00 turno at 9:00, inside the shop's 3 hours
    (the chat warned her the seña stays with the shop). The owner finds the money and answers
    «llegó»: it is on the books as the shop's, and both are told so."""
    eva = await book_by_transfer(owner, "eva", "Eva", "hoy a las 11")
    await eva.say("ya transferí")
    await eva.say("cancelá mi turno de hoy")
    assert "cancelación tardía" in eva.text, eva.text
    await eva.tap("Sí")
    await background_round(app, rounds=2)
    page = await owner.get("/admin/payments")

    answered = await owner.post(
        f"/admin/payments/{await payment_id(app)}/confirm", data={"csrf": csrf_of(page)}
    )
    after = await owner.get(answered.headers["location"])
    await background_round(app, rounds=2)

    assert "El turno ya no está reservado: si la plata llegó, confirmala igual" in page.text
    assert answered.headers["location"] == "/admin/payments?outcome=kept#transfers"
    assert "El cliente canceló el turno tarde, después de avisar la transferencia" in after.text
    assert "$\xa05.820,00" in after.text  # Tincho's share of the money kept
    bookings, payments = await states(app)
    assert (bookings[-1], payments) == ("cancelled", ["approved"])
    said = [p["text"] for p in await pushes(owner, "eva")]
    assert said[-1] == (
        "El local recibió tu transferencia de $\xa012.000,00. Tu turno del martes 1 de "
        "diciembre, 11:00 se canceló tarde, así que el local se la queda, como te avisé al "
        "cancelarlo."
    ), said


async def test_a_transfer_the_customer_has_not_reported_is_not_listed_yet(
    app: FastAPI, owner: httpx.AsyncClient
) -> None:
    await book_by_transfer(owner, "caro", "Caro", "el miércoles a las 16")

    page = await owner.get("/admin/payments")

    assert "No hay transferencias esperando" in page.text
    assert (await states(app))[1] == ["pending"]


async def test_an_answer_without_its_csrf_token_or_to_another_shops_payment_changes_nothing(
    app: FastAPI,
    owner: httpx.AsyncClient,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    await reported(owner, "ana", "Ana", "el miércoles a las 16")
    paid = await payment_id(app)
    page = await owner.get("/admin/payments")
    other = await build_shop(uow_factory, slug="otra")
    async with uow_factory() as uow:
        theirs = await uow.session.scalar(
            insert(PaymentRow)
            .values(
                shop_id=other.shop_id,
                booking_id=1,
                method="transfer",
                amount_cents=100,
                currency="ARS",
                status="pending",
                created_at=clock.now(),
                updated_at=clock.now(),
            )
            .returning(PaymentRow.id)
        )
        await uow.commit()

    forged = await owner.post(f"/admin/payments/{paid}/confirm", data={"csrf": "guessed"})
    missing = await owner.post(f"/admin/payments/{paid}/confirm")
    elsewhere = await owner.post(f"/admin/payments/{theirs}/confirm", data={"csrf": csrf_of(page)})
    unknown = await owner.post("/admin/payments/999/confirm", data={"csrf": csrf_of(page)})
    odd = await owner.post(f"/admin/payments/{paid}/maybe", data={"csrf": csrf_of(page)})

    assert (forged.status_code, missing.status_code) == (403, 403)
    assert (elsewhere.status_code, unknown.status_code) == (404, 404)
    assert odd.status_code == 422
    assert (await states(app))[1] == ["pending", "pending"]


async def test_the_payouts_csv_is_the_rest_apis_file(
    app: FastAPI, owner: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock
) -> None:
    await reported(owner, "ana", "Ana", "el miércoles a las 16")
    await app.state.payments.settle_transfer(await payment_id(app), True)
    key = await shop_key(engine, "don-julio", clock.now())

    page = await owner.get("/admin/payments", params=WEEK)
    mine = await owner.get("/admin/payments/payouts.csv", params=WEEK)
    api = await owner.get(
        "/api/v1/shops/don-julio/payouts",
        params={**WEEK, "format": "csv"},
        headers={"Authorization": f"Bearer {key}"},
    )

    assert "$\xa05.820,00" in page.text  # Tincho's share
    assert 'href="/admin/payments/payouts.csv?from=2026-12-01&amp;to=2026-12-07"' in page.text
    assert mine.status_code == 200
    assert mine.headers["content-type"].startswith("text/csv")
    assert mine.headers["content-disposition"] == (
        'attachment; filename="payouts-don-julio-2026-12-01-2026-12-07.csv"'
    )
    assert mine.text == api.text
    assert mine.text.splitlines() == [
        "professional_id,professional,currency,charged,refunded,net,commission,"
        "owed_to_professional,shop",
        "1,Tincho,ARS,12000.00,0.00,12000.00,360.00,5820.00,5820.00",
    ]


@pytest.mark.parametrize(
    "period",
    [
        {"from": "2026-12-07", "to": "2026-12-01"},
        {"from": "2025-01-01", "to": "2026-12-01"},
        {"from": "ayer", "to": "2026-12-01"},
    ],
    ids=["backwards", "over a year", "not a date"],
)
async def test_a_period_that_cannot_be_used_is_said_and_this_month_shown(
    owner: httpx.AsyncClient, period: dict[str, str]
) -> None:
    page = await owner.get("/admin/payments", params=period)
    csv = await owner.get("/admin/payments/payouts.csv", params=period)

    assert page.status_code == 422
    assert "Elegí un período de hasta 366 días" in page.text
    assert 'name="from" value="2026-12-01"' in page.text
    assert csv.status_code == 303


async def test_a_professional_sees_their_own_takings_and_not_the_shops_payments(
    app: FastAPI,
    web: httpx.AsyncClient,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    await reported(web, "ana", "Ana", "el miércoles a las 16")
    paid = await payment_id(app)
    await app.state.payments.settle_transfer(paid, True)
    await logged_in(web, uow_factory, clock, "tincho@x.test", Role.PROFESSIONAL, TINCHO)

    takings = await web.get("/admin/takings")
    refused = [
        (await web.get("/admin/payments")).status_code,
        (await web.get("/admin/payments/payouts.csv", params=WEEK)).status_code,
        (
            await web.post(f"/admin/payments/{paid}/reject", data={"csrf": csrf_of(takings)})
        ).status_code,
    ]

    assert takings.status_code == 200
    assert "Caja de hoy, martes 1 de diciembre" in takings.text
    assert "Hoy no hay turnos" in takings.text
    assert "Te corresponde" in takings.text
    assert "$\xa05.820,00" in takings.text
    assert refused == [403, 403, 403]
    assert (await states(app))[1] == ["approved"]


async def test_the_owners_takings_are_the_payments_page(owner: httpx.AsyncClient) -> None:
    answer = await owner.get("/admin/takings")

    assert (answer.status_code, answer.headers["location"]) == (303, "/admin/payments")
