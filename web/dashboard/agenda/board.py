"""The agenda page: a day (a column per professional) or a week, that refreshes itself.

The board (the table, or the week's list) is rendered on its own and fingerprinted: the page
asks for it again every few seconds with the fingerprint it shows, and the answer is 204 (no
change, nothing to swap) until a turno is booked, moved or cancelled anywhere (a chat too).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from domain.model import BookingStatus, Professional
from domain.staff import day_bounds
from domain.storage.owner_agenda import SHOWN, AgendaQuery, BookingRead, shop_bookings, working_days
from web.dashboard.agenda.access import AgendaViewer, agenda_page, catalog_of, own_column
from web.dashboard.agenda.grid import DayGrid, day_grid
from web.dashboard.agenda.labels import label_helpers
from web.dashboard.agenda.notices import Notice, read_notice
from web.dashboard.agenda.view import AgendaView, read_view
from web.dashboard.agenda.week import WeekDay, week_days
from web.dashboard.pages import N_
from web.dashboard.sessions import Refused, Viewer
from web.dashboard.templating import ENVIRONMENT, render
from web.deps import ClockDep

router = APIRouter(prefix="/admin/agenda", include_in_schema=False)
MAX_TURNOS = 2000  # a week of a big shop is a few hundred
_NOT_CANCELLED = tuple(s for s in SHOWN if s != BookingStatus.CANCELLED.value)


@dataclass(frozen=True)
class Board:
    """What the agenda shows: the columns, and the day's table or the week's days."""

    view: AgendaView
    today: date
    columns: list[Professional]
    chips: list[Professional]  # whose column the viewer may pick (none for a professional)
    turnos: list[BookingRead]
    grid: DayGrid | None
    week: list[WeekDay] | None
    closed: bool
    holiday: str | None

    @property
    def count(self) -> int:
        """How many turnos take (or took) place: cancelled ones, when shown, aside."""
        return sum(1 for t in self.turnos if t.status != BookingStatus.CANCELLED.value)


@router.get("")
async def agenda(
    request: Request,
    who: AgendaViewer,
    clock: ClockDep,
    day: str | None = None,
    view: str | None = None,
    pro: str | None = None,
    cancelled: str | None = None,
) -> Response:
    """Today (or the day or week asked for), a column per professional."""
    now = clock.now()
    board = await read_board(request, who, _view(who, now, day, view, pro, cancelled), now)
    content, fingerprint = _board_html(who, board)
    notice: Notice | None = await read_notice(request, who, now)
    return await agenda_page(
        request,
        who,
        "agenda/page.html",
        title=N_("Agenda"),
        board=board,
        view=board.view,
        today=board.today,
        content=Markup(content),
        fingerprint=fingerprint,
        notice=notice,
    )


@router.get("/board")
async def board_only(
    request: Request,
    who: AgendaViewer,
    clock: ClockDep,
    day: str | None = None,
    view: str | None = None,
    pro: str | None = None,
    cancelled: str | None = None,
    seen: str = "",
) -> Response:
    """The board alone, for the page to swap in: 204 while it is what the page shows."""
    now = clock.now()
    board = await read_board(request, who, _view(who, now, day, view, pro, cancelled), now)
    content, fingerprint = _board_html(who, board)
    if seen == fingerprint:
        return Response(status_code=204, headers={"Cache-Control": "no-store"})
    return render(
        "agenda/board.html",
        who.speech,
        view=board.view,
        content=Markup(content),
        fingerprint=fingerprint,
    )


def _view(
    who: Viewer,
    now: datetime,
    day: str | None,
    view: str | None,
    pro: str | None,
    cancelled: str | None,
) -> AgendaView:
    """The view asked for; a professional asking for another's column is refused."""
    today = now.astimezone(ZoneInfo(who.shop.timezone)).date()
    asked = read_view(today, day, view, pro, cancelled)
    own = own_column(who)
    if own is not None and asked.professional_id not in (None, own):
        raise Refused("not_allowed")
    return asked


async def read_board(request: Request, who: Viewer, view: AgendaView, now: datetime) -> Board:
    """The turnos, columns and working hours of the days in view."""
    shop, uow_factory = who.shop, request.app.state.uow_factory
    catalog = await catalog_of(request, who, now)
    own = own_column(who)
    wanted = own if own is not None else view.professional_id
    if own is None and wanted not in {p.id for p in catalog.professionals}:
        wanted = None  # the owner named nobody, or nobody of this shop: everyone
    turnos = await shop_bookings(uow_factory, _query(who, view, wanted, now))
    busy = {t.professional_id for t in turnos}
    columns = [  # archived professionals too, while they have turnos to show
        p
        for p in catalog.professionals
        if (wanted is None or p.id == wanted) and (p.active or p.id in busy)
    ]
    working = await working_days(uow_factory, shop, [p.id for p in columns], view.first, view.last)
    calendar, zone = working.calendar, shop.timezone
    return Board(
        view=view,
        today=now.astimezone(ZoneInfo(zone)).date(),
        columns=columns,
        chips=[p for p in catalog.professionals if p.active] if own is None else [],
        turnos=turnos,
        grid=None
        if view.week
        else day_grid(view.day, zone, columns, turnos, working.schedules, calendar, now),
        week=week_days(view.days, zone, turnos, calendar) if view.week else None,
        closed=calendar.is_closed(view.day),
        holiday=calendar.holiday_name(view.day),
    )


def _query(
    who: Viewer, view: AgendaView, professional_id: int | None, now: datetime
) -> AgendaQuery:
    """The shop's turnos of the days in view (cancelled ones only when asked for)."""
    return AgendaQuery(
        shop_id=who.shop.id,
        since=day_bounds(view.first, who.shop.timezone)[0],
        until=day_bounds(view.last, who.shop.timezone)[1],
        statuses=SHOWN if view.cancelled else _NOT_CANCELLED,
        now=now,
        professional_id=professional_id,
        limit=MAX_TURNOS,
    )


def _board_html(who: Viewer, board: Board) -> tuple[str, str]:
    """The board's HTML and its fingerprint (what tells the page that something changed)."""
    template = "agenda/week.html" if board.view.week else "agenda/grid.html"
    html = ENVIRONMENT.get_template(template).render(
        **who.speech.helpers(),
        **label_helpers(),
        lang=who.speech.locale,
        board=board,
        view=board.view,
        today=board.today,
    )
    return html, hashlib.sha256(html.encode()).hexdigest()[:20]
