"""The setup section's front page, the shop's profile and booking rules, and comeback nudges."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from fastapi import APIRouter, Request
from fastapi.responses import Response

from domain.accounts import Area
from domain.model import Shop
from domain.shops import LOCALES, OPTIONAL_POLICIES, POLICY_LIMITS, profile_column
from domain.storage.channels import shop_staff_links
from domain.storage.comeback import set_shop_nudges
from domain.storage.shop_logins import shop_logins
from domain.storage.shops import update_shop
from web.acting import DashboardUow
from web.dashboard.pages import N_
from web.dashboard.setup.common import Setup, catalog, done, outside_hours, setup_page
from web.dashboard.setup.forms import Form
from web.deps import ClockDep, UowDep

router = APIRouter(prefix="/admin/setup", include_in_schema=False)
# What each profile text must be, in the owner's words.
TEXTS = {
    "name": N_("Write the shop's name (up to 120 characters)."),
    "address": N_("Up to 200 characters."),
    "maps_url": N_("Paste the whole link, starting with https://"),
    "contact_phone": N_("That number does not look right: write it like 11 5874-9895."),
}
NEARBY_ZONES = (
    "America/Montevideo",
    "America/Santiago",
    "America/Asuncion",
    "America/Sao_Paulo",
    "America/La_Paz",
    "America/Lima",
    "America/Bogota",
    "America/Mexico_City",
    "America/New_York",
    "Europe/Madrid",
)
REMINDERS = N_("Up to 4 numbers of hours before the turno, from 1 to 336, like: 24, 2")


@router.get("")
async def index(request: Request, who: Setup, uow_factory: UowDep, clock: ClockDep) -> Response:
    """The sections of the setup, each with how it stands now."""
    shop = who.shop
    known = await catalog(uow_factory, shop.id)
    links = await shop_staff_links(uow_factory, shop.id)
    logins = await shop_logins(uow_factory, shop.id) if who.may(Area.USERS) else []
    return await setup_page(
        request,
        who,
        "setup/index.html",
        N_("Shop"),
        services=len(known.active_services),
        professionals=len(known.active_professionals),
        linked=len(links),
        logins=len([u for u in logins if u.disabled_at is None]),
        outside=await outside_hours(uow_factory, shop, clock.now()),
    )


@router.get("/profile")
async def profile(request: Request, who: Setup) -> Response:
    """The shop's name, address, contact, zone, language and booking rules."""
    return await _profile_page(request, who, Form.showing(**_stored(who.shop)))


@router.post("/profile")
async def save_profile(request: Request, who: Setup, uow_factory: DashboardUow) -> Response:
    """Save the profile; a form with a problem comes back with it, nothing saved."""
    form = Form(await request.form())
    changes = read_profile(form)
    if not form.ok:
        return await _profile_page(request, who, form, 422)
    await update_shop(uow_factory, who.shop.id, changes)
    return done(request, "/admin/setup/profile")


@router.get("/comeback")
async def comeback(request: Request, who: Setup) -> Response:
    """Whether regulars are offered their next turno when it is due."""
    return await setup_page(request, who, "setup/comeback.html", N_("Comeback nudges"))


@router.post("/comeback")
async def save_comeback(request: Request, who: Setup, uow_factory: DashboardUow) -> Response:
    """Turn comeback nudges on or off."""
    form = Form(await request.form())
    await set_shop_nudges(uow_factory, who.shop.id, form.value("nudges") == "on")
    return done(request, "/admin/setup/comeback")


def read_profile(form: Form) -> dict[str, Any]:
    """The profile's columns from the form, by the shared rules; problems noted on `form`."""
    changes: dict[str, Any] = {}
    for name, msgid in TEXTS.items():
        changes[name] = form.check(name, msgid, profile_column, name, form.text(name))
    changes["timezone"] = form.check(
        "timezone",
        N_("Choose a time zone from the list."),
        profile_column,
        "timezone",
        form.text("timezone"),
    )
    changes["locale"] = form.check(
        "locale",
        N_("Choose a language from the list."),
        profile_column,
        "locale",
        form.text("locale"),
    )
    for name, limits in POLICY_LIMITS.items():
        number = form.whole(name, limits, blank_is_none=name in OPTIONAL_POLICIES)
        changes[name] = profile_column(name, number) if name not in form.problems else None
    changes["open_on_holidays"] = form.checked("open_on_holidays")
    changes["reminder_hours"] = form.check(
        "reminder_hours", REMINDERS, profile_column, "reminder_hours", _hours(form)
    )
    return changes


def _hours(form: Form) -> list[int] | None:
    """«24, 2» as [24, 2]; None (refused by the rule) when a part is not a number."""
    parts = [p.strip() for p in form.text("reminder_hours").replace(";", ",").split(",")]
    numbers = [p for p in parts if p]
    return [int(p) for p in numbers] if all(p.isdigit() for p in numbers) else None


def _stored(shop: Shop) -> dict[str, Any]:
    """The profile form as the shop stands."""
    policy = shop.policy
    fields: dict[str, Any] = {
        "name": shop.name,
        "address": shop.address or "",
        "maps_url": shop.maps_url or "",
        "contact_phone": shop.contact_phone or "",
        "timezone": shop.timezone,
        "locale": shop.locale,
        "open_on_holidays": policy.open_on_holidays,
        "reminder_hours": ", ".join(str(h) for h in policy.reminder_hours),
    }
    for name in POLICY_LIMITS:
        value = getattr(policy, name)
        fields[name] = "" if value is None else str(value)
    return fields


async def _profile_page(request: Request, who: Setup, form: Form, status: int = 200) -> Response:
    return await setup_page(
        request,
        who,
        "setup/profile.html",
        N_("Shop details"),
        status,
        form=form,
        zones=[(zone, zone.replace("_", " ")) for zone in _zones(who.shop.timezone)],
        locales=LOCALES,
        limits=POLICY_LIMITS,
    )


def _zones(current: str) -> list[str]:
    """Argentina's zones, the neighbours' and a few more (and the shop's own, if other)."""
    every = available_timezones()
    argentina = sorted(z for z in every if z.startswith("America/Argentina/") and "Comod" not in z)
    zones = argentina + [z for z in NEARBY_ZONES if z in every]
    return zones if current in zones else [current, *zones]
