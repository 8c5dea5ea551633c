"""The Numbers page over HTTP: charts of the period asked for, each chart's CSV with exact
money, who may read them, and dates typed wrong. The demo shop without its history, plus
turnos of known days made through the use cases (or, at a DST change, written directly)."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import insert, update

from bot.passwords import hash_password
from bot.payments.desk import PaymentDesk
from domain import booking as use_cases
from domain.accounts import Role
from domain.booking import BookingRequest, NewCustomer
from domain.model import session_key
from domain.storage.accounts import create_user
from domain.storage.tables import BookingRow, ShopRow
from domain.storage.uow import UnitOfWorkFactory
from tests.conftest import T0
from tests.helpers import FixedClock

pytestmark = pytest.mark.usefixtures("demo")
BA = ZoneInfo("America/Argentina/Buenos_Aires")
NEW_YORK = ZoneInfo("America/New_York")
PASSWORD = "tijera-y-peine-2026"
TINCHO, FACU, LU = 1, 2, 3  # the demo's professionals
CORTE, BARBA = 1, 2  # and services
WEEK = "?period=custom&from=2026-11-02&to=2026-11-08&by=day"
QUARTER = "31 de agosto\u2009–\u200929 de noviembre de 2026"  # babel's thin spaces
CHARTS = ("bookings", "revenue", "occupancy", "customers", "cancellations", "services", "hours")


async def log_in(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock, role: Role
) -> None:
    """A user of the demo shop with `role`, logged in (at the tests' usual now)."""
    clock.current = T0
    email = f"{role.value}@donjulio.test"
    professional = TINCHO if role is Role.PROFESSIONAL else None
    hashed = await asyncio.to_thread(hash_password, PASSWORD)
    await create_user(uow_factory, email, hashed, role, 1, clock.now(), professional)
    form = await web.get("/admin/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token, form.text
    data = {"email": email, "password": PASSWORD, "csrf": token[1], "next": "/admin"}
    assert (await web.post("/admin/login", data=data)).status_code == 303


async def turno(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    start: datetime,
    name: str,
    *,
    pro: int = TINCHO,
    service: int = CORTE,
    then: str = "completed",
    cash: bool = False,
) -> None:
    """A turno booked days before, then attended, missed or cancelled late."""
    clock.current = start - timedelta(days=3)
    phone = f"11 4000-{sum(map(ord, name)) % 10_000:04d}"
    request = BookingRequest(1, service, NewCustomer(name, phone), start, pro)
    booking = await use_cases.book(uow_factory, clock, request)
    if then == "late":
        clock.current = start - timedelta(minutes=30)
        await use_cases.cancel(uow_factory, clock, booking.id)
        return
    clock.current = booking.ends_at
    close = use_cases.complete if then == "completed" else use_cases.mark_no_show
    await close(uow_factory, clock, booking.id)
    if cash:
        await PaymentDesk(uow_factory, clock, None, {}).record_cash(booking.id)


@pytest.fixture
async def week(demo: None, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
    """Monday 2 to Sunday 8 November 2026: two attended on Tuesday (one paid cash), a no-show
    on Wednesday, a late cancellation on Friday."""
    ba = lambda day, hour: datetime(2026, 11, day, hour, tzinfo=BA).astimezone(UTC)  # noqa: E731
    await turno(uow_factory, clock, ba(3, 10), "Juan Pérez", cash=True)
    await turno(uow_factory, clock, ba(3, 12), "Ana Gómez", pro=FACU, service=BARBA)
    await turno(uow_factory, clock, ba(4, 17), "Luis Díaz", pro=FACU, then="no_show")
    await turno(uow_factory, clock, ba(6, 10), "Ana Gómez", pro=LU, then="late")


async def table(web: httpx.AsyncClient, chart: str, query: str = WEEK) -> list[list[str]]:
    response = await web.get(f"/admin/numbers/{chart}.csv{query}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.usefixtures("week")
async def test_the_owner_reads_the_last_3_months_as_charts_by_default(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await log_in(web, uow_factory, clock, Role.OWNER)

    page = await web.get("/admin/numbers")

    assert page.status_code == 200
    html = page.text
    assert QUARTER in html
    assert re.search(r'aria-current="true">Últimos 3 meses<', html)
    assert re.search(r'aria-current="true">Por semana<', html)
    for chart in CHARTS:  # every chart with something to draw is a picture with its CSV
        assert f'<svg class="chart" id="chart-{chart}"' in html, chart
        assert f'href="/admin/numbers/{chart}.csv?period=quarter&amp;by=week"' in html
    assert "No hay cobros" not in html  # Juan paid cash
    assert "$\xa020.000" in html  # the revenue: Juan's corte and Ana's barba


@pytest.mark.usefixtures("week")
async def test_each_charts_csv_holds_its_data_with_exact_money(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await log_in(web, uow_factory, clock, Role.OWNER)

    bookings = await table(web, "bookings")
    revenue = await table(web, "revenue")
    payments = await table(web, "payments")
    services = await table(web, "services")

    assert bookings[0] == [
        "Desde",
        "Hasta",
        "Atendidos",
        "Por venir",
        "No vinieron",
        "Cancelados a tiempo",
        "Cancelados tarde",
    ]
    assert bookings[1:] == [
        ["2026-11-02", "2026-11-02", "0", "0", "0", "0", "0"],
        ["2026-11-03", "2026-11-03", "2", "0", "0", "0", "0"],
        ["2026-11-04", "2026-11-04", "0", "0", "1", "0", "0"],
        ["2026-11-05", "2026-11-05", "0", "0", "0", "0", "0"],
        ["2026-11-06", "2026-11-06", "0", "0", "0", "0", "1"],
        ["2026-11-07", "2026-11-07", "0", "0", "0", "0", "0"],
        ["2026-11-08", "2026-11-08", "0", "0", "0", "0", "0"],
    ]
    assert revenue[0] == ["Desde", "Hasta", "Moneda", "Facturación"]
    assert revenue[2] == ["2026-11-03", "2026-11-03", "ARS", "20000.00"]
    assert payments == [["Medio de pago", "Moneda", "Cobrado"], ["Efectivo", "ARS", "12000.00"]]
    assert services[1:] == [["Corte", "2", "ARS", "12000.00"], ["Barba", "1", "ARS", "8000.00"]]


@pytest.mark.usefixtures("week")
async def test_a_csv_is_an_attachment_named_after_the_shop_chart_and_days(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await log_in(web, uow_factory, clock, Role.OWNER)

    response = await web.get(f"/admin/numbers/occupancy.csv{WEEK}")

    assert response.headers["content-disposition"] == (
        'attachment; filename="don-julio-occupancy-2026-11-02-2026-11-08.csv"'
    )
    assert response.content.startswith("\ufeff".encode())  # Excel reads the accents
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Profesional", "Minutos reservados", "Minutos de trabajo", "Ocupación (%)"]
    worked = 5 * 8 * 60  # Tuesday to Saturday, 10 to 19, an hour for lunch
    assert rows[1] == ["Tincho", "30", str(worked), f"{30 / worked * 100:.1f}"]


@pytest.mark.usefixtures("week")
async def test_the_period_is_cut_by_month_when_asked(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await log_in(web, uow_factory, clock, Role.OWNER)

    months = await table(web, "bookings", "?period=quarter&by=month")

    assert [row[:3] for row in months[1:]] == [
        ["2026-08-31", "2026-08-31", "0"],
        ["2026-09-01", "2026-09-30", "0"],
        ["2026-10-01", "2026-10-31", "0"],
        ["2026-11-01", "2026-11-29", "2"],  # the period ends on Sunday the 29th
    ]


async def test_a_long_period_offers_no_cut_by_day(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await log_in(web, uow_factory, clock, Role.OWNER)

    page = await web.get("/admin/numbers?period=custom&from=2026-01-01&to=2026-12-31&by=day")

    assert page.status_code == 200
    assert "Por semana" in page.text
    assert "Por día" not in page.text
    assert re.search(r'aria-current="true">Por mes<', page.text)  # a day's bars would not fit
    assert "No hay turnos en estos días." in page.text or "<svg" in page.text


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("from=2026-11-10&to=2026-11-01", "El último día es anterior al primero"),
        ("from=mañana&to=2026-11-01", "Elegí el primer y el último día."),
        ("from=2020-01-01&to=2026-11-01", "Elegí tres años como máximo."),
    ],
)
async def test_dates_typed_wrong_are_said_so_above_the_last_3_months(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock, query: str, said: str
) -> None:
    await log_in(web, uow_factory, clock, Role.OWNER)

    page = await web.get(f"/admin/numbers?period=custom&{query}")

    assert page.status_code == 422
    assert said in page.text
    assert QUARTER in page.text
    assert re.search(r'<details class="custom-period" open>', page.text)  # to fix them there
    assert 'name="to" value="2026-11-01"' in page.text


async def test_a_manager_reads_the_numbers_and_a_professional_may_not(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await log_in(web, uow_factory, clock, Role.MANAGER)
    assert (await web.get("/admin/numbers")).status_code == 200
    assert (await web.get(f"/admin/numbers/revenue.csv{WEEK}")).status_code == 200
    assert (await web.get("/admin/numbers/nada.csv")).status_code == 404

    web.cookies.clear()
    await log_in(web, uow_factory, clock, Role.PROFESSIONAL)
    assert (await web.get("/admin/numbers")).status_code == 403
    assert (await web.get(f"/admin/numbers/revenue.csv{WEEK}")).status_code == 403
    assert "/admin/numbers" not in (await web.get("/admin/agenda")).text


async def test_without_a_login_the_csv_leads_to_the_login(web: httpx.AsyncClient) -> None:
    response = await web.get(f"/admin/numbers/revenue.csv{WEEK}")

    assert response.status_code == 303
    assert response.headers["location"].startswith("/admin/login?next=/admin/numbers/revenue.csv")


def ny_row(start: datetime) -> dict[str, Any]:
    """A corte attended with Tincho (written directly: at 01:30 the clock reads twice)."""
    start = start.astimezone(UTC)
    end = start + timedelta(minutes=30)
    return {
        "shop_id": 1,
        "service_id": CORTE,
        "professional_id": TINCHO,
        "customer_id": 1,
        "starts_at": start,
        "ends_at": end,
        "block_start": start,
        "block_end": end,
        "session_key": session_key(TINCHO, CORTE, start),
        "seat_no": 1,
        "capacity": 1,
        "status": "completed",
        "price_cents": 1_200_000,
        "currency": "ARS",
        "created_at": start - timedelta(days=1),
    }


async def test_days_and_hours_are_the_shops_own_across_a_dst_change(
    app: FastAPI, web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """The demo moved to New York, where 2026-11-01 has 25 hours and 01:30 comes twice."""
    async with uow_factory() as uow:
        await uow.session.execute(
            update(ShopRow).where(ShopRow.id == 1).values(timezone=NEW_YORK.key)
        )
        starts = [
            datetime(2026, 10, 31, 23, 30, tzinfo=NEW_YORK),
            datetime(2026, 11, 1, 0, 30, tzinfo=NEW_YORK),  # 23:30 on the day before, in EST
            datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK, fold=0),
            datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK, fold=1),
        ]
        await uow.session.execute(insert(BookingRow), [ny_row(s) for s in starts])
        await uow.commit()
    app.state.dispatcher.catalogs.invalidate()
    await log_in(web, uow_factory, clock, Role.OWNER)
    query = "?period=custom&from=2026-10-31&to=2026-11-01&by=day"

    days = await table(web, "bookings", query)
    hours = await table(web, "hours", query)

    assert [row[:3] for row in days[1:]] == [
        ["2026-10-31", "2026-10-31", "1"],
        ["2026-11-01", "2026-11-01", "3"],
    ]
    busy = {(day, hour): count for day, hour, count in hours[1:] if count != "0"}
    assert busy == {("sábado", "23"): "1", ("domingo", "0"): "1", ("domingo", "1"): "2"}
