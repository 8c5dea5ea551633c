"""Setting the shop up in the dashboard over HTTP: the shop's details, services and prices,
professionals, their hours and time off, and its days. Forms with a problem come back with
it (422) and save nothing; no change cancels a turno.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. In the demo shop Tincho (1) works
Tuesday to Saturday 10-19 with lunch 14-15; Corte (1) costs $ 12.000.
"""

from __future__ import annotations

import httpx
import pytest

from domain.accounts import Role
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock
from tests.web.admin import Admin, admin, field_value, text_of

pytestmark = pytest.mark.usefixtures("demo")
TINCHO, CORTE = 1, 1
CORTE_FORM = {
    "name": "Corte",
    "price": "12.000",
    "duration_minutes": "30",
    "buffer_before_minutes": "0",
    "buffer_after_minutes": "0",
    "seats": "1",
    "professionals": ["1", "2", "3"],
    "deposit_kind": "none",
}


@pytest.fixture
async def owner(web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> Admin:
    return await admin(web, uow_factory, clock, "dueno@x.test", Role.OWNER)


async def price_of(owner: Admin, service_id: int) -> str:
    return field_value(await owner.get(f"/admin/setup/services/{service_id}"), "price")


async def test_a_price_typed_the_argentine_way_is_saved_exactly(owner: Admin) -> None:
    saved = await owner.post("/admin/setup/services/1", {**CORTE_FORM, "price": "15.500,50"})

    assert saved.status_code == 303
    assert saved.headers["location"] == "/admin/setup/services?notice=saved"
    listed = text_of(await owner.get(saved.headers["location"]))
    assert "Guardado." in listed
    assert "Corte 30 minutos · Tincho, Facu, Lu $ 15.500,50" in listed
    assert await price_of(owner, CORTE) == "15.500,50"


async def test_a_bad_service_comes_back_with_its_problems_and_nothing_is_saved(
    owner: Admin,
) -> None:
    refused = await owner.post(
        "/admin/setup/services/1",
        {**CORTE_FORM, "price": "doce mil", "duration_minutes": "0", "name": "Corte largo"},
    )

    assert refused.status_code == 422
    page = text_of(refused)
    assert "No se guardó nada" in page
    assert "Escribí el precio como 12000 o 12.000,50." in page
    assert "Escribí un número entero de 1 a 720." in page
    assert field_value(refused, "price") == "doce mil"  # shown back as typed
    assert field_value(refused, "name") == "Corte largo"
    assert await price_of(owner, CORTE) == "12.000"
    assert "Corte largo" not in text_of(await owner.get("/admin/setup/services"))


async def test_a_new_service_is_listed_with_its_price_seña_and_who_offers_it(
    owner: Admin,
) -> None:
    form = {
        **CORTE_FORM,
        "name": "Diseño de cejas",
        "price": "5000",
        "duration_minutes": "20",
        "professionals": ["3"],
        "deposit_kind": "percent",
        "deposit_percent": "50",
        "synonyms": "cejas, perfilado",
    }

    added = await owner.post("/admin/setup/services/new", form)
    taken = await owner.post("/admin/setup/services/new", {**form, "name": "diseño de CEJAS"})

    assert added.headers["location"] == "/admin/setup/services?notice=added"
    listed = text_of(await owner.get("/admin/setup/services"))
    assert "Diseño de cejas 20 minutos · Lu · seña $ 2.500,00 $ 5.000" in listed
    assert taken.status_code == 422
    assert "Ya hay otro servicio que se llama así." in text_of(taken)


async def test_an_archived_service_is_not_offered_and_comes_back_on_request(
    owner: Admin, web: httpx.AsyncClient
) -> None:
    archived = await owner.post("/admin/setup/services/2/archive")
    listed = text_of(await owner.get("/admin/setup/services"))
    restored = await owner.post("/admin/setup/services/2/restore")

    assert archived.headers["location"].endswith("notice=archived")
    assert "1 servicio archivado Barba" in listed
    assert restored.headers["location"].endswith("notice=restored")
    assert "archivado" not in text_of(await owner.get("/admin/setup/services"))


async def test_hours_with_a_break_are_saved_and_a_turno_now_outside_is_shown_not_cancelled(
    owner: Admin, web: httpx.AsyncClient
) -> None:
    booked = await owner.get("/admin/setup/professionals/1/hours")
    assert "fuera de horario" not in text_of(booked)
    week = {f"start-{d}": "" for d in range(7)} | {f"end-{d}": "" for d in range(7)}
    # Monday 10-13 and 15-19; Tuesday to Saturday 12-19 (the demo's turnos at 10 and 11 go out)
    week["start-0"], week["end-0"] = ["10:00", "15:00"], ["13:00", "19:00"]
    for day in range(1, 6):
        week[f"start-{day}"], week[f"end-{day}"] = "12:00", "19:00"

    saved = await owner.post("/admin/setup/professionals/1/hours", {**week, "action": "save"})

    assert saved.status_code == 303
    page = await owner.get(saved.headers["location"])
    assert page.text.count('value="10:00"') == 1
    assert page.text.count('value="15:00"') == 1
    assert page.text.count('value="12:00"') == 5
    words = text_of(page)
    assert "Guardado." in words
    assert "fuera de horario" in words
    assert "No se canceló nada" in words
    assert "Juan Pérez" in words  # the demo's Wednesday 11:00 Corte with Tincho


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ({"start-2": ["10:00", "12:00"], "end-2": ["13:00", "15:00"]}, "Se superpone"),
        ({"start-2": "13:00", "end-2": "10:00"}, "Tiene que terminar después de empezar."),
        ({"start-2": "10:00", "end-2": ""}, "Escribí las dos horas"),
    ],
)
async def test_bad_hours_come_back_naming_the_row_and_nothing_is_saved(
    owner: Admin, rows: dict[str, object], problem: str
) -> None:
    before = await owner.get("/admin/setup/professionals/1/hours")

    refused = await owner.post("/admin/setup/professionals/1/hours", rows)

    assert refused.status_code == 422
    assert problem in text_of(refused)
    assert 'aria-invalid="true"' in refused.text
    after = await owner.get("/admin/setup/professionals/1/hours")
    assert after.text.count('value="10:00"') == before.text.count('value="10:00"')


