"""The shop's people in the dashboard over HTTP: logins (owners only) invited by a one-time
link, turned off and on, given a new-password link; and the codes that link a professional's
or the owner's chat."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi import FastAPI

from domain.accounts import Role
from domain.storage.accounts import user_by_email
from domain.storage.channels import create_link_code, shop_staff_links, use_link_code
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock
from tests.web.admin import PASSWORD, Admin, admin, text_of
from tests.web.chat import pushes

pytestmark = pytest.mark.usefixtures("demo")
NEW_PASSWORD = "navaja-y-tijera-2027"


@pytest.fixture
async def owner(web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> Admin:
    return await admin(web, uow_factory, clock, "dueno@x.test", Role.OWNER)


def client(app: FastAPI) -> httpx.AsyncClient:
    """Another browser."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def one_time_path(text: str) -> str:
    """The path of the one-time link a page or a message shows."""
    found = re.search(r"https?://[^/\s\"]+(/admin/link/[A-Za-z0-9_-]+)", text)
    assert found, text
    return found[1]


async def choose_password(browser: httpx.AsyncClient, path: str) -> httpx.Response:
    return await browser.post(path, data={"password": NEW_PASSWORD, "again": NEW_PASSWORD})


async def test_an_invited_professional_chooses_a_password_and_gets_their_login(
    owner: Admin, app: FastAPI, uow_factory: UnitOfWorkFactory
) -> None:
    shown = await owner.post(
        "/admin/setup/users/invite",
        {"email": "Lu@X.test ", "role": "professional", "professional": "3"},
    )
    listed = text_of(await owner.get("/admin/setup/users"))

    assert shown.status_code == 200
    assert "Invitación para lu@x.test" in text_of(shown)
    assert "Invitaciones sin usar lu@x.test Profesional" in listed
    async with client(app) as lu:
        joined = await choose_password(lu, one_time_path(shown.text))
        assert joined.status_code == 303
        assert (await lu.get("/admin/setup")).status_code == 403  # a professional's login
    made = await user_by_email(uow_factory, "lu@x.test")
    assert made is not None
    assert (made.role, made.professional_id, made.shop_id) == (Role.PROFESSIONAL, 3, 1)
    assert "Invitaciones sin usar" not in text_of(await owner.get("/admin/setup/users"))


@pytest.mark.parametrize(
    ("form", "problem"),
    [
        ({"email": "dueno@x.test", "role": "manager"}, "Ya hay un usuario con ese email."),
        ({"email": "no es un email", "role": "manager"}, "Escribí una dirección de email."),
        ({"email": "lu@x.test", "role": "professional"}, "Elegí qué profesional es."),
        ({"email": "lu@x.test", "role": "operator"}, "Elegí un rol."),
    ],
)
async def test_a_bad_invitation_comes_back_with_its_problem_and_makes_no_link(
    owner: Admin, form: dict[str, str], problem: str
) -> None:
    refused = await owner.post("/admin/setup/users/invite", form)

    assert refused.status_code == 422
    assert problem in text_of(refused)
    assert "/admin/link/" not in refused.text


async def test_an_invitation_withdrawn_no_longer_works(owner: Admin, app: FastAPI) -> None:
    shown = await owner.post("/admin/setup/users/invite", {"email": "lu@x.test", "role": "manager"})
    listed = await owner.get("/admin/setup/users")
    invitation = re.search(r"/admin/setup/users/invitations/(\d+)/withdraw", listed.text)
    assert invitation

    await owner.post(f"/admin/setup/users/invitations/{invitation[1]}/withdraw")

    async with client(app) as lu:
        assert (await lu.get(one_time_path(shown.text))).status_code == 404


