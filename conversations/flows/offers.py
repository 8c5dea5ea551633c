"""A freed slot offered from the waitlist, held for the customer while they decide.

```
(any step) ──SlotOffered──► SLOT_OFFER ──take──► AcceptOffer ──► MENU ("es tuyo")
                                       └─pass──► DeclineOffer ─► MENU (next one waiting)
```

Like the reminder, the offer is the bot writing first: whatever the person was doing, the
offer is now the question on screen. Silence is answered by the runtime (the hold runs out).
"""

from __future__ import annotations

from dataclasses import replace

from conversations.commands import (
    AcceptOffer,
    BookingMade,
    DeclineOffer,
    Failed,
    Result,
    SlotOffered,
)
from conversations.context import BookingView, Context
from conversations.flows.common import ask, choice_key, menu, say
from conversations.flows.labels import professional_name
from conversations.reply import Answer, Reply, StepSpec
from conversations.state import Draft, State, Step
from conversations.understanding import Intent
from domain.formatting import format_when


def offered(state: State, event: SlotOffered, ctx: Context) -> Reply:
    """Offer the held slot with "take it" / "no, thanks" (nothing if the hold is gone)."""
    booking = _held(event.booking_id, ctx)
    if booking is None:
        return Reply(state)  # taken back meanwhile: nothing to offer
    return _prompt(replace(state, draft=Draft(booking_id=booking.id)), ctx)


def _held(booking_id: int | None, ctx: Context) -> BookingView | None:
    return next((b for b in ctx.upcoming if b.id == booking_id and b.status == "held"), None)


def _prompt(state: State, ctx: Context) -> Reply:
    _ = ctx.gettext
    booking = _held(state.draft.booking_id, ctx)
    if booking is None:
        return menu(state, ctx, before=[_("That place is no longer available.")])
    service = ctx.service(booking.service_id)
    text = _(
        "Good news: a place freed up for {service} with {professional}, {when}. "
        "I'm holding it for you for a few minutes. Do you want it?"
    ).format(
        service=service.name if service else "?",
        professional=professional_name(booking.professional_id, ctx),
        when=format_when(booking.start, ctx.shop.timezone, ctx.locale),
    )
    options = [("take", _("I want it!")), ("pass", _("No, thanks"))]
    return ask(state, ctx, Step.SLOT_OFFER, text, options, navigation=False)


def _answer(state: State, answer: Answer, ctx: Context) -> Reply:
    _ = ctx.gettext
    booking = _held(state.draft.booking_id, ctx)
    if booking is None:
        return menu(state, ctx, before=[_("That place is no longer available.")])
    key = choice_key(answer.choice.id) if answer.choice else None
    intents = answer.understood.intents
    if key == "take" or (key is None and Intent.YES in intents):
        return Reply(state, (), (AcceptOffer(booking.id),))
    if key == "pass" or (key is None and intents & {Intent.NO, Intent.CANCEL}):
        reply = menu(state, ctx, before=[_("OK, I'll offer it to someone else.")])
        return Reply(reply.state, reply.messages, (DeclineOffer(booking.id),))
    return say(state, _("Sorry, I didn't get that. Pick one of the options:")).then(
        _prompt(state, ctx)
    )


def _taken(state: State, result: Result, ctx: Context) -> Reply:
    _ = ctx.gettext
    if isinstance(result, BookingMade):
        done = _("Done, the turno is yours: {when} with {professional}.").format(
            when=format_when(result.start, ctx.shop.timezone, ctx.locale),
            professional=professional_name(result.professional_id, ctx),
        )
        return menu(state, ctx, before=[done])
    if isinstance(result, Failed) and result.reason in ("hold_expired", "not_found"):
        return menu(state, ctx, before=[_("Sorry, the time to take it ran out.")])
    return menu(state, ctx, before=[_("Sorry, something went wrong. Please try again.")])


STEPS: dict[Step, StepSpec] = {
    Step.SLOT_OFFER: StepSpec(
        _prompt, _answer, _taken, back=Step.MENU, cancel_is_answer=True, bot_asked=True
    ),
}
