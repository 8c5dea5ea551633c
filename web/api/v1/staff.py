"""Linking the people who work at a shop to their Telegram or WhatsApp chat."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, StrictInt

from domain.errors import NotFound
from domain.storage.channels import LINK_CODE_TTL, create_link_code
from domain.storage.staff_trail import link_code_made
from web.acting import ApiUow
from web.api.v1.access import ShopAdmin
from web.api.v1.responses import BODY_ERRORS
from web.api.v1.schemas import RequestBody
from web.deps import ClockDep

router = APIRouter(tags=["staff"])


class LinkCodeIn(RequestBody):
    """Whose chat to link: a professional of the shop, or (no id) the owner."""

    professional_id: StrictInt | None = Field(default=None, ge=1, le=2**31 - 1)


class LinkCodeOut(BaseModel):
    """A one-time code: the person sends "vincular <code>" to the bot (or opens the link)."""

    code: str
    expires_at: datetime
    professional_id: int | None
    instructions: str
    telegram_link: str | None


@router.post("/shops/{slug}/link-codes", status_code=201, responses=BODY_ERRORS)
async def new_link_code(
    access: ShopAdmin,
    body: LinkCodeIn,
    request: Request,
    uow_factory: ApiUow,
    clock: ClockDep,
) -> LinkCodeOut:
    """A one-time code (valid 24 hours) that links a professional's or the owner's chat."""
    shop = access.shop
    if body.professional_id is not None:
        async with uow_factory.read_only() as uow:
            professionals = await uow.catalog.professionals(shop.id)
        if body.professional_id not in {p.id for p in professionals}:
            raise NotFound(f"no professional {body.professional_id} at {shop.slug}")
    now = clock.now()
    code = await create_link_code(uow_factory, shop.id, body.professional_id, now)
    await link_code_made(uow_factory, shop.id, body.professional_id, now)
    return LinkCodeOut(
        code=code,
        expires_at=now + LINK_CODE_TTL,
        professional_id=body.professional_id,
        instructions=link_instructions(code),
        telegram_link=telegram_link(request.app.state.channels, code),
    )


def link_instructions(code: str) -> str:
    """What the person does with the code."""
    return f'Send "vincular {code}" to the shop\'s bot on Telegram or WhatsApp (valid 24 hours).'


def telegram_link(channels: dict[str, object], code: str) -> str | None:
    """A t.me deep link that links the chat in one tap (when the bot is up)."""
    from bot.channels.telegram import TelegramChannel
    from bot.channels.telegram_format import deep_link

    telegram = channels.get("telegram")
    if not isinstance(telegram, TelegramChannel) or not telegram.username:
        return None
    return deep_link(telegram.username, "link", code)
