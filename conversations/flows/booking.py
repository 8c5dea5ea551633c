"""Booking: service → professional (or "cualquiera") → day → time → name (when unknown) →
payment → confirm.

Free text at any step fills what it can ("mañana a la tarde con Tincho") and jumps to the first
question still open. The same steps serve a reschedule (service and professional fixed, no
payment) and "lo de siempre" (last service and professional, the same weekday and time).
Times said relative to the conversation ("ya", "más tarde", "a la misma hora") are turned into
draft changes by relative_times.py.
Diagram: booking.mmd beside this file.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from conversations.commands import (
    BookingMade,
    BookingMoved,
    BookSlot,
    DaysFound,
    Failed,
    FindDays,
    FindSlots,
    JoinWaitlist,
    PaymentDue,
    RescheduleBooking,
    Result,
    SlotLost,
    SlotsFound,
)
from conversations.context import BookingView, Context
from conversations.flows import pair, shop_answers, shop_hours
from conversations.flows.changes import acknowledged, chosen_time, impossible, nobody_called
from conversations.flows.common import Option, as_page, ask, choice_key, menu, say
from conversations.flows.labels import (
    day_label,
    day_phrase,
    local_time,
    payment_label,
    professional_name,
    service_label,
    short_time,
    slot_label,
    summary,
    what_and_who,
    when_asked,
)
from conversations.flows.relative_times import (
    beyond,
    closest_last,
    relative_changes,
    takes_first,
    with_bare_hour,
)
from conversations.reply import Answer, Prompt, Reply, StepSpec
from conversations.state import CachedSlot, Draft, Mode, State, Step
from conversations.understanding import (
    CatalogEntry,
    Intent,
    Question,
    Topic,
    Understanding,
    combined_service,
    normalize,
    pick_day,
)
from domain.formatting import format_day, format_money, format_when
from domain.payments import cuit_label

DAYS_PER_PAGE = 6
SLOTS_PER_PAGE = 8
REPEAT_HORIZON_DAYS = 14


def start(state: State, understood: Understanding | None, ctx: Context) -> Reply:
    """Begin a booking, with whatever the customer already said."""
    fresh = replace(state, draft=Draft())
    if understood is not None:
        fresh = merge(fresh, understood, ctx)
        if understood.unknown_professional:  # "corte con Pablo": nobody's called so here
            nobody = nobody_called(understood.unknown_professional, fresh, ctx)
            return say(fresh, nobody).then(advance(fresh, ctx))
    return advance(fresh, ctx)


def repeat(state: State, ctx: Context) -> Reply:
    """ "Lo de siempre": the last service with the same professional, same weekday and time."""
    last = ctx.last_booking
    if last is None or ctx.service(last.service_id) is None:
        return start(state, None, ctx)
    draft = Draft(
        service_id=last.service_id,
        professional_id=last.professional_id if ctx.professional(last.professional_id) else None,
        any_professional=ctx.professional(last.professional_id) is None,
        payment_method=last.payment_method if last.payment_method in ctx.payment_methods else None,
        repeat=True,
    )
    return _time_prompt(replace(state, draft=draft), ctx)


def merge(state: State, understood: Understanding, ctx: Context) -> State:
    """The draft with what the text says (service, professional, day, time, repetition)."""
    draft = state.draft
    # A change of service, professional or day keeps the time already on the table.
    kept: dict[str, object] = {"at": chosen_time(draft, ctx), "slot": None, "slots": (), "page": 0}
    # ... and the day, asked for again so a day off for the new choice is named, not empty.
    if draft.day is not None:
        kept.update(day=None, first_day=draft.day, last_day=draft.day, days_checked=True)
    changes: dict[str, object] = {}
    wanted_service = _wanted_service(draft, understood, ctx)
    if wanted_service is not None and draft.mode is Mode.BOOK:
        changes["service_id"] = wanted_service
        if wanted_service != draft.service_id:
            # Another service: the rest stays (a professional who doesn't do it is named).
            changes.update(kept, days=())
    wanted_pro = understood.professional_id
    if wanted_pro is not None and ctx.professional(wanted_pro):
        changes.update(professional_id=wanted_pro, any_professional=False)
        if wanted_pro != draft.professional_id:
            changes.update(kept, days=())
    elif understood.any_professional:
        changes.update(professional_id=None, any_professional=True)
    changes.update(_another(draft, understood, kept))
    if understood.first_day is not None:
        changes.update(
            repeat=False,
            first_day=understood.first_day,
            last_day=understood.last_day or understood.first_day,
            day=None,
            slot=None,
            days=(),
            slots=(),
            page=0,
            at=kept["at"],
            days_checked=False,
        )
    fresh = {"slot": None, "slots": (), "page": 0, "repeat": False, "near": None}
    if understood.at is not None:
        changes.update(fresh, at=understood.at, window=None)
    elif understood.window is not None:
        changes.update(fresh, window=understood.window, at=None)
    reference = chosen_time(draft, ctx)
    if understood.shift and reference is not None and understood.at is None:
        changes.update(_shifted(reference, understood.shift, ctx), slot=None, slots=(), page=0)
    if _today_by_time(draft, understood, ctx) and "first_day" not in changes:
        changes.update(first_day=ctx.today, last_day=ctx.today, days_checked=False)
    if understood.weekly and draft.mode is Mode.BOOK:
        changes.update(every_weeks=understood.weekly, count=understood.count or 4)
    changes.update(relative_changes(draft, understood, ctx, SLOTS_PER_PAGE))
    changes.update(_paying(draft, understood, ctx))
    merged = replace(draft, **changes) if changes else draft  # type: ignore[arg-type]
    merged = pair.noted(merged, understood)  # «para mí y mi hermano»: a second turno
    merged = for_whom(merged, understood, ctx)  # «para mi hijo Felipe»: someone else's turno
    return state if merged == draft else replace(state, draft=merged)


def for_whom(draft: Draft, understood: Understanding, ctx: Context) -> Draft:
    """The draft with whom the turno is for, when the message says it is someone else's
    («para mi hijo Felipe»; «a nombre de Nico» from a customer known by another name)."""
    if draft.mode is not Mode.BOOK or draft.companion is not None:
        return draft
    name = understood.for_name
    under = understood.under_name
    known = ctx.customer_name
    if name is None and under and known and normalize(under) != normalize(known):
        name = under
    if name is not None:
        return replace(draft, for_other=True, for_name=name)
    if understood.for_other:
        return replace(draft, for_other=True)
    return draft


def _today_by_time(draft: Draft, understood: Understanding, ctx: Context) -> bool:
    """A time and no day, before any day was talked about ("¿me cortás a las 17?" at 16:10):
    today, while that time is still ahead."""
    if understood.at is None or understood.first_day is not None or understood.weekly:
        return False
    if draft.mode is not Mode.BOOK or draft.first_day or draft.day or draft.days:
        return False
    return understood.at > local_time(ctx.now, ctx)


def _wanted_service(draft: Draft, understood: Understanding, ctx: Context) -> int | None:
    """The service the text asks for; "y barba también" adds it to the one chosen."""
    said, chosen = ctx.service(understood.service_id), ctx.service(draft.service_id)
    if said is None:
        return None
    if understood.adding and chosen is not None and chosen.id != said.id:
        active = tuple(CatalogEntry(s.id, s.name) for s in ctx.services if s.active)
        both = combined_service(
            CatalogEntry(chosen.id, chosen.name), CatalogEntry(said.id, said.name), active
        )
        return both or said.id
    return said.id


def _another(draft: Draft, understood: Understanding, kept: dict[str, object]) -> dict[str, object]:
    """ "Otro día", "otro horario", "con otro": that part is chosen again, the rest stays."""
    if understood.another == "day" and understood.first_day is None:
        return {**kept, "day": None, "first_day": None, "last_day": None, "days": ()}
    if understood.another == "time" and understood.at is None:
        return {"at": None, "window": None, "slot": None, "slots": (), "page": 0}
    someone_else = understood.another == "professional" and understood.professional_id is None
    if someone_else and draft.mode is Mode.BOOK:
        return {**kept, "professional_id": None, "any_professional": False, "days": ()}
    return {}


def _shifted(reference: time, shift: int, ctx: Context) -> dict[str, object]:
    """ "Más temprano" / "más tarde" than the time on the table, as a window that day."""
    if shift < 0:
        return {"at": None, "near": reference, "window": (ctx.opens, reference)}
    later = (datetime.combine(date.min, reference) + timedelta(minutes=1)).time()
    return {"at": None, "near": reference, "window": (later, ctx.closes)}


# A turno already booked, as opposed to the one being chosen ("el turno que tengo").
_MINE = re.compile(r"\b(?:mi|mis|el otro) turnos?\b|\bturnos? que (?:ya )?(?:tengo|saque)\b")


def about_my_turnos(text: str, understood: Understanding, ctx: Context) -> bool:
    """Mid-booking, a message about a turno already booked ("mis turnos", "cancelá el del
    jueves", "pasame el turno que tengo"), not about this one: the engine reads it at the menu."""
    intents = understood.intents
    if Intent.BOOK in intents:
        return False
    if Intent.MY_BOOKINGS in intents:
        return True
    if not ctx.upcoming or not intents & {Intent.CANCEL, Intent.RESCHEDULE}:
        return False
    if _MINE.search(normalize(text)):
        return True
    days = [local_day(CachedSlot(b.start, b.professional_id, 1), ctx) for b in ctx.upcoming]
    return pick_day(understood, days) is not None


def _paying(draft: Draft, understood: Understanding, ctx: Context) -> dict[str, object]:
    """How they will pay, when a message about the turno says it too ("a las 19, efectivo")."""
    method = understood.payment_method
    if draft.mode is Mode.BOOK and method is not None and method in ctx.payment_methods:
        return {"payment_method": method}
    return {}


def advance(state: State, ctx: Context) -> Reply:
    """Ask the first question the draft does not answer yet."""
    notes, state = impossible(state, ctx)
    if notes:  # a time the shop is closed, a service the professional doesn't do
        return say(state, *notes).then(advance(state, ctx))
    draft = state.draft
    service = ctx.service(draft.service_id)
    if service is None:
        return _service_prompt(state, ctx)
    if draft.professional_id is None and not draft.any_professional:
        offering = [p for p in ctx.professionals if p.active and p.id in service.professional_ids]
        if len(offering) == 1:  # said, so that "4" (Color) also tells who does it
            only = ctx.gettext("{service} is with {professional}, who does it.").format(
                service=service.name, professional=offering[0].nickname or offering[0].name
            )
            chosen = state.with_draft(professional_id=offering[0].id)
            return say(state, only).then(advance(chosen, ctx))
        if _wanted(draft) is not None and not draft.days_checked:
            return _check_days(state, ctx)
        return _professional_prompt(state, ctx)
    if draft.slot is None:
        if draft.day is None:
            return _day_prompt(state, ctx)
        return _time_prompt(state, ctx)
    if draft.mode is Mode.BOOK and (
        (draft.for_other and not draft.for_name) or not (ctx.customer_name or draft.for_name)
    ):
        return ask_name(state, ctx)
    second = pair.pending(state, ctx)  # a second person's turno, found next to this one
    if second is not None:
        return second
    if draft.mode is Mode.BOOK and draft.payment_method is None:
        if len(ctx.payment_methods) == 1:
            return advance(state.with_draft(payment_method=ctx.payment_methods[0]), ctx)
        return _payment_prompt(state, ctx)
    return _confirm_prompt(state, ctx)


def rewind(state: State, step: Step) -> State:
    """The state for going back to `step`: what was chosen there and after is forgotten.

    Going back also leaves "lo de siempre": from then on the customer chooses by hand.
    """
    draft = replace(state.draft, repeat=False)
    if step is Step.SERVICE and draft.mode is Mode.BOOK:
        draft = Draft()
    elif step is Step.PROFESSIONAL:
        draft = replace(
            draft,
            professional_id=None,
            any_professional=False,
            day=None,
            slot=None,
            payment_method=None,
            days=(),
            slots=(),
            page=0,
        )
    elif step is Step.DAY:
        draft = replace(
            draft,
            nothing_wanted=False,
            closed_wanted=False,
            day=None,
            first_day=None,
            last_day=None,
            slot=None,
            payment_method=None,
            slots=(),
            page=0,
        )
    elif step is Step.TIME:
        draft = replace(draft, slot=None, payment_method=None, page=0, at=None)
    elif step is Step.PAYMENT:
        draft = replace(draft, payment_method=None)
    return replace(state, draft=draft)


# -- service and professional -------------------------------------------------------------


def _service_prompt(state: State, ctx: Context) -> Reply:
    _ = ctx.gettext
    options = [(f"svc.{s.id}", service_label(s, ctx)) for s in ctx.services if s.active]
    return ask(state, ctx, Step.SERVICE, _("What would you like to book?"), options)


def _service_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    if answer.choice is not None:
        service_id = int(choice_key(answer.choice.id).removeprefix("svc."))
        return advance(merge(state, answer.understood, ctx).with_draft(service_id=service_id), ctx)
    return _free_text(state, answer, ctx, _service_prompt)


def _professional_prompt(state: State, ctx: Context) -> Reply:
    _ = ctx.gettext
    service = ctx.service(state.draft.service_id)
    assert service is not None
    offering = [p for p in ctx.professionals if p.active and p.id in service.professional_ids]
    wanted = _wanted(state.draft)
    if wanted is not None and wanted[0] == wanted[1]:  # one day asked for: who works then
        working = [p for p in offering if _works_on(p.id, wanted[0], ctx)]
        offering = working or offering
    options: list[Option] = [(f"pro.{p.id}", p.nickname or p.name) for p in offering]
    options.append(("pro.any", _("Anyone")))
    asked = when_asked(state.draft, ctx)  # "¿Con quién? (mañana, ..., a las 19:00)"
    question = _("Who with? ({when})").format(when=asked) if asked else _("Who with?")
    return ask(state, ctx, Step.PROFESSIONAL, question, options)


def _works_on(professional_id: int, day: date, ctx: Context) -> bool:
    """Whether the professional works that day (True when their hours are not known)."""
    schedule = next((s for s in ctx.schedules if s.professional_id == professional_id), None)
    return schedule is None or shop_hours.on_day(schedule, day, ctx) is not None


def _check_days(state: State, ctx: Context) -> Reply:
    """Before asking who: are the days asked for open at all (a Sunday, a holiday)?"""
    draft = state.draft
    horizon = ctx.today + timedelta(days=ctx.shop.policy.max_days_ahead)
    command = FindDays(_service_id(draft), None, ctx.today, horizon, draft.window, _wanted(draft))
    waiting = replace(state.with_draft(days_checked=True), step=Step.PROFESSIONAL)
    return Reply(waiting, (), (command,))


def _days_checked(state: State, result: Result, ctx: Context) -> Reply:
    """The shop is closed the days asked for: say so and offer the nearest open days."""
    _ = ctx.gettext
    wanted = _wanted(state.draft)
    if not isinstance(result, DaysFound) or wanted is None or not _all_closed(wanted, result, ctx):
        return _professional_prompt(state, ctx)
    why = _why_nothing(state.draft, wanted, result, True, ctx)
    if not result.days:
        return menu(state, ctx, before=[why, _("And I have nothing free in the coming days.")])
    shown = state.with_draft(
        days=_nearest_days(result.days, wanted[0]), page=0, first_day=None, last_day=None
    )
    return _show_days(shown, ctx, [why])


def _professional_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    if answer.choice is not None:
        key = choice_key(answer.choice.id).removeprefix("pro.")
        if key == "any":
            return advance(state.with_draft(professional_id=None, any_professional=True), ctx)
        return advance(state.with_draft(professional_id=int(key), any_professional=False), ctx)
    return _free_text(state, answer, ctx, _professional_prompt)


# -- day ------------------------------------------------------------------------------------


def _day_prompt(state: State, ctx: Context) -> Reply:
    draft = state.draft
    horizon = ctx.today + timedelta(days=ctx.shop.policy.max_days_ahead)
    wanted = _wanted(draft)
    command = FindDays(_service_id(draft), _pro(draft), ctx.today, horizon, draft.window, wanted)
    waiting = replace(
        state.with_draft(days=(), page=0, nothing_wanted=False, closed_wanted=False), step=Step.DAY
    )
    return Reply(waiting, (), (command,))


def _days_found(state: State, result: Result, ctx: Context) -> Reply:
    _ = ctx.gettext
    if not isinstance(result, DaysFound):
        return _failed(state, result, ctx)
    draft = state.draft
    wanted = _wanted(draft)
    if draft.soonest and result.days:
        return _soonest_day(state, result, wanted, ctx)
    if wanted is None:
        if not result.days:
            return _nothing_ahead(state, ctx)
        return _show_days(state.with_draft(days=result.days, page=0), ctx)
    fitting = [d for d in result.days if wanted[0] <= d <= wanted[1]]
    if len(fitting) == 1:
        return _time_prompt(state.with_draft(day=fitting[0]), ctx)
    if fitting:
        return _show_days(state.with_draft(days=tuple(fitting), page=0), ctx)
    # Nothing on the days asked for: say why, then offer the nearest days and ways out.
    closed = _all_closed(wanted, result, ctx)
    why = _why_nothing(draft, wanted, result, closed, ctx)
    if not result.days:
        if closed:
            return menu(state, ctx, before=[why, _("And I have nothing free in the coming days.")])
        return _nothing_ahead(state, ctx, why)
    # On a holiday nothing else helps; on a day off "anyone" may; on a full day, all may.
    holiday = closed and any(c.holiday for c in result.closed)
    if closed and not holiday and draft.mode is Mode.RESCHEDULE and draft.professional_id:
        # A move to a day the turno's barber is off: whoever works then (the confirmation
        # names them), rather than that barber's other days.
        anyone = state.with_draft(professional_id=None, any_professional=True)
        return say(state, why).then(_day_prompt(anyone, ctx))
    shown = state.with_draft(
        days=_nearest_days(result.days, wanted[0]),
        page=0,
        nothing_wanted=not holiday,
        closed_wanted=closed,
    )
    return _show_days(shown, ctx, [why])


def _soonest_day(
    state: State, result: DaysFound, wanted: tuple[date, date] | None, ctx: Context
) -> Reply:
    """ "Ya" / "la primera que tengas": the first day with room (saying why not the one asked)."""
    _ = ctx.gettext
    fitting = [d for d in result.days if wanted is None or wanted[0] <= d <= wanted[1]]
    if fitting or wanted is None:
        return _time_prompt(state.with_draft(day=(fitting or list(result.days))[0]), ctx)
    if wanted == (ctx.today, ctx.today) and not any(c.holiday for c in result.closed):
        today = format_day(ctx.today, ctx.locale)
        why = _("I have nothing free today ({day}).").format(day=today)
    else:
        why = _why_nothing(state.draft, wanted, result, _all_closed(wanted, result, ctx), ctx)
    later = state.with_draft(day=result.days[0], first_day=None, last_day=None)
    return say(state, why).then(_time_prompt(later, ctx))


def _nothing_ahead(state: State, ctx: Context, why: str | None = None) -> Reply:
    """Nothing free in the coming days: with a time window, offer to drop it; else the waitlist."""
    _ = ctx.gettext
    if state.draft.window is None:
        why = why or _("I have no free turnos for that in the coming days.")
        return _offer_waitlist(state, ctx, why)
    # Offer to drop the window; the waitlist only if the window can ever be served at all
    # ("después de las 19:45" for a 30-minute corte in a shop closing at 20 cannot).
    why = why or _("I have nothing free at that time in the coming days.")
    return _show_days(state.with_draft(days=(), page=0, nothing_wanted=True), ctx, [why])


def _servable(draft: Draft, ctx: Context) -> bool:
    """The time window leaves room for the service within the shop's hours (else no waitlist)."""
    service = ctx.service(draft.service_id)
    if draft.window is None or service is None:
        return True
    latest = datetime.combine(ctx.today, ctx.closes) - service.duration
    return draft.window[0] <= latest.time() and draft.window[1] > ctx.opens


def _nearest_days(days: tuple[date, ...], wanted: date) -> tuple[date, ...]:
    """The page of days closest to `wanted` (before or after), then the rest, each in order."""
    closest = sorted(days, key=lambda d: (abs((d - wanted).days), d))[:DAYS_PER_PAGE]
    rest = sorted(set(days) - set(closest))
    return (*sorted(closest), *rest)


def _wanted(draft: Draft) -> tuple[date, date] | None:
    """The days the customer asked for, if they named any."""
    if draft.first_day is None:
        return None
    return draft.first_day, draft.last_day or draft.first_day


def _all_closed(wanted: tuple[date, date], result: DaysFound, ctx: Context) -> bool:
    """Nobody offering the service works any of the wanted days (as opposed to: all taken)."""
    horizon = ctx.today + timedelta(days=ctx.shop.policy.max_days_ahead)
    bookable = (wanted[1] - max(wanted[0], ctx.today)).days + 1 if wanted[0] <= horizon else 0
    return bookable > 0 and len(result.closed) >= bookable


def _why_nothing(
    draft: Draft, wanted: tuple[date, date], result: DaysFound, closed: bool, ctx: Context
) -> str:
    """Why the days asked for have nothing: too far ahead, a holiday, a day off, or full."""
    _ = ctx.gettext
    horizon = ctx.today + timedelta(days=ctx.shop.policy.max_days_ahead)
    one_day = wanted[0] == wanted[1]
    day = format_day(wanted[0], ctx.locale)
    if wanted[0] > horizon:
        return _("I can't book that far ahead yet: up to {day}.").format(
            day=format_day(horizon, ctx.locale)
        )
    if closed:
        holiday = result.closed[0].holiday if one_day and result.closed else None
        if holiday and holiday.casefold().startswith("feriado"):  # "Feriado con fines turísticos"
            return _("{day} is a bridge holiday and the shop is closed.").format(day=day)
        if holiday:
            return _("{day} is a holiday ({holiday}) and the shop is closed.").format(
                day=day, holiday=holiday
            )
        professional = ctx.professional(_pro(draft))
        if professional is not None:
            who = professional.nickname or professional.name
            if one_day:
                return _("{professional} doesn't work on {day}.").format(professional=who, day=day)
            return _("{professional} doesn't work those days.").format(professional=who)
        if one_day:
            return _("We don't take turnos on {day}.").format(day=day)
        return _("We don't take turnos those days.")
    narrowed = draft.window is not None
    if one_day:
        if narrowed:
            return _("I have nothing free on {day} at that time.").format(day=day)
        return _("I have nothing free on {day}.").format(day=day)
    if narrowed:
        return _("I have nothing free those days at that time.")
    return _("I have nothing free those days.")


def _show_days(state: State, ctx: Context, before: list[str] | None = None) -> Reply:
    _ = ctx.gettext
    draft = state.draft
    page = draft.days[draft.page * DAYS_PER_PAGE : (draft.page + 1) * DAYS_PER_PAGE]
    options: list[tuple[str, str]] = [(f"day.{d.isoformat()}", day_label(d, ctx)) for d in page]
    if (draft.page + 1) * DAYS_PER_PAGE < len(draft.days):
        options.append(("day.more", _("More days")))
    if draft.nothing_wanted:
        if draft.window is not None and not draft.closed_wanted:
            options.append(("day.anytime", _("Another time those days")))
        if draft.professional_id is not None and not draft.any_professional:
            options.append(("day.anyone", _("Anyone those days")))
        if draft.mode is Mode.BOOK and not draft.closed_wanted and _servable(draft, ctx):
            options.append(("day.waitlist", _("Waitlist for those days")))
    return ask(state, ctx, Step.DAY, _("Which day?"), options, before=before or ())


def _day_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    if answer.choice is not None:
        key = choice_key(answer.choice.id).removeprefix("day.")
        if key == "more":
            return as_page(_show_days(state.with_draft(page=state.draft.page + 1), ctx))
        if key == "anytime":
            return advance(state.with_draft(window=None, at=None), ctx)
        if key == "anyone":
            return advance(state.with_draft(professional_id=None, any_professional=True), ctx)
        if key == "waitlist":
            return _join_waitlist(state, ctx)
        day = date.fromisoformat(key)
        if state.draft.professional_id is None and not state.draft.any_professional:
            # The day came first (the one asked for was closed): who, then the times.
            return advance(state.with_draft(day=day, first_day=day, last_day=day), ctx)
        return _time_prompt(state.with_draft(day=day), ctx)
    return _free_text(state, answer, ctx, _show_days)


# -- time -----------------------------------------------------------------------------------


def _time_prompt(state: State, ctx: Context) -> Reply:
    draft = state.draft
    if draft.repeat:
        first, last = ctx.today, ctx.today + timedelta(days=REPEAT_HORIZON_DAYS)
    else:
        assert draft.day is not None
        first = last = draft.day
    command = FindSlots(_service_id(draft), _pro(draft), first, last)
    waiting = replace(state.with_draft(slots=(), page=0, slot=None), step=Step.TIME)
    return Reply(waiting, (), (command,))


def _slots_found(state: State, result: Result, ctx: Context) -> Reply:
    _ = ctx.gettext
    if not isinstance(result, SlotsFound):
        return _failed(state, result, ctx)
    draft = state.draft
    slots = _distinct(
        tuple(CachedSlot(s.start, s.professional_id, s.seats_left) for s in result.slots),
        draft.any_professional,
    )
    slots = tuple(s for s in slots if not _clashes_with_mine(s, draft, ctx))
    if draft.repeat:
        return _repeat_slots(state, slots, ctx)
    that_day = slots
    if draft.window is not None:
        low, high = draft.window
        slots = tuple(s for s in slots if low <= local_time(s.start, ctx) < high)
    if not slots and that_day and beyond(draft):
        return _nothing_beyond(state, that_day, ctx)
    if draft.soonest and slots:
        return _first_free(state, slots, ctx)
    if closest_last(draft):  # "más temprano": the times just before, not the day's first
        slots = slots[-SLOTS_PER_PAGE:]
    if draft.at is not None:
        exact = [s for s in slots if local_time(s.start, ctx) == draft.at]
        if exact:
            return advance(state.with_draft(slot=exact[0], slots=slots), ctx)
    if not slots:
        return _offer_waitlist(state, ctx, _("I have no free times left that day."))
    before = [_("I don't have that exact time, but I do have:")] if draft.at else []
    return _show_slots(
        state.with_draft(slots=slots, page=_page_near(slots, draft, ctx)), ctx, before
    )


def _nothing_beyond(state: State, slots: tuple[CachedSlot, ...], ctx: Context) -> Reply:
    """Nothing later (or earlier) that day: say so, and show the day's times closest to it."""
    _ = ctx.gettext
    later = beyond(state.draft) > 0
    note = _("I have nothing later that day.") if later else _("I have nothing earlier that day.")
    page = (len(slots) - 1) // SLOTS_PER_PAGE if later else 0
    return _show_slots(state.with_draft(window=None, slots=slots, page=page), ctx, [note])


def _first_free(state: State, slots: tuple[CachedSlot, ...], ctx: Context) -> Reply:
    """The first free time said ("Lo primero que tengo: ..."), the day's times below it; a
    "dale" takes it."""
    _ = ctx.gettext
    first = min(slots, key=lambda s: s.start)
    when = day_phrase(local_day(first, ctx), ctx) + ", " + short_time(local_time(first.start, ctx))
    said = _("The first I have: {when} with {professional}.").format(
        when=when,
        professional=professional_name(first.professional_id, ctx),
    )
    shown = state.with_draft(slots=slots, page=0, day=local_day(first, ctx))
    return _show_slots(shown, ctx, [said])


def _page_near(slots: tuple[CachedSlot, ...], draft: Draft, ctx: Context) -> int:
    """The page holding the slot closest to the time asked for ("a las 17"), else the first."""
    near = draft.at or draft.near
    if near is None or not slots:
        return 0
    wanted = near.hour * 60 + near.minute
    minutes = [(t.hour * 60 + t.minute) for t in (local_time(s.start, ctx) for s in slots)]
    nearest = min(range(len(slots)), key=lambda i: abs(minutes[i] - wanted))
    return nearest // SLOTS_PER_PAGE


def _repeat_slots(state: State, slots: tuple[CachedSlot, ...], ctx: Context) -> Reply:
    _ = ctx.gettext
    last = ctx.last_booking
    if last is not None:
        same = [s for s in slots if _same_weekday_and_time(s, last, ctx)]
        if same:
            day = local_day(same[0], ctx)
            return advance(state.with_draft(slot=same[0], slots=slots, day=day), ctx)
        slots = _nearest(slots, _usual_start(last, ctx))
    else:
        slots = slots[: SLOTS_PER_PAGE * 3]
    if not slots:
        return _offer_waitlist(state, ctx, _("I have no free turnos for that in the coming days."))
    return _show_slots(
        state.with_draft(slots=slots, page=0, day=_one_day(slots, ctx)),
        ctx,
        [_("Your usual time is taken. These are the closest:")],
    )


def _show_slots(state: State, ctx: Context, before: list[str] | None = None) -> Reply:
    _ = ctx.gettext
    draft = state.draft
    page = draft.slots[draft.page * SLOTS_PER_PAGE : (draft.page + 1) * SLOTS_PER_PAGE]
    # Labels carry their day when the slots span several days or no day was chosen.
    dated = draft.day is None or len({local_day(s, ctx) for s in draft.slots}) > 1
    service = ctx.service(draft.service_id)
    group = service is not None and service.is_group
    options: list[Option] = [
        (
            f"slot.{n + draft.page * SLOTS_PER_PAGE}",
            slot_label(s, ctx, with_day=dated, with_who=draft.any_professional, group=group),
            s.start.isoformat(),
        )
        for n, s in enumerate(page)
    ]
    if draft.page > 0:
        options.append(("slot.earlier", _("Earlier")))
    if (draft.page + 1) * SLOTS_PER_PAGE < len(draft.slots):
        options.append(("slot.later", _("Later")))
    if _taken_time(draft, ctx) is not None:
        options.append(
            ("slot.wait", _("Let me know if {time} frees up").format(time=_hhmm(draft.at)))
        )
    what = what_and_who(draft, ctx)
    if dated or draft.day is None:
        title = _("Times for {what}:").format(what=what)
    else:
        title = _("Times for {what}, {day}:").format(what=what, day=day_phrase(draft.day, ctx))
    return ask(state, ctx, Step.TIME, title, options, before=before or ())


def _time_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    draft = state.draft
    if answer.choice is not None:
        key = choice_key(answer.choice.id).removeprefix("slot.")
        if key == "later":
            return as_page(_show_slots(state.with_draft(page=draft.page + 1), ctx))
        if key == "earlier":
            return as_page(_show_slots(state.with_draft(page=max(draft.page - 1, 0)), ctx))
        if key == "wait":
            return _wait_for_time(state, ctx)
        chosen = draft.slots[int(key)]
        day = local_day(chosen, ctx)
        return advance(state.with_draft(slot=chosen, day=day), ctx)
    understood = with_bare_hour(answer, ctx)  # "17" where a time is asked
    answer = replace(answer, understood=understood)
    if takes_first(draft, understood):  # "dale" to "Lo primero que tengo: ..."
        first = min(draft.slots, key=lambda s: s.start)
        return advance(state.with_draft(slot=first, day=local_day(first, ctx), soonest=False), ctx)
    if understood.at is not None and understood.first_day is None:
        exact = [s for s in draft.slots if local_time(s.start, ctx) == understood.at]
        if exact:  # "19:30 joya, efectivo": the time, and the payment with it
            picked = state.with_draft(slot=exact[0], day=local_day(exact[0], ctx))
            return advance(picked.with_draft(**_paying(draft, understood, ctx)), ctx)
    if Intent.WAITLIST in understood.intents:  # "avisame si se libera el de las 12"
        wanted = state.with_draft(at=understood.at) if understood.at is not None else state
        if _taken_time(wanted.draft, ctx) is not None:
            return _wait_for_time(wanted, ctx)
    return _free_text(state, answer, ctx, _show_slots)


def _taken_time(draft: Draft, ctx: Context) -> time | None:
    """The time asked for that day, when it is not among the free ones (a new booking only)."""
    if draft.mode is not Mode.BOOK or draft.day is None or draft.at is None:
        return None
    if any(local_time(s.start, ctx) == draft.at for s in draft.slots):
        return None
    return draft.at


def _hhmm(at: time | None) -> str:
    return f"{at:%H:%M}" if at is not None else ""


def _wait_for_time(state: State, ctx: Context) -> Reply:
    """The waitlist for exactly the time asked for, that day: it frees up, they hear first."""
    _ = ctx.gettext
    draft = state.draft
    at = _taken_time(draft, ctx)
    if draft.day is None or at is None:  # free after all: the times again
        return _show_slots(state, ctx)
    step = timedelta(minutes=ctx.shop.policy.slot_step_minutes)
    end = min(datetime.combine(draft.day, at) + step, datetime.combine(draft.day, time.max))
    command = JoinWaitlist(_service_id(draft), _pro(draft), draft.day, draft.day, (at, end.time()))
    done = _(
        "Done: if {time} frees up on {day}, I'll write to you right away. To see it or leave "
        "it, write \u201clista de espera\u201d."
    ).format(time=_hhmm(at), day=format_day(draft.day, ctx.locale))
    reply = menu(state, ctx, before=[done])
    return Reply(reply.state, reply.messages, (command,))


# -- name, payment and confirmation ----------------------------------------------------------


def ask_name(state: State, ctx: Context, before: tuple[str, ...] = ()) -> Reply:
    """ "¿A nombre de quién lo reservo?", once the time is settled (answered in naming.py)."""
    question = ctx.gettext("Whose name shall I book it under?")
    lines = [*before, summary(state.draft, ctx)]
    return ask(state, ctx, Step.NAME, question, [], before=lines)


def _payment_prompt(state: State, ctx: Context) -> Reply:
    _ = ctx.gettext
    options = [(f"pay.{m}", payment_label(m, ctx)) for m in ctx.payment_methods]
    return ask(
        state,
        ctx,
        Step.PAYMENT,
        _("How will you pay?"),
        options,
        before=[summary(state.draft, ctx)],
    )


def _payment_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    if answer.choice is not None:
        method = choice_key(answer.choice.id).removeprefix("pay.")
        return advance(state.with_draft(payment_method=method), ctx)
    said = answer.understood.payment_method
    if said is not None and said in ctx.payment_methods:  # "efectivo", "te transfiero"
        return advance(state.with_draft(payment_method=said), ctx)
    if said is not None and not answer.understood.intents:  # "con tarjeta": not taken here
        declined = shop_answers.text(Question(Topic.PAYMENT, payment_method=said), ctx)
        return say(state, declined).then(_payment_prompt(state, ctx))
    return _free_text(state, answer, ctx, _payment_prompt)


def _confirm_prompt(state: State, ctx: Context) -> Reply:
    _ = ctx.gettext
    draft = state.draft
    if draft.mode is Mode.RESCHEDULE:
        assert draft.slot is not None
        text = _("I'll move your turno to {when} with {professional}. Shall I confirm?").format(
            when=format_when(draft.slot.start, ctx.shop.timezone, ctx.locale),
            professional=professional_name(draft.slot.professional_id, ctx),
        )
    else:
        series = bool(draft.every_weeks and draft.count and draft.count > 1)
        question = _("Shall I book them?") if series else _("Shall I book it?")
        if draft.companion is not None and draft.companion.slot is not None:
            question = _("Shall I book both?")
        text = summary(draft, ctx) + "\n\n" + question
    options = [("yes", _("Confirm")), ("change", _("Change the time"))]
    return ask(state, ctx, Step.CONFIRM, text, options)


def _confirm_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    key = choice_key(answer.choice.id) if answer.choice else None
    intents = answer.understood.intents
    if key is None and _changes_something(state, answer, ctx):  # "no, mejor el viernes"
        return _free_text(state, answer, ctx, _confirm_prompt)
    if key == "yes" or (key is None and Intent.YES in intents):
        return Reply(state, (), (_command(state.draft),))
    if key == "change" or (key is None and Intent.NO in intents):
        # Another time, the same way to pay: from the new time straight back here.
        again = rewind(state, Step.TIME).with_draft(payment_method=state.draft.payment_method)
        return _time_prompt(again, ctx)
    return _free_text(state, answer, ctx, _confirm_prompt)


def _command(draft: Draft) -> BookSlot | RescheduleBooking:
    assert draft.slot is not None
    if draft.mode is Mode.RESCHEDULE:
        assert draft.booking_id is not None
        return RescheduleBooking(draft.booking_id, draft.slot.start, draft.slot.professional_id)
    # With "cualquiera" any free professional may take it, should the one shown be taken.
    professional = None if draft.any_professional else draft.slot.professional_id
    return BookSlot(
        _service_id(draft),
        professional,
        draft.slot.start,
        draft.payment_method or "cash",
        draft.every_weeks,
        draft.count,
        pair.command(draft),
        draft.for_name if draft.companion is None else None,
    )


def _booked(state: State, result: Result, ctx: Context) -> Reply:
    _ = ctx.gettext
    tz = ctx.shop.timezone
    if isinstance(result, BookingMade) and result.companion is not None:
        # Both booked: the customer's turno as usual, the second person's right after it.
        own = _booked(state, replace(result, companion=None), ctx)
        line = pair.booked_line(result.companion, ctx, paid_ahead=result.payment is not None)
        also = say(state, line).messages
        return replace(own, messages=(*own.messages[:1], *also, *own.messages[1:]))
    if isinstance(result, BookingMade) and result.payment is not None:
        return _held_for_payment(state, result, result.payment, ctx)
    if isinstance(result, BookingMade) and result.awaiting_shop:
        asked = _(
            "I've asked the shop to confirm your turno on {when} with {professional} (you pay "
            "at the shop). I'll let you know here as soon as they do."
        ).format(
            when=format_when(result.start, tz, ctx.locale),
            professional=professional_name(result.professional_id, ctx),
        )
        return menu(state, ctx, before=[asked])
    if isinstance(result, BookingMade):
        lines = [
            _("Done, your turno is booked: {when} with {professional}.").format(
                when=format_when(result.start, tz, ctx.locale),
                professional=professional_name(result.professional_id, ctx),
            )
        ]
        if result.booked_count > 1:
            booked = ctx.ngettext(
                "{n} turno booked in total.", "{n} turnos booked in total.", result.booked_count
            )
            lines.append(booked.format(n=result.booked_count))
        if result.missed:
            lines.append(
                _("I couldn't book these dates (taken, or the shop is closed): {dates}").format(
                    dates=", ".join(format_when(m, tz, ctx.locale) for m in result.missed)
                )
            )
        return menu(state, ctx, before=lines)
    if isinstance(result, BookingMoved):
        return menu(
            state,
            ctx,
            before=[
                _("Done, I moved your turno to {when} with {professional}.").format(
                    when=format_when(result.start, tz, ctx.locale),
                    professional=professional_name(_moved_to(state), ctx),
                )
            ],
        )
    if isinstance(result, SlotLost):
        slots = tuple(
            CachedSlot(s.start, s.professional_id, s.seats_left) for s in result.alternatives
        )
        notice = _("Sorry, that time is no longer available.")
        if not slots:
            return _offer_waitlist(state, ctx, notice)
        lost = state.with_draft(
            slot=None, slots=slots, page=0, day=_one_day(slots, ctx), repeat=False
        )
        return _show_slots(lost, ctx, [notice + " " + _("These are the closest:")])
    return _failed(state, result, ctx)


def _moved_to(state: State) -> int | None:
    """Who does the moved turno: the professional of the time chosen."""
    draft = state.draft
    return draft.slot.professional_id if draft.slot is not None else draft.professional_id


# -- waitlist -------------------------------------------------------------------------------


def _offer_waitlist(state: State, ctx: Context, why: str) -> Reply:
    _ = ctx.gettext
    if state.draft.mode is not Mode.BOOK:
        return menu(state, ctx, before=[why])
    question = _("Shall I put you on the waitlist? I'll let you know if something frees up.")
    return ask(
        state,
        ctx,
        Step.WAITLIST_OFFER,
        question,
        [("yes", _("Yes, put me on it")), ("no", _("No, thanks"))],
        before=[why],
    )


def _waitlist_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    _ = ctx.gettext
    key = choice_key(answer.choice.id) if answer.choice else None
    intents = answer.understood.intents
    if key is None and _changes_something(state, answer, ctx):  # "no, mejor el viernes"
        return _free_text(state, answer, ctx, lambda s, c: _offer_waitlist(s, c, ""))
    if key == "yes" or (key is None and intents & {Intent.YES, Intent.WAITLIST}):
        return _join_waitlist(state, ctx)
    if key == "no" or (key is None and Intent.NO in intents):
        return menu(state, ctx)
    return _free_text(state, answer, ctx, lambda s, c: _offer_waitlist(s, c, ""))


def _join_waitlist(state: State, ctx: Context) -> Reply:
    """Put the customer on the waitlist for the draft's days (a week from today if none)."""
    _ = ctx.gettext
    draft = state.draft
    first = draft.first_day or ctx.today
    last = draft.last_day or first + timedelta(days=7)
    command = JoinWaitlist(_service_id(draft), _pro(draft), first, last, draft.window)
    reply = menu(
        state,
        ctx,
        before=[
            _(
                "Done, you're on the waitlist. I'll write to you if a place frees up. "
                "To see it or leave it, write \u201clista de espera\u201d."
            )
        ],
    )
    return Reply(reply.state, reply.messages, (command,))


# -- shared ---------------------------------------------------------------------------------


def _free_text(state: State, answer: Answer, ctx: Context, reprompt: Prompt) -> Reply:
    """Text at a booking step: use what it says (saying what changed), or re-ask kindly."""
    _ = ctx.gettext
    merged = merge(state, answer.understood, ctx)
    lines = []
    if answer.understood.unknown_professional:  # "uh no, con Pablo"
        lines.append(nobody_called(answer.understood.unknown_professional, merged, ctx))
    if merged != state:
        lines.append(acknowledged(state.draft, merged.draft, ctx) or "")
        return say(state, *(line for line in lines if line)).then(advance(merged, ctx))
    if lines:
        return say(state, *lines).then(reprompt(state, ctx))
    if _says_what_is_chosen(state.draft, answer.understood) or answer.understood.another:
        return reprompt(state, ctx)  # "con Lu entonces" with Lu, "otro día" at the days
    sorry = say(state, _("Sorry, I didn't get that. Pick one of the options:"))
    return sorry.then(reprompt(state, ctx))


def _says_what_is_chosen(draft: Draft, understood: Understanding) -> bool:
    """The text names the service, professional or day already chosen, and nothing else."""
    said = (
        (understood.service_id, draft.service_id),
        (understood.professional_id, draft.professional_id),
        (understood.first_day, draft.first_day or draft.day),
    )
    named = [(new, old) for new, old in said if new is not None]
    return bool(named) and all(new == old for new, old in named)


def _changes_something(state: State, answer: Answer, ctx: Context) -> bool:
    """The text changes the draft or names someone the shop doesn't have."""
    understood = answer.understood
    return merge(state, understood, ctx) != state or understood.unknown_professional is not None


def _held_for_payment(state: State, made: BookingMade, pay: PaymentDue, ctx: Context) -> Reply:
    """The turno is held until it is paid: the Mercado Pago link, or where to transfer."""
    _ = ctx.gettext
    tz = ctx.shop.timezone
    when = format_when(made.start, tz, ctx.locale)
    who = professional_name(made.professional_id, ctx)
    until = format_when(pay.pay_by, tz, ctx.locale)
    amount = format_money(pay.amount, ctx.locale)
    if pay.transfer is not None:
        to = pay.transfer
        lines = [
            _("I'm holding your turno on {when} with {professional} until {until}.").format(
                when=when, professional=who, until=until
            ),
            _("To confirm it, transfer {amount} to:").format(amount=amount),
        ]
        if to.alias:
            lines.append(_("Alias: {alias}").format(alias=to.alias))
        if to.account:
            lines.append(_("CBU/CVU: {account}").format(account=to.account))
        if to.cuit:
            lines.append(_("CUIT: {cuit}").format(cuit=cuit_label(to.cuit)))
        lines.append(
            _("When you've done it, write \u201cya transferí\u201d and I'll tell the shop.")
        )
        return menu(state, ctx, before=["\n".join(lines)])
    held = _(
        "I'm holding your turno on {when} with {professional} until {until}. To confirm "
        "it, pay {amount} with Mercado Pago here: {url}"
    ).format(when=when, professional=who, until=until, amount=amount, url=pay.url)
    return menu(state, ctx, before=[held, _("I'll let you know here as soon as it's paid.")])


def _failed(state: State, result: Result, ctx: Context) -> Reply:
    _ = ctx.gettext
    reason = result.reason if isinstance(result, Failed) else "unexpected"
    if reason == "not_bookable":
        return menu(state, ctx, before=[_("That time can't be booked any more.")])
    if reason == "deposit_required":
        again = _payment_prompt(state.with_draft(payment_method=None), ctx)
        sena = _(
            "For this turno the shop asks for a seña in advance: pick Mercado Pago or a "
            "transfer (the rest you pay at the shop)."
        )
        return say(state, sena).then(again)
    if reason == "payment_unavailable":
        again = _payment_prompt(state.with_draft(payment_method=None), ctx)
        return say(
            state, _("I couldn't make the payment link. Please pick another way to pay.")
        ).then(again)
    if reason == "companion_taken":
        return pair.taken(state, ctx)
    if reason == "customer_busy" and state.draft.slot is not None:
        again = _time_prompt(state.with_draft(slot=None, at=None), ctx)
        return say(state, _("You already have a turno at that time.")).then(again)
    return menu(state, ctx, before=[_("Sorry, something went wrong. Please try again.")])


def _clashes_with_mine(slot: CachedSlot, draft: Draft, ctx: Context) -> bool:
    """The slot overlaps another of the customer's turnos (the one being moved aside)."""
    service = ctx.service(draft.service_id)
    if service is None:
        return False
    end = slot.start + service.duration
    for mine in ctx.upcoming:
        if mine.id == draft.booking_id:
            continue
        theirs = ctx.service(mine.service_id)
        mine_end = mine.start + (theirs.duration if theirs else service.duration)
        if mine.start < end and slot.start < mine_end:
            return True
    return False


def _distinct(slots: tuple[CachedSlot, ...], any_professional: bool) -> tuple[CachedSlot, ...]:
    """With "cualquiera", one choice per start time (the first free professional)."""
    if not any_professional:
        return slots
    seen: set[object] = set()
    unique = []
    for slot in slots:
        if slot.start not in seen:
            seen.add(slot.start)
            unique.append(slot)
    return tuple(unique)


def _same_weekday_and_time(slot: CachedSlot, last: BookingView, ctx: Context) -> bool:
    tz = ZoneInfo(ctx.shop.timezone)
    a, b = slot.start.astimezone(tz), last.start.astimezone(tz)
    return a.weekday() == b.weekday() and a.time() == b.time() and slot.start > last.start


def _usual_start(last: BookingView, ctx: Context) -> datetime:
    """The next start on the usual weekday and wall-clock time, after the last turno and now."""
    tz = ZoneInfo(ctx.shop.timezone)
    weeks = max(1, (ctx.now - last.start) // timedelta(weeks=1) + 1)
    wall = last.start.astimezone(tz).replace(tzinfo=None) + timedelta(weeks=weeks)
    return wall.replace(tzinfo=tz)


def _nearest(slots: tuple[CachedSlot, ...], wanted: datetime) -> tuple[CachedSlot, ...]:
    """The page of slots closest to `wanted`, in time order."""
    closest = sorted(slots, key=lambda s: abs(s.start - wanted))[:SLOTS_PER_PAGE]
    return tuple(sorted(closest, key=lambda s: s.start))


def _one_day(slots: tuple[CachedSlot, ...], ctx: Context) -> date | None:
    """The shop-local day all the slots fall on, or None when they span several."""
    days = {local_day(s, ctx) for s in slots}
    return days.pop() if len(days) == 1 else None


def local_day(slot: CachedSlot, ctx: Context) -> date:
    """The shop-local day of a slot."""
    return slot.start.astimezone(ZoneInfo(ctx.shop.timezone)).date()


def _service_id(draft: Draft) -> int:
    assert draft.service_id is not None
    return draft.service_id


def _pro(draft: Draft) -> int | None:
    return None if draft.any_professional else draft.professional_id


STEPS: dict[Step, StepSpec] = {
    Step.SERVICE: StepSpec(_service_prompt, _service_answer, back=Step.MENU),
    Step.PROFESSIONAL: StepSpec(
        _professional_prompt, _professional_answer, _days_checked, back=Step.SERVICE
    ),
    Step.DAY: StepSpec(_day_prompt, _day_answer, _days_found, back=Step.PROFESSIONAL),
    Step.TIME: StepSpec(_time_prompt, _time_answer, _slots_found, back=Step.DAY),
    Step.PAYMENT: StepSpec(_payment_prompt, _payment_answer, back=Step.TIME),
    Step.CONFIRM: StepSpec(_confirm_prompt, _confirm_answer, _booked, back=Step.PAYMENT),
    Step.WAITLIST_OFFER: StepSpec(
        lambda s, c: _offer_waitlist(s, c, ""), _waitlist_answer, back=Step.MENU
    ),
}
