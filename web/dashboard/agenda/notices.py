"""What the agenda says after a form sent the browser back to it (POST, then 303): the turno
just booked, or the time just blocked and the turnos left inside it (never cancelled)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import Request

from domain.model import ACTIVE_STATUSES
from domain.staff import day_bounds
from domain.storage.owner_agenda import AgendaQuery, BookingRead, shop_bookings
from web.dashboard.agenda.access import catalog_of, may_act_for, turno_of
from web.dashboard.agenda.view import read_id
from web.dashboard.sessions import Viewer

_ACTIVE = tuple(s.value for s in ACTIVE_STATUSES)


@dataclass(frozen=True)
class Notice:
    """`booked` (with the turno) or `blocked` (whose time, when, and the turnos inside)."""

    kind: str
    turno: BookingRead | None = None
    professional: str = ""
    span: tuple[datetime, datetime] | None = None
    inside: tuple[BookingRead, ...] = ()


def blocked_query(professional_id: int, start: datetime, end: datetime) -> dict[str, str]:
    """The address parameters that make the agenda tell about a block."""
    return {
        "done": "blocked",
        "bpro": str(professional_id),
        "bstart": start.isoformat(),
        "bend": end.isoformat(),
    }


async def read_notice(request: Request, who: Viewer, now: datetime) -> Notice | None:
    """The notice the address asks for, if it names things this login may see."""
    asked = request.query_params
    if asked.get("done") == "booked":
        turno_id = read_id(asked.get("turno"))
        turno = await turno_of(request, who, turno_id, now) if turno_id else None
        return Notice("booked", turno=turno) if turno else None
    if asked.get("done") == "blocked":
        return await _blocked(request, who, now)
    return None


async def _blocked(request: Request, who: Viewer, now: datetime) -> Notice | None:
    asked = request.query_params
    professional_id = read_id(asked.get("bpro"))
    span = _moment(asked.get("bstart")), _moment(asked.get("bend"))
    if professional_id is None or not may_act_for(who, professional_id):
        return None
    start, end = span
    if start is None or end is None or end <= start:
        return None
    catalog = await catalog_of(request, who, now)
    names = {p.id: p.nickname or p.name for p in catalog.professionals}
    if professional_id not in names:
        return None
    local_day = start.astimezone(ZoneInfo(who.shop.timezone)).date()
    turnos = await shop_bookings(
        request.app.state.uow_factory,
        AgendaQuery(
            shop_id=who.shop.id,
            since=day_bounds(local_day, who.shop.timezone)[0],
            until=end,
            statuses=_ACTIVE,
            now=now,
            professional_id=professional_id,
        ),
    )
    inside = tuple(t for t in turnos if t.start < end and t.end > start)
    return Notice("blocked", professional=names[professional_id], span=(start, end), inside=inside)


def _moment(text: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
