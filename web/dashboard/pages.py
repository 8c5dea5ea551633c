"""One way to answer with a dashboard page: the layout's navigation, badges and tokens."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from domain.accounts import Area
from domain.storage.inbox import unread_count
from web.dashboard.sessions import Viewer
from web.dashboard.templating import render


def N_(message: str) -> str:
    """Marks a text for translation where it is written; the template translates it."""
    return message


# The navigation: (area, path, label).
NAVIGATION = (
    (Area.AGENDA, "/admin/agenda", N_("Agenda")),
    (Area.INBOX, "/admin/inbox", N_("Messages")),
    (Area.CUSTOMERS, "/admin/customers", N_("Customers")),
    (Area.SETUP, "/admin/setup", N_("Shop")),
    (Area.PAYMENTS, "/admin/payments", N_("Payments")),
    (Area.TAKINGS, "/admin/takings", N_("My takings")),
    (Area.NUMBERS, "/admin/numbers", N_("Numbers")),
    (Area.STATUS, "/admin/status", N_("Status")),
    (Area.AUDIT, "/admin/audit", N_("Activity")),
)


async def page(
    request: Request,
    who: Viewer,
    template: str,
    *,
    active: Area,
    title: str,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The page `template` inside the layout, for this viewer; `title` a msgid (N_)."""
    uow_factory = request.app.state.uow_factory
    unread = await unread_count(uow_factory, who.shop.id) if who.may(Area.INBOX) else 0
    links = [(area, path, label) for area, path, label in NAVIGATION if who.may(area)]
    if who.may(Area.PAYMENTS):  # the shop's payments include one's takings
        links = [link for link in links if link[0] is not Area.TAKINGS]
    return render(
        template,
        who.speech,
        status,
        viewer=who,
        shop=who.shop,
        csrf=who.csrf,
        Area=Area,
        navigation=links,
        active=active,
        title=title,
        unread=unread,
        **context,
    )
