"""The inbox: what customers asked the chat to pass on («hablar con alguien»), newest first;
a message opened is read, and a reply goes to the customer's own chat."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from bot.inbox import MAX_REPLY, ChannelOff, answer_message
from domain.accounts import Area
from domain.errors import InvalidRequest, NotFound
from domain.storage.inbox import mark_read, shop_message, shop_messages
from web.acting import DashboardUow, viewer_uow
from web.api.v1.access import RowId
from web.dashboard.pages import N_, page
from web.dashboard.sessions import Allowed, Viewer
from web.deps import ClockDep, UowDep

router = APIRouter(prefix="/admin/inbox", include_in_schema=False)
InboxViewer = Annotated[Viewer, Depends(Allowed(Area.INBOX))]
# The problems a reply can meet, as the page says them (msgids).
PROBLEMS = {
    "empty": N_("Write something to send."),
    "long": N_("That is too long: a reply has at most %(max)d characters."),
}


@router.get("")
async def inbox(
    request: Request, who: InboxViewer, uow_factory: UowDep, clock: ClockDep
) -> Response:
    """The latest messages, newest first, the unread ones marked."""
    messages = await shop_messages(uow_factory, who.shop.id)
    return await page(
        request,
        who,
        "inbox.html",
        active=Area.INBOX,
        title=N_("Messages"),
        messages=messages,
        now=clock.now(),
    )


@router.get("/{message_id}")
async def thread(
    request: Request, who: InboxViewer, message_id: RowId, uow_factory: UowDep, clock: ClockDep
) -> Response:
    """One message and the shop's replies, with a box to answer; opening it marks it read
    (in the audit trail, as read by this user, the first time)."""
    try:
        await mark_read(viewer_uow(request, who, clock), who.shop.id, message_id, clock.now())
    except NotFound:
        return await _missing(request, who)
    sent = request.query_params.get("sent") == "1"
    return await _thread(request, who, uow_factory, message_id, sent=sent)


@router.post("/{message_id}/reply")
async def reply(
    request: Request,
    who: InboxViewer,
    message_id: RowId,
    uow_factory: DashboardUow,
    clock: ClockDep,
    text: Annotated[str, Form(max_length=MAX_REPLY * 4)] = "",
) -> Response:
    """Send the reply to the customer's chat; a channel that is off keeps the text here."""
    channels = request.app.state.channels
    try:
        await answer_message(uow_factory, channels, who.shop, message_id, text, clock.now())
    except NotFound:
        return await _missing(request, who)
    except ChannelOff as off:
        return await _thread(request, who, uow_factory, message_id, draft=text, off=off.channel)
    except InvalidRequest:
        problem = "long" if len(text.strip()) > MAX_REPLY else "empty"
        return await _thread(request, who, uow_factory, message_id, draft=text, problem=problem)
    return RedirectResponse(f"/admin/inbox/{message_id}?sent=1#replies", 303)


async def _thread(
    request: Request,
    who: Viewer,
    uow_factory: UowDep,
    message_id: RowId,
    *,
    sent: bool = False,
    draft: str = "",
    off: str | None = None,
    problem: str | None = None,
) -> Response:
    """The thread page; a refused reply answers 409 (channel off) or 422 (bad text)."""
    message = await shop_message(uow_factory, who.shop.id, message_id)
    status = 409 if off else 422 if problem else 200
    return await page(
        request,
        who,
        "inbox_thread.html",
        active=Area.INBOX,
        title=N_("Message"),
        status=status,
        message=message,
        sent=sent,
        draft=draft,
        off=off,
        problem=PROBLEMS.get(problem or ""),
        max_reply=MAX_REPLY,
    )


async def _missing(request: Request, who: Viewer) -> Response:
    return await page(
        request,
        who,
        "not_found.html",
        active=Area.INBOX,
        title=N_("Not found"),
        status=404,
        back="/admin/inbox",
    )
