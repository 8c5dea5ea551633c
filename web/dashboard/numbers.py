"""The Numbers page: how the shop is doing over a period, as charts, each with its CSV.

`/admin/numbers?period=week|month|quarter` (the last 3 months by default) or
`?period=custom&from=YYYY-MM-DD&to=YYYY-MM-DD`, cut `&by=day|week|month`; every chart's data
downloads from `/admin/numbers/{chart}.csv` with the same query. Dates the owner typed wrong
are said so above the default period's numbers (status 422).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Annotated, TypeVar
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_interval
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from domain.accounts import Area
from domain.errors import InvalidRequest
from domain.numbers import (
    Grain,
    Numbers,
    Period,
    Preset,
    custom_period,
    grains_for,
    preset_period,
)
from domain.storage.numbers import shop_numbers
from web.dashboard.numbers_charts import CHARTS
from web.dashboard.numbers_view import Buckets, Chart, Speaker, figures
from web.dashboard.pages import N_, page
from web.dashboard.sessions import Allowed, Viewer
from web.deps import ClockDep, UowDep

router = APIRouter(prefix="/admin", include_in_schema=False)
NumbersViewer = Annotated[Viewer, Depends(Allowed(Area.NUMBERS))]
PRESETS = (
    (Preset.WEEK, N_("This week")),
    (Preset.MONTH, N_("This month")),
    (Preset.QUARTER, N_("Last 3 months")),
)
GRAINS = ((Grain.DAY, N_("By day")), (Grain.WEEK, N_("By week")), (Grain.MONTH, N_("By month")))
E = TypeVar("E", bound=StrEnum)


@router.get("/numbers")
async def numbers_page(
    request: Request, who: NumbersViewer, uow_factory: UowDep, clock: ClockDep
) -> Response:
    """The period's charts, with the choice of period and cut."""
    period, error, found, say = await _read(request, who, uow_factory, clock)
    buckets = Buckets(found, say)
    query = period_query(period)
    return await page(
        request,
        who,
        "numbers.html",
        active=Area.NUMBERS,
        title=N_("Numbers"),
        status=422 if error else 200,
        error=error,
        period=period,
        typed=_typed(request.query_params, period, error),
        span=format_interval(period.first, period.last, "yMMMMd", locale=who.shop.locale),
        figures=figures(found, say),
        charts=[build(found, say, buckets) for build in CHARTS.values()],
        csv_query=urlencode(query),
        presets=[(label, _url(period=p.value), p is period.preset) for p, label in PRESETS],
        grains=[
            (label, _url(**{**query, "by": g.value}), g is period.grain)
            for g, label in GRAINS
            if g in grains_for(period.first, period.last)
        ],
    )


@router.get("/numbers/{key}.csv")
async def numbers_csv(
    key: str, request: Request, who: NumbersViewer, uow_factory: UowDep, clock: ClockDep
) -> Response:
    """One chart's data as a spreadsheet (UTF-8 with a BOM, so Excel reads the accents)."""
    if key not in CHARTS:
        raise HTTPException(404)
    period, _error, found, say = await _read(request, who, uow_factory, clock)
    chart: Chart = CHARTS[key](found, say, Buckets(found, say))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(chart.table.header)
    writer.writerows(chart.table.rows)
    name = f"{who.shop.slug}-{key}-{period.first}-{period.last}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="{name}"',
            "cache-control": "no-store",
        },
    )


async def _read(
    request: Request, who: Viewer, uow_factory: UowDep, clock: ClockDep
) -> tuple[Period, str | None, Numbers, Speaker]:
    """The period asked for (and what was wrong with it), its numbers, the shop's speech."""
    today = clock.now().astimezone(ZoneInfo(who.shop.timezone)).date()
    period, error = choose_period(request.query_params, today)
    found = await shop_numbers(uow_factory, who.shop, period, clock.now())
    return period, error, found, Speaker(who.shop.locale, who.shop.currency)


def _typed(query: Mapping[str, str], period: Period, error: str | None) -> tuple[str, str]:
    """The dates for the form: what was typed when it was wrong (to fix it), else the period."""
    if error:
        return query.get("from", "")[:10], query.get("to", "")[:10]
    return period.first.isoformat(), period.last.isoformat()


def choose_period(query: Mapping[str, str], today: date) -> tuple[Period, str | None]:
    """The period asked for in the query, or the last 3 months and what was wrong (a msgid)."""
    grain = _choice(Grain, query.get("by"))
    preset = _choice(Preset, query.get("period"))
    if preset is None:
        preset = Preset.CUSTOM if query.get("from") else Preset.QUARTER
    if preset is not Preset.CUSTOM:
        return preset_period(preset, today, grain), None
    try:
        first = date.fromisoformat(query.get("from", "")[:10])
        last = date.fromisoformat(query.get("to", "")[:10])
    except ValueError:
        return preset_period(Preset.QUARTER, today), N_("Choose a first and a last day.")
    try:
        return custom_period(first, last, grain), None
    except InvalidRequest:
        if last < first:
            error = N_("The last day comes before the first: choose them again.")
        else:
            error = N_("Choose at most three years.")
        return preset_period(Preset.QUARTER, today), error


def period_query(period: Period) -> dict[str, str]:
    """The query that asks for `period` again."""
    if period.preset is not Preset.CUSTOM:
        return {"period": period.preset.value, "by": period.grain.value}
    return {
        "period": Preset.CUSTOM.value,
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "by": period.grain.value,
    }


def _choice(kind: type[E], value: str | None) -> E | None:
    try:
        return kind(value) if value else None
    except ValueError:
        return None


def _url(**query: str) -> str:
    return "/admin/numbers?" + urlencode(query)
