"""My turnos: list them, cancel one (the policy explained first) or move it.

```
MY_BOOKINGS ──pick──► BOOKING_ACTIONS ──cancel──► CONFIRM_CANCEL ──yes──► CancelBooking ► MENU
     │                               └─move────► booking.DAY … booking.CONFIRM (reschedule mode)
     └─"cancelar"──► which one? (the only one: straight) ──► CONFIRM_CANCEL
```
The way out of the list reads «Volver al menú»: «Cancelar» there would read as cancelling a turno.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from conversations.commands import BookingCancelled, CancelBooking, Result
from conversations.context import BookingView, Context
from conversations.flows import booking
from conversations.flows.common import ask, choice_key, menu, say
from conversations.flows.labels import professional_name
from conversations.reply import Answer, Reply, StepSpec
from conversations.state import Draft, Mode, State, Step
from conversations.understanding import Intent, Understanding, normalize, pick_day
from domain.formatting import format_when


def show(state: State, ctx: Context) -> Reply:
    """The customer's upcoming turnos as choices."""
    _ = ctx.gettext
    fresh = replace(state, draft=Draft())
    if not ctx.upcoming:
        return menu(fresh, ctx, before=[_("You have no upcoming turnos.")])
    options = [(f"bk.{b.id}", _label(b, ctx)) for b in ctx.upcoming]
    # "Cancelar" here would read as cancelling a turno: the way out says where it goes.
    return ask(
        fresh,
        ctx,
        Step.MY_BOOKINGS,
        _("Your turnos. Which one?"),
        options,
        quit_label=_("Back to the menu"),
    )


def _which_to_cancel(state: State, ctx: Context) -> Reply:
    """A typed "cancelar" at the list: which turno (the only one goes straight to the policy)."""
    _ = ctx.gettext
    if len(ctx.upcoming) == 1:
        return _confirm_cancel_prompt(state.with_draft(booking_id=ctx.upcoming[0].id), ctx)
    options = [(f"bkc.{b.id}", _label(b, ctx)) for b in ctx.upcoming]
    return ask(
        state,
        ctx,
        Step.MY_BOOKINGS,
        _("Which turno shall I cancel?"),
        options,
        quit_label=_("Back to the menu"),
    )


def start(state: State, understood: Understanding, ctx: Context) -> Reply:
    """My turnos from a message: straight to the turno it names, and to what it asks for."""
    upcoming = ctx.upcoming
    intents = understood.intents
    index = _pick(understood, ctx)
    target = None  # for a move: the new day and time the message asks for
    if index is None and len(upcoming) == 1 and intents & {Intent.CANCEL, Intent.RESCHEDULE}:
        index, target = 0, understood  # the only turno; any day named is where it goes
    if index is not None and Intent.RESCHEDULE in intents:
        target = target or _moved_to(understood, _local_day(upcoming[index], ctx))
    if index is None and Intent.CANCEL in intents and upcoming:
        return _which_to_cancel(state, ctx)
    if index is None:
        return show(state, ctx)
    chosen = upcoming[index]
    picked = replace(state, draft=Draft(booking_id=chosen.id))
    if target is not None and target.then_at and target.at == _local_time(chosen, ctx):
        # "tengo el viernes a las 12, ¿lo paso para más tarde? tipo 4": 12 names the turno
        target = replace(target, at=target.then_at, then_at=None)
    if Intent.RESCHEDULE in intents:
        return move(picked, chosen, target, ctx)
    if Intent.CANCEL in intents:
        return _confirm_cancel_prompt(picked, ctx)
    return _actions_prompt(picked, ctx)


def _pick(understood: Understanding, ctx: Context) -> int | None:
    """The one turno the message names: by its day ("el del jueves"), else by its service or
    professional ("el de la barba", "el de Facu")."""
    upcoming = ctx.upcoming
    index = pick_day(understood, [_local_day(b, ctx) for b in upcoming])
    if index is not None or understood.first_day is not None or understood.weekday is not None:
        return index
    for wanted, ids in (
        (understood.service_id, [b.service_id for b in upcoming]),
        (understood.professional_id, [b.professional_id for b in upcoming]),
    ):
        found = [i for i, x in enumerate(ids) if wanted is not None and x == wanted]
        if len(found) == 1:
            return found[0]
    return None


