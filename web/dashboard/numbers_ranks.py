"""The Numbers page's charts that rank or place things rather than follow time: occupancy per
professional, top services, busy hours (a weekday × hour heatmap), payments by method."""

from __future__ import annotations

from domain.numbers import Numbers
from web.dashboard import charts
from web.dashboard.charts import Row
from web.dashboard.numbers_view import ACCENT, Buckets, Chart, Speaker, Table, weekday_names
from web.dashboard.pages import N_

PAYMENT_METHODS = {
    "cash": N_("Cash"),
    "transfer": N_("Bank transfer"),
    "mercadopago": N_("Mercado Pago"),
    "ticket": N_("Rapipago / Pago Fácil"),
}


def occupancy(n: Numbers, say: Speaker, _b: Buckets) -> Chart:
    """How full each professional's hours were."""
    _ = say._
    rows, table = [], []
    for line in n.occupancy:
        o = line.occupancy
        share = float(o.share) if o.share is not None else 0.0
        hours = _(
            "%(booked)s h of %(worked)s h",
            booked=say.count(round(o.booked / 60)),
            worked=say.count(round(o.working / 60)),
        )
        text = f"{say.percent(share)} · {hours}" if o.share is not None else _("no hours")
        rows.append(Row(line.name, round(share * 1000), text))
        table.append([line.name, o.booked, o.working, f"{share * 100:.1f}"])
    booked, worked = (
        sum(getattr(x.occupancy, f) for x in n.occupancy) for f in ("booked", "working")
    )
    headline = _(
        "%(share)s of the hours booked", share=say.percent(booked / worked if worked else 0)
    )
    title = _("Occupancy per professional")
    whole = 1000  # the rows' values are per mille: a full bar is 100 %
    svg = charts.hbars("occupancy", title, headline, rows, ACCENT, whole) if worked else None
    header = [_("Professional"), _("Minutes booked"), _("Minutes of work"), _("Occupancy (%)")]
    return Chart(
        "occupancy", title, headline, svg, _("Nobody has working hours."), Table(header, table)
    )


def services(n: Numbers, say: Speaker, _b: Buckets) -> Chart:
    """The services booked most, with what the done ones brought in."""
    _ = say._
    rows = [
        Row(s.name, s.turnos, f"{say.count(s.turnos)} · {say.money(s.revenue)}") for s in n.services
    ]
    top = n.services[0].name if n.services else ""
    headline = _("The most booked: %(name)s", name=top) if top else ""
    title = _("Top services")
    svg = charts.hbars("services", title, headline, rows[:10], ACCENT) if rows else None
    header = [_("Service"), _("Turnos"), _("Currency"), _("Revenue")]
    table = [[s.name, s.turnos, n.currency, say.decimal(s.revenue)] for s in n.services]
    return Chart(
        "services", title, headline, svg, _("No turnos in these days."), Table(header, table)
    )


def hours(n: Numbers, say: Speaker, _b: Buckets) -> Chart:
    """Turnos by weekday and hour: when the shop is busiest."""
    _ = say._
    title = _("Busy hours")
    days = sorted({d for d, _h in n.busy})
    if not n.busy:
        return Chart("hours", title, "", None, _("No turnos in these days."), Table([], []))
    first, last = min(h for _d, h in n.busy), max(h for _d, h in n.busy)
    columns = list(range(first, last + 1))
    values = [[n.busy.get((d, h), 0) for h in columns] for d in days]
    short, long = weekday_names(say.locale), weekday_names(say.locale, long=True)
    day, hour = max(n.busy, key=lambda cell: (n.busy[cell], -cell[0], -cell[1]))
    headline = _("Busiest: %(day)s at %(hour)s h", day=long[day], hour=hour)

    def tip(i: int, j: int, value: int) -> str:
        count = say.ngettext("%(num)d turno", "%(num)d turnos", value) % {"num": value}
        return f"{long[days[i]]} {columns[j]} h: {count}"

    svg = charts.heatmap(
        "hours",
        title,
        headline,
        [short[d] for d in days],
        [str(h) for h in columns],
        values,
        color=ACCENT,
        tip=tip,
        scale=(_("fewer"), _("more")),
    )
    header = [_("Weekday"), _("Hour"), _("Turnos")]
    table = [[long[d], h, values[i][j]] for i, d in enumerate(days) for j, h in enumerate(columns)]
    return Chart("hours", title, headline, svg, "", Table(header, table))


def payments(n: Numbers, say: Speaker, _b: Buckets) -> Chart:
    """What was collected for the period's turnos, by payment method."""
    _ = say._
    found = sorted(n.collected.items(), key=lambda item: -item[1])
    names = {method: _(label) for method, label in PAYMENT_METHODS.items()}
    rows = [Row(names.get(m, m), cents, say.money(cents)) for m, cents in found]
    headline = _("%(amount)s collected", amount=say.money(sum(n.collected.values())))
    title = _("Collected, by payment method")
    svg = charts.hbars("payments", title, headline, rows, ACCENT) if rows else None
    header = [_("Payment method"), _("Currency"), _("Collected")]
    table = [[names.get(m, m), n.currency, say.decimal(c)] for m, c in found]
    return Chart(
        "payments",
        title,
        headline,
        svg,
        _("No payments recorded in these days."),
        Table(header, table),
    )
