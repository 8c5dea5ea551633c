"""The sandbox channel: talk to the bot over plain JSON (and a small web page over it)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field, model_validator

from bot.catalog_cache import NoShop
from bot.channels.start_links import start_command
from bot.dispatcher import Dispatcher
from conversations.messages import UserMessage
from conversations.state import State
from domain.shops import SLUG
from domain.storage.channels import chat_exists, pushed_messages, shop_id_by_slug
from web.api.v1.schemas import RequestBody
from web.errors import error_response
from web.security_headers import nonce_of, with_nonce
from web.throttle import RATE_LIMITED, RateLimitsDep, client_address, rate_limited_response

router = APIRouter(prefix="/sandbox", tags=["sandbox"])
PAGE = Path(__file__).parent / "static" / "sandbox.html"
ChatId = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
ShopSlug = Annotated[str | None, Query(pattern=SLUG.pattern, description="The shop to talk to")]
TEXT_MAX_LENGTH = 20_000  # the page's <input maxlength> matches this (a test checks)
PUSHES_PER_PAGE = 50
# Outbox ids are 32-bit integers on PostgreSQL: a larger `after` is refused, not a 500.
MAX_OUTBOX_ID = 2**31 - 1


class SandboxIn(RequestBody):
    """What the person sends: free text, or the id of a choice they tapped."""

    text: str | None = Field(default=None, max_length=TEXT_MAX_LENGTH)
    choice: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _text_or_choice(self) -> SandboxIn:
        """One or the other (or neither: the bot re-prompts), never both."""
        if self.text is not None and self.choice is not None:
            raise ValueError("send either text or choice, not both")
        return self


class ChoiceOut(BaseModel):
    id: str
    label: str


class ReplyOut(BaseModel):
    text: str
    choices: list[ChoiceOut]


class SandboxOut(BaseModel):
    replies: list[ReplyOut]
    state: dict[str, Any]


class PushOut(ReplyOut):
    id: int


class PushesOut(BaseModel):
    pushes: list[PushOut]


def state_view(state: State) -> dict[str, Any]:
    """The part of the state outside tools look at (DESIGN.md's sandbox contract)."""
    draft = state.draft
    return {
        "step": state.step.value,
        "mode": draft.mode.value,
        "service_id": draft.service_id,
        "professional_id": draft.slot.professional_id if draft.slot else draft.professional_id,
        "any_professional": draft.any_professional,
        "day": draft.day.isoformat() if draft.day else None,
        "slot": draft.slot.start.isoformat() if draft.slot else None,
        "payment_method": draft.payment_method,
        "language": state.language,  # the customer's, once they wrote one plainly
    }


@router.post("/chats/{chat_id}/messages", response_model=SandboxOut, responses=RATE_LIMITED)
async def post_message(
    chat_id: ChatId, body: SandboxIn, request: Request, limits: RateLimitsDep, shop: ShopSlug = None
) -> Any:
    """Send a message as the customer of chat `chat_id`; get the bot's replies and state.

    `?shop=SLUG` (or a first message «/start shop_SLUG», as a Telegram deep link sends) talks
    to that shop; without either, the chat keeps its shop (a new one: the only or demo shop).
    429 past a budget: new chats per address, messages per chat.
    """
    new = chat_id not in limits.known_chats
    if new and await chat_exists(request.app.state.uow_factory, "sandbox", chat_id):
        new = False
        limits.known_chats.add(chat_id)
    wait = limits.sandbox_new_chats.hit(client_address(request)) if new else None
    if wait is not None:
        return rate_limited_response(wait, "too many new chats from your address; wait and retry")
    wait = limits.sandbox_chat.hit(chat_id)
    if wait is not None:
        return rate_limited_response(wait, "too many messages in this chat; wait and retry")
    dispatcher: Dispatcher = request.app.state.dispatcher
    text = body.text or ""
    started = start_command(text) if body.text else None
    if started is not None and started[0] == "shop" and shop is None:
        shop, text = started[1], "hola"  # a deep link opens the chat like a greeting
    shop_id = None
    if shop is not None:
        shop_id = await shop_id_by_slug(request.app.state.uow_factory, shop)
        if shop_id is None:
            return error_response(404, "not_found", f"no shop called {shop!r}")
    message = UserMessage(text=text, choice_id=body.choice)
    try:
        turn = await dispatcher.handle("sandbox", chat_id, message, shop_id=shop_id)
    except NoShop:
        return error_response(503, "no_shop", "no shop is set up yet: run `barberpro demo seed`")
    limits.known_chats.add(chat_id)  # its conversation row is written now
    replies = [
        ReplyOut(text=r.text, choices=[ChoiceOut(id=c.id, label=c.label) for c in r.choices])
        for r in turn.replies
    ]
    state = state_view(turn.state)
    if turn.shop is not None:
        state["shop"] = turn.shop.slug
    return SandboxOut(replies=replies, state=state)


@router.get("/chats/{chat_id}/pushes", response_model=PushesOut)
async def pushes(
    chat_id: ChatId,
    request: Request,
    after: Annotated[int, Query(ge=0, le=MAX_OUTBOX_ID)] = 0,
) -> Any:
    """What the bot said to chat `chat_id` unasked (reminders, offers) after push `after`.

    Oldest first, at most 50 a call: ask again with the last id until fewer come back.
    """
    found = await pushed_messages(
        request.app.state.uow_factory, "sandbox", chat_id, after, PUSHES_PER_PAGE
    )
    return PushesOut(
        pushes=[
            PushOut(
                id=push.id,
                text=str(push.payload.get("text", "")),
                choices=[
                    ChoiceOut(id=str(c["id"]), label=str(c["label"]))
                    for c in push.payload.get("choices", ())
                ],
            )
            for push in found
        ]
    )


@router.get("", response_class=HTMLResponse, include_in_schema=False)
async def page(request: Request, shop: ShopSlug = None) -> HTMLResponse:
    """A web chat over the same endpoint, for trying the bot in a browser (`?shop=SLUG`: that
    shop's chat)."""
    if shop is not None and await shop_id_by_slug(request.app.state.uow_factory, shop) is None:
        missing = f"<!doctype html><p>No hay ningún local «{html.escape(shop)}».</p>"
        return HTMLResponse(missing, 404)
    # Its inline script and style run under the CSP with this response's nonce.
    return HTMLResponse(with_nonce(PAGE.read_text(encoding="utf-8"), nonce_of(request.state)))
