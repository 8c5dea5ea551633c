"""The shop's inbox: what customers asked the chat to pass on ("hablar con alguien")."""

from __future__ import annotations

from fastapi import APIRouter

from domain.storage.chat import shop_messages
from web.api.v1.access import ShopReader
from web.api.v1.responses import ERRORS
from web.api.v1.schemas import MessageOut
from web.deps import UowDep

router = APIRouter(tags=["inbox"])


@router.get("/shops/{slug}/messages", responses=ERRORS)
async def list_messages(access: ShopReader, uow_factory: UowDep) -> list[MessageOut]:
    """Messages customers left for the shop from the chat ("hablar con alguien"), newest first."""
    shop = access.shop
    messages = await shop_messages(uow_factory, shop.id)
    return [MessageOut.from_message(m, shop.timezone) for m in messages]