async def test_a_login_turned_off_is_out_at_once_and_back_in_when_turned_on(
    owner: Admin, app: FastAPI, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with client(app) as laptop:
        manager = await admin(laptop, uow_factory, clock, "encargado@x.test", Role.MANAGER)
        login = await user_by_email(uow_factory, "encargado@x.test")
        assert login is not None

        off = await owner.post(f"/admin/setup/users/{login.id}/disable")
        kicked = await manager.get("/admin/setup")
        listed = text_of(await owner.get("/admin/setup/users"))
        on = await owner.post(f"/admin/setup/users/{login.id}/enable")

        assert off.headers["location"].endswith("notice=turned_off")
        assert kicked.status_code == 303  # to the login page
        assert "encargado@x.test Encargado Desactivado" in listed
        assert on.headers["location"].endswith("notice=turned_on")
        again = await admin_again(laptop, "encargado@x.test")
        assert again.status_code == 303


async def admin_again(browser: httpx.AsyncClient, email: str) -> httpx.Response:
    form = await browser.get("/admin/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token
    return await browser.post(
        "/admin/login", data={"email": email, "password": PASSWORD, "csrf": token[1]}
    )


async def test_the_owner_cannot_turn_off_their_own_login(
    owner: Admin, uow_factory: UnitOfWorkFactory
) -> None:
    me = await user_by_email(uow_factory, "dueno@x.test")
    assert me is not None

    refused = await owner.post(f"/admin/setup/users/{me.id}/disable")

    assert refused.headers["location"].endswith("notice=not_yourself")
    assert (await owner.get("/admin/setup")).status_code == 200


async def test_a_managers_new_password_link_is_shown_and_an_owners_goes_to_the_owners_chat(
    owner: Admin,
    app: FastAPI,
    web: httpx.AsyncClient,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    async with client(app) as other:
        await admin(other, uow_factory, clock, "encargado@x.test", Role.MANAGER)
        await admin(other, uow_factory, clock, "socia@x.test", Role.OWNER)
    manager = await user_by_email(uow_factory, "encargado@x.test")
    partner = await user_by_email(uow_factory, "socia@x.test")
    assert manager is not None
    assert partner is not None
    code = await create_link_code(uow_factory, 1, None, clock.now())
    await use_link_code(uow_factory, code, "sandbox", "dueno-chat", clock.now())

    shown = await owner.post(f"/admin/setup/users/{manager.id}/reset")
    sent = await owner.post(f"/admin/setup/users/{partner.id}/reset")

    assert "Nueva contraseña para encargado@x.test" in text_of(shown)
    assert sent.headers["location"].endswith("notice=reset_sent")
    assert "/admin/link/" not in (await owner.get(sent.headers["location"])).text
    (message,) = await pushes(web, "dueno-chat")
    assert "socia@x.test" in message["text"]
    async with client(app) as partners_phone:
        changed = await choose_password(partners_phone, one_time_path(message["text"]))
        assert changed.status_code == 303
        assert (await partners_phone.get("/admin/setup/users")).status_code == 200


async def test_a_code_links_a_professionals_chat_which_can_be_unlinked(
    owner: Admin, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    shown = await owner.post("/admin/setup/links", {"professional": "1"})

    assert shown.status_code == 200
    words = text_of(shown)
    assert "Código de vinculación para Tincho" in words
    code = re.search(r"«vincular (\d{6})»", words)
    assert code
    assert "<svg" in shown.text  # the QR code, drawn by the server
    linked = await use_link_code(uow_factory, code[1], "sandbox", "tincho-chat", clock.now())
    assert linked is not None
    assert linked.professional_id == 1
    (chat,) = await shop_staff_links(uow_factory, 1)
    assert "Sandbox" in text_of(await owner.get("/admin/setup/links"))

    unlinked = await owner.post(f"/admin/setup/links/{chat.id}/unlink")

    assert unlinked.status_code == 303
    assert await shop_staff_links(uow_factory, 1) == []


async def test_a_manager_links_professionals_but_not_the_owners_chat(
    app: FastAPI, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    code = await create_link_code(uow_factory, 1, None, clock.now())
    await use_link_code(uow_factory, code, "sandbox", "dueno-chat", clock.now())
    (owners,) = await shop_staff_links(uow_factory, 1)
    async with client(app) as laptop:
        manager = await admin(laptop, uow_factory, clock, "encargado@x.test", Role.MANAGER)

        page = await manager.get("/admin/setup/links")
        for_tincho = await manager.post("/admin/setup/links", {"professional": "1"})
        for_owner = await manager.post("/admin/setup/links", {"professional": "owner"})
        unlink = await manager.post(f"/admin/setup/links/{owners.id}/unlink")

    assert "Vos, el dueño" not in text_of(page)
    assert for_tincho.status_code == 200
    assert for_owner.status_code == 404
    assert unlink.status_code == 404
    assert len(await shop_staff_links(uow_factory, 1)) == 1


async def test_only_owners_open_the_users(
    app: FastAPI, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with client(app) as laptop:
        manager = await admin(laptop, uow_factory, clock, "encargado@x.test", Role.MANAGER)
        refused = await manager.post(
            "/admin/setup/users/invite", {"email": "a@x.test", "role": "owner"}
        )

    assert refused.status_code == 403
