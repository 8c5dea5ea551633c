"""What the agenda's HTTP tests share: a logged-in browser-like client and turnos booked on the
test's Tuesday (2026-12-01, Buenos Aires; the demo shop: Tincho 1, Facu 2, Lu 3; Corte 1)."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import httpx

from bot.passwords import hash_password
from domain import booking as use_cases
from domain.accounts import Role
from domain.model import Booking
from domain.storage.accounts import create_user
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock

PASSWORD = "tijera-y-peine-2026"
ZONE = ZoneInfo("America/Argentina/Buenos_Aires")
TINCHO, FACU, LU = 1, 2, 3
CORTE = 1


def at(hour: int, minute: int = 0, day: int = 1) -> datetime:
    """A time of December 2026 in Buenos Aires, in UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=ZONE).astimezone(UTC)


async def logged_in(
    web: httpx.AsyncClient,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    role: Role = Role.OWNER,
    professional_id: int | None = None,
) -> str:
    """Make a login of the demo shop and log `web` in with it; the session's CSRF token."""
    email = f"{role.value}{professional_id or ''}@agenda.test"
    hashed = await asyncio.to_thread(hash_password, PASSWORD)
    await create_user(uow_factory, email, hashed, role, 1, clock.now(), professional_id)
    form = await web.get("/admin/login")
    answer = await web.post(
        "/admin/login",
        data={"email": email, "password": PASSWORD, "csrf": csrf_of(form), "next": "/admin"},
    )
    assert answer.status_code == 303, answer.text
    return csrf_of(await web.get("/admin/agenda"))


def csrf_of(page: httpx.Response) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found[1]


async def book(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    start: datetime,
    professional_id: int = TINCHO,
    name: str = "Ana Gómez",
    phone: str | None = "11 4000-1111",
    service_id: int = CORTE,
) -> Booking:
    """A confirmed turno, booked through the use case as the chat would."""
    request = use_cases.BookingRequest(
        shop_id=1,
        service_id=service_id,
        customer=use_cases.NewCustomer(name, phone),
        start=start,
        professional_id=professional_id,
        channel="telegram",
    )
    return await use_cases.book(uow_factory, clock, request)


async def later(web: httpx.AsyncClient, clock: FixedClock, minutes: int) -> None:
    """Move the clock on, using the dashboard now and then (the session ends after 30 idle
    minutes, as a person's would)."""
    while minutes > 0:
        step = min(minutes, 20)
        clock.advance(minutes=step)
        minutes -= step
        assert (await web.get("/admin/agenda")).status_code == 200


def local_clock(moment: datetime) -> time:
    """The wall-clock time in Buenos Aires."""
    return moment.astimezone(ZONE).time()
