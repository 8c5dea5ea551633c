"""The Numbers page's charts, from a shop's numbers: each one a picture (SVG), the headline
under its title, and the table of its data (the CSV download). Texts through gettext, dates,
money and percentages through babel in the shop's locale. No I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from babel.dates import format_date, format_interval, format_skeleton
from babel.numbers import (
    format_compact_decimal,
    format_decimal,
    format_percent,
    get_currency_symbol,
)
from markupsafe import Markup

from bot.i18n import translations
from domain.formatting import format_day, format_money
from domain.money import Money
from domain.numbers import Grain, Numbers, next_bucket

# Colours of the turnos' states (the agenda's, a shade stronger for a chart).
ACCENT = "#075e54"
UPCOMING = "#8cc7bf"
NO_SHOW = "#b3261e"
CANCELLED = "#9e9e9e"
LATE = "#d9a300"
NEW = "#d9a300"


@dataclass(frozen=True)
class Table:
    """A chart's data, as its CSV has it: a header and rows of plain values."""

    header: Sequence[str]
    rows: Sequence[Sequence[object]]


@dataclass(frozen=True)
class Chart:
    """One card of the page: a title, its headline, the picture (None: nothing to draw, then
    `empty` says why) and the table behind it."""

    key: str
    title: str
    headline: str
    svg: Markup | None
    empty: str
    table: Table


@dataclass(frozen=True)
class Figure:
    """A headline number at the top of the page."""

    label: str
    value: str
    note: str = ""
    wide: bool = False  # the one that needs the room (money), first and across on a phone


class Speaker:
    """The shop's language: gettext, and babel for its numbers, money and dates."""

    def __init__(self, locale: str, currency: str) -> None:
        self.locale, self.currency = locale, currency
        catalog = translations(locale)
        self.gettext, self.ngettext = catalog.gettext, catalog.ngettext

    def _(self, message: str, **values: object) -> str:
        text = self.gettext(message)
        return text % values if values else text

    def count(self, value: int) -> str:
        """12 or 1.234."""
        return format_decimal(value, locale=self.locale)

    def money(self, cents: int) -> str:
        """$ 12.000, exact: centavos shown only when there are some ($ 12.000,50)."""
        return format_money(Money(cents, self.currency), self.locale, with_cents=cents % 100 != 0)

    def short_money(self, cents: int) -> str:
        """An axis' money: $ 120 mil, $ 1,5 M."""
        amount = Decimal(cents) / 100
        kind: Literal["short", "long"] = "short"
        if self.locale.startswith("es") and amount < 1_000_000:
            kind = "long"  # «$ 120 mil» reads better in Spanish than «$ 120 k»
        compact = format_compact_decimal(
            amount, format_type=kind, locale=self.locale, fraction_digits=1
        )
        return f"{get_currency_symbol(self.currency, self.locale)}\u00a0{compact}"

    def percent(self, share: float) -> str:
        """62 %."""
        return format_percent(share, locale=self.locale)

    def decimal(self, cents: int) -> str:
        """An exact amount for a spreadsheet: 12000.00."""
        return f"{Decimal(cents) / 100:.2f}"


class Buckets:
    """The period's buckets with their labels: short under a bar, full in a tooltip."""

    def __init__(self, numbers: Numbers, speaker: Speaker) -> None:
        period, locale = numbers.period, speaker.locale
        self.starts = period.buckets()
        self.ranges = [
            (
                max(s, period.first),
                min(next_bucket(s, period.grain) - timedelta(days=1), period.last),
            )
            for s in self.starts
        ]
        grain = period.grain
        if grain is Grain.DAY:
            few = len(self.starts) <= 7
            self.short = [
                format_skeleton("EEEd" if few else "dM", s, locale=locale) for s in self.starts
            ]
            self.full = [format_day(s, locale) for s in self.starts]
        elif grain is Grain.WEEK:
            self.short = [format_skeleton("dM", first, locale=locale) for first, _ in self.ranges]
            self.full = [format_interval(a, b, "MMMd", locale=locale) for a, b in self.ranges]
        else:
            years = {s.year for s in self.starts}
            skeleton = "MMM" if len(years) == 1 else "yMMM"
            self.short = [format_skeleton(skeleton, s, locale=locale) for s in self.starts]
            self.full = [format_skeleton("yMMMM", s, locale=locale) for s in self.starts]

    def columns(self, speaker: Speaker) -> list[str]:
        """The CSV's first columns: where each bucket starts and ends (inside the period)."""
        return [speaker._("From"), speaker._("To")]

    def cells(self, i: int) -> list[object]:
        first, last = self.ranges[i]
        return [first.isoformat(), last.isoformat()]


def weekday_names(locale: str, *, long: bool = False) -> list[str]:
    """Monday to Sunday, short (lun) or long (lunes)."""
    monday = date(2024, 1, 1)
    pattern = "EEEE" if long else "E"
    return [format_date(monday + timedelta(days=n), pattern, locale=locale) for n in range(7)]


def table_of(
    buckets: Buckets,
    speaker: Speaker,
    names: list[str],
    values: list[list[int]],
) -> Table:
    """A table with one row per bucket: its days, then one column per series."""
    header = [*buckets.columns(speaker), *names]
    rows = [[*buckets.cells(i), *(v[i] for v in values)] for i in range(len(buckets.starts))]
    return Table(header, rows)


def figures(n: Numbers, say: Speaker) -> list[Figure]:
    """The headline numbers: revenue, turnos done, occupancy, no-shows, new customers."""
    _ = say._
    done = sum(d["completed"] for d in n.turnos.values())
    missed = sum(d["no_show"] for d in n.turnos.values())
    booked = sum(o.occupancy.booked for o in n.occupancy)
    worked = sum(o.occupancy.working for o in n.occupancy)
    return [
        Figure(_("Revenue"), say.money(sum(n.revenue.values())), wide=True),
        Figure(_("Turnos attended"), say.count(done)),
        Figure(_("Occupancy"), say.percent(booked / worked if worked else 0)),
        Figure(
            _("No-shows"),
            say.percent(missed / (done + missed) if done + missed else 0),
            say.ngettext("%(num)d turno", "%(num)d turnos", missed) % {"num": missed},
        ),
        Figure(
            _("New customers"),
            say.count(n.customers.new),
            _("of %(total)s who came", total=say.count(n.customers.total)),
        ),
    ]
