"""Rendering dashboard pages: Jinja2 templates with the shop's language, dates and money.

Texts go through the same gettext catalogs as the chat (`_("...")` in templates; babel.cfg
extracts them); dates and prices through domain.formatting in the shop's locale and zone.
Every value is escaped (autoescape on).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.i18n import translations
from domain.formatting import format_clock, format_day, format_money, format_short_day
from domain.money import Money

TEMPLATES = Path(__file__).parent / "templates"
ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Speech:
    """How a page speaks: the shop's language, zone and money."""

    locale: str
    timezone: str

    def helpers(self) -> dict[str, Callable[..., Any]]:
        """The functions every template may call."""
        catalog = translations(self.locale)

        def gettext(message: str, **values: object) -> str:
            text = catalog.gettext(message)
            return text % values if values else text

        def ngettext(singular: str, plural: str, num: int, **values: object) -> str:
            return catalog.ngettext(singular, plural, num) % {"num": num, **values}

        return {
            "_": gettext,
            "ngettext": ngettext,
            "money": lambda m, cents=True: format_money(m, self.locale, cents),
            "pesos": lambda cents, currency="ARS": format_money(
                Money(cents, currency), self.locale, False
            ),
            "day": lambda d: format_day(_as_day(d, self.timezone), self.locale),
            "short_day": lambda d: format_short_day(_as_day(d, self.timezone), self.locale),
            "clock": lambda moment: format_clock(moment, self.timezone, self.locale),
        }


def render(name: str, speech: Speech, status: int = 200, **context: Any) -> HTMLResponse:
    """The page `name` in the shop's language; no-store, as every dashboard page is private."""
    html = ENVIRONMENT.get_template(name).render(**speech.helpers(), lang=speech.locale, **context)
    response = HTMLResponse(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _as_day(value: date | datetime, timezone: str) -> date:
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo(timezone)).date()
    return value