def _moved_to(understood: Understanding, day: date) -> Understanding | None:
    """ "El turno del jueves al viernes": the days said run from the turno's day to the new one."""
    first, last = understood.first_day, understood.last_day
    if first == day and last is not None and last != day:
        return replace(understood, first_day=last, last_day=last, weekday=None)
    if first == day and last in (None, day) and (understood.at or understood.shift):
        return understood  # "el del jueves más temprano, tipo 13": the same day, another time
    return None


def _local_time(booking_view: BookingView, ctx: Context) -> time:
    return booking_view.start.astimezone(ZoneInfo(ctx.shop.timezone)).time()


def _local_day(booking_view: BookingView, ctx: Context) -> date:
    return booking_view.start.astimezone(ZoneInfo(ctx.shop.timezone)).date()


def _label(booking_view: BookingView, ctx: Context) -> str:
    service = ctx.service(booking_view.service_id)
    when = format_when(booking_view.start, ctx.shop.timezone, ctx.locale)
    who = professional_name(booking_view.professional_id, ctx)
    label = f"{service.name if service else '?'} · {when} · {who}"
    waiting = _waiting_for(booking_view, ctx)
    return f"{label} · ⏳ {waiting}" if waiting else label


def _waiting_for(booking_view: BookingView, ctx: Context) -> str | None:
    """What a held turno waits for (a confirmed one waits for nothing)."""
    _ = ctx.gettext
    if booking_view.status != "held":
        return None
    if booking_view.payment_method == "transfer":
        return _("waiting for the transfer")
    if booking_view.payment_method == "mercadopago":
        return _("waiting for the payment")
    return _("waiting for the shop to confirm")


def _chosen(state: State, ctx: Context) -> BookingView | None:
    return next((b for b in ctx.upcoming if b.id == state.draft.booking_id), None)


def _list_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    _ = ctx.gettext
    cancelling = _CANCEL_WORD.search(normalize(answer.text)) is not None or _asked_which(state)
    if answer.choice is None:
        index = _pick(answer.understood, ctx)
        if index is not None:  # "el del martes", "el de la barba"
            picked = state.with_draft(booking_id=ctx.upcoming[index].id)
            if cancelling:
                return _confirm_cancel_prompt(picked, ctx)
            return _actions_prompt(picked, ctx)
        if cancelling:  # "cancelar" (the engine passes it here): which turno?
            return _which_to_cancel(state, ctx)
        if Intent.CANCEL in answer.understood.intents:  # "chau": leaving, not cancelling
            return menu(state, ctx, before=[_("OK, let's leave it there.")])
        return say(state, _("Sorry, I didn't get that. Pick one of the options:")).then(
            show(state, ctx)
        )
    key = choice_key(answer.choice.id)
    if key.startswith("bkc."):
        picked = state.with_draft(booking_id=int(key.removeprefix("bkc.")))
        return _confirm_cancel_prompt(picked, ctx)
    booking_id = int(key.removeprefix("bk."))
    return _actions_prompt(state.with_draft(booking_id=booking_id), ctx)


def _asked_which(state: State) -> bool:
    """The list on screen asks which turno to cancel."""
    return any(choice_key(c.id).startswith("bkc.") for c in state.choices)


def _actions_prompt(state: State, ctx: Context) -> Reply:
    _ = ctx.gettext
    chosen = _chosen(state, ctx)
    if chosen is None:
        return show(state, ctx)
    options = [("cancel", _("Cancel it")), ("move", _("Move it to another time"))]
    return ask(
        state,
        ctx,
        Step.BOOKING_ACTIONS,
        _("What would you like to do with {turno}?").format(turno=_label(chosen, ctx)),
        options,
        quit_label=_("Back to the menu"),
    )


def _actions_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    _ = ctx.gettext
    key = choice_key(answer.choice.id) if answer.choice else None
    intents = answer.understood.intents
    chosen = _chosen(state, ctx)
    if chosen is None:
        return show(state, ctx)
    if key == "cancel" or (key is None and intents & {Intent.CANCEL}):
        return _confirm_cancel_prompt(state, ctx)
    if key == "move" or (key is None and intents & {Intent.RESCHEDULE}):
        return move(state, chosen, answer.understood, ctx)
    return say(state, _("Sorry, I didn't get that. Pick one of the options:")).then(
        _actions_prompt(state, ctx)
    )


