"""Setting a shop up: a new shop's identity and the checks on its profile. Pure: no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import Conflict, InvalidRequest
from domain.model import DEFAULT_TIMEZONE, Vertical

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
