"""Setting a shop up: a new shop's identity and the checks on its profile. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import Conflict, InvalidRequest
from domain.model import DEFAULT_TIMEZONE, MAX_REMINDER_HOURS, Vertical
from domain.phone import normalize_phone

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
LOCALES = ("es_AR", "en")


class ShopExists(Conflict):
    """A shop with that slug is already there."""

    code = "shop_exists"


@dataclass(frozen=True)
class NewShop:
    """What creating a shop needs; the rest starts from its vertical's preset."""

    slug: str
    name: str
    timezone: str = DEFAULT_TIMEZONE
    vertical: Vertical = Vertical.BARBERIA
    locale: str = "es_AR"

    def __post_init__(self) -> None:
        if not SLUG.fullmatch(self.slug):
            raise InvalidRequest(
                f"slug {self.slug!r}: lowercase letters, digits and hyphens, up to 60",
                field="slug",
            )
        if not self.name.strip() or len(self.name) > 120:
            raise InvalidRequest("a shop needs a name of 1 to 120 characters", field="name")
        check_timezone(self.timezone)
        check_locale(self.locale)


def check_timezone(name: str) -> str:
    """The IANA zone name, or InvalidRequest when there is no such zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidRequest(
            f"unknown timezone {name!r} (an IANA name, e.g. {DEFAULT_TIMEZONE})", field="timezone"
        ) from None
    return name


def check_locale(locale: str) -> str:
    """A locale the texts are translated to, or InvalidRequest."""
    if locale not in LOCALES:
        raise InvalidRequest(f"locale must be one of {', '.join(LOCALES)}", field="locale")
    return locale


# The booking rules a shop may set, (lowest, highest): the REST API and the dashboard check
# the same. `None` turns the optional ones off.
POLICY_LIMITS: dict[str, tuple[int, int]] = {
    "min_notice_minutes": (0, 7 * 24 * 60),
    "max_days_ahead": (1, 365),
    "free_cancellation_hours": (0, 30 * 24),
    "hold_minutes": (1, 24 * 60),
    "slot_step_minutes": (5, 240),
    "no_show_grace_minutes": (0, 7 * 24 * 60),
    "agenda_hour": (0, 23),
}
OPTIONAL_POLICIES = frozenset({"no_show_grace_minutes", "agenda_hour"})
POLICY_SWITCHES = frozenset({"open_on_holidays", "comeback_nudges"})
REMINDER_LIMITS = (1, MAX_REMINDER_HOURS)
MAX_REMINDERS = 4
TEXT_LIMITS = {"name": 120, "address": 200, "maps_url": 500, "contact_phone": 40}
_LINK = re.compile(r"^https?://\S+$")


def profile_columns(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Profile and policy changes as the shop's columns, each checked and tidied;
    InvalidRequest naming the first one at fault."""
    return {name: profile_column(name, value) for name, value in changes.items()}


def profile_column(name: str, value: Any) -> Any:
    """One profile or policy column, checked and tidied (InvalidRequest naming it)."""
    if name in POLICY_LIMITS:
        return _policy_number(name, value)
    if name in POLICY_SWITCHES:
        if not isinstance(value, bool):
            raise InvalidRequest("must be true or false", field=name)
        return value
    if name == "reminder_hours":
        return _reminder_hours(value)
    if name in ("timezone", "locale", "vertical"):
        return _named(name, value)
    if name in TEXT_LIMITS:
        return _text(name, value)
    raise ValueError(f"not a profile column: {name!r}")


def _policy_number(name: str, value: Any) -> int | None:
    if value is None and name in OPTIONAL_POLICIES:
        return None
    low, high = POLICY_LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidRequest(f"a whole number from {low} to {high}", field=name)
    return value


def _reminder_hours(value: Any) -> str:
    """How the hours are stored: distinct, largest first, comma-separated ("24,2")."""
    low, high = REMINDER_LIMITS
    hours = list(value) if isinstance(value, list | tuple) else None
    if hours is None or len(hours) > MAX_REMINDERS:
        raise InvalidRequest(f"at most {MAX_REMINDERS} whole hours", field="reminder_hours")
    for hour in hours:
        if isinstance(hour, bool) or not isinstance(hour, int) or not low <= hour <= high:
            raise InvalidRequest(f"hours from {low} to {high}", field="reminder_hours")
    return ",".join(str(h) for h in sorted(set(hours), reverse=True))


def _named(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidRequest("must be a name", field=name)
    if name == "timezone":
        return check_timezone(value)
    if name == "locale":
        return check_locale(value)
    try:
        return Vertical(value).value
    except ValueError:
        raise InvalidRequest(f"not a vertical: {value!r}", field=name) from None


def _text(name: str, value: Any) -> str | None:
    """Name, address, maps link, contact phone; blank clears all but the name."""
    text = " ".join(value.split()) if isinstance(value, str) else value
    if text is None or text == "":
        if name == "name":
            raise InvalidRequest("a shop needs a name", field=name)
        return None
    if not isinstance(text, str) or len(text) > TEXT_LIMITS[name]:
        raise InvalidRequest(f"at most {TEXT_LIMITS[name]} characters", field=name)
    if name == "maps_url" and not _LINK.fullmatch(text):
        raise InvalidRequest("a link starting with https://", field=name)
    if name == "contact_phone":
        try:
            return normalize_phone(text)
        except InvalidRequest as error:
            raise InvalidRequest(str(error), field=name) from None
    return text
