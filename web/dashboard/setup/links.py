"""Staff chats: a one-time code links a professional's (or the owner's) Telegram or WhatsApp
chat to the shop, shown big with a QR code of the Telegram deep link to scan from the phone.

The owner's chat hears of changes to where the money goes and gets password links, so only
the owner (not a manager) makes a code for it or unlinks it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any
from urllib.parse import quote

import segno
from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from markupsafe import Markup

from domain.accounts import Area
from domain.storage.channels import (
    LINK_CODE_TTL,
    StaffLink,
    create_link_code,
    shop_staff_links,
    unlink_staff,
)
from domain.storage.staff_trail import chat_unlinked, link_code_made
from web.acting import DashboardUow
from web.api.v1.staff import telegram_link
from web.dashboard.pages import N_
from web.dashboard.sessions import Viewer
from web.dashboard.setup.common import Setup, catalog, done, missing, setup_page
from web.dashboard.setup.forms import Form
from web.deps import ClockDep, UowDep

router = APIRouter(prefix="/admin/setup/links", include_in_schema=False)
OWNER = "owner"
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("")
async def links(request: Request, who: Setup, uow_factory: UowDep) -> Response:
    """Each person's linked chats, and a button for a new code."""
    known = await catalog(uow_factory, who.shop.id)
    chats: dict[int | None, list[StaffLink]] = defaultdict(list)
    for link in await shop_staff_links(uow_factory, who.shop.id):
        chats[link.professional_id].append(link)
    return await setup_page(
        request,
        who,
        "setup/links.html",
        N_("Staff chats"),
        people=known.active_professionals,
        chats=chats,
        for_owner=owner_level(who),
    )


@router.post("")
async def new_code(
    request: Request, who: Setup, uow_factory: DashboardUow, clock: ClockDep
) -> Response:
    """A fresh code for one person (valid 24 hours), shown with its QR and links."""
    form = Form(await request.form())
    whose = form.value("professional")
    known = await catalog(uow_factory, who.shop.id)
    person = None
    if whose == OWNER:
        if not owner_level(who):
            return await missing(request, who)
    else:
        person = next((p for p in known.active_professionals if str(p.id) == whose), None)
        if person is None:
            return await missing(request, who)
    now = clock.now()
    whose_id = person.id if person else None
    code = await create_link_code(uow_factory, who.shop.id, whose_id, now)
    await link_code_made(uow_factory, who.shop.id, whose_id, now)
    return await setup_page(
        request,
        who,
        "setup/link_code.html",
        N_("Link code"),
        person=person,
        code=code,
        expires_at=now + LINK_CODE_TTL,
        **chat_links(request, code),
    )


@router.post("/{link_id}/unlink")
async def unlink(
    request: Request, who: Setup, uow_factory: DashboardUow, link_id: RowId
) -> Response:
    """That chat stops hearing of the shop's turnos."""
    found = next(
        (k for k in await shop_staff_links(uow_factory, who.shop.id) if k.id == link_id), None
    )
    if found is None or (found.professional_id is None and not owner_level(who)):
        return await missing(request, who)
    await unlink_staff(uow_factory, found.channel, found.chat_id)
    await chat_unlinked(uow_factory, found)
    return done(request, "/admin/setup/links", "removed")


def owner_level(who: Viewer) -> bool:
    """Whether this user may handle the owner's own chat."""
    return who.may(Area.MONEY) and who.may(Area.USERS)


def chat_links(request: Request, code: str) -> dict[str, Any]:
    """The Telegram deep link and the WhatsApp link that send the code (when the channel is
    up), and a QR code of the first one (or, with neither, of the words to send)."""
    state = request.app.state
    telegram = telegram_link(state.channels, code)
    whatsapp = None
    number = "".join(ch for ch in (state.settings.twilio_whatsapp_from or "") if ch.isdigit())
    if "whatsapp" in state.channels and number:
        whatsapp = f"https://wa.me/{number}?text={quote(f'vincular {code}')}"
    target = telegram or whatsapp or f"vincular {code}"
    return {"telegram": telegram, "whatsapp": whatsapp, "qr": qr_svg(target)}


def qr_svg(text: str) -> Markup:
    """A QR code as inline SVG (scales with its box; dark on white, for any camera)."""
    svg = segno.make(text, error="m").svg_inline(
        scale=4, border=2, omitsize=True, dark="#000", light="#fff", title=text
    )
    return Markup(svg)
