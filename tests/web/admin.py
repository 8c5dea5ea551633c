"""A dashboard user over HTTP: logged in through the login form, reading pages and posting
forms with the session's CSRF token."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

import httpx

from bot.passwords import hash_password
from domain.accounts import Role
from domain.storage.accounts import create_user, session_by_secret
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock

PASSWORD = "tijera-y-peine-2026"
TINCHO, FACU = 1, 2  # the demo shop's professionals


@dataclass
class Admin:
    """A logged-in browser (its own cookie jar) and its session's CSRF token."""

    web: httpx.AsyncClient
    csrf: str

    async def get(self, path: str) -> httpx.Response:
        """A page."""
        return await self.web.get(path)

    async def post(
        self, path: str, data: dict[str, Any] | None = None, *, csrf: str | None = None
    ) -> httpx.Response:
        """A form posted with the session's token (or the one given; "" sends none)."""
        fields = dict(data or {})
        token = self.csrf if csrf is None else csrf
        if token:
            fields["csrf"] = token
        return await self.web.post(path, data=fields)


async def admin(
    web: httpx.AsyncClient,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    email: str,
    role: Role,
    professional_id: int | None = None,
) -> Admin:
    """A login of the demo shop (shop 1) with PASSWORD, logged in on `web`."""
    hashed = await asyncio.to_thread(hash_password, PASSWORD)
    await create_user(uow_factory, email, hashed, role, 1, clock.now(), professional_id)
    form = await web.get("/admin/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token, form.text
    logged = await web.post(
        "/admin/login", data={"email": email, "password": PASSWORD, "csrf": token[1]}
    )
    assert logged.status_code == 303, logged.text
    session = await session_by_secret(uow_factory, web.cookies["bp_admin"], clock.now())
    assert session is not None
    return Admin(web, session.csrf_token)


def text_of(page: httpx.Response) -> str:
    """A page's words, tags dropped and spaces collapsed (entities as the browser shows)."""
    words = re.sub(r"<[^>]+>", " ", page.text)
    words = words.replace("&#39;", "'").replace("&quot;", '"').replace("&amp;", "&")
    return " ".join(words.split())


def field_value(page: httpx.Response, name: str) -> str:
    """The value an input of the page shows."""
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', page.text)
    assert found, f"no field {name}"
    return found[1]


async def logged_in(
    web: httpx.AsyncClient,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    email: str,
    role: Role = Role.OWNER,
    professional_id: int | None = None,
) -> None:
    """A login of the demo shop (shop 1) with `role`, and `web` logged in with it."""
    await admin(web, uow_factory, clock, email, role, professional_id)


def csrf_of(page: httpx.Response) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found[1]
