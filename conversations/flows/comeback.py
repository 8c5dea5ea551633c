"""Comeback nudges: asked once after a visit, then one offer of times when a regular is due.

```
(any step) ──ComebackAsk──► COMEBACK_ASK ──yes / no──► AnswerComeback ──► MENU
(any step) ──ComebackDue──► COMEBACK_OFFER ──a time──► booking.PAYMENT / CONFIRM
                                           ├─another──► booking.DAY (same service and person)
                                           ├─not now──► MENU
                                           └─stop─────► AnswerComeback(False) ──► MENU
```

Like a reminder, the bot writes first, so whatever the person was doing, this is now the
question on screen.
"""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from conversations.commands import AnswerComeback, ComebackAsk, ComebackDue
from conversations.context import Context
from conversations.flows import booking
from conversations.flows.common import ask, choice_key, menu, say
from conversations.flows.labels import professional_name, slot_label
from conversations.reply import Answer, Reply, StepSpec
from conversations.state import CachedSlot, Draft, State, Step
from conversations.understanding import Intent

SLOT = "slot."


def asked(state: State, event: ComebackAsk, ctx: Context) -> Reply:
    """After a visit: may the bot write when it is about time to come back?"""
    return _ask_prompt(replace(state, draft=Draft()), ctx)


def _ask_prompt(state: State, ctx: Context) -> Reply:
    _ = ctx.gettext
    if ctx.customer_name:
        thanks = _("Thanks for coming, {name}!").format(name=ctx.customer_name)
    else:
        thanks = _("Thanks for coming!")
    question = _(
        "Shall I write to you when it's about time for your next visit? Just once, with a few "
        "free times."
    )
    options = [("yes", _("Yes, let me know")), ("no", _("No, thanks"))]
    return ask(state, ctx, Step.COMEBACK_ASK, f"{thanks} {question}", options, navigation=False)


def _ask_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    _ = ctx.gettext
    key = choice_key(answer.choice.id) if answer.choice else None
    intents = answer.understood.intents
    if key == "yes" or (key is None and Intent.YES in intents and Intent.NO not in intents):
        done = menu(state, ctx, before=[_("Deal, I'll let you know when it's time.")])
        return Reply(done.state, done.messages, (AnswerComeback(True),))
    if key == "no" or (key is None and intents & {Intent.NO, Intent.CANCEL, Intent.QUIT}):
        done = menu(state, ctx, before=[_("OK, I won't write to you about that.")])
        return Reply(done.state, done.messages, (AnswerComeback(False),))
    return say(state, _("Sorry, I didn't get that. Pick one of the options:")).then(
        _ask_prompt(state, ctx)
    )


def due(state: State, event: ComebackDue, ctx: Context) -> Reply:
    """A regular is due: a few free times with their usual professional (nothing if the service
    or the professional is no longer offered)."""
    if ctx.service(event.service_id) is None or ctx.professional(event.professional_id) is None:
        return Reply(state)
    draft = Draft(
        service_id=event.service_id,
        professional_id=event.professional_id,
        slots=tuple(CachedSlot(s.start, s.professional_id, s.seats_left) for s in event.slots),
        weeks_since=event.weeks,
    )
    return _offer_prompt(replace(state, draft=draft), ctx)


def _offer_prompt(state: State, ctx: Context) -> Reply:
    _ = ctx.gettext
    draft = state.draft
    service = ctx.service(draft.service_id)
    weeks = draft.weeks_since or 1
    hello = _("Hi, {name}!").format(name=ctx.customer_name) if ctx.customer_name else _("Hi!")
    since = ctx.ngettext(
        "It's been a week since your last {service} with {professional}.",
        "It's been {weeks} weeks since your last {service} with {professional}.",
        weeks,
    ).format(
        weeks=weeks,
        service=service.name if service else "?",
        professional=professional_name(draft.professional_id, ctx),
    )
    options: list[tuple[str, str]] = [
        (f"{SLOT}{n}", slot_label(slot, ctx, with_day=True, with_who=False, group=False))
        for n, slot in enumerate(draft.slots)
    ]
    if options:
        question = _("Shall I book you the next one? These times are free:")
    else:
        question = _("Shall I look for a time for the next one?")
    options += [
        ("other", _("Another day or time") if options else _("Yes, look for one")),
        ("later", _("Not now")),
        ("stop", _("Don't write to me about this again")),
    ]
    text = f"{hello} {since} {question}"
    return ask(state, ctx, Step.COMEBACK_OFFER, text, options, navigation=False)


def _offer_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    _ = ctx.gettext
    key = choice_key(answer.choice.id) if answer.choice else None
    intents = answer.understood.intents
    draft = state.draft
    booking_draft = Draft(
        service_id=draft.service_id,
        professional_id=draft.professional_id,
        payment_method=_usual_payment(ctx),
    )
    if key is not None and key.startswith(SLOT):
        index = int(key.removeprefix(SLOT))
        if 0 <= index < len(draft.slots):
            slot = draft.slots[index]
            day = slot.start.astimezone(ZoneInfo(ctx.shop.timezone)).date()
            picked = replace(booking_draft, day=day, slot=slot)
            return booking.advance(replace(state, draft=picked), ctx)
    if key == "stop":
        done = menu(state, ctx, before=[_("OK, I won't write to you about that again.")])
        return Reply(done.state, done.messages, (AnswerComeback(False),))
    if key == "later" or (key is None and intents & {Intent.NO, Intent.CANCEL, Intent.QUIT}):
        return menu(state, ctx, before=[_("OK! Whenever you want, write to me here.")])
    booking_state = replace(state, draft=booking_draft)
    if key == "other" or (key is None and Intent.YES in intents):
        return booking.advance(booking_state, ctx)
    merged = booking.merge(booking_state, answer.understood, ctx)
    if merged != booking_state:  # "el jueves a las 17": that day and time
        return booking.advance(merged, ctx)
    return say(state, _("Sorry, I didn't get that. Pick one of the options:")).then(
        _offer_prompt(state, ctx)
    )


def _usual_payment(ctx: Context) -> str | None:
    """The way the customer paid last time, if the shop still takes it."""
    last = ctx.last_booking
    if last is not None and last.payment_method in ctx.payment_methods:
        return last.payment_method
    return None


STEPS: dict[Step, StepSpec] = {
    Step.COMEBACK_ASK: StepSpec(
        _ask_prompt, _ask_answer, back=Step.MENU, cancel_is_answer=True, bot_asked=True
    ),
    Step.COMEBACK_OFFER: StepSpec(
        _offer_prompt, _offer_answer, back=Step.MENU, cancel_is_answer=True, bot_asked=True
    ),
}
