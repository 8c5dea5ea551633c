"""Greeting and menu: hello, then what the first message asked for; the name is in naming.py.

```
START ──(see naming.py)──► MENU, or straight to what the first message asked for
MENU ──book / free text──► booking.SERVICE … (see booking.py)
MENU ──the usual─────────► booking (same service and professional)
MENU ──my turnos─────────► my_bookings.MY_BOOKINGS
MENU ──talk to the shop──► HUMAN ──text──► MENU
```
"""

from __future__ import annotations

from conversations.commands import Failed, MessageShop, ReportTransfer, Result
from conversations.context import Context
from conversations.flows import booking, my_bookings, my_data, my_waitlist
from conversations.flows.common import ask, choice_key, menu
from conversations.flows.labels import price_list
from conversations.messages import Outgoing
from conversations.reply import Answer, Reply, StepSpec
from conversations.state import State, Step
from conversations.understanding import Intent, Understanding
from domain.payments import PaymentMethod

BOOKING_INTENTS = {Intent.BOOK}
MY_BOOKINGS_INTENTS = {Intent.MY_BOOKINGS, Intent.CANCEL, Intent.RESCHEDULE}


def note(text: str) -> Outgoing:
    """A message without choices."""
    return Outgoing(text)


def welcome(state: State, text: str, understood: Understanding, ctx: Context, hello: str) -> Reply:
    """Say hello, then read what the first message asked for (the menu if nothing more)."""
    if says_something(understood):  # "corte mañana", "¿cuánto sale?", "mis turnos"
        return Reply(state, (note(hello),)).then(
            _menu_answer(state, Answer(text, None, understood), ctx)
        )
    return menu(state, ctx, before=[hello])


def says_something(understood: Understanding) -> bool:
    """The message asks or answers more than a hello (and a name)."""
    said = (
        understood.service_id,
        understood.professional_id,
        understood.first_day,
        understood.at,
        understood.window,
        understood.payment_method,
    )
    return (
        bool(understood.intents - {Intent.GREETING})
        or understood.any_professional
        or any(value is not None for value in said)
    )


def answer_at_menu(state: State, answer: Answer, ctx: Context) -> Reply:
    """Read a message as if it were written at the menu (what the person wants now)."""
    return _menu_answer(state, answer, ctx)


def _menu_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    _ = ctx.gettext
    key = choice_key(answer.choice.id) if answer.choice else None
    understood = answer.understood
    intents = understood.intents
    if key is None and Intent.TRANSFERRED in intents:
        return transferred(state, ctx)
    if key is None and Intent.ERASE_DATA in intents:
        return my_data.ask_erase(state, ctx)
    if key is None and Intent.MY_DATA in intents:
        return my_data.show(state, ctx)
    if key is None and _about_my_waitlist(understood):
        return my_waitlist.show(state, ctx)
    if key is None and _about_my_bookings(understood):
        return my_bookings.start(state, understood, ctx)
    if key is None and Intent.PRICES in intents:
        prices = price_list(understood.priced_service_id or understood.service_id, ctx)
        if _wants_a_time(understood):  # "¿cuánto sale un corte para mañana?"
            return Reply(state, (note(prices),)).then(booking.start(state, understood, ctx))
        return menu(state, ctx, before=[prices])
    if key == "book" or (key is None and _wants_booking(understood)):
        return booking.start(state, understood if key is None else None, ctx)
    if key == "repeat" or (key is None and Intent.REPEAT in intents):
        return booking.repeat(state, ctx)
    if key == "mine" or (key is None and intents & MY_BOOKINGS_INTENTS):
        return my_bookings.show(state, ctx)
    if key == "human" or (key is None and Intent.HUMAN in intents):
        return _human_prompt(state, ctx)
    if key == "help" or (key is None and Intent.HELP in intents):
        return menu(state, ctx, before=[_help(ctx), _your_data(ctx)])
    if Intent.THANKS in intents:
        return menu(state, ctx, before=[_("You're welcome!")])
    if Intent.GREETING in intents:
        name = ctx.customer_name
        hello = _("Hi, {name}!").format(name=name) if name else _("Hi!")
        return menu(state, ctx, before=[hello])
    return menu(
        state,
        ctx,
        before=[
            _(
                "Sorry, I didn't get that. Pick an option or tell me what you need, "
                "for example: \u201ccorte mañana a la tarde\u201d."
            )
        ],
    )


