"""Blocking a professional's time for a stretch of a day («me voy a almorzar 40 min»): stored
as time off, as the staff chat does; turnos already inside are listed, never cancelled."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from domain.staff import DEFAULT_BLOCK_MINUTES, at_local, round_up
from domain.storage.agenda import block_time
from web.acting import viewer_uow
from web.dashboard.agenda.access import (
    AgendaViewer,
    agenda_page,
    bookable_professionals,
    catalog_of,
    may_act_for,
)
from web.dashboard.agenda.notices import blocked_query
from web.dashboard.agenda.view import AgendaView, read_day, read_id
from web.dashboard.pages import N_
from web.dashboard.sessions import Refused, Viewer
from web.deps import ClockDep

router = APIRouter(prefix="/admin/agenda", include_in_schema=False)
MAX_REASON = 200  # what time off keeps


@dataclass(frozen=True)
class BlockForm:
    """The form as typed: whose time, which day, from and to (HH:MM), why; errors by field."""

    professional_id: int | None
    day: date
    start: str
    end: str
    reason: str = ""
    errors: dict[str, str] = field(default_factory=dict)


@router.get("/block")
async def block_form(
    request: Request,
    who: AgendaViewer,
    clock: ClockDep,
    day: str | None = None,
    pro: str | None = None,
) -> Response:
    """The form: today from now (rounded up) for an hour, unless another day is asked."""
    now = clock.now()
    zone = ZoneInfo(who.shop.timezone)
    local_now = now.astimezone(zone)
    chosen = read_day(day) or local_now.date()
    opens = datetime.combine(chosen, time(13), zone)  # another day: after lunch, to change
    if chosen == local_now.date():
        opens = round_up(local_now)
    closes = opens + timedelta(minutes=DEFAULT_BLOCK_MINUTES)
    pro_id = read_id(pro)
    form = BlockForm(
        pro_id if pro_id and may_act_for(who, pro_id) else None,
        chosen,
        opens.strftime("%H:%M"),
        closes.strftime("%H:%M") if closes.date() == opens.date() else "23:59",
    )
    return await _page(request, who, form)


@router.post("/block")
async def block(
    request: Request,
    who: AgendaViewer,
    clock: ClockDep,
    pro: Annotated[str, Form()] = "",
    day: Annotated[str, Form()] = "",
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Store the blocked time, then show it on the agenda with any turno inside it."""
    pro_id = read_id(pro)
    if pro_id is not None and not may_act_for(who, pro_id):
        raise Refused("not_allowed")
    catalog = await catalog_of(request, who, clock.now())
    people = {p.id for p in bookable_professionals(catalog, who)}
    if len(people) == 1:
        pro_id = next(iter(people))
    chosen = read_day(day)
    today = clock.now().astimezone(ZoneInfo(who.shop.timezone)).date()
    form = BlockForm(pro_id, chosen or today, start, end, reason)
    span = _span(form, chosen, who.shop.timezone)
    errors = _errors(form, chosen, span, people)
    if errors or span is None or pro_id is None:
        return await _page(request, who, replace(form, errors=errors), 422)
    await block_time(viewer_uow(request, who, clock), pro_id, *span, reason.strip())
    shown = AgendaView(form.day, professional_id=pro_id if len(people) == 1 else None)
    return RedirectResponse(shown.link(**blocked_query(pro_id, *span)), 303)


def _span(form: BlockForm, day: date | None, timezone: str) -> tuple[datetime, datetime] | None:
    """From and to on the day, in UTC («23:59» is the end of the day)."""
    opens, closes = _clock(form.start), _clock(form.end)
    if day is None or opens is None or closes is None:
        return None
    zone = ZoneInfo(timezone)
    start = at_local(day, opens, zone).astimezone(UTC)
    return start, at_local(day, closes, zone).astimezone(UTC)


def _errors(
    form: BlockForm,
    day: date | None,
    span: tuple[datetime, datetime] | None,
    people: set[int],
) -> dict[str, str]:
    errors = {}
    if form.professional_id not in people:
        errors["pro"] = N_("Choose whose time it is.")
    if day is None:
        errors["day"] = N_("Choose a day.")
    if _clock(form.start) is None:
        errors["start"] = N_("Write a time, like 13:00.")
    if _clock(form.end) is None:
        errors["end"] = N_("Write a time, like 13:40.")
    elif span is not None and span[1] <= span[0]:
        errors["end"] = N_("It must end after it starts.")
    if len(form.reason) > MAX_REASON:
        errors["reason"] = N_("At most 200 characters.")
    return errors


def _clock(text: str) -> time | None:
    """A wall-clock time written HH:MM."""
    try:
        return time.fromisoformat(text.strip()) if len(text.strip()) == 5 else None
    except ValueError:
        return None


async def _page(request: Request, who: Viewer, form: BlockForm, status: int = 200) -> Response:
    catalog = await catalog_of(request, who, request.app.state.clock.now())
    return await agenda_page(
        request,
        who,
        "agenda/block.html",
        title=N_("Block time"),
        status=status,
        form=form,
        professionals=bookable_professionals(catalog, who),
        back=AgendaView(form.day).link(),
    )
