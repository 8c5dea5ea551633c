"""Setting the shop up from a phone: `/admin/setup` lists the sections, each its own page
(profile and rules, services, professionals and their hours, days, payments, comeback
nudges, staff chats, users)."""

from __future__ import annotations

from web.dashboard.setup import (
    days,
    hours,
    links,
    payments,
    professionals,
    services,
    shop,
    users,
)

ROUTERS = tuple(
    part.router for part in (shop, services, professionals, hours, days, payments, links, users)
)
