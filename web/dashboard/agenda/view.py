"""What the agenda page is showing: a day or a week, whose column, cancelled turnos or not; read
leniently from the address (a day that is not one is today) and written back into links."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import urlencode

FIRST_YEAR, LAST_YEAR = 2000, 2100
PATH = "/admin/agenda"


@dataclass(frozen=True)
class AgendaView:
    """The agenda as asked for: a day (or the week around it), one professional or all."""

    day: date
    week: bool = False
    professional_id: int | None = None
    cancelled: bool = False

    @property
    def first(self) -> date:
        """The first day shown: the day, or the Monday of its week."""
        return self.day - timedelta(days=self.day.weekday()) if self.week else self.day

    @property
    def last(self) -> date:
        """The last day shown (included)."""
        return self.first + timedelta(days=6) if self.week else self.day

    @property
    def days(self) -> list[date]:
        """Every day shown, in order."""
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def step(self, forward: bool) -> AgendaView:
        """The next (or previous) day, or week."""
        jump = timedelta(days=7 if self.week else 1)
        return replace(self, day=self.day + (jump if forward else -jump))

    def link(self, path: str = PATH, **changes: object) -> str:
        """The address of this view (changed by `changes`), with `path` and extra parameters."""
        known = {k: v for k, v in changes.items() if k in _FIELDS}
        extra = {k: v for k, v in changes.items() if k not in _FIELDS and v is not None}
        view = replace(self, **known)  # type: ignore[arg-type]
        query: dict[str, object] = {"day": view.day.isoformat()}
        if view.week:
            query["view"] = "week"
        if view.professional_id is not None:
            query["pro"] = view.professional_id
        if view.cancelled:
            query["cancelled"] = 1
        return f"{path}?{urlencode({**query, **extra})}"


_FIELDS = {"day", "week", "professional_id", "cancelled"}


def read_view(
    today: date,
    day: str | None,
    view: str | None,
    pro: str | None,
    cancelled: str | None,
) -> AgendaView:
    """The view the address asks for; what cannot be read falls back to today, all, day."""
    return AgendaView(
        day=read_day(day) or today,
        week=view == "week",
        professional_id=read_id(pro),
        cancelled=cancelled in {"1", "on", "true"},
    )


def read_day(text: str | None) -> date | None:
    """A YYYY-MM-DD day within the years the calendar covers, or None."""
    try:
        found = date.fromisoformat(text or "")
    except ValueError:
        return None
    return found if FIRST_YEAR <= found.year <= LAST_YEAR else None


def read_id(text: str | None) -> int | None:
    """A positive database id, or None."""
    if text is None or not text.isdigit() or len(text) > 9:
        return None
    return int(text) or None
