"""The audit trail covers every dashboard and REST write and every security event: inbox
replies (by ids, never the text), turnos marked done or no-show, time blocked from the agenda,
staff link codes and chats, comeback nudges, an operator entering a shop, a shop's first key,
invitations accepted, passwords set by link, a wrong password on the money's destination.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires (tests/web/test_audit.py has the rest).
"""

from __future__ import annotations

import asyncio
import json
import re

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.passwords import hash_password
from domain.access import Scope
from domain.accounts import Role
from domain.storage.accounts import create_user
from domain.storage.channels import shop_staff_links, use_link_code
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, platform_key, shop_key
from tests.web.admin import PASSWORD, Admin, admin, csrf_of, text_of
from tests.web.agenda_support import TINCHO, at, book, later
from tests.web.chat import customer, taps
from tests.web.owner import auth
from tests.web.trail import rows_of, trail

pytestmark = pytest.mark.usefixtures("demo")
SHOP = "/api/v1/shops/don-julio"
QUESTION = "¿Puedo ir con mi hijo de 5 años?"
NEW_PASSWORD = "navaja-y-tijera-2027"


@pytest.fixture
async def key(engine: AsyncEngine, clock: FixedClock) -> dict[str, str]:
    """The demo shop's admin key, called «caja»."""
    return auth(await shop_key(engine, "don-julio", clock.now(), Scope.ADMIN, name="caja"))


