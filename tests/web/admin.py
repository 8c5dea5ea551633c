"""Dashboard logins over HTTP for the page tests: a user of the demo shop, logged in."""

from __future__ import annotations

import asyncio
import re

import httpx

from bot.passwords import hash_password
from domain.accounts import Role
from domain.storage.accounts import create_user
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock

PASSWORD = "tijera-y-peine-2026"
TINCHO, FACU = 1, 2  # the demo shop's professionals


async def logged_in(
    web: httpx.AsyncClient,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    email: str,
    role: Role = Role.OWNER,
    professional_id: int | None = None,
) -> None:
    """A login of the demo shop (shop 1) with `role`, and `web` logged in with it."""
    hashed = await asyncio.to_thread(hash_password, PASSWORD)
    await create_user(uow_factory, email, hashed, role, 1, clock.now(), professional_id)
    form = await web.get("/admin/login")
    answer = await web.post(
        "/admin/login",
        data={"email": email, "password": PASSWORD, "csrf": csrf_of(form), "next": "/admin"},
    )
    assert answer.status_code == 303, answer.text


def csrf_of(page: httpx.Response) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found[1]
