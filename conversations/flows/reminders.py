"""The reminder before a turno, and the answers it takes straight away.

```
(any step) ──ReminderDue──► REMINDER ──confirm──► MENU ("te esperamos")
                                    ├─cancel───► my_bookings.CONFIRM_CANCEL
                                    └─move─────► booking.DAY … (reschedule mode)
```

The reminder is the bot writing first: whatever the person was doing, the turno is now the
question on screen (a half-made booking is let go; it is one tap to start again).
"""

from __future__ import annotations

from dataclasses import replace

from conversations.commands import ReminderDue
from conversations.context import BookingView, Context
from conversations.flows import my_bookings
from conversations.flows.common import ask, choice_key, menu, say
from conversations.flows.labels import professional_name
from conversations.reply import Answer, Reply, StepSpec
from conversations.state import Draft, State, Step
from conversations.understanding import Intent
from domain.formatting import format_when


def remind(state: State, event: ReminderDue, ctx: Context) -> Reply:
    """Say the turno is coming and offer to confirm, cancel or move it (nothing if it is gone)."""
    booking = _booking(event.booking_id, ctx)
    if booking is None:
        return Reply(state)  # cancelled or moved meanwhile: nothing to remind
    return _prompt(replace(state, draft=Draft(booking_id=booking.id)), ctx)


def _booking(booking_id: int | None, ctx: Context) -> BookingView | None:
    return next((b for b in ctx.upcoming if b.id == booking_id), None)


def _prompt(state: State, ctx: Context) -> Reply:
    _ = ctx.gettext
    booking = _booking(state.draft.booking_id, ctx)
    if booking is None:
        return menu(state, ctx)
    service = ctx.service(booking.service_id)
    text = _("⏰ Reminder: your turno for {service} with {professional} is {when}.").format(
        service=service.name if service else "?",
        professional=professional_name(booking.professional_id, ctx),
        when=format_when(booking.start, ctx.shop.timezone, ctx.locale),
    )
    options = [
        ("confirm", _("I'll be there")),
        ("cancel", _("Cancel the turno")),
        ("move", _("Reschedule")),
    ]
    return ask(state, ctx, Step.REMINDER, text, options, navigation=False)


def _answer(state: State, answer: Answer, ctx: Context) -> Reply:
    _ = ctx.gettext
    booking = _booking(state.draft.booking_id, ctx)
    if booking is None:
        return menu(state, ctx, before=[_("That turno is no longer on your list.")])
    key = choice_key(answer.choice.id) if answer.choice else None
    intents = answer.understood.intents
    if key == "cancel" or (key is None and Intent.CANCEL in intents):
        return my_bookings.confirm_cancel(state, ctx)
    if key == "move" or (key is None and Intent.RESCHEDULE in intents):
        return my_bookings.move(state, booking, answer.understood, ctx)
    if key == "confirm" or (key is None and Intent.YES in intents):
        return menu(state, ctx, before=[_("Great, see you then!")])
    return say(state, _("Sorry, I didn't get that. Pick one of the options:")).then(
        _prompt(state, ctx)
    )


STEPS: dict[Step, StepSpec] = {
    Step.REMINDER: StepSpec(
        _prompt, _answer, back=Step.MENU, cancel_is_answer=True, bot_asked=True
    ),
}