@pytest.fixture
async def owner(web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> Admin:
    """The demo shop's owner, logged in to the dashboard."""
    return await admin(web, uow_factory, clock, "ana@x.test", Role.OWNER)


def browser(app: FastAPI) -> httpx.AsyncClient:
    """Another browser, with no session."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def a_question(web: httpx.AsyncClient, key: dict[str, str]) -> int:
    """Martina asks the chat to pass a question on; the message's id."""
    chat = await customer(web, "martina", "Martina")
    await taps(chat, "Hablar con alguien")
    await chat.say(QUESTION)
    [message] = (await web.get(f"{SHOP}/messages", headers=key)).json()
    message_id: int = message["id"]
    return message_id


async def test_a_message_read_and_answered_through_the_api_is_in_the_trail_by_ids_only(
    web: httpx.AsyncClient, key: dict[str, str]
) -> None:
    message_id = await a_question(web, key)

    read = await web.post(f"{SHOP}/messages/{message_id}/read", headers=key)
    again = await web.post(f"{SHOP}/messages/{message_id}/read", headers=key)
    answered = await web.post(
        f"{SHOP}/messages/{message_id}/reply", headers=key, json={"text": "¡Claro! Traelo."}
    )

    assert (read.status_code, again.status_code, answered.status_code) == (200, 200, 201)
    rows = (await trail(web, key))["items"]
    assert [(r["action"], r["subject"]) for r in rows] == [
        ("message.replied", f"message:{message_id}"),
        ("message.read", f"message:{message_id}"),  # once: read again changes nothing
    ]
    assert rows[0]["after"] == {"reply_id": answered.json()["id"]}
    assert (rows[1]["before"], rows[1]["after"]) == ({"read": False}, {"read": True})
    assert re.fullmatch(r"key:\d+ caja", rows[0]["actor"])
    words = json.dumps(rows, ensure_ascii=False)
    for private in ("Traelo", "hijo", "martina", "Martina"):
        assert private not in words


async def test_a_message_opened_and_answered_in_the_dashboard_is_in_the_trail(
    web: httpx.AsyncClient, key: dict[str, str], owner: Admin
) -> None:
    message_id = await a_question(web, key)

    opened = await owner.get(f"/admin/inbox/{message_id}")
    sent = await owner.post(f"/admin/inbox/{message_id}/reply", {"text": "Te espero"})

    assert (opened.status_code, sent.status_code) == (200, 303)
    rows = await rows_of(web, key, "message.")
    assert [(r["action"], r["source"], r["actor"]) for r in rows] == [
        ("message.replied", "dashboard", rows[0]["actor"]),
        ("message.read", "dashboard", rows[0]["actor"]),
    ]
    assert rows[0]["actor"].endswith(" ana@x.test")
    assert "Te espero" not in json.dumps(rows, ensure_ascii=False)


async def test_turnos_marked_done_and_no_show_in_the_dashboard_are_in_the_trail(
    web: httpx.AsyncClient,
    key: dict[str, str],
    owner: Admin,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    came = await book(uow_factory, clock, at(10), TINCHO, "Ana Gómez")
    missed = await book(uow_factory, clock, at(10, 30), TINCHO, "Bruno Díaz", "11 4000-2222")
    await later(web, clock, 95)  # 10:35: both started

    done = await owner.post(f"/admin/agenda/turnos/{came.id}/done")
    no_show = await owner.post(f"/admin/agenda/turnos/{missed.id}/no-show")

    assert (done.status_code, no_show.status_code) == (303, 303)
    rows = await rows_of(web, key, "booking.")
    assert [(r["action"], r["subject"], r["before"], r["after"]) for r in rows] == [
        ("booking.no_show", f"booking:{missed.id}", {"status": "confirmed"}, {"status": "no_show"}),
        (
            "booking.completed",
            f"booking:{came.id}",
            {"status": "confirmed"},
            {"status": "completed"},
        ),
    ]
    assert all(r["actor"].endswith(" ana@x.test") for r in rows)
    words = text_of(await owner.get("/admin/audit"))
    assert "Turno marcado como hecho" in words
    assert "Turno marcado: no vino" in words


async def test_time_blocked_from_the_agenda_is_in_the_trail(
    web: httpx.AsyncClient, key: dict[str, str], owner: Admin
) -> None:
    blocked = await owner.post(
        "/admin/agenda/block",
        {
            "pro": str(TINCHO),
            "day": "2026-12-01",
            "start": "13:00",
            "end": "14:00",
            "reason": "Dentista",
        },
    )

    assert blocked.status_code == 303, blocked.text
    [row] = await rows_of(web, key, "time_off.")
    assert row["action"] == "time_off.added"
    assert row["source"] == "dashboard"
    assert row["after"] == {
        "starts_at": "2026-12-01T16:00:00+00:00",
        "ends_at": "2026-12-01T17:00:00+00:00",
        "reason": "Dentista",
    }


async def test_link_codes_made_through_the_api_and_the_dashboard_are_in_the_trail_not_the_code(
    web: httpx.AsyncClient, key: dict[str, str], owner: Admin
) -> None:
    made = await web.post(f"{SHOP}/link-codes", headers=key, json={"professional_id": TINCHO})
    shown = await owner.post("/admin/setup/links", {"professional": "owner"})

    assert made.status_code == 201, made.text
    shown_code = re.search(r"«vincular (\d{6})»", text_of(shown))
    assert shown_code, text_of(shown)
    rows = await rows_of(web, key, "link_code.")
    assert [(r["action"], r["subject"], r["source"]) for r in rows] == [
        ("link_code.created", "staff:owner", "dashboard"),
        ("link_code.created", f"staff:professional:{TINCHO}", "api"),
    ]
    assert all(set(r["after"]) == {"expires_at"} for r in rows)
    words = json.dumps(rows)
    assert made.json()["code"] not in words
    assert shown_code[1] not in words


async def test_a_staff_chat_unlinked_from_the_dashboard_is_in_the_trail_without_its_chat_id(
    web: httpx.AsyncClient,
    key: dict[str, str],
    owner: Admin,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    shown = await owner.post("/admin/setup/links", {"professional": str(TINCHO)})
    code = re.search(r"«vincular (\d{6})»", text_of(shown))
    assert code
    assert await use_link_code(uow_factory, code[1], "sandbox", "tincho-chat-4711", clock.now())
    (chat,) = await shop_staff_links(uow_factory, 1)

    unlinked = await owner.post(f"/admin/setup/links/{chat.id}/unlink")

    assert unlinked.status_code == 303
    [row] = await rows_of(web, key, "staff.")
    assert (row["action"], row["subject"]) == ("staff.unlinked", f"staff_link:{chat.id}")
    assert row["before"] == {"channel": "sandbox", "staff": f"staff:professional:{TINCHO}"}
    assert row["after"] is None
    assert "4711" not in json.dumps(row)


async def test_comeback_nudges_turned_off_and_on_are_in_the_trail_when_they_change(
    web: httpx.AsyncClient, key: dict[str, str], owner: Admin
) -> None:
    for nudges in ("off", "off", "on"):  # the demo shop has them on
        saved = await owner.post("/admin/setup/comeback", {"nudges": nudges})
        assert saved.status_code == 303

    rows = await rows_of(web, key, "shop.comeback")
    assert [(r["before"], r["after"]) for r in rows] == [
        ({"comeback_nudges": False}, {"comeback_nudges": True}),
        ({"comeback_nudges": True}, {"comeback_nudges": False}),  # the second «off»: no row
    ]


async def test_a_wrong_password_for_the_moneys_destination_is_in_the_trail_without_it(
    web: httpx.AsyncClient, key: dict[str, str], owner: Admin
) -> None:
    wrong = await owner.post(
        "/admin/setup/payments/destination",
        {"transfer_account": "0000003100000000123459", "password": "no-es-esta"},
    )

    assert wrong.status_code == 422
    [row] = await rows_of(web, key, "auth.password_failed")
    assert row["actor"].endswith(" ana@x.test")
    assert row["subject"] == row["actor"].split(" ")[0]  # the user's own account
    assert row["after"] == {"asked_for": "payments.destination"}
    assert "no-es-esta" not in json.dumps(row)
    assert "123459" not in json.dumps(row)


async def test_an_invitation_accepted_is_a_new_login_in_the_trail_by_its_link(
    app: FastAPI, web: httpx.AsyncClient, key: dict[str, str], owner: Admin
) -> None:
    shown = await owner.post(
        "/admin/setup/users/invite", {"email": "caja@x.test", "role": "manager"}
    )
    link = re.search(r"/admin/link/([A-Za-z0-9_-]+)", shown.text)
    assert link, shown.text

    async with browser(app) as newcomer:
        joined = await newcomer.post(
            f"/admin/link/{link[1]}", data={"password": NEW_PASSWORD, "again": NEW_PASSWORD}
        )

    assert joined.status_code == 303
    login, made, invited = (await trail(web, key))["items"][:3]
    assert (login["action"], made["action"], invited["action"]) == (
        "auth.login",
        "user.created",
        "user.invite",
    )
    assert made["actor"] == f"{invited['subject']} caja@x.test"  # the invitation's link
    assert made["source"] == "dashboard"
    assert made["after"] == {"email": "caja@x.test", "role": "manager", "professional_id": None}
    assert login["actor"] == f"{made['subject']} caja@x.test"  # the new login, logged in
    words = json.dumps([login, made])
    assert NEW_PASSWORD not in words
    assert link[1] not in words


async def test_a_password_set_by_a_reset_link_is_in_the_trail_by_its_owner(
    app: FastAPI,
    web: httpx.AsyncClient,
    key: dict[str, str],
    owner: Admin,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    hashed = await asyncio.to_thread(hash_password, PASSWORD)
    manager = await create_user(
        uow_factory, "encargado@x.test", hashed, Role.MANAGER, 1, clock.now()
    )
    shown = await owner.post(f"/admin/setup/users/{manager.id}/reset")
    link = re.search(r"/admin/link/([A-Za-z0-9_-]+)", shown.text)
    assert link, shown.text

    async with browser(app) as laptop:
        changed = await laptop.post(
            f"/admin/link/{link[1]}", data={"password": NEW_PASSWORD, "again": NEW_PASSWORD}
        )

    assert changed.status_code == 303
    login, password_set, reset = (await trail(web, key))["items"][:3]
    assert [r["action"] for r in (login, password_set, reset)] == [
        "auth.login",
        "user.password_set",
        "user.reset",
    ]
    assert password_set["subject"] == f"user:{manager.id}"
    assert password_set["actor"] == f"user:{manager.id} encargado@x.test"
    assert (password_set["before"], password_set["after"]) == (None, None)
    assert reset["actor"].endswith(" ana@x.test")


async def test_an_operator_entering_a_shop_is_in_that_shops_trail(
    web: httpx.AsyncClient, key: dict[str, str], uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    hashed = await asyncio.to_thread(hash_password, PASSWORD)
    operator = await create_user(
        uow_factory, "ops@x.test", hashed, Role.OPERATOR, None, clock.now()
    )
    form = await web.get("/admin/login")
    data = {"email": "ops@x.test", "password": PASSWORD, "csrf": csrf_of(form)}
    assert (await web.post("/admin/login", data=data)).status_code == 303
    shops = await web.get("/admin/shops")

    chosen = await web.post("/admin/shops", data={"csrf": csrf_of(shops), "slug": "don-julio"})

    assert chosen.status_code == 303
    [row] = (await trail(web, key))["items"]  # the operator's login is the platform's
    assert row["action"] == "auth.shop_entered"
    assert row["subject"] == "shop:1"
    assert row["actor"] == f"user:{operator.id} ops@x.test"


async def test_a_shop_created_through_the_api_has_its_first_key_in_its_trail(
    web: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock
) -> None:
    platform = auth(await platform_key(engine, clock.now(), name="plataforma"))

    made = await web.post(
        "/api/v1/shops", headers=platform, json={"slug": "nueva", "name": "Barbería Nueva"}
    )

    assert made.status_code == 201, made.text
    secret = made.json()["api_key"]["key"]
    rows = (await trail(web, auth(secret), "nueva"))["items"]
    assert [r["action"] for r in rows] == ["key.created", "shop.created"]
    assert rows[0]["after"]["scope"] == "admin"
    assert all(re.fullmatch(r"key:\d+ plataforma", r["actor"]) for r in rows)
    assert secret not in json.dumps(rows)
