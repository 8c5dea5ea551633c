"""The agenda page over HTTP: the day and the week, the board that refreshes itself, cancelled
turnos on request, blocked time, and a professional's login that sees only their column."""

from __future__ import annotations

import re

import httpx
import pytest

from domain import booking as use_cases
from domain.accounts import Role
from domain.model import CancelledBy
from domain.storage.agenda import block_time
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock
from tests.web.agenda_support import FACU, LU, TINCHO, at, book, logged_in

pytestmark = pytest.mark.usefixtures("demo")


def column_names(page: httpx.Response) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", page.text, re.S)
    assert head, page.text
    return re.findall(r'<th scope="col">([^<]+)</th>', head[1])


async def test_the_dashboard_opens_on_todays_agenda_with_a_column_per_professional(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock)
    await book(uow_factory, clock, at(11), TINCHO, "Ana Gómez")
    await book(uow_factory, clock, at(12, 30), FACU, "Bruno Díaz", "11 4000-2222")

    home = await web.get("/admin")
    page = await web.get(home.headers["location"])

    assert home.headers["location"] == "/admin/agenda"
    assert "Martes 1 de diciembre" in page.text
    assert "Hoy" in page.text
    assert column_names(page) == ["Tincho", "Facu", "Lu"]
    assert "Ana Gómez" in page.text
    assert "Bruno Díaz" in page.text
    assert "2 turnos" in page.text
    assert 'class="turno confirmed" href="/admin/agenda/turnos/' in page.text


async def test_the_week_lists_each_day_with_its_turnos_and_links_to_the_day(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock)

    week = await web.get("/admin/agenda?view=week")

    assert "Semana del 30/11 al 6/12" in week.text
    for name in ("Juan Pérez", "Nicolás Díaz", "Santiago López"):  # the demo's turnos
        assert name in week.text
    assert "3 turnos esta semana" in week.text
    assert 'href="/admin/agenda?day=2026-12-02"' in week.text
    assert "Lunes 30 de noviembre" in week.text
    assert "Domingo 6 de diciembre" in week.text


async def test_another_day_and_the_arrows_around_it(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock)

    wednesday = await web.get("/admin/agenda?day=2026-12-02")
    nonsense = await web.get("/admin/agenda?day=mañana&view=semana&pro=x")

    assert "Miércoles 2 de diciembre" in wednesday.text
    assert "Juan Pérez" in wednesday.text
    assert 'href="/admin/agenda?day=2026-12-01"' in wednesday.text  # the day before
    assert 'href="/admin/agenda?day=2026-12-03"' in wednesday.text  # and after
    assert nonsense.status_code == 200
    assert "Martes 1 de diciembre" in nonsense.text  # what cannot be read is today


async def test_the_board_is_204_until_a_turno_is_booked_then_the_new_board(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock)
    page = await web.get("/admin/agenda")
    board = re.search(r'hx-get="([^"]+)"', page.text)
    assert board, page.text
    address = board[1].replace("&amp;", "&")

    unchanged = await web.get(address)
    await book(uow_factory, clock, at(16), TINCHO, "Carla Ruiz")
    changed = await web.get(address)

    assert address.startswith("/admin/agenda/board?day=2026-12-01&seen=")
    assert unchanged.status_code == 204
    assert changed.status_code == 200
    assert "Carla Ruiz" in changed.text
    assert 'id="board"' in changed.text
    assert "<html" not in changed.text  # the board alone, to swap in


async def test_cancelled_turnos_show_only_when_asked(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock)
    gone = await book(uow_factory, clock, at(11), TINCHO, "Ana Gómez")
    await use_cases.cancel(uow_factory, clock, gone.id, CancelledBy.CUSTOMER)

    hidden = await web.get("/admin/agenda")
    shown = await web.get("/admin/agenda?cancelled=1")

    assert "Ana Gómez" not in hidden.text
    assert "Ana Gómez" in shown.text
    assert 'class="turno cancelled"' in shown.text
    assert "Ocultar cancelados" in shown.text


async def test_blocked_time_and_hours_off_are_drawn_in_the_columns(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock)
    await block_time(uow_factory, TINCHO, at(13), at(13, 40), "Almuerzo largo")

    page = await web.get("/admin/agenda")

    assert "13:00–13:40" in page.text
    assert "Almuerzo largo" in page.text
    assert 'class="off"' in page.text  # Lu does not work on Tuesdays


async def test_one_professionals_column_on_request(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock)
    await book(uow_factory, clock, at(11), TINCHO, "Ana Gómez")
    await book(uow_factory, clock, at(12, 30), FACU, "Bruno Díaz", "11 4000-2222")

    facu = await web.get(f"/admin/agenda?pro={FACU}")

    assert column_names(facu) == ["Facu"]
    assert "Bruno Díaz" in facu.text
    assert "Ana Gómez" not in facu.text


async def test_a_professional_sees_only_their_column_and_is_refused_anothers(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock, Role.PROFESSIONAL, TINCHO)
    await book(uow_factory, clock, at(11), TINCHO, "Ana Gómez")
    theirs = await book(uow_factory, clock, at(12, 30), FACU, "Bruno Díaz", "11 4000-2222")

    own = await web.get("/admin/agenda")
    week = await web.get("/admin/agenda?view=week")
    another = await web.get(f"/admin/agenda?pro={FACU}")
    by_address = await web.get(f"/admin/agenda/turnos/{theirs.id}")
    board = await web.get(f"/admin/agenda/board?pro={LU}")

    assert column_names(own) == ["Tincho"]
    assert "Ana Gómez" in own.text
    assert "Bruno Díaz" not in own.text
    assert 'class="chips"' not in own.text
    assert "Bruno Díaz" not in week.text
    assert "Juan Pérez" in week.text
    assert another.status_code == 403
    assert by_address.status_code == 404
    assert "Bruno Díaz" not in by_address.text
    assert board.status_code == 403


async def test_the_agenda_needs_a_login(anonymous: httpx.AsyncClient) -> None:
    answer = await anonymous.get("/admin/agenda?day=2026-12-02")
    board = await anonymous.get("/admin/agenda/board", headers={"HX-Request": "true"})

    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/login?next=/admin/agenda%3Fday%3D2026-12-02"
    assert board.status_code == 401  # htmx is sent to the login page instead
