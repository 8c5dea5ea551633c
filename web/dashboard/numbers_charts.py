"""Each chart of the Numbers page, built from the shop's numbers: what it draws, its headline
and the table its CSV holds. One function per chart, named by its key (its CSV's name)."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from domain.numbers import Numbers
from web.dashboard import charts
from web.dashboard.charts import Series
from web.dashboard.numbers_ranks import hours, occupancy, payments, services
from web.dashboard.numbers_view import (
    ACCENT,
    CANCELLED,
    LATE,
    NEW,
    NO_SHOW,
    UPCOMING,
    Buckets,
    Chart,
    Speaker,
    Table,
    table_of,
)

_TURNOS = ("completed", "upcoming", "no_show", "cancelled", "late_cancelled")


def bookings(n: Numbers, say: Speaker, b: Buckets) -> Chart:
    """Turnos per bucket, stacked by what became of them."""
    _ = say._
    per = {s: [n.turnos.get(d, {}).get(s, 0) for d in b.starts] for s in _TURNOS}
    cancelled = [a + c for a, c in zip(per["cancelled"], per["late_cancelled"], strict=True)]
    series = shown(
        [
            Series(_("Attended"), ACCENT, per["completed"]),
            Series(_("Upcoming"), UPCOMING, per["upcoming"]),
            Series(_("Didn't come"), NO_SHOW, per["no_show"]),
            Series(_("Cancellations"), CANCELLED, cancelled),
        ]
    )
    total = sum(sum(s.values) for s in series)
    done = sum(per["completed"])
    headline = _(
        "%(total)s turnos, %(done)s attended", total=say.count(total), done=say.count(done)
    )
    svg = counted_bars("bookings", _("Turnos"), headline, series, say, b)
    names = [
        _("Attended"),
        _("Upcoming"),
        _("Didn't come"),
        _("Cancelled in time"),
        _("Cancelled late"),
    ]
    table = table_of(b, say, names, [per[s] for s in _TURNOS])
    return Chart("bookings", _("Turnos"), headline, svg, _("No turnos in these days."), table)


def revenue(n: Numbers, say: Speaker, b: Buckets) -> Chart:
    """The prices of the turnos done, per bucket."""
    _ = say._
    values = [n.revenue.get(d, 0) for d in b.starts]
    headline = _("%(amount)s from turnos attended", amount=say.money(sum(values)))
    series = [Series(_("Revenue"), ACCENT, values)]
    svg = (
        charts.line(
            "revenue",
            _("Revenue"),
            headline,
            b.short,
            series,
            axis=say.short_money,
            tip=say.money,
            tips=b.full,
        )
        if any(values)
        else None
    )
    header = [*b.columns(say), _("Currency"), _("Revenue")]
    table = Table(header, [[*b.cells(i), n.currency, say.decimal(v)] for i, v in enumerate(values)])
    return Chart(
        "revenue", _("Revenue"), headline, svg, _("No turnos attended in these days."), table
    )


def cancellations(n: Numbers, say: Speaker, b: Buckets) -> Chart:
    """The turnos lost per bucket: cancelled in time, cancelled late, missed."""
    _ = say._
    keys = ("cancelled", "late_cancelled", "no_show")
    per = {s: [n.turnos.get(d, {}).get(s, 0) for d in b.starts] for s in keys}
    names = [_("Cancelled in time"), _("Cancelled late"), _("Didn't come")]
    colors = (CANCELLED, LATE, NO_SHOW)
    series = shown(
        [Series(name, c, per[k]) for name, c, k in zip(names, colors, keys, strict=True)]
    )
    lost = sum(sum(v) for v in per.values())
    booked = sum(sum(d.values()) for d in n.turnos.values())
    share = say.percent(lost / booked) if booked else say.percent(0)
    headline = _("%(share)s of the turnos lost (%(lost)s)", share=share, lost=say.count(lost))
    title = _("Cancellations and no-shows")
    svg = counted_bars("cancellations", title, headline, series, say, b)
    table = table_of(b, say, names, [per[k] for k in keys])
    return Chart(
        "cancellations", title, headline, svg, _("Nobody cancelled or missed a turno."), table
    )


def customers(n: Numbers, say: Speaker, b: Buckets) -> Chart:
    """Customers who came per bucket: for the first time, or again."""
    _ = say._
    new = [n.newcomers[d].new if d in n.newcomers else 0 for d in b.starts]
    back = [n.newcomers[d].returning if d in n.newcomers else 0 for d in b.starts]
    series = shown([Series(_("Came back"), ACCENT, back), Series(_("First time"), NEW, new)])
    headline = _(
        "%(new)s new, %(returning)s returning",
        new=say.count(n.customers.new),
        returning=say.count(n.customers.returning),
    )
    title = _("New and returning customers")
    svg = counted_bars("customers", title, headline, series, say, b)
    table = table_of(b, say, [_("First time"), _("Came back")], [new, back])
    return Chart("customers", title, headline, svg, _("Nobody came in these days."), table)


def counted_bars(
    key: str, title: str, headline: str, series: list[Series], say: Speaker, b: Buckets
) -> Markup | None:
    """Stacked bars of counts over the buckets; None when there is nothing to draw."""
    if not any(any(s.values) for s in series):
        return None
    return charts.bars(
        key, title, headline, b.short, series, axis=say.count, tip=say.count, tips=b.full
    )


def shown(series: list[Series]) -> list[Series]:
    """The series with something to draw (a legend of empty ones says nothing)."""
    return [s for s in series if any(s.values)] or series[:1]


CHARTS: dict[str, Callable[[Numbers, Speaker, Buckets], Chart]] = {
    "bookings": bookings,
    "revenue": revenue,
    "occupancy": occupancy,
    "customers": customers,
    "cancellations": cancellations,
    "services": services,
    "hours": hours,
    "payments": payments,
}
