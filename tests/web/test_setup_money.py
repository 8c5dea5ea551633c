"""Getting paid, in the dashboard over HTTP: anyone who sets the shop up chooses how customers
pay; where the money goes is the owner's alone, asks for their password again (throttled like
a login) and tells the owner's linked chat. A professional opens none of it."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from domain.accounts import Role
from domain.storage.channels import create_link_code, use_link_code
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock
from tests.web.admin import PASSWORD, Admin, admin, field_value, text_of
from tests.web.chat import pushes

pytestmark = pytest.mark.usefixtures("demo")
CBU = "2850590940090418135201"  # the demo shop's
CVU = "0000003100000000123459"
DESTINATION = {
    "transfer_alias": "don.julio.cobros",
    "transfer_account": CVU,
    "cuit": "20-26756539-3",
}


@pytest.fixture
async def owner(web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> Admin:
    return await admin(web, uow_factory, clock, "dueno@x.test", Role.OWNER)


async def another(
    app: FastAPI,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    email: str,
    role: Role,
    professional_id: int | None = None,
) -> Admin:
    """Another browser, logged in as someone else of the shop."""
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
    return await admin(client, uow_factory, clock, email, role, professional_id)


async def owners_chat(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> str:
    """A sandbox chat linked as the owner's, with a code as the dashboard makes them."""
    code = await create_link_code(uow_factory, 1, None, clock.now())
    assert await use_link_code(uow_factory, code, "sandbox", "dueno-chat", clock.now())
    return "dueno-chat"


async def test_changing_where_the_money_goes_asks_for_the_password_and_tells_the_owners_chat(
    owner: Admin, web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    chat = await owners_chat(uow_factory, clock)

    wrong = await owner.post(
        "/admin/setup/payments/destination", {**DESTINATION, "password": "no-es-esta"}
    )
    assert wrong.status_code == 422
    assert "Esa no es tu contraseña. No se cambió nada." in text_of(wrong)
    assert field_value(await owner.get("/admin/setup/payments"), "transfer_account") == CBU
    assert await pushes(web, chat) == []

    right = await owner.post(
        "/admin/setup/payments/destination", {**DESTINATION, "password": PASSWORD}
    )

    assert right.headers["location"] == "/admin/setup/payments?notice=money_told"
    page = await owner.get(right.headers["location"])
    assert "Le avisamos del cambio a tu chat vinculado." in text_of(page)
    assert field_value(page, "transfer_account") == CVU
    assert field_value(page, "transfer_alias") == "don.julio.cobros"
    (told,) = await pushes(web, chat)
    assert told["text"].startswith(
        "🔐 Barbería Don Julio (Palermo): cambió la cuenta de cobro: "
        "el CBU/CVU …3459, el alias …bros, desde el panel por due@…"
    )
    assert CVU not in told["text"]  # a notification shows the last 4 only


async def test_bad_details_come_back_with_their_problem_before_any_password(owner: Admin) -> None:
    refused = await owner.post(
        "/admin/setup/payments/destination",
        {
            "transfer_alias": "ab",
            "transfer_account": "2810590940090418135201",
            "cuit": "20-26756539-4",
            "password": PASSWORD,
        },
    )

    assert refused.status_code == 422
    words = text_of(refused)
    assert "Un alias tiene de 6 a 20 letras" in words
    assert "Eso no es un CBU ni un CVU" in words
    assert "Ese CUIT no es válido" in words
    assert field_value(refused, "transfer_alias") == "ab"


async def test_the_same_details_again_change_nothing_and_need_no_password(owner: Admin) -> None:
    same = {"transfer_alias": "DON.JULIO.BARBER", "transfer_account": CBU, "cuit": "20267565393"}

    unchanged = await owner.post("/admin/setup/payments/destination", same)

    assert unchanged.headers["location"].endswith("notice=unchanged")


async def test_wrong_passwords_are_throttled_like_a_login(owner: Admin) -> None:
    for _ in range(5):
        await owner.post("/admin/setup/payments/destination", {**DESTINATION, "password": "no"})

    late = await owner.post(
        "/admin/setup/payments/destination", {**DESTINATION, "password": PASSWORD}
    )

    assert late.status_code == 422
    assert "Demasiadas contraseñas incorrectas" in text_of(late)


async def test_without_a_linked_chat_the_owner_is_told_to_link_one(owner: Admin) -> None:
    saved = await owner.post(
        "/admin/setup/payments/destination", {**DESTINATION, "password": PASSWORD}
    )

    assert saved.headers["location"].endswith("notice=money_untold")
    assert "Vinculá tu chat" in text_of(await owner.get(saved.headers["location"]))


async def test_a_shop_that_takes_transfers_keeps_somewhere_to_send_them(owner: Admin) -> None:
    nowhere = {"transfer_alias": "", "transfer_account": "", "cuit": "", "password": PASSWORD}

    refused = await owner.post("/admin/setup/payments/destination", nowhere)

    assert refused.status_code == 422
    words = text_of(refused)
    assert "Para aceptar transferencias el local necesita un alias o un CBU/CVU." in words
    assert field_value(await owner.get("/admin/setup/payments"), "transfer_account") == CBU


async def test_a_manager_chooses_how_customers_pay_but_only_reads_where_the_money_goes(
    app: FastAPI, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    manager = await another(app, uow_factory, clock, "encargado@x.test", Role.MANAGER)
    ways = {
        "methods": ["cash", "mercadopago"],
        "max_cuotas": "6",
        "cash_confirms": "0",
        "deposit_when": "new",
    }

    page = await manager.get("/admin/setup/payments")
    saved = await manager.post("/admin/setup/payments", ways)
    refused = await manager.post(
        "/admin/setup/payments/destination", {**DESTINATION, "password": PASSWORD}
    )
    users = await manager.get("/admin/setup/users")

    assert page.status_code == 200
    assert "Solo el dueño puede cambiar a dónde llega la plata." in text_of(page)
    assert 'name="transfer_account"' not in page.text
    assert saved.status_code == 303
    after = await manager.get("/admin/setup/payments")
    assert '<option value="6" selected>' in after.text
    assert 'value="0" checked' in after.text
    assert refused.status_code == 403
    assert users.status_code == 403
    assert "Usuarios" not in text_of(await manager.get("/admin/setup"))
    await manager.web.aclose()


async def test_a_professional_opens_no_part_of_the_setup(
    app: FastAPI, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    tincho = await another(app, uow_factory, clock, "tincho@x.test", Role.PROFESSIONAL, 1)

    for path in ("/admin/setup", "/admin/setup/payments", "/admin/setup/services/1"):
        refused = await tincho.get(path)
        assert refused.status_code == 403, path
        assert "Tu rol en el local no abre esta página." in refused.text
    posted = await tincho.post("/admin/setup/payments", {"methods": ["cash"], "max_cuotas": "1"})
    assert posted.status_code == 403
    await tincho.web.aclose()