async def test_another_period_is_a_new_row_to_fill_and_nothing_is_saved_yet(
    owner: Admin,
) -> None:
    shown = await owner.post(
        "/admin/setup/professionals/1/hours",
        {"start-0": "10:00", "end-0": "13:00", "action": "add:0"},
    )

    assert shown.status_code == 200
    assert shown.text.count('name="start-0"') == 2
    assert 'value="13:00"' in shown.text  # the row typed stays
    assert "Libre" in text_of(await owner.get("/admin/setup/professionals/1/hours"))


async def test_time_off_is_added_listed_and_removed_and_its_turnos_are_shown(
    owner: Admin,
) -> None:
    absence = {"start": "2026-12-02T10:00", "end": "2026-12-02T13:00", "reason": "dentista"}
    backwards = await owner.post(
        "/admin/setup/professionals/1/time-off", {**absence, "end": "2026-12-02T09:00"}
    )
    added = await owner.post("/admin/setup/professionals/1/time-off", absence)
    page = await owner.get(added.headers["location"])

    assert backwards.status_code == 422
    assert "Tiene que terminar después de empezar." in text_of(backwards)
    words = text_of(page)
    assert "2/12 10:00 → 2/12 13:00 dentista" in words
    assert "Juan Pérez" in words  # Wednesday 11:00 falls in it: kept, shown
    entry = page.text.split("time-off/")[1].split("/remove")[0]
    removed = await owner.post(f"/admin/setup/professionals/1/time-off/{entry}/remove")
    assert "No hay ausencias por delante." in text_of(await owner.get(removed.headers["location"]))


async def test_a_professional_is_added_renamed_and_archived_keeping_their_turnos(
    owner: Admin,
) -> None:
    added = await owner.post(
        "/admin/setup/professionals/new", {"name": "Ana  Díaz", "nickname": "", "services": ["1"]}
    )
    assert added.status_code == 303
    assert added.headers["location"].endswith("/hours?notice=added")

    renamed = await owner.post(
        "/admin/setup/professionals/1",
        {"name": "Martín Gómez", "nickname": "Tincho G.", "services": ["1", "2"]},
    )
    archived = await owner.post("/admin/setup/professionals/1/archive")
    page = text_of(await owner.get(archived.headers["location"]))

    assert renamed.status_code == 303
    assert "Tincho G." in page
    assert "Archivado: no toma turnos." in page
    assert "Juan Pérez" in page  # their turnos to come: kept and shown
    listed = text_of(await owner.get("/admin/setup/professionals"))
    assert "Ana Díaz" in listed
    assert "Sin horarios todavía" in listed


