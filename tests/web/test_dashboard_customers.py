"""The customers pages over HTTP: search by name or phone, a customer's page with their turnos,
figures and notes; a professional sees only the customers they served, and writes no notes.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. The demo shop's customers are Juan
Pérez (11 5874-9895), Nicolás Díaz and Santiago López, each with a turno in the next days.
"""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain import booking as use_cases
from domain.accounts import Role
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, shop_key
from tests.web.admin import FACU, TINCHO, csrf_of, logged_in

pytestmark = pytest.mark.usefixtures("demo")


def listed(page: httpx.Response) -> list[str]:
    """The names a customers list shows, in order."""
    assert page.status_code == 200, page.text
    return re.findall(
        r'<a href="/admin/customers/\d+">\s*<span class="spread">\s*<strong>([^<]+)', page.text
    )


def link_to(page: httpx.Response, name: str) -> str:
    found = re.search(
        rf'<a href="(/admin/customers/\d+)">\s*<span class="spread">\s*<strong>{name}<', page.text
    )
    assert found, page.text
    return found[1]


async def book(web: httpx.AsyncClient, key: str, start: str, name: str, pro: int) -> int:
    body = {
        "service_id": 1,
        "professional_id": pro,
        "start": start,
        "customer": {"name": name, "phone": f"11 4444-{pro:04d}"},
    }
    made = await web.post(
        "/api/v1/shops/don-julio/bookings", json=body, headers={"Authorization": f"Bearer {key}"}
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


@pytest.fixture
async def key(engine: AsyncEngine, clock: FixedClock) -> str:
    return await shop_key(engine, "don-julio", clock.now())


@pytest.mark.parametrize("q", ["5874", "11 5874-9895", "011 15 5874-9895", "juan", "PÉREZ"])
async def test_the_owner_finds_a_customer_by_phone_or_name(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock, q: str
) -> None:
    await logged_in(web, uow_factory, clock, "dueno@x.test")

    assert listed(await web.get("/admin/customers", params={"q": q})) == ["Juan Pérez"]


async def test_the_whole_list_goes_by_name_and_a_search_without_matches_says_so(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock, "dueno@x.test")

    everyone = await web.get("/admin/customers")
    nobody = await web.get("/admin/customers", params={"q": "zzz"})

    assert listed(everyone) == ["Juan Pérez", "Nicolás Díaz", "Santiago López"]
    assert "+54 9 11 5874-9895" in everyone.text
    assert "No hay nadie que coincida con «zzz»." in nobody.text


async def test_a_customers_page_shows_turnos_figures_and_the_notes_the_owner_saves(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock, key: str
) -> None:
    done = await book(web, key, "2026-12-01T10:00:00-03:00", "Marta", TINCHO)
    missed = await book(web, key, "2026-12-01T10:30:00-03:00", "Marta", TINCHO)
    clock.advance(hours=2)
    await use_cases.complete(uow_factory, clock, done)
    await use_cases.mark_no_show(uow_factory, clock, missed)
    await logged_in(web, uow_factory, clock, "dueno@x.test")
    page_url = link_to(await web.get("/admin/customers", params={"q": "marta"}), "Marta")
    page = await web.get(page_url)

    saved = await web.post(
        f"{page_url}/notes", data={"csrf": csrf_of(page), "notes": "Corte bajo a los costados."}
    )
    after = await web.get(saved.headers["location"])

    assert page.status_code == 200
    for shown in ("Hecho", "No vino", "Corte · Tincho", "$\xa012.000", "Visitas", "Faltas"):
        assert shown in page.text, shown
    assert saved.status_code == 303
    assert "Notas guardadas." in after.text
    assert "Corte bajo a los costados.</textarea>" in after.text


async def test_notes_too_long_or_without_the_csrf_token_are_refused_and_kept_as_they_were(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock, "dueno@x.test")
    juan = link_to(await web.get("/admin/customers", params={"q": "juan"}), "Juan Pérez")
    page = await web.get(juan)

    long = await web.post(f"{juan}/notes", data={"csrf": csrf_of(page), "notes": "x" * 2001})
    forged = await web.post(f"{juan}/notes", data={"csrf": "guessed", "notes": "Hola"})
    after = await web.get(juan)

    assert long.status_code == 422
    assert "Las notas tienen como máximo 2000 caracteres." in long.text
    assert forged.status_code == 403
    assert "></textarea>" in after.text  # still empty


async def test_bad_searches_and_unknown_customers_answer_plainly(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock, "dueno@x.test")

    nul = await web.get("/admin/customers", params={"q": "ju\x00an"})
    cursor = await web.get("/admin/customers", params={"after": "not-a-cursor"})
    unknown = await web.get("/admin/customers/999")
    page = await web.get("/admin/customers")
    unknown_notes = await web.post(
        "/admin/customers/999/notes", data={"csrf": csrf_of(page), "notes": "x"}
    )

    assert (nul.status_code, cursor.status_code) == (422, 422)
    assert "No pude leer esa búsqueda." in nul.text
    assert unknown.status_code == 404
    assert unknown_notes.status_code == 404


async def test_a_professional_sees_only_the_customers_they_served_and_writes_no_notes(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock, key: str
) -> None:
    await book(web, key, "2026-12-02T16:00:00-03:00", "Marta", TINCHO)
    await book(web, key, "2026-12-02T17:00:00-03:00", "Pedro", FACU)
    await logged_in(web, uow_factory, clock, "owner@x.test")
    pedro = link_to(await web.get("/admin/customers", params={"q": "pedro"}), "Pedro")
    await web.post("/admin/logout", data={"csrf": csrf_of(await web.get("/admin/customers"))})
    await logged_in(web, uow_factory, clock, "tincho@x.test", Role.PROFESSIONAL, TINCHO)

    mine = await web.get("/admin/customers")
    search = await web.get("/admin/customers", params={"q": "pedro"})
    marta = await web.get(link_to(mine, "Marta"))
    theirs = await web.get(pedro)
    notes = await web.post(f"{pedro}/notes", data={"csrf": csrf_of(mine), "notes": "x"})
    my_notes = await web.post(
        f"{link_to(mine, 'Marta')}/notes", data={"csrf": csrf_of(mine), "notes": "x"}
    )

    assert "Marta" in listed(mine)
    assert "Pedro" not in listed(mine)
    assert listed(search) == []
    assert marta.status_code == 200
    assert "Solo tus turnos con este cliente." in marta.text
    assert 'name="notes"' not in marta.text
    assert theirs.status_code == 403
    assert (notes.status_code, my_notes.status_code) == (403, 403)