def awaiting_transfer(ctx: Context) -> list[int]:
    """The customer's held turnos that wait for a transfer."""
    transfer = PaymentMethod.TRANSFER.value
    return [b.id for b in ctx.upcoming if b.status == "held" and b.payment_method == transfer]


def transferred(state: State, ctx: Context, receipt: str | None = None) -> Reply:
    """ "Ya transferí" (or the receipt's photo): the shop is asked to check; the turno is
    confirmed when they do."""
    _ = ctx.gettext
    waiting = awaiting_transfer(ctx)
    if not waiting:
        return menu(state, ctx, before=[_("I have no turno of yours waiting for a transfer.")])
    thanks = _(
        "Thanks! I'm letting the shop know; as soon as they see it arrived, I'll confirm "
        "your turno here."
    )
    reply = menu(state, ctx, before=[thanks])
    return Reply(reply.state, reply.messages, tuple(ReportTransfer(b, receipt) for b in waiting))


def _about_my_waitlist(understood: Understanding) -> bool:
    """ "Mi lista de espera", "sacame de la lista de espera": the entries, not a new one (a
    message that names a service, day or time asks to join)."""
    return Intent.WAITLIST in understood.intents and not _wants_booking(understood)


def _about_my_bookings(understood: Understanding) -> bool:
    """ "Cancelame el turno del jueves", "pasame el turno al viernes": an existing turno."""
    intents = understood.intents
    return bool(intents & MY_BOOKINGS_INTENTS) and Intent.BOOK not in intents


def _wants_a_time(understood: Understanding) -> bool:
    """The message asks for a turno, not just a price: it says book, or when."""
    when = (understood.first_day, understood.at, understood.window)
    return Intent.BOOK in understood.intents or any(value is not None for value in when)


def _wants_booking(understood: Understanding) -> bool:
    return bool(understood.intents & BOOKING_INTENTS) or any(
        value is not None
        for value in (
            understood.service_id,
            understood.professional_id,
            understood.first_day,
            understood.at,
            understood.window,
        )
    )


def _help(ctx: Context) -> str:
    _ = ctx.gettext
    return _(
        "I can book, move and cancel your turnos. Tap an option or just write, for example "
        "\u201c¿tenés algo mañana a la tarde para corte?\u201d. Write \u201cvolver\u201d to go "
        "back, \u201ccancelar\u201d to start over, or \u201cmenú\u201d for the menu."
    )


def _your_data(ctx: Context) -> str:
    """Where the help tells customers about their rights over their data (Ley 25.326)."""
    return ctx.gettext(
        "Your data: write \u201cqué datos tienen míos\u201d to see what the shop keeps about "
        "you, or \u201cborrar mis datos\u201d to erase it."
    )


def _human_prompt(state: State, ctx: Context) -> Reply:
    _ = ctx.gettext
    return ask(
        state,
        ctx,
        Step.HUMAN,
        _("Write your message and I'll pass it on to the people at the shop."),
        [],
    )


def _human_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    _ = ctx.gettext
    text = answer.text.strip()
    if not text:
        return _human_prompt(state, ctx)
    reply = menu(
        state, ctx, before=[_("Done, I passed it on to the shop. They'll answer you here.")]
    )
    return Reply(reply.state, reply.messages, (MessageShop(text[:1000]),))


def quiet(state: State, result: Result, ctx: Context) -> Reply:
    """Results of fire-and-forget commands: only a failure is worth a word."""
    if isinstance(result, Failed):
        return Reply(state, (note(ctx.gettext("Sorry, something went wrong. Please try again.")),))
    return Reply(state)


def _menu_prompt(state: State, ctx: Context) -> Reply:
    return menu(state, ctx)


STEPS: dict[Step, StepSpec] = {
    Step.MENU: StepSpec(_menu_prompt, _menu_answer, quiet, small_talk=False),
    Step.HUMAN: StepSpec(_human_prompt, _human_answer, quiet, small_talk=False, takes_text=True),
}