async def test_closing_a_day_lists_its_turnos_and_opening_a_feriado_is_undone(
    owner: Admin,
) -> None:
    past = await owner.post("/admin/setup/days", {"day": "2026-11-30", "open": "0"})
    closed = await owner.post(
        "/admin/setup/days", {"day": "2026-12-03", "open": "0", "note": "Inventario"}
    )
    opened = await owner.post("/admin/setup/days", {"day": "2026-12-08", "open": "1"})
    page = text_of(await owner.get("/admin/setup/days"))

    assert past.status_code == 422
    assert "Elegí hoy o un día que viene." in text_of(past)
    assert closed.status_code == opened.status_code == 303
    assert "jueves 3 de diciembre Inventario Cerrado · decisión tuya" in page
    assert "martes 8 de diciembre Inmaculada Concepción de María Abierto · decisión tuya" in page
    assert "Nicolás Díaz" in page  # Thursday's turno: kept, shown
    undone = await owner.post("/admin/setup/days/clear", {"day": "2026-12-08"})
    assert undone.status_code == 303
    assert "Inmaculada Concepción de María Cerrado Abrir" in text_of(
        await owner.get("/admin/setup/days")
    )


async def test_the_shops_details_are_saved_and_bad_ones_come_back_with_their_problem(
    owner: Admin,
) -> None:
    page = await owner.get("/admin/setup/profile")
    form = {
        name: field_value(page, name)
        for name in (
            "name",
            "address",
            "maps_url",
            "contact_phone",
            "min_notice_minutes",
            "max_days_ahead",
            "free_cancellation_hours",
            "slot_step_minutes",
            "hold_minutes",
            "reminder_hours",
            "no_show_grace_minutes",
        )
    } | {"timezone": "America/Argentina/Buenos_Aires", "locale": "es_AR", "agenda_hour": "8"}

    refused = await owner.post(
        "/admin/setup/profile",
        {**form, "contact_phone": "no tengo", "hold_minutes": "0", "reminder_hours": "24, x"},
    )
    saved = await owner.post(
        "/admin/setup/profile",
        {
            **form,
            "address": "Av. Santa Fe 1234",
            "contact_phone": "11 5874-9895",
            "reminder_hours": "2, 24",
            "no_show_grace_minutes": "",
            "open_on_holidays": "on",
        },
    )

    assert refused.status_code == 422
    words = text_of(refused)
    assert "Ese número no parece correcto" in words
    assert "Escribí un número entero de 1 a 1440." in words
    assert "Hasta 4 números de horas" in words
    assert saved.status_code == 303
    after = await owner.get("/admin/setup/profile")
    assert field_value(after, "contact_phone") == "+5491158749895"
    assert field_value(after, "reminder_hours") == "24, 2"
    assert field_value(after, "no_show_grace_minutes") == ""
    assert 'name="open_on_holidays" value="on" checked' in after.text


async def test_comeback_nudges_are_turned_on_and_off(owner: Admin) -> None:
    on = await owner.post("/admin/setup/comeback", {"nudges": "on"})
    assert "Los avisos están prendidos." in text_of(await owner.get(on.headers["location"]))
    off = await owner.post("/admin/setup/comeback", {"nudges": "off"})
    assert "Los avisos están apagados." in text_of(await owner.get(off.headers["location"]))


async def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(owner: Admin) -> None:
    forged = await owner.post("/admin/setup/services/1", {**CORTE_FORM, "price": "1"}, csrf="x")
    missing = await owner.post("/admin/setup/services/1", {**CORTE_FORM, "price": "1"}, csrf="")

    assert forged.status_code == missing.status_code == 403
    assert await price_of(owner, CORTE) == "12.000"


async def test_another_shops_things_are_not_found(owner: Admin) -> None:
    for path in ("/admin/setup/services/99", "/admin/setup/professionals/99/hours"):
        answer = await owner.get(path)
        assert answer.status_code == 404, path
        assert "Tu local no tiene nada así." in text_of(answer)