def move(
    state: State, chosen: BookingView, understood: Understanding | None, ctx: Context
) -> Reply:
    """Start moving a turno: same service and professional, new day and time."""
    draft = Draft(
        mode=Mode.RESCHEDULE,
        booking_id=chosen.id,
        service_id=chosen.service_id,
        professional_id=chosen.professional_id,
    )
    moving = replace(state, draft=draft)
    if understood is not None and understood.shift and understood.first_day is None:
        day = _local_day(chosen, ctx)  # "pasalo para más tarde, tipo 4": later that same day
        understood = replace(understood, first_day=day, last_day=day)
    if understood is not None:
        moving = booking.merge(moving, understood, ctx)
    return booking.advance(moving, ctx)


def confirm_cancel(state: State, ctx: Context) -> Reply:
    """Ask whether to cancel the turno in the draft, with the cancellation policy first."""
    return _confirm_cancel_prompt(state, ctx)


def _confirm_cancel_prompt(state: State, ctx: Context) -> Reply:
    _ = ctx.gettext
    chosen = _chosen(state, ctx)
    if chosen is None:
        return show(state, ctx)
    hours = ctx.shop.policy.free_cancellation_hours
    deadline = chosen.start - timedelta(hours=hours)
    if ctx.now <= deadline:
        policy = _("You can cancel free of charge until {when}.").format(
            when=format_when(deadline, ctx.shop.timezone, ctx.locale)
        )
    else:
        policy = _(
            "Free cancellation ends {hours} hours before the turno, so this counts as a late "
            "cancellation: the shop keeps the deposit (seña) if you paid one."
        ).format(hours=hours)
    return ask(
        state,
        ctx,
        Step.CONFIRM_CANCEL,
        _("Shall I cancel {turno}?").format(turno=_label(chosen, ctx)),
        [("yes", _("Yes, cancel it")), ("no", _("No, keep it"))],
        before=[policy],
        quit_label=_("Back to the menu"),
    )


def _confirm_cancel_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    _ = ctx.gettext
    key = choice_key(answer.choice.id) if answer.choice else None
    intents = answer.understood.intents
    # "cancelalo" / "cancelar" at "¿Cancelo tu turno?" is a yes (the engine passes it here).
    says_yes = bool(intents & {Intent.YES, Intent.CANCEL}) and Intent.NO not in intents
    if (key == "yes" or (key is None and says_yes)) and state.draft.booking_id:
        return Reply(state, (), (CancelBooking(state.draft.booking_id),))
    if key == "no" or (key is None and Intent.NO in intents):
        return menu(state, ctx, before=[_("OK, your turno stays as it was.")])
    return say(state, _("Sorry, I didn't get that. Pick one of the options:")).then(
        _confirm_cancel_prompt(state, ctx)
    )


def _cancelled(state: State, result: Result, ctx: Context) -> Reply:
    _ = ctx.gettext
    if isinstance(result, BookingCancelled):
        lines = [_("Done, your turno is cancelled.")]
        if result.late:
            lines.append(_("It was a late cancellation, as explained."))
        return menu(state, ctx, before=lines)
    return menu(state, ctx, before=[_("Sorry, I couldn't cancel it. Please try again.")])


_CANCEL_WORD = re.compile(r"\b(?:cancel|anul|suspend)")

STEPS: dict[Step, StepSpec] = {
    Step.MY_BOOKINGS: StepSpec(show, _list_answer, back=Step.MENU, cancel_is_answer=True),
    Step.BOOKING_ACTIONS: StepSpec(
        _actions_prompt, _actions_answer, back=Step.MY_BOOKINGS, cancel_is_answer=True
    ),
    Step.CONFIRM_CANCEL: StepSpec(
        _confirm_cancel_prompt,
        _confirm_cancel_answer,
        _cancelled,
        back=Step.BOOKING_ACTIONS,
        cancel_is_answer=True,
    ),
}
