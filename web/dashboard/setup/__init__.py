"""Setting the shop up from a phone: `/admin/setup` lists the sections, each its own page
(profile and rules, services, professionals and their hours, days, payments, comeback
nudges, staff chats, users)."""

from __future__ import annotations

from web.dashboard.setup import days, hours, professionals, services, shop

ROUTERS = (shop.router, services.router, professionals.router, hours.router, days.router)
