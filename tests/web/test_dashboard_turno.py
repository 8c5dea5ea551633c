"""A turno in the agenda over HTTP: its details, cancelling with the policy, done and no-show
once it started, cash noted, moving it; each a form that needs its CSRF token and sends the
browser back (303), and none of it open to another professional."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from domain import booking as use_cases
from domain.accounts import Role
from domain.model import BookingStatus, CancelledBy
from domain.storage.payments import paid_so_far
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock
from tests.web.agenda_support import FACU, TINCHO, at, book, later, logged_in
from tests.web.chat import background_round, customer, pushes, taps

pytestmark = pytest.mark.usefixtures("demo")


async def test_a_turno_shows_the_customer_service_price_payment_and_channel(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock)
    turno = await book(uow_factory, clock, at(11), TINCHO, "Ana Gómez", "11 4000-1111")

    page = await web.get(f"/admin/agenda/turnos/{turno.id}")

    assert page.status_code == 200
    for shown in (
        "Ana Gómez",
        "Martes 1 de diciembre, 11:00–11:30",
        "Corte · $\xa012.000,00",
        "Tincho",
        "Telegram",
        "+54 9 11 4000-1111",
        'href="https://wa.me/5491140001111"',
        "Todavía no se recibió nada",
        "0 visitas",
        "Confirmado",
    ):
        assert shown in page.text, shown


async def test_cancelling_shows_the_policy_and_a_late_customer_cancellation_keeps_the_sena(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    csrf = await logged_in(web, uow_factory, clock)
    soon = await book(uow_factory, clock, at(11), TINCHO, "Ana Gómez")  # 2 h away, policy 3 h
    later = await book(uow_factory, clock, at(18), TINCHO, "Bruno Díaz", "11 4000-2222")

    soon_page = await web.get(f"/admin/agenda/turnos/{soon.id}")
    later_page = await web.get(f"/admin/agenda/turnos/{later.id}")
    cancelled = await web.post(
        f"/admin/agenda/turnos/{soon.id}/cancel", data={"csrf": csrf, "by": "customer"}
    )
    by_shop = await web.post(
        f"/admin/agenda/turnos/{later.id}/cancel", data={"csrf": csrf, "by": "shop"}
    )
    after = await web.get(cancelled.headers["location"])

    assert "Cancelar no tiene costo hasta 3 horas antes del turno (1/12 08:00)." in soon_page.text
    assert "es una cancelación tardía y el local se queda con la seña" in soon_page.text
    assert "Todavía está a tiempo" in later_page.text
    assert cancelled.status_code == 303
    assert cancelled.headers["location"] == f"/admin/agenda/turnos/{soon.id}?done=cancelled&told=0"
    assert "Listo, cancelaste el turno." in after.text
    assert "avisale vos" in after.text  # a customer without a chat is not told
    assert "Cancelación tardía: el local se queda con la seña." in after.text
    assert (await use_cases.get_booking(uow_factory, soon.id)).late_cancellation
    shop_cancelled = await use_cases.get_booking(uow_factory, later.id)
    assert shop_cancelled.cancelled_by is CancelledBy.SHOP
    assert not shop_cancelled.late_cancellation
    assert by_shop.status_code == 303
    assert "Cancelar el turno" not in after.text  # nothing left to cancel


async def test_a_customer_who_booked_by_chat_hears_in_it_that_the_shop_cancelled(
    app: FastAPI, web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    csrf = await logged_in(web, uow_factory, clock)
    chat = await customer(web, "ana-chat", "Ana")
    await chat.say("corte con Tincho hoy a las 16")
    await taps(chat, "Efectivo", "Confirmar")
    page = await web.get("/admin/agenda")
    turno_id = int(page.text.split('href="/admin/agenda/turnos/')[1].split('"')[0])

    before = await web.get(f"/admin/agenda/turnos/{turno_id}")
    cancelled = await web.post(
        f"/admin/agenda/turnos/{turno_id}/cancel", data={"csrf": csrf, "by": "shop"}
    )
    await background_round(app)

    assert "Chat de prueba" in before.text
    assert "Le avisamos al cliente por su chat." in before.text
    assert cancelled.headers["location"].endswith("done=cancelled&told=1")
    said = [p["text"] for p in await pushes(web, "ana-chat")]
    assert any("el local tuvo que cancelar tu turno del martes 1 de diciembre" in t for t in said)


async def test_done_and_no_show_wait_for_the_turno_to_start(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    csrf = await logged_in(web, uow_factory, clock)
    first = await book(uow_factory, clock, at(10), TINCHO, "Ana Gómez")
    second = await book(uow_factory, clock, at(10, 30), TINCHO, "Bruno Díaz", "11 4000-2222")

    early = await web.post(f"/admin/agenda/turnos/{first.id}/done", data={"csrf": csrf})
    await later(web, clock, 95)  # 10:35
    done = await web.post(f"/admin/agenda/turnos/{first.id}/done", data={"csrf": csrf})
    no_show = await web.post(f"/admin/agenda/turnos/{second.id}/no-show", data={"csrf": csrf})
    again = await web.post(f"/admin/agenda/turnos/{first.id}/no-show", data={"csrf": csrf})

    assert early.status_code == 409
    assert "Todavía no empezó: marcalo cuando empiece." in early.text
    assert done.status_code == 303
    assert done.headers["location"] == f"/admin/agenda/turnos/{first.id}?done=completed"
    assert (await use_cases.get_booking(uow_factory, first.id)).status is BookingStatus.COMPLETED
    assert no_show.status_code == 303
    assert (await use_cases.get_booking(uow_factory, second.id)).status is BookingStatus.NO_SHOW
    assert again.status_code == 409  # done stays done
    assert (await use_cases.get_booking(uow_factory, first.id)).status is BookingStatus.COMPLETED


async def test_cash_is_noted_once_after_the_turno_is_done(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    csrf = await logged_in(web, uow_factory, clock)
    turno = await book(uow_factory, clock, at(10), TINCHO, "Ana Gómez")

    too_soon = await web.post(f"/admin/agenda/turnos/{turno.id}/cash", data={"csrf": csrf})
    await later(web, clock, 70)
    await web.post(f"/admin/agenda/turnos/{turno.id}/done", data={"csrf": csrf})
    offered = await web.get(f"/admin/agenda/turnos/{turno.id}")
    noted = await web.post(f"/admin/agenda/turnos/{turno.id}/cash", data={"csrf": csrf})
    twice = await web.post(f"/admin/agenda/turnos/{turno.id}/cash", data={"csrf": csrf})
    after = await web.get(noted.headers["location"])

    assert too_soon.status_code == 409
    assert "Me pagó $\xa012.000,00 en efectivo" in offered.text
    assert noted.status_code == 303
    assert "Listo, anotaste el cobro en efectivo." in after.text
    assert "Efectivo: $\xa012.000,00, recibido" in after.text
    assert "Me pagó" not in after.text
    assert twice.status_code == 409
    assert await paid_so_far(uow_factory, turno.id) == 1_200_000


async def test_moving_a_turno_offers_the_free_times_and_keeps_it_when_the_new_one_is_taken(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    csrf = await logged_in(web, uow_factory, clock)
    turno = await book(uow_factory, clock, at(11), TINCHO, "Ana Gómez")
    await book(uow_factory, clock, at(17), TINCHO, "Bruno Díaz", "11 4000-2222")

    form = await web.get(f"/admin/agenda/turnos/{turno.id}/move")
    taken = await web.post(
        f"/admin/agenda/turnos/{turno.id}/move",
        data={"csrf": csrf, "start": at(17).isoformat(), "pro": str(TINCHO), "day": "2026-12-01"},
    )
    kept = await use_cases.get_booking(uow_factory, turno.id)
    moved = await web.post(
        f"/admin/agenda/turnos/{turno.id}/move",
        data={"csrf": csrf, "start": at(17).isoformat(), "pro": str(FACU), "day": "2026-12-01"},
    )
    new_id = int(moved.headers["location"].split("/turnos/")[1].split("?")[0])
    new = await use_cases.get_booking(uow_factory, new_id)

    assert f'value="{at(16).isoformat()}"' in form.text
    assert f'value="{at(17).isoformat()}"' not in form.text  # Bruno's
    assert taken.status_code == 409
    assert "Alguien acaba de tomar ese horario: elegí otro." in taken.text
    assert kept.status is BookingStatus.CONFIRMED
    assert moved.status_code == 303
    assert moved.headers["location"].endswith("?done=moved&told=0")
    assert (new.starts_at, new.professional_id) == (at(17), FACU)
    assert (await use_cases.get_booking(uow_factory, turno.id)).status is BookingStatus.CANCELLED


async def test_every_action_needs_the_csrf_token_and_changes_nothing_without_it(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock)
    turno = await book(uow_factory, clock, at(11), TINCHO, "Ana Gómez")
    await later(web, clock, 125)

    answers = [
        await web.post(f"/admin/agenda/turnos/{turno.id}/{action}", data=data)
        for action, data in (
            ("cancel", {"by": "shop"}),
            ("done", {}),
            ("no-show", {"csrf": "forged"}),
            ("cash", {}),
            ("move", {"start": at(16).isoformat()}),
        )
    ]

    assert [a.status_code for a in answers] == [403] * 5
    assert (await use_cases.get_booking(uow_factory, turno.id)).status is BookingStatus.CONFIRMED


async def test_a_professional_acts_on_their_own_turnos_only(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    csrf = await logged_in(web, uow_factory, clock, Role.PROFESSIONAL, TINCHO)
    own = await book(uow_factory, clock, at(18), TINCHO, "Ana Gómez")
    other = await book(uow_factory, clock, at(18), FACU, "Bruno Díaz", "11 4000-2222")

    refused = await web.post(
        f"/admin/agenda/turnos/{other.id}/cancel", data={"csrf": csrf, "by": "shop"}
    )
    move_away = await web.post(
        f"/admin/agenda/turnos/{own.id}/move",
        data={"csrf": csrf, "start": at(16).isoformat(), "pro": str(FACU)},
    )
    cancelled = await web.post(
        f"/admin/agenda/turnos/{own.id}/cancel", data={"csrf": csrf, "by": "customer"}
    )

    assert refused.status_code == 404
    assert (await use_cases.get_booking(uow_factory, other.id)).status is BookingStatus.CONFIRMED
    assert move_away.status_code == 403
    assert cancelled.status_code == 303
    assert (await use_cases.get_booking(uow_factory, own.id)).status is BookingStatus.CANCELLED


async def test_a_turno_of_nobody_or_of_another_shop_is_not_found(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    csrf = await logged_in(web, uow_factory, clock)

    missing = await web.get("/admin/agenda/turnos/999")
    cancel = await web.post("/admin/agenda/turnos/999/cancel", data={"csrf": csrf})

    assert missing.status_code == 404
    assert "No encontramos el turno" in missing.text
    assert cancel.status_code == 404
