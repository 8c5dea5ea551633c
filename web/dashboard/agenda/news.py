"""Telling the customer, in the chat they last used with the shop, that the shop cancelled or
moved their turno from the agenda (a customer who never chatted hears nothing: the page says
so, for the shop to call them)."""

from __future__ import annotations

from datetime import datetime

from fastapi import Request

from bot.i18n import translations
from bot.nudges import tell
from domain.formatting import format_when
from domain.model import Booking, CancelledBy, Shop


async def tell_cancelled(request: Request, shop: Shop, booking: Booking, now: datetime) -> bool:
    """Tell the customer their turno is cancelled; False when they have no chat to hear it."""
    _ = translations(shop.locale).gettext
    if booking.cancelled_by is CancelledBy.SHOP:
        text = _(
            "Sorry: the shop had to cancel your turno on {when}. Write to me and we look for "
            "another time."
        )
    else:
        text = _("Done: as you asked the shop, your turno on {when} is cancelled.")
    when = format_when(booking.starts_at, shop.timezone, shop.locale)
    key = f"dashboard:cancelled:{booking.id}"
    return await _tell(request, shop, booking, text.format(when=when), key, now)


async def tell_moved(
    request: Request, shop: Shop, before: datetime, booking: Booking, now: datetime
) -> bool:
    """Tell the customer their turno has a new time; False when they have no chat."""
    _ = translations(shop.locale).gettext
    text = _("The shop moved your turno: it was on {before}, now it is on {when}.").format(
        before=format_when(before, shop.timezone, shop.locale),
        when=format_when(booking.starts_at, shop.timezone, shop.locale),
    )
    return await _tell(request, shop, booking, text, f"dashboard:moved:{booking.id}", now)


async def _tell(
    request: Request, shop: Shop, booking: Booking, text: str, key: str, now: datetime
) -> bool:
    state = request.app.state
    channels = getattr(state, "channels", {})
    return await tell(state.uow_factory, channels, booking.customer_id, shop, text, key, now)
