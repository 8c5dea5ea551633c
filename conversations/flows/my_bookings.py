"""My turnos: list them, cancel one (the policy explained first) or move it.

```
MY_BOOKINGS ──pick──► BOOKING_ACTIONS ──cancel──► CONFIRM_CANCEL ──yes──► CancelBooking ► MENU
                                     └─move────► booking.DAY … booking.CONFIRM (reschedule mode)
```
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from conversations.commands import BookingCancelled, CancelBooking, Result
from conversations.context import BookingView, Context
from conversations.flows import booking
from conversations.flows.common import ask, choice_key, menu, say
from conversations.flows.labels import professional_name
from conversations.reply import Answer, Reply, StepSpec
from conversations.state import Draft, Mode, State, Step
from conversations.understanding import Intent
from domain.formatting import format_when


def show(state: State, ctx: Context) -> Reply:
    """The customer's upcoming turnos as choices."""
    _ = ctx.gettext
    fresh = replace(state, draft=Draft())
    if not ctx.upcoming:
        return menu(fresh, ctx, before=[_("You have no upcoming turnos.")])
    options = [(f"bk.{b.id}", _label(b, ctx)) for b in ctx.upcoming]
    return ask(fresh, ctx, Step.MY_BOOKINGS, _("Your turnos. Which one?"), options)


def _label(booking_view: BookingView, ctx: Context) -> str:
    service = ctx.service(booking_view.service_id)
    when = format_when(booking_view.start, ctx.shop.timezone, ctx.locale)
    who = professional_name(booking_view.professional_id, ctx)
    return f"{service.name if service else '?'} · {when} · {who}"


def _chosen(state: State, ctx: Context) -> BookingView | None:
    return next((b for b in ctx.upcoming if b.id == state.draft.booking_id), None)


def _list_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    _ = ctx.gettext
    if answer.choice is None:
        return say(state, _("Sorry, I didn't get that. Pick one of the options:")).then(
            show(state, ctx)
        )
    booking_id = int(choice_key(answer.choice.id).removeprefix("bk."))
    return _actions_prompt(state.with_draft(booking_id=booking_id), ctx)


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
        draft = Draft(
            mode=Mode.RESCHEDULE,
            booking_id=chosen.id,
            service_id=chosen.service_id,
            professional_id=chosen.professional_id,
        )
        return booking.advance(
            booking.merge(replace(state, draft=draft), answer.understood, ctx), ctx
        )
    return say(state, _("Sorry, I didn't get that. Pick one of the options:")).then(
        _actions_prompt(state, ctx)
    )


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
        _("Shall I cancel it?"),
        [("yes", _("Yes, cancel it")), ("no", _("No, keep it"))],
        before=[policy],
    )


def _confirm_cancel_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    _ = ctx.gettext
    key = choice_key(answer.choice.id) if answer.choice else None
    intents = answer.understood.intents
    if (key == "yes" or (key is None and Intent.YES in intents)) and state.draft.booking_id:
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


STEPS: dict[Step, StepSpec] = {
    Step.MY_BOOKINGS: StepSpec(show, _list_answer, back=Step.MENU),
    Step.BOOKING_ACTIONS: StepSpec(_actions_prompt, _actions_answer, back=Step.MY_BOOKINGS),
    Step.CONFIRM_CANCEL: StepSpec(
        _confirm_cancel_prompt, _confirm_cancel_answer, _cancelled, back=Step.BOOKING_ACTIONS
    ),
}
