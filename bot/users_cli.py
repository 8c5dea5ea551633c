"""`barberpro user …`: dashboard logins from the command line, and the demo's owner login."""

from __future__ import annotations

import asyncio
import secrets
import sys
from datetime import timedelta
from enum import StrEnum
from typing import Annotated

import typer

from bot.clock import SystemClock
from bot.passwords import hash_password
from bot.settings import Settings, get_settings
from domain.accounts import Role, check_password, clean_email
from domain.audit import Acting, Actor
from domain.errors import DomainError
from domain.storage.accounts import (
    OneTimeLink,
    create_user,
    make_link,
    set_password,
    user_by_email,
)
from domain.storage.uow import UnitOfWorkFactory

user_app = typer.Typer(help="Dashboard logins.", no_args_is_help=True)
RESET_VALID = timedelta(hours=24)
DEMO_OWNER = "dueno@donjulio.demo"


class ShopRole(StrEnum):
    """The roles a shop's login can have (the CLI's choices)."""

    OWNER = "owner"
    MANAGER = "manager"
    PROFESSIONAL = "professional"


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Argument(help="Their email: the login's name.")],
    shop: Annotated[str | None, typer.Option(help="The shop (slug) they belong to.")] = None,
    role: Annotated[
        ShopRole, typer.Option(help="owner: all; manager: all but users and money; professional.")
    ] = ShopRole.OWNER,
    professional: Annotated[
        str | None, typer.Option(help="For --role professional: their name, nickname or id.")
    ] = None,
    platform: Annotated[bool, typer.Option(help="An operator: sees every shop.")] = False,
) -> None:
    """Create a dashboard login; the password is asked twice (or read from stdin, one line)."""
    from bot.cli import _professional_id, _shop_id, _with_database

    if platform == (shop is not None):
        raise typer.BadParameter("give either --shop SLUG or --platform")
    if (professional is not None) != (role is ShopRole.PROFESSIONAL and not platform):
        raise typer.BadParameter("--professional goes with --role professional (and only then)")
    try:
        address = clean_email(email)
        password = check_password(_read_password())
    except DomainError as error:
        raise typer.BadParameter(str(error)) from None
    hashed = hash_password(password)

    async def create(uow_factory: UnitOfWorkFactory) -> None:
        shop_id = None if shop is None else await _shop_id(uow_factory, shop)
        pro_id = None
        if professional is not None and shop_id is not None:
            pro_id = await _professional_id(uow_factory, shop_id, professional)
        given = Role.OPERATOR if platform else Role(role.value)
        now = SystemClock().now()
        audited = uow_factory.acting(Acting(Actor.cli(), now))
        await create_user(audited, address, hashed, given, shop_id, now, pro_id)

    try:
        asyncio.run(_with_database(get_settings(), create))
    except DomainError as error:
        raise typer.BadParameter(str(error)) from None
    typer.echo(f"Login {address} created. Open {get_settings().public_url}/admin")


@user_app.command("reset")
def user_reset(email: Annotated[str, typer.Argument(help="The login's email.")]) -> None:
    """Print a one-time link (valid 24 hours) that sets a new password."""
    from bot.cli import _with_database

    settings = get_settings()

    async def link(uow_factory: UnitOfWorkFactory) -> str | None:
        user = await user_by_email(uow_factory, email.strip().lower())
        if user is None:
            return None
        one = OneTimeLink("reset", user.email, user.role, user.shop_id, user.professional_id)
        return await make_link(uow_factory, one, SystemClock().now(), RESET_VALID)

    secret = asyncio.run(_with_database(settings, link))
    if secret is None:
        raise typer.BadParameter(f"no login {email!r}")
    typer.echo(f"{settings.public_url}/admin/link/{secret}  (valid 24 hours, once)")


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\n")


async def demo_login(settings: Settings, shop_id: int) -> tuple[str, str]:
    """The demo shop's owner login with a new password each start: (email, password)."""
    from bot.cli import _with_database

    password = secrets.token_urlsafe(9)
    hashed = await asyncio.to_thread(hash_password, password)

    async def ensure(uow_factory: UnitOfWorkFactory) -> None:
        now = SystemClock().now()
        user = await user_by_email(uow_factory, DEMO_OWNER)
        if user is None:
            await create_user(uow_factory, DEMO_OWNER, hashed, Role.OWNER, shop_id, now)
        else:
            await set_password(uow_factory, user.id, hashed, now)

    await _with_database(settings, ensure)
    return DEMO_OWNER, password
