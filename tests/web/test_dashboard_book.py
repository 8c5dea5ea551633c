"""Booking by hand and blocking time from the agenda over HTTP: made through the use cases,
shown on the agenda after; bad input comes back with what was typed."""

from __future__ import annotations

import re

import httpx
import pytest

from domain import booking as use_cases
from domain.accounts import Role
from domain.model import BookingStatus
from domain.storage.owner_customers import shop_customers
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock
from tests.web.agenda_support import CORTE, FACU, TINCHO, at, book, logged_in

pytestmark = pytest.mark.usefixtures("demo")


def turno_id(location: str) -> int:
    found = re.search(r"turno=(\d+)", location)
    assert found, location
    return int(found[1])


async def test_the_form_offers_the_free_times_without_the_customers_minimum_notice(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock)
    clock.advance(minutes=62)  # 10:02; the shop asks customers for 30 minutes' notice
    await logged_in(web, uow_factory, clock, Role.MANAGER)

    form = await web.get(f"/admin/agenda/book?pro={TINCHO}&service={CORTE}")

    assert "Horarios libres, martes 1 de diciembre" in form.text
    assert f'value="{at(10, 15).isoformat()}"' in form.text  # the next start, right away
    assert f'value="{at(10).isoformat()}"' not in form.text  # never a past one


