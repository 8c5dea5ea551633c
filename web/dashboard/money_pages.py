"""What the payments and takings pages share: the period they look at, read from the page's
`from` and `to` (shop days, both included), this month so far unless told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from domain.errors import InvalidRequest
from domain.model import Shop
from domain.payouts import MAX_DAYS, check_period
from domain.ports import Clock
from web.dashboard.pages import N_

PERIOD_PROBLEM = N_("Choose a period of up to %(days)d days, the first day before the last.")


@dataclass(frozen=True)
class Period:
    """The shop days a page looks at; `problem` when what was asked could not be used."""

    first: date
    last: date
    problem: str | None = None

    @property
    def query(self) -> str:
        """The period as a link's query."""
        return f"from={self.first.isoformat()}&to={self.last.isoformat()}"


def today(shop: Shop, clock: Clock) -> date:
    """The shop's day now."""
    return clock.now().astimezone(ZoneInfo(shop.timezone)).date()


def period(shop: Shop, clock: Clock, asked_from: str, asked_to: str) -> Period:
    """The period asked for, or this month so far with a problem to show when it is wrong."""
    now = today(shop, clock)
    fallback = Period(now.replace(day=1), now)
    if not asked_from and not asked_to:
        return fallback
    try:
        first = date.fromisoformat(asked_from) if asked_from else fallback.first
        last = date.fromisoformat(asked_to) if asked_to else now
        check_period(first, last)
    except (ValueError, InvalidRequest):
        return Period(fallback.first, fallback.last, PERIOD_PROBLEM)
    return Period(first, last)


__all__ = ["MAX_DAYS", "Period", "period", "today"]
