"""Times said relative to the conversation: the first free one ("ya", "la primera que tengas"),
later or earlier than the time on the table ("más tarde"), the same time as before ("a la misma
hora" when moving a turno), and a bare hour typed where a time is asked ("17").

The booking flow asks these helpers what such words change in its draft; the words themselves
are read in conversations/understanding/times.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from zoneinfo import ZoneInfo

from conversations.context import BookingView, Context
from conversations.flows.labels import local_time
from conversations.reply import Answer
from conversations.state import CachedSlot, Draft, Mode
from conversations.understanding import Intent, Understanding, normalize
from conversations.understanding.clock import day_time, shifted

START_OF_DAY = time(0)
END_OF_DAY = time(23, 59)
FRESH_TIME = {"slot": None, "slots": (), "page": 0, "repeat": False}


def relative_changes(
    draft: Draft, understood: Understanding, ctx: Context, per_page: int
) -> dict[str, object]:
    """The draft changes that "ya", "la primera que tengas", "más tarde", "más temprano" and
    "a la misma hora" ask for (nothing when the message names an exact time)."""
    if understood.at is not None:
        return {"soonest": False} if draft.soonest else {}
    if understood.same_time and (at := _same_time(draft, ctx)) is not None:
        return {**FRESH_TIME, "at": at, "window": None, "soonest": False}
    if understood.soonest:
        changes: dict[str, object] = {**FRESH_TIME, "at": None, "soonest": True}
        if understood.professional_id is None and draft.professional_id is None:
            changes["any_professional"] = True  # the first free with whoever is free
        return changes
    if understood.shift and understood.window is None:
        return _shifted(draft, understood, ctx, per_page)
    if draft.soonest and (understood.window or understood.first_day):
        return {"soonest": False}  # a new day or time asked for: choose among it again
    return {}


def moving(draft: Draft, ctx: Context) -> BookingView | None:
    """The turno being moved, in a reschedule."""
    if draft.mode is not Mode.RESCHEDULE:
        return None
    return next((b for b in ctx.upcoming if b.id == draft.booking_id), None)


def _same_time(draft: Draft, ctx: Context) -> time | None:
    """The wall time of the turno being moved (in a new booking "a la misma hora" may mean two
    people at once, so it is left to whoever reads that)."""
    before = moving(draft, ctx)
    return local_time(before.start, ctx) if before is not None else None


def _shifted(
    draft: Draft, understood: Understanding, ctx: Context, per_page: int
) -> dict[str, object]:
    """A window after (or before) the time on the table: the one chosen, asked for or shown."""
    later = understood.shift > 0
    changes: dict[str, object] = {**FRESH_TIME, "at": None, "soonest": False}
    reference = _reference(draft, later, ctx, per_page)
    if reference is None and (moved := moving(draft, ctx)) is not None:
        reference = local_time(moved.start, ctx)  # "pasalo más tarde": the same day, later
        if understood.first_day is None and draft.day is None:
            day = moved.start.astimezone(ZoneInfo(ctx.shop.timezone)).date()
            changes.update(first_day=day, last_day=day)
    if reference is None:
        return {}
    window = (shifted(reference, 1), END_OF_DAY) if later else (START_OF_DAY, reference)
    return {**changes, "window": window}


def _reference(draft: Draft, later: bool, ctx: Context, per_page: int) -> time | None:
    if draft.slot is not None:
        return local_time(draft.slot.start, ctx)
    if draft.at is not None:
        return draft.at
    shown: tuple[CachedSlot, ...] = draft.slots[draft.page * per_page : (draft.page + 1) * per_page]
    if shown:
        times = [local_time(s.start, ctx) for s in shown]
        return max(times) if later else min(times)
    if draft.window is not None:
        return draft.window[0]
    return None


def beyond(draft: Draft) -> int:
    """+1 / -1 when the window is "más tarde" / "más temprano" than a time (0 otherwise)."""
    if draft.at is not None or draft.window is None:
        return 0
    return 1 if draft.window[1] == END_OF_DAY else -1 if draft.window[0] == START_OF_DAY else 0


def closest_last(draft: Draft) -> bool:
    """The times asked for are "más temprano" than some time: the latest of them matter most."""
    return beyond(draft) < 0


def takes_first(draft: Draft, understood: Understanding) -> bool:
    """A plain yes to the first free time on offer ("dale", "sí, esa")."""
    said_else = understood.at or understood.first_day or understood.window or understood.shift
    return (
        draft.soonest
        and bool(draft.slots)
        and Intent.YES in understood.intents
        and Intent.NO not in understood.intents
        and not said_else
    )


def with_bare_hour(answer: Answer, ctx: Context) -> Understanding:
    """A bare "17" (or "diecisiete") where a time is asked, and not an option's number: 17:00."""
    understood = answer.understood
    if understood.at is not None or understood.number is None or understood.first_day:
        return understood
    if len(normalize(answer.text).split()) != 1:
        return understood
    at = day_time(understood.number, 0, None, ctx.opens, ctx.closes)
    return replace(understood, at=at) if at is not None else understood