async def test_a_walk_in_without_a_phone_is_booked_and_shown_on_the_agenda(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    csrf = await logged_in(web, uow_factory, clock)

    booked = await web.post(
        "/admin/agenda/book",
        data={
            "csrf": csrf,
            "service": str(CORTE),
            "pro": str(TINCHO),
            "day": "2026-12-01",
            "start": at(10).isoformat(),
            "name": "  Marcos   Vidal ",
            "phone": "",
        },
    )
    agenda = await web.get(booked.headers["location"])
    made = await use_cases.get_booking(uow_factory, turno_id(booked.headers["location"]))

    assert booked.status_code == 303
    assert booked.headers["location"].startswith("/admin/agenda?day=2026-12-01&done=booked")
    assert "Listo, reservaste: Marcos Vidal, 10:00 con Tincho." in agenda.text
    assert (made.channel, made.status, made.starts_at) == (
        "dashboard",
        BookingStatus.CONFIRMED,
        at(10),
    )
    detail = await web.get(f"/admin/agenda/turnos/{made.id}")
    assert "A mano, en la agenda" in detail.text
    assert "No lo dejó" in detail.text


async def test_a_phone_call_from_a_known_customer_is_booked_for_them(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    csrf = await logged_in(web, uow_factory, clock)
    known = await book(uow_factory, clock, at(11), TINCHO, "Ana Gómez", "11 4000-1111")

    booked = await web.post(
        "/admin/agenda/book",
        data={
            "csrf": csrf,
            "service": str(CORTE),
            "pro": "",  # anyone free
            "day": "2026-12-03",
            "start": at(12, day=3).isoformat(),
            "name": "Anita",
            "phone": "+54 9 11 4000-1111",
        },
    )
    made = await use_cases.get_booking(uow_factory, turno_id(booked.headers["location"]))

    assert booked.status_code == 303
    assert made.customer_id == known.customer_id  # the same person, found by phone
    customers = await shop_customers(uow_factory, 1, clock.now(), None, None, 50)
    assert [c.name for _, c in customers if c.phone == "+5491140001111"] == ["Ana Gómez"]


async def test_bad_input_comes_back_with_what_was_typed_and_the_fields_marked(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    csrf = await logged_in(web, uow_factory, clock)

    answer = await web.post(
        "/admin/agenda/book",
        data={
            "csrf": csrf,
            "service": str(CORTE),
            "pro": str(TINCHO),
            "day": "2026-12-01",
            "start": at(11).isoformat(),
            "name": " ",
            "phone": "llamame",
        },
    )

    assert answer.status_code == 422
    assert "Revisá lo que está marcado abajo." in answer.text
    assert "Escribí el nombre del cliente" in answer.text
    assert "Eso no es un teléfono" in answer.text
    assert 'value="llamame"' in answer.text
    assert f'value="{at(11).isoformat()}" required checked' in answer.text  # the time picked
    assert '<option value="1" selected>' in answer.text


async def test_a_time_someone_just_took_is_refused_and_nothing_typed_is_lost(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    csrf = await logged_in(web, uow_factory, clock)
    await book(uow_factory, clock, at(11), TINCHO, "Ana Gómez")

    answer = await web.post(
        "/admin/agenda/book",
        data={
            "csrf": csrf,
            "service": str(CORTE),
            "pro": str(TINCHO),
            "day": "2026-12-01",
            "start": at(11).isoformat(),
            "name": "Marcos Vidal",
            "phone": "11 4000-3333",
        },
    )

    assert answer.status_code == 409
    assert "Alguien acaba de tomar ese horario: elegí otro." in answer.text
    assert 'value="Marcos Vidal"' in answer.text
    assert 'value="11 4000-3333"' in answer.text


async def test_booking_needs_the_csrf_token(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock)

    answer = await web.post(
        "/admin/agenda/book",
        data={"service": "1", "pro": "1", "start": at(11).isoformat(), "name": "Marcos"},
    )

    assert answer.status_code == 403
    assert "Marcos" not in (await web.get("/admin/agenda")).text


async def test_a_professional_books_and_blocks_only_their_own_time(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    csrf = await logged_in(web, uow_factory, clock, Role.PROFESSIONAL, TINCHO)
    form = await web.get(f"/admin/agenda/book?pro={FACU}")
    base = {"csrf": csrf, "service": "1", "day": "2026-12-01", "name": "Marcos"}

    for_facu = await web.post("/admin/agenda/book", data={**base, "pro": str(FACU)})
    own = await web.post("/admin/agenda/book", data={**base, "start": at(12).isoformat()})
    block_facu = await web.post(
        "/admin/agenda/block",
        data={
            "csrf": csrf,
            "pro": str(FACU),
            "day": "2026-12-01",
            "start": "13:00",
            "end": "14:00",
        },
    )

    assert "Con Tincho" in form.text
    assert "Facu" not in form.text
    assert for_facu.status_code == 403
    assert block_facu.status_code == 403
    made = await use_cases.get_booking(uow_factory, turno_id(own.headers["location"]))
    assert made.professional_id == TINCHO


async def test_blocking_time_lists_the_turnos_inside_and_cancels_none(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    csrf = await logged_in(web, uow_factory, clock)
    inside = await book(uow_factory, clock, at(13), TINCHO, "Ana Gómez")

    blocked = await web.post(
        "/admin/agenda/block",
        data={
            "csrf": csrf,
            "pro": str(TINCHO),
            "day": "2026-12-01",
            "start": "12:50",
            "end": "13:30",
            "reason": "Trámite",
        },
    )
    agenda = await web.get(blocked.headers["location"])
    form = await web.get(f"/admin/agenda/book?pro={TINCHO}")

    assert blocked.status_code == 303
    assert "Listo, bloqueaste a Tincho de 12:50 a 13:30." in agenda.text
    assert "Este turno queda adentro del horario bloqueado y sigue en pie" in agenda.text
    assert f'href="/admin/agenda/turnos/{inside.id}">13:00 Ana Gómez' in agenda.text
    assert "Trámite" in agenda.text
    assert (await use_cases.get_booking(uow_factory, inside.id)).status is BookingStatus.CONFIRMED
    assert f'value="{at(12, 30).isoformat()}"' not in form.text  # would run into the block
    assert f'value="{at(13, 30).isoformat()}"' in form.text


async def test_a_block_that_ends_before_it_starts_comes_back_as_typed(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    csrf = await logged_in(web, uow_factory, clock)

    answer = await web.post(
        "/admin/agenda/block",
        data={
            "csrf": csrf,
            "pro": str(TINCHO),
            "day": "2026-12-01",
            "start": "15:00",
            "end": "14:00",
            "reason": "Dentista",
        },
    )
    nobody = await web.post(
        "/admin/agenda/block",
        data={"csrf": csrf, "pro": "", "day": "2026-12-01", "start": "15:00", "end": "16:00"},
    )

    assert answer.status_code == 422
    assert "Tiene que terminar después de empezar." in answer.text
    assert 'value="Dentista"' in answer.text
    assert 'value="15:00"' in answer.text
    assert nobody.status_code == 422
    assert "Elegí de quién es el horario." in nobody.text
